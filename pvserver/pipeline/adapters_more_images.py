"""Image filters of pvcore/definitions/filters_more_arrays.py on any number of ranks: Image Shrink and Median.

VTK's image filters compute the extent they are asked for, and ask their input for the extent that needs; asked
only for a piece (what each rank's update asks), they would compute the whole image from the rank's piece of
their input. :class:`PieceImageFilter` turns the rank's piece into its extent of the output, as a source does
(CAN_PRODUCE_SUB_EXTENT), and asks its input for the extent the filter needs for it, neighbours included (a
median's kernel reaches into the next rank's piece). The filter runs on the calling thread: a worker thread of
VTK's threader would report progress to the server's Python observer while the calling thread holds the
interpreter, and both would wait forever.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkImageData
from vtkmodules.vtkCommonExecutionModel import vtkAlgorithm, vtkTrivialProducer
from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
from vtkmodules.vtkImagingCore import vtkImageShrink3D
from vtkmodules.vtkImagingGeneral import vtkImageMedian3D

from pvserver.pipeline.context import Context


class PieceImageFilter(VTKPythonAlgorithmBase):
    """A VTK image filter computing this rank's extent of its output from the input extent it needs for it."""

    def __init__(self, inner: Any, settings: tuple[str, ...]) -> None:
        super().__init__(nInputPorts=1, inputType="vtkImageData", nOutputPorts=1, outputType="vtkImageData")
        self.inner = inner
        self.inner.SetNumberOfThreads(1)  # the ranks are the parallelism
        self.producer = vtkTrivialProducer()  # stands for the input while the filter's needs are asked
        self.inner.SetInputConnection(self.producer.GetOutputPort())
        for name in settings:  # the filter's setters, each marking this algorithm modified
            setattr(self, f"Set{name}", self._forward(name))

    def _forward(self, name: str) -> Callable[..., None]:
        def setter(*values: Any) -> None:
            getattr(self.inner, f"Set{name}")(*values)
            self.Modified()

        return setter

    def SetInputArrayToProcess(self, *selection: Any) -> None:  # noqa: N802 - the array a Median filters
        self.inner.SetInputArrayToProcess(*selection)
        self.Modified()

    def _stand_in(self, source: Any) -> None:
        """Make the producer describe the input's whole image (no values) to the filter."""
        whole = source.Get(Sddp.WHOLE_EXTENT())
        image = vtkImageData()
        image.SetOrigin(source.Get(vtkDataObject.ORIGIN()) or (0.0, 0.0, 0.0))
        image.SetSpacing(source.Get(vtkDataObject.SPACING()) or (1.0, 1.0, 1.0))
        image.SetExtent(whole)
        self.producer.SetOutput(image)
        self.producer.SetWholeExtent(whole)

    def RequestInformation(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        source = in_info[0].GetInformationObject(0)
        self._stand_in(source)
        self.inner.UpdateInformation()
        made, out = self.inner.GetOutputInformation(0), out_info.GetInformationObject(0)
        out.Set(Sddp.WHOLE_EXTENT(), made.Get(Sddp.WHOLE_EXTENT()), 6)
        out.Set(vtkDataObject.ORIGIN(), made.Get(vtkDataObject.ORIGIN()), 3)
        out.Set(vtkDataObject.SPACING(), made.Get(vtkDataObject.SPACING()), 3)
        out.Set(vtkAlgorithm.CAN_PRODUCE_SUB_EXTENT(), 1)  # VTK turns this rank's piece into its extent
        return 1

    def RequestUpdateExtent(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        extent = out_info.GetInformationObject(0).Get(Sddp.UPDATE_EXTENT())
        self.inner.UpdateInformation()
        self.inner.GetOutputInformation(0).Set(Sddp.UPDATE_EXTENT(), extent, 6)
        self.inner.PropagateUpdateExtent()
        needed = self.producer.GetOutputInformation(0).Get(Sddp.UPDATE_EXTENT())
        source = in_info[0].GetInformationObject(0)
        source.Set(Sddp.UPDATE_EXTENT(), needed, 6)
        source.Set(Sddp.UPDATE_PIECE_NUMBER(), 0)  # VTK would split that extent again by the piece number
        source.Set(Sddp.UPDATE_NUMBER_OF_PIECES(), 1)
        source.Set(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS(), 0)
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        piece = vtkImageData.GetData(in_info[0])
        output = vtkImageData.GetData(out_info)
        extent = out_info.GetInformationObject(0).Get(Sddp.UPDATE_EXTENT())
        if any(extent[2 * a + 1] < extent[2 * a] for a in range(3)):
            return 1  # an empty piece
        copy = vtkImageData()
        copy.ShallowCopy(piece)
        self.producer.SetOutput(copy)
        self.producer.SetWholeExtent(in_info[0].GetInformationObject(0).Get(Sddp.WHOLE_EXTENT()))
        self.inner.UpdateExtent(extent)
        output.ShallowCopy(self.inner.GetOutput())
        self.producer.SetOutput(vtkImageData())  # hold no piece between updates
        return 1


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "ImageShrinkAdapter": lambda _context: PieceImageFilter(vtkImageShrink3D(), ("ShrinkFactors", "Averaging")),
    "MedianAdapter": lambda _context: PieceImageFilter(vtkImageMedian3D(), ("KernelSize",)),
}

"""More of ParaView's filters that add or pick arrays and cells (process ids, mesh quality, cell sizes, counts,
components, noise), image filters and conversions, by ParaView's names, defaults and domains.

ParaView 5.11's proxy definitions are the reference for each entry (``filters_filtersparallel.xml``,
``filters_filtersverdict.xml``, ``filters_filtersparallelverdict.xml``, ``filters_filtersgeneral.xml``,
``filters_filterscore.xml``, VTKExtensions'
``general_filters.xml``, ``extraction_filters.xml`` and ``misc_utilities.xml``).
"""

from __future__ import annotations

from pvcore.definitions.builders import (
    ArraySelection,
    Bool,
    Double,
    Enum,
    Filter,
    Input,
    Int,
    Proxy,
    String,
    Strings,
    SubProxy,
    Vec3,
)
from pvcore.definitions.helpers import IMPLICIT_FUNCTIONS
from pvcore.domains import ArrayListDomain
from pvcore.schema import Applier

_DATASET = Input(data_types=("vtkDataSet",))
_IMAGE = Input(data_types=("vtkImageData",))

#: vtkMeshQuality's measures each cell type offers in ParaView, by its labels (the adapter maps them to VTK's ids).
TRIANGLE_MEASURES = (
    "Area", "Aspect Ratio", "Aspect Frobenius", "Condition", "Distortion", "Edge Ratio", "Equiangle Skew",
    "Maximum Angle", "Minimum Angle", "Normalized Inradius", "Radius Ratio", "Relative Size Squared",
    "Scaled Jacobian", "Shape", "Shape and Size",
)  # fmt: skip
QUAD_MEASURES = (
    "Area", "Aspect Ratio", "Condition", "Distortion", "Edge Ratio", "Equiangle Skew", "Jacobian",
    "Maximum Aspect Frobenius", "Maximum Edge Ratio", "Mean Aspect Frobenius", "Minimum Angle", "Oddy",
    "Radius Ratio", "Relative Size Squared", "Scaled Jacobian", "Shape", "Shape and Size", "Shear",
    "Shear and Size", "Skew", "Stretch", "Taper", "Warpage",
)  # fmt: skip
TET_MEASURES = (
    "Aspect Gamma", "Aspect Frobenius", "Aspect Ratio", "Collapse Ratio", "Condition", "Distortion", "Edge Ratio",
    "Equiangle Skew", "Equivolume Skew", "Jacobian", "Mean Ratio", "Minimum Dihedral Angle", "Normalized Inradius",
    "Radius Ratio", "Relative Size Squared", "Scaled Jacobian", "Shape", "Shape and Size", "Squish Index", "Volume",
)  # fmt: skip
PYRAMID_MEASURES = ("Equiangle Skew", "Jacobian", "Scaled Jacobian", "Shape", "Volume")
WEDGE_MEASURES = (
    "Condition", "Distortion", "Edge Ratio", "Equiangle Skew", "Jacobian", "Maximum Aspect Frobenius",
    "Maximum Stretch", "Mean Aspect Frobenius", "Scaled Jacobian", "Shape", "Volume",
)  # fmt: skip
HEX_MEASURES = (
    "Diagonal", "Dimension", "Distortion", "Edge Ratio", "Equiangle Skew", "Jacobian", "Maximum Edge Ratio",
    "Maximum Aspect Frobenius", "Mean Aspect Frobenius", "Nodal Jacobian Ratio", "Oddy", "Relative Size Squared",
    "Scaled Jacobian", "Shape", "Shape and Size", "Shear", "Shear and Size", "Skew", "Stretch", "Taper", "Volume",
)  # fmt: skip

#: The cell types Extract Cells By Type may keep, by ParaView's labels.
CELL_TYPE_LABELS = (
    "Hexagonal Prism", "Hexahedron", "Line", "Pentagonal Prism", "Pixel", "Polygon", "Polyhedron", "Polyline",
    "Polyvertex", "Pyramid", "Quadrilateral", "Tetrahedron", "Triangle", "Triangle Strip", "Vertex", "Voxel",
    "Wedge",
)  # fmt: skip

DEFINITIONS = (
    Filter(
        "ProcessIdScalars", "ProcessIdScalarsAdapter", "An array ProcessId: the number of the rank holding the piece.",
        _DATASET,
        Bool("RandomMode", 0, doc="One random value per rank instead of its number."),
        Bool("CellScalars", 0, doc="A cell array instead of a point array."),
    ),
    Filter(
        "ExtractComponent", "ExtractComponentAdapter", "One component of an array, as an array of its own.",
        _DATASET,
        ArraySelection("InputArray", doc="The array to take the component of.", domain=ArrayListDomain()),
        Int("Component", 0, minimum=0, doc="The component's index (0 is X)."),
        String("OutputArrayName", "Result"),
    ),
    # ParaView's lists of pairs: an array's name, then its new name.
    Filter(
        "RenameArrays", "RenameArraysAdapter", "Renames point, cell and field arrays.",
        Input(data_types=("vtkDataSet",)),
        Strings("PointArrays", doc="Pairs of a point array's name and its new name."),
        Strings("CellArrays", doc="Pairs of a cell array's name and its new name."),
        Strings("FieldArrays", doc="Pairs of a field array's name and its new name."),
    ),
    Filter(
        "MeshQuality", "MeshQualityAdapter", "A cell array Quality: a measure of each cell's shape, by cell type.",
        _DATASET,
        Enum("TriangleQualityMeasure", "Radius Ratio", TRIANGLE_MEASURES),
        Enum("QuadQualityMeasure", "Edge Ratio", QUAD_MEASURES),
        Enum("TetQualityMeasure", "Radius Ratio", TET_MEASURES),
        Enum("PyramidQualityMeasure", "Shape", PYRAMID_MEASURES),
        Enum("WedgeQualityMeasure", "Edge Ratio", WEDGE_MEASURES),
        Enum("HexQualityMeasure", "Maximum Aspect Frobenius", HEX_MEASURES),
        Bool("LinearApproximation", 0, doc="Measure higher-order cells as their linear shape."),
    ),
    # With ComputeSum, the sums (field arrays) are over all ranks' pieces, as vtkPCellSizeFilter's.
    Filter(
        "CellSize", "CellSizeAdapter", "Cell arrays of each cell's vertex count, length, area and volume.",
        _DATASET,
        Bool("ComputeVertexCount", 1),
        String("VertexCountArrayName", "VertexCount"),
        Bool("ComputeLength", 1),
        String("LengthArrayName", "Length"),
        Bool("ComputeArea", 1),
        String("AreaArrayName", "Area"),
        Bool("ComputeVolume", 1),
        String("VolumeArrayName", "Volume"),
        Bool("ComputeSum", 0, doc="Field arrays of the sums over all cells."),
    ),
    Filter(
        "CountCellFaces", "vtkCountFaces", "A cell array: each cell's number of faces.",
        _DATASET,
        String("FacesArrayName", "Face Count", setter="SetOutputArrayName"),
    ),
    Filter(
        "CountCellVertices", "vtkCountVertices", "A cell array: each cell's number of points.",
        _DATASET,
        String("VerticesArrayName", "Vertex Count", setter="SetOutputArrayName"),
    ),
    # ParaView's CellTypeSelectionInfo (the types the input holds, for the GUI's list) is left out.
    Filter(
        "ExtractCellsByType", "ExtractCellsByTypeAdapter", "Keeps the cells of the chosen types (none by default).",
        _DATASET,
        Strings("CellTypes", doc=f"The types to keep, of: {', '.join(CELL_TYPE_LABELS)}."),
    ),
    Filter(
        "MergeVectorComponents", "vtkMergeVectorComponents", "One vector array from three scalar arrays.",
        _DATASET,
        Enum(
            "AttributeType", "Point Data", ("Point Data", "Cell Data"), apply=Applier("enum_index", "SetAttributeType")
        ),
        String("XArray", setter="SetXArrayName"),
        String("YArray", setter="SetYArrayName"),
        String("ZArray", setter="SetZArrayName"),
        String("OutputVectorName", "Vector"),
    ),
    Proxy(
        IMPLICIT_FUNCTIONS, "PerlinNoise", "vtkPerlinNoise", "Perlin's gradient noise of the position.",
        Vec3("Frequency", (1, 1, 1), doc="Periods per unit length on each axis."),
        Vec3("Phase", doc="Shift of the noise on each axis."),
        Double("Amplitude", 1.0),
    ),
    Filter(
        "PerlinNoise", "vtkSampleImplicitFunctionFilter", "A point array of Perlin noise at the input's points.",
        _DATASET,
        SubProxy("ImplicitFunction", IMPLICIT_FUNCTIONS, ("PerlinNoise",)),
        String("ScalarArrayName", "PerlinNoise"),
    ),
    # Each rank computes its extent of the output, from the input extent it needs (a median's kernel reaches into
    # the neighbouring ranks' pieces): pvserver/pipeline/adapters_more_images.py.
    Filter(
        "ImageShrink", "ImageShrinkAdapter", "Subsamples an image by integer factors.",
        _IMAGE,
        Int("ShrinkFactors", (1, 1, 1), minimum=1, maximum=100),
        Bool("Averaging", 1, doc="Average each block of points instead of keeping its first."),
    ),
    Filter(
        "Median", "MedianAdapter", "The median of each point's neighbourhood in an image.",
        _IMAGE,
        ArraySelection("SelectInputScalars", doc="The point array to filter.", domain=ArrayListDomain()),
        Int("KernelSize", (1, 1, 1), minimum=1, doc="The neighbourhood's size on each axis (odd)."),
    ),
    Filter("ImageDatatoPointSet", "vtkImageDataToPointSet", "An image as a structured grid.", _IMAGE),
    Filter(
        "RectilinearDatatoPointSet", "vtkRectilinearGridToPointSet", "A rectilinear grid as a structured grid.",
        Input(data_types=("vtkRectilinearGrid",)),
    ),
    Filter(
        "RemoveGhostInformation", "vtkRemoveGhosts", "Removes ghost cells and points and their arrays.",
        Input(data_types=("vtkPolyData", "vtkUnstructuredGrid")),
    ),
)  # fmt: skip

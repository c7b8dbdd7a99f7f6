"""ParaView's Common filters and the general filters scripts use most: subsets, cleaning, array selection, edges,
cell centres, connectivity, curvature, extraction by region, ghost cells, redistribution and annotation.

By ParaView 5.11's names, defaults and domains: its proxy XML is the reference for each entry
(``VTKExtensions/FiltersGeneral/Resources/general_filters.xml`` for ExtractGrid "Extract Subset" and
CleanUnstructuredGrid "Clean to Grid"; ``Remoting/Application/Resources/filters_filterscore.xml`` for
CleanPolyData "Clean" and PVConnectivityFilter "Connectivity"; ``filters_filtersgeneral.xml`` for PassArrays,
CellCenters and Curvatures "Curvature"; ``filters_filtersextraction.xml`` for ExtractEdges and ExtractGeometry
"Extract Cells By Region"; ``filters_filtersparalleldiy2.xml`` for GhostCellsGenerator and RedistributeDataSet;
``filters_filtersparallel.xml`` for D3; ``filters_filtersgeneral.xml`` for AnnotateAttributeData). The stream
tracer is in :mod:`pvcore.definitions.filters_common_flow`.

On several ranks each filter works on its rank's piece, as ParaView's do, except where an entry says otherwise.
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import (
    ArraySelection,
    Bool,
    Double,
    Enum,
    Filter,
    Input,
    Int,
    String,
    Strings,
    SubProxy,
    Vec3,
)
from pvcore.definitions.helpers import IMPLICIT_FUNCTIONS
from pvcore.domains import ArrayListDomain, ArrayNamesDomain, ExtentDomain
from pvcore.schema import Applier

_STRUCTURED = ("vtkImageData", "vtkRectilinearGrid", "vtkStructuredGrid")
_POLYDATA = Input(data_types=("vtkPolyData",))
_ALL = {association: ArrayNamesDomain(association) for association in ("POINTS", "CELLS", "FIELD")}

DEFINITIONS = (
    # vtkPVExtractVOI: vtkExtractVOI, vtkExtractRectilinearGrid or vtkExtractGrid by the input's type. On several
    # ranks each rank extracts from its own extent; the pieces of the output meet as the input's pieces do.
    Filter(
        "ExtractSubset", "ExtractSubsetAdapter",
        "A sub-grid of structured data (image, rectilinear or structured grid), optionally subsampled.",
        Input(data_types=_STRUCTURED),
        Int(
            "VOI", (0, 0, 0, 0, 0, 0), count=6, domain=ExtentDomain(),
            doc="Lowest and highest point index along I, J and K (i0, i1, j0, j1, k0, k1); the whole extent at first.",
        ),
        Int("SampleRateI", 1, minimum=1, doc="Keep every n-th index along I."),
        Int("SampleRateJ", 1, minimum=1, doc="Keep every n-th index along J."),
        Int("SampleRateK", 1, minimum=1, doc="Keep every n-th index along K."),
        Bool("IncludeBoundary", 0, doc="With a sample rate above 1, keep the last index even if off the rate."),
    ),
    # PieceInvariant (ParaView's default): the ranks' pieces are gathered on rank 0 and cleaned there as one
    # dataset, so that the result does not depend on the number of ranks (the output is on rank 0 only). Off: each
    # rank cleans its piece, and points on the pieces' seams stay duplicated.
    Filter(
        "Clean", "CleanAdapter", "Merges coincident points and removes degenerate cells of polygonal data.",
        _POLYDATA,
        Bool("PieceInvariant", 1, doc="Clean all ranks' data together (on rank 0) rather than piece by piece."),
        Double("Tolerance", 0.0, minimum=0.0, maximum=1.0, doc="Merging distance, a fraction of the bounds' diagonal."),
        Double("AbsoluteTolerance", 1.0, minimum=0.0, doc="Merging distance with ToleranceIsAbsolute."),
        Bool("ToleranceIsAbsolute", 0),
        Bool("ConvertLinesToPoints", 1, doc="Degenerate lines become vertices."),
        Bool("ConvertPolysToLines", 1, doc="Degenerate polygons become lines."),
        Bool("ConvertStripsToPolys", 1, doc="Degenerate strips become polygons."),
        Bool("PointMerging", 1, doc="Merge coincident points (off: only unused points are removed)."),
        size=sizes.GATHERED_ON_RANK_0,  # with PieceInvariant, rank 0 holds the whole
    ),
    # Each rank merges the points of its own piece (as ParaView's, which has no parallel variant).
    Filter(
        "CleantoGrid", "vtkCleanUnstructuredGrid", "Merges coincident points and makes an unstructured grid.",
        Double("Tolerance", 0.0, minimum=0.0, maximum=1.0, doc="Merging distance, a fraction of the bounds' diagonal."),
        Double("AbsoluteTolerance", 1.0, minimum=0.0, doc="Merging distance with ToleranceIsAbsolute."),
        Bool("ToleranceIsAbsolute", 0),
    ),
    # ParaView's selections of edge, vertex and row arrays (graphs and tables) are left out: datasets have none.
    Filter(
        "PassArrays", "PassArraysAdapter", "Passes on only the chosen point, cell and field arrays.",
        Strings("PointDataArrays", doc="Names of the point arrays to keep (all at first).", domain=_ALL["POINTS"]),
        Strings("CellDataArrays", doc="Names of the cell arrays to keep (all at first).", domain=_ALL["CELLS"]),
        Strings("FieldDataArrays", doc="Names of the field arrays to keep (all at first).", domain=_ALL["FIELD"]),
    ),
    # On several ranks an edge on the face between two ranks' pieces comes from both (as in ParaView).
    Filter("ExtractEdges", "vtkExtractEdges", "The edges of every cell, as lines."),
    Filter(
        "CellCenters", "vtkCellCenters", "A point at the centre of every cell, with the cell's arrays as point arrays.",
        Bool("VertexCells", 0, doc="Also make a vertex cell for every point (to show them as points)."),
    ),
    # On several ranks regions are found within each rank's piece: a region that spans pieces has one id per piece
    # (ParaView's vtkPConnectivityFilter joins them through a controller, which this VTK build lacks).
    Filter(
        "Connectivity", "ConnectivityAdapter", "Labels (or extracts) the connected regions of a dataset.",
        Enum(
            "ExtractionMode", "Extract All Regions",
            ("Extract Largest Region", "Extract All Regions", "Extract Closest Point Region"),
        ),
        Bool("ColorRegions", 1, doc="Add the arrays RegionId (points and cells)."),
        Enum(
            "RegionIdAssignmentMode", "Unspecified", ("Unspecified", "Cell Count Descending", "Cell Count Ascending"),
            apply=Applier("enum_index", "SetRegionIdAssignmentMode"),
        ),
        Vec3("ClosestPoint", doc="With Extract Closest Point Region: the point the region must be nearest."),
    ),
    # On several ranks a point on a seam between pieces sees only its own piece's polygons (polygonal sources
    # make no ghost cells), so the values there differ from one rank's; the cells are the same.
    Filter(
        "Curvature", "vtkCurvatures", "Gaussian or mean curvature of a surface, as the point array of that name.",
        _POLYDATA,
        Bool("InvertMeanCurvature", 0),
        Enum("CurvatureType", "Gaussian", ("Gaussian", "Mean"), apply=Applier("enum_index", "SetCurvatureType")),
    ),
    Filter(
        "ExtractCellsByRegion", "ExtractGeometryAdapter",
        "Keeps the cells inside (or outside) an implicit function, whole.",
        SubProxy(
            "IntersectWith", IMPLICIT_FUNCTIONS, ("Plane", "Box", "Sphere"), doc="The region's implicit function.",
            apply=Applier("function", "SetImplicitFunction"),
        ),
        Enum("ExtractionSide", "inside", ("outside", "inside"), apply=Applier("enum_index", "SetExtractInside")),
        Bool("Extractintersected", 0, setter="SetExtractBoundaryCells", doc="Also keep the cells the function cuts."),
        Bool(
            "Extractonlyintersected", 0, setter="SetExtractOnlyBoundaryCells", doc="Keep only the cells it cuts.",
        ),
    ),
    # Ghost layers as the readers make them (pvserver.pipeline.ghosts): one layer of the neighbouring ranks'
    # cells for unstructured grids, and as many layers as asked for structured data (VTK makes those upstream).
    # Polygonal data gets none. On one rank there are no neighbours, so no ghosts.
    Filter(
        "GhostCellsGenerator", "GhostCellsAdapter", "Adds layers of the neighbouring ranks' cells, marked as ghosts.",
        Int("MinimumNumberOfGhosts", 1, minimum=0, maximum=100, doc="Ghost layers to add."),
        Bool("BuildIfRequired", 0, doc="Only as many layers as the filters downstream ask for."),
    ),
    # vtkRedistributeDataSetFilter needs a VTK controller this build lacks: the ranks' pieces are gathered on rank 0,
    # split there by recursive bisection and dealt out (rank 0 holds the whole input meanwhile). Each cell goes to
    # one part; the other boundary modes are refused when the filter runs. Left out: PreservePartitionsInOutput
    # (the output is one unstructured grid per rank). LoadBalanceAcrossAllBlocks and EnableDebugging change nothing.
    Filter(
        "RedistributeDataSet", "RedistributeAdapter",
        "Moves cells between the ranks so that each holds a spatially compact, balanced part (unstructured grids).",
        Enum("BoundaryMode", "Assign to one region", ("Assign to one region", "Assign to all regions", "Split cells")),
        Int("NumberOfPartitions", -1, minimum=-1, maximum=4096, doc="Parts to cut the data into (-1: one per rank)."),
        Bool("GenerateGlobalCellIds", 0, doc="Add the cell array vtkGlobalCellIds: each cell's index in the whole."),
        Bool("LoadBalanceAcrossAllBlocks", 1, setter="SetIgnored"),
        Bool("EnableDebugging", 0, setter="SetIgnored"),
    ),
    # ParaView 5.11's older name for the redistribution (vtkDistributedDataFilter), the same way here, with ghost
    # layers traded afterwards (pvserver.pipeline.ghosts: one layer, whatever the number above 0).
    Filter(
        "D3", "D3Adapter", "Redistributes the cells among the ranks (the older filter; see RedistributeDataSet).",
        Enum("BoundaryMode", "Assign cells uniquely", ("Assign cells uniquely", "Duplicate cells", "Divide cells")),
        Int("MinimumNumberOfGhostLevels", 0, minimum=0, doc="Ghost layers to add around each part (one is made)."),
        Bool("MinimalMemory", 0, setter="SetIgnored"),
    ),
    # The annotation is a one-row table (column "Text") on rank 0, for a Text display.
    Filter(
        "AnnotateAttributeData", "AnnotateAttributeAdapter", "A text: Prefix and one value of an array.",
        Input(data_types=("vtkDataObject",)),
        ArraySelection(
            "SelectInputArray", doc="The array to show a value of.", domain=ArrayListDomain(),
            setter="SetSelectInputArray",
        ),
        Int("ElementId", 0, minimum=0, doc="Which value of the array (its index in rank ProcessId's piece)."),
        Int("ProcessId", 0, minimum=-1, doc="The rank whose piece holds it (-1: rank 0's own)."),
        String("Prefix", "Value is: "),
    ),
    # Rank 0 gathers every piece and counts the overlaps of the whole (pvserver.pipeline.adapters_overlaps): its
    # output, and the memory for the whole input, are on rank 0.
    Filter(
        "OverlappingCellsDetector", "OverlappingCellsAdapter",
        "Counts, per cell, the other cells it overlaps (cell array NumberOfOverlapsPerCell).",
        Input(data_types=("vtkPointSet",)),
        Double("Tolerance", 0.0, minimum=0.0, doc="Cells are shrunk by half of this before they are compared."),
        size=sizes.GATHERED_ON_RANK_0,
    ),
)  # fmt: skip

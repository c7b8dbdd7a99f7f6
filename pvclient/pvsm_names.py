"""ParaView's XML names and this project's: the one table a ParaView state file is translated with.

A ParaView state names proxies by their XML name (``SphereSource``, ``Cut``, ``RTAnalyticSource``) and
properties by their XML property name (``ContourValues``, ``SelectInputScalars``), where this project uses
paraview.simple's names (``Sphere``, ``Slice``, ``Wavelet``; ``Isosurfaces``, ``ContourBy``). Each row of
:data:`TABLE` maps one ParaView (group, XML name) to this project's (group, type), with the property names that
differ by more than case, spaces and underscores (``NumberOfIterations`` finds ``NumberofIterations`` by itself).

A new proxy type becomes loadable from ParaView states by adding its row here: the ParaView name is the
``name=`` of its ``<SourceProxy>`` in ParaView's ``Remoting/Application/Resources/*.xml``, and a rename is
needed where the property's XML ``name=`` is not its ``label=`` without spaces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pvcore.schema import ProxySpec


@dataclass(frozen=True)
class Row:
    """This project's group and type for one ParaView XML proxy, and its property renames (XML name -> ours)."""

    group: str
    name: str
    renames: Mapping[str, str] = field(default_factory=dict)


_SOURCES = {
    "SphereSource": "Sphere",
    "ConeSource": "Cone",
    "CylinderSource": "Cylinder",
    "CubeSource": "Box",
    "PlaneSource": "Plane",
    "LineSource": "Line",
    "PointSource": "PointSource",
    "RTAnalyticSource": "Wavelet",
    "DiskSource": "Disk",
    "SuperquadricSource": "Superquadric",
    "OutlineSource": "OutlineSource",
    "ArrowSource": "Arrow",
    "EllipseSource": "Ellipse",
    "Axes": "Axes",
    "TimeToTextConvertorSource": "AnnotateTime",
    "TextSource": "Text",
    "VectorText": "a3DText",
    "GlyphSource2D": "a2DGlyph",
    "DataObjectGenerator": "DataObjectGenerator",
    "FastUniformGrid": "FastUniformGrid",
    "HyperTreeGridSource": "HyperTreeGrid",
    "ImageMandelbrotSource": "Mandelbrot",
    "RandomHyperTreeGridSource": "HyperTreeGridRandom",
    "PolyLineSource": "PolyLineSource",
    "PolyPointSource": "PolyPointSource",
    "SplineSource": "SplineSource",
    "TimeSource": "TimeSource",
    "PartitionedDataSetCollectionSource": "PartitionedDataSetCollectionSource",
}

#: Sources whose properties need renames.
_RENAMED_SOURCES: dict[str, tuple[str, dict[str, str]]] = {
    "UnstructuredCellTypes": (
        "UnstructuredCellTypes",
        {"CompleteQuadraticSimplicialElements": "Addnodestocompletepolynomialbasis"},
    ),
    "ProgrammableSource": ("ProgrammableSource", {"InformationScript": "ScriptRequestInformation"}),
}

_FILTERS: dict[str, tuple[str, dict[str, str]]] = {
    "Contour": ("Contour", {"SelectInputScalars": "ContourBy", "ContourValues": "Isosurfaces"}),
    "Clip": ("Clip", {"ClipFunction": "ClipType"}),
    "Cut": ("Slice", {"CutFunction": "SliceType", "ContourValues": "SliceOffsetValues"}),
    "Threshold": ("Threshold", {"SelectInputScalars": "Scalars"}),
    "Calculator": ("Calculator", {}),
    "ElevationFilter": ("Elevation", {}),
    "ShrinkFilter": ("Shrink", {}),
    "DataSetSurfaceFilter": ("ExtractSurface", {}),
    "Glyph": ("Glyph", {"Source": "GlyphType"}),
    "CellDataToPointData": ("CellDatatoPointData", {}),
    "PointDataToCellData": ("PointDatatoCellData", {}),
    "TriangleFilter": ("Triangulate", {}),
    "TessellatorFilter": ("Tessellate", {}),
    "TableToPolyData": ("TableToPoints", {}),
    "TransformFilter": ("Transform", {}),
    "GenerateIdScalars": ("GenerateIds", {}),
    "PolyDataNormals": ("GenerateSurfaceNormals", {}),
    "DecimatePro": ("Decimate", {}),
    "SmoothPolyDataFilter": ("Smooth", {}),
    "TubeFilter": ("Tube", {"SelectInputScalars": "Scalars", "SelectInputVectors": "Vectors"}),
    "Delaunay2D": ("Delaunay2D", {}),
    "Delaunay3D": ("Delaunay3D", {}),
    "FeatureEdges": ("FeatureEdges", {}),
    "MaskPoints": ("MaskPoints", {"RandomMode": "RandomSampling", "RandomModeType": "RandomSamplingMode"}),
    "WarpScalar": ("WarpByScalar", {"SelectInputScalars": "Scalars"}),
    "WarpVector": ("WarpByVector", {"SelectInputVectors": "Vectors"}),
    "RandomAttributeGenerator": ("RandomAttributes", {}),
    "BrownianPoints": ("RandomVectors", {}),
    "ExtractGrid": ("ExtractSubset", {}),
    "CleanPolyData": ("Clean", {}),
    "CleanUnstructuredGrid": ("CleantoGrid", {}),
    "PassArrays": ("PassArrays", {}),
    "ExtractEdges": ("ExtractEdges", {}),
    "CellCenters": ("CellCenters", {}),
    "PVConnectivityFilter": ("Connectivity", {}),
    "Curvatures": ("Curvature", {}),
    "ExtractGeometry": (
        "ExtractCellsByRegion",
        {"ImplicitFunction": "IntersectWith", "ExtractInside": "ExtractionSide"},
    ),
    "GhostCellsGenerator": ("GhostCellsGenerator", {}),
    "StreamTracer": (
        "StreamTracer",
        {
            "SelectInputVectors": "Vectors",
            "Source": "SeedType",
            "InitialIntegrationStep": "InitialStepLength",
            "MinimumIntegrationStep": "MinimumStepLength",
            "MaximumIntegrationStep": "MaximumStepLength",
            "MaximumNumberOfSteps": "MaximumSteps",
            "MaximumPropagation": "MaximumStreamlineLength",
        },
    ),
    "ProbeLine": ("PlotOverLine", {}),
    "ProbeLineLegacy": ("PlotOverLineLegacy", {}),
    "ProbePoint": ("ProbeLocation", {"Source": "ProbeType"}),
    "IntegrateAttributes": ("IntegrateVariables", {}),
    "MinMax": ("MinMax", {}),
    "ExtractHistogram": ("Histogram", {}),
    "ResampleToImage": ("ResampleToImage", {}),
    "ResampleWithDataset": ("ResampleWithDataset", {}),
    "Gradient": ("Gradient", {"SelectInputScalars": "ScalarArray"}),
    "ReflectionFilter": ("Reflect", {}),
    "GroupDataSets": ("GroupDatasets", {}),
    "MergeBlocks": ("MergeBlocks", {}),
    "ExtractBlock": ("ExtractBlock", {}),
    "Append": ("AppendDatasets", {}),
    "AppendAttributes": ("AppendAttributes", {}),
    "ProgrammableFilter": (
        "ProgrammableFilter",
        {"InformationScript": "RequestInformationScript", "UpdateExtentScript": "RequestUpdateExtentScript"},
    ),
    "PythonCalculator": ("PythonCalculator", {}),
    "RedistributeDataSet": ("RedistributeDataSet", {}),
    "D3": ("D3", {"MinimumGhostLevel": "MinimumNumberOfGhostLevels", "UseMinimalMemory": "MinimalMemory"}),
    "AnnotateAttributeData": ("AnnotateAttributeData", {}),
    # pvcore/definitions/filters_more*.py: the types whose XML name is another, or whose properties are renamed.
    "OutlineFilter": ("Outline", {}),
    "OutlineCornerFilter": ("OutlineCorners", {}),
    "DataSetTriangleFilter": ("Tetrahedralize", {}),
    "LinearExtrusionFilter": ("LinearExtrusion", {}),
    "RotationalExtrusionFilter": ("RotationalExtrusion", {}),
    "RibbonFilter": ("Ribbon", {"SelectInputScalars": "Scalars", "SelectInputVectors": "Vectors"}),
    "Stripper": ("TriangleStrips", {}),
    "LoopSubdivisionFilter": ("LoopSubdivision", {}),
    "PolyDataTangents": ("GenerateSurfaceTangents", {}),
    "RectilinearGridToPointSet": ("RectilinearDatatoPointSet", {}),
    "QuadricClustering": ("QuadricClustering", {"NumberOfDivisions": "NumberofDimensions"}),
    "CountCellFaces": ("CountCellFaces", {"OutputArrayName": "FacesArrayName"}),
    "CountCellVertices": ("CountCellVertices", {"OutputArrayName": "VerticesArrayName"}),
    "ExtractComponent": ("ExtractComponent", {"SelectInputArray": "InputArray"}),
    "DeflectNormals": ("DeflectNormals", {"SelectInputVectors": "Vectors"}),
    "MergeVectorComponents": (
        "MergeVectorComponents",
        {"XArrayName": "XArray", "YArrayName": "YArray", "ZArrayName": "ZArray"},
    ),
    "RenameArrays": (
        "RenameArrays",
        {"PointArrayNames": "PointArrays", "CellArrayNames": "CellArrays", "FieldArrayNames": "FieldArrays"},
    ),
}

#: ParaView's readers of the formats this project's reader opens (its file property is FileName or FileNames).
_READERS = (
    "XMLUnstructuredGridReader", "XMLPolyDataReader", "XMLImageDataReader", "XMLStructuredGridReader",
    "XMLRectilinearGridReader", "XMLPUnstructuredGridReader", "XMLPPolyDataReader", "XMLPImageDataReader",
    "XMLPStructuredGridReader", "XMLPRectilinearGridReader", "XMLMultiBlockDataReader", "LegacyVTKFileReader",
    "stlreader", "PLYReader", "objreader", "CSVReader", "ExodusIIReader", "IOSSReader",
)  # fmt: skip

#: Both spellings of a reader's file property (FileName would otherwise be claimed by the rename alone).
_FILE_NAMES = {"FileName": "FileName", "FileNames": "FileName"}

#: The representations of a render view that draw a dataset's geometry (all become this project's one).
_REPRESENTATIONS = (
    "GeometryRepresentation", "GeometryRepresentationWithFaces", "UnstructuredGridRepresentation",
    "UniformGridRepresentation", "StructuredGridRepresentation", "UnstructuredGridBaseRepresentation",
)  # fmt: skip

#: (ParaView group, XML name) -> this project's type. Helpers (a Clip's plane, a Glyph's shape) are found by
#: the name alone, in the helper group of the property that holds them.
TABLE: dict[tuple[str, str], Row] = {
    **{("sources", xml): Row("sources", ours) for xml, ours in _SOURCES.items()},
    **{("sources", xml): Row("sources", ours, renames) for xml, (ours, renames) in _RENAMED_SOURCES.items()},
    **{("filters", xml): Row("filters", ours, renames) for xml, (ours, renames) in _FILTERS.items()},
    **{("sources", xml): Row("sources", "FileReader", _FILE_NAMES) for xml in _READERS},
    **{("representations", xml): Row("representations", "GeometryRepresentation") for xml in _REPRESENTATIONS},
    ("views", "RenderView"): Row("views", "RenderView"),
    ("lookup_tables", "PVLookupTable"): Row("lookup_tables", "PVLookupTable"),
    ("representations", "ScalarBarWidgetRepresentation"): Row("scalar_bars", "ScalarBarWidgetRepresentation"),
    ("piecewise_functions", "PiecewiseFunction"): Row("piecewise_functions", "PiecewiseFunction"),
    ("annotations", "GridAxes3DActor"): Row("rendering_helpers", "GridAxes3DActor"),
    ("representations", "GridAxesRepresentation"): Row("rendering_helpers", "GridAxesRepresentation"),
    ("representations", "PolarAxesRepresentation"): Row("rendering_helpers", "PolarAxesRepresentation"),
    ("transfer_2d_functions", "TransferFunction2D"): Row("rendering_helpers", "TransferFunction2D"),
    ("parametric_functions", "Spline"): Row("parametric_functions", "Spline"),
    ("extended_sources", "FixedRadiusPointSource"): Row("extended_sources", "FixedRadiusPointSource"),
    ("extended_sources", "PointSource"): Row("extended_sources", "PointCloud"),
    ("extended_sources", "HighResLineSource"): Row("extended_sources", "Line"),
    ("implicit_functions", "Cylinder"): Row("implicit_functions", "Cylinder"),
    ("implicit_functions", "Scalar"): Row("implicit_functions", "Scalar"),
    ("materials", "MaterialLibrary"): Row("rendering_helpers", "MaterialLibrary"),
    ("implicit_functions", "Plane"): Row("implicit_functions", "Plane"),
    ("implicit_functions", "Sphere"): Row("implicit_functions", "Sphere"),
    ("implicit_functions", "Box"): Row("implicit_functions", "Box"),
    ("implicit_functions", "PerlinNoise"): Row("implicit_functions", "PerlinNoise"),
    ("extended_sources", "Transform3"): Row("transforms", "Transform", {"Position": "Translate", "Rotation": "Rotate"}),
}

#: ParaView's scalar bar, listed among its view's representations: here a proxy that names its view, and the
#: ScalarBarVisibility of the representations coloured by its colour map.
SCALAR_BAR = ("representations", "ScalarBarWidgetRepresentation")

#: The collections whose proxies a state is made of; the others hold ParaView's application state (animation,
#: layouts, time keeper, settings, helpers of their owners...), which this project does not keep apart.
LOADED_COLLECTIONS = ("sources", "lookup_tables", "representations", "scalar_bars", "views")

#: ParaView's array associations (vtkDataObject::FieldAssociations) by the integer a state stores.
ASSOCIATIONS = {"0": "POINTS", "1": "CELLS", "2": "FIELD"}


#: ParaView's XML name of each source and filter that ParaView names otherwise than this project ("Sphere" is
#: ParaView's "SphereSource"): what ``proxy.GetXMLName()`` answers, as ParaView's proxies do.
XML_NAMES: dict[tuple[str, str], str] = {
    (row.group, row.name): xml
    for (group, xml), row in TABLE.items()
    if group in ("sources", "filters") and row.name != "FileReader"  # the readers by name are their own types
}


def xml_name(group: str, name: str) -> str:
    """ParaView's XML name of this project's type ``name`` in ``group`` (the name itself where they agree)."""
    return XML_NAMES.get((group, name), name)


def row_for(group: str, xml_name: str) -> Row | None:
    """This project's type for a ParaView proxy, or None if the table has none."""
    return TABLE.get((group, xml_name))


def plain(name: str) -> str:
    """A name without case, spaces and underscores: how ParaView's and this project's names are compared."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def property_name(spec: ProxySpec, row: Row, xml_name: str) -> str | None:
    """This project's property of ``spec`` for ParaView's XML property ``xml_name``, or None if it has none."""
    renamed = row.renames.get(xml_name)
    if renamed is not None:
        return renamed
    wanted = plain(xml_name)
    taken = set(row.renames.values())  # a renamed property is not also another XML property's by spelling
    return next((p.name for p in spec.properties if plain(p.name) == wanted and p.name not in taken), None)

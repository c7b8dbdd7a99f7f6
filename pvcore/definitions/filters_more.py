"""More of ParaView's filters on geometry: outlines, extrusions, ribbons, strips, subdivisions, clustering,
texture coordinates and line tools, by ParaView's names (its ``paraview.simple`` spellings), defaults and domains.

ParaView 5.11's proxy definitions are the reference for each entry (``filters_filtersparallel.xml``,
``filters_filtersgeneral.xml``, ``filters_filtersmodeling.xml``, ``filters_filterscore.xml``,
``filters_filterstexture.xml``, ``filters_filterspoints.xml`` and VTKExtensions' ``general_filters.xml``). A
property that needs behaviour no VTK setter has is left out, and named in the entry's comment.
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import ArraySelection, Bool, Double, Enum, Filter, Input, Int, Vec3
from pvcore.domains import ArrayListDomain, VectorArrayDomain
from pvcore.schema import Applier

_POLYDATA = Input(data_types=("vtkPolyData",))
_DATASET = Input(data_types=("vtkDataSet",))

DEFINITIONS = (
    # The outlines lie at the bounds of all ranks' pieces together, once, on rank 0 (as vtkPOutlineFilter's).
    Filter(
        "Outline", "OutlineAdapter", "The twelve edges of the box that bounds the input (all ranks' pieces).",
        _DATASET,
        size=sizes.OUTLINE,
    ),
    Filter(
        "OutlineCorners", "OutlineCornersAdapter", "The corners of the box that bounds the input, as short lines.",
        _DATASET,
        Double("CornerFactor", 0.2, minimum=0.001, maximum=0.5, doc="Length of a corner's lines, per box side."),
        size=sizes.OUTLINE_CORNERS,
    ),
    Filter("PassThrough", "vtkPassThrough", "Passes its input on unchanged.", _DATASET),
    Filter(
        "Tetrahedralize", "vtkDataSetTriangleFilter", "Splits 3D cells into tetrahedra and 2D cells into triangles.",
        _DATASET,
        size=sizes.TETRAHEDRALIZE,
    ),
    # ParaView's PieceInvariant (ghost cells, so that no piece boundary is extruded) is left out: the pieces'
    # own boundaries are extruded, as with ParaView's default (0).
    Filter(
        "LinearExtrusion", "LinearExtrusionAdapter", "Sweeps a surface or lines along a vector into walls.",
        _POLYDATA,
        Double("ScaleFactor", 1.0, doc="Length of the sweep, as a multiple of Vector."),
        Vec3("Vector", (0, 0, 1), doc="Direction of the sweep."),
        Bool("Capping", 1, doc="Close the swept walls with copies of the input's polygons."),
        size=sizes.LINEAR_EXTRUSION,
    ),
    Filter(
        "RotationalExtrusion", "vtkRotationalExtrusionFilter", "Sweeps a surface or lines about an axis.",
        _POLYDATA,
        Int("Resolution", 12, minimum=1, doc="Steps of the sweep."),
        Bool("Capping", 1),
        Double("Angle", 360.0, doc="The sweep's angle, in degrees."),
        Double("Translation", 0.0, doc="Distance moved along the axis during the sweep."),
        Double("DeltaRadius", 0.0, doc="Change of the radius during the sweep."),
        Vec3("RotationAxis", (0, 0, 1)),
        size=sizes.ROTATIONAL_EXTRUSION,
    ),
    # ParaView's Width defaults to 1% of the input's largest extent (a bounds domain this project lacks): 1 here.
    Filter(
        "Ribbon", "vtkRibbonFilter", "Flat ribbons along the lines of a polygonal dataset.",
        _POLYDATA,
        ArraySelection("Scalars", doc="Point array that may vary the width.", domain=ArrayListDomain()),
        ArraySelection(
            "Vectors", doc="Point normals that orient the ribbon.", apply=Applier("input_array", index=1)
        ),
        Double("Width", 1.0, doc="The half-width of the ribbon."),
        Double("Angle", 0.0, minimum=0.0, maximum=360.0, doc="Rotation of the ribbon about its line (degrees)."),
        Bool("UseDefaultNormal", 0),
        Vec3("DefaultNormal", (0, 0, 1)),
        Bool("VaryWidth", 0, doc="Vary the width by the Scalars."),
        size=sizes.RIBBON,
    ),
    Filter(
        "TriangleStrips", "vtkStripper", "Joins triangles into triangle strips and lines into polylines.",
        _POLYDATA,
        Int("MaximumLength", 1000, minimum=4, maximum=100000, doc="The most triangles in one strip."),
    ),
    Filter(
        "LoopSubdivision", "vtkLoopSubdivisionFilter", "Subdivides a triangle mesh, smoothing it (Loop's scheme).",
        _POLYDATA,
        Int("NumberofSubdivisions", 1, minimum=1, maximum=4, setter="SetNumberOfSubdivisions"),
        size=sizes.SUBDIVISION,
    ),
    Filter(
        "Subdivide", "vtkLinearSubdivisionFilter", "Splits each triangle into four, keeping the surface's shape.",
        _POLYDATA,
        Int("NumberofSubdivisions", 1, minimum=1, maximum=4, setter="SetNumberOfSubdivisions"),
        size=sizes.SUBDIVISION,
    ),
    # Each rank clusters its own piece (ParaView's QuadricClustering is not parallel either).
    Filter(
        "QuadricClustering", "vtkQuadricClustering", "Decimates a surface by merging its points in a grid of bins.",
        _POLYDATA,
        Int("NumberofDimensions", (50, 50, 50), setter="SetNumberOfDivisions", doc="Bins on each axis."),
        Bool("UseInputPoints", 1, doc="Represent each bin by one of its input points."),
        Bool("UseFeatureEdges", 0),
        Bool("UseFeaturePoints", 0),
        Bool("CopyCellData", 1),
        Bool("UseInternalTriangles", 0),
    ),
    Filter(
        "TextureMaptoPlane", "vtkTextureMapToPlane", "Texture coordinates by projection onto a plane.",
        _DATASET,
        Vec3("Origin", doc="The plane's origin (texture coordinate 0, 0), unless Automatic."),
        Vec3("Point1", doc="The end of the plane's s axis."),
        Vec3("Point2", doc="The end of the plane's t axis."),
        Bool("Automatic", 1, setter="SetAutomaticPlaneGeneration", doc="Fit the plane to the points."),
    ),
    # The sphere's centre is the mean of all ranks' points, as vtkPTextureMapToSphere computes it.
    Filter(
        "TextureMaptoSphere", "TextureMapToSphereAdapter", "Texture coordinates by projection onto a sphere.",
        _DATASET,
        Bool("PreventSeam", 1, doc="Run s from 0 to 1 and back, so that no seam shows."),
    ),
    # ParaView's Point1 and Point2 default from the input's bounds; unused while GenerateCylinderAutomatically.
    Filter(
        "TextureMaptoCylinder", "vtkTextureMapToCylinder", "Texture coordinates by projection onto a cylinder.",
        _DATASET,
        Bool("PreventSeam", 1),
        Bool("GenerateCylinderAutomatically", 1, setter="SetAutomaticCylinderGeneration"),
        Vec3("Point1", doc="One end of the cylinder's axis, unless automatic."),
        Vec3("Point2", doc="The other end of the cylinder's axis."),
    ),
    Filter(
        "ReverseSense", "vtkReverseSense", "Reverses the order of the cells' points, and the normals.",
        _POLYDATA,
        Bool("ReverseCells", 1),
        Bool("ReverseNormals", 0),
    ),
    Filter(
        "DecimatePolyline", "vtkDecimatePolylineFilter", "Removes points of polylines where they bend least.",
        _POLYDATA,
        Double("TargetReduction", 0.9, minimum=0.0, maximum=1.0),
        Double("MaximumError", 1.79769e308),
    ),
    Filter(
        "GenerateSurfaceTangents", "vtkPolyDataTangents", "Point tangents of a triangle surface with normals and "
        "texture coordinates (for normal mapping).",
        _POLYDATA,
        Bool("ComputeCellTangents", 0),
    ),
    Filter(
        "DeflectNormals", "vtkDeflectNormals", "Deflects the surface normals by a vector field.",
        _DATASET,
        ArraySelection("Vectors", doc="The point vectors to deflect by.", domain=VectorArrayDomain()),
        Double("ScaleFactor", 1.0),
        Bool("UseUserNormal", 0),
        Vec3("UserNormal", (0, 0, 1)),
    ),
    Filter(
        "AppendArcLength", "vtkAppendArcLength", "A point array arc_length: the distance along each polyline.",
        _POLYDATA,
    ),
    Filter(
        "ConvertToPointCloud", "vtkConvertToPointCloud", "The input's points, without its cells.",
        _DATASET,
        Enum(
            "CellGenerationMode", "Polyvertex cell", ("No cells", "Polyvertex cell", "Vertex cells"),
            apply=Applier("enum_index", "SetCellGenerationMode"),
        ),
    ),
)  # fmt: skip

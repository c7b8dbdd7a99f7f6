"""ParaView's Stream Tracer and its seed types, by ParaView 5.11's names, defaults and domains
(``Remoting/Application/Resources/filters_filtersflowpaths.xml``, StreamTracer; its seeds are the
``extended_sources`` PointSource, labelled "Point Cloud", and HighResLineSource, labelled "Line").

A seed type is a helper proxy the tracer owns (``SeedType``), as a Clip owns its plane. Its type names are
identifiers: ParaView's "Point Cloud" is ``PointCloud`` here (``StreamTracer(SeedType="PointCloud")``); "Line"
is the same.

On several ranks a streamline may leave the piece its seed lies in: the ranks' pieces of the vector field are
gathered on rank 0, which traces every streamline through the whole field (the output is on rank 0 only), so the
result is the one a single rank computes. Rank 0 then holds the whole input for the time of the update.
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import ArraySelection, Bool, Double, Enum, Filter, Int, Proxy, SubProxy, Vec3
from pvcore.domains import BoundsDomain, ScaledExtentDomain, VectorArrayDomain
from pvcore.schema import Applier

#: The helper group of the seed types, and the types.
SEED_SOURCES = "extended_sources"
SEED_TYPES = ("Line", "PointCloud")

DEFINITIONS = (
    Proxy(
        SEED_SOURCES, "PointCloud", "PointCloudSeeds",
        "Seeds at random points in a sphere (the same points at every update).",
        Vec3("Center", doc="Centre of the sphere.", domain=BoundsDomain("center")),
        Double("Radius", 0.0, minimum=0.0, domain=ScaledExtentDomain("0.1")),
        Int("NumberOfPoints", 100, minimum=1),
        size=sizes.POINTS,
    ),
    Proxy(
        SEED_SOURCES, "Line", "vtkLineSource", "Seeds evenly spaced along a line.",
        Vec3("Point1", doc="One end: the input's lowest corner at first.", domain=BoundsDomain("min")),
        Vec3("Point2", (1, 1, 1), doc="The other end: the input's highest corner.", domain=BoundsDomain("max")),
        Int("Resolution", 1000, minimum=1, doc="Segments of the line (seeds: one more)."),
        size=sizes.LINE,
    ),
    # Left out: ParaView's SurfaceStreamlines (surface vectors) and UseLocalSeedSource (a ParaView controller
    # option). Vectors starts at the input's first 3-component point array.
    Filter(
        "StreamTracer", "StreamTracerAdapter", "Streamlines of a vector field, traced from seed points.",
        ArraySelection(
            "Vectors", doc="The point vector array to integrate (none: the active vectors).",
            domain=VectorArrayDomain(), setter="SetVectors",
        ),
        SubProxy(  # the seeds are input port 1 of the tracer
            "SeedType", SEED_SOURCES, SEED_TYPES, doc="Where the streamlines start.",
            apply=Applier("input_port", index=1),
        ),
        Enum(
            "InterpolatorType", "Interpolator with Point Locator",
            ("Interpolator with Point Locator", "Interpolator with Cell Locator"),
            apply=Applier("enum_index", "SetInterpolatorType"),
        ),
        Enum(
            "IntegrationDirection", "BOTH", ("FORWARD", "BACKWARD", "BOTH"),
            apply=Applier("enum_index", "SetIntegrationDirection"),
        ),
        Enum(
            "IntegratorType", "Runge-Kutta 4-5", ("Runge-Kutta 2", "Runge-Kutta 4", "Runge-Kutta 4-5"),
            apply=Applier("enum_index", "SetIntegratorType"),
        ),
        Enum("IntegrationStepUnit", "Cell Length", ("Length", "Cell Length"), doc="The unit of the step lengths."),
        Double("InitialStepLength", 0.2, minimum=0.0, setter="SetInitialIntegrationStep"),
        Double("MinimumStepLength", 0.01, minimum=0.0, setter="SetMinimumIntegrationStep"),
        Double("MaximumStepLength", 0.5, minimum=0.0, setter="SetMaximumIntegrationStep"),
        Int("MaximumSteps", 2000, minimum=0, setter="SetMaximumNumberOfSteps"),
        Double(
            # No minimum: ParaView's traces may write a negative one (its domain on an input not yet run).
            "MaximumStreamlineLength", 1.0, setter="SetMaximumPropagation", domain=ScaledExtentDomain("1"),
            doc="The longest a streamline may grow: the input's longest side at first.",
        ),
        Double("TerminalSpeed", 1e-12, minimum=0.0, doc="Stop where the speed falls below this."),
        Double("MaximumError", 1e-6, minimum=0.0, doc="With Runge-Kutta 4-5: the error allowed per step."),
        Bool("ComputeVorticity", 1),
        size=sizes.STREAM_TRACER,
    ),
)  # fmt: skip

"""Filters that make, take apart and combine composite (multiblock, partitioned) datasets.

By ParaView's names, defaults and domains (its proxy XML is the reference for each entry: filters_filtersgeneral.xml
GroupDataSets, misc_filters.xml MergeBlocks, filters_filtersextraction.xml ExtractBlock, filters_filterscore.xml
Append "Append Datasets" and AppendAttributes). A filter that takes several inputs on one port (ParaView's
``multiple_input``) has an ``Input`` that lists them: ``GroupDatasets(Input=[sphere, wavelet])``.
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import Bool, Double, Enum, Filter, Input, Inputs, String, Strings
from pvcore.domains import InputNamesDomain
from pvcore.schema import Property, ProxySpec

#: ParaView's labels of the data types a merge or an append may produce (VTK_POLY_DATA 0, VTK_UNSTRUCTURED_GRID 4).
OUTPUT_DATASET_TYPES = ("Polygonal Mesh", "Unstructured Grid")
#: The composite types GroupDatasets may produce (VTK type ids 13, 37 and 38).
GROUP_OUTPUT_TYPES = ("vtkMultiBlockDataSet", "vtkPartitionedDataSet", "vtkPartitionedDataSetCollection")
#: What ExtractBlock and MergeBlocks take: composite datasets whose blocks form a tree.
_TREES = ("vtkMultiBlockDataSet", "vtkPartitionedDataSetCollection", "vtkUniformGridAMR")


def _output_dataset_type(doc: str) -> Property:
    return Enum(
        "OutputDataSetType", "Unstructured Grid", OUTPUT_DATASET_TYPES, doc=doc, numbers=(0, 4),
        setter="SetOutputDataSetTypeName",
    )  # fmt: skip


DEFINITIONS: tuple[ProxySpec, ...] = (
    Filter(
        "GroupDatasets",
        "GroupDatasetsFilter",
        "Groups several inputs into one multiblock dataset, a block each.",
        Inputs(doc="The datasets to group, one block each, in order."),
        Strings(
            "BlockNames",
            doc="The name of each input's block (unnamed ones are 'Block <i>'); by default the inputs' names.",
            domain=InputNamesDomain("Input"),
        ),
        Enum(
            "OutputType",
            "vtkMultiBlockDataSet",
            GROUP_OUTPUT_TYPES,
            doc="The kind of composite dataset made.",
            numbers=(13, 37, 38),
            setter="SetOutputTypeName",
        ),
        size=sizes.ALL_INPUTS,
    ),
    Filter(
        "MergeBlocks",
        "MergeBlocksFilter",
        "Appends every dataset of a composite dataset into one dataset.",
        Input(doc="The composite dataset to merge.", data_types=("vtkDataObjectTree",)),
        _output_dataset_type(
            "The type made: with 'Polygonal Mesh' only polygonal blocks are merged; 'Unstructured Grid' takes all."
        ),
        Bool("MergePartitionsOnly", 0, doc="Merge the partitions of each block only, keeping the blocks."),
        Bool("MergePoints", 1, doc="Merge points closer than Tolerance."),
        Double("Tolerance", 0.0, minimum=0.0, doc="How close points must be to be merged."),
        Bool("ToleranceIsAbsolute", 0, doc="Tolerance is a distance (else a fraction of the bounds' diagonal)."),
    ),
    Filter(
        "ExtractBlock",
        "ExtractBlockFilter",
        "Extracts the blocks that selectors choose from a composite dataset.",
        Input(doc="The composite dataset to extract blocks from.", data_types=_TREES),
        String(
            "Assembly",
            "Hierarchy",
            doc="The assembly the selectors walk ('Hierarchy': the blocks' tree).",
            setter="SetAssemblyName",
        ),
        Strings(
            "Selectors",
            doc="Paths of the blocks to extract, such as '/Root/Sphere1' (a block's name without "
            "spaces; '//Sphere1' anywhere in the tree).",
        ),
    ),
    Filter(
        "AppendDatasets",
        "AppendDatasetsFilter",
        "Appends several datasets into one dataset.",
        Inputs(doc="The datasets to append, in order.", data_types=("vtkDataSet",)),
        _output_dataset_type(
            "The type made: with 'Polygonal Mesh' only polygonal inputs are appended; 'Unstructured Grid' takes all."
        ),
        size=sizes.ALL_INPUTS,
    ),
    Filter(
        "AppendAttributes",
        "AppendAttributesFilter",
        "Puts the arrays of several inputs of the same geometry on the first's.",
        Inputs(doc="The datasets whose arrays are merged; inputs of other point or cell counts are left out."),
        size=sizes.ALL_INPUTS,
    ),
)

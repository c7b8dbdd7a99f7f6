"""The bundled proxy definitions, one module per family, each with a tuple ``DEFINITIONS``.

A proxy type is described once, in the module of its family (:mod:`pvcore.schema` says what a description holds,
:mod:`pvcore.definitions.builders` gives the short spellings). :func:`bundled` collects them all; a server adds
its operator's plugins (``pvserver --plugin FILE``, a file of the same form) and sends the whole catalogue to
every client in its welcome. Imports no VTK: the names of VTK classes and adapters are resolved by the server.
"""

from __future__ import annotations

from pvcore.definitions import (
    filters_analysis,
    filters_common,
    filters_common_flow,
    filters_composite,
    filters_core,
    filters_general,
    filters_more,
    filters_more_arrays,
    filters_programmable,
    filters_surface,
    filters_temporal,
    helpers,
    readers,
    readers_named,
    selections,
    sources,
    sources_menu,
    sources_more,
    views,
    views_charts,
    views_helpers,
    views_representation,
    views_text,
)
from pvcore.schema import Catalogue, ProxySpec

#: The bundled definitions modules, in the order their types are listed.
MODULES = (
    sources,
    sources_more,
    sources_menu,
    readers,
    readers_named,
    helpers,
    filters_core,
    filters_general,
    filters_surface,
    filters_common,
    filters_common_flow,
    filters_analysis,
    filters_composite,
    filters_more,
    filters_more_arrays,
    filters_programmable,
    filters_temporal,
    selections,
    views,
    views_charts,
    views_helpers,
    views_representation,
    views_text,
)


def bundled_definitions() -> tuple[ProxySpec, ...]:
    """Every bundled proxy type."""
    return tuple(spec for module in MODULES for spec in module.DEFINITIONS)


def bundled() -> Catalogue:
    """A new catalogue holding every bundled proxy type."""
    return Catalogue(bundled_definitions())

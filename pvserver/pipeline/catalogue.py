"""The server's catalogue: the bundled proxy definitions (:mod:`pvcore.definitions`) plus its operator's plugins.

A plugin is a definitions module in a file of its own, a ``.py`` file with a tuple ``DEFINITIONS`` of
:class:`~pvcore.schema.ProxySpec` (written with :mod:`pvcore.definitions.builders`), loaded with
``pvserver --plugin FILE`` on every rank before the server serves. Its code runs in the server: it is trusted,
as the server's operator chose it; no client can name one. A plain VTK filter needs no Python code beyond its
entry: the ranks make its VTK class by name (see :mod:`pvserver.pipeline.adapters`).

It imports neither VTK nor MPI.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from pvcore.definitions import bundled
from pvcore.domains import DOMAINS
from pvcore.schema import Catalogue, Property, ProxySpec

#: Every proxy type this server offers: what its welcome sends (``CATALOGUE.to_plain()``).
CATALOGUE: Catalogue = bundled()


def get(group: str, name: str) -> ProxySpec:
    """The spec of ``name`` in ``group``, or UnknownProxyTypeError naming the nearest types."""
    return CATALOGUE.get(group, name)


def specs(group: str | None = None) -> list[ProxySpec]:
    """All specs, or those of one group, in registration order."""
    return CATALOGUE.specs(group)


def subproxy_spec(prop: Property, type_name: str) -> ProxySpec:
    """The helper proxy type ``type_name`` allowed by the subproxy property ``prop``."""
    return CATALOGUE.subproxy_spec(prop, type_name)


def load_plugin(path: str | Path, catalogue: Catalogue | None = None) -> list[ProxySpec]:
    """Add the types of the definitions module file ``path`` to the server's catalogue (or to ``catalogue``).

    All or nothing: a file that cannot be run, has no ``DEFINITIONS`` tuple of proxy specs, or defines a type the
    catalogue already has adds nothing and raises ValueError saying why.
    """
    path = Path(path).resolve()
    target = CATALOGUE if catalogue is None else catalogue
    if path.suffix != ".py" or not path.is_file():
        raise ValueError(f"Plugin {path} is not a Python file (a definitions module ending in .py).")
    name = f"pvcollab_plugin_{path.stem}_{hashlib.sha256(str(path).encode()).hexdigest()[:8]}"
    loader = importlib.util.spec_from_file_location(name, path)
    if loader is None or loader.loader is None:
        raise ValueError(f"Plugin {path} cannot be loaded as a Python module.")
    module = importlib.util.module_from_spec(loader)
    try:
        loader.loader.exec_module(module)
    except Exception as exc:
        raise ValueError(f"Plugin {path} failed to load: {type(exc).__name__}: {exc}") from exc
    definitions = getattr(module, "DEFINITIONS", None)
    if not isinstance(definitions, (tuple, list)) or not all(isinstance(s, ProxySpec) for s in definitions):
        raise ValueError(
            f"Plugin {path} must define DEFINITIONS, a tuple of proxy specs (pvcore.definitions.builders)."
        )
    clashes = [f"{s.group}/{s.name}" for s in definitions if target.has(s.group, s.name)]
    names = [(s.group, s.name) for s in definitions]
    clashes += [f"{g}/{n}" for g, n in dict.fromkeys(names) if names.count((g, n)) > 1]
    if clashes:
        raise ValueError(f"Plugin {path} defines types that exist already: {', '.join(clashes)}.")
    missing = [
        f"{s.name}.{p.name}: {p.subproxy_group}/{t}"
        for s in definitions
        for p in s.properties
        if p.kind == "subproxy"
        for t in p.values
        if not target.has(p.subproxy_group, t) and (p.subproxy_group, t) not in names
    ]
    if missing:
        raise ValueError(f"Plugin {path} names helper types that no catalogue defines: {', '.join(missing)}.")
    foreign = [
        f"{s.name}.{p.name}"
        for s in definitions
        for p in s.properties
        if p.domain is not None and type(p.domain) not in DOMAINS.values()
    ]
    if foreign:  # a client could not be told what they are
        raise ValueError(
            f"Plugin {path} gives properties domains of its own: {', '.join(foreign)}; use those of pvcore.domains."
        )
    for spec in definitions:
        target.add(spec)
    return list(definitions)

"""The layers of shared/DESIGN.md as a test: which package may import which, and no import cycle.

``pvcore`` imports no other package of the project; the generated protobuf code (``pvwire``) is imported only by
the two edges; the server never imports the client. What the client still takes from the server is listed in
``CLIENT_TAKES_FROM_SERVER``, each entry a debt to pay (the built-in session's engine, pvbatch's ranks): a new
one fails this test. The proxy types come from the server's welcome (pvclient.catalogues), not from its package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("pvcore", "pvwire", "pvserver", "pvclient", "simple", "paraview")
#: package -> the project packages it may import
ALLOWED = {
    "pvcore": set(),
    "pvwire": {"pvcore"},
    "pvserver": {"pvcore", "pvwire"},
    "pvclient": {"pvcore", "pvwire", "pvserver"},
    "simple": {"pvcore", "pvclient", "pvserver"},
    # ParaView's package name for simple, and ParaView's modules made of client parts (smtrace, smstate).
    "paraview": {"simple", "pvclient", "pvcore"},
}
#: The command lines (pvpython, pvbatch): programs on top of ``simple``, though they live in pvclient.
PROGRAMS = {"pvclient.cli", "pvclient.batch"}
#: The only modules that may import the generated protobuf code: the server's front end and the client's transport.
WIRE_EDGES = {"pvserver.frontend", "pvserver.outbox", "pvclient.transport", "pvwire.codec", "pvwire.pvcollab_pb2_grpc"}
#: What the client side still imports from the server package (to move below both edges).
CLIENT_TAKES_FROM_SERVER = {
    "pvclient.batch": {"pvserver.cli", "pvserver.worker"},  # pvbatch: the server's ranks and logging, in-process
    "pvclient.transport": {"pvserver.engine", "pvserver.parallel", "pvserver.service"},  # the built-in session
    "simple.layouts": {"pvserver.rendering.imaging"},  # the PNG/JPEG codec, to compose screenshots of layouts
}


def modules() -> dict[str, Path]:
    """Every module of the project's packages by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, module: str, top_level_only: bool = False) -> set[str]:
    """The project modules ``path`` imports (those inside functions too, unless ``top_level_only``)."""
    tree = ast.parse(path.read_text())
    return _named(tree.body if top_level_only else ast.walk(tree), path, module)


def function_imports(path: Path, module: str) -> set[str]:
    """The project modules ``path`` imports inside its functions."""
    tree = ast.parse(path.read_text())
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return _named((node for f in functions for node in ast.walk(f)), path, module)


def _named(nodes: Iterable[ast.AST], path: Path, module: str) -> set[str]:
    """The project modules that the import statements among ``nodes`` name."""
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def test_each_package_imports_only_the_layers_below_it() -> None:
    wrong = []
    for module, path in modules().items():
        package = module.split(".")[0]
        for target in imports(path, module):
            other = target.split(".")[0]
            if other != package and other not in ALLOWED[package] and not (module in PROGRAMS and other == "simple"):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_only_the_edges_import_the_generated_code() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, path in modules().items()
        for target in imports(path, module)
        if target.startswith("pvwire") and module not in WIRE_EDGES and not module.startswith("pvwire")
    ]
    assert not wrong, "\n".join(sorted(wrong))


def test_the_client_takes_from_the_server_only_what_is_listed() -> None:
    known = set(modules())
    taken = {}
    for module, path in modules().items():
        if module.split(".")[0] in ("pvclient", "simple"):
            targets = {t for t in imports(path, module) if t.startswith("pvserver")}
            targets = {t if t in known else t.rpartition(".")[0] for t in targets}
            targets = {t for t in targets if not any(u.startswith(t + ".") for u in targets)}  # packages on the way
            if targets:
                taken[module] = targets
    assert taken == CLIENT_TAKES_FROM_SERVER


def test_no_import_cycle() -> None:
    """Among module-level imports (what runs when a module loads)."""
    known = modules()
    graph = {
        module: {t if t in known else t.rpartition(".")[0] for t in imports(path, module, top_level_only=True)}
        & set(known)
        for module, path in known.items()
    }
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, targets = stack[-1]
            for target in targets:
                if target == node:
                    continue
                if state.get(target) == 1:
                    return [*path[path.index(target) :], target]
                if target not in state:
                    state[target] = 1
                    stack.append((target, iter(sorted(graph[target]))))
                    path.append(target)
                    break
            else:
                stack.pop()
                state[path.pop()] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            found = cycle_from(module)
            assert found is None, " -> ".join(found)


def test_no_import_inside_a_function_dodges_a_cycle() -> None:
    """An import inside a function is for laziness only (VTK, gRPC, the engine a remote client never loads): were
    it at the top of its module, it would make no cycle."""
    known = modules()

    def resolve(targets: set[str]) -> set[str]:
        return {t if t in known else t.rpartition(".")[0] for t in targets} & set(known)

    graph = {module: resolve(imports(path, module, top_level_only=True)) for module, path in known.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, stack = set(), [start]
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(graph.get(node, ()))
        return False

    dodges = [
        f"{module} imports {target} inside a function: at the top it would close a cycle"
        for module, path in known.items()
        for target in sorted(resolve(function_imports(path, module)) - graph[module])
        if target != module and reaches(target, module)
    ]
    assert not dodges, "\n".join(dodges)

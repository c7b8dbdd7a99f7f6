"""The query of a SelectionQuerySource (``QuerySelect(QueryString="Temp > 300")``): a NumPy-like expression of the
selected elements' arrays, evaluated here as a mask, one truth value per element.

ParaView runs the query as Python (its Python Calculator). A query arrives from the network, so here it is parsed
(Python's ``ast``) and only an allow-list is evaluated: numbers, the arrays of the elements (under ParaView's
valid-name spelling: characters other than letters, digits and ``_`` dropped, ``a`` before a leading digit),
``id`` (the element's index in its rank's piece, as in ParaView), ``pi`` and ``e``, lists of numbers, arithmetic,
comparisons (chained too), ``&``, ``|``, ``^``, ``~``, ``and``, ``or``, ``not``, a component (``Normals[:, 0]``),
and the functions of :data:`FUNCTIONS`. Anything else (attributes, other calls, lambdas, comprehensions, strings)
is a ValueError saying what was refused and what is allowed.

``max(...)`` and ``min(...)`` (``RTData == max(RTData)``) reduce over all the elements of every block on every
rank, as ParaView's do: :func:`reductions` names them, the caller computes each one's local value with
:func:`local_reductions`, combines the ranks' values (:func:`combine`) and passes the results to :func:`evaluate`.
"""

from __future__ import annotations

import ast
import operator
import string
from collections.abc import Callable
from typing import Any

import numpy as np

#: Longest query accepted, and most syntax nodes in one (each is one numpy operation on the piece's arrays).
MAX_LENGTH = 4000
MAX_NODES = 500

_VALID = frozenset("_" + string.ascii_letters + string.digits)


def _inrange(values: Any, low: Any, high: Any) -> Any:
    return np.logical_and(values >= low, values <= high)


def _mag(values: Any) -> Any:
    return np.linalg.norm(values, axis=-1) if np.ndim(values) > 1 else np.abs(values)


#: The functions a query may call: element-wise ones only (a reduction over the piece would differ by rank count).
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": np.abs,
    "mag": _mag,
    "sqrt": np.sqrt,
    "exp": np.exp,
    "log": np.log,
    "log10": np.log10,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "floor": np.floor,
    "ceil": np.ceil,
    "isnan": np.isnan,
    "inrange": _inrange,
    "in1d": np.isin,
    "isin": np.isin,
    "logical_and": np.logical_and,
    "logical_or": np.logical_or,
    "logical_not": np.logical_not,
}
CONSTANTS = {"pi": np.pi, "e": np.e}
#: Reductions over all the selected elements (every block, every rank): name -> how values combine.
REDUCTIONS: dict[str, Callable[..., Any]] = {"max": np.max, "min": np.min}

_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Mod: operator.mod, ast.Pow: operator.pow, ast.BitAnd: np.logical_and, ast.BitOr: np.logical_or,
    ast.BitXor: np.logical_xor,
}  # fmt: skip
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: np.logical_not, ast.Invert: np.logical_not}
_COMPARE = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}  # fmt: skip


class UnknownNameError(ValueError):
    """A query names an array that these elements lack (in a composite dataset: perhaps only this block)."""


def valid_name(name: str) -> str:
    """An array name as a query names it (ParaView's ``make_name_valid``)."""
    name = "".join(c for c in name or "" if c in _VALID)
    return "a" + name if name and not name[0].isalpha() else name


def allowed_text() -> str:
    """What a query may contain, in words, for error messages."""
    return (
        "numbers, the elements' array names, id, pi, e, lists of numbers, + - * / % **, comparisons, & | ^ ~, "
        f"and, or, not, a component like Normals[:, 0], the functions {', '.join(sorted(FUNCTIONS))}, and max(...) "
        "and min(...) over all the elements"
    )


def parse(query: str) -> ast.Expression:
    """The checked syntax tree of a query; ValueError naming what it may not contain."""
    if len(query) > MAX_LENGTH:
        raise ValueError(f"the query is {len(query)} characters long; at most {MAX_LENGTH} are allowed.")
    try:
        tree = ast.parse(query.strip() or "True", mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"the query {query[:80]!r} is no expression ({exc.msg}). Allowed: {allowed_text()}.") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ValueError(f"the query has {len(nodes)} parts; at most {MAX_NODES} are allowed.")
    for node in nodes:
        _check(node, query)
    for call in reductions(tree):
        if len(call.args) != 1 or any(inner is not call for inner in _reductions_in(call)):
            raise ValueError(
                f"the query {query[:80]!r}: max() and min() take one argument, with no max() or min() in it."
            )
    return tree


def _reductions_in(node: ast.AST) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(node)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in REDUCTIONS
    ]


def reductions(tree: ast.Expression) -> list[ast.Call]:
    """The max() and min() calls of a parsed query, in a fixed order (the same on every rank)."""
    return _reductions_in(tree)


def local_reductions(query: str, arrays: dict[str, Any], count: int) -> list[float | None]:
    """Each reduction's value over these elements (None where there are none, or where they lack an array)."""
    tree = parse(query)
    names = _names(arrays, count)
    values: list[float | None] = []
    for call in reductions(tree):
        try:
            with np.errstate(all="ignore"):
                argument = np.asarray(_Evaluator(names, query).visit(call.args[0]), float)
        except UnknownNameError:
            argument = np.zeros(0)
        values.append(float(REDUCTIONS[call.func.id](argument)) if argument.size and count else None)
    return values


def combine(query: str, per_rank: list[list[float | None]]) -> list[float]:
    """The reductions over every rank's (and block's) values: NaN where no element had one (selects nothing)."""
    calls = reductions(parse(query))
    combined = []
    for i, call in enumerate(calls):
        values = [v[i] for v in per_rank if v[i] is not None]
        combined.append(float(REDUCTIONS[call.func.id](values)) if values else float("nan"))
    return combined


def names_used(query: str) -> set[str]:
    """The array names (and ``id``) a query reads."""
    tree = parse(query)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called} - set(CONSTANTS)


def _names(arrays: dict[str, Any], count: int) -> dict[str, Any]:
    names = {valid_name(name): values for name, values in arrays.items() if valid_name(name)}
    names.setdefault("id", np.arange(count))
    return names


_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Name, ast.Constant, ast.Load, ast.List,
    ast.Tuple, ast.Subscript, ast.Slice, ast.And, ast.Or, ast.Call,
    *_BINARY, *_UNARY, *_COMPARE,
)  # fmt: skip


def _check(node: ast.AST, query: str) -> None:
    what = ""
    if not isinstance(node, _ALLOWED_NODES):
        what = f"{type(node).__name__.lower()} syntax"
    elif isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, bool)):
        what = f"the constant {node.value!r}"
    elif isinstance(node, ast.Call) and (
        not isinstance(node.func, ast.Name) or node.func.id not in {**FUNCTIONS, **REDUCTIONS} or node.keywords
    ):
        name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
        what = f"the call {name}(...)" if not node.keywords else "keyword arguments"
    if what:
        raise ValueError(f"the query {query[:80]!r} may not contain {what}. Allowed: {allowed_text()}.")


def evaluate(query: str, arrays: dict[str, Any], count: int, reduced: list[float] | None = None) -> np.ndarray:
    """The mask of ``count`` elements that the query chooses, given the elements' arrays by name (numpy arrays
    of ``count`` rows) and the value of each reduction (:func:`combine`; without: these elements' own).
    ValueError for a query that is refused, names no known array or gives no mask."""
    tree = parse(query)
    calls = reductions(tree)
    if reduced is None:
        reduced = combine(query, [local_reductions(query, arrays, count)])
    evaluator = _Evaluator(_names(arrays, count), query, dict(zip(map(id, calls), reduced, strict=True)))
    with np.errstate(all="ignore"):  # 1/0 and overflows give inf and nan, as in numpy, without warnings
        result = evaluator.visit(tree.body)
    mask = np.asarray(result)
    if mask.ndim == 0:
        return np.full(count, bool(mask))
    if mask.shape != (count,):
        raise ValueError(
            f"the query {query[:80]!r} gives values of shape {mask.shape}, not one truth value per element "
            f"({count}); compare one component (Normals[:, 0]) or a magnitude (mag(Normals))."
        )
    return mask.astype(bool)


class _Evaluator(ast.NodeVisitor):
    """Evaluates a checked tree on numpy arrays."""

    def __init__(self, names: dict[str, Any], query: str, reduced: dict[int, float] | None = None) -> None:
        self.names, self.query, self.reduced = names, query, reduced or {}

    def generic_visit(self, node: ast.AST) -> Any:  # parse() let only the nodes below through
        raise ValueError(f"the query {self.query[:80]!r} may not contain {type(node).__name__.lower()} syntax.")

    def visit_Constant(self, node: ast.Constant) -> Any:
        # Numbers as numpy floats: Python's integers would let 9**9**9 compute for hours.
        return node.value if isinstance(node.value, bool) else np.float64(node.value)

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id in self.names:
            return self.names[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        known = ", ".join(sorted(self.names)) or "none"
        raise UnknownNameError(f"the query {self.query[:80]!r} names {node.id!r}, which is no array of these elements "
                         f"(their arrays: {known}).")  # fmt: skip

    def visit_List(self, node: ast.List) -> Any:
        return [self.visit(e) for e in node.elts]

    visit_Tuple = visit_List  # noqa: N815

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        return _BINARY[type(node.op)](self.visit(node.left), self.visit(node.right))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        return _UNARY[type(node.op)](self.visit(node.operand))

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        values = [self.visit(v) for v in node.values]
        result = values[0]
        for value in values[1:]:
            result = combine(result, value)
        return result

    def visit_Compare(self, node: ast.Compare) -> Any:
        left, result = self.visit(node.left), True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.visit(right_node)
            result = np.logical_and(result, _COMPARE[type(op)](left, right))
            left = right
        return result

    def visit_Call(self, node: ast.Call) -> Any:
        if node.func.id in REDUCTIONS:
            return self.reduced[id(node)]
        return FUNCTIONS[node.func.id](*(self.visit(a) for a in node.args))

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        return np.asarray(self.visit(node.value))[self._index(node.slice)]

    def _index(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return slice(*(None if p is None else int(self.visit(p)) for p in parts))
        if isinstance(node, ast.Tuple):
            return tuple(self._index(e) for e in node.elts)
        return int(self.visit(node))

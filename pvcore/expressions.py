"""What a Calculator expression may contain, checked before it reaches VTK's expression engine (ExprTk).

ExprTk is a programming language: ``while(RTData>0){1}`` would loop for ever on the server, beyond the reach
of Cancel or a timeout (a C++ loop that never looks at an abort flag). So an expression is tokenised here and
only an allow-list passes: numbers, names (the input's arrays, ``coordsX``...), the functions and constants
below, arithmetic, comparison and logical operators, parentheses, commas and ``a ? b : c``, and a name in
double quotes (an array name with spaces). Statements, blocks, assignments (``:=``, ``+=``...), other strings and
control words (``while``, ``for``, ``repeat``, ``return``, ``var``..., in any case) are refused with a message
that lists what is allowed.
"""

from __future__ import annotations

import re

_FUNCTION_NAMES = (
    "abs acos asin atan atan2 ceil clamp cos cosh cot cross csc deg2rad dot exp floor hypot if ln log log10 log2 "
    "mag max min norm pow rad2deg round sec sign sin sinh sqrt tan tanh trunc"
)
_RESERVED_WORDS = (
    "and break case continue default else false for in ilike like mand mor nand nor not null or repeat "
    "return swap switch true until var while xnor xor"
)
#: Functions a Calculator expression may call (ParaView's calculator functions and ExprTk's plain maths).
FUNCTIONS = frozenset(_FUNCTION_NAMES.split())
#: Names with a meaning of their own: constants and unit vectors.
CONSTANTS = frozenset(("pi", "iHat", "jHat", "kHat"))
#: Words of ExprTk that are statements or operators, never variables: refused even where a name could stand.
RESERVED = frozenset(_RESERVED_WORDS.split())
OPERATORS = ("<=", ">=", "==", "!=", "+", "-", "*", "/", "^", "%", "<", ">", "=", "&", "|", "(", ")", ",", "?", ":")
#: Deepest nesting of parentheses (ExprTk parses recursively).
MAX_DEPTH = 64

_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<quoted>\"[A-Za-z0-9_ .\-]*\")|(?P<op>" + "|".join(re.escape(op) for op in OPERATORS) + r"))"
)


def allowed_text() -> str:
    """What an expression may contain, in words, for error messages and help()."""
    return (
        "numbers, the input's array names, coordsX, coordsY, coordsZ, coords, the constants "
        f"{', '.join(sorted(CONSTANTS))}, the operators {' '.join(OPERATORS[:-5])} and a ? b : c, parentheses, "
        f"commas, and the functions {', '.join(sorted(FUNCTIONS))}"
    )


def check_expression(text: str) -> None:
    """Raise ValueError naming the first thing in ``text`` that a Calculator expression may not contain."""
    position, depth, tokens, bad = 0, 0, [], ""
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None:
            bad = stripped[position:].lstrip()[:1]
            break
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    for i, (kind, token) in enumerate(tokens):  # a keyword says more than the brace that follows it
        following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        word = token.lower()  # ExprTk's keywords and functions ignore case
        if kind == "name" and word in RESERVED:
            raise ValueError(_refusal(text, f"{token!r} (loops, statements and ExprTk keywords are refused)"))
        if kind == "name" and following == "(" and word not in FUNCTIONS:
            raise ValueError(_refusal(text, f"the function {token!r}"))
        if token in (":", "+", "-", "*", "/", "%", "^") and following in ("=", ":"):
            raise ValueError(_refusal(text, f"an assignment {token + following!r}"))
        depth += {"(": 1, ")": -1}.get(token, 0) if kind == "op" else 0
        if depth > MAX_DEPTH:
            raise ValueError(_refusal(text, f"parentheses nested more than {MAX_DEPTH} deep"))
    if bad:
        raise ValueError(_refusal(text, f"the character {bad!r}"))


def _refusal(text: str, what: str) -> str:
    shown = text if len(text) <= 80 else text[:77] + "..."
    return f"the expression {shown!r} may not contain {what}. Allowed: {allowed_text()}."

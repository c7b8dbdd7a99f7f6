"""Calculator expressions: the allow-list passes what ParaView users write and refuses ExprTk's statements."""

from __future__ import annotations

import time

import pytest

from pvcore import values
from pvcore.errors import PropertyError
from pvcore.expressions import check_expression
from pvserver.pipeline import catalogue

#: Expressions VTK's calculator evaluates (each checked by hand against vtkArrayCalculator with ExprTk).
ACCEPTED = [
    "RTData*2",
    "sqrt(RTData)",
    "if(RTData>100, 1, 0)",
    "mag(coords)",
    "RTData^2",
    "abs(RTData)%3",
    "max(RTData, 1) + min(coordsX, 2)",
    "iHat*coordsX + jHat*coordsY + kHat*coordsZ",
    "cross(coords,coords)",
    "pi*RTData",
    "RTData>100 & RTData<200",
    "RTData>=1 | RTData<=0",
    "RTData==100",
    "RTData!=100",
    "ln(RTData) + log10(RTData) + exp(1)",
    "RTData<0 ? 1 : 2",
    "1e3*.5 - 2. + 1E+2",
    "-RTData",
    "sqrt(dot(coords,coords))",
    "atan2(1, 2) + hypot(1, 2)",
    '"Normals Magnitude" * 2',
    "Sqrt(RTData)",
    "",
]

#: (expression, what the refusal names)
REFUSED = [
    ("while(RTData>0){1}", "'while'"),
    ("while (RTData > 0) 1", "'while'"),
    ("repeat 1 until (RTData < 0)", "'repeat'"),
    ("for (var i := 0; i < 10; i += 1) { RTData }", "'for'"),
    ("switch { case RTData > 0 : 1; default : 2; }", "'switch'"),
    ("var x := 1", "'var'"),
    ("x := RTData", "':='"),
    ("return [RTData]", "'return'"),
    ("RTData; RTData", "';'"),
    ("{RTData}", "'{'"),
    ("'abc' + RTData", '"\'"'),
    ("RTData[0]", "'['"),
    ("~(RTData, 1)", "'~'"),
    ("sum(RTData, 1)", "the function 'sum'"),
    ("system(RTData)", "the function 'system'"),
    ("(" * 65 + "1" + ")" * 65, "nested more than 64"),
    ('";while(1){}"', """'"'"""),  # quotes hold an array's name only
    ("RTData += 3", "'+='"),
    ("RTData ^= 2", "'^='"),
    ("WHILE(RTData>0){1}", "'WHILE'"),  # ExprTk ignores case
    ("Repeat 1 Until (RTData < 0)", "'Repeat'"),
]


@pytest.mark.parametrize("expression", ACCEPTED)
def test_what_users_write_passes(expression: str) -> None:
    check_expression(expression)


@pytest.mark.parametrize(("expression", "named"), REFUSED)
def test_statements_loops_and_unknown_functions_are_refused(expression: str, named: str) -> None:
    with pytest.raises(ValueError) as refused:
        check_expression(expression)
    assert named in str(refused.value)
    assert "Allowed: numbers, the input's array names" in str(refused.value) and "sqrt" in str(refused.value)


def test_the_calculator_property_refuses_a_loop_at_once() -> None:
    prop = catalogue.get("filters", "Calculator").property("Function")
    started = time.monotonic()
    with pytest.raises(PropertyError, match=r"Function: the expression 'while\(RTData>0\)\{1\}' may not contain") as e:
        values.coerce(prop, "while(RTData>0){1}")
    assert e.value.property == "Function" and time.monotonic() - started < 0.1
    assert values.coerce(prop, "RTData*2") == ("RTData*2",)

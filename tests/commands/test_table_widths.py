"""Tables never change a number's digits, whatever the terminal's width: a cell that does
not fit makes the table fall back to a narrower form, never to a cut number."""

import io
import re

import numpy as np
import pytest

import gradcli
from gradcli.homework.derivative import check
from gradcli.commands.render import check_tables, number, print_renderables, tables

NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|-?inf|nan")


def render(items, width: int) -> str:
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, markup=False, emoji=False, highlight=False)
    for item in items:
        if getattr(item, "title", None):
            console.print(item.title)
        console.print(item)
    return out.getvalue()


def assert_every_number_whole(text: str, values, precision: int):
    assert "\u2026" not in text, text                  # rich's ellipsis: a cut cell
    printed = set(NUMBER.findall(text))
    for v in np.ravel(values):
        assert number(v, precision) in printed, (number(v, precision), text)


CASES = {
    "jacobian": lambda: gradcli.evaluate("[17925.9 * x, x * y * 123456.7, y / 3]", at={"x": 1.0, "y": 2.0},
                                         jacobian=True),
    "hessian 12x12": lambda: gradcli.evaluate("sum(x**4) * 1234.5678 + x[0] * x[11] * 98765.4321",
                                              at={"x": np.linspace(1, 2, 12)}, hessian=True),
    "vector values": lambda: gradcli.evaluate("x * 1234567.891", at={"x": np.linspace(-3, 3, 9)},
                                              weights=[np.ones(9)]),
    "order": lambda: gradcli.evaluate("exp(10 x)", at={"x": 1.5}, order=5),
}


@pytest.mark.parametrize("width", [40, 60, 80])
@pytest.mark.parametrize("case", sorted(CASES))
def test_eval_tables_keep_every_digit(case, width):
    result = CASES[case]()
    text = render(tables(result, 6), width)
    values = list(result.values) + [np.asarray(g) for g in (result.grad or {}).values()]
    for m in (result.jacobian, result.hessian):
        if m is not None:
            values.append(np.asarray(m))
    for ds in (result.derivatives or {}).values():
        values += ds
    for v in values:
        assert_every_number_whole(text, v, 6)


@pytest.mark.parametrize("width", [40, 60, 80])
def test_check_tables_keep_every_digit(width):
    r = check("a*b*c*d*x^3", "x", "3a*b*c*d*x^2 + 1", points=5)
    text = render(check_tables(r, 6), width)
    shown = r.failing or range(len(r.expected))
    assert_every_number_whole(text, r.expected[shown], 6)
    assert_every_number_whole(text, r.got[shown], 6)
    for i in shown:
        assert_every_number_whole(text, list(r.points[i].values()), 6)


def test_the_cli_at_a_narrow_terminal(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    res = run("eval", "[17925.9*x, x*y]", "-a", "x=1,y=2", "--jacobian")
    assert res.exit_code == 0 and "\u2026" not in res.stdout and "17925.9" in res.stdout

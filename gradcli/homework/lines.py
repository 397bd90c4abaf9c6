"""Lines as students write them, and whether two are the same line.

A line may be written `y = m x + c`, `y = m(x - a) + b`, `y - b = m(x - a)`, as its right-hand
side alone, or `x = a` when vertical. Whatever the form, it is read as G(h, y) = 0 and the
engine says whether G is affine: its gradient the same at every point and G exactly
a h + b y + c there. Anything else (`y = x^2`) is not a line, and the verdict says so.

>>> line = read_line("y - 4 = 3(x - 1)", "x")
>>> line.slope, line.intercept
(3.0, 1.0)
>>> read_line("x = 2", "x").vertical_at
2.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..calculus.compare import ROUNDED, rounded_hint
from ..symbolic.numbers import readable
from ..engine.autograd import grad
from ..engine.tensor import Tensor, set_grad_enabled
from ..errors import NameLookupError, ValueInputError, about
from ..language.build import build, check_calls
from ..language.grammar import parse_equations
from ..language.reading import known_variables
from ..language.tree import Chain, Expr, Var, free_variables


class NotALine(Exception):
    """The answer is an equation or expression, but not of a line (an INCORRECT verdict)."""


@dataclass
class Line:
    slope: float | None          # None for a vertical line
    intercept: float | None      # y where the horizontal variable is 0
    vertical_at: float | None    # the vertical line's horizontal coordinate
    horizontal: str = "x"

    def y(self, h: float) -> float:
        return self.slope * h + self.intercept

    def text(self) -> str:
        if self.slope is None:
            return f"{self.horizontal} = {readable(self.vertical_at)}"
        return "y = " + _affine(self.slope, self.horizontal, self.intercept)

    def as_dict(self) -> dict:
        if self.slope is None:
            return {"vertical": True, "x": self.vertical_at, "text": self.text()}
        return {"vertical": False, "slope": self.slope, "intercept": self.intercept, "text": self.text()}


def through(point: tuple, slope: float | None, horizontal: str = "x") -> Line:
    """The line through (h0, y0) with that slope (None: vertical)."""
    h0, y0 = point
    if slope is None or not np.isfinite(slope):
        return Line(None, None, float(h0), horizontal)
    return Line(float(slope), float(y0 - slope * h0), None, horizontal)


def normal_slope(m: float | None) -> float | None:
    """The slope of the normal to a line of slope m: -1/m; vertical for a horizontal line."""
    if m is None or not np.isfinite(m):
        return 0.0
    return None if m == 0 else -1.0 / m


def read_line(text: str, horizontal: str, own: str | None = None) -> Line:
    """The line `text` in `horizontal` (or the function's own variable `own`) and y.
    NotALine when it is no line; a typed error when it cannot be read."""
    names = {horizontal, "y"} | ({own} if own else set())
    with known_variables(names):
        equations = parse_equations(text)
    if len(equations) != 1:
        raise ValueInputError(f"a line is one equation, as in y = 2x + 1; the answer has {len(equations)}")
    (eq,) = equations
    with about(text):
        for side in (eq.lhs, eq.rhs):
            if side is not None:
                check_calls(side)
    g = _zero_form(eq)
    used = set(free_variables(g))
    h = horizontal
    if own and own != horizontal and own in used:
        if horizontal in used:
            raise NameLookupError(f"the line uses both {horizontal} and {own}: write it in {horizontal} and y")
        h = own
    extra = sorted(used - {h, "y"})
    if extra:
        raise NameLookupError(f"a line is in {h} and y; the answer also uses {', '.join(extra)}", source=text)
    a, b, c = _affine_coefficients(g, h, text)
    scale = max(abs(a), abs(b), 1e-300)
    if abs(a) <= 1e-12 * scale and abs(b) <= 1e-12 * scale:
        raise NotALine(f"{text} is no line: it does not depend on {h} or y")
    if abs(b) <= 1e-12 * scale:
        return Line(None, None, -c / a, h)
    return Line(-a / b, -c / b, None, h)


def _zero_form(eq) -> Expr:
    """lhs - rhs, or y - expr for an expression alone."""
    if eq.rhs is None:
        if "y" in free_variables(eq.lhs):
            raise ValueInputError("a line without '=' is its right-hand side, in x alone; with y, write the "
                                  "equation (y - 4 = 3(x - 1))")
        return Chain((Var("y", 0), eq.lhs), ("-",), (0,))
    return Chain((eq.lhs, eq.rhs), ("-",), (0,))


def _affine_coefficients(g: Expr, h: str, text: str) -> tuple:
    """(a, b, c) with g = a h + b y + c at every point tried, else NotALine."""
    rng = np.random.default_rng(7)
    hs, ys = rng.uniform(-3, 3, 6), rng.uniform(-3, 3, 6)
    with set_grad_enabled(True), np.errstate(all="ignore"):
        H, Y = Tensor(hs, requires_grad=True), Tensor(ys, requires_grad=True)
        with about(text):
            out = build(g, {h: H, "y": Y})
        values = np.broadcast_to(np.asarray(out.data, dtype=float), hs.shape)
        if out.requires_grad:
            dh, dy = grad([out], [H, Y], [Tensor(np.ones(np.shape(out.data)))], allow_unused=True)
        else:
            dh = dy = None
    a = np.zeros_like(hs) if dh is None else np.broadcast_to(dh.data, hs.shape)
    b = np.zeros_like(hs) if dy is None else np.broadcast_to(dy.data, hs.shape)
    c = values - a * hs - b * ys
    if not (np.all(np.isfinite(values)) and np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise NotALine(f"{text} is no line: it is not defined everywhere")
    for coef in (a, b, c):
        if np.ptp(coef) > 1e-9 * max(1.0, float(np.max(np.abs(coef)))):
            raise NotALine(f"{text} is no line: its slope changes from point to point")
    return float(a[0]), float(b[0]), float(c[0])


def same_line(expected: Line, answer: Line, point: tuple, rtol: float, atol: float) -> bool:
    """The same slope (or both vertical) and through the point."""
    if expected.slope is None or answer.slope is None:
        return expected.slope is None and answer.slope is None and through_point(answer, point, rtol, atol)
    return _close(answer.slope, expected.slope, rtol, atol) and through_point(answer, point, rtol, atol)


def through_point(line: Line, point: tuple, rtol: float, atol: float) -> bool:
    h0, y0 = point
    if line.slope is None:
        return _close(line.vertical_at, h0, rtol, atol)
    return _close(line.y(h0), y0, rtol, max(atol, rtol * abs(line.slope * h0)))


def _close(a, b, rtol, atol) -> bool:
    return bool(np.isfinite(a) and abs(a - b) <= max(atol, rtol * abs(b)))


def diagnose_line(asked: str, answer: Line, point: tuple, tangent_slope: float | None, rtol: float,
                  atol: float, value_slope: float | None = None, mistaken: dict | None = None) -> str | None:
    """The mistake a wrong line makes, when one fits: asked is "tangent" or "normal";
    value_slope is f(a), which students put in for f'(a); `mistaken` maps what a slope was
    taken for to that slope ({"dy/dt given for dy/dx": 3.0})."""
    m = answer.slope
    right = tangent_slope if asked == "tangent" else normal_slope(tangent_slope)
    other = normal_slope(tangent_slope) if asked == "tangent" else tangent_slope
    on = through_point(answer, point, rtol, atol)

    def slope_is(target):
        if target is None or m is None:
            return target is None and m is None
        return _close(m, target, rtol, atol) and (target != 0 or m == 0 or abs(m) <= atol)

    where = f"({readable(point[0])}, {readable(point[1])})"
    near = right is not None and m is not None and abs(m - right) <= ROUNDED * max(abs(right), 1e-300)
    if (near or slope_is(right)) and through_point(answer, point, ROUNDED, atol):
        return rounded_hint("the line", "it is within 1% of the right one")
    if slope_is(right) and not on:
        return f"the right slope through the wrong point: the line must pass through {where}"
    if slope_is(other) and not slope_is(right):
        swapped = "normal" if asked == "tangent" else "tangent"
        return f"the {swapped} line given for the {asked} line: the {asked} line {_slope_is(right)}"
    if asked == "normal" and tangent_slope not in (None, 0) and slope_is(1.0 / tangent_slope):
        return "the normal's slope is -1/m, not 1/m"
    if asked == "normal" and tangent_slope not in (None, 0) and slope_is(-tangent_slope):
        return "the normal's slope is -1/m, not -m"
    if right not in (None, 0) and slope_is(-right):
        return f"the slope's sign: the {asked} line's slope is {_slope_text(right)}, not {_slope_text(-right)}"
    for what, slope in (mistaken or {}).items():
        if slope is not None and np.isfinite(slope) and slope_is(slope) and not slope_is(right):
            return what
    if asked == "tangent" and tangent_slope not in (None, 0) and slope_is(1.0 / tangent_slope):
        return "1/f'(a) used as the slope: the tangent's slope is f'(a)"
    if value_slope is not None and slope_is(value_slope) and not slope_is(right):
        return "f(a) used as the slope: the tangent's slope is f'(a), the derivative at the point"
    if m is not None and right is not None and np.isfinite(right) and right != 0 and on \
            and abs(m - right) <= ROUNDED * abs(right) and not slope_is(right):
        return rounded_hint("the slope", f"({readable(m)} for {readable(right)})")
    return None


def _slope_text(m) -> str:
    return "vertical" if m is None else readable(m)


def _slope_is(m) -> str:
    """"is vertical" or "has slope 3"."""
    return "is vertical" if m is None else f"has slope {readable(m)}"


def _affine(m: float, h: str, c: float) -> str:
    """m h + c in gradcli's syntax, exact fractions where the numbers are: 3x - 1, x/9 + 1."""
    from fractions import Fraction

    from ..symbolic import algebra as A
    from ..symbolic.printer import plain, to_expr

    # slope first, then the intercept: y = -x/3 + 7/3, as the slope-intercept form is written
    text = readable(m)
    if "/" in text:  # an exact fraction: -x/3, 3x/4
        slope = plain(to_expr(A.mul(A.num(Fraction(text)), A.sym(h)), h))
    else:
        slope = {"1": h, "-1": f"-{h}"}.get(text, f"{text}{h}")
    if m == 0:
        slope = ""
    if c == 0 or not slope:
        return slope or readable(c)
    return f"{slope} {'-' if c < 0 else '+'} {readable(abs(c))}"

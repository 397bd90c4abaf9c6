"""Tangent and normal lines: of y = f(x) at x = a (the slope f'(a) through (a, f(a)); the
normal's slope -1/f'(a)), of an implicit curve at a point on it, of a parametric curve at a
value of its parameter. The answer is read as a line in any of the forms students write it
(lines.py), and a wrong one is named.

>>> check_line("x^2 + x", "tangent", {"x": 1}, "y = 3x - 1").correct
True
"""

from __future__ import annotations

import numpy as np

from ..calculus.sides import corner, rounding_spread, step, zero_within
from ..calculus.evaluator import evaluate
from ..engine.tensor import set_grad_enabled
from ..engine.trouble import NumericTrouble
from ..errors import about, NameLookupError, ValueInputError
from ..inputs import validate
from ..language.build import check_calls, environment
from ..language.grammar import parse_equations
from ..language.problem import function_side, single_letters
from ..language.reading import known_variables
from ..language.tree import free_variables, to_text, Var
from ..symbolic.numbers import readable
from ..symbolic.printer import plain
from .derivative import CheckResult
from .forms import line_side
from .lines import diagnose_line, normal_slope, NotALine, read_line, same_line, through
from .curves import (difference, equation_text, implicit_slope, independent_variable, parametric_slope, pinned_values,
                     read_equations, read_parametric, where_text)


def check_line(expr: str, asked: str, at: dict, answer: str, wrt=None, rtol: float = validate.RTOL,
               atol: float = validate.ATOL, curve: str = "explicit", dependent: str = "y") -> CheckResult:
    """Is `answer` the tangent (asked="tangent") or normal line, at the point given by `at`, of
    y = expr (curve="explicit"), of the implicit curve `expr` or of the parametric one?"""
    if asked not in ("tangent", "normal"):
        raise ValueInputError("a line is the tangent or the normal")
    rtol, atol = validate.tolerance(rtol, "--rtol"), validate.tolerance(atol, "--atol")
    pinned = pinned_values(at)
    notes: list = []
    trouble = NumericTrouble()
    with trouble.watch(), set_grad_enabled(True), np.errstate(all="ignore"):
        mistaken: dict = {}
        if curve == "explicit":
            h, point, slope, value, read, subject = _explicit_point(expr, pinned, wrt, trouble)
            own = h if h != "x" else None
        elif curve == "implicit":
            h, point, slope, read, subject = _implicit_point(expr, pinned, dependent, trouble, notes)
            value, own = None, None
        else:
            h, point, slope, read, subject, mistaken = _parametric_point(expr, pinned, trouble)
            value, own = None, None
    horizontal = "x"
    if not np.isfinite(point[1]) or not np.isfinite(point[0]) or (slope is not None and not np.isfinite(slope)):
        raise ValueInputError(f"the curve has no {asked} line at {where_text(pinned)}: it is not differentiable there")
    expected = through(point, slope if asked == "tangent" else normal_slope(slope), horizontal)
    diagnosis, answer_line, answer_read = None, None, str(answer)
    try:
        answer_line = read_line(line_side(answer), horizontal, own)
        answer_read = answer_line.text()
        correct = same_line(expected, answer_line, point, rtol, atol)
        if not correct:
            diagnosis = diagnose_line(asked, answer_line, point, slope, rtol, atol, value_slope=value,
                                      mistaken=mistaken)
    except NotALine as exc:
        correct, diagnosis = False, str(exc)
    exact = _exact_point(read, h, at, point) if curve == "explicit" else None
    line = {"asked": asked, "point": {"x": point[0], "y": point[1]}, "expected": expected.as_dict(),
            "answer": answer_line.as_dict() if answer_line else None, "point_text": exact}
    where = ", ".join(f"{n} = {t}" for n, t in at.items()) if exact else where_text(pinned)
    expected_slope = np.array([np.inf if expected.slope is None else expected.slope])
    got_slope = np.array([np.nan if answer_line is None else np.inf if answer_line.slope is None
                          else answer_line.slope])
    return CheckResult(expr, read, [h], str(answer), answer_read, correct, [h], [dict(pinned)], expected_slope,
                       got_slope, [] if correct else [0], diagnosis, validate.SEED, rtol, atol, {}, notes,
                       kind=asked, subject=f"the {asked} line to {subject} at {where}", line=line)


def _exact_point(read: str, h: str, at: dict, point: tuple) -> str | None:
    """The point in exact numbers when --at gave exact ones, (pi/2, 0) for cos x at pi/2, not
    the float's (1.5708, 6.12323e-17); held to the engine's numbers, else None."""
    from ..calculus.formula import _exact_value, closed_value
    from ..errors import GradcliError
    from ..language.grammar import parse
    from ..symbolic import algebra as A
    from ..symbolic.derive import derive

    if h not in at or not all(isinstance(t, str) for t in at.values()):
        return None
    try:
        env = {n: (_exact_value(n, t), A.ZERO) for n, t in at.items()}
        y = derive(parse(read), "", env, steps=False)[0]
        x_text, y_text = closed_value(env[h][0], point[0]), closed_value(y, point[1])
    except (GradcliError, A.TooLarge, ArithmeticError, ValueError):
        return None
    return None if x_text is None or y_text is None else f"({x_text}, {y_text})"


def _explicit_point(expr: str, pinned: dict, wrt, trouble):
    names = set(pinned) | ({wrt} if isinstance(wrt, str) else set(wrt or []))
    with known_variables(names | single_letters(expr)):
        eqs = parse_equations(function_side(expr))
    if len(eqs) != 1 or (eqs[0].rhs is not None and not (isinstance(eqs[0].lhs, Var) and eqs[0].lhs.name == "y")):
        raise ValueInputError("a line of y = f(x) needs f(x) (or y = f(x)); for a curve given by an equation in x "
                              "and y, add --implicit", source=expr)
    tree = eqs[0].lhs if eqs[0].rhs is None else eqs[0].rhs
    with about(expr):
        check_calls(tree)
    free = free_variables(tree)
    variables = validate.names(wrt, "--wrt") if wrt else free if len(free) == 1 else ["x"] if "x" in free else []
    if len(variables) != 1:
        raise ValueInputError("a line is of a function of one variable: give it with --wrt NAME (once, not x,x)")
    (h,) = variables
    if h not in pinned:
        raise ValueInputError(f"give the point with --at {h}=VALUE: the line touches the curve there")
    for n in pinned:
        if n not in free and n != h:
            raise NameLookupError(f"'{n}' is given a value but does not appear in y = {plain(tree)}")
    missing = [n for n in free if n not in pinned]
    if missing:
        raise NameLookupError(f"no value for '{missing[0]}': give it with --at (the line needs numbers)")

    def slope_at(shift):
        env = environment(pinned, {h: np.float64(pinned[h] + shift)}, wrt=(h,))
        out, parts = evaluate(tree, env, [h], trouble)
        return float(out.data), float(parts[h].data)

    y0, m = slope_at(0.0)
    # 4 sin x at pi/2 has slope 2.4e-16 in floats: 0 up to its error bound is 0 (a horizontal
    # tangent, a vertical normal)
    m = zero_within(m, rounding_spread(lambda x: slope_at(x - pinned[h])[1], pinned[h]))
    if not np.isfinite(y0):
        raise ValueInputError(f"y = {plain(tree)} is not defined at {where_text(pinned)}, so it has no line there")
    eps = step(pinned[h])
    left, right = slope_at(-eps)[1], slope_at(eps)[1]
    if corner(left, right):
        raise ValueInputError(f"y = {plain(tree)} has a corner at {where_text(pinned)}: the slopes on either side "
                              f"({readable(left)} and {readable(right)}) differ, so there is no tangent line there")
    if np.isinf(m) or (not np.isfinite(m) and np.isinf(left) and np.isinf(right)):
        m = None  # sqrt(x) and cbrt(x) at 0: the tangent is vertical
    return h, (pinned[h], y0), m, y0, to_text(tree), f"y = {plain(tree)}"


def _implicit_point(expr: str, pinned: dict, dependent: str, trouble, notes):
    (eq,) = read_equations(expr, set(pinned) | {dependent}, 1, "an implicit curve")
    f = difference(eq)
    free = free_variables(f)
    h = independent_variable(free, dependent, pinned, expr)
    for n in (h, dependent):
        if n not in pinned:
            raise ValueInputError(f"give the point with --at {h}=A,{dependent}=B: the line touches the curve there")
    for n in pinned:
        if n not in free:
            raise NameLookupError(f"'{n}' is given a value but does not appear in the equation")
    slope = implicit_slope(f, h, dependent, pinned, trouble, notes)
    return h, (pinned[h], pinned[dependent]), slope, equation_text([eq]), equation_text([eq])


def _parametric_point(expr: str, pinned: dict, trouble):
    eqs, x_of, y_of, t = read_parametric(expr, pinned)
    if t not in pinned:
        raise ValueInputError(f"give the parameter with --at {t}=VALUE: the line touches the curve there")
    env = environment(pinned, wrt=(t,))
    xv, xd = evaluate(x_of, env, [t], trouble, create_graph=True)  # the graph stays for a limit's Taylor pass
    yv, yd = evaluate(y_of, env, [t], trouble, create_graph=True)
    dx, dy = float(xd[t].data), float(yd[t].data)

    def rates(at):  # dx/dt and dy/dt at another t, for their error bounds
        moved = environment(pinned | {t: at}, wrt=(t,))
        return [float(evaluate(f, moved, [t], trouble)[1][t].data) for f in (x_of, y_of)]

    # sin(2t) at pi/4 has dy/dt 1.2e-16 in floats: 0 up to its error bound is 0
    spread = rounding_spread(rates, pinned[t])
    dx, dy = zero_within(dx, np.ravel(spread)[0]), zero_within(dy, np.ravel(spread)[-1])
    slope = parametric_slope(xv, yv, env[t], dx, dy)
    mistaken = {f"dy/d{t} used as the slope: the slope is dy/dx = (dy/d{t})/(dx/d{t})": dy,
                f"dx/d{t} used as the slope: the slope is dy/dx = (dy/d{t})/(dx/d{t})": dx,
                "dx/dy used as the slope: the slope is dy/dx": dx / dy if dy else None}
    return "x", (float(xv.data), float(yv.data)), slope, equation_text(eqs), equation_text(eqs), mistaken

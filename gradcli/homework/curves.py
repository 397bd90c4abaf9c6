"""What the curve problems share (tangent.py, implicit.py, parametric.py): reading a curve's
equations, a point and a student's answer; the engine along a curve; the verdict with its
named mistakes. Each check returns a CheckResult, as `check` does, so verdicts, gradebooks
and JSON read the same; the truth always comes from the engine.

>>> equation_text(read_equations("x^2 + y^2 = 25", {"x", "y"}, 1, "an implicit curve"))
'x^2 + y^2 = 25'
"""

from __future__ import annotations


import numpy as np

from ..calculus.compare import close, ROUNDED, rounded_hint
from ..errors import about, NameLookupError, ValueInputError
from ..inputs import validate
from ..inputs.values import as_array
from ..language.build import check_calls, environment
from ..language.grammar import parse_equations
from ..language.problem import read, single_letters
from ..language.reading import known_variables
from ..language.tree import Chain, Expr, free_variables, Var
from ..symbolic.printer import plain
from ..symbolic.numbers import readable
from .forms import derivative_side
from ..calculus.evaluator import evaluate
from ..calculus.sides import rounding_spread, zero_within

OFF_CURVE = 0.02  # a point farther than this (relative) from the curve is not a rounded one


def pinned_values(at: dict | None) -> dict:
    values = validate.bindings(at)
    out = {}
    for name, value in values.items():
        arr = np.asarray(as_array(value, what=f"the value of {name}"), dtype=float)
        if arr.ndim or not np.isfinite(arr):
            raise ValueInputError(f"the value of {name} must be one finite number")
        out[name] = float(arr)
    return out


def read_equations(text: str, names: set, count: int, what: str) -> tuple:
    with known_variables(names | single_letters(text)):
        eqs = parse_equations(text)
    if len(eqs) != count or any(e.rhs is None for e in eqs):
        raise ValueInputError(f"{what} is {'one equation' if count == 1 else f'{count} equations'}, as in "
                              + ("x^2 + y^2 = 25" if count == 1 else "x = cos t, y = sin t"), source=text)
    with about(text):
        for e in eqs:
            check_calls(e.lhs)
            check_calls(e.rhs)
    return eqs


def difference(eq) -> Expr:
    return Chain((eq.lhs, eq.rhs), ("-",), (0,))


def read_answer(text: str, names: set, allowed: set, order: int, variable: str, what: str = "") -> Expr:
    """A curve's derivative as the student wrote it ("dy/dx = -x/y" is the answer -x/y)."""
    text, _ = derivative_side(text, order, variable)
    tree = read(text, names)
    extra = [n for n in free_variables(tree) if n not in allowed]
    if extra:
        raise NameLookupError(f"the answer uses {', '.join(extra)}, which the problem does not"
                              + (f" ({what})" if what else ""), source=text)
    return tree


def equation_text(eqs) -> str:
    return ", ".join(f"{plain(e.lhs)} = {plain(e.rhs)}" for e in eqs)


def where_text(pinned: dict) -> str:
    return ", ".join(f"{n} = {readable(v)}" for n, v in pinned.items())


def implicit_slope(f, h, v, pinned, trouble, notes):
    """-F_x/F_y at the point pinned (None: vertical); where F_x or F_y is not finite (F_y of
    y^(2/5) at y = 0), the limit from points around it, when they agree."""
    def slope_at(dx, dy):
        env = environment(pinned, {h: np.float64(pinned[h] + dx), v: np.float64(pinned[v] + dy)}, wrt=(h, v))
        out, parts = evaluate(f, env, [h, v], trouble)
        return float(out.data), float(parts[h].data), float(parts[v].data)

    off, fx, fy = slope_at(0.0, 0.0)
    # F_x or F_y that is 0 up to its error bound (the point's rounding moved along each axis) is 0
    spread = np.maximum(rounding_spread(lambda a: slope_at(a - pinned[h], 0.0)[1:], pinned[h]),
                        rounding_spread(lambda b: slope_at(0.0, b - pinned[v])[1:], pinned[v]))
    fx, fy = zero_within(fx, spread[0]), zero_within(fy, spread[1])
    if np.isfinite(fx) and np.isfinite(fy) and (fx or fy):
        scale = abs(fx) + abs(fy)
        where = f"({readable(pinned[h])}, {readable(pinned[v])})"
        distance = abs(off) / scale
        if distance > OFF_CURVE * (1 + abs(pinned[h]) + abs(pinned[v])):
            raise ValueInputError(f"the point {where} is not on the curve: it is about {distance:.3g} away (the two "
                                  f"sides of the equation differ by {abs(off):.3g} there)")
        if abs(off) > 1e-9 * max(1.0, scale):
            # books round their points: judge at the point given, and say how far off it is
            notes.append(f"the point {where} is not on the curve: the two sides differ by {abs(off):.3g} (about "
                         f"{distance:.3g} from it); it is judged at the point given")
        return None if fy == 0 else -fx / fy
    eps = 1e-7 * (1 + abs(pinned[h]) + abs(pinned[v]))
    around = []
    for dx, dy in ((eps, 0), (-eps, 0), (0, eps), (0, -eps)):
        _, ax, ay = slope_at(dx, dy)
        if np.isfinite(ax) and np.isfinite(ay) and ay != 0:
            around.append(-ax / ay)
    if around and np.ptp(around) <= 1e-3 * (1 + max(abs(a) for a in around)):
        notes.append("the slope at the point is the limit of the slopes around it (a partial derivative of the "
                     "equation is not finite there)")
        return float(np.mean(around)) if abs(np.mean(around)) > 1e-6 else 0.0
    raise ValueInputError(f"the curve has no tangent line at {where_text(pinned)}: dy/dx is not defined there")


def parametric_slope(xv, yv, t, dx, dy):
    """dy/dx at the point (None: vertical). Where dx/dt and dy/dt are both 0 (x = t^2, y = t^3
    at 0), the limit, from the first Taylor coefficients of x(t) and y(t) that are not 0."""
    if dx != 0:
        return dy / dx
    if dy != 0:
        return None
    from ..engine.taylor import series

    cx, cy = series(xv, t, 12), series(yv, t, 12)
    scale = max(float(np.max(np.abs(cx[1:]))), float(np.max(np.abs(cy[1:]))), 1e-300)
    p = next((k for k in range(1, 13) if abs(cx[k]) > 1e-12 * scale), None)
    q = next((k for k in range(1, 13) if abs(cy[k]) > 1e-12 * scale), None)
    if p is None and q is None:
        raise ValueInputError("the curve stands still there (x and y do not change with the parameter): it has no "
                              "tangent line")
    if p is None or (q is not None and q < p):
        return None
    if q is None or q > p:
        return 0.0
    return float(cy[q] / cx[p])


def independent_variable(free: list, dependent: str, pinned: dict, text: str, wrt=None) -> str:
    """The variable y is a function of: --wrt's, else the one not given a value, else x."""
    if dependent not in free:
        raise ValueInputError(f"the equation has no {dependent}: --dependent names the variable that is a "
                              f"function of the other", source=text)
    others = [n for n in free if n != dependent]
    if wrt:
        h = validate.names(wrt, "--wrt")[0]
        if h not in others:
            if h == dependent and len(others) == 1:
                raise ValueInputError(f"{dependent} is the dependent variable (a function of {others[0]}): the "
                                      f"derivative is taken with respect to {others[0]}: --wrt {others[0]}")
            raise ValueInputError(f"cannot differentiate with respect to '{h}': the equation's variables are "
                                  f"{', '.join(free)}")
        return h
    unpinned = [n for n in others if n not in pinned]
    if len(unpinned) == 1:
        return unpinned[0]
    if "x" in others:
        return "x"
    raise ValueInputError(f"an implicit curve relates {dependent} to one other variable; this one has "
                          f"{', '.join(others) or 'none'}: give --wrt, and the constants values with --at")


def read_parametric(text: str, pinned: dict):
    eqs = read_equations(text, set(pinned) | {"x", "y", "t"}, 2, "a parametric curve")
    sides = {}
    for e in eqs:
        if not isinstance(e.lhs, Var) or e.lhs.name not in ("x", "y") or e.lhs.name in sides:
            raise ValueInputError("a parametric curve is written x = X(t), y = Y(t)", source=text)
        sides[e.lhs.name] = e.rhs
    free = sorted((set(free_variables(sides["x"])) | set(free_variables(sides["y"]))) - {"x", "y"})
    params = [n for n in free if n not in pinned] or [n for n in free]
    if len(params) != 1:
        raise ValueInputError(f"a parametric curve has one parameter; this one has {', '.join(params) or 'none'}"
                              f": give the constants values with --at")
    return eqs, sides["x"], sides["y"], params[0]


def defined_at(values, pinned: dict, what: str) -> None:
    if not np.all(np.isfinite(values)):
        raise ValueInputError(f"{what} is not defined at {where_text(pinned)} (it comes out as {float(values[0])}): "
                              f"there is nothing to check there")


def derivative_order(wrt, h: str, what: str) -> int:
    names = validate.names(wrt, "--wrt") if wrt else [h]
    if any(n != h for n in names) or len(names) > 2:
        raise ValueInputError(f"{what} is taken with respect to {h}: --wrt {h} or --wrt {h},{h}")
    return len(names)


def problem_domains(domain, names: list) -> dict:
    given = validate.domains(domain or {})
    for n in given:
        if n not in names:
            raise NameLookupError(f"a domain is given for '{n}', which the problem does not use")
    return {n: given.get(n, validate.DOMAIN) for n in names}


def verdict(got, truth: dict, order: int, rtol, atol, mistakes: dict, answer_tree=None, values_of=None) -> tuple:
    """(the truth, the failing points, the mistake that explains them) for the order asked;
    values_of(tree), the values of another reading of the answer at the points."""
    expected = truth["second"] if order == 2 else truth["first"]
    failing = [int(i) for i in np.flatnonzero(~close(got, expected, rtol, atol))]
    if not failing:
        return expected, failing, None
    found = _explain(got, expected, truth, order, rtol, atol, mistakes)
    if found is None and answer_tree is not None:
        from .diagnosis.readings import reread

        with np.errstate(all="ignore"):
            found = reread(answer_tree, values_of, expected, rtol, atol)
    return expected, failing, found


def _explain(got, expected, truth: dict, order: int, rtol, atol, mistakes: dict) -> str | None:
    for key, message in mistakes.get(order, []):
        if key in truth and np.all(close(got, truth[key], rtol, atol)):
            return message
    if np.all(close(got, expected, ROUNDED, atol)):
        return rounded_hint("the answer", "it agrees to within 1% everywhere")
    return None

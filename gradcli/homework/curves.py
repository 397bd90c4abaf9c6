"""The homework after the rules: tangent and normal lines, implicit and parametric derivatives.

Each check returns a CheckResult, as `check` does, so verdicts, gradebooks and JSON read the
same. The truth always comes from the engine:
- a line of y = f(x) at x = a: the slope f'(a) through (a, f(a)); the normal's slope -1/f'(a);
- an implicit curve F(x, y) = 0: dy/dx = -F_x/F_y and d2y/dx2 = g_x + g_y g (g = dy/dx), at
  points on the curve that Newton's method finds from many starts, so an answer simplified
  with the equation itself is right;
- a parametric curve x = X(t), y = Y(t): dy/dx = Y'/X' and d2y/dx2 = (d/dt dy/dx)/X'.

>>> check_line("x^2 + x", "tangent", {"x": 1}, "y = 3x - 1").correct
True
>>> check_implicit("x^2 + y^2 = 25", "-x/y").correct
True
>>> check_parametric("x = t^2 - 3, y = 2t - 1", "1/t").correct
True
"""

from __future__ import annotations

import re

import numpy as np

from ..inputs import validate
from ..inputs.values import as_array
from .derivative import CheckResult
from ..language.problem import read, single_letters
from ..calculus.compare import ROUNDED, close, rounded_hint
from ..calculus.sides import corner, step
from ..engine.autograd import grad
from ..engine.tensor import Tensor, set_grad_enabled
from ..errors import NameLookupError, ValueInputError, about
from ..language.build import build, check_calls, real_roots
from ..language.grammar import parse_equations
from ..language.reading import known_variables
from ..language.tree import Chain, Expr, Var, free_variables, to_text
from ..symbolic.printer import plain
from .lines import NotALine, diagnose_line, normal_slope, number, read_line, same_line, through
from ..engine.trouble import NumericTrouble

OFF_CURVE = 0.02  # a point farther than this (relative) from the curve is not a rounded one


# --- reading ----------------------------------------------------------------------------------

def _pinned(at: dict | None) -> dict:
    values: dict = {}
    for name, value in (at or {}).items():
        validate.add_binding(values, name, value)
    out = {}
    for name, value in values.items():
        arr = np.asarray(as_array(value, what=f"the value of {name}"), dtype=float)
        if arr.ndim or not np.isfinite(arr):
            raise ValueInputError(f"the value of {name} must be one finite number")
        out[name] = float(arr)
    return out


def _equations(text: str, names: set, count: int, what: str) -> tuple:
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


def _difference(eq) -> Expr:
    return Chain((eq.lhs, eq.rhs), ("-",), (0,))


_NAMED_ANSWER = re.compile(r"^\s*(d\^?2?\s*y\s*/\s*d\s*x\s*\^?2?|y\s*'+|y\u2032+|y\u2033)\s*=")


def _read_answer(text: str, names: set, allowed: set, what: str = "") -> Expr:
    text = _NAMED_ANSWER.sub("", str(text), count=1)  # "dy/dx = -x/y" is the answer -x/y
    tree = read(text, names)
    extra = [n for n in free_variables(tree) if n not in allowed]
    if extra:
        raise NameLookupError(f"the answer uses {', '.join(extra)}, which the problem does not"
                              + (f" ({what})" if what else ""), source=text)
    return tree


def _equation_text(eqs) -> str:
    return ", ".join(f"{plain(e.lhs)} = {plain(e.rhs)}" for e in eqs)


# --- the engine at many points ------------------------------------------------------------------

def _evaluate(tree: Expr, env: dict, wrt: list, trouble, create_graph: bool = False):
    """(value tensor, {name: partial tensor}) of tree at the arrays in env."""
    with about(to_text(tree)):
        out = build(tree, env, trouble.at)
    if not wrt:
        return out, {}
    if not out.requires_grad:
        return out, {n: Tensor(np.zeros(np.shape(out.data))) for n in wrt}
    parts = grad([out], [env[n] for n in wrt], [Tensor(np.ones(np.shape(out.data)))], create_graph=create_graph,
                 allow_unused=True)
    return out, {n: (p if p is not None else Tensor(np.zeros(np.shape(out.data)))) for n, p in zip(wrt, parts)}


def _array(t, count: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(t.data if isinstance(t, Tensor) else t, dtype=float), (count,)).copy()


# --- lines --------------------------------------------------------------------------------------

def check_line(expr: str, asked: str, at: dict, answer: str, wrt=None, rtol: float = validate.RTOL,
               atol: float = validate.ATOL, curve: str = "explicit", dependent: str = "y") -> CheckResult:
    """Is `answer` the tangent (asked="tangent") or normal line, at the point given by `at`, of
    y = expr (curve="explicit"), of the implicit curve `expr` or of the parametric one?"""
    if asked not in ("tangent", "normal"):
        raise ValueInputError("a line is the tangent or the normal")
    rtol, atol = validate.tolerance(rtol, "--rtol"), validate.tolerance(atol, "--atol")
    pinned = _pinned(at)
    notes: list = []
    trouble = NumericTrouble()
    with trouble.watch(), set_grad_enabled(True), real_roots(), np.errstate(all="ignore"):
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
        raise ValueInputError(f"the curve has no {asked} line at {_where(pinned)}: it is not differentiable there")
    expected = through(point, slope if asked == "tangent" else normal_slope(slope), horizontal)
    diagnosis, answer_line, answer_read = None, None, str(answer)
    try:
        answer_line = read_line(str(answer), horizontal, own)
        answer_read = answer_line.text()
        correct = same_line(expected, answer_line, point, rtol, atol)
        if not correct:
            diagnosis = diagnose_line(asked, answer_line, point, slope, rtol, atol, value_slope=value,
                                      mistaken=mistaken)
    except NotALine as exc:
        correct, diagnosis = False, str(exc)
    line = {"asked": asked, "point": {"x": point[0], "y": point[1]}, "expected": expected.as_dict(),
            "answer": answer_line.as_dict() if answer_line else None}
    expected_slope = np.array([np.inf if expected.slope is None else expected.slope])
    got_slope = np.array([np.nan if answer_line is None else np.inf if answer_line.slope is None
                          else answer_line.slope])
    return CheckResult(expr, read, [h], str(answer), answer_read, correct, [h], [dict(pinned)], expected_slope,
                       got_slope, [] if correct else [0], diagnosis, validate.SEED, rtol, atol, {}, notes,
                       kind=asked, subject=f"the {asked} line to {subject} at {_where(pinned)}", line=line)


def _where(pinned: dict) -> str:
    return ", ".join(f"{n} = {number(v)}" for n, v in pinned.items())


def _explicit_point(expr: str, pinned: dict, wrt, trouble):
    names = set(pinned) | ({wrt} if isinstance(wrt, str) else set(wrt or []))
    with known_variables(names | single_letters(expr)):
        eqs = parse_equations(expr)
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
        env = {n: Tensor(np.float64(v + (shift if n == h else 0.0)), requires_grad=n == h) for n, v in pinned.items()}
        out, parts = _evaluate(tree, env, [h], trouble)
        return float(out.data), float(parts[h].data)

    y0, m = slope_at(0.0)
    if not np.isfinite(y0):
        raise ValueInputError(f"y = {plain(tree)} is not defined at {_where(pinned)}, so it has no line there")
    eps = step(pinned[h])
    left, right = slope_at(-eps)[1], slope_at(eps)[1]
    if corner(left, right):
        raise ValueInputError(f"y = {plain(tree)} has a corner at {_where(pinned)}: the slopes on either side "
                              f"({number(left)} and {number(right)}) differ, so there is no tangent line there")
    if np.isinf(m) or (not np.isfinite(m) and np.isinf(left) and np.isinf(right)):
        m = None  # sqrt(x) and cbrt(x) at 0: the tangent is vertical
    return h, (pinned[h], y0), m, y0, to_text(tree), f"y = {plain(tree)}"


def _implicit_point(expr: str, pinned: dict, dependent: str, trouble, notes):
    (eq,) = _equations(expr, set(pinned) | {dependent}, 1, "an implicit curve")
    f = _difference(eq)
    free = free_variables(f)
    h = _independent(free, dependent, pinned, expr)
    for n in (h, dependent):
        if n not in pinned:
            raise ValueInputError(f"give the point with --at {h}=A,{dependent}=B: the line touches the curve there")
    for n in pinned:
        if n not in free:
            raise NameLookupError(f"'{n}' is given a value but does not appear in the equation")
    slope = _implicit_slope(f, h, dependent, pinned, trouble, notes)
    return h, (pinned[h], pinned[dependent]), slope, _equation_text([eq]), _equation_text([eq])


def _implicit_slope(f, h, v, pinned, trouble, notes):
    """-F_x/F_y at the point pinned (None: vertical); where F_x or F_y is not finite (F_y of
    y^(2/5) at y = 0), the limit from points around it, when they agree."""
    def slope_at(dx, dy):
        env = {n: Tensor(np.float64(val + (dx if n == h else dy if n == v else 0)), requires_grad=n in (h, v))
               for n, val in pinned.items()}
        out, parts = _evaluate(f, env, [h, v], trouble)
        return float(out.data), float(parts[h].data), float(parts[v].data)

    off, fx, fy = slope_at(0.0, 0.0)
    if np.isfinite(fx) and np.isfinite(fy) and (fx or fy):
        scale = abs(fx) + abs(fy)
        where = f"({number(pinned[h])}, {number(pinned[v])})"
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
    raise ValueInputError(f"the curve has no tangent line at {_where(pinned)}: dy/dx is not defined there")


def _parametric_point(expr: str, pinned: dict, trouble):
    eqs, x_of, y_of, t = _parametric(expr, pinned)
    if t not in pinned:
        raise ValueInputError(f"give the parameter with --at {t}=VALUE: the line touches the curve there")
    env = {n: Tensor(np.float64(v), requires_grad=n == t) for n, v in pinned.items()}
    xv, xd = _evaluate(x_of, env, [t], trouble, create_graph=True)  # the graph stays for a limit's Taylor pass
    yv, yd = _evaluate(y_of, env, [t], trouble, create_graph=True)
    dx, dy = float(xd[t].data), float(yd[t].data)
    slope = _parametric_slope(xv, yv, env[t], dx, dy)
    mistaken = {f"dy/d{t} used as the slope: the slope is dy/dx = (dy/d{t})/(dx/d{t})": dy,
                f"dx/d{t} used as the slope: the slope is dy/dx = (dy/d{t})/(dx/d{t})": dx,
                "dx/dy used as the slope: the slope is dy/dx": dx / dy if dy else None}
    return "x", (float(xv.data), float(yv.data)), slope, _equation_text(eqs), _equation_text(eqs), mistaken


def _parametric_slope(xv, yv, t, dx, dy):
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


def _independent(free: list, dependent: str, pinned: dict, text: str, wrt=None) -> str:
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


def _parametric(text: str, pinned: dict):
    eqs = _equations(text, set(pinned) | {"x", "y", "t"}, 2, "a parametric curve")
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


# --- implicit derivatives --------------------------------------------------------------------

def check_implicit(expr: str, answer: str, wrt=None, dependent: str = "y", at: dict | None = None,
                   domain: dict | None = None, points: int = validate.POINTS, seed: int = validate.SEED,
                   rtol: float = validate.RTOL, atol: float = validate.ATOL) -> CheckResult:
    """Is `answer` (in x and y) dy/dx (wrt [x]) or d2y/dx2 ([x, x]) on the curve `expr`?"""
    dependent = validate.names(dependent, "--dependent")[0]
    pinned = _pinned(at)
    points, seed = validate.points(points), validate.seed(seed)
    rtol, atol = validate.tolerance(rtol, "--rtol"), validate.tolerance(atol, "--atol")
    (eq,) = _equations(expr, set(pinned) | {dependent} | set(validate.names(wrt, "--wrt") if wrt else []), 1,
                       "an implicit curve")
    f = _difference(eq)
    free = free_variables(f)
    h = _independent(free, dependent, pinned, expr, wrt)
    order = _order(wrt, h, "an implicit derivative")
    at_point = h in pinned and dependent in pinned
    if (h in pinned) != (dependent in pinned):
        raise ValueInputError(f"a point on the curve needs both coordinates: --at {h}=A,{dependent}=B (or neither, "
                              f"to check at points on the curve)")
    constants = [n for n in free if n not in pinned and n not in (h, dependent)]
    if constants and not at_point:
        raise NameLookupError(f"no value for '{constants[0]}': give the constants of the equation values with --at")
    names = {h, dependent} | set(pinned)
    answer_tree = _read_answer(answer, names, names)
    domains = _domains(domain, [h, dependent])
    rng = np.random.default_rng(seed)
    trouble = NumericTrouble()
    notes: list = []
    with trouble.watch(), set_grad_enabled(True), real_roots(), np.errstate(all="ignore"):
        if at_point:  # the derivative at the point given (a constant such as V is what puts it on the curve)
            xs, ys = np.array([pinned[h]]), np.array([pinned[dependent]])
            others = {n: v for n, v in pinned.items() if n not in (h, dependent)}
            truth = _at_point_truth(f, h, dependent, others, constants, xs, ys, trouble, notes)
            if not constants:
                _implicit_slope(f, h, dependent, pinned, trouble, notes)  # is the point on the curve?
            _defined_at(truth["second" if order == 2 else "first"], pinned,
                        f"d{'2' if order == 2 else ''}{dependent}/d{h}{'2' if order == 2 else ''}")
        else:
            xs, ys = _on_curve(f, h, dependent, pinned, domains, points, rng, trouble, expr)
            truth = _implicit_truth(f, h, dependent, pinned, xs, ys, trouble)
        env = {**{n: Tensor(np.float64(v)) for n, v in pinned.items()}, h: Tensor(xs), dependent: Tensor(ys)}
        got = _array(_evaluate(answer_tree, env, [], trouble)[0], len(xs))
    if not at_point and len(xs) < points:
        notes.append(f"only {len(xs)} points on the curve found in the domain (of {points} asked for)")
    expected, failing, diagnosis = _verdict(got, truth, order, rtol, atol, {
        1: [("sign", f"the sign of -F_{h}/F_{dependent} dropped: d{dependent}/d{h} = -F_{h}/F_{dependent}"),
            ("inverse", f"d{h}/d{dependent} given for d{dependent}/d{h}: the reciprocal of the answer is "
                        f"d{dependent}/d{h}"),
            ("no_fy", f"the division by F_{dependent} is missing: d{dependent}/d{h} = -F_{h}/F_{dependent}")],
        2: [("first", "the first derivative given where the second was asked"),
            ("frozen", f"{dependent} treated as a constant in d/d{h}(dy/d{h}): the chain rule's dy/d{h} is "
                       f"missing")]})
    if failing and not diagnosis and not at_point and 0 < len(failing) < len(xs):
        diagnosis = (f"the answer agrees at {len(xs) - len(failing)} of {len(xs)} points on the curve: it may "
                     f"hold on one branch; give a --domain for that branch")
    pts = [{h: float(a), dependent: float(b)} for a, b in zip(xs, ys)]
    subject = (f"d{'2' if order == 2 else ''}{dependent}/d{h}{'2' if order == 2 else ''} on the curve "
               f"{_equation_text([eq])} ({dependent} a function of {h})")
    return CheckResult(expr, _equation_text([eq]), [h] * order, str(answer), to_text(answer_tree), not failing,
                       [h, dependent], pts, expected, got, failing, diagnosis, seed, rtol, atol, domains, notes,
                       kind="implicit", subject=subject)


def _at_point_truth(f, h, v, pinned, constants, xs, ys, trouble, notes) -> dict:
    """The truths at one point; constants without a value must not change them."""
    if not constants:
        return _implicit_truth(f, h, v, pinned, xs, ys, trouble)
    tries = [_implicit_truth(f, h, v, {**pinned, **{c: k for c in constants}}, xs, ys, trouble) for k in (0.37, 1.91)]
    if not all(np.allclose(tries[0][key], tries[1][key], rtol=1e-12, equal_nan=True) for key in ("first", "second")):
        raise NameLookupError(f"no value for '{constants[0]}': the derivative depends on it; give it with --at")
    notes.append(f"{', '.join(constants)} is the constant that puts the point on the curve; the derivative does "
                 f"not depend on its value")
    return tries[0]


def _defined_at(values, pinned: dict, what: str) -> None:
    if not np.all(np.isfinite(values)):
        raise ValueInputError(f"{what} is not defined at {_where(pinned)} (it comes out as {float(values[0])}): "
                              f"there is nothing to check there")


def _order(wrt, h: str, what: str) -> int:
    names = validate.names(wrt, "--wrt") if wrt else [h]
    if any(n != h for n in names) or len(names) > 2:
        raise ValueInputError(f"{what} is taken with respect to {h}: --wrt {h} or --wrt {h},{h}")
    return len(names)


def _domains(domain, names: list) -> dict:
    given = validate.domains(domain or {})
    for n in given:
        if n not in names:
            raise NameLookupError(f"a domain is given for '{n}', which the problem does not use")
    return {n: given.get(n, validate.DOMAIN) for n in names}


def _implicit_truth(f, h, v, pinned, xs, ys, trouble) -> dict:
    env = {**{n: Tensor(np.float64(val)) for n, val in pinned.items()},
           h: Tensor(xs, requires_grad=True), v: Tensor(ys, requires_grad=True)}
    out, parts = _evaluate(f, env, [h, v], trouble, create_graph=True)
    fx, fy = parts[h], parts[v]
    g = -fx / fy
    gx, gy = grad([g], [env[h], env[v]], [Tensor(np.ones(len(xs)))], allow_unused=True)
    gx = np.zeros(len(xs)) if gx is None else _array(gx, len(xs))
    gy = np.zeros(len(xs)) if gy is None else _array(gy, len(xs))
    first = _array(g, len(xs))
    fxa = _array(fx, len(xs))
    return {"first": first, "second": gx + gy * first, "sign": -first, "inverse": 1 / first, "no_fy": -fxa,
            "frozen": gx}


def _on_curve(f, h, v, pinned, domains, want, rng, trouble, text):
    """Points (x, y) on F = 0 in the domain, at most `want`, in random order: for sampled x,
    every y where F changes sign along a fine grid, closed in on by bisection (sqrt(x) +
    sqrt(y) = 1 lives in a corner of the domain), and y by Newton's method from several starts
    (roots where F touches 0 without changing sign); the same for x from sampled y, where the
    curve is steep."""
    pts = _search(f, h, v, pinned, domains, want, rng, trouble)
    if 0 < len(pts) < want:
        # the curve lives in part of the domain (x in [0, 1]): look again there
        spans = {n: (max(domains[n][0], lo - 0.1 * (hi - lo + 1e-9)), min(domains[n][1], hi + 0.1 * (hi - lo + 1e-9)))
                 for n, lo, hi in ((h, pts[:, 0].min(), pts[:, 0].max()), (v, pts[:, 1].min(), pts[:, 1].max()))}
        pts = np.unique(np.concatenate([pts, _search(f, h, v, pinned, spans, want, rng, trouble)]), axis=0)
    if len(pts):  # where dy/dx is finite (no vertical tangent) and the answer may be judged
        env = {**{n: Tensor(np.float64(val)) for n, val in pinned.items()}, h: Tensor(pts[:, 0], requires_grad=True),
               v: Tensor(pts[:, 1], requires_grad=True)}
        _, parts = _evaluate(f, env, [h, v], trouble)
        fx, fy = _array(parts[h], len(pts)), _array(parts[v], len(pts))
        keep = np.isfinite(fx) & np.isfinite(fy) & (np.abs(fy) > 1e-6 * (np.abs(fx) + np.abs(fy)))
        pts = pts[keep]
    if not len(pts):
        span = ", ".join(f"{n} in [{lo:g}, {hi:g}]" for n, (lo, hi) in domains.items())
        raise ValueInputError(f"the curve {text} has no real points in the domain ({span}) where dy/dx is "
                              f"defined; give a --domain where it has")
    pts = pts[rng.permutation(len(pts))][:want]
    return pts[:, 0].copy(), pts[:, 1].copy()


def _search(f, h, v, pinned, domains, want, rng, trouble) -> np.ndarray:
    found = []
    for solve, fixed in ((v, h), (h, v)):
        base = rng.uniform(*domains[fixed], 3 * want)
        field = _Field(f, pinned, fixed, solve, trouble)
        found.append(_bracketed(field, base, domains[solve]))
        found.append(_newton(field, base, domains[solve]))
        if fixed == v:
            found[-2:] = [p[:, ::-1] for p in found[-2:]]
    pts = np.concatenate(found)
    return np.unique(np.round(pts, 9), axis=0) if len(pts) else pts


class _Field:
    """F along the `solve` coordinate with the `fixed` one given: values and slopes at arrays."""

    def __init__(self, f, pinned, fixed, solve, trouble):
        self.f, self.pinned, self.fixed, self.solve, self.trouble = f, pinned, fixed, solve, trouble

    def __call__(self, a, b, slope=False):
        env = {**{n: Tensor(np.float64(val)) for n, val in self.pinned.items()}, self.fixed: Tensor(a),
               self.solve: Tensor(b, requires_grad=slope)}
        out, parts = _evaluate(self.f, env, [self.solve] if slope else [], self.trouble)
        value = _array(out, len(b))
        return (value, _array(parts[self.solve], len(b))) if slope else value


def _bracketed(field, base, bounds) -> np.ndarray:
    """(fixed, solve) pairs where F changes sign between neighbours of a 400-step grid."""
    lo, hi = bounds
    grid = np.linspace(lo, hi, 401)
    a, b = np.repeat(base, len(grid)), np.tile(grid, len(base))
    values = field(a, b).reshape(len(base), len(grid))
    left, right = values[:, :-1], values[:, 1:]
    rows, cols = np.nonzero(np.isfinite(left) & np.isfinite(right) & (np.sign(left) * np.sign(right) < 0))
    if not len(rows):
        return np.zeros((0, 2))
    fixed, low, high = base[rows], grid[cols], grid[cols + 1]
    low_sign = np.sign(left[rows, cols])
    scale = np.maximum(np.abs(left[rows, cols]), np.abs(right[rows, cols]))
    for _ in range(64):  # bisection: each step halves every bracket
        mid = (low + high) / 2
        same = np.sign(field(fixed, mid)) == low_sign
        low, high = np.where(same, mid, low), np.where(same, high, mid)
    root = (low + high) / 2
    ok = np.abs(field(fixed, root)) <= 1e-8 * np.maximum(1.0, scale)  # a pole changes sign too: not a root
    return np.stack((fixed[ok], root[ok]), axis=1)


def _newton(field, base, bounds) -> np.ndarray:
    lo, hi = bounds
    starts = np.linspace(lo, hi, 9)
    a, b = np.repeat(base, len(starts)), np.tile(starts, len(base))
    step = np.full(len(b), np.nan)
    for _ in range(60):
        value, slope = field(a, b, slope=True)
        step = np.where(slope != 0, value / np.where(slope != 0, slope, 1), np.nan)
        b = b - np.clip(step, -(hi - lo), hi - lo)
    value, slope = field(a, b, slope=True)
    # a small step is not enough: where the slope is infinite (sqrt at 0) Newton stands still off the curve
    on = np.isfinite(slope) & (np.abs(value) <= 1e-10 * (1 + np.abs(b)) * np.maximum(1.0, np.abs(slope)))
    converged = np.isfinite(b) & (np.abs(step) <= 1e-11 * (1 + np.abs(b))) & on & (b >= lo) & (b <= hi)
    return np.stack((a[converged], b[converged]), axis=1)


def _verdict(got, truth: dict, order: int, rtol, atol, mistakes: dict) -> tuple:
    """(the truth, the failing points, the mistake that explains them) for the order asked."""
    expected = truth["second"] if order == 2 else truth["first"]
    failing = [int(i) for i in np.flatnonzero(~close(got, expected, rtol, atol))]
    return expected, failing, _explain(got, expected, truth, order, rtol, atol, mistakes) if failing else None


def _explain(got, expected, truth: dict, order: int, rtol, atol, mistakes: dict) -> str | None:
    for key, message in mistakes.get(order, []):
        if key in truth and np.all(close(got, truth[key], rtol, atol)):
            return message
    if np.all(close(got, expected, ROUNDED, atol)):
        return rounded_hint("the answer", "it agrees to within 1% everywhere")
    return None


# --- parametric derivatives --------------------------------------------------------------------

def check_parametric(expr: str, answer: str, wrt=None, at: dict | None = None, domain: dict | None = None,
                     points: int = validate.POINTS, seed: int = validate.SEED, rtol: float = validate.RTOL,
                     atol: float = validate.ATOL) -> CheckResult:
    """Is `answer` (in t) dy/dx (wrt [x]) or d2y/dx2 ([x, x]) of the curve x = X(t), y = Y(t)?"""
    pinned = _pinned(at)
    points, seed = validate.points(points), validate.seed(seed)
    rtol, atol = validate.tolerance(rtol, "--rtol"), validate.tolerance(atol, "--atol")
    eqs, x_of, y_of, t = _parametric(expr, pinned)
    order = _order(wrt, "x", "a parametric derivative")
    names = {t} | set(pinned)
    answer_tree = _read_answer(answer, names, names, f"a parametric derivative is written in {t}")
    domains = _domains(domain, [t])
    rng = np.random.default_rng(seed)
    trouble = NumericTrouble()
    notes: list = []
    at_point = t in pinned
    with trouble.watch(), set_grad_enabled(True), real_roots(), np.errstate(all="ignore"):
        if at_point:  # at the value of t given
            ts = np.array([pinned[t]])
            truth = _parametric_truth(x_of, y_of, t, {n: v for n, v in pinned.items() if n != t}, ts, trouble)
            if order == 1 and truth["dx"][0] == 0:  # a cusp or a vertical tangent: the limit
                env = {n: Tensor(np.float64(v), requires_grad=n == t) for n, v in pinned.items()}
                slope = _parametric_slope(_evaluate(x_of, env, [], trouble)[0], _evaluate(y_of, env, [], trouble)[0],
                                          env[t], 0.0, float(truth["dyv"][0]))
                truth["first"] = np.array([np.inf if slope is None else slope])
            _defined_at(truth["second" if order == 2 else "first"], pinned, f"d{'2' if order == 2 else ''}y/dx"
                        f"{'2' if order == 2 else ''}")
        else:
            ts, truth = _parametric_points(x_of, y_of, t, pinned, domains[t], points, rng, trouble, answer_tree)
        env = {**{n: Tensor(np.float64(v)) for n, v in pinned.items()}, t: Tensor(ts)}
        got = _array(_evaluate(answer_tree, env, [], trouble)[0], len(ts))
    if not at_point and len(ts) < points:
        notes.append(f"only {len(ts)} values of {t} found where dx/d{t} is not 0 (of {points} asked for)")
    expected, failing, diagnosis = _verdict(got, truth, order, rtol, atol, {
        1: [("dy", f"dy/d{t} given for dy/dx: divide it by dx/d{t}"),
            ("dx", f"dx/d{t} given for dy/dx: dy/dx = (dy/d{t})/(dx/d{t})"),
            ("inverse", "dx/dy given for dy/dx: dy/dx = (dy/dt)/(dx/dt)"),
            ("sign", "the sign is wrong: dy/dx = (dy/dt)/(dx/dt)")],
        2: [("first", "the first derivative given where the second was asked"),
            ("undivided", f"d/d{t}(dy/dx) not divided by dx/d{t}: d2y/dx2 = (d/d{t} dy/dx)/(dx/d{t})"),
            ("divided", f"dy/dx divided by dx/d{t} without differentiating it: d2y/dx2 = "
                        f"(d/d{t} dy/dx)/(dx/d{t})"),
            ("ratio", f"the second derivatives divided: d2y/dx2 is (d/d{t} dy/dx)/(dx/d{t}), not y''/x''")]})
    pts = [{t: float(v)} for v in ts]
    subject = f"d{'2' if order == 2 else ''}y/dx{'2' if order == 2 else ''} of the curve {_equation_text(eqs)}"
    return CheckResult(expr, _equation_text(eqs), ["x"] * order, str(answer), to_text(answer_tree), not failing,
                       [t], pts, expected, got, failing, diagnosis, seed, rtol, atol, domains, notes,
                       kind="parametric", subject=subject)


def _parametric_points(x_of, y_of, t, pinned, bounds, want, rng, trouble, answer_tree):
    """Values of t where X' is not 0 and everything is finite, with the truths there."""
    lo, hi = bounds
    kept_t, kept = [], None
    for _ in range(20):
        ts = rng.uniform(lo, hi, 4 * want)
        truth = _parametric_truth(x_of, y_of, t, pinned, ts, trouble)
        env = {**{n: Tensor(np.float64(v)) for n, v in pinned.items()}, t: Tensor(ts)}
        got = _array(_evaluate(answer_tree, env, [], trouble)[0], len(ts))
        good = np.isfinite(truth["first"]) & np.isfinite(truth["second"]) & np.isfinite(got) & (
            np.abs(truth["dx"]) > 1e-8 * (np.abs(truth["dx"]) + np.abs(truth["dyv"]) + 1e-300))
        kept_t.append(ts[good])
        kept = {k: np.concatenate([kept[k], v[good]]) if kept else v[good] for k, v in truth.items()}
        if sum(len(k) for k in kept_t) >= want:
            break
    ts = np.concatenate(kept_t)[:want]
    if not len(ts):
        raise ValueInputError(f"no value of {t} in [{lo:g}, {hi:g}] where dy/dx is defined; give a --domain")
    return ts, {k: v[:want] for k, v in kept.items()}


def _parametric_truth(x_of, y_of, t, pinned, ts, trouble) -> dict:
    env = {**{n: Tensor(np.float64(v)) for n, v in pinned.items()}, t: Tensor(ts, requires_grad=True)}
    _, xd = _evaluate(x_of, env, [t], trouble, create_graph=True)
    _, yd = _evaluate(y_of, env, [t], trouble, create_graph=True)
    dx, dy = xd[t], yd[t]
    g = dy / dx
    n = len(ts)

    def d_dt(u):  # None where u does not depend on t
        if not u.requires_grad:
            return None
        return grad([u], [env[t]], [Tensor(np.ones(np.shape(u.data)))], allow_unused=True, retain_graph=True)[0]

    gt, xdd, ydd = d_dt(g), d_dt(dx), d_dt(dy)
    gt = np.zeros(n) if gt is None else _array(gt, n)
    dxa, dya, first = _array(dx, n), _array(dy, n), _array(g, n)
    xdd = np.zeros(n) if xdd is None else _array(xdd, n)
    ydd = np.zeros(n) if ydd is None else _array(ydd, n)
    return {"first": first, "second": gt / dxa, "dx": dxa, "dyv": dya, "dy": dya, "inverse": dxa / dya,
            "sign": -first, "undivided": gt, "ratio": ydd / xdd, "divided": first / dxa}


# --- one entry for the command line and sheets ------------------------------------------------

KINDS = ("derivative", "tangent", "normal", "implicit", "parametric")


def curve_of(expr: str) -> str:
    """"explicit" (y = expr), "implicit" (one equation) or "parametric" (x = ..., y = ...)."""
    if "=" not in expr:
        return "explicit"
    try:
        with known_variables(single_letters(expr)):
            eqs = parse_equations(expr)
    except Exception:  # noqa: BLE001 - read for real, with its error, by the check itself
        return "implicit"
    if len(eqs) == 1 and isinstance(eqs[0].lhs, Var) and eqs[0].lhs.name == "y" and eqs[0].rhs is not None \
            and "y" not in free_variables(eqs[0].rhs):
        return "explicit"  # y = x^2: a function, written as its graph's equation
    return "parametric" if len(eqs) == 2 else "implicit"


def check_problem(kind: str, expr: str, answer: str, wrt=None, at: dict | None = None, domain: dict | None = None,
                  points: int = validate.POINTS, seed: int = validate.SEED, rtol: float = validate.RTOL,
                  atol: float = validate.ATOL, dependent: str = "y", curve: str | None = None) -> CheckResult:
    """A problem of any kind: the derivative of an expression, a line, an implicit or a
    parametric derivative (a line's curve is read from the expression unless given)."""
    from .derivative import check

    if kind not in KINDS:
        raise ValueInputError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "derivative":
        return check(expr, wrt, answer, at=at, domain=domain, points=points, seed=seed, rtol=rtol, atol=atol)
    if kind in ("tangent", "normal"):
        return check_line(expr, kind, at or {}, answer, wrt=wrt, rtol=rtol, atol=atol,
                          curve=curve or curve_of(expr), dependent=dependent)
    if kind == "implicit":
        return check_implicit(expr, answer, wrt=wrt, dependent=dependent, at=at, domain=domain, points=points,
                              seed=seed, rtol=rtol, atol=atol)
    return check_parametric(expr, answer, wrt=wrt, at=at, domain=domain, points=points, seed=seed, rtol=rtol,
                            atol=atol)

"""Implicit derivatives: on the curve F(x, y) = 0, dy/dx = -F_x/F_y and d2y/dx2 = g_x + g_y g
(g = dy/dx), at points on the curve that calculus/roots.py finds from many starts, so an
answer simplified with the equation itself is right.

>>> check_implicit("x^2 + y^2 = 25", "-x/y").correct
True
"""

from __future__ import annotations

import numpy as np

from ..calculus.roots import in_brackets, newton
from ..calculus.evaluator import as_column, evaluate
from ..engine.autograd import grad
from ..engine.tensor import set_grad_enabled, Tensor
from ..engine.trouble import NumericTrouble
from ..errors import NameLookupError, ValueInputError
from ..inputs import validate
from ..language.build import environment
from ..language.tree import free_variables, to_text
from .derivative import CheckResult
from .curves import (defined_at, derivative_order, difference, equation_text, implicit_slope, independent_variable,
                     pinned_values, problem_domains, read_answer, read_equations, verdict)


def check_implicit(expr: str, answer: str, wrt=None, dependent: str = "y", at: dict | None = None,
                   domain: dict | None = None, points: int = validate.POINTS, seed: int = validate.SEED,
                   rtol: float = validate.RTOL, atol: float = validate.ATOL) -> CheckResult:
    """Is `answer` (in x and y) dy/dx (wrt [x]) or d2y/dx2 ([x, x]) on the curve `expr`?"""
    dependent = validate.names(dependent, "--dependent")[0]
    pinned = pinned_values(at)
    points, seed = validate.points(points), validate.seed(seed)
    rtol, atol = validate.tolerance(rtol, "--rtol"), validate.tolerance(atol, "--atol")
    (eq,) = read_equations(expr, set(pinned) | {dependent} | set(validate.names(wrt, "--wrt") if wrt else []), 1,
                       "an implicit curve")
    f = difference(eq)
    free = free_variables(f)
    h = independent_variable(free, dependent, pinned, expr, wrt)
    order = derivative_order(wrt, h, "an implicit derivative")
    at_point = h in pinned and dependent in pinned
    if (h in pinned) != (dependent in pinned):
        raise ValueInputError(f"a point on the curve needs both coordinates: --at {h}=A,{dependent}=B (or neither, "
                              f"to check at points on the curve)")
    constants = [n for n in free if n not in pinned and n not in (h, dependent)]
    if constants and not at_point:
        raise NameLookupError(f"no value for '{constants[0]}': give the constants of the equation values with --at")
    names = {h, dependent} | set(pinned)
    answer_tree = read_answer(answer, names, names, order, h)
    domains = problem_domains(domain, [h, dependent])
    rng = np.random.default_rng(seed)
    trouble = NumericTrouble()
    notes: list = []
    with trouble.watch(), set_grad_enabled(True), np.errstate(all="ignore"):
        if at_point:  # the derivative at the point given (a constant such as V is what puts it on the curve)
            xs, ys = np.array([pinned[h]]), np.array([pinned[dependent]])
            others = {n: v for n, v in pinned.items() if n not in (h, dependent)}
            truth = _at_point_truth(f, h, dependent, others, constants, xs, ys, trouble, notes)
            if not constants:
                implicit_slope(f, h, dependent, pinned, trouble, notes)  # is the point on the curve?
            defined_at(truth["second" if order == 2 else "first"], pinned,
                        f"d{'2' if order == 2 else ''}{dependent}/d{h}{'2' if order == 2 else ''}")
        else:
            xs, ys = _on_curve(f, h, dependent, pinned, domains, points, rng, trouble, expr)
            truth = _implicit_truth(f, h, dependent, pinned, xs, ys, trouble)
        env = environment(pinned, {h: xs, dependent: ys})
        got = as_column(evaluate(answer_tree, env, [], trouble)[0], len(xs))
    if not at_point and len(xs) < points:
        notes.append(f"only {len(xs)} points on the curve found in the domain (of {points} asked for)")
    expected, failing, diagnosis = verdict(got, truth, order, rtol, atol, {
        1: [("sign", f"the sign of -F_{h}/F_{dependent} dropped: d{dependent}/d{h} = -F_{h}/F_{dependent}"),
            ("inverse", f"d{h}/d{dependent} given for d{dependent}/d{h}: the reciprocal of the answer is "
                        f"d{dependent}/d{h}"),
            ("no_fy", f"the division by F_{dependent} is missing: d{dependent}/d{h} = -F_{h}/F_{dependent}")],
        2: [("first", "the first derivative given where the second was asked"),
            ("frozen", f"{dependent} treated as a constant in d/d{h}(dy/d{h}): the chain rule's dy/d{h} is "
                       f"missing")]}, answer_tree,
        lambda tree: as_column(evaluate(tree, env, [], trouble)[0], len(xs)))
    if failing and not diagnosis and not at_point and 0 < len(failing) < len(xs):
        diagnosis = (f"the answer agrees at {len(xs) - len(failing)} of {len(xs)} points on the curve: it may "
                     f"hold on one branch; give a --domain for that branch")
    pts = [{h: float(a), dependent: float(b)} for a, b in zip(xs, ys)]
    subject = (f"d{'2' if order == 2 else ''}{dependent}/d{h}{'2' if order == 2 else ''} on the curve "
               f"{equation_text([eq])} ({dependent} a function of {h})")
    return CheckResult(expr, equation_text([eq]), [h] * order, str(answer), to_text(answer_tree), not failing,
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


def _implicit_truth(f, h, v, pinned, xs, ys, trouble) -> dict:
    env = environment(pinned, {h: xs, v: ys}, wrt=(h, v))
    out, parts = evaluate(f, env, [h, v], trouble, create_graph=True)
    fx, fy = parts[h], parts[v]
    g = -fx / fy
    gx, gy = grad([g], [env[h], env[v]], [Tensor(np.ones(len(xs)))], allow_unused=True)
    gx = np.zeros(len(xs)) if gx is None else as_column(gx, len(xs))
    gy = np.zeros(len(xs)) if gy is None else as_column(gy, len(xs))
    first = as_column(g, len(xs))
    fxa = as_column(fx, len(xs))
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
        env = environment(pinned, {h: pts[:, 0], v: pts[:, 1]}, wrt=(h, v))
        _, parts = evaluate(f, env, [h, v], trouble)
        fx, fy = as_column(parts[h], len(pts)), as_column(parts[v], len(pts))
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
        env = environment(self.pinned, {self.fixed: a, self.solve: b}, wrt=(self.solve,) if slope else ())
        out, parts = evaluate(self.f, env, [self.solve] if slope else [], self.trouble)
        value = as_column(out, len(b))
        return (value, as_column(parts[self.solve], len(b))) if slope else value


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
    fixed = base[rows]
    scale = np.maximum(np.abs(left[rows, cols]), np.abs(right[rows, cols]))
    root = in_brackets(lambda b: field(fixed, b, slope=True), grid[cols], grid[cols + 1], left[rows, cols],
                       right[rows, cols])
    ok = np.abs(field(fixed, root)) <= 1e-8 * np.maximum(1.0, scale)  # a pole changes sign too: not a root
    return np.stack((fixed[ok], root[ok]), axis=1)


def _newton(field, base, bounds) -> np.ndarray:
    """(fixed, solve) pairs that Newton's method reaches from 9 starts across the bounds."""
    starts = np.linspace(*bounds, 9)
    a = np.repeat(base, len(starts))
    b, converged = newton(lambda b: field(a, b, slope=True), np.tile(starts, len(base)), bounds)
    return np.stack((a[converged], b[converged]), axis=1)

"""Parametric derivatives: of the curve x = X(t), y = Y(t), dy/dx = Y'/X' and d2y/dx2 =
(d/dt dy/dx)/X', at values of t where X' is not 0.

>>> check_parametric("x = t^2 - 3, y = 2t - 1", "1/t").correct
True
"""

from __future__ import annotations

import numpy as np

from ..calculus.evaluator import as_column, evaluate
from ..engine.autograd import grad
from ..engine.tensor import set_grad_enabled, Tensor
from ..engine.trouble import NumericTrouble
from ..errors import ValueInputError
from ..inputs import validate
from ..language.build import environment
from ..language.tree import to_text
from .derivative import CheckResult
from .curves import (defined_at, derivative_order, equation_text, parametric_slope, pinned_values, problem_domains,
                     read_answer, read_parametric, verdict)


def check_parametric(expr: str, answer: str, wrt=None, at: dict | None = None, domain: dict | None = None,
                     points: int = validate.POINTS, seed: int = validate.SEED, rtol: float = validate.RTOL,
                     atol: float = validate.ATOL) -> CheckResult:
    """Is `answer` (in t) dy/dx (wrt [x]) or d2y/dx2 ([x, x]) of the curve x = X(t), y = Y(t)?"""
    pinned = pinned_values(at)
    points, seed = validate.points(points), validate.seed(seed)
    rtol, atol = validate.tolerance(rtol, "--rtol"), validate.tolerance(atol, "--atol")
    eqs, x_of, y_of, t = read_parametric(expr, pinned)
    order = derivative_order(wrt, "x", "a parametric derivative")
    names = {t} | set(pinned)
    answer_tree = read_answer(answer, names, names, order, "x", f"a parametric derivative is written in {t}")
    domains = problem_domains(domain, [t])
    rng = np.random.default_rng(seed)
    trouble = NumericTrouble()
    notes: list = []
    at_point = t in pinned
    with trouble.watch(), set_grad_enabled(True), np.errstate(all="ignore"):
        if at_point:  # at the value of t given
            ts = np.array([pinned[t]])
            truth = _parametric_truth(x_of, y_of, t, {n: v for n, v in pinned.items() if n != t}, ts, trouble)
            if order == 1 and truth["dx"][0] == 0:  # a cusp or a vertical tangent: the limit
                env = environment(pinned, wrt=(t,))
                slope = parametric_slope(evaluate(x_of, env, [], trouble)[0], evaluate(y_of, env, [], trouble)[0],
                                          env[t], 0.0, float(truth["dyv"][0]))
                truth["first"] = np.array([np.inf if slope is None else slope])
            defined_at(truth["second" if order == 2 else "first"], pinned, f"d{'2' if order == 2 else ''}y/dx"
                        f"{'2' if order == 2 else ''}")
        else:
            ts, truth = _parametric_points(x_of, y_of, t, pinned, domains[t], points, rng, trouble, answer_tree)
        env = environment(pinned, {t: ts})
        got = as_column(evaluate(answer_tree, env, [], trouble)[0], len(ts))
    if not at_point and len(ts) < points:
        notes.append(f"only {len(ts)} values of {t} found where dx/d{t} is not 0 (of {points} asked for)")
    expected, failing, diagnosis = verdict(got, truth, order, rtol, atol, {
        1: [("dy", f"dy/d{t} given for dy/dx: divide it by dx/d{t}"),
            ("dx", f"dx/d{t} given for dy/dx: dy/dx = (dy/d{t})/(dx/d{t})"),
            ("inverse", "dx/dy given for dy/dx: dy/dx = (dy/dt)/(dx/dt)"),
            ("sign", "the sign is wrong: dy/dx = (dy/dt)/(dx/dt)")],
        2: [("first", "the first derivative given where the second was asked"),
            ("undivided", f"d/d{t}(dy/dx) not divided by dx/d{t}: d2y/dx2 = (d/d{t} dy/dx)/(dx/d{t})"),
            ("divided", f"dy/dx divided by dx/d{t} without differentiating it: d2y/dx2 = "
                        f"(d/d{t} dy/dx)/(dx/d{t})"),
            ("ratio", f"the second derivatives divided: d2y/dx2 is (d/d{t} dy/dx)/(dx/d{t}), not y''/x''")]},
        answer_tree, lambda tree: as_column(evaluate(tree, env, [], trouble)[0], len(ts)))
    pts = [{t: float(v)} for v in ts]
    subject = f"d{'2' if order == 2 else ''}y/dx{'2' if order == 2 else ''} of the curve {equation_text(eqs)}"
    return CheckResult(expr, equation_text(eqs), ["x"] * order, str(answer), to_text(answer_tree), not failing,
                       [t], pts, expected, got, failing, diagnosis, seed, rtol, atol, domains, notes,
                       kind="parametric", subject=subject)


def _parametric_points(x_of, y_of, t, pinned, bounds, want, rng, trouble, answer_tree):
    """Values of t where X' is not 0 and everything is finite, with the truths there."""
    lo, hi = bounds
    kept_t, kept = [], None
    for _ in range(20):
        ts = rng.uniform(lo, hi, 4 * want)
        truth = _parametric_truth(x_of, y_of, t, pinned, ts, trouble)
        env = environment(pinned, {t: ts})
        got = as_column(evaluate(answer_tree, env, [], trouble)[0], len(ts))
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
    env = environment(pinned, {t: ts}, wrt=(t,))
    _, xd = evaluate(x_of, env, [t], trouble, create_graph=True)
    _, yd = evaluate(y_of, env, [t], trouble, create_graph=True)
    dx, dy = xd[t], yd[t]
    g = dy / dx
    n = len(ts)

    def d_dt(u):  # None where u does not depend on t
        if not u.requires_grad:
            return None
        return grad([u], [env[t]], [Tensor(np.ones(np.shape(u.data)))], allow_unused=True, retain_graph=True)[0]

    gt, xdd, ydd = d_dt(g), d_dt(dx), d_dt(dy)
    gt = np.zeros(n) if gt is None else as_column(gt, n)
    dxa, dya, first = as_column(dx, n), as_column(dy, n), as_column(g, n)
    xdd = np.zeros(n) if xdd is None else as_column(xdd, n)
    ydd = np.zeros(n) if ydd is None else as_column(ydd, n)
    return {"first": first, "second": gt / dxa, "dx": dxa, "dyv": dya, "dy": dya, "inverse": dxa / dya,
            "sign": -first, "undivided": gt, "ratio": ydd / xdd, "divided": first / dxa}

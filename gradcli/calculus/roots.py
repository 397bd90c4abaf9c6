"""The one root finder: zeros of many functions at once, each in its own bracket, by Newton's
method kept inside the bracket (bisection where a step would leave it, or where Newton
crawls), and plain bisection where only a yes/no is known (where f starts being defined).
Every search for zeros in gradcli (plot's critical and inflection points, the edges of a
domain, points on an implicit curve) is one of these calls.

>>> import numpy as np
>>> f = lambda x: (x * x - 2, 2 * x)
>>> in_brackets(f, np.array([1.0, -2.0]), np.array([2.0, -1.0])).tolist()
[1.414213562373095, -1.414213562373095]
>>> bisect(lambda m: m * m < 2, np.array([0.0]), np.array([2.0]))[1].tolist()
[1.4142135623730951]
"""

from __future__ import annotations

import numpy as np

MAX_STEPS = 100   # a float interval halves to one ulp in ~60 steps; Newton needs far fewer


def in_brackets(value_and_slope, a, b, fa=None, fb=None, steps: int = MAX_STEPS) -> np.ndarray:
    """A zero of each function in [a, b] whose ends have values of opposite signs (fa, fb: the
    values there, when known). value_and_slope(x) -> (f(x), f'(x)), elementwise. The result
    is to the last digit, or a pole: the caller tells them apart by the value there."""
    a, b = np.array(a, dtype=np.float64), np.array(b, dtype=np.float64)
    fa = value_and_slope(a)[0] if fa is None else np.array(fa, dtype=np.float64)
    fb = value_and_slope(b)[0] if fb is None else np.array(fb, dtype=np.float64)
    with np.errstate(all="ignore"):
        x = a - fa * (b - a) / (fb - fa)   # the secant's zero: a first guess inside the bracket
    x = np.where(np.isfinite(x) & (x > np.minimum(a, b)) & (x < np.maximum(a, b)), x, (a + b) / 2)
    done = np.zeros(len(x), dtype=bool)
    width = np.abs(b - a)
    for _ in range(steps):
        v, dv = value_and_slope(x)
        done |= v == 0
        same = np.sign(v) == np.sign(fa)
        a, fa = np.where(same, x, a), np.where(same, v, fa)
        b, fb = np.where(~same, x, b), np.where(~same, v, fb)
        with np.errstate(all="ignore"):
            step = x - v / dv
        # Newton crawls into a multiple zero (x^9 at 0): where the bracket has not halved,
        # the next step is a bisection
        slow = np.abs(b - a) > width / 2
        width = np.where(slow, width, np.abs(b - a))
        inside = np.isfinite(step) & (step > np.minimum(a, b)) & (step < np.maximum(a, b)) & ~slow
        new = np.where(inside, step, (a + b) / 2)
        tol = 4 * np.spacing(np.maximum(np.abs(x), 1e-300))
        done |= (np.abs(new - x) <= tol) | (np.abs(b - a) <= tol)
        x = np.where(done, x, new)
        if done.all():
            break
    return x


def bisect(like_a, a, b, steps: int = MAX_STEPS) -> tuple[np.ndarray, np.ndarray]:
    """Narrow each [a, b] (either may be the larger) to where like_a(x), true at a and false
    at b, changes: the last points of each kind, an ulp apart."""
    a, b = np.array(a, dtype=np.float64), np.array(b, dtype=np.float64)
    for _ in range(steps):
        mid = (a + b) / 2
        stuck = (mid == a) | (mid == b)
        if stuck.all():
            break
        same = like_a(mid)
        a = np.where(~stuck & same, mid, a)
        b = np.where(~stuck & ~same, mid, b)
    return a, b


def newton(value_and_slope, x, bounds: tuple, steps: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Newton's method from many starts at once, each step at most the width of `bounds`:
    (where each ended, whether it converged there to a zero inside the bounds). A small step
    is not enough: where the slope is infinite (sqrt at 0) Newton stands still off the zero."""
    lo, hi = bounds
    x = np.array(x, dtype=np.float64)
    step = np.full(len(x), np.nan)
    for _ in range(steps):
        value, slope = value_and_slope(x)
        step = np.where(slope != 0, value / np.where(slope != 0, slope, 1), np.nan)
        x = x - np.clip(step, -(hi - lo), hi - lo)
    value, slope = value_and_slope(x)
    on = np.isfinite(slope) & (np.abs(value) <= 1e-10 * (1 + np.abs(x)) * np.maximum(1.0, np.abs(slope)))
    converged = np.isfinite(x) & (np.abs(step) <= 1e-11 * (1 + np.abs(x))) & on & (x >= lo) & (x <= hi)
    return x, converged

"""Derivatives and Taylor coefficients that know how many of their digits are right.

The float64 Taylor pass (taylor.py) is the fast path. Its error is estimated by running it
again with every node's coefficients nudged by a few units of rounding (twice, with
different nudges): a result that moves by more than its promise allows was computed through
cancellation (sin(x)/x at 1 to order 20 loses all 16 digits in its quotient's recurrence).
Where the estimate falls short of the digits wanted, the ball pass (ball.py, Arb through
python-flint, imported only then) computes the same series with rigorous error bounds,
raising its precision until it has the digits or reaches its cap; what it cannot vouch for
it says. The estimate is no proof; the ball is, and tests/engine/test_accuracy.py and
tests/stress/accuracy.py hold the float path's promise to mpmath at 50 digits.

>>> import gradcli
>>> x = gradcli.tensor(1.0, requires_grad=True)
>>> found = derivatives(gradcli.sin(x) / x, x, 20)
>>> round(float(found.values[19]), 8), found.refined, found.digits[19]
(0.02749599, True, 15)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from . import taylor as T
from .tensor import Tensor

PROMISE = 12          # digits every derivative has, or is flagged: right to 1e-12 relative
FLOAT_DIGITS = 15     # a float's digits: the nearest float to the truth is within 1.1e-16, so 15 are right
_SAFETY = 8.0         # how much further off than the nudges moved it a result may be (the differential tests hold it)
_NUDGES = 2


class Found(NamedTuple):
    """values: floats (orders 1..N, or coefficients 0..N); digits: per entry, how many
    significant digits of the float are right (FLOAT_DIGITS at best; 0: none, and the
    value is NaN); balls: the ball pass's Balls when it ran (their digits may exceed a
    float's: symbolic/numbers.py writes them), else None."""
    values: np.ndarray
    digits: list
    balls: list | None

    @property
    def refined(self) -> bool:
        return self.balls is not None


def derivatives(output: Tensor, x: Tensor, order: int, digits: int | None = None) -> Found:
    """d^k output/dx^k, k = 1..order, at a scalar x, each with its digits; `digits` asks for
    that many significant digits as text (the ball pass runs whenever it is more than a
    float holds)."""
    values = np.asarray(T.derivatives(output, x, order), dtype=np.float64).reshape(order)
    estimate = _spread(lambda jitter: T.derivatives(output, x, order, jitter=jitter), values)
    return _settle(values, estimate, digits, lambda d: _ball().derivatives(output, x, order, digits=d),
                   _scalar(output, x))


def coefficients(output: Tensor, x: Tensor, degree: int, digits: int | None = None) -> Found:
    """f^(k)(x0)/k!, k = 0..degree, at a scalar x, each with its digits (see derivatives)."""
    values = np.asarray(T.series(output, x, degree), dtype=np.float64).reshape(degree + 1)
    estimate = _spread(lambda jitter: T.series(output, x, degree, jitter=jitter), values)
    return _settle(values, estimate, digits, lambda d: _ball().coefficients(output, x, degree, digits=d),
                   _scalar(output, x))


def value(output: Tensor, digits: int | None = None) -> Found:
    """A scalar graph's value, by the ball pass (its leaves exact): for re-checking a point."""
    b = _ball().value(output, digits=max(digits or 0, FLOAT_DIGITS + 1))
    return _from_balls([b], digits)


def _ball():
    from . import ball  # flint costs start-up: only here, when a float was not enough

    return ball


def _scalar(output, x) -> bool:
    return np.ndim(output.data) == 0 and np.ndim(x.data) == 0


def _spread(run, values: np.ndarray) -> np.ndarray:
    """How far the nudged passes move each entry, times a safety factor."""
    rng = np.random.default_rng(20240917)  # fixed: the same request gives the same answer
    worst = np.zeros(values.shape)
    with np.errstate(all="ignore"):
        for _ in range(_NUDGES):
            moved = np.asarray(run(rng), dtype=np.float64).reshape(values.shape)
            gap = np.abs(moved - values)
            gap = np.where(np.isnan(gap) & ~np.isnan(values), np.inf, gap)
            worst = np.maximum(worst, np.nan_to_num(gap, nan=0.0, posinf=np.inf))
    return worst * _SAFETY


def float_digits(values: np.ndarray, error: np.ndarray) -> list:
    """Significant digits right in each value, given an error bound (estimated)."""
    out = []
    for v, e in zip(np.ravel(values), np.ravel(error)):
        if not math.isfinite(v):
            out.append(0)
        elif e == 0:  # no nudge moved it: rounding cannot reach it, but the last digits are a float's
            out.append(FLOAT_DIGITS - 2)
        elif v == 0 or not math.isfinite(e):
            out.append(0)
        else:
            # two digits short of a float's: the estimate is an estimate (the stress run found
            # errors of 2e-14 where it said 1e-14), and the promise is 12
            out.append(int(max(0, min(FLOAT_DIGITS - 2, math.floor(-math.log10(e / abs(v)))))))
    return out


def _settle(values, estimate, digits, by_ball, scalar: bool) -> Found:
    have = float_digits(values, estimate)
    wanted = max(PROMISE, digits or 0)
    short = [k for k, (v, d) in enumerate(zip(values, have)) if d < wanted and not np.isinf(v)]
    if not short or not scalar:
        return Found(values, have, None)
    balls = by_ball(max(wanted, FLOAT_DIGITS + 1))
    found = _from_balls(balls, digits)
    # where the ball knows less than the float's estimate (it never should), keep the float
    # and where neither knows a digit, the float's inf or NaN says more than the ball's NaN
    keep = [k for k in range(len(values)) if (found.digits[k] < have[k] and math.isfinite(values[k]))
            or (found.digits[k] == 0 and not math.isfinite(values[k]))]
    vals = np.array(found.values)
    for k in keep:
        vals[k] = values[k]
    digs = [have[k] if k in keep else found.digits[k] for k in range(len(values))]
    return Found(vals, digs, found.balls)


def _from_balls(balls, digits) -> Found:
    vals = np.array([b.value for b in balls], dtype=np.float64)
    digs = [min(FLOAT_DIGITS, b.digits) if math.isfinite(v) else 0 for b, v in zip(balls, vals)]
    # a ball too wide to vouch for any digit gives no number at all: NaN, flagged
    vals = np.where(np.array(digs, dtype=int) == 0, np.nan, vals) if len(vals) else vals
    return Found(vals, digs, list(balls))

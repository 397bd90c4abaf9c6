"""Taylor mode: every derivative of one variable in one forward pass over the graph.

Each node's value becomes a truncated Taylor series in a step t, x = x0 + h t (series.py);
each primitive's `taylor` rule (its row in ops.py) maps its inputs' series to its own. The
k-th derivative is k! c_k / h^k. A series of coefficients c_k = f^(k)/k! underflows for an
entire function (1/k! is 0 in floats past k = 170) and overflows near a pole when h is too
large, so high orders run more passes, at step sizes 8 times larger or smaller, and take
each order from a pass where its coefficient is a normal float: the 1000th derivative of
sin(x + 1) at 0 is sin 1, 0.8414709848, not 0.

>>> import gradcli
>>> x = gradcli.tensor(0.5, requires_grad=True)
>>> [round(float(d), 6) for d in derivatives(gradcli.sin(x) * gradcli.exp(x), x, 3)]
[2.237328, 2.893778, 1.3129]
"""

from __future__ import annotations

import math

import numpy as np

from . import series as S
from .autograd import toposort
from .errors import GradError
from .tensor import EXACT, Tensor



def series(output: Tensor, x: Tensor, degree: int, step: float = 1.0, jitter=None) -> np.ndarray:
    """The Taylor coefficients of `output` in t, where x = x0 + step t: shape (degree + 1, *output.shape).

    A quotient 0/0 (sin x / x at 0) cancels its leading zeros, which leaves its top
    coefficients unknown: the pass is then run again that many degrees longer.
    `jitter`, a NumPy Generator: every node's coefficients are nudged by a few units in the
    last place, as if rounded differently; how far the result moves estimates its error."""
    if not output.requires_grad:
        return S.constant(output.data, degree)
    order = toposort([output])
    extra = 0
    for _ in range(_LONGER):
        S.lost(reset=True)
        out = _pass(order, output, x, degree + extra, step, jitter)
        lost = S.lost(reset=True)
        if lost <= extra:
            return out[:degree + 1]
        extra = lost
    return out[:degree + 1]


_LONGER = 4   # passes at most: the second already knows every division's loss


def _pass(order, output, x, degree, step, jitter) -> np.ndarray:
    def constant(t):
        c = S.constant(t.data, degree)
        if jitter is not None and EXACT.get(t) is not None:
            # a constant whose float is not the number it stands for (0.3, pi): nudged too.
            # Not the others: the point is exact, and a whole exponent (x^2) must stay whole.
            c[0] = c[0] * _nudges(jitter, c[0].shape)
        return c

    known = {id(x): _variable(x, degree, step)}
    S.JITTER.rng = jitter  # the arithmetic inside rules made from a slope is nudged too (1 - x^2)
    try:
        return _walk(order, output, known, constant, jitter)
    finally:
        S.JITTER.rng = None


def _walk(order, output, known, constant, jitter):
    for node in order:
        if id(node) in known:
            continue
        prim = node._prim
        if prim is None:  # another variable: a constant here
            known[id(node)] = constant(node)
            continue
        if prim.taylor is None:
            raise GradError(f"{prim.name} has no Taylor rule")
        inputs = [known.get(id(p)) if id(p) in known else constant(p) for p in node._parents]
        with np.errstate(all="ignore"):
            out = np.asarray(prim.taylor(*inputs, **node._params), dtype=np.float64)
            if jitter is not None:
                out = out * _nudges(jitter, out.shape)
            known[id(node)] = out
    return known[id(output)]


def _nudges(jitter, shape) -> np.ndarray:
    """Factors 1 +- 1 or 2 units in the last place, at random: each one changes a float (a
    smaller nudge would often round back to the number it nudged)."""
    return 1.0 + jitter.choice(_NUDGES, size=shape)


_NUDGES = np.array([-2.0, -1.0, 1.0, 2.0]) * 2.0 ** -52


def _variable(x: Tensor, degree: int, step: float) -> np.ndarray:
    s = S.constant(x.data, degree)
    if degree:
        s[1] = step
    return s


def coefficients(output: Tensor, x: Tensor, degree: int) -> np.ndarray:
    """f^(k)(x0)/k! for k = 0..degree (the Taylor polynomial's coefficients)."""
    return series(output, x, degree)


def derivatives(output: Tensor, x: Tensor, order: int, jitter=None) -> list[np.ndarray]:
    """d^k output / dx^k for k = 1..order, elementwise: x a number, or a batch of points whose
    output elements each depend on their own element of x only (the caller knows).

    Each order, at each point, comes from a pass at a step size h where its coefficient
    c_k h^k is a normal float; passes are added (h times or over 8) for the orders that
    underflow or overflow, until each has one or they are out of reach of floats.
    `jitter`: as series() (accuracy.py estimates the error so)."""
    shape = x.shape
    if np.shape(output.data) not in ((), shape):
        raise GradError("derivatives of higher order need an output of the variable's shape, element by element")
    passes = {1.0: _series(output, x, order, 1.0, shape, jitter)}
    for _ in range(_MORE):
        state = _states(passes)
        bigger, smaller = bool(np.any(state == _SMALL)), bool(np.any(state == _BIG))
        if not (bigger or smaller):
            break
        if bigger:
            h = max(passes) * 8
            passes[h] = _series(output, x, order, h, shape, jitter)
        if smaller:
            h = min(passes) / 8
            passes[h] = _series(output, x, order, h, shape, jitter)
    values = _values(passes)
    return [values[k] for k in range(1, order + 1)]


_MORE = 8          # passes added at most
_GOOD = (1e-200, 1e200)
_NORMAL, _ZERO, _SMALL, _BIG, _NAN = range(5)


def _series(output, x, order, h, shape, jitter=None) -> np.ndarray:
    return np.broadcast_to(series(output, x, order, h, jitter), (order + 1,) + shape)


def _kinds(c: np.ndarray) -> np.ndarray:
    """Each coefficient as _NORMAL, _ZERO, _SMALL (subnormal-ish), _BIG or _NAN."""
    a = np.abs(c)
    kinds = np.full(c.shape, _NORMAL, dtype=np.int8)
    kinds[a < _GOOD[0]] = _SMALL
    kinds[c == 0] = _ZERO
    kinds[a > _GOOD[1]] = _BIG
    kinds[np.isnan(c)] = _NAN
    return kinds


def _states(passes: dict) -> np.ndarray:
    """Per order and point: _NORMAL when some pass has a normal c_k (or it is truly 0), else
    which way the step should go (_SMALL: bigger steps, _BIG: smaller)."""
    kinds = np.stack([_kinds(c) for c in passes.values()])        # (pass, order, *points)
    normal = kinds == _NORMAL
    # 0 between normal neighbours is a true 0 (sin's even orders at 0)
    beside = np.zeros_like(normal)
    beside[:, 1:] |= normal[:, :-1]
    beside[:, :-1] |= normal[:, 1:]
    settled = normal.any(0) | ((kinds == _ZERO) & beside).any(0) | (kinds == _NAN).all(0)  # all NaN: no step helps
    state = np.full(settled.shape, _NORMAL, dtype=np.int8)
    if max(passes) < 1e12:
        state[~settled & ((kinds == _SMALL) | (kinds == _ZERO)).any(0)] = _SMALL
    if min(passes) > 1e-12:
        state[~settled & (state == _NORMAL) & (kinds == _BIG).any(0)] = _BIG
    return state


def _values(passes: dict) -> np.ndarray:
    """k! c_k / h^k per order and point, from the pass where c_k is most nearly 1 in size;
    where none is normal, 0 if it is a true 0, else the largest finite (beyond floats, or 0
    to them), else inf or NaN: the derivative is not finite."""
    hs = list(passes)
    stack = np.stack([passes[h] for h in hs])                       # (pass, order, *points)
    kinds = np.stack([_kinds(c) for c in stack])
    with np.errstate(all="ignore"):
        size = np.abs(stack)
        score = np.where(kinds == _NORMAL, np.abs(np.log10(np.where(size > 0, size, 1.0))), np.inf)
        # the first pass (h = 1) wherever it is normal: a point's derivatives then do not depend
        # on which other points shared its batch and asked for more passes
        score[0] = np.where(kinds[0] == _NORMAL, -1.0, score[0])
        finite = np.where(np.isfinite(stack), size, -1.0)
    best = np.where(np.isfinite(score).any(0), score.argmin(0), finite.argmax(0))
    chosen = np.take_along_axis(stack, best[None], 0)[0]
    h = np.asarray(hs)[best]
    out = np.empty(chosen.shape)
    for k in range(chosen.shape[0]):
        out[k] = _unscale(chosen[k], k, h[k])
    true_zero = ~(kinds == _NORMAL).any(0) & (kinds == _ZERO).any(0) & (_states(passes) == _NORMAL)
    out[true_zero] = 0.0
    return out


def _unscale(ck, k: int, h):
    """k! c_k / h^k, elementwise (h per point), through logarithms where the factor alone
    would overflow."""
    ck, h = np.asarray(ck, dtype=np.float64), np.asarray(h, dtype=np.float64)
    with np.errstate(all="ignore"):
        factor = math.lgamma(k + 1) - k * np.log(h)
        scaled = np.where(factor < 700, ck * np.exp(np.minimum(factor, 700)),
                          np.sign(ck) * np.exp(np.log(np.abs(ck)) + factor))
    if k <= 170:  # exactly k! at h = 1: x^2 has second derivative 2, not 1.9999999999999996
        scaled = np.where(h == 1.0, ck * float(math.factorial(k)), scaled)
    return scaled

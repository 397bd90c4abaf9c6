"""Taylor mode: every derivative of one variable in one forward pass over the graph.

Each node's value becomes a truncated Taylor series in a step t, x = x0 + h t (series.py);
each primitive's `taylor` rule (its row in ops.py) maps its inputs' series to its own. The
k-th derivative is k! c_k / h^k. A series of coefficients c_k = f^(k)/k! underflows for an
entire function (1/k! is 0 in floats past k = 170) and overflows near a pole when h is too
large, so high orders run the pass at a few step sizes h and take each order from a pass
where its coefficient is a normal float: the 1000th derivative of sin(x + 1) at 0 is sin 1,
0.8414709848, not 0.

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
from .tensor import Tensor

# step sizes for high orders: 1 near poles (coefficients like R^-k), larger for entire
# functions (1/k! h^k stays a normal float to k ~ e h)
_STEPS = (1.0, 16.0, 256.0)
_TINY = 1e-250   # a coefficient below this may have lost digits to underflow: another step takes it


def series(output: Tensor, x: Tensor, degree: int, step: float = 1.0) -> np.ndarray:
    """The Taylor coefficients of `output` in t, where x = x0 + step t: shape (degree + 1, *output.shape)."""
    if not output.requires_grad:
        return S.constant(output.data, degree)
    order = toposort([output])
    known = {id(x): _variable(x, degree, step)}
    for node in order:
        if id(node) in known:
            continue
        prim = node._prim
        if prim is None:  # another variable: a constant here
            known[id(node)] = S.constant(node.data, degree)
            continue
        if prim.taylor is None:
            raise GradError(f"{prim.name} has no Taylor rule")
        inputs = [known.get(id(p)) if id(p) in known else S.constant(p.data, degree) for p in node._parents]
        with np.errstate(all="ignore"):
            known[id(node)] = np.asarray(prim.taylor(*inputs, **node._params), dtype=np.float64)
    return known[id(output)]


def _variable(x: Tensor, degree: int, step: float) -> np.ndarray:
    s = S.constant(x.data, degree)
    if degree:
        s[1] = step
    return s


def coefficients(output: Tensor, x: Tensor, degree: int) -> np.ndarray:
    """f^(k)(x0)/k! for k = 0..degree (the Taylor polynomial's coefficients)."""
    return series(output, x, degree)


def derivatives(output: Tensor, x: Tensor, order: int) -> list[np.ndarray]:
    """d^k output / dx^k for k = 1..order from Taylor passes, each order from a step at which
    its coefficient is a normal float."""
    if x.ndim != 0:
        raise GradError("derivatives of higher order need a scalar variable")
    steps = _STEPS[:1] if order <= 24 else _STEPS
    passes = [(h, series(output, x, order, h)) for h in steps]
    result = []
    for k in range(1, order + 1):
        value = np.full(np.shape(passes[0][1][k]), np.nan)
        unset = np.ones(value.shape, dtype=bool)
        zero = np.ones(value.shape, dtype=bool)      # 0 in every pass where finite: truly 0
        fallback = np.full(value.shape, np.nan)
        for h, c in passes:
            ck = c[k]
            finite = np.isfinite(ck)
            zero &= ~finite | (ck == 0)
            scaled = _unscale(ck, k, h)
            take = unset & finite & (np.abs(ck) >= _TINY)
            value = np.where(take, scaled, value)
            fallback = np.where(np.isnan(fallback) & finite, scaled, fallback)
            unset &= ~take
        value = np.where(unset, np.where(zero, 0.0, fallback), value)
        result.append(np.array(value, dtype=np.float64))
    return result


def _unscale(ck, k: int, h: float):
    """k! c_k / h^k, through logarithms where the factor alone would overflow."""
    if k <= 170 and h == 1.0:  # exactly k!: x^2 has second derivative 2, not 1.9999999999999996
        return ck * float(math.factorial(k))
    factor = math.lgamma(k + 1) - k * math.log(h)
    with np.errstate(all="ignore"):
        if factor < 700:
            return ck * math.exp(factor)
        return np.sign(ck) * np.exp(np.log(np.abs(ck)) + factor)

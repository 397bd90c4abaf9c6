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
from .tensor import Tensor



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
    """d^k output / dx^k for k = 1..order, each order from a pass at a step size h where its
    coefficient c_k h^k is a normal float; passes are added (h times or over 8) for the orders
    that underflow or overflow, until each has one or they are out of reach of floats."""
    if x.ndim != 0 or np.ndim(output.data) != 0:
        raise GradError("derivatives of higher order need a scalar output and a scalar variable")
    passes = {1.0: series(output, x, order, 1.0)}
    for _ in range(_MORE):
        bigger, smaller = False, False
        for k in range(1, order + 1):
            state = _state_of(passes, k)
            if state == "small":
                bigger = True
            elif state == "big":
                smaller = True
        if not (bigger or smaller):
            break
        if bigger:
            h = max(passes) * 8
            passes[h] = series(output, x, order, h)
        if smaller:
            h = min(passes) / 8
            passes[h] = series(output, x, order, h)
    return [np.array(_value(passes, k), dtype=np.float64) for k in range(1, order + 1)]


_MORE = 8          # passes added at most
_GOOD = (1e-200, 1e200)


def _kind(c) -> str:
    c = float(c)
    if math.isnan(c):
        return "nan"
    if math.isinf(c) or abs(c) > _GOOD[1]:
        return "big"
    if c == 0:
        return "zero"
    return "small" if abs(c) < _GOOD[0] else "good"


def _state_of(passes: dict, k: int) -> str:
    """"good" when some pass has a normal c_k (or it is truly 0), else which way to go."""
    kinds = {h: _kind(c[k]) for h, c in passes.items()}
    if "good" in kinds.values():
        return "good"
    order = max(c.shape[0] for c in passes.values()) - 1
    for h, kind in kinds.items():  # 0 between normal neighbours is a true 0 (sin's even orders at 0)
        if kind == "zero" and any(_kind(passes[h][j]) == "good" for j in (k - 1, k + 1) if 0 <= j <= order):
            return "good"
    if all(kind == "nan" for kind in kinds.values()):
        return "good"  # undefined: no step size helps
    if any(kind in ("small", "zero") for kind in kinds.values()) and max(passes) < 1e12:
        return "small"
    if any(kind == "big" for kind in kinds.values()) and min(passes) > 1e-12:
        return "big"
    return "good"


def _value(passes: dict, k: int) -> float:
    good = [(abs(math.log10(abs(float(c[k])))), h) for h, c in passes.items() if _kind(c[k]) == "good"]
    if good:
        h = min(good)[1]
        return _unscale(passes[h][k], k, h)
    values = {h: float(c[k]) for h, c in passes.items()}
    if any(v == 0 for v in values.values()) and _state_of(passes, k) == "good":
        return 0.0
    finite = [h for h, v in values.items() if math.isfinite(v)]
    if finite:  # nothing normal: the derivative is beyond floats, or 0 to them
        h = max(finite, key=lambda h: abs(values[h]))
        return _unscale(passes[h][k], k, h)
    return next(iter(values.values()))  # inf or nan everywhere: the derivative is not finite


def _unscale(ck, k: int, h: float):
    """k! c_k / h^k, through logarithms where the factor alone would overflow."""
    if k <= 170 and h == 1.0:  # exactly k!: x^2 has second derivative 2, not 1.9999999999999996
        return ck * float(math.factorial(k))
    factor = math.lgamma(k + 1) - k * math.log(h)
    with np.errstate(all="ignore"):
        if factor < 700:
            return ck * math.exp(factor)
        return np.sign(ck) * np.exp(np.log(np.abs(ck)) + factor)

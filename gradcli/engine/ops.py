"""The primitive table, one row per primitive, and the public operations built on it.

Each rule is the vector-Jacobian product of its textbook derivative, written with Tensor
operations: `g` is the gradient arriving at the output `y`, and the rule returns the
gradient for one input (`sin: g * cos(x)` says d sin x = cos x dx). Broadcasting, batch
dimensions and buffer reuse are the registry's business (primitive.py, lending.py), not
the rules'.

>>> import gradcli
>>> x = gradcli.tensor([1.0, 2.0], requires_grad=True)
>>> (g,) = gradcli.grad(sum(x * x), [x])
>>> g
tensor([2., 4.])
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import series as S
from .errors import GradError, ShapeError
from .primitive import PRIMITIVES, apply, as_tensor, batch, const, defprim, expand
from .tensor import Tensor, is_grad_enabled

_P = PRIMITIVES


class _Op(functools.partial):
    """The operation of a primitive with no static parameters: apply() with it bound (a
    C-level partial, so an operator costs one Python call, not two)."""

    def __repr__(self):
        return f"<gradcli operation {self.args[0].name}>"


def _op(name):
    return _Op(apply, PRIMITIVES[name])



# --- arithmetic: elementwise, with NumPy broadcasting ------------------------------------------

defprim("add", np.add, lambda g, y, a, b: g,
                       lambda g, y, a, b: g, reads=(), elementwise=True, taylor=S.add)
defprim("sub", np.subtract, lambda g, y, a, b: g,
                            lambda g, y, a, b: -g, reads=(), elementwise=True, taylor=S.sub)
defprim("mul", np.multiply, lambda g, y, a, b: g * b,
                            lambda g, y, a, b: g * a, reads=(0, 1), elementwise=True, taylor=S.mul)
defprim("div", np.true_divide, lambda g, y, a, b: g / b,             # d(a/b) = da/b - (a/b) db/b
                               lambda g, y, a, b: -(g * y) / b, reads=(1, "out"), elementwise=True, taylor=S.div)


def _pow_base(g, y, a, b):
    """d(a^b)/da = b a^(b-1)."""
    return g * b * _nonzero(a, where_zero=b) ** (b - 1)


def _pow_exponent(g, y, a, b):
    """d(a^b)/db = a^b ln a (taken as 0 at a = 0 for b >= 0, PyTorch's limit)."""
    return g * y * log(_nonzero(a, where_zero=a))


def _nonzero(a, where_zero):
    """`a`, with 1 in place of 0 where `where_zero` is 0 too: there the rules' formulas are
    0 * 0**-1 or 0 * log 0, whose limit 0 is the derivative; elsewhere every derivative
    path through `a` stays, so higher derivatives are right at whole-number exponents."""
    if not (where_zero.data == 0).any():
        return a
    both = (a.data == 0) & (where_zero.data == 0)
    return where(a, 1.0, cond=~both) if both.any() else a


def _pow_series(a, b):
    """a^b: whole constant powers by multiplying (x^2 at 0 is fine), other constant ones by
    their recurrence, a varying exponent as exp(b log a)."""
    if np.any(b[1:] != 0):
        return S.exp(S.mul(b, S.log(a)))
    r = b[0]
    if np.ndim(r) == 0 and float(r).is_integer() and np.abs(r) <= 4096:  # (abs and sum here are ops)
        n = int(np.abs(r))
        result, base = S.one(a), a
        while n:  # square and multiply
            if n & 1:
                result = S.mul(result, base)
            n >>= 1
            if n:
                base = S.mul(base, base)
        return result if r >= 0 else S.div(S.one(a), result)
    a, b = S.align(a, b)
    return S.power(np.broadcast_to(a, a.shape[:1] + np.broadcast_shapes(a.shape[1:], b.shape[1:])), b[0])


defprim("pow", np.power, _pow_base, _pow_exponent, reads=(0, 1, "out"), elementwise=True, taylor=_pow_series)


def _share(a, b, y):
    """The share of `a` in maximum(a, b): 1 where a wins, 1/2 at ties (as PyTorch)."""
    ad, bd = np.broadcast_to(a.data, y.shape), np.broadcast_to(b.data, y.shape)
    return const((ad > bd) + 0.5 * (ad == bd))


def _pick(a, b, first):
    """The series of maximum/minimum: the winner's, and the mean of both at ties (as the engine)."""
    a, b = S.align(a, b)
    a0, b0 = a[0], b[0]
    wins = (a0 > b0) if first else (a0 < b0)
    return np.where(wins, a, np.where(a0 == b0, (a + b) / 2, b))


defprim("maximum", np.maximum, lambda g, y, a, b: g * _share(a, b, y),
                               lambda g, y, a, b: g * _share(b, a, y), reads=(0, 1), elementwise=True,
        taylor=lambda a, b: _pick(a, b, True))
defprim("minimum", np.minimum, lambda g, y, a, b: g * _share(b, a, y),
                               lambda g, y, a, b: g * _share(a, b, y), reads=(0, 1), elementwise=True,
        taylor=lambda a, b: _pick(a, b, False))


def _where_fwd(a, b, *, cond):
    return np.where(cond, a, b)


defprim("where", _where_fwd, lambda g, y, a, b, cond: where(g, 0.0, cond=cond),
                             lambda g, y, a, b, cond: where(0.0, g, cond=cond), reads=(), elementwise=True,
        taylor=lambda a, b, cond: np.where(cond, *S.align(a, b)))


def _swap_last(t: Tensor) -> Tensor:
    return permute(t, tuple(range(t.ndim - 2)) + (t.ndim - 1, t.ndim - 2))


def _matmul_series(a, b):
    """(a @ b)_k = sum_j a_j @ b_(k-j)."""
    return np.stack([np.sum([np.matmul(a[j], b[k - j]) for j in range(k + 1)], axis=0) for k in range(a.shape[0])])


defprim("matmul", np.matmul, lambda g, y, a, b: g @ _swap_last(b),
                             lambda g, y, a, b: _swap_last(a) @ g, reads=(0, 1), broadcasts=True,
        taylor=_matmul_series)

# --- elementwise functions: d f(x) = f'(x) dx ------------------------------------------------------

_LN2, _LN10 = math.log(2.0), math.log(10.0)


def _sigmoid_fwd(x):
    # exp of -|x| only, so neither tail overflows
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _unary(name, forward, rule, reads, taylor):
    """A row of elementwise functions: the primitive, and the operation of the same name.
    `taylor` maps the input's Taylor series to the output's (series.py)."""
    defprim(name, forward, rule, reads=reads, elementwise=True, taylor=taylor)
    globals()[name] = _op(name)


def _slope(y0, slope):
    """Taylor rule of a function defined by its derivative: y' = slope(a) a', y(0) = y0(a_0)."""
    return lambda a: S.integral(S.mul(slope(a), S.derivative(a)), y0(a[0]))


_one, _sq = S.one, lambda a: S.mul(a, a)
_unary("neg", np.negative, lambda g, y, x: -g, reads=(), taylor=S.neg)
_unary("exp", np.exp, lambda g, y, x: g * y, reads=("out",), taylor=S.exp)
_unary("log", np.log, lambda g, y, x: g / x, reads=(0,), taylor=S.log)
_unary("log2", np.log2, lambda g, y, x: g / (x * _LN2), reads=(0,), taylor=lambda a: S.log(a) / _LN2)
_unary("log10", np.log10, lambda g, y, x: g / (x * _LN10), reads=(0,), taylor=lambda a: S.log(a) / _LN10)
_unary("sqrt", np.sqrt, lambda g, y, x: g / (2.0 * y), reads=("out",), taylor=S.sqrt)
_unary("sin", np.sin, lambda g, y, x: g * cos(x), reads=(0,), taylor=S.sin)
_unary("cos", np.cos, lambda g, y, x: -(g * sin(x)), reads=(0,), taylor=S.cos)
_unary("tan", np.tan, lambda g, y, x: g * (1.0 + y * y), reads=("out",), taylor=S.tan)   # sec^2 = 1 + tan^2
_unary("asin", np.arcsin, lambda g, y, x: g / sqrt(1.0 - x * x), reads=(0,), taylor=S.asin)
_unary("acos", np.arccos, lambda g, y, x: -(g / sqrt(1.0 - x * x)), reads=(0,), taylor=S.acos)
_unary("atan", np.arctan, lambda g, y, x: g / (1.0 + x * x), reads=(0,), taylor=S.atan)
_unary("sinh", np.sinh, lambda g, y, x: g * cosh(x), reads=(0,), taylor=S.sinh)
_unary("cosh", np.cosh, lambda g, y, x: g * sinh(x), reads=(0,), taylor=S.cosh)
_unary("tanh", np.tanh, lambda g, y, x: g * (1.0 - y * y), reads=("out",), taylor=S.tanh)  # sech^2 = 1 - tanh^2
_unary("abs", np.abs, lambda g, y, x: g * sign(x), reads=(0,), taylor=S.signed)         # 0 at 0, as PyTorch
_unary("relu", lambda x: np.maximum(x, 0.0), lambda g, y, x: g * const(x.data > 0), reads=(0,),
       taylor=lambda a: a * (a[0] > 0))
_unary("sigmoid", _sigmoid_fwd, lambda g, y, x: g * (y * (1.0 - y)), reads=("out",),
       taylor=lambda a: S.div(_one(a), S.add(_one(a), S.exp(-a))))
_unary("softplus", lambda x: np.logaddexp(0.0, x), lambda g, y, x: g * sigmoid(x), reads=(0,),
       taylor=_slope(lambda a0: np.logaddexp(0.0, a0), lambda a: S.div(_one(a), S.add(_one(a), S.exp(-a)))))
_unary("sec", lambda x: 1.0 / np.cos(x), lambda g, y, x: g * y * tan(x), reads=(0, "out"),
       taylor=lambda a: S.div(_one(a), S.cos(a)))
_unary("csc", lambda x: 1.0 / np.sin(x), lambda g, y, x: -(g * y * cot(x)), reads=(0, "out"),
       taylor=lambda a: S.div(_one(a), S.sin(a)))
_unary("cot", lambda x: 1.0 / np.tan(x), lambda g, y, x: -(g * (1.0 + y * y)), reads=("out",),   # -csc^2
       taylor=lambda a: S.div(*S.sincos(a)[::-1]))
_unary("asec", lambda x: np.arccos(1.0 / x), lambda g, y, x: g / (abs(x) * sqrt(x * x - 1.0)), reads=(0,),
       taylor=_slope(lambda a0: np.arccos(1.0 / a0), lambda a: S.div(_one(a), S.mul(S.signed(a), S.sqrt(S.sub(_sq(a), _one(a)))))))
_unary("acsc", lambda x: np.arcsin(1.0 / x), lambda g, y, x: -(g / (abs(x) * sqrt(x * x - 1.0))), reads=(0,),
       taylor=_slope(lambda a0: np.arcsin(1.0 / a0), lambda a: -S.div(_one(a), S.mul(S.signed(a), S.sqrt(S.sub(_sq(a), _one(a)))))))
_unary("acot", lambda x: _acot_fwd(x), lambda g, y, x: -(g / (1.0 + x * x)), reads=(0,),
       taylor=_slope(lambda a0: _acot_fwd(a0), lambda a: -S.div(_one(a), S.add(_one(a), _sq(a)))))
_unary("sech", lambda x: 1.0 / np.cosh(x), lambda g, y, x: -(g * y * tanh(x)), reads=(0, "out"),
       taylor=lambda a: S.div(_one(a), S.cosh(a)))
_unary("csch", lambda x: 1.0 / np.sinh(x), lambda g, y, x: -(g * y * coth(x)), reads=(0, "out"),
       taylor=lambda a: S.div(_one(a), S.sinh(a)))
_unary("coth", lambda x: 1.0 / np.tanh(x), lambda g, y, x: g * (1.0 - y * y), reads=("out",),    # -csch^2
       taylor=lambda a: S.div(*S.sinhcosh(a)[::-1]))
_unary("asinh", np.arcsinh, lambda g, y, x: g / sqrt(x * x + 1.0), reads=(0,), taylor=S.asinh)
_unary("acosh", np.arccosh, lambda g, y, x: g / sqrt(x * x - 1.0), reads=(0,), taylor=S.acosh)
_unary("atanh", np.arctanh, lambda g, y, x: g / (1.0 - x * x), reads=(0,),
       taylor=lambda a: S.atanh_like(a, np.arctanh(a[0])))
_unary("asech", lambda x: np.arccosh(1.0 / x), lambda g, y, x: -(g / (x * sqrt(1.0 - x * x))), reads=(0,),
       taylor=_slope(lambda a0: np.arccosh(1.0 / a0), lambda a: -S.div(_one(a), S.mul(a, S.sqrt(S.sub(_one(a), _sq(a)))))))
_unary("acsch", lambda x: np.arcsinh(1.0 / x), lambda g, y, x: -(g / (abs(x) * sqrt(1.0 + x * x))), reads=(0,),
       taylor=_slope(lambda a0: np.arcsinh(1.0 / a0), lambda a: -S.div(_one(a), S.mul(S.signed(a), S.sqrt(S.add(_one(a), _sq(a)))))))
_unary("acoth", lambda x: np.arctanh(1.0 / x), lambda g, y, x: g / (1.0 - x * x), reads=(0,),
       taylor=lambda a: S.atanh_like(a, np.arctanh(1.0 / a[0])))
_unary("cbrt", np.cbrt, lambda g, y, x: g / (3.0 * y * y), reads=("out",), taylor=S.cbrt)
# Piecewise constant: no gradient flows through it (it records no graph).
defprim("sign", np.sign, reads=(), elementwise=True, constant=True, taylor=lambda a: S.constant(np.sign(a[0]), a.shape[0] - 1))


def _acot_fwd(x):
    """acot x = atan(1/x), with acot 0 = pi/2 (SymPy's and Mathematica's branch)."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x == 0, np.pi / 2, np.arctan(1.0 / np.where(x == 0, 1.0, x)))

# --- reductions ----------------------------------------------------------------------------------


def _sum_fwd(x, *, axes, keepdims):
    return np.sum(x, axis=axes, keepdims=keepdims)


def _spread(g, y, x, axes, keepdims=False):
    """g, for a reduction of x over `axes`, copied back over the elements it reduced."""
    k = expand(g, x.shape, axes, keepdims, y.ndim)
    return broadcast_to(k, k.shape[:batch(g, y)] + x.shape)


def _over(axes, ndim):
    """A reduction's axes, moved past the series' own first axis."""
    return tuple(range(1, ndim)) if axes is None else tuple(a + 1 for a in axes)


defprim("sum", _sum_fwd, lambda g, y, x, axes, keepdims: _spread(g, y, x, axes, keepdims), reads=(), span="reduce",
        taylor=lambda a, axes, keepdims: np.sum(a, axis=_over(axes, a.ndim), keepdims=keepdims))


def _prod_rule(g, y, x):
    """d(prod x)/dx_i = the product of the other elements (y / x_i when x_i is not 0)."""
    gk = expand(g, x.shape, tuple(range(x.ndim)), False, y.ndim)
    if not (x.data == 0).any():
        return gk * (y / x)
    flat = x.data.reshape(-1)
    if not is_grad_enabled():  # first order: prefix and suffix products, O(n)
        before = np.concatenate(([1.0], np.cumprod(flat[:-1])))
        after = np.concatenate((np.cumprod(flat[::-1][:-1])[::-1], [1.0]))
        return gk * const((before * after).reshape(x.shape))
    # Higher orders need it as a graph: row i of a matrix holds every element but the i-th.
    if x.size > _PROD_GRAPH_LIMIT:
        raise GradError(f"higher derivatives of prod() at zero elements are limited to {_PROD_GRAPH_LIMIT} elements")
    others = where(1.0, broadcast_to(reshape(x, (x.size,)), (x.size, x.size)), cond=np.eye(x.size, dtype=bool))
    return gk * reshape(stack([prod(index(others, (i,))) for i in range(x.size)]), x.shape)


_PROD_GRAPH_LIMIT = 2000
def _prod_series(a):
    flat = a.reshape(a.shape[0], -1)
    out = S.one(flat[:, 0])
    for i in range(flat.shape[1]):
        out = S.mul(out, flat[:, i])
    return out


defprim("prod", np.prod, _prod_rule, reads=(0, "out"), span="reduce", taylor=_prod_series)


def _logsumexp_fwd(x, *, axes):
    m = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0.0)
    total = np.sum(np.exp(x - m), axis=axes, keepdims=True)
    with np.errstate(divide="ignore"):  # the log of an empty sum is -inf, as PyTorch gives
        return np.squeeze(np.log(total) + m, axis=axes)


def _logsumexp_rule(g, y, x, axes):
    """d logsumexp(x) / dx = softmax(x) = exp(x - logsumexp(x))."""
    kept = reshape(y, tuple(1 if i in axes else d for i, d in enumerate(x.shape)))
    return expand(g, x.shape, axes, False, y.ndim) * exp(x - kept)


def _logsumexp_series(a, axes):
    over = _over(axes, a.ndim)
    m = np.max(a[0], axis=tuple(i - 1 for i in over), keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0.0)
    shifted = a - S.constant(m, a.shape[0] - 1)
    total = np.sum(S.exp(shifted), axis=over)
    return S.log(total) + S.constant(np.squeeze(m, axis=tuple(i - 1 for i in over)), a.shape[0] - 1)


defprim("logsumexp", _logsumexp_fwd, _logsumexp_rule, reads=(0, "out"), span="reduce", taylor=_logsumexp_series)


def _norm_rule(g, y, x):
    """d|x| / dx = x / |x| (0 at the origin, as PyTorch)."""
    gk = expand(g, x.shape, tuple(range(x.ndim)), False, y.ndim)
    if y.data == 0:
        return broadcast_to(gk, g.shape + x.shape) * 0.0
    return gk * (x / y)


defprim("norm", lambda x: np.sqrt(np.sum(x * x)), _norm_rule, reads=(0, "out"), span="reduce",
        taylor=lambda a: S.sqrt(np.sum(S.mul(a, a), axis=_over(None, a.ndim))))

# --- shapes and indexing: values move, gradients move back -------------------------------------------


def _reshape_fwd(x, *, shape):
    return np.reshape(x, shape)


def _broadcast_fwd(x, *, shape):
    return np.broadcast_to(x, shape)


def _permute_fwd(x, *, axes):
    return np.transpose(x, axes)


def _index_fwd(x, *, idx, lead):
    return x[(slice(None),) * lead + idx]


def _scatter_fwd(g, *, idx, lead, shape):
    out = np.zeros(g.shape[:lead] + shape)
    out[(slice(None),) * lead + idx] = g
    return out


def _stack_fwd(*xs):
    return np.stack(xs)


def _inverse(axes):
    return tuple(int(i) for i in np.argsort(axes))


# Values that move move their series along: each rule is the forward, one axis further in.
defprim("reshape", _reshape_fwd,
        lambda g, y, x, shape: reshape(g, g.shape[:batch(g, y)] + x.shape), reads=(), span="moved",
        taylor=lambda a, shape: a.reshape(a.shape[:1] + tuple(shape)))
defprim("broadcast_to", _broadcast_fwd, lambda g, y, x, shape: g, reads=(), broadcasts=True, span="moved",
        taylor=lambda a, shape: np.broadcast_to(a, a.shape[:1] + tuple(shape)))
defprim("permute", _permute_fwd, lambda g, y, x, axes: permute(
    g, tuple(range(batch(g, y))) + tuple(batch(g, y) + i for i in _inverse(axes))), reads=(), span="moved",
        taylor=lambda a, axes: np.transpose(a, (0,) + tuple(i + 1 for i in axes)))
defprim("index", _index_fwd, lambda g, y, x, idx, lead: scatter(
    g, idx=idx, lead=lead + batch(g, y), shape=x.shape[lead:]), reads=(), span="moved",
        taylor=lambda a, idx, lead: _index_fwd(a, idx=idx, lead=lead + 1))
defprim("scatter", _scatter_fwd,
        lambda g, y, x, idx, lead, shape: index(g, idx, lead=lead + batch(g, y)), reads=(), span="scatter",
        taylor=lambda a, idx, lead, shape: _scatter_fwd(a, idx=idx, lead=lead + 1, shape=shape))
defprim("stack", _stack_fwd, lambda g, y, x, argnum: index(g, (argnum,), lead=batch(g, y)),
        variadic=True, reads=(), span="moved", taylor=lambda *xs: np.stack(np.broadcast_arrays(*xs), axis=1))


def _add_n_fwd(*xs, signs):
    # left to right, exactly as the chain of binary + and - it stands for
    acc = xs[0] if signs[0] > 0 else -xs[0]
    for x, sign in zip(xs[1:], signs[1:]):
        acc = np.add(acc, x) if sign > 0 else np.subtract(acc, x)
    return acc


# A long sum `a + b - c + ...` is one node, not a chain of thousands of binary ones.
defprim("add_n", _add_n_fwd, lambda g, y, x, argnum, signs: g if signs[argnum] > 0 else -g,
        variadic=True, reads=(), elementwise=True, taylor=lambda *xs, signs: _add_n_fwd(*S.align(*xs), signs=signs))


class SliceGrad:
    """The gradient of `x[idx]`, not yet spread into zeros of x's shape.

    Outside a graph (no create_graph) the engine adds it straight into the slice of a
    gradient buffer it owns, sparing a zero-filled array and a full addition."""

    __slots__ = ("g", "idx", "lead", "shape")

    def __init__(self, g, idx, lead, shape):
        self.g, self.idx, self.lead, self.shape = g, idx, lead, g.shape[:lead] + tuple(shape)

    def add_into(self, buf: np.ndarray) -> None:
        buf[(slice(None),) * self.lead + self.idx] += self.g.data

    def dense(self) -> Tensor:
        return Tensor(_scatter_fwd(self.g.data, idx=self.idx, lead=self.lead, shape=self.shape[self.lead:]))


# --- the public operations -----------------------------------------------------------------------

add = _op("add")


def add_n(items, signs) -> Tensor:
    """items[0] ± items[1] ± ...; signs are +1 or -1, one per item (NumPy broadcasting)."""
    return apply(_P["add_n"], *items, signs=tuple(signs))


sub = _op("sub")
mul = _op("mul")
div = _op("div")
maximum = _op("maximum")
minimum = _op("minimum")


def pow(a, b):  # noqa: A001
    b = as_tensor(b)
    if not b.requires_grad and b.ndim == 0 and b.data == 1.0:
        return as_tensor(a)  # a**1 is a: the power rule's a**(2-1) costs nothing for squares
    return apply(_P["pow"], a, b)


sign = _op("sign")
norm = _op("norm")


def where(a, b, *, cond) -> Tensor:
    """`a` where the constant mask `cond` holds, else `b` (the mask carries no gradient)."""
    return apply(_P["where"], a, b, cond=np.asarray(cond, dtype=bool))


def _axes(x: Tensor, axis) -> tuple:
    if axis is None:
        return tuple(range(x.ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for ax in axes:
        ax = int(ax)
        if not -x.ndim <= ax < x.ndim:
            raise ShapeError(f"axis {ax} is out of range for a value of shape {x.shape}")
        out.append(ax % x.ndim)
    return tuple(sorted(set(out)))


def sum(x, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    x = as_tensor(x)
    return apply(_P["sum"], x, axes=_axes(x, axis), keepdims=keepdims)


def mean(x, axis=None) -> Tensor:
    x = as_tensor(x)
    axes = _axes(x, axis)
    count = int(np.prod([x.shape[a] for a in axes])) if axes else 1
    return sum(x, axes) / float(count)


def prod(x) -> Tensor:
    """The product of all elements."""
    return apply(_P["prod"], x)


def logsumexp(x, axis=None) -> Tensor:
    x = as_tensor(x)
    return apply(_P["logsumexp"], x, axes=_axes(x, axis))


def reshape(x, shape) -> Tensor:
    x = as_tensor(x)
    shape = tuple(int(s) for s in shape)
    return x if x.shape == shape else apply(_P["reshape"], x, shape=shape)


def broadcast_to(x, shape) -> Tensor:
    x = as_tensor(x)
    shape = tuple(shape)
    return x if x.shape == shape else apply(_P["broadcast_to"], x, shape=shape)


def permute(x, axes) -> Tensor:
    axes = tuple(int(a) for a in axes)
    return x if axes == tuple(range(len(axes))) else apply(_P["permute"], x, axes=axes)


def transpose(x) -> Tensor:
    x = as_tensor(x)
    return permute(x, tuple(reversed(range(x.ndim))))


def index(x, idx: tuple, lead: int = 0) -> Tensor:
    return apply(_P["index"], x, idx=tuple(idx), lead=lead)


def scatter(g, *, idx, lead, shape):
    """Zeros of `shape` (after `lead` batch dimensions) with g at `idx`. Outside a graph, a
    SliceGrad instead: the backward pass adds it straight into its own buffer."""
    if not is_grad_enabled():
        return SliceGrad(g, idx, lead, shape)
    return apply(_P["scatter"], g, idx=tuple(idx), lead=lead, shape=tuple(shape))


def getitem(x, idx) -> Tensor:
    """NumPy basic indexing: integers and slices (negative ones too)."""
    x = as_tensor(x)
    idx = idx if isinstance(idx, tuple) else (idx,)
    clean = []
    for part in idx:
        if isinstance(part, slice):
            clean.append(slice(*(None if v is None else _as_index(v) for v in (part.start, part.stop, part.step))))
        else:
            clean.append(_as_index(part))
    if len(clean) > x.ndim:
        raise ShapeError(f"too many indices ({len(clean)}) for a value of shape {x.shape}")
    for axis, part in enumerate(clean):
        if isinstance(part, int) and not -x.shape[axis] <= part < x.shape[axis]:
            raise ShapeError(f"index {part} is out of range for axis {axis} of size {x.shape[axis]}")
        if isinstance(part, slice) and part.step == 0:
            raise ShapeError("slice step cannot be zero")
    return index(x, tuple(clean))


def _as_index(v) -> int:
    value = float(v.data) if isinstance(v, Tensor) else float(v)
    if not value.is_integer():
        raise ShapeError(f"an index must be a whole number, not {value:g}")
    return int(value)


def stack(items) -> Tensor:
    """Stack equally shaped tensors along a new first axis (what `[a, b]` builds)."""
    items = [as_tensor(t) for t in items]
    shapes = {t.shape for t in items}
    if len(shapes) > 1:
        raise ShapeError("list elements have different shapes: " + ", ".join(str(t.shape) for t in items))
    return apply(_P["stack"], *items)


def matmul(a, b) -> Tensor:
    """NumPy's matmul; 1-D operands are promoted to matrices and the extra axis dropped."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"'@' needs arrays of at least one dimension, got shapes {a.shape} and {b.shape}")
    a2 = reshape(a, (1,) + a.shape) if a.ndim == 1 else a
    b2 = reshape(b, b.shape + (1,)) if b.ndim == 1 else b
    if a2.shape[-1] != b2.shape[-2]:
        raise ShapeError(f"'@' cannot multiply shapes {a.shape} and {b.shape}: inner sizes {a2.shape[-1]} and {b2.shape[-2]} differ")
    try:
        np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise ShapeError(f"'@' cannot broadcast shapes {a.shape} and {b.shape}") from None
    out = apply(_P["matmul"], a2, b2)
    shape = out.shape
    if a.ndim == 1:
        shape = shape[:-2] + shape[-1:]
    if b.ndim == 1:
        shape = shape[:-1]
    return reshape(out, shape)


def dot(a, b) -> Tensor:
    """Inner product of vectors, matrix product otherwise (scalars multiply)."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return matmul(a, b)

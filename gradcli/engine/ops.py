"""The primitives, one row each, and the public operations built on them.

A rule is the vector-Jacobian product of its textbook derivative: `g` is the gradient
arriving at the output `y`, and the rule returns the gradient for one input (`g * cos(x)`
says d sin x = cos x dx). What a rule's author owes the engine:
- Write it with the engine's operations, never with NumPy on `.data`: under create_graph
  the gradient is itself a graph, and that is what makes higher derivatives work.
- Accept batch dimensions: g may carry leading ones (`batch(g, y)` of them: the rows of a
  Jacobian or Hessian travel through one pass). Elementwise rules get this free from
  broadcasting; a rule that reshapes, reduces, permutes or indexes must keep them in front
  (see `_spread` and the rules of reshape and index).
- Read g once, and what it computes from g once: while the pass lends g's buffer, an
  elementwise operation on it may write in place (lending.py); `-(g * sin(x))` is fine,
  `g * a + g` is not. Never write into any array in place yourself.
- Declare `reads`, the inputs (and "out") it uses: the pass frees every other value.
- Give a Taylor rule (series.py): a test walks the table. Static parameters (axes, shapes)
  are keyword arguments, never graph inputs.
What it does not owe: summing a broadcast input's gradient back to its shape, which the
registry does (primitive.py), nor deciding where results are stored.

An elementwise function is a row of four facts (forward, slope, reads, and a Taylor
recurrence only where it needs one); its rules are made from the slope (`_elementwise`).

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
from .primitive import PRIMITIVES, apply, as_tensor, batch, const, defprim
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
neg = _Op(apply, defprim("neg", np.negative, lambda g, y, x: -g, reads=(), elementwise=True, taylor=S.neg))


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

# --- elementwise functions: one row each -----------------------------------------------------------
# A row is the NumPy forward and the slope f'(x), written once with the engine's operations in
# the input x and the value y = f(x). The reverse rule is g * slope; the Taylor rule solves
# y' = f'(x) x' from the same slope (series.from_slope), unless the row names a recurrence of
# its own: where the slope reads y (whose series is being computed), where one pass gives the
# series cheaper or exacter than a product and an integral, or where there is no slope to
# speak of (relu's step). language/functions.py holds the rest of each function's facts.

_LN2, _LN10 = math.log(2.0), math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _elementwise(name, forward, slope, reads, taylor=None):
    """The operation of a row: its primitive registered, and the operation returned."""
    if taylor is None:
        if "out" in reads:
            raise GradError(f"{name}: a slope that reads the value needs a Taylor rule of its own")
        taylor = S.from_slope(slope, forward)
    return _Op(apply, defprim(name, forward, lambda g, y, x: g * slope(x, y), reads=reads, elementwise=True,
                              taylor=taylor))


def _sigmoid_fwd(x):
    # exp of -|x| only, so neither tail overflows
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _acot_fwd(x):
    """acot x = atan(1/x), with acot 0 = pi/2 (SymPy's and Mathematica's branch)."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x == 0, np.pi / 2, np.arctan(1.0 / np.where(x == 0, 1.0, x)))


# NumPy has no erf; math's is correctly rounded to within an ulp or so, one element at a time
_erf_fwd = np.vectorize(math.erf, otypes=[np.float64])
_erfc_fwd = np.vectorize(math.erfc, otypes=[np.float64])

# Recurrences kept, and why: exp, sqrt, cbrt, tan, tanh and sigmoid have slopes in y; sin/cos
# and sinh/cosh come in pairs from one pass; log divides once where the slope 1/x would take a
# reciprocal and a product; abs is +-x exactly; relu's slope is a step.
exp = _elementwise("exp", np.exp, lambda x, y: y, ("out",), taylor=S.exp)
log = _elementwise("log", np.log, lambda x, y: 1.0 / x, (0,), taylor=S.log)
# log2 and log10 are rows, not log(x)/log(b): np.log10(1000) is 3, log(1000)/log(10) is not
log2 = _elementwise("log2", np.log2, lambda x, y: 1.0 / (x * _LN2), (0,))
log10 = _elementwise("log10", np.log10, lambda x, y: 1.0 / (x * _LN10), (0,))
sqrt = _elementwise("sqrt", np.sqrt, lambda x, y: 0.5 / y, ("out",), taylor=S.sqrt)
cbrt = _elementwise("cbrt", np.cbrt, lambda x, y: 1.0 / (3.0 * y * y), ("out",), taylor=S.cbrt)
sin = _elementwise("sin", np.sin, lambda x, y: cos(x), (0,), taylor=S.sin)
cos = _elementwise("cos", np.cos, lambda x, y: -sin(x), (0,), taylor=S.cos)
tan = _elementwise("tan", np.tan, lambda x, y: 1.0 + y * y, ("out",), taylor=S.tan)   # sec^2 = 1 + tan^2
# cot is a row, not 1/tan: its series is cos/sin, where 1/tan's loses digits by order 30
cot = _elementwise("cot", lambda x: 1.0 / np.tan(x), lambda x, y: -(1.0 + y * y), ("out",),   # -csc^2
                   taylor=lambda a: S.div(*S.sincos(a)[::-1]))
asin = _elementwise("asin", np.arcsin, lambda x, y: 1.0 / sqrt(1.0 - x * x), (0,))
acos = _elementwise("acos", np.arccos, lambda x, y: -1.0 / sqrt(1.0 - x * x), (0,))
atan = _elementwise("atan", np.arctan, lambda x, y: 1.0 / (1.0 + x * x), (0,))
# acot is a row, not atan(1/x), for its value pi/2 at 0, where 1/x is not a number
acot = _elementwise("acot", _acot_fwd, lambda x, y: -1.0 / (1.0 + x * x), (0,))
sinh = _elementwise("sinh", np.sinh, lambda x, y: cosh(x), (0,), taylor=S.sinh)
cosh = _elementwise("cosh", np.cosh, lambda x, y: sinh(x), (0,), taylor=S.cosh)
tanh = _elementwise("tanh", np.tanh, lambda x, y: 1.0 - y * y, ("out",), taylor=S.tanh)  # sech^2 = 1 - tanh^2
asinh = _elementwise("asinh", np.arcsinh, lambda x, y: 1.0 / sqrt(x * x + 1.0), (0,))
acosh = _elementwise("acosh", np.arccosh, lambda x, y: 1.0 / sqrt(x * x - 1.0), (0,))
atanh = _elementwise("atanh", np.arctanh, lambda x, y: 1.0 / (1.0 - x * x), (0,))
abs = _elementwise("abs", np.abs, lambda x, y: sign(x), (0,), taylor=S.signed)  # noqa: A001 (0 at 0, as PyTorch)
relu = _elementwise("relu", lambda x: np.maximum(x, 0.0), lambda x, y: const(x.data > 0), (0,),
                    taylor=lambda a: a * (a[0] > 0))
sigmoid = _elementwise("sigmoid", _sigmoid_fwd, lambda x, y: y * (1.0 - y), ("out",),
                       taylor=lambda a: S.div(S.one(a), S.add(S.one(a), S.exp(-a))))
softplus = _elementwise("softplus", lambda x: np.logaddexp(0.0, x), lambda x, y: sigmoid(x), (0,))
sech = _elementwise("sech", lambda x: 1.0 / np.cosh(x), lambda x, y: -(y * tanh(x)), (0, "out"),
                    taylor=lambda a: S.div(S.one(a), S.cosh(a)))
csch = _elementwise("csch", lambda x: 1.0 / np.sinh(x), lambda x, y: -(y * coth(x)), (0, "out"),
                    taylor=lambda a: S.div(S.one(a), S.sinh(a)))
coth = _elementwise("coth", lambda x: 1.0 / np.tanh(x), lambda x, y: 1.0 - y * y, ("out",),    # -csch^2
                    taylor=lambda a: S.div(*S.sinhcosh(a)[::-1]))
asech = _elementwise("asech", lambda x: np.arccosh(1.0 / x), lambda x, y: -1.0 / (x * sqrt(1.0 - x * x)), (0,))
acsch = _elementwise("acsch", lambda x: np.arcsinh(1.0 / x), lambda x, y: -1.0 / (abs(x) * sqrt(1.0 + x * x)), (0,))
acoth = _elementwise("acoth", lambda x: np.arctanh(1.0 / x), lambda x, y: 1.0 / (1.0 - x * x), (0,))
erf = _elementwise("erf", _erf_fwd, lambda x, y: _TWO_OVER_SQRT_PI * exp(-(x * x)), (0,))
# erfc is a row, not 1 - erf: erfc(5) is 1.5e-12, of which 1 - erf(5) keeps four digits
erfc = _elementwise("erfc", _erfc_fwd, lambda x, y: -_TWO_OVER_SQRT_PI * exp(-(x * x)), (0,))
# Piecewise constant: no gradient flows through it (it records no graph).
sign = _Op(apply, defprim("sign", np.sign, reads=(), elementwise=True, constant=True,
                          taylor=lambda a: S.constant(np.sign(a[0]), a.shape[0] - 1)))


# Compositions: their value is exactly the quotient's (1/np.cos(x) is what sec computed), and
# their derivatives and series follow from the parts'.
def sec(x) -> Tensor:
    return 1.0 / cos(x)


def csc(x) -> Tensor:
    return 1.0 / sin(x)


def asec(x) -> Tensor:
    return acos(1.0 / as_tensor(x))


def acsc(x) -> Tensor:
    return asin(1.0 / as_tensor(x))

# --- reductions ----------------------------------------------------------------------------------


def expand(g: Tensor, in_shape: tuple, axes: tuple, keepdims: bool, out_ndim: int) -> Tensor:
    """Undo a reduction over `axes`: g (batch + reduced shape) -> batch + keepdims shape."""
    nb = g.ndim - out_ndim
    if keepdims:
        return g
    keep = tuple(1 if i in axes else d for i, d in enumerate(in_shape))
    return reshape(g, g.shape[:nb] + keep)


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


# --- Tensor's operators are these operations ------------------------------------------------------
# Bound here rather than written in tensor.py, so that the class sits below the operations
# (tensor.py imports nothing of the engine) and each operator is the operation itself.

Tensor.__add__ = lambda self, other: add(self, other)
Tensor.__radd__ = lambda self, other: add(other, self)
Tensor.__sub__ = lambda self, other: sub(self, other)
Tensor.__rsub__ = lambda self, other: sub(other, self)
Tensor.__mul__ = lambda self, other: mul(self, other)
Tensor.__rmul__ = lambda self, other: mul(other, self)
Tensor.__truediv__ = lambda self, other: div(self, other)
Tensor.__rtruediv__ = lambda self, other: div(other, self)
Tensor.__pow__ = lambda self, other: pow(self, other)
Tensor.__rpow__ = lambda self, other: pow(other, self)
Tensor.__matmul__ = lambda self, other: matmul(self, other)
Tensor.__rmatmul__ = lambda self, other: matmul(other, self)
Tensor.__neg__ = lambda self: neg(self)
Tensor.__pos__ = lambda self: self
Tensor.__getitem__ = lambda self, idx: getitem(self, idx)
Tensor.sum = lambda self, axis=None, keepdims=False: sum(self, axis, keepdims)
Tensor.mean = lambda self, axis=None: mean(self, axis)
Tensor.reshape = lambda self, *shape: reshape(
    self, shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape)
Tensor.T = property(lambda self: transpose(self))

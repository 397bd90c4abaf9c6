"""The primitive registry: for each primitive a NumPy forward and one VJP rule per input.

Rules are written with Tensor operations, so under create_graph the gradient is itself a
graph and higher derivatives come for free. Every rule accepts an incoming gradient `g` with
extra leading batch dimensions (`g.ndim - out.ndim` of them), so the n rows of a Jacobian or
Hessian travel through one backward pass as one batch. Static parameters (axes, shapes,
indices, masks) are keyword arguments and never part of the graph.

>>> import gradcli
>>> x = gradcli.tensor([1.0, 2.0], requires_grad=True)
>>> (g,) = gradcli.grad(sum(x * x), [x])
>>> g
tensor([2., 4.])
"""

from __future__ import annotations

import math

import numpy as np

from .errors import GradError, ShapeError
from .tensor import Tensor, is_grad_enabled


class Primitive:
    __slots__ = ("name", "forward", "rules", "variadic", "joint", "reads")

    def __init__(self, name, forward, rules, variadic=False, joint=None, reads=None):
        self.name, self.forward, self.rules, self.variadic = name, forward, rules, variadic
        # joint(g, out, needs, *inputs) -> one contribution (or None) per input, for rules
        # whose inputs share work (division: both use g / b)
        self.joint = joint
        # the values the rules read: input positions and "out" (shapes do not count);
        # None for all of them. A backward pass may drop any other value (autograd._release).
        self.reads = reads

    def vjps(self, g: Tensor, out: Tensor, needs: list, donate: bool = False) -> list:
        """The contributions of `g` to each input for which needs[i] holds (None elsewhere).

        With `donate` the caller hands over g's buffer: the last rule to read g may write
        its result into it (see _mul_g), and g._donated == TAKEN afterwards says it did."""
        if self.joint is not None:
            g._donated = OFFERED if donate else 0
            return self.joint(g, out, needs, *out._parents, **out._params)
        contribs = [None] * len(needs)
        last = len(needs) - 1
        while last >= 0 and not needs[last]:
            last -= 1
        for i in range(last + 1):
            if not needs[i]:
                continue
            if donate and i == last and not any([c is not None and _shares(c, g) for c in contribs]):
                g._donated = OFFERED  # no earlier contribution sees g, so the last may overwrite it
            contribs[i] = self.vjp(i, g, out)
        return contribs

    def vjp(self, argnum: int, g: Tensor, out: Tensor) -> Tensor:
        """The contribution of `g` (the gradient of `out`) to the gradient of input `argnum`."""
        if self.variadic:  # only the input concerned: passing all n would make n calls cost n**2
            return self.rules[0](g, out, out._parents[argnum], argnum=argnum, **out._params)
        return self.rules[argnum](g, out, *out._parents, **out._params)

    def __repr__(self):
        return f"<primitive {self.name}>"


PRIMITIVES: dict[str, Primitive] = {}


def defprim(name, forward, *rules, variadic=False, joint=None, reads=None) -> Primitive:
    prim = PRIMITIVES[name] = Primitive(name, forward, rules, variadic, joint, reads)
    return prim


def as_tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(np.asarray(x, dtype=np.float64))


def apply(prim: Primitive, *inputs, **params) -> Tensor:
    """Run a primitive forward; record it in the graph when an input requires grad."""
    inputs = tuple([x if type(x) is Tensor else as_tensor(x) for x in inputs])
    data = prim.forward(*[x.data for x in inputs], **params)
    out = Tensor(data if type(data) is np.ndarray else np.asarray(data, dtype=np.float64))
    for x in inputs:
        if x.requires_grad:
            if is_grad_enabled():
                out.requires_grad = True
                out._prim, out._parents, out._params = prim, inputs, params
            break
    return out


def const(value) -> Tensor:
    return Tensor(np.asarray(value, dtype=np.float64))


# --- shape helpers (themselves differentiable) -----------------------------------------------

def unbroadcast(t: Tensor, shape: tuple, out_ndim: int) -> Tensor:
    """Sum `t` (batch dims + an output's shape) down to batch dims + `shape` (an input's)."""
    if t.shape == shape:  # the common case: nothing was broadcast, no batch dimensions
        return t
    nb = t.ndim - out_ndim
    padded = (1,) * (out_ndim - len(shape)) + tuple(shape)
    axes = tuple(nb + i for i, d in enumerate(padded) if d == 1 and t.shape[nb + i] != 1)
    if axes:
        t = sum(t, axes, keepdims=True)
    target = t.shape[:nb] + tuple(shape)
    return t if t.shape == target else reshape(t, target)


def expand(g: Tensor, in_shape: tuple, axes: tuple, keepdims: bool, out_ndim: int) -> Tensor:
    """Undo a reduction over `axes`: g (batch + reduced shape) -> batch + keepdims shape."""
    nb = g.ndim - out_ndim
    if keepdims:
        return g
    keep = tuple(1 if i in axes else d for i, d in enumerate(in_shape))
    return reshape(g, g.shape[:nb] + keep)


def _broadcast_g(g, x, axes, keepdims, out):
    k = expand(g, x.shape, axes, keepdims, out.ndim)
    return broadcast_to(k, k.shape[:g.ndim - out.ndim] + x.shape)


# Writing into a buffer nobody else can see saves allocating (and, on first touch, faulting
# in) one more array; on an n-by-n Hessian batch that is most of a pass's cost.
OFFERED, TAKEN = 1, 2  # Tensor._donated: the engine lends a gradient's buffer to one rule


def _shares(contrib, g: Tensor) -> bool:
    data = contrib.g.data if isinstance(contrib, SliceGrad) else contrib.data
    return np.may_share_memory(data, g.data)


def _into(ufunc, t: Tensor, other=None):
    """ufunc(t[, other]) written into t's buffer; None when that cannot be done in place
    (a graph is being built, or broadcasting would change t's shape)."""
    if is_grad_enabled():
        return None
    if other is None:
        ufunc(t.data, out=t.data)
        return t
    if type(other) is float:
        ufunc(t.data, other, out=t.data)
        return t
    other = as_tensor(other)
    if other.ndim and other.shape != t.shape and np.broadcast_shapes(t.shape, other.shape) != t.shape:
        return None
    ufunc(t.data, other.data, out=t.data)
    return t


def _mul_fresh(fresh: Tensor, other) -> Tensor:
    """fresh * other, in place outside a graph. `fresh` must be a temporary the calling
    rule has just made, so no one else can see the change."""
    done = _into(np.multiply, fresh, other)
    return fresh * other if done is None else done


def _neg_fresh(fresh: Tensor) -> Tensor:
    """-fresh, in place outside a graph (same contract as _mul_fresh)."""
    done = _into(np.negative, fresh)
    return -fresh if done is None else done


def _lent(ufunc, g: Tensor, other=None):
    """ufunc(g[, other]) into g's own buffer when the engine has lent it (g._donated)."""
    if g._donated != OFFERED or _into(ufunc, g, other) is None:
        return None
    g._donated = TAKEN
    return g


def _mul_g(g: Tensor, other) -> Tensor:
    """g * other for the incoming gradient g, in g's buffer when the engine lends it.
    It must be the rule's last use of g: afterwards g holds the product."""
    done = _lent(np.multiply, g, other)
    return g * other if done is None else done


def _div_g(g: Tensor, other) -> Tensor:
    """g / other, same contract as _mul_g."""
    done = _lent(np.true_divide, g, other)
    return g / other if done is None else done


def _neg_g(g: Tensor) -> Tensor:
    """-g, same contract as _mul_g."""
    done = _lent(np.negative, g)
    return -g if done is None else done


def _swap_last(t: Tensor) -> Tensor:
    axes = tuple(range(t.ndim - 2)) + (t.ndim - 1, t.ndim - 2)
    return permute(t, axes)


# --- elementwise binary ---------------------------------------------------------------------

_add = defprim("add", np.add,
               lambda g, out, a, b: unbroadcast(g, a.shape, out.ndim),
               lambda g, out, a, b: unbroadcast(g, b.shape, out.ndim), reads=())
_sub = defprim("sub", np.subtract,
               lambda g, out, a, b: unbroadcast(g, a.shape, out.ndim),
               lambda g, out, a, b: unbroadcast(_neg_g(g), b.shape, out.ndim), reads=())
_mul = defprim("mul", np.multiply,
               lambda g, out, a, b: unbroadcast(_mul_g(g, b), a.shape, out.ndim),
               lambda g, out, a, b: unbroadcast(_mul_g(g, a), b.shape, out.ndim), reads=(0, 1))


def _div_joint(g, out, needs, a, b):
    ga = _div_g(g, b)                    # d(a/b)/da = 1/b, and d(a/b)/db = -(a/b)/b: both share g/b
    return [unbroadcast(ga, a.shape, out.ndim) if needs[0] else None,
            unbroadcast(_neg_fresh(ga * out), b.shape, out.ndim) if needs[1] else None]


_div = defprim("div", np.true_divide,
               lambda g, out, a, b: _div_joint(g, out, [True, False], a, b)[0],
               lambda g, out, a, b: _div_joint(g, out, [False, True], a, b)[1],
               joint=_div_joint, reads=(1, "out"))


def _pow_base(g, out, a, b):
    if not b.requires_grad:
        # A constant exponent c: c * a**(c-1) with c-1 worked out once, and no power at all
        # for squares, the commonest case.
        # g * c first: where g is a constant (as near the top of a Hessian's gradient graph)
        # that is plain NumPy, and the gradient graph is a node shorter.
        c = b.data
        if (c == 2.0) if c.ndim == 0 else np.all(c == 2.0):
            return unbroadcast(_mul_fresh(_mul_g(g, 2.0), a), a.shape, out.ndim)
        base = where(a, 1.0, cond=~np.broadcast_to(c == 0, out.shape)) if np.any(c == 0) else a
        return unbroadcast(_mul_fresh(_mul_g(g, b), base ** const(c - 1.0)), a.shape, out.ndim)
    base = a
    zero_exp = np.broadcast_to(b.data == 0, out.shape)
    if zero_exp.any():
        # d/da a**0 is 0, also at a = 0: a base of 1 there keeps 0 * 0**-1 from making NaN.
        base = where(a, 1.0, cond=~zero_exp)
    return unbroadcast(_mul_g(g, b * base ** (b - 1)), a.shape, out.ndim)


def _pow_exponent(g, out, a, b):
    zero_base = np.broadcast_to(a.data == 0, out.shape)
    if not zero_base.any():
        return unbroadcast(_mul_fresh(_mul_g(g, out), log(a)), b.shape, out.ndim)
    # At a = 0 PyTorch takes the limit 0 (for b >= 0) instead of 0 * log(0) = NaN.
    safe = where(a, 1.0, cond=~(a.data == 0))
    term = where(out * log(safe), 0.0, cond=~(zero_base & (b.data >= 0)))
    return unbroadcast(_mul_g(g, term), b.shape, out.ndim)


_pow = defprim("pow", np.power, _pow_base, _pow_exponent, reads=(0, 1, "out"))


def _max_share(a, b, out_shape):
    """Gradient share of `a` in maximum(a, b): 1 where a wins, 1/2 at ties (as PyTorch)."""
    ad, bd = np.broadcast_to(a.data, out_shape), np.broadcast_to(b.data, out_shape)
    return const((ad > bd) + 0.5 * (ad == bd))


_maximum = defprim("maximum", np.maximum,
                   lambda g, out, a, b: unbroadcast(_mul_g(g, _max_share(a, b, out.shape)), a.shape, out.ndim),
                   lambda g, out, a, b: unbroadcast(_mul_g(g, _max_share(b, a, out.shape)), b.shape, out.ndim),
                   reads=(0, 1))
_minimum = defprim("minimum", np.minimum,
                   lambda g, out, a, b: unbroadcast(_mul_g(g, _max_share(b, a, out.shape)), a.shape, out.ndim),
                   lambda g, out, a, b: unbroadcast(_mul_g(g, _max_share(a, b, out.shape)), b.shape, out.ndim),
                   reads=(0, 1))


def _where_fwd(a, b, *, cond):
    return np.where(cond, a, b)


_where = defprim("where", _where_fwd,
                 lambda g, out, a, b, cond: unbroadcast(where(g, 0.0, cond=cond), a.shape, out.ndim),
                 lambda g, out, a, b, cond: unbroadcast(where(0.0, g, cond=cond), b.shape, out.ndim), reads=())


def _matmul_fwd(a, b):
    return np.matmul(a, b)


_matmul = defprim("matmul", _matmul_fwd,
                  lambda g, out, a, b: unbroadcast(g @ _swap_last(b), a.shape, out.ndim),
                  lambda g, out, a, b: unbroadcast(_swap_last(a) @ g, b.shape, out.ndim), reads=(0, 1))

# --- elementwise unary ----------------------------------------------------------------------

_LN2, _LN10 = math.log(2.0), math.log(10.0)


def _sigmoid_fwd(x):
    # exp of -|x| only, so neither tail overflows
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


_neg = defprim("neg", np.negative, lambda g, out, a: _neg_g(g), reads=())
_exp = defprim("exp", np.exp, lambda g, out, a: _mul_g(g, out), reads=("out",))
_log = defprim("log", np.log, lambda g, out, a: _div_g(g, a), reads=(0,))
_log2 = defprim("log2", np.log2, lambda g, out, a: _div_g(g, a * _LN2), reads=(0,))
_log10 = defprim("log10", np.log10, lambda g, out, a: _div_g(g, a * _LN10), reads=(0,))
_sqrt = defprim("sqrt", np.sqrt, lambda g, out, a: _div_g(g, 2.0 * out), reads=("out",))
_sin = defprim("sin", np.sin, lambda g, out, a: _mul_fresh(cos(a), g), reads=(0,))
_cos = defprim("cos", np.cos, lambda g, out, a: _neg_fresh(_mul_fresh(sin(a), g)), reads=(0,))
_tan = defprim("tan", np.tan, lambda g, out, a: _mul_g(g, 1.0 + out * out), reads=("out",))
_asin = defprim("asin", np.arcsin, lambda g, out, a: _div_g(g, sqrt(1.0 - a * a)), reads=(0,))
_acos = defprim("acos", np.arccos, lambda g, out, a: _neg_fresh(_div_g(g, sqrt(1.0 - a * a))), reads=(0,))
_atan = defprim("atan", np.arctan, lambda g, out, a: _div_g(g, 1.0 + a * a), reads=(0,))
_sinh = defprim("sinh", np.sinh, lambda g, out, a: _mul_g(g, cosh(a)), reads=(0,))
_cosh = defprim("cosh", np.cosh, lambda g, out, a: _mul_g(g, sinh(a)), reads=(0,))
_tanh = defprim("tanh", np.tanh, lambda g, out, a: _mul_g(g, 1.0 - out * out), reads=("out",))
_abs = defprim("abs", np.abs, lambda g, out, a: _mul_g(g, const(np.sign(a.data))), reads=(0,))
_relu = defprim("relu", lambda x: np.maximum(x, 0.0), lambda g, out, a: _mul_g(g, const(a.data > 0)), reads=(0,))
_sigmoid = defprim("sigmoid", _sigmoid_fwd, lambda g, out, a: _mul_g(g, out * (1.0 - out)), reads=("out",))
_softplus = defprim("softplus", lambda x: np.logaddexp(0.0, x), lambda g, out, a: _mul_g(g, sigmoid(a)), reads=(0,))

# --- reductions -----------------------------------------------------------------------------


def _sum_fwd(x, *, axes, keepdims):
    return np.sum(x, axis=axes, keepdims=keepdims)


_sum = defprim("sum", _sum_fwd, lambda g, out, a, axes, keepdims: _broadcast_g(g, a, axes, keepdims, out), reads=())


def _prod_rule(g, out, a):
    gk = expand(g, a.shape, tuple(range(a.ndim)), False, out.ndim)
    zeros = a.data == 0
    if not zeros.any():
        return gk * (out / a)
    # With zeros, out / a is 0/0; what is wanted is the product of the other elements.
    flat = a.data.reshape(-1)
    if not is_grad_enabled():  # first order: prefix and suffix products, O(n)
        before = np.concatenate(([1.0], np.cumprod(flat[:-1])))
        after = np.concatenate((np.cumprod(flat[::-1][:-1])[::-1], [1.0]))
        return gk * const((before * after).reshape(a.shape))
    # Higher orders need it as a graph: row i of a matrix holds every element but the i-th.
    if a.size > _PROD_GRAPH_LIMIT:
        raise GradError(f"higher derivatives of prod() at zero elements are limited to {_PROD_GRAPH_LIMIT} elements")
    others = where(1.0, broadcast_to(reshape(a, (a.size,)), (a.size, a.size)), cond=np.eye(a.size, dtype=bool))
    return gk * reshape(stack([prod(index(others, (i,))) for i in range(a.size)]), a.shape)


_PROD_GRAPH_LIMIT = 2000
_prod = defprim("prod", np.prod, _prod_rule, reads=(0, "out"))


def _logsumexp_fwd(x, *, axes):
    m = np.max(x, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m, axis=axes)


_logsumexp = defprim("logsumexp", _logsumexp_fwd, lambda g, out, a, axes: (
    expand(g, a.shape, axes, False, out.ndim)
    * exp(a - reshape(out, tuple(1 if i in axes else d for i, d in enumerate(a.shape))))), reads=(0, "out"))


def _norm_rule(g, out, a):
    if out.data == 0:  # the subgradient 0 at the origin, as PyTorch
        return broadcast_to(expand(g, a.shape, tuple(range(a.ndim)), False, out.ndim),
                            g.shape + a.shape) * 0.0
    return expand(g, a.shape, tuple(range(a.ndim)), False, out.ndim) * (a / out)


_norm = defprim("norm", lambda x: np.sqrt(np.sum(x * x)), _norm_rule, reads=(0, "out"))

# --- shape and indexing ---------------------------------------------------------------------


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


_reshape = defprim("reshape", _reshape_fwd,
                   lambda g, out, a, shape: reshape(g, g.shape[:g.ndim - out.ndim] + a.shape), reads=())
_broadcast = defprim("broadcast_to", _broadcast_fwd,
                     lambda g, out, a, shape: unbroadcast(g, a.shape, out.ndim), reads=())
_permute = defprim("permute", _permute_fwd, lambda g, out, a, axes: permute(
    g, tuple(range(g.ndim - out.ndim)) + tuple(g.ndim - out.ndim + i for i in _inverse(axes))), reads=())


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


def _index_rule(g, out, a, idx, lead):
    spread = {"idx": idx, "lead": lead + g.ndim - out.ndim, "shape": a.shape[lead:]}
    return scatter(g, **spread) if is_grad_enabled() else SliceGrad(g, **spread)


_index = defprim("index", _index_fwd, _index_rule, reads=())
_scatter = defprim("scatter", _scatter_fwd,
                   lambda g, out, a, idx, lead, shape: index(g, idx, lead=lead + g.ndim - out.ndim), reads=())
_stack = defprim("stack", _stack_fwd, lambda g, out, x, argnum: index(
    g, (argnum,), lead=g.ndim - out.ndim), variadic=True, reads=())


def _add_n_fwd(*xs, signs):
    # left to right, exactly as the chain of binary + and - it stands for
    acc = xs[0] if signs[0] > 0 else -xs[0]
    for x, sign in zip(xs[1:], signs[1:]):
        acc = np.add(acc, x) if sign > 0 else np.subtract(acc, x)
    return acc


# A long sum `a + b - c + ...` is one node, not a chain of thousands of binary ones.
_add_n = defprim("add_n", _add_n_fwd, lambda g, out, x, argnum, signs: unbroadcast(
    g if signs[argnum] > 0 else _neg_g(g), x.shape, out.ndim), variadic=True, reads=())


# --- the public operations ------------------------------------------------------------------

def add(a, b): return apply(_add, a, b)


def add_n(items, signs) -> Tensor:
    """items[0] ± items[1] ± ...; signs are +1 or -1, one per item (NumPy broadcasting)."""
    return apply(_add_n, *items, signs=tuple(signs))


def sub(a, b): return apply(_sub, a, b)
def mul(a, b): return apply(_mul, a, b)
def div(a, b): return apply(_div, a, b)
def pow(a, b): return apply(_pow, a, b)  # noqa: A001
def maximum(a, b): return apply(_maximum, a, b)
def minimum(a, b): return apply(_minimum, a, b)
def neg(a): return apply(_neg, a)
def exp(a): return apply(_exp, a)
def log(a): return apply(_log, a)
def log2(a): return apply(_log2, a)
def log10(a): return apply(_log10, a)
def sqrt(a): return apply(_sqrt, a)
def sin(a): return apply(_sin, a)
def cos(a): return apply(_cos, a)
def tan(a): return apply(_tan, a)
def asin(a): return apply(_asin, a)
def acos(a): return apply(_acos, a)
def atan(a): return apply(_atan, a)
def sinh(a): return apply(_sinh, a)
def cosh(a): return apply(_cosh, a)
def tanh(a): return apply(_tanh, a)
def abs(a): return apply(_abs, a)  # noqa: A001
def relu(a): return apply(_relu, a)
def sigmoid(a): return apply(_sigmoid, a)
def softplus(a): return apply(_softplus, a)
def norm(a): return apply(_norm, a)


def where(a, b, *, cond) -> Tensor:
    """`a` where the constant mask `cond` holds, else `b` (the mask carries no gradient)."""
    return apply(_where, a, b, cond=np.asarray(cond, dtype=bool))


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
    return apply(_sum, x, axes=_axes(x, axis), keepdims=keepdims)


def mean(x, axis=None) -> Tensor:
    x = as_tensor(x)
    axes = _axes(x, axis)
    count = int(np.prod([x.shape[a] for a in axes])) if axes else 1
    return sum(x, axes) / float(count)


def prod(x) -> Tensor:
    """The product of all elements."""
    return apply(_prod, x)


def logsumexp(x, axis=None) -> Tensor:
    x = as_tensor(x)
    return apply(_logsumexp, x, axes=_axes(x, axis))


def reshape(x, shape) -> Tensor:
    x = as_tensor(x)
    shape = tuple(int(s) for s in shape)
    return x if x.shape == shape else apply(_reshape, x, shape=shape)


def broadcast_to(x, shape) -> Tensor:
    x = as_tensor(x)
    shape = tuple(shape)
    return x if x.shape == shape else apply(_broadcast, x, shape=shape)


def permute(x, axes) -> Tensor:
    axes = tuple(int(a) for a in axes)
    return x if axes == tuple(range(len(axes))) else apply(_permute, x, axes=axes)


def transpose(x) -> Tensor:
    x = as_tensor(x)
    return permute(x, tuple(reversed(range(x.ndim))))


def index(x, idx: tuple, lead: int = 0) -> Tensor:
    return apply(_index, x, idx=tuple(idx), lead=lead)


def scatter(g, *, idx, lead, shape) -> Tensor:
    return apply(_scatter, g, idx=tuple(idx), lead=lead, shape=tuple(shape))


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
    return apply(_stack, *items)


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
    out = apply(_matmul, a2, b2)
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

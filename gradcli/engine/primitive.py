"""A primitive: a NumPy forward, one derivative rule per input, and the facts it declares.

Rules are vector-Jacobian products written with Tensor operations, so under create_graph the
gradient is itself a graph and higher derivatives come for free. Every rule accepts an
incoming gradient `g` with extra leading batch dimensions (`batch(g, y)` of them), so the
rows of a Jacobian or Hessian travel through one backward pass as one batch. Static
parameters (axes, shapes, indices) are keyword arguments and never part of the graph.

What the registry does for every rule, so that no rule has to: sums a broadcast input's
gradient back to its shape (HIPS autograd's unbroadcast_f), and lends the gradient's buffer
to the last rule that reads it (lending.py).

The facts a primitive declares, each read by one part of the engine:
- reads: which values its rules read (input positions and "out"); a backward pass that
  frees the graph drops every other value first (autograd._release). None: all of them.
- elementwise: each output element depends only on the same element of each input.
- span: how sparsity.py follows which input elements an output element can depend on
  ("elementwise", "reduce", "moved", "scatter"; None: on everything).
- constant: piecewise constant (sign): no gradient flows through it, so it records no graph.
- taylor: the rule of Taylor mode: the inputs' truncated Taylor series to the output's.

>>> PRIMITIVES["sin"].elementwise, PRIMITIVES["sum"].span
(True, 'reduce')
"""

from __future__ import annotations

import numpy as np

from .lending import in_place, offer, shares
from .series import Series
from .tensor import Tensor, _state


class Primitive:
    __slots__ = ("name", "forward", "rules", "variadic", "reads", "elementwise", "broadcasts", "span",
                 "ufunc", "constant", "taylor")

    def __init__(self, name, forward, rules, *, variadic=False, reads=None, elementwise=False, broadcasts=None,
                 span=None, constant=False, taylor=None):
        self.name, self.forward, self.rules, self.variadic = name, forward, rules, variadic
        self.reads = reads
        self.elementwise = elementwise
        # inputs that were broadcast get their gradient summed back to their own shape
        self.broadcasts = elementwise and (variadic or len(rules) > 1) if broadcasts is None else broadcasts
        self.span = span if span is not None else ("elementwise" if elementwise else None)
        # an elementwise NumPy ufunc can write its result into a lent buffer
        self.ufunc = forward if elementwise and isinstance(forward, np.ufunc) and forward.signature is None else None
        self.constant = constant
        self.taylor = taylor  # inputs' Taylor series -> the output's (taylor.py, series.py)

    def vjps(self, g: Tensor, out: Tensor, needs: list, donate: bool = False) -> list:
        """The contributions of `g` to each input for which needs[i] holds (None elsewhere).

        With `donate` the caller hands over g's buffer: the last rule to read g may write
        into it, provided no earlier contribution is (a view of) g itself."""
        contribs = [None] * len(needs)
        last = len(needs) - 1
        while last >= 0 and not needs[last]:
            last -= 1
        for i in range(last + 1):
            if not needs[i]:
                continue
            if donate and i == last and not any([c is not None and shares(c, g) for c in contribs]):
                offer(g)
            contribs[i] = self.vjp(i, g, out)
        return contribs

    def vjp(self, argnum: int, g: Tensor, out: Tensor) -> Tensor:
        """The contribution of `g` (the gradient of `out`) to the gradient of input `argnum`."""
        if self.variadic:  # only the input concerned: passing all n would make n calls cost n**2
            contrib = self.rules[0](g, out, out._parents[argnum], argnum=argnum, **out._params)
        else:
            contrib = self.rules[argnum](g, out, *out._parents, **out._params)
        return unbroadcast(contrib, out._parents[argnum].shape, out.ndim) if self.broadcasts else contrib

    def __repr__(self):
        return f"<primitive {self.name}>"


PRIMITIVES: dict[str, Primitive] = {}


def defprim(name, forward, *rules, **facts) -> Primitive:
    prim = PRIMITIVES[name] = Primitive(name, forward, rules, **facts)
    return prim


def as_tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(np.asarray(x, dtype=np.float64))


def const(value) -> Tensor:
    return Tensor(np.asarray(value, dtype=np.float64))


def apply(prim: Primitive, *inputs, **params) -> Tensor:
    """Run a primitive forward; record it in the graph when an input requires grad."""
    for x in inputs:  # (a loop, not a comprehension: this runs for every operation)
        if type(x) is not Tensor:
            if any([type(i) is Series for i in inputs]):  # a slope run in Taylor mode (series.from_slope)
                return Series.through(prim.taylor, inputs, params)
            inputs = tuple([x if type(x) is Tensor else as_tensor(x) for x in inputs])
            break
    if prim.ufunc is not None and not getattr(_state, "enabled", True):  # (is_grad_enabled(), inlined)
        for x in inputs:
            if x._donated:
                done = in_place(prim.ufunc, inputs, x)
                if done is not None:
                    return done
                break
        return Tensor(prim.ufunc(*[x.data for x in inputs]))
    data = prim.forward(*[x.data for x in inputs], **params)
    out = Tensor(data if type(data) is np.ndarray else np.asarray(data, dtype=np.float64))
    if not prim.constant:
        for x in inputs:
            if x.requires_grad:
                if getattr(_state, "enabled", True):
                    out.requires_grad = True
                    out._prim, out._parents, out._params = prim, inputs, params
                break
    return out


# --- shape helpers for rules (themselves differentiable) --------------------------------------

def batch(g: Tensor, out: Tensor) -> int:
    """How many leading batch dimensions the incoming gradient has."""
    return g.ndim - out.ndim


def unbroadcast(t: Tensor, shape: tuple, out_ndim: int) -> Tensor:
    """Sum `t` (batch dims + an output's shape) down to batch dims + `shape` (an input's).
    (The sum and reshape primitives are taken from the registry, which ops.py has filled by
    the time any rule runs: the registry sits below the operations it holds.)"""
    if t.shape == shape:  # the common case: nothing was broadcast, no batch dimensions
        return t
    nb = t.ndim - out_ndim
    padded = (1,) * (out_ndim - len(shape)) + tuple(shape)
    axes = tuple(nb + i for i, d in enumerate(padded) if d == 1 and t.shape[nb + i] != 1)
    if axes:
        t = apply(PRIMITIVES["sum"], t, axes=axes, keepdims=True)
    target = t.shape[:nb] + tuple(shape)
    return t if t.shape == target else apply(PRIMITIVES["reshape"], t, shape=target)

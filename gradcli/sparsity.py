"""Which input elements each output element can depend on, as an interval of flat indices.

A Jacobian whose row r can only be non-zero in columns r-b..r+b (a band: Rosenbrock's
Hessian, any elementwise or stencil function) needs only 2b+1 backward rows instead of one
per row, because rows r and r+2b+1 share no column and one seed can carry both (Curtis,
Powell and Reid's compression, with the simplest colouring there is). The intervals are
structural: an element depends on an input element when a path in the recorded graph joins
them, whatever the values; constants (masks, signs) join nothing, as in the backward pass.
Every rule may only widen an interval, never narrow it; a primitive without a rule here
makes each of its elements depend on everything its inputs depend on.

>>> import gradcli
>>> x = gradcli.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
>>> lo, hi = spans([x[1:] * x[:-1]], [x])
>>> lo.tolist(), hi.tolist()
([0, 1, 2], [1, 2, 3])
>>> bandwidth(lo, hi)
1
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .autograd import toposort
from .ops import PRIMITIVES
from .tensors import Tensor

NONE_LO, NONE_HI = np.iinfo(np.int64).max, -1   # the empty interval: lo > hi


def _empty(shape) -> tuple:
    return np.full(shape, NONE_LO, dtype=np.int64), np.full(shape, NONE_HI, dtype=np.int64)


def _elementwise(node, parents, **_):
    lo, hi = _empty(node.shape)
    for plo, phi in parents:  # broadcasting: an element depends on what its operands depend on
        np.minimum(lo, plo, out=lo)
        np.maximum(hi, phi, out=hi)
    return lo, hi


def _everything(node, parents, **_):
    lo = min([int(np.min(p[0], initial=NONE_LO)) for p in parents] + [NONE_LO])
    hi = max([int(np.max(p[1], initial=NONE_HI)) for p in parents] + [NONE_HI])
    return np.full(node.shape, lo, dtype=np.int64), np.full(node.shape, hi, dtype=np.int64)


def _reduce(axes=None, keepdims=False):
    def rule(node, parents, **params):
        (lo, hi), = parents
        ax = params.get("axes", axes)
        keep = params.get("keepdims", keepdims)
        return (np.min(lo, axis=ax, keepdims=keep, initial=NONE_LO),
                np.max(hi, axis=ax, keepdims=keep, initial=NONE_HI))
    return rule


def _moved(node, parents, **params):
    """Reshape, broadcast, transpose, slice, stack: move the intervals as the values move."""
    forward = PRIMITIVES[node._prim.name].forward
    return (np.asarray(forward(*[p[0] for p in parents], **params)),
            np.asarray(forward(*[p[1] for p in parents], **params)))


def _scatter(node, parents, idx, lead, shape):
    (glo, ghi), = parents
    lo, hi = _empty(node.shape)
    where = (slice(None),) * lead + idx
    lo[where], hi[where] = glo, ghi
    return lo, hi


_RULES = {name: _elementwise for name in (
    "add", "sub", "mul", "div", "pow", "maximum", "minimum", "where", "add_n",
    "neg", "exp", "log", "log2", "log10", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan",
    "sinh", "cosh", "tanh", "abs", "relu", "sigmoid", "softplus")}
_RULES.update({name: _moved for name in ("reshape", "broadcast_to", "permute", "index", "stack")})
_RULES.update(sum=_reduce(), logsumexp=_reduce(keepdims=False), prod=_reduce(), norm=_reduce(), scatter=_scatter)


def spans(outputs: Sequence[Tensor], inputs: Sequence[Tensor]) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) per element of the outputs, flattened one after another: the lowest and the
    highest flat index of the inputs (taken one after another) that it can depend on."""
    own: dict[int, tuple] = {}
    offset = 0
    for x in inputs:
        idx = np.arange(offset, offset + x.size, dtype=np.int64).reshape(x.shape)
        lo, hi = own.get(id(x), (idx, idx))
        own[id(x)] = (np.minimum(lo, idx), np.maximum(hi, idx))  # the same tensor twice: both
        offset += x.size
    found: dict[int, tuple] = {}
    for node in toposort(outputs):
        if node._prim is None:
            span = _empty(node.shape)
        else:
            parents = [found.get(id(p)) or _empty(p.shape) for p in node._parents]
            span = _RULES.get(node._prim.name, _everything)(node, parents, **node._params)
        if id(node) in own:  # an input that is itself computed from other inputs keeps both
            span = (np.minimum(span[0], own[id(node)][0]), np.maximum(span[1], own[id(node)][1]))
        found[id(node)] = span
    parts = [found.get(id(o)) or _empty(o.shape) for o in outputs]
    return (np.concatenate([np.ravel(p[0]) for p in parts] + [np.zeros(0, np.int64)]),
            np.concatenate([np.ravel(p[1]) for p in parts] + [np.zeros(0, np.int64)]))


def bandwidth(lo: np.ndarray, hi: np.ndarray) -> int:
    """The least b with every row r's interval inside r-b..r+b (0 when no row depends on anything)."""
    rows = np.arange(lo.size)
    live = lo <= hi
    if not live.any():
        return 0
    return int(max(np.max(rows[live] - lo[live]), np.max(hi[live] - rows[live]), 0))

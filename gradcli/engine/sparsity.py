"""Which input elements each output element can depend on, as an interval of flat indices.

A Jacobian whose row r can only be non-zero in columns r-b..r+b (a band: Rosenbrock's
Hessian, any elementwise or stencil function) needs only 2b+1 backward rows instead of one
per row, because rows r and r+2b+1 share no column and one seed can carry both (Curtis,
Powell and Reid's compression, with the simplest colouring there is). The intervals are
structural: an element depends on an input element when a path in the recorded graph joins
them, whatever the values; constants (masks, signs) join nothing, as in the backward pass.
Every rule may only widen an interval, never narrow it; a primitive that declares no span
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
from .tensor import Tensor

NONE_LO, NONE_HI = np.iinfo(np.int64).max, -1   # the empty interval: lo > hi


def _empty(shape) -> tuple:
    return np.full(shape, NONE_LO, dtype=np.int64), np.full(shape, NONE_HI, dtype=np.int64)


# A span is (lo, hi) arrays of the node's shape, or None for a node that depends on no
# input (a constant): most of a graph's constants then cost nothing. Rules never write
# into their parents' arrays, so a span may be shared.

def _elementwise(node, parents, **_):
    live = [p for p in parents if p is not None]
    if not live:
        return None
    lo, hi = live[0]
    for plo, phi in live[1:]:  # broadcasting: an element depends on what its operands depend on
        lo, hi = np.minimum(lo, plo), np.maximum(hi, phi)
    if lo.shape != node.shape:
        lo, hi = np.broadcast_to(lo, node.shape), np.broadcast_to(hi, node.shape)
    return lo, hi


def _everything(node, parents, **_):
    live = [p for p in parents if p is not None]
    if not live:
        return None
    lo = min(int(np.min(p[0], initial=NONE_LO)) for p in live)
    hi = max(int(np.max(p[1], initial=NONE_HI)) for p in live)
    return np.full(node.shape, lo, dtype=np.int64), np.full(node.shape, hi, dtype=np.int64)


def _reduce(node, parents, axes=None, keepdims=False):
    (span,) = parents
    if span is None:
        return None
    return (np.min(span[0], axis=axes, keepdims=keepdims, initial=NONE_LO),
            np.max(span[1], axis=axes, keepdims=keepdims, initial=NONE_HI))


def _moved(node, parents, **params):
    """Reshape, broadcast, transpose, slice, stack: move the intervals as the values move."""
    if all(p is None for p in parents):
        return None
    full = [_empty(x.shape) if p is None else p for p, x in zip(parents, node._parents)]
    forward = node._prim.forward
    return (np.asarray(forward(*[p[0] for p in full], **params)),
            np.asarray(forward(*[p[1] for p in full], **params)))


def _scatter(node, parents, idx, lead, shape):
    (span,) = parents
    if span is None:
        return None
    lo, hi = _empty(node.shape)
    where = (slice(None),) * lead + idx
    lo[where], hi[where] = span
    return lo, hi


# what each primitive's `span` fact names
_RULES = {"elementwise": _elementwise, "moved": _moved, "reduce": _reduce, "scatter": _scatter}


def spans(outputs: Sequence[Tensor], inputs: Sequence[Tensor], order: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) per element of the outputs, flattened one after another: the lowest and the
    highest flat index of the inputs (taken one after another) that it can depend on.
    `order` may pass toposort(outputs) when the caller has it already."""
    own: dict[int, tuple] = {}
    offset = 0
    for x in inputs:
        idx = np.arange(offset, offset + x.size, dtype=np.int64).reshape(x.shape)
        lo, hi = own.get(id(x), (idx, idx))
        own[id(x)] = (np.minimum(lo, idx), np.maximum(hi, idx))  # the same tensor twice: both
        offset += x.size
    found: dict[int, tuple | None] = {}
    for node in toposort(outputs) if order is None else order:
        span = None
        if node._prim is not None:
            parents = [found.get(id(p)) for p in node._parents]
            span = _RULES.get(node._prim.span, _everything)(node, parents, **node._params)
        mine = own.get(id(node))
        if mine is not None:  # an input that is itself computed from other inputs keeps both
            span = mine if span is None else (np.minimum(span[0], mine[0]), np.maximum(span[1], mine[1]))
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

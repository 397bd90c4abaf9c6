"""Lending a gradient's buffer to the rule that consumes it: the engine's memory trick.

Writing a result into a buffer nobody else can see saves allocating (and, on first touch,
faulting in) one more array; on an n-by-n Hessian batch, or arrays of 10^6 elements, that is
most of a backward pass's cost. The rules know nothing of it: they are written as formulas
(`g * cos(x)`), and the engine decides where each result may go.

The protocol: when a node's gradient `g` is owned by the backward pass and is nobody's
result, the pass offers g's buffer to the last rule that reads g (`Primitive.vjps`). While
it is offered, an elementwise operation reading g (or what was computed from g in its
buffer) writes its result into that buffer instead of a new one (`apply` calls `in_place`).
So a rule must read g, and what it computes from g, once: `-(g * sin(x))` is fine, `g * a + g`
is not. tests/conftest.check_grads runs every rule both ways and compares, so a rule that
breaks this cannot pass.

>>> import numpy as np
>>> from gradcli.engine.tensor import Tensor, no_grad
>>> g = Tensor(np.array([1.0, 2.0])); buf = g.data
>>> offer(g)
>>> with no_grad():
...     r = -(g * 3.0)
>>> r is g, r.data is buf, r.data.tolist(), taken(g)
(True, True, [-3.0, -6.0], True)
"""

from __future__ import annotations

import numpy as np

# Tensor._donated: 0 not lent; OFFERED lent and untouched; TAKEN lent and written into.
OFFERED, TAKEN = 1, 2


def offer(g) -> None:
    g._donated = OFFERED


def taken(g) -> bool:
    """Whether a rule wrote into g's buffer; ends the loan either way."""
    was = g._donated == TAKEN
    g._donated = 0
    return was


def shares(contribution, g) -> bool:
    """Whether a rule's result may be (a view of) g's buffer."""
    data = contribution.g.data if hasattr(contribution, "add_into") else contribution.data
    return np.may_share_memory(data, g.data)


def in_place(ufunc, inputs: tuple, target):
    """ufunc(*inputs) written into the buffer of `target`, a lent input, or None when the
    result would not fit there.

    Called by `apply` outside a graph only: a graph being built (create_graph) keeps every
    value, so nothing may be overwritten then."""
    shape = target.data.shape
    for x in inputs:
        other = x.data.shape
        if other != shape and other and not _fits(other, shape):
            return None  # the result would be larger than the lent buffer
    ufunc(*[x.data for x in inputs], out=target.data)
    target._donated = TAKEN
    return target


def _fits(shape: tuple, target: tuple) -> bool:
    """Whether an operand of `shape` broadcasts into `target` without enlarging it."""
    if len(shape) > len(target):
        return False
    return all(d == 1 or d == t for d, t in zip(reversed(shape), reversed(target)))

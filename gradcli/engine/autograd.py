"""Reverse mode: backward() and grad(), with PyTorch's semantics.

The traversal is iterative (no recursion, so 100,000-node chains are fine), visits only
nodes on a path to a requested input, frees each intermediate gradient once it has been
pushed to the node's inputs, and accumulates fan-in in place only into buffers it owns.

>>> import gradcli
>>> x1 = gradcli.tensor(1.0, requires_grad=True); x2 = gradcli.tensor(2.0, requires_grad=True)
>>> gradcli.grad([x1 * x2, x1 + x2], [x1, x2])   # several outputs accumulate
(tensor(3.), tensor(2.))
"""

from __future__ import annotations

import sys
from typing import Sequence

import numpy as np

from .errors import GradError
from .lending import taken
from .ops import SliceGrad
from .tensor import Tensor, set_grad_enabled


class _Freed:
    """Stands in for the primitive of a node whose graph a backward pass has released."""

    name = "freed"


FREED = _Freed()
_SECOND_TIME = ("Trying to backward through the graph a second time (or directly access saved tensors after "
                "they have already been freed). Specify retain_graph=True if you need to backward through "
                "the graph a second time")


def toposort(roots: Sequence[Tensor]) -> list[Tensor]:
    """Graph nodes that require grad, every node after all of its inputs."""
    order: list[Tensor] = []
    visited: set[int] = set()
    for root in roots:
        if not root.requires_grad or id(root) in visited:
            continue
        visited.add(id(root))
        stack = [(root, iter(root._parents))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent.requires_grad and id(parent) not in visited:
                    visited.add(id(parent))
                    stack.append((parent, iter(parent._parents)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def _as_list(x) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _cotangents(outputs, grad_outputs, batched: bool) -> list[Tensor]:
    grad_outputs = _as_list(grad_outputs) or [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise GradError(f"got {len(grad_outputs)} gradients for {len(outputs)} outputs")
    seeds = []
    for i, (out, w) in enumerate(zip(outputs, grad_outputs)):
        if w is None:
            if out.ndim != 0 or batched:
                raise GradError("grad can be implicitly created only for scalar outputs")
            seeds.append(Tensor(np.ones(())))
            continue
        w = w if isinstance(w, Tensor) else Tensor(np.asarray(w, dtype=np.float64))
        shape = w.shape[1:] if batched else w.shape
        if shape != out.shape:
            raise GradError(f"Mismatch in shape: grad_output[{i}] has a shape of {shape} and "
                            f"output[{i}] has a shape of {out.shape}")
        seeds.append(w)
    return seeds


def _backprop(outputs: list[Tensor], seeds: list[Tensor], targets: set[int] | None,
              create_graph: bool, retain_graph: bool) -> dict[int, list]:
    """Push `seeds` from `outputs` back; return {id(target): (target, [gradient, owned])}.

    targets None means every leaf that requires grad (backward()); otherwise only nodes on a
    path to one of the targets are visited. Unless retain_graph, each node lets go of its
    inputs once its rule has run, so intermediate arrays are freed during the pass, as
    PyTorch frees saved tensors.
    """
    order = toposort(outputs)
    if any(node._prim is FREED for node in order):
        raise GradError(_SECOND_TIME)
    if not retain_graph and not create_graph:  # first, while no local variable holds a node
        _release(order, {id(o) for o in outputs} | (targets or set()))
    if targets is None:
        wanted = {id(n) for n in order if n._prim is None}
        reach = None
    else:
        wanted = targets
        reach = set()
        for node in order:  # inputs come before their users
            key = id(node)
            if key in targets:
                reach.add(key)
                continue
            for p in node._parents:
                if id(p) in reach:
                    reach.add(key)
                    break

    grads: dict[int, list] = {}

    def accumulate(node: Tensor, g, owned: bool) -> None:
        entry = grads.get(id(node))
        if isinstance(g, SliceGrad):
            if entry is None:
                grads[id(node)] = [g.dense(), True]
            elif entry[1]:
                g.add_into(entry[0].data)
            else:
                buf = np.array(entry[0].data)
                g.add_into(buf)
                entry[0], entry[1] = Tensor(buf), True
            return
        if entry is None:
            grads[id(node)] = [g, owned]
        elif create_graph:
            entry[0], entry[1] = entry[0] + g, False
        elif entry[1]:
            np.add(entry[0].data, g.data, out=entry[0].data)
        elif owned and g.shape == entry[0].shape:  # add into the newcomer's buffer instead
            np.add(g.data, entry[0].data, out=g.data)
            entry[0], entry[1] = g, True
        else:
            entry[0], entry[1] = Tensor(entry[0].data + g.data), True

    for out, seed in zip(outputs, seeds):
        if out.requires_grad:
            accumulate(out, seed, False)

    results: dict[int, list] = {}
    with set_grad_enabled(create_graph):
        while order:
            node = order.pop()  # users before their inputs; the list lets go of it meanwhile
            if reach is not None and id(node) not in reach:
                continue
            entry = grads.pop(id(node), None)
            if entry is None:
                continue
            if id(node) in wanted:
                results[id(node)] = (node, entry)
            if node._prim is None:
                continue
            g = entry[0]
            needs = ([p.requires_grad for p in node._parents] if reach is None else
                     [id(p) in reach for p in node._parents])  # reach holds only nodes that require grad
            # An owned gradient that is nobody's result may be overwritten by the node's rule.
            donate = entry[1] and not create_graph and id(node) not in wanted
            try:
                contribs = node._prim.vjps(g, node, needs, donate)
            finally:
                written = taken(g)
            for parent, contrib in zip(node._parents, contribs):
                if contrib is None:
                    continue
                # A rule may hand `g` on unchanged or as a view: then the buffer is not ours,
                # unless the rule took it over (and so no other contribution sees it).
                owned = isinstance(contrib, SliceGrad) or (
                    written if contrib.data is g.data else
                    contrib.data.flags.owndata and contrib.data.flags.writeable)
                accumulate(parent, contrib, owned)
            if not retain_graph:
                node._prim, node._parents, node._params = FREED, (), {}
            del entry, g
    return results


# What a released tensor holds: its shape, for the rules that ask, and NaN for any value read.
_NAN = np.float64("nan")
# Free-threaded CPython counts references in ways getrefcount does not report exactly.
_EXACT_REFCOUNTS = sys.implementation.name == "cpython" and getattr(sys, "_is_gil_enabled", lambda: True)()


def _release(order: list, keep: set) -> None:
    """Drop the values of intermediates that no rule of this pass reads and that nothing
    outside the graph holds, before the pass allocates its gradients: PyTorch keeps only
    the tensors its rules save, and this is the same saving (at n = 10^7 on this machine,
    a peak of 9 arrays instead of 11, and the time that goes with faulting in the other two).

    A tensor someone else holds (a variable of the caller, a node of another graph, a
    definition `u = ...` in an expression) has references the graph does not account for,
    and keeps its value; an unaccounted reference can only make this keep more."""
    if not _EXACT_REFCOUNTS or not any(n._prim is not None and n.data.size > 1 for n in order):
        return  # (scalars cost nothing to keep: a long scalar expression skips the bookkeeping)
    read, uses = _reads_and_uses(order)
    for node in order:
        key = id(node)
        if node._prim is None or key in read or key in keep or node.data.size <= 1:
            continue
        # the references here: `order`, `node` and getrefcount's own argument, plus one
        # from each input tuple of a node of this graph that uses it
        if sys.getrefcount(node) == 3 + uses.get(key, 0):
            node.data = np.broadcast_to(_NAN, node.data.shape)


def _reads_and_uses(order: list) -> tuple[set, dict]:
    """ids of the nodes whose values some rule reads; {id: how many input tuples hold it}.
    (A function of its own, so that its loop variables hold no node when it returns.)"""
    read: set[int] = set()
    uses: dict[int, int] = {}
    for node in order:
        prim = node._prim
        if prim is None or prim is FREED:
            continue
        for parent in node._parents:
            uses[id(parent)] = uses.get(id(parent), 0) + 1
        if prim.reads is None:
            read.update(id(parent) for parent in node._parents)
            read.add(id(node))
            continue
        for r in prim.reads:
            read.add(id(node) if r == "out" else id(node._parents[r]))
    return read, uses


def _fresh(entry: list, create_graph: bool) -> Tensor:
    g, owned = entry
    if create_graph or owned:
        return g
    return Tensor(np.array(g.data))  # never hand out a view of a caller's or another's array


def backward(outputs, grad_outputs=None, create_graph: bool = False, retain_graph: bool | None = None) -> None:
    """Accumulate the weighted gradients of `outputs` into the `.grad` of every leaf.

    >>> import gradcli
    >>> x = gradcli.tensor(1.0, requires_grad=True)
    >>> (x**2).backward(); (x**3).backward()
    >>> x.grad   # accumulated: 2 + 3
    tensor(5.)
    """
    outputs = [o if isinstance(o, Tensor) else Tensor(o) for o in _as_list(outputs)]
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise GradError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    seeds = _cotangents(outputs, grad_outputs, batched=False)
    retain = create_graph if retain_graph is None else retain_graph
    for leaf, entry in _backprop(outputs, seeds, None, create_graph, retain).values():
        g = _fresh(entry, create_graph)
        leaf.grad = g if leaf.grad is None else leaf.grad + g


def _tensor_backward(self, gradient=None, retain_graph: bool | None = None, create_graph: bool = False) -> None:
    """Accumulate d(self)/d(leaf), weighted by `gradient`, into every leaf's `.grad`."""
    backward([self], None if gradient is None else [gradient], create_graph=create_graph, retain_graph=retain_graph)


# Bound here, not in tensor.py, so that Tensor sits below the pass that differentiates it.
Tensor.backward = _tensor_backward


def grad(outputs, inputs, grad_outputs=None, create_graph: bool = False, allow_unused: bool = False,
         is_grads_batched: bool = False, retain_graph: bool | None = None) -> tuple:
    """The weighted gradients of `outputs` with respect to `inputs`, as a tuple.

    With `is_grads_batched`, each grad_output has an extra leading batch dimension and so
    has each result: several vector-Jacobian products in one pass. As in PyTorch, the graph
    is released as the pass goes unless retain_graph (which defaults to create_graph).

    >>> import gradcli
    >>> x = gradcli.tensor(0.0, requires_grad=True)
    >>> (d1,) = gradcli.grad(x**2 - 2*x + 1, [x], create_graph=True)
    >>> gradcli.grad(d1, [x])
    (tensor(2.),)
    """
    outputs = [o if isinstance(o, Tensor) else Tensor(o) for o in _as_list(outputs)]
    inputs = _as_list(inputs)
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise GradError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    for x in inputs:
        if not isinstance(x, Tensor) or not x.requires_grad:
            raise GradError("One of the differentiated Tensors does not require grad")
    seeds = _cotangents(outputs, grad_outputs, batched=is_grads_batched)
    retain = create_graph if retain_graph is None else retain_graph
    found = _backprop(outputs, seeds, {id(x) for x in inputs}, create_graph, retain)
    result = []
    for x in inputs:
        entry = found.get(id(x), (None, None))[1]
        if entry is None:
            if not allow_unused:
                raise GradError("One of the differentiated Tensors appears to not have been used in the "
                                "graph. Set allow_unused=True if this is the desired behavior.")
            result.append(None)
        else:
            result.append(_fresh(entry, create_graph))
    return tuple(result)

"""Jacobians, Hessians and nth derivatives, all built on grad().

Each pushes every one-hot cotangent through the graph as one batch (the rules accept a
leading batch dimension), so an n-by-n Hessian costs two backward passes, not n.

>>> import gradcli
>>> x = gradcli.tensor([1.0, 2.0], requires_grad=True)
>>> hessian(gradcli.sum(x**3), [x]).tolist()
[[6.0, 0.0], [0.0, 12.0]]
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .autograd import grad
from .errors import GradError
from .tensors import Tensor


def jacobian(outputs: Sequence[Tensor], inputs: Sequence[Tensor], create_graph: bool = False) -> np.ndarray:
    """Rows: the elements of every output in turn; columns: the elements of every input."""
    sizes = [o.size for o in outputs]
    rows = sum(sizes)
    cols = sum(x.size for x in inputs)
    live = [i for i, o in enumerate(outputs) if o.requires_grad]
    if rows == 0 or not live:
        return np.zeros((rows, cols))
    seeds, offsets, offset = [], [], 0
    for size in sizes:
        offsets.append(offset)
        offset += size
    for i in live:
        if sizes[i] == rows:  # the only output: its seed is the identity itself
            seed = np.eye(rows)
        else:
            seed = np.zeros((rows, sizes[i]))
            seed[offsets[i]:offsets[i] + sizes[i]] = np.eye(sizes[i])
        seeds.append(Tensor(seed.reshape((rows,) + outputs[i].shape)))
    # the caller's graph stays usable: it may want a Hessian or more derivatives next
    found = grad([outputs[i] for i in live], list(inputs), seeds, create_graph=create_graph,
                 allow_unused=True, is_grads_batched=True, retain_graph=True)
    blocks = [np.zeros((rows, x.size)) if g is None else g.data.reshape(rows, x.size) for g, x in zip(found, inputs)]
    return blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)


def hessian(output: Tensor, inputs: Sequence[Tensor]) -> np.ndarray:
    """Second derivatives of a scalar with respect to all elements of `inputs`, flattened."""
    if output.ndim != 0:
        raise GradError("the Hessian needs a scalar output")
    n = sum(x.size for x in inputs)
    if not output.requires_grad:
        return np.zeros((n, n))
    first = grad([output], list(inputs), create_graph=True, allow_unused=True)
    firsts = [g if g is not None else Tensor(np.zeros(x.shape)) for g, x in zip(first, inputs)]
    return jacobian(firsts, inputs)


def nth_derivatives(output: Tensor, x: Tensor, order: int) -> list[np.ndarray]:
    """d^k output / dx^k for k = 1..order, with `x` a scalar and `output` a scalar."""
    if output.ndim != 0 or x.ndim != 0:
        raise GradError("derivatives of higher order need a scalar output and a scalar variable")
    out: list[np.ndarray] = []
    current = output
    for _ in range(order):
        if not current.requires_grad:
            out.append(np.zeros(()))
            current = Tensor(np.zeros(()))
            continue
        (d,) = grad([current], [x], create_graph=True, allow_unused=True)
        current = d if d is not None else Tensor(np.zeros(()))
        out.append(np.array(current.data))
    return out

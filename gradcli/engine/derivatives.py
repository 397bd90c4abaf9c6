"""Jacobians, Hessians and nth derivatives, all built on grad().

Each pushes every one-hot cotangent through the graph as one batch (the rules accept a
leading batch dimension), so an n-by-n Hessian costs two backward passes, not n. When each
row can only reach a band of 2b+1 columns (sparsity.py), rows 2b+1 apart share a seed and
the batch has 2b+1 rows instead of n: Rosenbrock's Hessian at n = 1000 takes three.

>>> import gradcli
>>> x = gradcli.tensor([1.0, 2.0], requires_grad=True)
>>> hessian(gradcli.sum(x**3), [x]).tolist()
[[6.0, 0.0], [0.0, 12.0]]
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .autograd import grad, toposort
from .errors import GradError
from .sparsity import bandwidth, spans
from .tensor import Tensor

# Elements per intermediate array of a batched backward pass (32 MB): a Jacobian's or a
# Hessian's rows go through in chunks that keep every batched array under it.
BATCH_ELEMENTS = 4_000_000


def jacobian(outputs: Sequence[Tensor], inputs: Sequence[Tensor], create_graph: bool = False) -> np.ndarray:
    """Rows: the elements of every output in turn; columns: the elements of every input.

    The rows travel through the graph in batches, as many at once as keep every batched
    intermediate array under BATCH_ELEMENTS."""
    sizes = [o.size for o in outputs]
    rows = sum(sizes)
    cols = sum(x.size for x in inputs)
    live = [i for i, o in enumerate(outputs) if o.requires_grad]
    if rows == 0 or not live:
        return np.zeros((rows, cols))
    order = toposort([outputs[i] for i in live])
    widest = max([n.size for n in order] + [1])
    chunk = max(1, BATCH_ELEMENTS // widest)
    if not create_graph and rows * widest >= COMPRESS_FROM:
        banded = _banded(outputs, inputs, live, sizes, cols, chunk, order)
        if banded is not None:
            return banded
    if chunk >= rows:
        return _jacobian_rows(outputs, inputs, live, sizes, 0, rows, create_graph)
    out = np.empty((rows, cols))
    for start in range(0, rows, chunk):
        stop = min(rows, start + chunk)
        out[start:stop] = _jacobian_rows(outputs, inputs, live, sizes, start, stop, create_graph)
    return out


def _jacobian_rows(outputs, inputs, live, sizes, start, stop, create_graph) -> np.ndarray:
    """Rows start..stop of the Jacobian, in one batched backward pass."""
    rows = sum(sizes)
    count = stop - start
    seeds, offset = {}, 0
    for i, size in enumerate(sizes):
        lo, hi = max(start, offset), min(stop, offset + size)
        if i in live and lo < hi:
            if lo == 0 and hi == size == rows:  # the only output, every row: the identity itself
                seeds[i] = np.eye(rows)
            else:
                seeds[i] = np.zeros((count, size))
                seeds[i][np.arange(lo, hi) - start, np.arange(lo, hi) - offset] = 1.0
        offset += size
    return _pull(outputs, inputs, seeds, count, create_graph)


def _pull(outputs, inputs, seeds: dict, count: int, create_graph: bool = False) -> np.ndarray:
    """count weighted gradients in one batched pass: seeds[i] (count x outputs[i].size) weighs
    output i (outputs without a seed weigh nothing); one row of input columns per weighting."""
    if not seeds:
        return np.zeros((count, sum(x.size for x in inputs)))
    chosen = list(seeds)
    # the caller's graph stays usable: it may want a Hessian or more derivatives next
    found = grad([outputs[i] for i in chosen], list(inputs),
                 [Tensor(seeds[i].reshape((count,) + outputs[i].shape)) for i in chosen],
                 create_graph=create_graph, allow_unused=True, is_grads_batched=True, retain_graph=True)
    blocks = [np.zeros((count, x.size)) if g is None else g.data.reshape(count, x.size) for g, x in zip(found, inputs)]
    return blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)


# rows x widest node: below this a dense batched pass costs less than finding the band
# (measured: the break-even is near 125 x 125 on Rosenbrock's gradient)
COMPRESS_FROM = 16_384


def _banded(outputs, inputs, live, sizes, cols, chunk, order) -> np.ndarray | None:
    """The Jacobian from 2b+1 batched rows when row r can only depend on columns r-b..r+b
    (see sparsity.py), or None when that would not save a pass or a value is not finite."""
    lo, hi = spans(outputs, inputs, order)  # order covers every output that can depend on anything
    rows = lo.size
    band = bandwidth(lo, hi)
    colours = 2 * band + 1
    if colours > min(rows // 2, chunk):
        return None
    seeds, offset = {}, 0
    for i, size in enumerate(sizes):
        if i in live and size:
            seeds[i] = np.zeros((colours, size))
            seeds[i][np.arange(offset, offset + size) % colours, np.arange(size)] = 1.0
        offset += size
    packed = _pull(outputs, inputs, seeds, colours)
    if not np.isfinite(packed).all():
        # A NaN or inf from one row would spill into the others that share its seed; the
        # dense pass keeps it in its own row.
        return None
    out = np.zeros((rows, cols))
    r = np.arange(rows)[:, None]
    c = r + np.arange(-band, band + 1)[None, :]
    inside = (c >= lo[:, None]) & (c <= hi[:, None])
    r, c = np.broadcast_to(r, c.shape)[inside], c[inside]
    out[r, c] = packed[r % colours, c]
    return out


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

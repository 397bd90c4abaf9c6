"""Minimise a scalar expression: SGD, momentum, Adam (PyTorch's update rules) and Newton.

>>> r = minimize("x**2 - 2*x + 1", start={"x": 0}, method="sgd", lr=0.01, steps=500)
>>> round(float(r.point["x"]), 6), r.stopped
(0.999959, 'step limit')
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..defaults import METHODS
from ..engine.autograd import grad
from ..inputs.values import as_array
from ..language.build import build
from ..engine.trouble import NumericTrouble
from ..engine.derivatives import hessian
from ..inputs import validate
from ..errors import NameLookupError, ValueInputError, about
from ..language.grammar import parse
from ..engine.tensor import Tensor, set_grad_enabled
from ..language.tree import Expr, free_variables, to_text

DEFAULT_LR = {"sgd": 0.01, "momentum": 0.01, "adam": 0.001, "newton": 0.01}


@dataclass
class Step:
    step: int
    point: dict[str, np.ndarray]
    value: float
    grad_norm: float


@dataclass
class MinimizeResult:
    expression: str
    parsed: str
    method: str
    point: dict[str, np.ndarray]
    value: float
    grad: dict[str, np.ndarray]
    grad_norm: float
    steps: int
    stopped: str                 # "converged", "step limit" or "diverged"
    seconds: float
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def converged(self) -> bool:
        return self.stopped == "converged"


def minimize(expr: str | Expr, start: dict, at: dict | None = None, method: str = "sgd",
             lr: float | None = None, momentum: float = 0.9, steps: int = 1000, tol: float = 1e-8,
             on_step: Callable[[Step], None] | None = None) -> MinimizeResult:
    """Walk downhill from `start` (the variables optimised); `at` pins the others.

    Stops when the gradient norm falls below `tol` (converged), after `steps` updates
    (step limit), or when the value or point stops being finite (diverged).
    `on_step` sees every point visited, the start included (for traces and progress).
    """
    if method not in METHODS:
        raise ValueInputError(f"unknown method {method!r}: choose one of {', '.join(METHODS)}")
    steps = validate.whole(steps, "--steps", low=0)
    lr = DEFAULT_LR[method] if lr is None else validate.number(lr, "--lr", low=0.0)   # as PyTorch's optimisers
    momentum = validate.number(momentum, "--momentum")
    tol = validate.tolerance(tol, "--tol")
    text = expr if isinstance(expr, str) else to_text(expr)
    tree = parse(expr) if isinstance(expr, str) else expr
    names = free_variables(tree)
    point = validate.bindings(start, " with --start",
                              lambda n, v: np.array(as_array(v, what=f"the start of {n}"), dtype=np.float64))
    pinned = validate.bindings(at, " with --at", lambda n, v: Tensor(as_array(v, what=f"the value of {n}")))
    if not point:
        raise ValueInputError("give at least one variable to optimise with --start NAME=VALUE")
    for n in list(point) + list(pinned):
        if n not in names:
            raise NameLookupError(f"'{n}' does not appear in the expression")
    both = set(point) & set(pinned)
    if both:
        raise ValueInputError(f"{', '.join(sorted(both))} given both --start and --at")
    for n, v in list(point.items()) + [(n, t.data) for n, t in pinned.items()]:
        if not np.all(np.isfinite(v)):
            raise ValueInputError(f"the {'start' if n in point else 'value'} of {n} is not a finite number")
    validate.require_values(names, {**point, **pinned},
                            lambda n: f"optimise it with --start {n}=VALUE or pin it with --at")

    trouble = NumericTrouble()
    state: dict = {}
    notes: dict[str, None] = {}
    began = time.perf_counter()
    with trouble.watch(), set_grad_enabled(True):
        value, grads, norm = _evaluate(tree, text, point, pinned, trouble)
        if value.ndim != 0:
            raise ValueInputError(f"the expression has shape {value.shape}, not a single number: "
                                  "reduce it with sum() or mean() to minimise it")
        taken, stopped = 0, "step limit"
        if on_step:
            on_step(Step(0, point, float(value), norm))
        while True:
            if not _finite(point, value):
                stopped = "diverged"
                break
            if norm < tol:
                stopped = "converged"
                break
            if taken >= steps:
                break
            update = _update(method, tree, text, point, pinned, grads, lr, momentum, state, notes, trouble)
            point = {n: point[n] - update[n] for n in point}
            taken += 1
            value, grads, norm = _evaluate(tree, text, point, pinned, trouble)
            if on_step:
                on_step(Step(taken, point, float(value), norm))
    return MinimizeResult(text, to_text(tree), method, point, float(value), grads, norm, taken, stopped,
                          time.perf_counter() - began, list(notes), list(trouble.seen))


def _finite(point, value) -> bool:
    return bool(np.isfinite(value)) and all(np.all(np.isfinite(v)) for v in point.values())


def _evaluate(tree, text, point, pinned, trouble):
    leaves = {n: Tensor(v, requires_grad=True) for n, v in point.items()}
    trouble.at("expression")
    with about(text):
        out = build(tree, {**pinned, **leaves}, trouble.at)
    if out.ndim != 0:
        return out.data, {}, math.inf
    trouble.at("gradient")
    found = grad([out], list(leaves.values()), allow_unused=True) if out.requires_grad else [None] * len(leaves)
    grads = {n: np.zeros(point[n].shape) if g is None else g.data for n, g in zip(leaves, found)}
    norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
    return out.data, grads, norm


def _update(method, tree, text, point, pinned, grads, lr, momentum, state, notes, trouble):
    """The step to subtract from the point, by PyTorch's rules for sgd, momentum and adam."""
    if method == "sgd":
        return {n: lr * g for n, g in grads.items()}
    if method == "momentum":
        buf = state.setdefault("buf", {})
        for n, g in grads.items():
            buf[n] = g.copy() if n not in buf else momentum * buf[n] + g
        return {n: lr * buf[n] for n in grads}
    if method == "adam":
        b1, b2, eps = 0.9, 0.999, 1e-8
        t = state["t"] = state.get("t", 0) + 1
        m, v = state.setdefault("m", {}), state.setdefault("v", {})
        out = {}
        for n, g in grads.items():
            m[n] = b1 * m.get(n, 0.0) + (1 - b1) * g
            v[n] = b2 * v.get(n, 0.0) + (1 - b2) * g * g
            m_hat, v_hat = m[n] / (1 - b1 ** t), v[n] / (1 - b2 ** t)
            out[n] = lr * m_hat / (np.sqrt(v_hat) + eps)
        return out
    return _newton_step(tree, text, point, pinned, grads, lr, notes, trouble)


def _newton_step(tree, text, point, pinned, grads, lr, notes, trouble):
    from ..defaults import MAX_MATRIX_ENTRIES, describe_matrix

    size = sum(np.size(v) for v in point.values())
    if size * size > MAX_MATRIX_ENTRIES:
        raise ValueInputError(f"{describe_matrix('Hessian', size, size)}: too large for newton; "
                              "use --method adam or momentum")
    leaves = {n: Tensor(v, requires_grad=True) for n, v in point.items()}
    trouble.at("Hessian")
    h = hessian(build(tree, {**pinned, **leaves}, trouble.at), list(leaves.values()))
    g = np.concatenate([grads[n].ravel() for n in point])
    try:
        # Cholesky succeeds exactly when H is (numerically) positive definite: then the
        # Newton step goes downhill.
        chol = np.linalg.cholesky(h)
        step = np.linalg.solve(chol.T, np.linalg.solve(chol, g))
    except np.linalg.LinAlgError:
        notes.setdefault("the Hessian was not positive definite at some steps: took a gradient step there")
        step = lr * g
    out, offset = {}, 0
    for n, v in point.items():
        out[n] = step[offset:offset + v.size].reshape(v.shape)
        offset += v.size
    return out

"""The engine's gradient against central finite differences, like torch.autograd.gradcheck.

>>> import numpy as np
>>> g = numeric_gradient(lambda v: float(np.sum(v["x"] ** 3)), {"x": np.array([1.0, 2.0])}, ["x"])
>>> np.round(g["x"], 6).tolist()
[3.0, 12.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .tensor import element_labels

EPS = 1e-6


@dataclass
class GradCheck:
    max_difference: float      # largest |engine - numeric| / max(1, |numeric|)
    worst: str                 # the element where it occurs, as `w[0,1]`
    tolerance: float
    eps: float

    @property
    def ok(self) -> bool:
        return bool(self.max_difference <= self.tolerance)


def numeric_gradient(fn: Callable[[dict], float], values: dict[str, np.ndarray], wrt: list[str],
                     eps: float = EPS) -> dict[str, np.ndarray]:
    """Central differences of the scalar fn(values) for every element of every variable in wrt."""
    out = {}
    for name in wrt:
        base = np.array(values[name], dtype=np.float64)
        g = np.empty(base.shape)
        for idx in np.ndindex(*base.shape):
            step = eps * max(1.0, abs(float(base[idx])))
            moved = dict(values)
            plus, minus = base.copy(), base.copy()
            plus[idx] += step
            minus[idx] -= step
            moved[name] = plus
            f_plus = fn(moved)
            moved[name] = minus
            g[idx] = (f_plus - fn(moved)) / (2 * step)
        out[name] = g
    return out


def compare(engine: dict[str, np.ndarray], numeric: dict[str, np.ndarray], tolerance: float,
            eps: float = EPS) -> GradCheck:
    worst, largest = "", 0.0
    for name, a in engine.items():
        n = numeric[name]
        with np.errstate(invalid="ignore"):
            diff = np.abs(np.asarray(a) - n) / np.maximum(1.0, np.abs(n))
        diff = np.where(np.isnan(diff), np.inf, diff).reshape(np.shape(a))
        if diff.size and float(diff.max()) >= largest:
            largest = float(diff.max())
            worst = element_labels(name, np.shape(a))[int(np.argmax(diff))]
    return GradCheck(largest, worst, tolerance, eps)

"""The Result of an evaluation, read by both renderers, and element labels like `w[0,1]`.

>>> element_labels("w", (2, 2))
['w[0,0]', 'w[0,1]', 'w[1,0]', 'w[1,1]']
>>> element_labels("x", ())
['x']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def element_labels(name: str, shape: tuple) -> list[str]:
    if shape == ():
        return [name]
    return [f"{name}[{','.join(map(str, idx))}]" for idx in np.ndindex(*shape)]


def output_names(count: int) -> list[str]:
    """`f` for a single expression, `f1`, `f2`, ... for several."""
    return ["f"] if count == 1 else [f"f{i + 1}" for i in range(count)]


@dataclass
class Matrix:
    """A labelled matrix that also behaves as its NumPy array.

    >>> m = Matrix(["x"], ["x", "y"], np.array([[1.0, 2.0]]))
    >>> np.asarray(m).shape, m[0][1], m.shape
    ((1, 2), np.float64(2.0), (1, 2))
    """

    rows: list[str]
    cols: list[str]
    matrix: np.ndarray

    def __array__(self, dtype=None, copy=None):
        return self.matrix if dtype is None else self.matrix.astype(dtype)

    def __getitem__(self, index):
        return self.matrix[index]

    def __len__(self) -> int:
        return len(self.matrix)

    @property
    def shape(self) -> tuple:
        return self.matrix.shape

    def tolist(self) -> list:
        return self.matrix.tolist()


@dataclass
class Result:
    expressions: list[str]
    trees: list                       # the parsed expressions (tree.Expr)
    variables: list[str]              # the variables differentiated, in order
    values: list[np.ndarray]
    grad: dict[str, np.ndarray] | None = None
    per_output_grad: list[dict[str, np.ndarray]] | None = None
    jacobian: Matrix | None = None
    hessian: Matrix | None = None
    derivatives: dict[str, list[np.ndarray]] | None = None
    warnings: list[str] = field(default_factory=list)
    check_grad: object | None = None  # gradcheck.GradCheck, when asked for

    @property
    def parsed(self) -> list[str]:
        """Each expression fully parenthesised, as it was read (made only when shown)."""
        from .tree import to_text

        return [to_text(t) for t in self.trees]

    @property
    def output_names(self) -> list[str]:
        return output_names(len(self.expressions))

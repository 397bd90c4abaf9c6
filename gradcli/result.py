"""The Result of an evaluation, read by both renderers.

>>> output_names(2)
['f1', 'f2']
"""

from __future__ import annotations

import numpy as np


def output_names(count: int) -> list[str]:
    """`f` for a single expression, `f1`, `f2`, ... for several."""
    return ["f"] if count == 1 else [f"f{i + 1}" for i in range(count)]


# Plain classes, not dataclasses: every `gradcli eval` builds these two classes, and
# @dataclass spends about 1 ms on each generating its methods.

class Matrix:
    """A labelled matrix that also behaves as its NumPy array.

    >>> m = Matrix(["x"], ["x", "y"], np.array([[1.0, 2.0]]))
    >>> np.asarray(m).shape, m[0][1], m.shape
    ((1, 2), np.float64(2.0), (1, 2))
    """

    __slots__ = ("rows", "cols", "matrix")

    def __init__(self, rows: list[str], cols: list[str], matrix: np.ndarray):
        self.rows, self.cols, self.matrix = rows, cols, matrix

    def __repr__(self) -> str:
        return f"Matrix(rows={self.rows!r}, cols={self.cols!r}, matrix={self.matrix!r})"

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


class Result:
    """What an evaluation found; the parts nobody asked for stay None.

    >>> from gradcli import evaluate
    >>> evaluate("x**2", at={"x": 3})
    Result(expressions=['x**2'], variables=['x'], values=[array(9.)], grad={'x': array(6.)})
    """

    __slots__ = ("expressions", "trees", "variables", "values", "grad", "per_output_grad", "jacobian",
                 "hessian", "derivatives", "warnings", "check_grad", "derivative_digits", "derivative_balls")

    def __init__(self, expressions: list[str], trees: list, variables: list[str], values: list[np.ndarray], *,
                 grad: dict[str, np.ndarray] | None = None,
                 per_output_grad: list[dict[str, np.ndarray]] | None = None,
                 jacobian: Matrix | None = None, hessian: Matrix | None = None,
                 derivatives: dict[str, list[np.ndarray]] | None = None,
                 warnings: list[str] | None = None, check_grad=None):
        self.expressions = expressions
        self.trees = trees                  # the parsed expressions (tree.Expr)
        self.variables = variables          # the variables differentiated, in order
        self.values = values
        self.grad = grad
        self.per_output_grad = per_output_grad
        self.jacobian = jacobian
        self.hessian = hessian
        self.derivatives = derivatives
        self.warnings = [] if warnings is None else warnings
        self.check_grad = check_grad        # gradcheck.GradCheck, when asked for
        # with derivatives: per variable, each order's significant digits that are right, and
        # the ball pass's Balls when it ran (more digits than a float holds: --digits)
        self.derivative_digits: dict[str, list[int]] | None = None
        self.derivative_balls: dict[str, list] | None = None

    def __repr__(self) -> str:
        shown = [f"{name}={getattr(self, name)!r}" for name in self.__slots__
                 if name != "trees" and getattr(self, name) not in (None, [])]
        return f"Result({', '.join(shown)})"

    @property
    def parsed(self) -> list[str]:
        """Each expression fully parenthesised, as it was read (made only when shown)."""
        from .language.tree import to_text

        return [to_text(t) for t in self.trees]

    @property
    def output_names(self) -> list[str]:
        return output_names(len(self.expressions))

"""`gradcli.evaluate`: at one point (evaluation.py), or at many (batches.py) with points=.

>>> evaluate("x*y", at={"x": 2, "y": 3}).grad["x"].tolist()
3.0
>>> evaluate("x*y", points={"x": [1, 2], "y": [3, 4]}).grad["y"].tolist()
[1.0, 2.0]
"""

from __future__ import annotations

from .errors import ValueInputError
from .evaluation import evaluate as _at_one_point
from .defaults import MAX_MATRIX_ENTRIES


def evaluate(*exprs, at: dict | None = None, grad=None, weights: list | None = None, jacobian: bool = False,
             hessian: bool = False, order: int | None = None, check_grad: float | None = None,
             max_entries: int = MAX_MATRIX_ENTRIES, points=None, digits: int | None = None):
    """Values and derivatives of one or more expressions at the point `at` (a Result; see
    evaluation.evaluate), or, given `points` (a mapping of name -> 1-D array, such as a dict or
    a pandas DataFrame, one element per point, with `at` holding the constants), at every
    point: a batches.Points, whose arrays have the points along axis 0 and whose columns() are
    `eval --csv`'s."""
    options = dict(at=at, grad=grad, weights=weights, jacobian=jacobian, hessian=hessian, order=order,
                   max_entries=max_entries)
    if points is None:
        return _at_one_point(*exprs, check_grad=check_grad, digits=digits, **options)
    if digits is not None:
        raise ValueInputError("digits= is for one point's derivatives (order=): give that point with at=")
    if check_grad is not None:
        raise ValueInputError("check_grad compares one point's gradient with finite differences: "
                              "give that point with at=, not points=")
    from .batches import evaluate_points  # only for many points

    return evaluate_points(exprs, points, **options)

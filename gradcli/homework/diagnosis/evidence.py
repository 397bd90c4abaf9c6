"""What a check found at its sample points, and how to compute more there: what every
diagnosis reads."""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ...language.tree import Expr


class Evidence(NamedTuple):
    """What a check found at its sample points, and how to compute more there."""
    tree: Expr
    answer_tree: Expr
    wrt: list
    names: list
    values: np.ndarray        # the expression
    expected: np.ndarray      # its derivative
    got: np.ndarray           # the answer
    rtol: float
    atol: float
    derivative: Callable      # derivative(tree, wrt) -> (values, derivatives) at the points
    env: Callable             # env(wrt) -> {name: Tensor} at the points, wrt requiring grad
    build: Callable           # build(tree, env, record) -> Tensor
    vectorized: bool
    points: dict = {}         # the sampled variables' values, for naming a point

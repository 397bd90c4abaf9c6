"""One expression's values and derivatives at many points, from one graph when the expression
is elementwise: by reverse mode (a value and its partials, or a derivative of any order
along a list of variables), or by the Taylor pass (every derivative of one variable at
once). Every check, plot and Taylor polynomial evaluates through here.

>>> from gradcli.language.grammar import parse
>>> from gradcli.language.build import environment
>>> env = environment({}, {"x": np.array([1.0, 2.0])}, wrt=("x",))
>>> out, parts = evaluate(parse("x^3"), env, ["x"])
>>> parts["x"].data.tolist()
[3.0, 12.0]
>>> taylor_at(parse("exp(2x)"), {}, "x", 0.0, 3).tolist()
[1.0, 2.0, 2.0, 1.3333333333333333]
"""

from __future__ import annotations

import numpy as np

from ..engine.autograd import grad
from ..engine.errors import about
from ..engine.tensor import Tensor, set_grad_enabled
from ..engine.trouble import NumericTrouble
from ..errors import ValueInputError
from ..language.build import build, elementwise, environment
from ..language.tree import Expr, to_text


def evaluate(tree: Expr, env: dict, wrt: list, trouble: NumericTrouble | None = None, create_graph: bool = False):
    """(value tensor, {name: partial tensor}) of tree at the arrays in env."""
    with about(to_text(tree)):
        out = build(tree, env, trouble.at if trouble else None)
    return out, partials(out, env, wrt, create_graph)


def partials(out: Tensor, env: dict, wrt: list, create_graph: bool = False) -> dict:
    """{name: d out/d name} for each name in wrt, elementwise (0 where out does not depend on it)."""
    if not wrt:
        return {}
    zeros = Tensor(np.zeros(np.shape(out.data)))
    if not out.requires_grad:
        return {n: zeros for n in wrt}
    parts = grad([out], [env[n] for n in wrt], [Tensor(np.ones(np.shape(out.data)))], create_graph=create_graph,
                 allow_unused=True)
    return {n: (p if p is not None else zeros) for n, p in zip(wrt, parts)}


def as_column(t, count: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(t.data if isinstance(t, Tensor) else t, dtype=float), (count,)).copy()


def taylor_at(tree: Expr, pinned: dict, variable: str, x, degree: int, trouble: NumericTrouble | None = None):
    """The Taylor coefficients f^(k)(x)/k!, k = 0..degree, of tree in `variable` about x (a
    number, or an array of points, elementwise), the other variables pinned."""
    from ..engine.taylor import series

    with set_grad_enabled(True), np.errstate(all="ignore"):
        env = environment(pinned, {variable: np.asarray(x, dtype=np.float64)}, wrt=(variable,))
        return series(build(tree, env, trouble.at if trouble else None), env[variable], degree)


def accurate_taylor_at(tree: Expr, pinned: dict, variable: str, x: float, degree: int, digits: int | None = None,
                       trouble: NumericTrouble | None = None):
    """taylor_at at one point, each coefficient with its right digits, recomputed in ball
    arithmetic where float64 cannot vouch for 12 (engine/accuracy.py): an accuracy.Found."""
    from ..engine import accuracy

    with set_grad_enabled(True), np.errstate(all="ignore"):
        env = environment(pinned, {variable: np.float64(x)}, wrt=(variable,))
        out = build(tree, env, trouble.at if trouble else None)
        if np.ndim(out.data) != 0:
            raise ValueInputError("a Taylor polynomial needs an expression whose value is one number")
        return accuracy.coefficients(out, env[variable], degree, digits)


def accurate_derivatives_at(tree: Expr, pinned: dict, variable: str, x: float, order: int,
                            digits: int | None = None, trouble: NumericTrouble | None = None):
    """d^k tree/d variable^k, k = 1..order, at one point, with their digits (an accuracy.Found)."""
    from ..engine import accuracy

    with set_grad_enabled(True), np.errstate(all="ignore"):
        env = environment(pinned, {variable: np.float64(x)}, wrt=(variable,))
        out = build(tree, env, trouble.at if trouble else None)
        return accuracy.derivatives(out, env[variable], order, digits)


def accurate_value(tree: Expr, values: dict, digits: int | None = None):
    """tree's value at a point (a dict of numbers), in ball arithmetic: an accuracy.Found."""
    from ..engine import accuracy

    with set_grad_enabled(True), np.errstate(all="ignore"):
        env = environment({}, {n: np.float64(v) for n, v in values.items()}, wrt=tuple(values))
        out = build(tree, env)
        return accuracy.value(out, digits)


class Evaluator:
    """Values and derivatives of one expression at many points (one batch when elementwise)."""

    def __init__(self, tree: Expr, source: str, pinned: dict[str, np.ndarray], trouble: NumericTrouble):
        self.tree, self.source, self.pinned, self.trouble = tree, source, pinned, trouble
        self.vectorized = elementwise(tree) and all(v.ndim == 0 for v in pinned.values())

    def __call__(self, points: dict[str, np.ndarray], wrt: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(value, derivative along wrt in turn) at each point; NaN where undefined."""
        count = len(next(iter(points.values()))) if points else 1
        if self.vectorized:
            return self._batch(points, wrt, count)
        vals, ders = np.empty(count), np.empty(count)
        for i in range(count):
            v, d = self._batch({n: p[i:i + 1] for n, p in points.items()}, wrt, 1, single=True)
            vals[i], ders[i] = v[0], d[0]
        return vals, ders

    def env(self, points, wrt, count, single=False) -> dict:
        """The variables' values at the points as Tensors; those in wrt require grad."""
        env = {}
        for name, value in self.pinned.items():
            # a variable differentiated must vary per point, so each point has its own copy
            env[name] = Tensor(np.full(count, float(value)) if name in wrt and not single else value,
                               requires_grad=name in wrt)
        for name, value in points.items():
            env[name] = Tensor(value[0] if single else value, requires_grad=name in wrt)
        return env

    def _batch(self, points, wrt, count, single=False):
        env = self.env(points, wrt, count, single)
        with about(self.source):
            out = build(self.tree, env, self.trouble.at)
        if single and out.ndim != 0:
            raise ValueInputError(f"{self.source!r} must be a single number at each point, but has shape {out.shape}")
        value = np.broadcast_to(out.data, (count,)).astype(float) if not single else np.array([float(out.data)])
        current = out
        for name in wrt:  # one order at a time: the derivative of the derivative
            current = partials(current, env, [name], create_graph=True)[name]
        der = np.broadcast_to(current.data, (count,)).astype(float) if not single else np.array([float(current.data)])
        return value, der

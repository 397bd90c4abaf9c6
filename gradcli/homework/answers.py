"""The right answer, for `check --show-answer` and sheets' show_answer, one function per kind
of problem (kinds.py names which): the derivative as a formula, the line, the Taylor
polynomial, or why there is none. A formula is printed only if it agrees with the values the
verdict was judged on.
"""

from __future__ import annotations

from ..errors import GradcliError
from ..calculus.formula import FormulaMismatch, _exact_value, answer_text
from ..language.reading import known_variables


def derivative(result, dependent: str = "y", at: dict | None = None) -> str:
    return answer_text(result.expression, result.wrt, at=at)


def polynomial(result, dependent: str = "y", at: dict | None = None) -> str:
    from ..calculus.taylor import taylor

    return taylor(result.expression, result.variables[0], at=at, degree=len(result.expected) - 1).polynomial


def line(result, dependent: str = "y", at: dict | None = None) -> str:
    return result.line["expected"]["text"]


def curve(result, dependent: str = "y", at: dict | None = None) -> str:
    """An implicit or parametric derivative: the number, when asked at one point; else the
    formula, printed only if it agrees with the values the verdict was judged on."""
    if len(result.expected) == 1 and result.points and all(n in (at or {}) for n in result.points[0]):
        from ..symbolic.numbers import readable

        return readable(float(result.expected[0]))
    try:
        text = _curve_formula(result, dependent, at or {})
    except (GradcliError, FormulaMismatch) as exc:
        return f"(no formula: {getattr(exc, 'message', exc)})"
    return text


def _curve_formula(result, dependent: str, at: dict) -> str:
    import numpy as np

    from ..calculus.compare import close
    from ..engine.tensor import Tensor, no_grad
    from ..language.build import build
    from ..language.grammar import parse_equations
    from ..language.tree import Chain
    from ..symbolic import algebra as A
    from ..symbolic.derive import derive, derive_term
    from ..symbolic.printer import plain, to_expr

    names = set(result.variables) | set(at) | {dependent}
    with known_variables(names):
        eqs = parse_equations(result.expression)
    env = {n: (_exact_value(n, t), A.ZERO) for n, t in at.items() if n not in result.variables}
    order = len(result.wrt)
    if result.kind == "implicit":
        (eq,) = eqs
        h = result.wrt[0]
        f = Chain((eq.lhs, eq.rhs), ("-",), (0,))
        fx, fy = derive(f, h, env, steps=False)[1], derive(f, dependent, env, steps=False)[1]
        g = A.cancel(A.neg(fx), fy)
        if order == 2:
            g = A.add(derive_term(g, h), A.mul(derive_term(g, dependent), g))
        main = h
    else:
        sides = {e.lhs.name: e.rhs for e in eqs}
        (t,) = result.variables
        dx, dy = derive(sides["x"], t, env, steps=False)[1], derive(sides["y"], t, env, steps=False)[1]
        g = A.cancel(dy, dx)
        if order == 2:
            g = A.cancel(derive_term(g, t), dx)
        main = t
    if g.kind == A.ADD:
        g = A.cancel(g, A.ONE)  # one fraction: (-x^2 - y^2)/y^3
    tree = to_expr(g, main)
    text = plain(tree)
    pts = {n: np.array([p[n] for p in result.points]) for n in result.variables}
    with no_grad(), np.errstate(all="ignore"):
        values = np.broadcast_to(build(tree, {n: Tensor(v) for n, v in pts.items()}).data, (len(result.points),))
    if not np.all(close(values, result.expected, 1e-8, 1e-10)):
        raise FormulaMismatch("gradcli could not derive one that agrees with its engine")
    return text

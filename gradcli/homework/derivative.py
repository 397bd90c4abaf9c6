"""Check a hand-derived derivative against the true one at sampled points, and explain:
the comparison is calculus/sampling.py's, the explanation diagnosis.py's.

>>> r = check("x**2*sin(x)", ["x"], "2x sin(x) + x^2 cos(x)")
>>> r.correct, len(r.points)
(True, 20)
>>> check("sin x^2", "x", "cos x^2").diagnosis
'the derivative of sin(x^2) is missing the chain-rule factor, the derivative of x^2'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..calculus.sampling import Comparison, Evaluator, compare
from ..engine.tensor import set_grad_enabled
from ..inputs import validate
from ..language.build import build
from ..language.problem import function_side, read
from ..language.tree import free_variables, to_text
from ..symbolic.printer import plain
from .diagnosis import Evidence, diagnose
from .forms import derivative_side


@dataclass
class CheckResult:
    expression: str
    expression_read: str
    wrt: list[str]
    answer: str
    answer_read: str
    correct: bool
    variables: list[str]
    points: list[dict[str, float]]
    expected: np.ndarray
    got: np.ndarray
    failing: list[int]
    diagnosis: str | None
    seed: int
    rtol: float
    atol: float
    domains: dict[str, tuple[float, float]]
    notes: list[str] = field(default_factory=list)
    correct_answer: str | None = None   # the derivative as a formula, when asked for (--show-answer)
    kind: str = "derivative"            # or "tangent", "normal", "implicit", "parametric" (curves.py)
    subject: str | None = None          # what was asked, when it is not d/dx of the expression
    line: dict | None = None            # for a line: the point, the expected line and the answer's
    refined: list = field(default_factory=list)  # points re-checked at higher precision (calculus/sampling.py)

    @property
    def verdict(self) -> str:
        return "correct" if self.correct else "incorrect"


def check(expr: str, wrt=None, answer: str = "", at: dict | None = None, domain: dict | None = None,
          points: int = validate.POINTS, seed: int = validate.SEED, rtol: float = validate.RTOL,
          atol: float = validate.ATOL) -> CheckResult:
    """Is `answer` the derivative of `expr` along `wrt` (a list of names, one per order)? And
    if not, which mistake explains it. The comparison is calculus/sampling.py's."""
    expr = function_side(expr)
    names = validate.names(wrt, "--wrt") if wrt else _one_variable(expr)
    variable = names[0] if len(set(names)) == 1 else None
    answer_text, operand = derivative_side(answer, len(names) or 1, variable)
    c = compare(expr, wrt, answer_text, at, domain, points, seed, rtol, atol)
    if operand is not None:
        _same_function(c, operand, expr)
    diagnosis = _diagnosis(c, answer) if c.failing else None
    count = len(c.expected)
    point_list = [{n: float(c.points[n][i]) for n in c.sampled}
                  | {n: float(v) for n, v in c.pinned.items() if v.ndim == 0} for i in range(count)]
    return CheckResult(expr, to_text(c.tree), c.wrt, str(answer), to_text(c.answer_tree), not c.failing, c.names,
                       point_list, c.expected, c.got, c.failing, diagnosis, c.seed, c.rtol, c.atol, c.domains,
                       c.notes, refined=list(c.refined))


def _same_function(c: Comparison, operand: str, expr: str) -> None:
    """`d/dx(x^2) = 2x` says what it differentiates: it must be the problem's function."""
    from ..errors import ValueInputError

    with c.trouble.watch(), set_grad_enabled(True):
        values, _ = Evaluator(read(operand, c.names), operand, c.pinned, c.trouble)(c.points, [])
    if not (np.isfinite(values).any() and np.allclose(values, c.values, rtol=1e-9, atol=1e-12, equal_nan=True)):
        raise ValueInputError(f"the answer's left side differentiates {operand.strip('()')}, not the problem's "
                              f"{expr}")


def _one_variable(expr: str) -> list:
    """The expression's variable, when it has one (a text that does not read is compare's to report)."""
    from ..errors import GradcliError

    try:
        free = free_variables(read(expr))
    except GradcliError:
        return []
    return free if len(free) == 1 else []


def _diagnosis(c: Comparison, answer: str) -> str | None:
    pts, trouble = c.points, c.trouble
    with trouble.watch(), set_grad_enabled(True):
        evidence = Evidence(c.tree, c.answer_tree, c.wrt, c.names, c.values, c.expected, c.got, c.rtol, c.atol,
                            derivative=lambda t, w: Evaluator(t, plain(t), c.pinned, trouble)(pts, w),
                            env=lambda w: c.truth.env(pts, w, len(c.expected)),
                            build=lambda t, env, record: build(t, env, trouble.at, record),
                            vectorized=c.truth.vectorized, points=pts)
        return diagnose(evidence)

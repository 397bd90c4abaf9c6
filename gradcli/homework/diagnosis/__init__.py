"""Naming the mistake behind a wrong derivative, from its values at the sample points.

Three kinds of evidence, tried in this order:
- the answer as a whole: minus the derivative, a constant factor or constant term off, the
  function itself, an antiderivative, another variable, another order; the first four are
  symptoms, so one misapplied rule (below) that gives exactly that answer is named instead;
- another reading of the text: juxtaposition binding tighter than `/` (`1/2x` meant as
  1/(2x)), in the answer or in the expression;
- one rule misapplied somewhere inside the expression. For every node n of the expression,
  the derivative is D = (the rest) + a_n * t_n, where t_n is n's own derivative and a_n
  (its adjoint, from one reverse pass) is how much the whole moves when n moves. A mistake
  at n replaces t_n by some w, so the answer would be D + a_n * (w - t_n): each hypothesis
  (the chain factor left out, the exponent not lowered, a product-rule term dropped, the
  quotient rule's numerator reversed, ...) is one such w, computed with the engine and
  compared with the answer at every point. Only a hypothesis that matches everywhere is
  named.

>>> from gradcli.homework.derivative import check
>>> check("x^2 sin(5x)", "x", "x^2 cos(5x) + 2x sin(5x)").diagnosis
'in the product rule for x^2 sin(5x), the derivative of sin(5x) is missing the chain-rule factor 5, the derivative of 5x'
"""

from __future__ import annotations

from ...calculus.compare import ROUNDED, all_close, rounded_hint
from .evidence import Evidence
from .readings import missing_parentheses, other_reading
from .rules import one_rule
from .whole import other_order, whole_answer


def _rounded(ev) -> str | None:
    if ev.rtol < ROUNDED and all_close(ev.got, ev.expected, ROUNDED, ev.atol):
        return rounded_hint("the answer", "it agrees to within 1% everywhere")
    return None


def diagnose(ev: Evidence) -> str | None:
    """The common mistake that explains the answer at every point, if one does."""
    for finder in (_rounded, whole_answer, other_reading, one_rule, other_order, missing_parentheses):
        found = finder(ev)
        if found:
            return found
    return None

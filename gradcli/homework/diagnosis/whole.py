"""The answer as a whole: minus the derivative, a constant factor or constant term off, the
function itself, an antiderivative, another variable, another order."""

from __future__ import annotations

import numpy as np

from ...calculus.compare import all_close
from ...language.tree import Call, Num, Pow, Program, Var, preorder
from ...symbolic.numbers import factor_text
from ...symbolic.printer import plain
from .evidence import Evidence
from .rules import one_rule


# A sign, a constant term or the function itself is what the answer shows, not why: when one
# misapplied rule gives exactly this answer (a quotient's numerator reversed, a constant term
# kept, e^u's chain factor left out), that rule is named instead. Rank 2 at most: the rank-3
# "derivative of a node off by a factor" names no rule and would hide the plain description.
def _rule_behind(ev: Evidence) -> str | None:
    return one_rule(ev, most=2)


def whole_answer(ev: Evidence) -> str | None:
    got, expected, values, rtol, atol, wrt = ev.got, ev.expected, ev.values, ev.rtol, ev.atol, ev.wrt
    if not np.all(np.isfinite(got)):
        bad = int(np.flatnonzero(~np.isfinite(got))[0])
        where = ", ".join(f"{n} = {float(v[bad]):.6g}" for n, v in ev.points.items())
        return ("the answer is undefined at some points where the derivative is defined"
                + (f" (e.g. at {where})" if where else ""))
    if all_close(got, -expected, rtol, atol):
        return _rule_behind(ev) or "wrong sign: the answer is minus the derivative"
    # another variable first: a derivative along another variable may also be a constant
    # multiple of this one (d/dx tan(2x - y) is -2 times d/dy), and then it is what was done
    others = [n for n in ev.names if n not in wrt]
    for other in others:
        _, d_other = ev.derivative(ev.tree, wrt[:-1] + [other])
        if all_close(got, d_other, rtol, atol):
            if len(wrt) >= 2 and any(v != other for v in wrt[:-1]) and len(set(wrt)) == 1:
                return (f"this is a mixed partial ({', '.join(wrt[:-1] + [other])}); the partial of order "
                        f"{len(wrt)} with respect to {wrt[0]} alone was asked for")
            return f"differentiated with respect to {other} instead of {wrt[-1]}"
    nonzero = np.abs(expected) > atol
    if nonzero.any():
        ratio = got[nonzero] / expected[nonzero]
        if ratio[0] != 0 and np.all(np.abs(ratio - ratio[0]) <= rtol * max(1.0, abs(ratio[0]))) and all_close(
                got, ratio[0] * expected, rtol, atol):
            factor = 1 / float(ratio[0])
            return one_rule(ev) or (f"off by a constant factor: the derivative is {factor_text(factor)} times the answer"
                                     + (_factor_source(ev, factor) or " (a missing chain-rule factor or exponent?)"))
    shift = got - expected
    if np.all(np.abs(shift - shift[0]) <= np.maximum(atol, rtol * np.abs(expected))) and abs(shift[0]) > atol:
        return _rule_behind(ev) or \
            f"off by an additive constant: the answer is the derivative plus {factor_text(float(shift[0]))}"
    if all_close(got, values, rtol, atol):
        return _rule_behind(ev) or "the answer is the original function, not its derivative"
    if others and len(wrt) == 1:
        # a partial derivative holds the other variables constant
        partials = [ev.derivative(ev.tree, [v])[1] for v in others]
        if all_close(got, expected + sum(partials), rtol, atol):
            return (f"{', '.join(others)} {'was' if len(others) == 1 else 'were'} differentiated too: in the partial "
                    f"derivative with respect to {wrt[0]}, hold {' and '.join(others)} constant")
        for other in others:
            _, mixed = ev.derivative(ev.tree, wrt + [other])
            if all_close(got, mixed, rtol, atol):
                return f"this is the mixed partial with respect to {wrt[0]} and {other}; only {wrt[0]} was asked for"
    if len(wrt) == 2 and wrt[0] != wrt[1]:
        for v in wrt:
            _, pure = ev.derivative(ev.tree, [v, v])
            if all_close(got, pure, rtol, atol):
                return f"this is the second partial with respect to {v} twice; the mixed one ({wrt[0]}, then " \
                       f"{wrt[1]}) was asked for"
    if len(wrt) >= 2:
        _, lower = ev.derivative(ev.tree, wrt[:-1])
        if all_close(got, lower, rtol, atol):
            return f"this is the derivative of order {len(wrt) - 1}; order {len(wrt)} was asked for"
    return None


def other_order(ev: Evidence) -> str | None:
    # integrated instead: d(answer)/d(last variable), to the same order, gives the expression back
    wrt = ev.wrt
    _, d_answer = ev.derivative(ev.answer_tree, [wrt[-1]] * len(wrt))
    order_down = ev.derivative(ev.tree, wrt[:-1])[1] if len(wrt) > 1 else ev.values
    if np.all(np.isfinite(d_answer)) and all_close(d_answer, order_down, ev.rtol, ev.atol):
        return "integrated instead of differentiated: the derivative of the answer is the expression"
    if len(ev.wrt) == 1:
        _, higher = ev.derivative(ev.tree, ev.wrt * 2)
        if all_close(ev.got, higher, ev.rtol, ev.atol):
            return "this is the second derivative; the first was asked for"
    return None


def _factor_source(ev: Evidence, factor: float) -> str | None:
    """For a constant factor off: which constant of the expression it is, if one is."""
    if isinstance(ev.tree, Program) or len(ev.wrt) != 1:
        return None
    for node in preorder(ev.tree):
        inners = node.args[:1] if isinstance(node, Call) else (node.base, node.exponent) if isinstance(
            node, Pow) else ()
        for inner in inners:
            if isinstance(inner, (Num, Var)):
                continue
            _, d_inner = ev.derivative(inner, ev.wrt)
            if np.all(np.isfinite(d_inner)) and all_close(d_inner, np.full_like(d_inner, factor), ev.rtol, ev.atol):
                return f" (the chain-rule factor {factor_text(factor)}, the derivative of {plain(inner)}, is missing)"
    return None

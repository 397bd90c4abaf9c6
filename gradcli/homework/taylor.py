"""Checking a student's Taylor polynomial against the engine's Taylor coefficients, and naming
the mistake (a missing 1/k!, powers of x for powers of x - C, a sign, a term too many).

>>> check_taylor("e^x", 2, "1 + x + x^2/2").correct
True
>>> check_taylor("e^x", 2, "1 + x + x^2").diagnosis
'a coefficient without its 1/k!: the coefficient of x^2 is f^(2)(0)/2!, not f^(2)(0)'
"""

from __future__ import annotations

import math

import numpy as np

from ..calculus.compare import ROUNDED, close, rounded_hint
from ..calculus.taylor import (MAX_DEGREE, checked_coefficients, coefficient_text, power_base,
                               read_problem, series_coefficients)
from ..engine.trouble import NumericTrouble
from ..errors import NameLookupError, ValueInputError
from ..inputs import validate
from ..language.build import build, environment
from ..language.problem import read
from ..language.tree import free_variables, to_text
from .derivative import CheckResult
from .forms import polynomial_side


def check_taylor(expr: str, degree: int, answer: str, wrt=None, at: dict | None = None,
                 rtol: float = validate.RTOL, atol: float = validate.ATOL) -> CheckResult:
    """Is `answer` the Taylor polynomial of `expr` of degree `degree` about the value `at`
    gives the variable? It may be written expanded, in powers of x or of (x - C)."""
    degree = validate.whole(degree, "--taylor", low=0, high=MAX_DEGREE)
    rtol, atol = validate.tolerance(rtol, "--rtol"), validate.tolerance(atol, "--atol")
    problem = read_problem(expr, wrt, at)
    v = problem.variable
    names = {v} | set(problem.pinned)
    answer_tree = read(polynomial_side(answer, degree, v), names)
    extra = [n for n in free_variables(answer_tree) if n not in names]
    if extra:
        raise NameLookupError(f"the answer uses {', '.join(extra)}, which the expression does not", source=str(answer))
    far = degree + 40  # far enough to tell a polynomial from a series that does not end
    # the expected coefficients are `gradcli taylor`'s, digits known, or its error
    expected = np.asarray(checked_coefficients(problem, degree).values, dtype=np.float64)
    mine = series_coefficients(problem._replace(tree=answer_tree), far)
    if mine.ndim != 1:
        raise ValueInputError("a Taylor polynomial is of an expression whose value is one number")
    got = mine[:degree + 1]
    # coefficients are compared relative to their size: 1/14! (1e-11) is no rounding noise
    scale = float(np.max(np.abs(expected[np.isfinite(expected)]), initial=0.0))
    atol = min(atol, 1e-12 * scale)
    ok = close(got, expected, rtol, atol)
    # a polynomial's Taylor coefficients past its degree come out exactly 0 (its series is a
    # finite sum of finite products); a function that is none has some, however small
    beyond = [k for k in range(degree + 1, far + 1) if mine[k] != 0 or not np.isfinite(mine[k])]
    failing = [int(k) for k in np.flatnonzero(~ok)]
    correct = not failing and not beyond
    diagnosis = None if correct else _diagnose(problem, answer_tree, expected, got, mine, beyond, degree, rtol, atol)
    points = [{"degree": k} for k in range(degree + 1)]
    from ..symbolic.printer import plain

    subject = f"the Taylor polynomial of degree {degree} of {plain(problem.tree)} about {v} = {problem.center_text}"
    result = CheckResult(expr, to_text(problem.tree), [v], str(answer), to_text(answer_tree), correct,
                         [v], points, expected, got, failing, diagnosis, validate.SEED, rtol, atol, {}, [],
                         kind="taylor", subject=subject)
    return result


def _diagnose(problem, answer_tree, expected, got, mine, beyond, degree, rtol, atol) -> str | None:
    v, c = problem.variable, problem.center_text
    power = power_base(v, c)
    if beyond:
        last = beyond[-1]
        if last >= len(mine) - 10:
            return "not a polynomial: its Taylor series does not end"
        return f"terms beyond degree {degree}: the answer has degree {last}; the polynomial stops at {power}^{degree}"
    factorials = np.array([float(math.factorial(k)) for k in range(degree + 1)])
    differs = ~close(got, expected, rtol, atol)
    if np.any(differs) and np.all(close(got, expected, ROUNDED, atol)):
        return rounded_hint("the answer", "every coefficient is within 1%")
    if np.all(close(got, expected * factorials, rtol, atol)) and np.any(differs):
        ks = [k for k in np.flatnonzero(differs)]
        return (f"a coefficient without its 1/k!: the coefficient of {power}^{ks[0]} is f^({ks[0]})({c})/{ks[0]}!, "
                f"not f^({ks[0]})({c})")
    shifted = np.array([float(math.factorial(max(k - 1, 0))) for k in range(degree + 1)])
    if np.all(close(got, expected * shifted, rtol, atol)) and np.any(differs):
        return "1/k used for 1/k!: the coefficient of the term of degree k is f^(k)(C)/k!"
    flipped = [int(k) for k in np.flatnonzero(differs) if close(np.array([got[k]]), np.array([-expected[k]]), rtol,
                                                                    atol)[0]]
    if len(flipped) > 1 and len(flipped) == int(np.sum(differs)):
        return (f"the signs of the terms of degree {', '.join(map(str, flipped[:-1]))} and {flipped[-1]} are wrong "
                f"(alternating signs, a factor -1 inside?)")
    if problem.center != 0:
        at_zero = series_coefficients(problem._replace(center=0.0), degree)
        # the polynomial about 0, or the right coefficients on powers of x instead of x - C
        for taken, what in ((at_zero, "the polynomial about 0 given for the one about " + f"{v} = {c}"),
                            (expected, f"powers of {v} written for powers of ({v} - {c})")):
            if _same_polynomial(answer_tree, taken, problem, v):
                return what
    wrong = [int(k) for k in np.flatnonzero(differs)]
    if len(wrong) == 1:
        k = wrong[0]
        term = f"{power}^{k}" if k > 1 else (power if k == 1 else "the constant term")
        right = coefficient_text(expected[k])
        if close(np.array([got[k]]), np.array([-expected[k]]), rtol, atol)[0]:
            return f"one term's sign is wrong: the coefficient of {term} is {right}"
        if got[k] == 0:
            return f"the term of degree {k} is missing: its coefficient is {right}"
        return f"the coefficient of {term} is wrong: it is {right}"
    return None


def _same_polynomial(answer_tree, coefficients, problem, v) -> bool:
    """Does the answer equal sum c_k x^k (powers of x) at a few points?"""
    rng = np.random.default_rng(5)
    xs = problem.center + rng.uniform(-0.5, 0.5, 6)
    with np.errstate(all="ignore"):
        want = sum(float(c) * xs ** k for k, c in enumerate(coefficients))
    trouble = NumericTrouble()
    with trouble.watch(), np.errstate(all="ignore"):
        env = environment(problem.pinned, {v: xs})
        got = np.broadcast_to(build(answer_tree, env, trouble.at).data, xs.shape)
    return bool(np.all(close(got, want, 1e-9, 1e-12)))

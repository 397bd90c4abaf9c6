"""Taylor polynomials: the polynomial of degree N about C and its error at a point, from the
engine's Taylor pass (engine/taylor.py); homework/taylor.py checks a student's polynomial.

>>> p = taylor("e^x", degree=3)
>>> p.polynomial
'1 + x + x^2/2 + x^3/6'
>>> taylor("sqrt x", at={"x": "1"}, degree=2).polynomial
'1 + (x - 1)/2 - (x - 1)^2/8'
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from ..inputs import validate
from ..language.problem import function_side, read
from ..symbolic.algebra import one_request
from ..symbolic.numbers import fraction
from .sides import corner, step
from ..errors import NameLookupError, ValueInputError
from ..language.build import build, environment
from ..language.grammar import parse
from ..language.tree import free_variables
from ..engine.trouble import NumericTrouble
from .evaluator import taylor_at

MAX_DEGREE = 1000
GRID = 2001             # points of [C, X] where the Lagrange bound's maximum is sought


class Polynomial(NamedTuple):
    expression: str
    variable: str
    center: float
    center_text: str        # as given: pi/2 stays pi/2 in (x - pi/2)
    degree: int
    coefficients: list      # f^(k)(C)/k!, k = 0..degree
    derivatives: list       # f^(k)(C)
    polynomial: str         # in gradcli's syntax, in powers of (x - C)
    digits: list = []       # per coefficient, its significant digits that are right (16: a float's all)

    @property
    def latex(self) -> str:
        from ..symbolic.latex import latex

        return latex(parse(self.polynomial))

    def value(self, x: float) -> float:
        h = x - self.center
        return float(sum(c * h ** k for k, c in enumerate(self.coefficients)))


class Estimate(NamedTuple):
    at: float
    polynomial_value: float
    function_value: float
    error: float            # |f(X) - p(X)|
    bound: float            # max |f^(N+1)| / (N+1)! |X - C|^(N+1), the maximum over a grid of [C, X]
    worst_at: float         # where on the grid |f^(N+1)| was largest


class _Problem(NamedTuple):
    tree: object
    variable: str
    center: float
    center_text: str
    pinned: dict
    exact: dict = {}        # the center and the pinned values as terms of the request (pi/4 stays pi/4)


def read_problem(expr: str, wrt, at: dict | None) -> _Problem:
    from .formula import _exact_value, _number

    names = set(validate.names(wrt, "--wrt")) if wrt else set()
    given = validate.bindings(at)
    tree = read(function_side(expr), names | set(given))
    free = free_variables(tree)
    if wrt:
        names_given = validate.names(wrt, "--wrt")
        if len(names_given) != 1:
            raise ValueInputError("a Taylor polynomial is in one variable: --wrt x, not several")
        v = names_given[0]
    elif not free:
        v = "x"  # a constant: its polynomial in x is itself
    else:
        unpinned = [n for n in free if n not in given]
        if len(unpinned) == 1:
            v = unpinned[0]
        elif "x" in free:
            v = "x"
        elif len(free) == 1:
            v = free[0]
        else:
            raise ValueInputError("give --wrt: the variable of the polynomial" + (
                f" (the expression's are {', '.join(free)})" if free else " (the expression has none)"))
    for n in given:
        if n not in free and n != v:
            raise NameLookupError(f"'{n}' is given a value but does not appear in the expression")
    missing = [n for n in free if n != v and n not in given]
    if missing:
        raise NameLookupError(f"no value for '{missing[0]}': give the other letters values with --at")
    center_text = str(given.pop(v, "0"))
    exact = {v: _exact_value(v, center_text)} | {n: _exact_value(n, str(t)) for n, t in given.items()}
    pinned = {n: float(_number(exact[n])) for n in given}
    return _Problem(tree, v, float(_number(exact[v])), center_text, pinned, exact)


def series_coefficients(problem: _Problem, degree: int, at=None) -> np.ndarray:
    """The Taylor coefficients about the center (or at the points `at`, elementwise)."""
    trouble = NumericTrouble()
    with trouble.watch():
        return taylor_at(problem.tree, problem.pinned, problem.variable,
                         problem.center if at is None else at, degree, trouble)


@one_request()  # the terms of one request: the text never depends on earlier work
def taylor(expr: str, wrt=None, at: dict | None = None, degree: int = 3) -> Polynomial:
    """The Taylor polynomial of `expr` of the given degree about the value `at` gives its
    variable (0 by default); `at` also pins the other variables."""
    degree = validate.whole(degree, "--degree", low=0, high=MAX_DEGREE)
    problem = read_problem(expr, wrt, at)
    found = checked_coefficients(problem, degree)
    coefficients = _snapped(found.values)
    closed = exact_coefficients(problem, coefficients)
    coefficients = [c if t is None else _float_of(t) for c, t in zip(coefficients, closed)]
    derivatives = [_times_factorial(c, k) for k, c in enumerate(coefficients)]
    text = polynomial_text(coefficients, problem.variable, problem.center_text, closed)
    return Polynomial(expr, problem.variable, problem.center, problem.center_text, degree, coefficients, derivatives,
                      text, list(found.digits))


def checked_coefficients(problem: _Problem, degree: int):
    """The coefficients of the polynomial, each with its right digits (an accuracy.Found), or
    the error saying why there is none: `taylor` and `check --taylor` both read them here,
    so they give the same polynomial or the same error."""
    from .evaluator import accurate_taylor_at

    trouble = NumericTrouble()
    with trouble.watch():
        found = accurate_taylor_at(problem.tree, problem.pinned, problem.variable, problem.center, degree,
                                   trouble=trouble)
    coefs = found.values
    if np.ndim(coefs) != 1:
        raise ValueInputError("a Taylor polynomial needs an expression whose value is one number")
    undefined(problem, coefs)
    bad = [k for k, (c, d) in enumerate(zip(coefs, found.digits)) if not np.isfinite(c) or d == 0]
    if bad:
        k = bad[0]
        why = ("is not finite there" if not found.refined or np.isinf(coefs[k]) else
               "could not be computed to any digit that can be vouched for")
        raise ValueInputError(f"the expression has no Taylor polynomial about {problem.variable} = "
                              f"{problem.center_text}: its derivative of order {k} {why}")
    no_corner(problem, coefs)
    return found


# Coefficients worked out by the symbolic layer: up to this order and this much work (as in
# calculus/formula.py), beyond which the engine's numbers stand; a closed form of more
# operations than EXACT_SIZE is no easier to read than digits.
EXACT_ORDERS = 40
EXACT_BUDGET = 20_000
EXACT_SIZE = 12


def exact_coefficients(problem: _Problem, numeric: list) -> list:
    """f^(k)(C)/k! as a closed form (a term without variables) where the symbolic layer finds a
    short one that agrees with the engine's number, else None: e^2, sqrt(2)/2, 1/15, sin(1).

    Agreement is required, not hoped for: a closed form is printed only when its value is
    within 1e-9 of the Taylor pass's (relatively, or of the largest coefficient near it)."""
    from ..errors import GradcliError
    from ..symbolic import algebra as A
    from ..symbolic.derive import derive, derive_term
    from ..symbolic.printer import to_expr

    out: list = [None] * len(numeric)
    if not problem.exact:
        return out
    v = problem.variable
    env = {n: (t, A.ZERO) for n, t in problem.exact.items() if n != v}
    at = {v: (problem.exact[v], A.ZERO)}
    limit = A.work() + EXACT_BUDGET
    try:
        term = derive(problem.tree, "", env, steps=False, budget=limit)[0]
        for k in range(min(len(numeric), EXACT_ORDERS + 1)):
            if k:
                term = derive_term(term, v, budget=limit)
            value = A.mul(derive(to_expr(term, v), "", at, steps=False, budget=limit)[0],
                          A.num(1, math.factorial(k)))
            if A.free_symbols(value) or A.size(value) > EXACT_SIZE:
                continue
            got = _float_of(value)
            near = max([abs(numeric[j]) for j in range(max(0, k - 2), min(len(numeric), k + 3))] + [0.0])
            if math.isfinite(got) and abs(got - numeric[k]) <= 1e-9 * max(abs(got), abs(numeric[k])) + 1e-13 * near:
                out[k] = value
    except (A.TooLarge, GradcliError, ArithmeticError, ValueError):
        pass  # the rest stay the engine's numbers
    return out


def _float_of(term) -> float:
    from .formula import _number

    return float(_number(term))


def undefined(problem: _Problem, coefs) -> None:  # (called by no_corner)
    """ln x at 0 has no Taylor polynomial because it has no value there: say so, before
    anything is said about its derivatives or its sides."""
    if len(coefs) and not np.isfinite(coefs[0]):
        from ..symbolic.printer import plain

        raise ValueInputError(f"{plain(problem.tree)} is undefined at {problem.variable} = {problem.center_text}, "
                              f"so it has no Taylor polynomial there")


def no_corner(problem: _Problem, coefs) -> None:
    """|x| at 0 has no Taylor polynomial: its slopes on either side differ (the engine takes 0
    there, as PyTorch does, which would print a polynomial that is no approximation). A side
    where the expression has no value (ln x left of 0) is no side of a corner."""
    undefined(problem, coefs)
    if not np.all(np.isfinite(coefs)):
        k = int(np.flatnonzero(~np.isfinite(coefs))[0])
        raise ValueInputError(f"the expression has no Taylor polynomial about {problem.variable} = "
                              f"{problem.center_text}: its derivative of order {k} is not finite there")
    if len(coefs) < 2:
        return
    from .evaluator import accurate_taylor_at

    eps = step(problem.center)
    # each side's value and slope with their digits known: a quotient such as (1 - cos x)/x^2
    # loses all of a float's digits a hair from 0, and would show a corner that is not there;
    # a side where the expression has no value (ln x left of 0) is no side of a corner
    found = [accurate_taylor_at(problem.tree, problem.pinned, problem.variable, problem.center + s, 1).values
             for s in (-eps, eps)]
    values, sides = [f[0] for f in found], [f[1] for f in found]
    if np.all(np.isfinite(values)) and corner(*sides):
        raise ValueInputError(f"the expression has no Taylor polynomial about {problem.variable} = "
                              f"{problem.center_text}: it has a corner there (slopes {sides[0]:.6g} and {sides[1]:.6g} "
                              f"on either side)")


def _times_factorial(c: float, k: int) -> float:
    if c == 0:
        return 0.0
    if k <= 170:
        return c * float(math.factorial(k))
    with np.errstate(over="ignore"):
        return float(np.sign(c) * np.exp(math.log(abs(c)) + math.lgamma(k + 1)))


def _snapped(coefficients) -> list:
    """Coefficients that are rounding noise (sin(2x) about pi/2 has 1.2e-16 for its constant
    term: pi is a float) as the 0 they are: noise is far below its neighbours, a true small
    coefficient (1/17! after 1/16!) is not."""
    c = [float(v) for v in coefficients]
    out = []
    for k, v in enumerate(c):
        near = [abs(c[j]) for j in range(max(0, k - 2), min(len(c), k + 3)) if j != k and np.isfinite(c[j])]
        out.append(0.0 if near and abs(v) <= 1e-14 * max(near) else v)
    return out


def polynomial_text(coefficients: list, variable: str, center_text: str = "0", closed: list | None = None) -> str:
    """c0 + c1 (x - C) + ... in gradcli's syntax, lowest power first, as textbooks write it:
    1 + (x - 1)/2 - (x - 1)^2/8; a coefficient with a closed form in `closed` (terms) as that:
    e^2 + 2e^2(x - 1)."""
    base = power_base(variable, center_text)
    closed = closed or [None] * len(coefficients)
    parts = []
    for k, (c, t) in enumerate(zip(coefficients, closed)):
        if c == 0:
            continue
        power = "" if k == 0 else base if k == 1 else f"{base}^{k}"
        parts.append(_closed_term(t, k, base) if t is not None else ("-" if c < 0 else "+", _term(abs(c), power)))
    if not parts:
        return "0"
    out = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    for sign, text in parts[1:]:
        out += f" {sign} {text}"
    return out


def power_base(variable: str, center_text: str) -> str:
    """x, or (x - C) as printed: (x + 1), (x - pi/2)."""
    from .formula import _exact_value
    from ..symbolic import algebra as A
    from ..symbolic.printer import plain, to_expr

    center = _exact_value(variable, center_text)
    if A.is_num(center, 0):
        return variable
    return f"({plain(to_expr(A.sub(A.sym(variable), center), variable))})"


def _closed_term(t, k: int, base: str) -> tuple:
    """(sign, text) of t (x - C)^k as the printer writes a product, with (x - C) kept whole
    (the printer would multiply sqrt(2)/2 (x - pi/4) out, so the power is printed as a
    placeholder name). The sign is the printed one: cbrt(-8) in a term is negative."""
    from ..symbolic import algebra as A
    from ..symbolic.printer import plain, to_expr

    power = "" if k == 0 else base if k == 1 else f"{base}^{k}"
    if t.kind == A.NUM:  # a fraction, as before (3(x - 1)^2/4), with any denominator: it is exact
        c = A.value(t)
        sign = "-" if c < 0 else "+"
        return sign, (_fraction_term(Fraction(abs(c)), power) if A.rational(c) else _term(abs(float(c)), power))
    placeholder = "_P"   # no name a user can write (names start with a letter)

    def printed(term):
        return plain(to_expr(A.mul(term, A.pow_(A.sym(placeholder), k)), placeholder)).replace(placeholder, base)

    text = printed(t)
    if text.startswith("-"):
        return "-", printed(A.neg(t))
    return "+", text


def _term(c: float, power: str) -> str:
    """A positive coefficient times a power: x^2/2, 3(x - 1)^2/4, 0.5403023058681398*(x - 1)."""
    f = fraction(c)
    if f is not None:
        return _fraction_term(f, power)
    return repr(float(c)) + (f"*{power}" if power else "")


def _fraction_term(f: Fraction, power: str) -> str:
    top = (str(f.numerator) if f.numerator != 1 or not power else "") + power
    return top if f.denominator == 1 else f"{top}/{f.denominator}"


def estimate(p: Polynomial, at_text: str, problem: _Problem | None = None) -> Estimate:
    """p at X, f at X, the actual error, and the Lagrange bound with its maximum found on a
    grid of [C, X] by the Taylor pass (so it is the grid's maximum, not a proven one)."""
    from .formula import _exact_value, _number

    problem = problem or read_problem(p.expression, p.variable, {p.variable: p.center_text})
    x = float(_number(_exact_value(p.variable, at_text)))
    size = int(max(101, min(GRID, 2e7 // (p.degree + 2) ** 2)))  # a finer grid costs degree^2 a point
    grid = np.linspace(p.center, x, size)
    coefs = series_coefficients(problem, p.degree + 1, at=grid)
    top = np.abs(coefs[p.degree + 1])
    if not np.all(np.isfinite(top)):
        where = float(grid[int(np.flatnonzero(~np.isfinite(top))[0])])
        raise ValueInputError(f"the derivative of order {p.degree + 1} is not finite at {p.variable} = {where:g}, "
                              f"between the center and {at_text}: the Lagrange bound does not hold across it")
    with np.errstate(all="ignore"):
        i = int(np.argmax(top))
        bound = float(top[i] * abs(x - p.center) ** (p.degree + 1))
    trouble = NumericTrouble()
    with trouble.watch(), np.errstate(all="ignore"):
        env = environment(problem.pinned, {p.variable: np.float64(x)})
        fx = float(build(problem.tree, env, trouble.at).data)
    if not np.isfinite(fx):
        raise ValueInputError(f"the expression is not defined at {p.variable} = {at_text}")
    px = p.value(x)
    return Estimate(x, px, fx, abs(fx - px), bound, float(grid[i]))


def coefficient_text(c: float) -> str:
    return ("-" if c < 0 else "") + _term(abs(float(c)), "")

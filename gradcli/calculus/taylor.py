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
from typing import NamedTuple

import numpy as np

from ..inputs import validate
from ..language.problem import read
from ..symbolic.algebra import one_request
from ..symbolic.numbers import fraction
from .sides import corner, step
from ..errors import NameLookupError, ValueInputError
from ..language.build import build, environment, real_roots
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


def read_problem(expr: str, wrt, at: dict | None) -> _Problem:
    from .formula import _exact_value, _number

    names = set(validate.names(wrt, "--wrt")) if wrt else set()
    given = validate.bindings(at)
    tree = read(expr, names | set(given))
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
    center = _number(_exact_value(v, center_text))
    pinned = {n: float(_number(_exact_value(n, str(t)))) for n, t in given.items()}
    return _Problem(tree, v, float(center), center_text, pinned)


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
    derivatives = [_times_factorial(c, k) for k, c in enumerate(coefficients)]
    text = polynomial_text(coefficients, problem.variable, problem.center_text)
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
    bad = [k for k, (c, d) in enumerate(zip(coefs, found.digits)) if not np.isfinite(c) or d == 0]
    if bad:
        k = bad[0]
        why = ("is not finite there" if not found.refined or np.isinf(coefs[k]) else
               "could not be computed to any digit that can be vouched for")
        raise ValueInputError(f"the expression has no Taylor polynomial about {problem.variable} = "
                              f"{problem.center_text}: its derivative of order {k} {why}")
    no_corner(problem, coefs)
    return found


def no_corner(problem: _Problem, coefs) -> None:
    """|x| at 0 has no Taylor polynomial: its slopes on either side differ (the engine takes 0
    there, as PyTorch does, which would print a polynomial that is no approximation)."""
    if len(coefs) < 2:
        return
    from .evaluator import accurate_taylor_at

    eps = step(problem.center)
    # each side's slope with its digits known: a quotient such as (1 - cos x)/x^2 loses all
    # of a float's digits a hair from 0, and would show a corner that is not there
    sides = [accurate_taylor_at(problem.tree, problem.pinned, problem.variable, problem.center + s, 1).values[1]
             for s in (-eps, eps)]
    if corner(*sides):
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


def polynomial_text(coefficients: list, variable: str, center_text: str = "0") -> str:
    """c0 + c1 (x - C) + ... in gradcli's syntax, lowest power first, as textbooks write it:
    1 + (x - 1)/2 - (x - 1)^2/8."""
    base = power_base(variable, center_text)
    parts = []
    for k, c in enumerate(coefficients):
        if c == 0:
            continue
        power = "" if k == 0 else base if k == 1 else f"{base}^{k}"
        parts.append(("-" if c < 0 else "+", _term(abs(c), power)))
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


def _term(c: float, power: str) -> str:
    """A positive coefficient times a power: x^2/2, 3(x - 1)^2/4, 0.5403023058681398*(x - 1)."""
    f = fraction(c)
    if f is not None:
        top = (str(f.numerator) if f.numerator != 1 or not power else "") + power
        return top if f.denominator == 1 else f"{top}/{f.denominator}"
    return repr(float(c)) + (f"*{power}" if power else "")


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
    with trouble.watch(), real_roots(), np.errstate(all="ignore"):
        env = environment(problem.pinned, {p.variable: np.float64(x)})
        fx = float(build(problem.tree, env, trouble.at).data)
    if not np.isfinite(fx):
        raise ValueInputError(f"the expression is not defined at {p.variable} = {at_text}")
    px = p.value(x)
    return Estimate(x, px, fx, abs(fx - px), bound, float(grid[i]))


def coefficient_text(c: float) -> str:
    return ("-" if c < 0 else "") + _term(abs(float(c)), "")

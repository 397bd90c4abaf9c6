"""Taylor polynomials: the polynomial of degree N about C, its error at a point, and checking
a student's polynomial, all from the engine's Taylor pass (engine/taylor.py).

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

from . import validate
from .check import CheckResult, read
from .diagnosis import close
from .sides import corner, step
from .engine.tensor import Tensor, set_grad_enabled
from .errors import NameLookupError, ValueInputError
from .language.build import build, real_roots
from .language.grammar import parse
from .language.tree import free_variables, to_text
from .symbolic.algebra import one_request
from .trouble import NumericTrouble

MAX_DEGREE = 1000
DENOMINATOR = 10 ** 6   # a coefficient is shown as a fraction when one this small matches it
MATCH = 1e-13
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

    @property
    def latex(self) -> str:
        from .symbolic.latex import latex

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


def _read(expr: str, wrt, at: dict | None) -> _Problem:
    from .formula import _exact_value, _number

    names = set(validate.names(wrt, "--wrt")) if wrt else set()
    given: dict = {}
    for name, value in (at or {}).items():
        validate.add_binding(given, name, value)
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


def _coefficients(problem: _Problem, degree: int, at=None) -> np.ndarray:
    """The Taylor coefficients about the center (or at the points `at`, elementwise)."""
    from .engine.taylor import series

    point = problem.center if at is None else at
    trouble = NumericTrouble()
    with trouble.watch(), set_grad_enabled(True), real_roots(), np.errstate(all="ignore"):
        x = Tensor(np.asarray(point, dtype=np.float64), requires_grad=True)
        env = {n: Tensor(np.float64(v)) for n, v in problem.pinned.items()}
        env[problem.variable] = x
        out = build(problem.tree, env, trouble.at)
        return series(out, x, degree)


@one_request()  # the terms of one request: the text never depends on earlier work
def taylor(expr: str, wrt=None, at: dict | None = None, degree: int = 3) -> Polynomial:
    """The Taylor polynomial of `expr` of the given degree about the value `at` gives its
    variable (0 by default); `at` also pins the other variables."""
    degree = validate.whole(degree, "--degree", low=0, high=MAX_DEGREE)
    problem = _read(expr, wrt, at)
    coefs = _coefficients(problem, degree)
    if coefs.ndim != 1:
        raise ValueInputError("a Taylor polynomial needs an expression whose value is one number")
    if not np.all(np.isfinite(coefs)):
        k = int(np.flatnonzero(~np.isfinite(coefs))[0])
        raise ValueInputError(f"the expression has no Taylor polynomial about {problem.variable} = "
                              f"{problem.center_text}: its derivative of order {k} is not finite there")
    _no_corner(problem, coefs)
    coefficients = _snapped(coefs)
    derivatives = [_times_factorial(c, k) for k, c in enumerate(coefficients)]
    text = polynomial_text(coefficients, problem.variable, problem.center_text)
    return Polynomial(expr, problem.variable, problem.center, problem.center_text, degree, coefficients, derivatives,
                      text)


def _no_corner(problem: _Problem, coefs) -> None:
    """|x| at 0 has no Taylor polynomial: its slopes on either side differ (the engine takes 0
    there, as PyTorch does, which would print a polynomial that is no approximation)."""
    if len(coefs) < 2:
        return
    eps = step(problem.center)
    sides = np.broadcast_to(_coefficients(problem, 1, at=np.array([problem.center - eps, problem.center + eps]))[1], (2,))
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


def fraction(c: float) -> Fraction | None:
    """The fraction with the smallest denominator (up to 10^6) that matches c to 1e-13
    relative, if there is one: 1250000000000/63, not the float's own binary fraction."""
    if c == 0:
        return Fraction(0)
    for limit in (16, 1000, DENOMINATOR):
        f = Fraction(c).limit_denominator(limit)
        if f != 0 and abs(float(f) - c) <= MATCH * abs(c):
            return f
    return None


def _snapped(coefficients) -> list:
    """Coefficients that are rounding noise (sin(2x) about pi/2 has 1.2e-16 for its constant
    term) as the 0 they are: noise is far below its neighbours, a true small coefficient
    (1/17! after 1/16!) is not."""
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
    from .symbolic import algebra as A
    from .symbolic.printer import plain, to_expr

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

    problem = problem or _read(p.expression, p.variable, {p.variable: p.center_text})
    x = float(_number(_exact_value(p.variable, at_text)))
    size = int(max(101, min(GRID, 2e7 // (p.degree + 2) ** 2)))  # a finer grid costs degree^2 a point
    grid = np.linspace(p.center, x, size)
    coefs = _coefficients(problem, p.degree + 1, at=grid)
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
        env = {n: Tensor(np.float64(v)) for n, v in problem.pinned.items()}
        env[p.variable] = Tensor(np.float64(x))
        fx = float(build(problem.tree, env, trouble.at).data)
    if not np.isfinite(fx):
        raise ValueInputError(f"the expression is not defined at {p.variable} = {at_text}")
    px = p.value(x)
    return Estimate(x, px, fx, abs(fx - px), bound, float(grid[i]))


# --- checking a polynomial ---------------------------------------------------------------------

def check_taylor(expr: str, degree: int, answer: str, wrt=None, at: dict | None = None,
                 rtol: float = validate.RTOL, atol: float = validate.ATOL) -> CheckResult:
    """Is `answer` the Taylor polynomial of `expr` of degree `degree` about the value `at`
    gives the variable? It may be written expanded, in powers of x or of (x - C)."""
    degree = validate.whole(degree, "--taylor", low=0, high=MAX_DEGREE)
    rtol, atol = validate.tolerance(rtol, "--rtol"), validate.tolerance(atol, "--atol")
    problem = _read(expr, wrt, at)
    v = problem.variable
    names = {v} | set(problem.pinned)
    answer_tree = read(str(answer), names)
    extra = [n for n in free_variables(answer_tree) if n not in names]
    if extra:
        raise NameLookupError(f"the answer uses {', '.join(extra)}, which the expression does not", source=str(answer))
    far = degree + 40  # far enough to tell a polynomial from a series that does not end
    truth = _coefficients(problem, far)
    mine = _coefficients(problem._replace(tree=answer_tree), far)
    if truth.ndim != 1 or mine.ndim != 1:
        raise ValueInputError("a Taylor polynomial is of an expression whose value is one number")
    expected, got = truth[:degree + 1], mine[:degree + 1]
    # coefficients are compared relative to their size: 1/14! (1e-11) is no rounding noise
    scale = float(np.max(np.abs(expected[np.isfinite(expected)]), initial=0.0))
    atol = min(atol, 1e-12 * scale)
    ok = close(got, expected, rtol, atol)
    # a polynomial's Taylor coefficients past its degree come out exactly 0 (its series is a
    # finite sum of finite products); a function that is none has some, however small
    beyond = [k for k in range(degree + 1, far + 1) if mine[k] != 0 or not np.isfinite(mine[k])]
    failing = [int(k) for k in np.flatnonzero(~ok)]
    correct = not failing and not beyond
    if not correct:
        _no_corner(problem, truth)
    diagnosis = None if correct else _diagnose(problem, answer_tree, expected, got, mine, beyond, degree, rtol, atol)
    points = [{"degree": k} for k in range(degree + 1)]
    from .symbolic.printer import plain

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
    if np.any(differs) and np.all(close(got, expected, 0.01, atol)):
        return "the answer looks rounded: every coefficient is within 1%; allow it with --rtol 0.01"
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
        at_zero = _coefficients(problem._replace(center=0.0), degree)
        # the polynomial about 0, or the right coefficients on powers of x instead of x - C
        for taken, what in ((at_zero, "the polynomial about 0 given for the one about " + f"{v} = {c}"),
                            (expected, f"powers of {v} written for powers of ({v} - {c})")):
            if _same_polynomial(answer_tree, taken, problem, v):
                return what
    wrong = [int(k) for k in np.flatnonzero(differs)]
    if len(wrong) == 1:
        k = wrong[0]
        term = f"{power}^{k}" if k > 1 else (power if k == 1 else "the constant term")
        right = _coefficient_text(expected[k])
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
    with trouble.watch(), real_roots(), np.errstate(all="ignore"):
        env = {n: Tensor(np.float64(val)) for n, val in problem.pinned.items()}
        env[v] = Tensor(xs)
        got = np.broadcast_to(build(answer_tree, env, trouble.at).data, xs.shape)
    return bool(np.all(close(got, want, 1e-9, 1e-12)))


def _coefficient_text(c: float) -> str:
    return ("-" if c < 0 else "") + _term(abs(float(c)), "")

"""The kinds of problem a check, a sheet or --show-answer may name, and the one place that
sends each to its checker and to its right answer: the command line, sheets and answers all
read KINDS here, so a new kind is one row.

>>> list(KINDS)
['derivative', 'tangent', 'normal', 'implicit', 'parametric', 'taylor']
>>> KINDS["normal"].option, KINDS["normal"].at_point
('--normal', True)
>>> curve_of("x^2 + y^2 = 25"), curve_of("x = cos t, y = sin t"), curve_of("y = x^2")
('implicit', 'parametric', 'explicit')
>>> check_problem("taylor", "e^x", "1 + x + x^2/2", degree=2).correct
True
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from ..errors import ValueInputError
from ..inputs import validate
from ..language.grammar import parse_equations
from ..language.problem import function_side, single_letters
from ..language.reading import known_variables
from ..language.tree import free_variables, Var
from . import answers
from .derivative import CheckResult, check
from .implicit import check_implicit
from .parametric import check_parametric
from .tangent import check_line
from .taylor import check_taylor


class Kind(NamedTuple):
    name: str
    option: str | None   # the option of `check` that asks for it (None: the derivative, the default)
    at_point: bool       # judged at the point of --at alone: sampling's options have no use
    check: Callable      # (expr, answer, problem's settings) -> CheckResult
    answer: Callable     # (CheckResult, dependent, at) -> the right answer, as text


def _derivative(expr, answer, wrt, at, domain, points, seed, rtol, atol, **_):
    return check(expr, wrt, answer, at=at, domain=domain, points=points, seed=seed, rtol=rtol, atol=atol)


def _line(kind):
    def line(expr, answer, wrt, at, rtol, atol, dependent, curve, **_):
        return check_line(expr, kind, at or {}, answer, wrt=wrt, rtol=rtol, atol=atol,
                          curve=curve or curve_of(expr), dependent=dependent)
    return line


def _implicit(expr, answer, wrt, at, domain, points, seed, rtol, atol, dependent, **_):
    return check_implicit(expr, answer, wrt=wrt, dependent=dependent, at=at, domain=domain, points=points,
                          seed=seed, rtol=rtol, atol=atol)


def _parametric(expr, answer, wrt, at, domain, points, seed, rtol, atol, **_):
    return check_parametric(expr, answer, wrt=wrt, at=at, domain=domain, points=points, seed=seed, rtol=rtol,
                            atol=atol)


def _taylor(expr, answer, wrt, at, rtol, atol, degree, **_):
    if degree is None:
        raise ValueInputError("a taylor problem needs its degree (taylor = N, or --taylor N)")
    # the center stays as typed: pi/2 is exact
    return check_taylor(expr, degree, answer, wrt, at={n: str(v) for n, v in (at or {}).items()}, rtol=rtol,
                        atol=atol)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("derivative", None, False, _derivative, answers.derivative),
    Kind("tangent", "--tangent", True, _line("tangent"), answers.line),
    Kind("normal", "--normal", True, _line("normal"), answers.line),
    Kind("implicit", "--implicit", False, _implicit, answers.curve),
    Kind("parametric", "--parametric", False, _parametric, answers.curve),
    Kind("taylor", "--taylor", True, _taylor, answers.polynomial),
)}


def kind(name) -> Kind:
    """The kind a sheet or a caller names, or a clear error."""
    if name not in KINDS:
        raise ValueInputError(f"kind must be one of {', '.join(KINDS)}, got {name!r}")
    return KINDS[name]


def curve_of(expr: str) -> str:
    """"explicit" (y = expr), "implicit" (one equation) or "parametric" (x = ..., y = ...)."""
    if "=" not in expr or function_side(expr) != expr:
        return "explicit"
    try:
        with known_variables(single_letters(expr)):
            eqs = parse_equations(expr)
    except Exception:  # noqa: BLE001 - read for real, with its error, by the check itself
        return "implicit"
    if len(eqs) == 1 and isinstance(eqs[0].lhs, Var) and eqs[0].lhs.name == "y" and eqs[0].rhs is not None \
            and "y" not in free_variables(eqs[0].rhs):
        return "explicit"  # y = x^2: a function, written as its graph's equation
    return "parametric" if len(eqs) == 2 else "implicit"


def check_problem(kind_name: str, expr: str, answer: str, wrt=None, at: dict | None = None,
                  domain: dict | None = None, points: int = validate.POINTS, seed: int = validate.SEED,
                  rtol: float = validate.RTOL, atol: float = validate.ATOL, dependent: str = "y",
                  curve: str | None = None, degree: int | None = None) -> CheckResult:
    """A problem of any kind: the derivative of an expression, a line, an implicit or a
    parametric derivative (a line's curve is read from the expression unless given), a Taylor
    polynomial of the given degree."""
    return kind(kind_name).check(expr, answer, wrt=wrt, at=at, domain=domain, points=points, seed=seed, rtol=rtol,
                                 atol=atol, dependent=dependent, curve=curve, degree=degree)


def correct_answer(result: CheckResult, dependent: str = "y", at: dict | None = None) -> str:
    """What `check --show-answer` prints for any kind of problem: the derivative as a formula,
    the line, the polynomial, or why there is none."""
    return KINDS[result.kind].answer(result, dependent, at)

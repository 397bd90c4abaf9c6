"""What students write on the left of `=`: the name of what was asked. An answer may say
`f'(x) = 2x`, `y' = 2x`, `dy/dx = 2x`, `d/dx(x^2) = 2x` or `f''(x) = 2` for a derivative,
`L(x) = 3x - 1` or `y = 3x - 1` for a line, `p2(x) = ...` or `P_3(x) = ...` for a Taylor
polynomial; a problem may be given as `y = x^2` or `f(x) = x^2`. The left side must name
what was asked (the order, the variable, the degree); anything else is an error that says
what was expected, never a side silently dropped.

>>> derivative_side("f'(x) = 2x", 1, "x"), derivative_side("d/dx(x^2) = 2x", 1, "x")
(('2x', None), ('2x', '(x^2)'))
>>> polynomial_side("P_2(x) = 1 + x + x^2/2", 2, "x"), line_side("L(x) = 3x - 1")
('1 + x + x^2/2', 'y = 3x - 1')
>>> derivative_side("f''(x) = 2", 1, "x")
Traceback (most recent call last):
...
gradcli.errors.ValueInputError: error: the answer's left side, f''(x), is the second derivative; the first derivative was asked (write f'(x) = ..., or the right side alone)
"""

from __future__ import annotations

import re

from ..errors import ValueInputError
from ..language.problem import FUNCTION_NAME, equation_sides

ORDINAL = {1: "first", 2: "second", 3: "third"}
_PRIMES = {"'": 1, "\u2032": 1, "\u2033": 2, "\u2034": 3, "\u2019": 1}
_NAME = r"[A-Za-z]\w*"
# f'(x), y'', f′(t), y″ ; f^(3)(x)
_PRIME = re.compile(rf"^({_NAME})([{''.join(_PRIMES)}]+)(?:\(({_NAME})\))?$")
_NTH = re.compile(rf"^({_NAME})\^\{{?\((\d+)\)\}}?(?:\(({_NAME})\))?$")
# dy/dx, d2y/dx2, d^2y/dx^2, df/dt
_LEIBNIZ = re.compile(r"^d(?:\^?(\d+))?([A-Za-z]\w*)/d([A-Za-z][A-Za-z_]*)(?:\^?(\d+))?$")
# d/dx(...), d/dx x^2, d^2/dx^2(...)
_OPERATOR = re.compile(r"^d\s*(?:\^?\s*(\d+))?\s*/\s*d\s*([A-Za-z])\s*(?:\^?\s*(\d+))?(?![A-Za-z0-9_])\s*(\S.*)$")
# p2(x), P_3(x), T(x), p(x)
_POLYNOMIAL = re.compile(rf"^[pPtT]_?\{{?(\d*)\}}?\(({_NAME})\)$")


def split(text: str) -> tuple[str | None, str]:
    """problem.split, and an answer that starts with `=` is an error."""
    left, right = equation_sides(text)
    if left == "":
        raise ValueInputError("the answer starts with '=': write what comes after it, with or without a left "
                              "side such as f'(x)")
    return left, right


def _compact(side: str) -> str:
    return re.sub(r"\s+", "", side)


_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"   # a byte-order mark, zero-width spaces: pasted, never meant


def answered(text) -> str:
    """The answer as text; an empty one is an error, not a wrong answer."""
    text = str(text).strip().strip(_INVISIBLE).strip()
    if not text:
        raise ValueInputError("the answer is empty")
    return text


def derivative_side(text: str, order: int, variable: str | None) -> tuple[str, str | None]:
    """The answer to a derivative of `order` in `variable` (None: the problem's one variable),
    its named left side taken off, and what the left side differentiates when it says
    (`d/dx(x^2)`: x^2), for the caller to hold to the problem."""
    text = answered(text)
    left, right = split(text)
    if left is None:
        return text, None
    named = _derivative_named(left)
    if named is None:
        raise ValueInputError(f"the answer's left side, {left}, does not name a derivative: write "
                              f"{_example(order, variable or 'x')} = ..., or the right side alone")
    got_order, got_variable = named
    if got_order != order:
        raise ValueInputError(f"the answer's left side, {left}, is the {_ordinal(got_order)} derivative; the "
                              f"{_ordinal(order)} derivative was asked (write {_example(order, variable or 'x')} = ..., or "
                              f"the right side alone)")
    if got_variable and variable and got_variable != variable:
        raise ValueInputError(f"the answer's left side, {left}, is a derivative with respect to {got_variable}; "
                              f"the derivative with respect to {variable} was asked")
    if not right:
        raise ValueInputError("the answer is empty after its left side: write the derivative after `=`")
    return right, _operand(left)


def _operand(left: str) -> str | None:
    m = _OPERATOR.match(left)
    return m.group(4).strip() if m else None


def _derivative_named(left: str) -> tuple[int, str | None] | None:
    """(order, variable or None) when the left side names a derivative."""
    lhs = _compact(left)
    m = _PRIME.match(lhs)
    if m:
        return sum(_PRIMES[c] for c in m.group(2)), m.group(3)
    m = _NTH.match(lhs)
    if m:
        return int(m.group(2)), m.group(3)
    m = _LEIBNIZ.match(lhs)
    if m and m.group(3) and (m.group(1) or "1") == (m.group(4) or "1"):
        return int(m.group(1) or 1), m.group(3)
    m = _OPERATOR.match(left)
    if m and (m.group(1) or "1") == (m.group(3) or "1"):
        return int(m.group(1) or 1), m.group(2)
    return None


def polynomial_side(text: str, degree: int, variable: str) -> str:
    """A Taylor polynomial's answer, its `p2(x) =` taken off."""
    text = answered(text)
    left, right = split(text)
    if left is None:
        return text
    m = _POLYNOMIAL.match(_compact(left))
    if m is None:
        raise ValueInputError(f"the answer's left side, {left}, does not name a Taylor polynomial: write "
                              f"p{degree}({variable}) = ..., or the right side alone")
    if m.group(1) and int(m.group(1)) != degree:
        raise ValueInputError(f"the answer's left side, {left}, names the polynomial of degree {m.group(1)}; "
                              f"degree {degree} was asked")
    if m.group(2) != variable:
        raise ValueInputError(f"the answer's left side, {left}, is a polynomial in {m.group(2)}; the polynomial is "
                              f"in {variable}")
    return right


def line_side(text: str) -> str:
    """A line written as a function, `L(x) = 3x - 1`, as the equation y = 3x - 1; any other
    equation (y - 4 = 3(x - 1), x = 2) as it is."""
    text = answered(text)
    left, right = split(text)
    if left is not None and FUNCTION_NAME.match(_compact(left)):
        return f"y = {right}"
    if left is not None and _derivative_named(left) is not None:
        raise ValueInputError(f"the answer's left side, {left}, names a derivative; a line is written y = ... (or "
                              f"L(x) = ..., y - b = m(x - a))")
    return text


def _ordinal(n: int) -> str:
    return ORDINAL.get(n, f"{n}th")


def _example(order: int, variable: str) -> str:
    return f"f{chr(39) * order}({variable})" if order <= 3 else f"f^({order})({variable})"

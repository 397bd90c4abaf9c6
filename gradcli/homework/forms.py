"""What students write on the left of `=`: the name of what was asked. An answer may say
`f'(x) = 2x`, `y' = 2x`, `dy/dx = 2x`, `d/dx(x^2) = 2x` or `f''(x) = 2` for a derivative,
`L(x) = 3x - 1` or `y = 3x - 1` for a line, `p2(x) = ...` or `P_3(x) = ...` for a Taylor
polynomial; a problem may be given as `y = x^2` or `f(x) = x^2`. The left side must name
what was asked (the order, the variable, the degree); anything else is an error that says
what was expected, never a side silently dropped.

>>> derivative_side("f'(x) = 2x", 1, "x"), derivative_side("d2y/dx2 = 2", 2, "x")
('2x', '2')
>>> polynomial_side("P_2(x) = 1 + x + x^2/2", 2, "x"), line_side("L(x) = 3x - 1")
('1 + x + x^2/2', 'y = 3x - 1')
>>> function_side("f(x) = x^2"), function_side("x = cos t, y = sin t")
('x^2', 'x = cos t, y = sin t')
>>> derivative_side("f''(x) = 2", 1, "x")
Traceback (most recent call last):
...
gradcli.errors.ValueInputError: error: the answer's left side, f''(x), is the second derivative; the first derivative was asked (write f'(x) = ..., or the right side alone)
"""

from __future__ import annotations

import re

from ..errors import ValueInputError

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
# L(x), T(x), y(x), y
_FUNCTION = re.compile(rf"^({_NAME})\(({_NAME})\)$")


def split(text: str) -> tuple[str | None, str]:
    """(left side, right side) of the one `=` outside brackets, or (None, text) when there is
    none, or several, or a `;` (definitions such as `u = x^2; u + 1` are read by the grammar)."""
    if ";" in text:
        return None, text
    depth, at = 0, []
    for i, c in enumerate(text):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "=" and depth == 0:
            at.append(i)
    if len(at) != 1:
        return None, text
    return text[:at[0]].strip(), text[at[0] + 1:].strip()


def _compact(side: str) -> str:
    return re.sub(r"\s+", "", side)


def answered(text) -> str:
    """The answer as text; an empty one is an error, not a wrong answer."""
    if not str(text).strip():
        raise ValueInputError("the answer is empty")
    return str(text)


def derivative_side(text: str, order: int, variable: str | None) -> str:
    """The answer to a derivative of `order` in `variable` (None: the problem's one variable),
    its named left side taken off."""
    left, right = split(answered(text))
    if left is None:
        return str(text)
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
    return right


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
    left, right = split(answered(text))
    if left is None:
        return str(text)
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
    left, right = split(answered(text))
    if left is not None and _FUNCTION.match(_compact(left)):
        return f"y = {right}"
    return str(text)


def function_side(text: str) -> str:
    """A problem given as `y = x^2` or `f(x) = x^2`: the function's formula. An equation of
    another form (an implicit or parametric curve) is left as it is."""
    left, right = split(str(text))
    if left is None or "," in text:
        return str(text)
    lhs = _compact(left)
    if lhs == "y" or _FUNCTION.match(lhs) and lhs[0] != "y" or re.fullmatch(r"y\(\w+\)", lhs):
        return right
    return str(text)


def _ordinal(n: int) -> str:
    return ORDINAL.get(n, f"{n}th")


def _example(order: int, variable: str) -> str:
    return f"f{chr(39) * order}({variable})" if order <= 3 else f"f^({order})({variable})"

"""How gradcli writes a number, in one place: in a formula (every digit that matters), as a
person writes it (a fraction when one is the number, else a short decimal), and to a number
of significant digits (tables, notes).

>>> number_text(2.0), number_text(0.1)
('2', '0.1')
>>> readable(-2 / 9), readable(3.01), readable(0.1 + 0.2), readable(-4.082809838298842e15)
('-2/9', '3.01', '3/10', '-4.082809838e+15')
>>> fraction(1 / 720), fraction(0.1 + 1e-9)
(Fraction(1, 720), None)
>>> factor_text(0.3333333333), factor_text(1 / 15), factor_text(1.2345678)
('1/3', '1/15', '1.23457')
>>> significant(-0.0, 6), significant(float("inf"), 6), significant(2 / 3, 3)
('0', 'inf', '0.667')
>>> trusted(0.027495989922340538, known=16, digits=6), trusted(1234.5678, known=3, digits=6)
('0.027496', '1.23e+03')
>>> trusted(float("nan"), known=0, digits=6)
'unknown'
"""

from __future__ import annotations

import math

LIMITS = (16, 1000, 10 ** 6)   # denominators tried in turn: the smallest that matches wins


def number_text(value: float) -> str:
    """2.0 -> '2', 0.5 -> '0.5', 1e-20 -> '1e-20': in a formula, every digit that matters."""
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(float(value))


def fraction(value: float, limits: tuple = LIMITS, rel: float = 1e-13, floor: float = 0.0):
    """The fraction with the smallest denominator (up to each limit in turn) within
    rel * max(floor, |value|) of value, if there is one: 1250000000000/63, not the float's own
    binary fraction. A floor of 1 lets numbers below 1e-12 be 0."""
    from fractions import Fraction  # not at start-up: tables print no fractions

    if value == 0:
        return Fraction(0)
    for limit in limits:
        f = Fraction(value).limit_denominator(limit)
        if abs(float(f) - value) <= rel * max(floor, abs(value)):
            return f
    return None


def fraction_text(f) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def readable(value: float | None) -> str:
    """A coordinate, slope or factor as people write it: 2, -1/9, 0.281."""
    if value is None:
        return "none"
    v = float(value) + 0.0  # no -0
    if not math.isfinite(v):
        return str(v)
    if abs(v) >= 1e9:  # every float this large is a fraction with a small denominator: digits
        return f"{v:.10g}"
    small = fraction(v, (16,), 1e-12, floor=1.0)   # halves, thirds, ...: 3/2, -2/9 as fractions
    if small is not None:
        return fraction_text(small)
    v = float(f"{v:.12g}")  # not the last bits of rounding: -1.0100000000000002 is -1.01
    short = repr(v)
    if len(short) <= 8 and "e" not in short:  # as typed: 3.01, 0.281
        return short
    f = fraction(v, (1000,), 1e-12, floor=1.0)
    # a fraction people write has a short numerator too: -8471762497/908 is a float's accident
    return fraction_text(f) if f is not None and abs(f.numerator) < 10 ** 6 else f"{v:.10g}"


def factor_text(value: float) -> str:
    """A factor found from values at sample points, which carry rounding: a fraction with a
    small denominator (up to 100) when one is within 1e-9, else six digits."""
    f = fraction(value, (16, 100), 1e-9, floor=1.0)
    return fraction_text(f) if f is not None else f"{value:.6g}"


def closed_form(term, size: int = 12) -> str | None:
    """A term without variables as a person writes it, when it is short and exact: `sqrt(2)/2`,
    `-1/3`, `e^2`, `pi/4`; None for a long one or a decimal that is no fraction of a small
    denominator (its digits say more). The caller holds it to the number it stands for.

    >>> from gradcli.symbolic import algebra as A
    >>> closed_form(A.num(-1, 3)), closed_form(A.num(0.7071067811865476))
    ('-1/3', None)
    """
    from . import algebra as A
    from .printer import plain, to_expr

    if A.free_symbols(term) or A.size(term) > size:
        return None
    stack = [term]
    while stack:  # a number inside with many digits (cos(1234567/1000000)) reads worse than the value
        t = stack.pop()
        if A.is_num(t):
            v = A.value(t)
            if isinstance(v, float) or getattr(v, "denominator", 1) > 1000:
                return None
        else:
            stack.extend(a for a in t.args if isinstance(a, A.Term))
    return plain(to_expr(term))


def significant(value: float, digits: int) -> str:
    """value to `digits` significant digits: no -0, nan and inf spelled out."""
    value = float(value) + 0.0
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}"


UNKNOWN = "unknown"   # a number none of whose digits could be vouched for


def trusted(value: float, known: int, digits: int, ball=None) -> str:
    """value to `digits` significant digits, but never more than the `known` ones that are
    right; past a float's digits, from the ball (engine/ball.py's Ball.text), which writes
    only digits it vouches for. A value none of whose digits is known is 'unknown'."""
    if ball is not None and digits > known:
        text = ball.text(digits)
        return UNKNOWN if text is None else text
    if known <= 0 and not (isinstance(value, float) and math.isinf(value)):
        return UNKNOWN if not (value == 0 and known > 0) else "0"
    return significant(value, max(1, min(digits, known)))

"""Random expressions and points for the accuracy tests, with mpmath's truth at 50 digits.

Shared by tests/engine/test_accuracy.py (a fixed few hundred) and tests/stress/accuracy.py
(thousands). Expressions are quotients and compositions whose pieces have a finite radius of
convergence (1/(1+x^2), atan, log, tan, sqrt, 1/x), not only entire functions; points are
ordinary ones and nasty ones (near a piece's pole or zero, 0 for the removable
singularities, large ones). The truth is mpmath's `diffs` at 50 digits (numerical
differentiation at raised working precision: nothing in it is gradcli's).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

# (gradcli text, mpmath function) for a piece applied to an inner expression u
UNARY = [
    ("sin({})", mpmath.sin), ("cos({})", mpmath.cos), ("exp({})", mpmath.exp), ("atan({})", mpmath.atan),
    ("tanh({})", mpmath.tanh), ("log(1 + ({})^2)", lambda u: mpmath.log(1 + u ** 2)),
    ("1/(1 + ({})^2)", lambda u: 1 / (1 + u ** 2)), ("sqrt(2 + ({})^2)", lambda u: mpmath.sqrt(2 + u ** 2)),
    ("sinh({})", mpmath.sinh), ("cosh({})", mpmath.cosh), ("erf({})", mpmath.erf),
]
# pieces with a finite radius that need their argument away from some points: used on x + c
EDGY = [
    ("tan({})", mpmath.tan), ("log({})", mpmath.log), ("sqrt({})", mpmath.sqrt), ("1/({})", lambda u: 1 / u),
    ("atan(1/({}))", lambda u: mpmath.atan(1 / u)),
]
REMOVABLE = [
    ("sin(x)/x", lambda x: mpmath.sinc(x)), ("(1-cos(x))/x^2", lambda x: (1 - mpmath.cos(x)) / x ** 2 if x else
                                             mpmath.mpf(1) / 2),
    ("(exp(x)-1)/x", lambda x: mpmath.expm1(x) / x if x else mpmath.mpf(1)),
    ("x/sin(x)", lambda x: x / mpmath.sin(x) if x else mpmath.mpf(1)),
]


def expression(rng: np.random.Generator, depth: int = 3):
    """(text, mpmath function of x): a random composition, product or quotient."""
    kind = rng.integers(0, 6) if depth > 0 else 5
    if kind == 0:
        text, f = UNARY[rng.integers(len(UNARY))]
        inner, g = expression(rng, depth - 1)
        return text.format(inner), lambda x, f=f, g=g: f(g(x))
    if kind == 1:
        a, fa = expression(rng, depth - 1)
        b, fb = expression(rng, depth - 1)
        return f"({a})*({b})", lambda x: fa(x) * fb(x)
    if kind == 2:
        a, fa = expression(rng, depth - 1)
        b, fb = expression(rng, depth - 1)
        return f"({a})/(2 + ({b})^2)", lambda x: fa(x) / (2 + fb(x) ** 2)
    if kind == 3:
        a, fa = expression(rng, depth - 1)
        b, fb = expression(rng, depth - 1)
        return f"({a}) - ({b})", lambda x: fa(x) - fb(x)
    if kind == 4:
        text, f = EDGY[rng.integers(len(EDGY))]
        c = round(float(rng.uniform(0.5, 3)), 1)
        return text.format(f"x + {c}"), lambda x, f=f, c=c: f(x + mpmath.mpf(str(c)))
    c = round(float(rng.uniform(-2, 2)), 2)
    return (f"{c}*x", lambda x, c=c: mpmath.mpf(str(c)) * x) if rng.random() < 0.5 else ("x", lambda x: x)


def point(rng: np.random.Generator) -> float:
    """An ordinary point, or a nasty one: near a pole or branch point of the edgy pieces
    (x + c near 0), a large one, or one close to 0."""
    kind = rng.integers(0, 4)
    if kind == 0:
        return float(rng.uniform(-2, 2))
    if kind == 1:
        return float(-round(float(rng.uniform(0.5, 3)), 1) + rng.choice([1, -1]) * 10.0 ** -rng.uniform(1, 3))
    if kind == 2:
        return float(rng.choice([1, -1]) * rng.uniform(3, 8))
    return float(rng.choice([1, -1]) * 10.0 ** -rng.uniform(1, 8))


def truth(f, x: float, order: int, dps: int = 50) -> list | None:
    """f^(k)(x), k = 1..order, at `dps` digits (None where mpmath finds no real finite value)."""
    with mpmath.workdps(dps):
        try:
            ds = list(mpmath.diffs(f, mpmath.mpf(x), order))
        except (ZeroDivisionError, ValueError, TypeError):
            return None
        if any(not isinstance(d, mpmath.mpf) or not mpmath.isfinite(d) for d in ds):
            return None
        return ds[1:]


def run(text: str, f, x: float, order: int, dps: int = 50) -> list:
    """The problems gradcli's answer has against the truth: a derivative that claims digits
    it does not have, or a table cell with a wrong digit. mpmath is asked again at twice the
    digits before a case is called wrong, so that its own step size is no suspect."""
    import gradcli

    true = truth(f, x, order, dps)
    if true is None:
        return []
    r = gradcli.evaluate(text, at={"x": x}, order=order)
    values = [float(v) for v in r.derivatives["x"]]
    digits = r.derivative_digits["x"]

    def bad(true):
        return [k for k in range(order) if not trusted_ok(values[k], digits[k], true[k])
                or not printed_ok(values[k], digits[k], true[k])]

    wrong = bad(true)
    if wrong:
        again = truth(f, x, order, 2 * dps)
        wrong = bad(again) if again is not None else []
    return [f"{text} at x = {x!r}, order {k + 1}: {values[k]!r} claims {digits[k]} digits, truth "
            f"{mpmath.nstr(true[k], 20)}" for k in wrong]


def trusted_ok(value: float, digits: int, true) -> bool:
    """A derivative claiming `digits` right significant digits (at most 16 of a float) is
    within 10^-digits of the truth, relative; none claimed, nothing to hold it to."""
    if digits <= 0:
        return True
    if true is None or not mpmath.isfinite(true):
        return False
    if abs(true) < 1e-40:  # 0, as far as 50-digit numerical differentiation can tell
        return abs(value) < 1e-30
    err = abs(mpmath.mpf(value) - true) / abs(true)
    return bool(err <= mpmath.mpf(10) ** (-digits) * 1.01)


def printed_ok(value: float, digits: int, true, precision: int = 6) -> bool:
    """The table's text (precision digits, no more than those known) is the truth rounded,
    to within one unit of its last digit."""
    if digits <= 0 or true is None:
        return True
    shown = min(precision, digits)
    text = f"{value:.{shown}g}"
    if abs(true) < 1e-40:
        return abs(float(text)) < 1e-30
    unit = mpmath.mpf(10) ** (mpmath.floor(mpmath.log10(abs(true))) - shown + 1)
    return bool(abs(mpmath.mpf(text) - true) <= unit)

"""Derivative problems whose right answers are written in equivalent forms, for the checker
fuzz (issue 23): SymPy (a test extra) draws a function, differentiates it, and writes the
derivative expanded, factored, over a common denominator and as SymPy prints it, each with
`exp(u)` or `e^(u)`; the function itself is written either way too. Every such answer is
right, so an INCORRECT verdict is a false one.

Used by tests/homework/test_equivalent_forms.py (a derandomised few hundred) and
tests/stress/equivalent_forms.py (5,000 and more). Nothing here knows gradcli's internals:
problems are plain text, as a student or a teacher would type them.
"""

from __future__ import annotations

import random

import sympy
from sympy.printing.str import StrPrinter

x = sympy.Symbol("x", real=True)

FORMS = ("as printed", "expanded", "factored", "common denominator")


class _Gradcli(StrPrinter):
    """SymPy's text in gradcli's syntax: `^` for powers; with e_power, exp(u) as e^(u)."""

    def __init__(self, e_power: bool):
        super().__init__({"order": "none"})
        self.e_power = e_power

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.as_base_exp()
        if exponent == sympy.Rational(1, 2):
            return f"sqrt({self._print(base)})"
        if exponent == -1:
            return f"1/({self._print(base)})"
        return f"({self._print(base)})^({self._print(exponent)})"

    def _print_Exp1(self, expr):
        return "e"

    def _print_exp(self, expr):
        inner = self._print(expr.args[0])
        return f"e^({inner})" if self.e_power else f"exp({inner})"


def text(expr, e_power: bool) -> str:
    return _Gradcli(e_power).doprint(expr)


def _leaf(rng: random.Random):
    """A small piece: a power of x with a coefficient, or a constant shift."""
    a, n = rng.randint(1, 5), rng.randint(1, 3)
    return rng.choice([a * x ** n, a * x + rng.randint(-3, 3), x ** 2 + rng.randint(1, 4)])


def _unary(rng: random.Random, u):
    k = rng.choice(["sin", "cos", "tan", "exp", "exp", "log", "sqrt", "atan"])
    if k == "log":
        return sympy.log(u ** 2 + 1) if rng.random() < 0.5 else sympy.log(x)
    if k == "sqrt":
        return sympy.sqrt(u ** 2 + rng.randint(1, 4))
    if k == "exp":
        return sympy.exp(rng.choice([1, 2, 3, -1, -2]) * u if rng.random() < 0.6 else u)
    return getattr(sympy, k)(u)


def function(rng: random.Random):
    """A random function of x of a few operations: what textbooks set."""
    pieces = []
    for _ in range(rng.randint(1, 3)):
        u = _leaf(rng)
        pieces.append(_unary(rng, u) if rng.random() < 0.75 else u)
    f = pieces[0]
    for p in pieces[1:]:
        op = rng.choice(["+", "*", "*", "/"])
        if op == "+":
            f = f + p
        elif op == "*":
            f = f * p
        else:
            f = f / (p ** 2 + 1) if rng.random() < 0.5 else f / (x ** 2 + rng.randint(1, 4))
    return f


def forms(d) -> dict:
    """The derivative in each of FORMS (a form SymPy cannot make quickly is left out)."""
    found = {"as printed": d}
    for name, make in (("expanded", sympy.expand), ("factored", sympy.factor), ("common denominator", sympy.together)):
        try:
            found[name] = make(d)
        except Exception:  # noqa: BLE001 - SymPy gives up on some forms; the others stand
            pass
    return found


def problems(count: int, seed: int = 0):
    """(expression, answer, how the answer is written) for `count` problems, the same for a
    seed: each function once, its derivative in each form, with exp and with e^."""
    rng = random.Random(seed)
    made = 0
    while made < count:
        f = function(rng)
        d = sympy.diff(f, x)
        if d == 0 or not d.has(x):
            continue
        f_text = text(f, e_power=rng.random() < 0.5)
        for name, form in forms(d).items():
            for e_power in (False, True):
                if not e_power and not form.has(sympy.exp):
                    continue  # the same text twice
                yield f_text, text(form, e_power), f"{name}, {'e^' if e_power else 'exp'}"
                made += 1
                if made >= count:
                    return

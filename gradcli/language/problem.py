"""Reading a problem's texts (its expression, a student's answer) as the problem sees them.

A problem knows its variables (--wrt, --at, --domain, and the letters its texts use alone),
so `xy` in either text is x*y and `x(x+1)` multiplies (reading.py); an unknown function is
an error with a caret under it. Every command that reads a problem (check, diff, taylor,
plot) reads it here.

>>> single_letters("x e^x", "k(y+1)") == {"x", "k", "y"}
True
>>> read("xy", {"x", "y"})
(x * y)
>>> function_side("f(x) = x^2"), function_side("y = x^2"), function_side("x = cos t, y = sin t")
('x^2', 'x^2', 'x = cos t, y = sin t')
"""

from __future__ import annotations

import re

FUNCTION_NAME = re.compile(r"^([A-Za-z]\w*)\(([A-Za-z]\w*)\)$")   # f(x), y(t): a function named with its variable

from .build import check_calls
from ..engine.errors import about
from .grammar import parse
from .reading import known_variables
from .tree import Expr


def single_letters(*texts) -> set:
    """The one-letter names the texts use on their own (x in `x e^x`, k in `k(y+1)`): with
    --wrt, --at and --domain, the problem's variables, into which other names may split.
    (A letter with no letter, digit or underscore beside it is such a name.)"""
    found = set()
    for text in texts:
        found.update(re.findall(r"(?<![A-Za-z0-9_.])[A-Za-z](?![A-Za-z0-9_])", str(text)))
    return found - {"e"}


def read(text: str, names=()) -> Expr:
    """A problem's expression or answer as a tree, read knowing the problem's variables
    (`names`) and the letters the text uses alone, so `xy` is x*y; an unknown function is an
    error with a caret under it."""
    with known_variables(set(names) | single_letters(text)):
        tree = parse(text)
    with about(text):
        check_calls(tree)
    return tree


def equation_sides(text: str) -> tuple[str | None, str]:
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


def function_side(text: str) -> str:
    """A problem given as `y = x^2` or `f(x) = x^2`: the function's formula. An equation of
    another form (an implicit or parametric curve) is left as it is."""
    left, right = equation_sides(str(text))
    if not left or "," in text:
        return str(text)
    lhs = re.sub(r"\s+", "", left)
    if lhs == "y" or FUNCTION_NAME.match(lhs):
        return right
    return str(text)

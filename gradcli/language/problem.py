"""Reading a problem's texts (its expression, a student's answer) as the problem sees them.

A problem knows its variables (--wrt, --at, --domain, and the letters its texts use alone),
so `xy` in either text is x*y and `x(x+1)` multiplies (reading.py); an unknown function is
an error with a caret under it. Every command that reads a problem (check, diff, taylor,
plot) reads it here.

>>> single_letters("x e^x", "k(y+1)") == {"x", "k", "y"}
True
>>> read("xy", {"x", "y"})
(x * y)
"""

from __future__ import annotations

import re

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

"""The language's errors: text that does not parse, names that mean nothing.

>>> print(ParseError("unexpected '*'", source="2**", pos=2).render())
syntax error at column 3: unexpected '*'
  2**
    ^
"""

from __future__ import annotations

from ..engine.errors import GradcliError


class ParseError(GradcliError):
    kind = "syntax error"


class NameLookupError(GradcliError):
    """Unknown function, or a variable without a value."""

"""Every typed error in one place: the core raises them and never prints; only the commands
turn them into a stderr line and an exit status.

Each layer defines the errors it raises (the engine its base class, shape and autograd
errors; the language syntax and name errors); the core adds bad values and settings.

>>> issubclass(ParseError, GradcliError) and issubclass(ValueInputError, GradcliError)
True
"""

from __future__ import annotations

from .engine.errors import GradcliError, GradError, ShapeError, about
from .language.errors import NameLookupError, ParseError

__all__ = ["about", "GradcliError", "GradError", "NameLookupError", "ParseError", "ShapeError", "ValueInputError"]


class ValueInputError(GradcliError):
    """A value given with --at, --weights, a file or a setting could not be used."""

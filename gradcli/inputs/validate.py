"""The one boundary where settings and names are checked, for the command line, sheets and the
Python API alike, and the defaults they share. Everything here raises ValueInputError (or
NameLookupError) in words a user understands; nothing lets Python's own message through.

>>> whole(3.0, "points", low=1)
3
>>> tolerance("1e-4", "rtol")
0.0001
>>> domain_bounds("x", "0:pi")
(0.0, 3.141592653589793)
>>> whole(1.5, "seed")
Traceback (most recent call last):
...
gradcli.errors.ValueInputError: error: seed must be a whole number, got 1.5
"""

from __future__ import annotations

import math

from ..language.tree import CONSTANTS
from ..errors import NameLookupError, ValueInputError

from ..defaults import ATOL, DOMAIN, MAX_POINTS, POINTS, RTOL, SEED  # noqa: F401  (re-exported)



def _kind(value) -> str:
    return {bool: "true/false", str: "text", dict: "a table", list: "a list"}.get(type(value), type(value).__name__)


def whole(value, what: str, low: int | None = None, high: int | None = None) -> int:
    """A whole number (3, 3.0 or "3"), within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueInputError(f"{what} must be a whole number, got {_kind(value)}")
    try:
        number_ = float(value)
    except ValueError:
        raise ValueInputError(f"{what} must be a whole number, got {value!r}") from None
    if not math.isfinite(number_) or not number_.is_integer():
        raise ValueInputError(f"{what} must be a whole number, got {value}")
    out = int(number_)
    if low is not None and out < low or high is not None and out > high:
        span = f"at least {low}" if high is None else f"between {low} and {high}"
        raise ValueInputError(f"{what} must be {span}, got {out}")
    return out


def number(value, what: str, low: float | None = None, finite: bool = True) -> float:
    """A number (or its text), finite unless allowed otherwise, at least `low`."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueInputError(f"{what} must be a number, got {_kind(value)}")
    try:
        out = float(value)
    except ValueError:
        raise ValueInputError(f"{what} must be a number, got {value!r}") from None
    if finite and not math.isfinite(out):
        raise ValueInputError(f"{what} must be a finite number, got {value}")
    if low is not None and not out >= low:
        raise ValueInputError(f"{what} must be at least {low:g}, got {value}")
    return out


def tolerance(value, what: str) -> float:
    return number(value, what, low=0.0)


def seed(value) -> int:
    return whole(value, "seed", low=0)


def points(value) -> int:
    return whole(value, "points", low=1, high=MAX_POINTS)


def names(value, what: str) -> list[str]:
    """Variable names given as "x,y" or as a list of names."""
    from ..language.reading import canonical_name

    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value]
    else:
        raise ValueInputError(f"{what} must be variable names such as \"x\" or \"x,y\", got {_kind(value)}")
    if not all(items):
        raise ValueInputError(f"{what} needs variable names, as in x or x,y")
    return [canonical_name(v) for v in items]


def not_a_constant(name: str, what: str = "a value") -> None:
    if name in CONSTANTS:
        raise NameLookupError(f"{name} is a constant, not a variable: it cannot be given {what}")


def add_binding(into: dict, name: str, value, where: str = "") -> None:
    """One NAME=VALUE into `into`; a name given twice is an error, never silently the last."""
    from ..language.reading import canonical_name

    name = canonical_name(name)
    not_a_constant(name)
    if name in into:
        raise ValueInputError(f"{name} is given a value twice{where}")
    into[name] = value


def bindings(given, where: str = "", value=None, into: dict | None = None) -> dict:
    """The values a caller pinned, {name: value} or (name, value) pairs, read at this boundary:
    each name spelled as the grammar spells it, no constant, none twice (here or already in
    `into`); `value(name, v)` converts each. Every --at, --start, sheet's at and the Python
    API's at= are read here.

    >>> bindings({"x": 1, "\u03b8": 2})
    {'x': 1, 'theta': 2}
    >>> bindings([("x", 1), ("x", 2)], " with --at")
    Traceback (most recent call last):
    ...
    gradcli.errors.ValueInputError: error: x is given a value twice with --at
    """
    out = {} if into is None else into
    for name, v in (given.items() if isinstance(given, dict) else given or ()):
        add_binding(out, name, v if value is None else value(name, v), where)
    return out


def domain_bounds(name: str, value) -> tuple[float, float]:
    """LO:HI as text, or [LO, HI] as a list; bounds may be constant expressions (pi/2)."""
    from .values import parse_value

    if isinstance(value, str):
        lo, sep, hi = value.partition(":")
        parts = [lo, hi] if sep else None
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        parts = list(value)
    else:
        parts = None
    if parts is None:
        raise ValueInputError(f"the domain of {name} must be LO:HI (or [LO, HI] in a sheet), as in {name}=0:5")
    bounds = []
    for part in parts:
        if isinstance(part, bool):
            raise ValueInputError(f"the domain of {name} must have numbers as bounds, got {_kind(part)}")
        if isinstance(part, (int, float)):
            bounds.append(float(part))
            continue
        arr = parse_value(str(part), what=f"the domain of {name}")
        if arr.ndim != 0:
            raise ValueInputError(f"the domain of {name} must have single numbers as bounds, got {str(part).strip()}")
        bounds.append(float(arr))
    lo, hi = bounds
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueInputError(f"the domain of {name} must have finite LO < HI, got {lo:g}:{hi:g}")
    return lo, hi


def domains(items) -> dict[str, tuple[float, float]]:
    """NAME=LO:HI words (several per word, comma-separated) or a {name: bounds} table."""
    from .values import split_bindings
    from ..language.reading import canonical_name

    out: dict[str, tuple[float, float]] = {}
    pairs = items.items() if isinstance(items, dict) else [p for item in items for p in split_bindings(item)]
    for name, value in pairs:
        name = canonical_name(str(name))
        if name in out:
            raise ValueInputError(f"the domain of {name} is given twice")
        out[name] = domain_bounds(name, value)
    return out


def require_values(variables, values, hint) -> None:
    """Every variable has a value; the error names the first that has none and how to give it."""
    from ..language.reading import reading_hint

    missing = [n for n in variables if n not in values]
    if missing:
        n = missing[0]
        also = f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else ""
        raise NameLookupError(f"no value for variable '{n}'", hint=(reading_hint(n, values) or hint(n)) + also)

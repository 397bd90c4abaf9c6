"""A point's two sides, a hair apart, where one-sided slopes are compared: at a corner (|x|
at 0) they differ, and there is no tangent line and no Taylor polynomial, though the
engine, as PyTorch does, gives a slope there.

>>> corner(-1.0, 1.0), corner(2.0, 2.0000001)
(True, False)

The other scale is the point's own rounding: pi/2 is not a float, and 4 cos(x) there is
2.4e-16, not 0. A slope within what moving the point by its rounding does to it is 0.

>>> import math
>>> slope = lambda x: 4 * math.cos(x)
>>> zero_within(slope(math.pi / 2), rounding_spread(slope, math.pi / 2))
0.0
>>> zero_within(slope(1.5), rounding_spread(slope, 1.5)) == slope(1.5)
True
"""

from __future__ import annotations

import math


def step(x: float) -> float:
    """How far either side of x to look: far beyond rounding, well inside any smooth stretch."""
    return 1e-7 * (1 + abs(x))


def corner(left: float, right: float) -> bool:
    """Slopes on either side that differ by more than a smooth curve's change over the step."""
    left, right = float(left), float(right)
    return (math.isfinite(left) and math.isfinite(right)
            and abs(left - right) > 1e-3 * (1 + max(abs(left), abs(right))))


EPS = 2.220446049250313e-16   # float64's machine epsilon


def rounding_step(x: float) -> float:
    """A few units in the last place of x: how far a point given as pi/2 (or typed as
    1.5707963267948966) may be from the number meant."""
    return 4 * EPS * abs(x)


def rounding_spread(value_at, x: float):
    """How much value_at(x) (a number or an array of them) moves when x moves by its own
    rounding, times a margin of 8: the value's error bound as far as the point's rounding
    goes, which is what makes a slope that should be 0 come out 1e-16. (The value's own
    rounding is relative to it, so it never turns a number into 0.) 0 when x is 0, exact."""
    import numpy as np

    h = rounding_step(x)
    if h == 0:
        return 0.0
    here = np.asarray(value_at(x), dtype=float)
    moved = [np.abs(np.asarray(value_at(x + d), dtype=float) - here) for d in (-h, h)]
    return 8 * np.maximum(*moved)


def zero_within(value: float, bound) -> float:
    """value, or 0.0 when it is 0 up to its error bound."""
    value = float(value)
    return 0.0 if math.isfinite(value) and abs(value) <= float(bound) else value

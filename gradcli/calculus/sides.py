"""A point's two sides, a hair apart, where one-sided slopes are compared: at a corner (|x|
at 0) they differ, and there is no tangent line and no Taylor polynomial, though the
engine, as PyTorch does, gives a slope there.

>>> corner(-1.0, 1.0), corner(2.0, 2.0000001)
(True, False)
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

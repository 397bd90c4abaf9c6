"""An answer against the truth: agreement within the tolerances, and the hint that a wrong
answer only looks rounded. Every check, and diff's self-check, compares here.

>>> close(np.array([1.0, 2.0]), np.array([1.00001, 2.1]), 1e-4, 1e-10).tolist()
[True, False]
>>> rounded_hint("the line", "it is within 1% of the right one")
'the line looks rounded: it is within 1% of the right one; allow it with --rtol 0.01'
>>> rounded_hint("the slope", "(2.99 for 3)")
'the slope looks rounded (2.99 for 3); allow it with --rtol 0.01'
"""

from __future__ import annotations

import numpy as np

ROUNDED = 0.01   # a wrong answer within 1% of the truth looks rounded


def close(a, b, rtol, atol) -> np.ndarray:
    """Agreement within the tolerances; an infinite truth agrees with nothing (rtol * inf
    would let every answer through)."""
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.abs(a - b) <= np.maximum(atol, rtol * np.abs(b))
    return ok & np.isfinite(a) & np.isfinite(b)


def all_close(a, b, rtol, atol) -> bool:
    return bool(np.all(close(a, b, rtol, atol)))


def matches(got, answer, scale, rtol, atol) -> bool:
    """got == answer at every point, where answer was computed as a sum whose terms are as
    large as `scale`: their rounding (1e-16 of it) must not count as a difference."""
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.abs(got - answer) <= np.maximum(np.maximum(atol, rtol * np.abs(answer)), 1e-12 * scale)
    return bool(np.all(ok & np.isfinite(got)))


def rounded_hint(what: str, how: str) -> str:
    """What a verdict says of an answer that is wrong but within ROUNDED of the truth: `how`
    says how close it is, after a colon, or in parentheses when it starts with one."""
    return f"{what} looks rounded{'' if how.startswith('(') else ':'} {how}; allow it with --rtol {ROUNDED}"

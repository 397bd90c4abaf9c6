"""A grid of points, `x=0:1:11,y=-1:1:5`: every combination, numbered without being stored."""

from __future__ import annotations

import numpy as np

from ..values import parse_value, split_bindings
from ...errors import ValueInputError
from .chunks import Chunk, CHUNK, Source


MAX_AXIS = 10**9         # points per variable of a grid


MAX_GRID = 2**62         # points of a grid: beyond, NumPy cannot number them


def grid(specs) -> Source:
    """`x=A:B:N,y=C:D:M`: N points from A to B inclusive for x, M for y, and every pair;
    the first variable varies slowest. Rows are made a chunk at a time, never all at once."""
    axes: dict[str, np.ndarray] = {}
    for spec in [specs] if isinstance(specs, str) else specs:
        for name, text in split_bindings(spec):
            if name in axes:
                raise ValueInputError(f"--grid names {name} twice")
            axes[name] = _axis(name, text)
    if not axes:
        raise ValueInputError("--grid needs at least one NAME=A:B:N")
    names = list(axes)
    shape = tuple(len(a) for a in axes.values())
    count = 1
    for k in shape:
        count *= k
    if count > MAX_GRID:
        raise ValueInputError(f"--grid of {count:,} points: more than can be numbered; narrow it")

    def chunks(src: Source):
        for start in range(0, count, CHUNK):
            stop = min(count, start + CHUNK)
            index = np.unravel_index(np.arange(start, stop), shape)
            src.done = stop
            columns = {n: axes[n][i] for n, i in zip(names, index)}
            yield Chunk(columns, lambda i, columns=columns: ", ".join(f"{n}={columns[n][i]:.17g}" for n in names))

    return Source(names, chunks, count, "rows")


def _axis(name: str, text: str) -> np.ndarray:
    parts = text.split(":")
    if len(parts) != 3:
        raise ValueInputError(f"--grid {name}={text}: write {name}=A:B:N, N points from A to B inclusive")
    a, b = (_finite(parse_value(p, what=f"the grid's {end} for {name}"), name) for p, end in zip(parts, ("start", "end")))
    try:
        count = float(parts[2])  # 1e6 is a whole number too
        n = int(count) if count.is_integer() else 0
    except (ValueError, OverflowError):
        n = 0
    if n < 1:
        raise ValueInputError(f"--grid {name}={text}: N, the number of points, must be a whole number of at least 1")
    if n > MAX_AXIS:
        raise ValueInputError(f"--grid {name}={text}: at most {MAX_AXIS:,} points per variable")
    if not np.isfinite(b - a):
        raise ValueInputError(f"--grid {name}={text}: the span from A to B is beyond floating point")
    return np.linspace(a, b, n)


def _finite(value: np.ndarray, name: str) -> float:
    if value.ndim != 0 or not np.isfinite(value):
        raise ValueInputError(f"--grid {name}: the ends must be finite numbers")
    return float(value)

"""Resource limits: refuse clearly, before allocating, rather than die slowly.

Each limit lives with the layer that enforces it: the grammar's (characters, nesting) in
language/grammar.py, the batched passes' array size in engine/derivatives.py (imported only
when a Jacobian or Hessian is asked for), the matrices' size here.

>>> describe_matrix("Hessian", 20000, 20000)
'the Hessian would be 20000 x 20000 (400,000,000 entries, 3.2 GB)'
"""

from .defaults import MAX_MATRIX_ENTRIES  # noqa: F401  a Jacobian or Hessian (80 MB); --max-entries raises it


def describe_matrix(what: str, rows: int, cols: int) -> str:
    entries = rows * cols
    size = entries * 8
    unit, scaled = next((u, size / f) for u, f in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("bytes", 1))
                        if size >= f or u == "bytes")
    return f"the {what} would be {rows} x {cols} ({entries:,} entries, {scaled:.3g} {unit})"

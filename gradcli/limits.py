"""Resource limits: refuse clearly, before allocating, rather than die slowly.

>>> describe_matrix("Hessian", 20000, 20000)
'the Hessian would be 20000 x 20000 (400,000,000 entries, 3.2 GB)'
"""

MAX_EXPRESSION_CHARS = 2_000_000
MAX_NESTING = 100_000             # brackets open at once
MAX_MATRIX_ENTRIES = 10_000_000   # a Jacobian or Hessian (80 MB); --max-entries raises it
BATCH_ELEMENTS = 4_000_000        # per intermediate array of a batched backward pass (32 MB)


def describe_matrix(what: str, rows: int, cols: int) -> str:
    entries = rows * cols
    size = entries * 8
    unit, scaled = next((u, size / f) for u, f in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("bytes", 1))
                        if size >= f or u == "bytes")
    return f"the {what} would be {rows} x {cols} ({entries:,} entries, {scaled:.3g} {unit})"


def nesting_depth(text: str) -> int:
    """The most brackets open at once ( ( and [ )."""
    depth = deepest = 0
    for ch in text:
        if ch in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]":
            depth -= 1
    return deepest

"""The defaults and bounds every layer shares, in one place with no imports, so that the
command line can show them in --help without loading NumPy. Resource limits refuse clearly,
before allocating, rather than die slowly; each lives with the layer that enforces it (the
grammar's in language/grammar.py, the batched passes' in engine/derivatives.py), the
matrices' here.

>>> RTOL, POINTS, DOMAIN
(0.0001, 20, (-10.0, 10.0))
>>> describe_matrix("Hessian", 20000, 20000)
'the Hessian would be 20000 x 20000 (400,000,000 entries, 3.2 GB)'
"""

RTOL = 1e-4            # check: relative tolerance, WeBWorK's
ATOL = 1e-10           # check: absolute tolerance near zero
POINTS = 20            # check: sample points
MAX_POINTS = 10_000
SEED = 2024            # check: fixed and printed, so every verdict can be reproduced
DOMAIN = (-10.0, 10.0)
CHECK_TOL = 1e-5       # eval --check-grad
MAX_ORDER = 1000       # eval --order (Taylor mode: one pass for all)
MAX_DIGITS = 1000      # eval --order --digits: significant digits (the ball pass goes to about 4,900)
MAX_MATRIX_ENTRIES = 10_000_000   # a Jacobian or Hessian (80 MB); --max-entries raises it
METHODS = ("sgd", "momentum", "adam", "newton")


def describe_matrix(what: str, rows: int, cols: int) -> str:
    entries = rows * cols
    size = entries * 8
    unit, scaled = next((u, size / f) for u, f in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("bytes", 1))
                        if size >= f or u == "bytes")
    return f"the {what} would be {rows} x {cols} ({entries:,} entries, {scaled:.3g} {unit})"

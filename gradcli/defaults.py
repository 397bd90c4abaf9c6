"""The defaults and bounds every layer shares, in one place with no imports, so that the
command line can show them in --help without loading NumPy.

>>> RTOL, POINTS, DOMAIN
(0.0001, 20, (-10.0, 10.0))
"""

RTOL = 1e-4            # check: relative tolerance, WeBWorK's
ATOL = 1e-10           # check: absolute tolerance near zero
POINTS = 20            # check: sample points
MAX_POINTS = 10_000
SEED = 2024            # check: fixed and printed, so every verdict can be reproduced
DOMAIN = (-10.0, 10.0)
CHECK_TOL = 1e-5       # eval --check-grad
MAX_ORDER = 1000       # eval --order (Taylor mode: one pass for all)
MAX_MATRIX_ENTRIES = 10_000_000   # a Jacobian or Hessian (80 MB); --max-entries raises it
METHODS = ("sgd", "momentum", "adam", "newton")

"""Run the property checks of tests/properties.py on as many random expressions as asked.

    python tests/stress/properties.py [--examples 100000] [--which scalar tensor]

Unlike CI (derandomised), each run draws new examples. Prints how many passed and how many
were rejected as unsafe, and on a failure the counterexample Hypothesis shrank. Exits 1 if
any property fails.
"""

import argparse
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import properties as p  # noqa: E402


def run(which: str, examples: int) -> bool:
    counted = {"checked": 0}
    opts = settings(max_examples=examples, deadline=None, database=None, print_blob=True,
                    suppress_health_check=list(HealthCheck))

    if which == "scalar":
        @opts
        @given(p.scalar_expressions, p.points)
        def prop(expr, point):
            counted["checked"] += 1
            p.check_against_sympy(expr, point)
    else:
        @opts
        @given(p.tensor_expressions, p.tensor_values, st.integers(0, 2**32 - 1))
        def prop(expr, values, seed):
            counted["checked"] += 1
            p.check_tensor_properties(expr, values, seed)

    began = time.perf_counter()
    try:
        prop()
        ok = True
    except Exception:
        ok = False
        traceback.print_exc()
    print(f"{which}: {'no counterexample' if ok else 'COUNTEREXAMPLE above (shrunk)'}; "
          f"{counted['checked']} expressions tried (those rejected as unsafe included) in "
          f"{time.perf_counter() - began:.0f}s, asked for {examples} valid ones")
    return ok


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=100000)
    ap.add_argument("--which", nargs="+", default=["scalar", "tensor"], choices=["scalar", "tensor"])
    args = ap.parse_args()
    results = [run(w, args.examples) for w in args.which]
    sys.exit(0 if all(results) else 1)

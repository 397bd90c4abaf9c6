"""The differential test at full size: random expressions (quotients and compositions whose
pieces have a finite radius), ordinary and nasty points, orders 1-40, against mpmath at 50
digits. No derivative may claim a digit it does not have, and no table cell may print one.

    python tests/stress/accuracy.py [COUNT] [SEED]     (default 2,000 expressions, seed 23)

The normal suite runs a fixed few hundred of the same (tests/engine/test_accuracy.py).
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import numpy as np  # noqa: E402

from engine.accuracy_cases import REMOVABLE, expression, point, run  # noqa: E402


def main(count: int = 2000, seed: int = 23) -> int:
    rng = np.random.default_rng(seed)
    started, problems, samples = time.time(), [], 0
    for i in range(count):
        text, f = expression(rng)
        for _ in range(int(rng.integers(1, 4))):  # a few points each
            x, order = point(rng), int(rng.integers(1, 41))
            samples += 1
            problems += run(text, f, x, order)
    for text, f in REMOVABLE:  # at 0 and a hair from it
        for x in (0.0, 1e-9, -1e-5, 1.0):
            samples += 1
            problems += run(text, f, x, 40)
    for p in problems:
        print(p)
    print(f"{count} expressions, {samples} samples, {len(problems)} problems, {time.time() - started:.0f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:3])))

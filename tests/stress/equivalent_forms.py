"""The checker fuzz of issue 23: derivative problems whose right answers are written in
equivalent forms (tests/homework/equivalent.py, made with SymPy: exp against e^, expanded,
factored, over a common denominator), checked at the default domains. Every answer is
right, so every INCORRECT is a false one.

    python tests/stress/equivalent_forms.py [--count 5000] [--seed 0]

Prints how many were checked, how many were judged CORRECT, INCORRECT (false) or refused
with an error, and the command that shows each false INCORRECT. Exits 1 if there is any.
"""

import argparse
import os
import shlex
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "homework"))

from equivalent import problems  # noqa: E402

from gradcli.errors import GradcliError  # noqa: E402
from gradcli.homework.derivative import check  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    counts = {"correct": 0, "incorrect": 0, "refused": 0}
    wrong, refused = [], []
    for expr, answer, how in problems(args.count, args.seed):
        try:
            verdict = check(expr, "x", answer).verdict
        except GradcliError as exc:
            counts["refused"] += 1
            refused.append((expr, answer, how, exc.message))
            continue
        counts[verdict] += 1
        if verdict == "incorrect":
            wrong.append((expr, answer, how))
    total = sum(counts.values())
    print(f"{total} problems in {time.perf_counter() - start:.0f} s: {counts['correct']} correct, "
          f"{counts['incorrect']} false INCORRECT, {counts['refused']} refused")
    for expr, answer, how in wrong:
        print(f"false INCORRECT ({how}): gradcli check {shlex.quote(expr)} --answer {shlex.quote(answer)}")
    for expr, answer, how, why in refused:
        print(f"refused ({how}): gradcli check {shlex.quote(expr)} --answer {shlex.quote(answer)}: {why}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())

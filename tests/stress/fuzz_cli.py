"""Fuzz the CLI with as many random command lines as asked, and report.

    python tests/stress/fuzz_cli.py [--cases 100000] [--seed 1]

Runs in-process with Click's test runner; prints the count of each exit status and every
broken rule (see tests/fuzzing.py: exit 0, 1 or 2, a message on stderr when not 0, strict
JSON from --json, never a traceback, nothing on stdout for bad input). Exits 1 if any.
"""

import argparse
import collections
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from click.testing import CliRunner  # noqa: E402

from fuzzing import command, violations  # noqa: E402
from gradcli.commands.group import main  # noqa: E402


def run(cases: int, seed: int) -> int:
    runner, rng = CliRunner(), random.Random(seed)
    codes, failures = collections.Counter(), []
    began = time.perf_counter()
    for i in range(cases):
        args = command(rng)
        try:
            res = runner.invoke(main, args, catch_exceptions=False)
        except Exception as exc:
            failures.append((args, f"exception {type(exc).__name__}: {exc}"))
            continue
        codes[res.exit_code] += 1
        failures += [(args, w) for w in violations(args, res.exit_code, res.stdout, res.stderr)]
        if (i + 1) % 10000 == 0:
            print(f"  {i + 1} cases, {len(failures)} failures, {time.perf_counter() - began:.0f}s", flush=True)
    print(f"{cases} cases in {time.perf_counter() - began:.0f}s (seed {seed}); exit statuses: "
          + ", ".join(f"{code}: {n}" for code, n in sorted(codes.items())))
    print(f"{len(failures)} broken rules")
    for args, wrong in failures[:20]:
        print(f"  {args!r}: {wrong}")
    return 1 if failures else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sys.exit(run(args.cases, args.seed))

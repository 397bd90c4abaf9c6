"""Accuracy benchmark (issue 23): whole processes of `gradcli eval ... --order N --json`.

    python tests/bench/accuracy.py [--runs 7]

Goals: where float64 can vouch for its digits, --order 40 costs at most 1.2x --order 1 (the
error estimate is two more nudged float passes, and flint is not loaded); where precision
must be raised (issue 23's cases), each whole process under 1 s. Medians of interleaved runs,
as ratios measured in the same run.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time

FLOAT = [("sin(x)", "1"), ("1/(1+x^2)", "0.3"), ("exp(-x^2)", "0.5"), ("atan(x)*cos(x)", "0.7")]
RAISED = [("sin(x)/x", "1", 20), ("sin(x)/x", "3", 40), ("cos(sqrt(x))", "2", 40), ("atan(1/x)", "-0.3", 30),
          ("(1-cos(x))/x^2", "1", 15), ("x/(e^x-1)", "1", 20), ("sin(x)/x", "0", 4)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    exe = shutil.which("gradcli") or sys.exit("gradcli is not installed")
    commands = {}
    for expr, x in FLOAT:
        for n in (1, 40):
            commands[(expr, x, n)] = [exe, "eval", expr, "-a", f"x={x}", "--order", str(n), "--json"]
    for expr, x, n in RAISED:
        commands[(expr, x, n)] = [exe, "eval", expr, "-a", f"x={x}", "--order", str(n), "--json"]
    times = {k: [] for k in commands}
    digits = {}
    for _ in range(args.runs):
        for k, cmd in commands.items():
            began = time.perf_counter()
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            times[k].append(time.perf_counter() - began)
            digits[k] = min(json.loads(out)["derivative_digits"]["x"])
    print(f"{'command':44} {'median':>9} {'ratio':>7}  least digits")
    for expr, x in FLOAT:
        one, forty = (statistics.median(times[(expr, x, n)]) for n in (1, 40))
        print(f"{expr + ' at ' + x + ', --order 1':44} {one * 1000:7.1f}ms")
        print(f"{expr + ' at ' + x + ', --order 40':44} {forty * 1000:7.1f}ms {forty / one:6.2f}x  "
              f"{digits[(expr, x, 40)]}")
    for expr, x, n in RAISED:
        med = statistics.median(times[(expr, x, n)])
        print(f"{expr + ' at ' + x + f', --order {n}':44} {med * 1000:7.1f}ms {'':7}  {digits[(expr, x, n)]}")


if __name__ == "__main__":
    main()

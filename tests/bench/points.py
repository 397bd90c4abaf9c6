"""Many points (issue 15): `gradcli eval --points FILE --csv` against a hand-written NumPy script
doing the same (np.loadtxt, f and its gradient by hand, np.savetxt with %.17g), whole
processes, and against a shell loop calling `gradcli eval` once a point.

    python tests/bench/points.py [--runs 5] [--loop 40]

Run it against an installed (non-editable) gradcli. Runs are interleaved so machine noise
hits both alike; figures are ratios of medians measured in the same run. The shell loop is
timed over --loop calls and scaled to 10,000 points. Peak memory is the child's maximum
resident set size (ru_maxrss). Goals: 200,000 and 2,000,000 points at most 1.5x NumPy;
2,000,000 points under 400 MB; 10,000 points at least 1,000x faster than the loop.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

EXPR = "x**2*y + sin(y)"
NUMPY = """
import sys
import numpy as np
d = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, ndmin=2)
x, y = d[:, 0], d[:, 1]
out = np.column_stack([x, y, x**2*y + np.sin(y), 2*x*y, x**2 + np.cos(y)])
np.savetxt(sys.stdout, out, delimiter=",", fmt="%.17g", header="x,y,f,df/dx,df/dy", comments="")
"""
PEAK = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); " \
       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def make_points(path: str, n: int) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    np.savetxt(path, np.column_stack([rng.uniform(-2, 2, n), rng.uniform(0.5, 3, n)]), delimiter=",",
               fmt="%.17g", header="x,y", comments="")


def timed(cmd) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def peak_mb(cmd) -> float:
    out = subprocess.run([sys.executable, "-c", PEAK, *cmd], capture_output=True, text=True, check=True).stdout
    return int(out) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--loop", type=int, default=40, help="shell-loop calls timed (scaled to 10,000)")
    args = ap.parse_args()
    exe = shutil.which("gradcli")
    if not exe:
        sys.exit("gradcli is not installed")
    tmp = tempfile.mkdtemp()
    script = os.path.join(tmp, "by_hand.py")
    with open(script, "w") as f:
        f.write(NUMPY)
    print(f"| points | gradcli --points --csv | NumPy by hand | ratio | gradcli peak memory | NumPy peak memory |")
    print("|---|---|---|---|---|---|")
    for n in (10_000, 200_000, 2_000_000):
        path = os.path.join(tmp, f"p{n}.csv")
        make_points(path, n)
        ours_cmd = [exe, "eval", EXPR, "--points", path, "--csv"]
        base_cmd = [sys.executable, script, path]
        ours, base = [], []
        for _ in range(args.runs if n < 2_000_000 else max(1, args.runs // 2)):
            ours.append(timed(ours_cmd))
            base.append(timed(base_cmd))
        o, b = statistics.median(ours), statistics.median(base)
        print(f"| {n:,} | {o:.2f} s | {b:.2f} s | {o / b:.2f}x | {peak_mb(ours_cmd):.0f} MB | "
              f"{peak_mb(base_cmd):.0f} MB |", flush=True)
        if n == 10_000:
            ten_k = o
    loop = os.path.join(tmp, "loop.sh")
    with open(loop, "w") as f:
        f.write(f"tail -n +2 {os.path.join(tmp, 'p10000.csv')} | head -n {args.loop} | "
                f"while IFS=, read x y; do {exe} eval '{EXPR}' -a x=$x,y=$y --json; done\n")
    per_call = timed(["sh", loop]) / args.loop
    print(f"\nshell loop: {per_call * 1000:.0f} ms a call, so 10,000 points take {per_call * 10_000:.0f} s; "
          f"--points takes {ten_k:.2f} s: {per_call * 10_000 / ten_k:,.0f}x faster")


if __name__ == "__main__":
    main()

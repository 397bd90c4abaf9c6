"""Taylor-mode benchmark: `gradcli eval ... --order N`, whole processes, against `python -c
"import numpy"` and `--order 1`, and SymPy's diff of the same expression where the running
Python (or --sympy-python) has SymPy.

    python tests/bench/taylor.py [--runs 7] [--sympy-python PYTHON] [--old-gradcli PATH]

Run it against an installed (non-editable) gradcli. --old-gradcli names the executable of an
older install (nested reverse mode, orders up to 20) for the before/after column. Goals
(issue 18): --order 40 at most 1.2x --order 1; --order 1000 under 1 s. Figures are medians
of interleaved runs, as ratios to the numpy baseline measured in the same run.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import time

EXPR = "sin(x)*exp(x)/(1+x^2)"
SYMPY = ("import sympy; x = sympy.Symbol('x'); f = sympy.sin(x)*sympy.exp(x)/(1+x**2); "
         "print(sympy.diff(f, x, {n}).subs(x, sympy.Rational(1, 2)).evalf())")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--sympy-python", default=sys.executable)
    ap.add_argument("--old-gradcli", default=None)
    args = ap.parse_args()
    exe = shutil.which("gradcli")
    if not exe:
        sys.exit("gradcli is not installed")
    commands = {"python -c 'import numpy' (baseline)": [sys.executable, "-c", "import numpy"]}
    for n in (1, 4, 12, 40, 1000):
        commands[f"gradcli --order {n}"] = [exe, "eval", EXPR, "-a", "x=0.5", "--order", str(n), "--json"]
    if args.old_gradcli:
        for n in (4, 8, 10):
            commands[f"old gradcli (nested reverse) --order {n}"] = [args.old_gradcli, "eval", EXPR, "-a", "x=0.5",
                                                                    "--order", str(n), "--json"]
    if subprocess.run([args.sympy_python, "-c", "import sympy"], capture_output=True).returncode == 0:
        for n in (12, 40):
            commands[f"SymPy diff(f, x, {n})"] = [args.sympy_python, "-c", SYMPY.format(n=n)]
    times = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            began = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - began)
    base = statistics.median(times["python -c 'import numpy' (baseline)"])
    one = statistics.median(times["gradcli --order 1"])
    print(f"{'command':44} {'median':>9} {'/numpy':>7} {'/order 1':>9}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:44} {med * 1000:7.1f}ms {med / base:6.2f}x {med / one:8.2f}x")
    print("quoted (issue 18, 2026-12, same machine class): JAX jet --order 12: 2.2 s, --order 40: 16 s")


if __name__ == "__main__":
    main()

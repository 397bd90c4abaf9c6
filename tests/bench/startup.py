"""Start-up benchmark: whole `gradcli eval` processes against `python -c "import numpy"`.

Run it against an installed (non-editable) gradcli, since only installed files have
precompiled bytecode:  python tests/bench/startup.py [--runs 10]

Every command runs --runs times, interleaved so that machine noise hits all alike; the
figures are ratios of medians to the numpy baseline measured in the same run. Goals (issue
5): JSON output at most 1.2x, table output at most 1.4x. stack_floor.py is the least a
command on our libraries can cost (Click, the generated Lark parser, NumPy, json or rich);
the bench prints how much gradcli adds above it.

`gradcli diff` of a textbook expression (issue 14) should cost no more than `gradcli eval`
of it, whole process; SymPy's diff of the same (when the running Python has SymPy, or
--sympy-python names one that does) is the comparison users know.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

EXPR = ["eval", "a*x**2+b*x+c", "-a", "a=1,b=-2,c=1,x=0"]
TEXTBOOK = "x^2 sin(x)"   # a product rule, as a student types it
SYMPY = "import sympy; x = sympy.Symbol('x'); print(sympy.diff(x**2*sympy.sin(x), x))"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--sympy-python", default=sys.executable, help="a Python that has SymPy")
    args = ap.parse_args()
    exe = shutil.which("gradcli")
    if not exe:
        sys.exit("gradcli is not installed")
    floor = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "stack_floor.py"), *EXPR[1:]]
    commands = {
        "python -c 'import numpy' (baseline)": [sys.executable, "-c", "import numpy"],
        "python -c 'import numpy, lark, rich, click'": [sys.executable, "-c", "import numpy, lark, rich.table, click"],
        # what no JSON run can avoid importing
        "python -c 'import numpy, click, json'": [sys.executable, "-c", "import numpy, click, json"],
        # the least a command on our libraries costs: Click + our Lark parser + NumPy + output
        "stack floor, JSON (stack_floor.py)": [*floor, "--json"],
        "stack floor, table (stack_floor.py)": floor,
        "gradcli eval ... --json": [exe, *EXPR, "--json"],
        "gradcli eval ... (table)": [exe, *EXPR],
        f"gradcli eval '{TEXTBOOK}' -a x=1 --json": [exe, "eval", TEXTBOOK, "-a", "x=1", "--json"],
        f"gradcli diff '{TEXTBOOK}'": [exe, "diff", TEXTBOOK],
        f"gradcli diff '{TEXTBOOK}' --json": [exe, "diff", TEXTBOOK, "--json"],
    }
    if subprocess.run([args.sympy_python, "-c", "import sympy"], capture_output=True).returncode == 0:
        commands["python -c 'import sympy; sympy.diff(...)'"] = [args.sympy_python, "-c", SYMPY]
    else:
        print("(no SymPy in", args.sympy_python, "- give --sympy-python to compare with it)")
    times = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            began = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - began)
    base = statistics.median(times["python -c 'import numpy' (baseline)"])
    print(f"{'command':48} {'median':>9} {'ratio':>7}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:48} {med * 1000:7.1f}ms {med / base:6.2f}x")
    for kind, floor_name in (("--json", "stack floor, JSON (stack_floor.py)"), ("(table)", "stack floor, table (stack_floor.py)")):
        ours = statistics.median(times[f"gradcli eval ... {kind}"]) - statistics.median(times[floor_name])
        print(f"gradcli {kind} above its stack floor: {ours * 1000:+.1f}ms ({ours / base:+.2f}x)")
    evaluated = statistics.median(times[f"gradcli eval '{TEXTBOOK}' -a x=1 --json"])
    for name in (f"gradcli diff '{TEXTBOOK}'", f"gradcli diff '{TEXTBOOK}' --json"):
        print(f"{name} / gradcli eval of it: {statistics.median(times[name]) / evaluated:.2f}x")

    # What the JSON path imports, heaviest first (python -X importtime).
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c",
                           "import sys; from gradcli.commands.group import main; sys.argv=['gradcli', *%r, '--json']; "
                           "main(standalone_mode=False)" % EXPR], capture_output=True, text=True,
                          cwd=tempfile.gettempdir())  # not the source tree: the installed package
    rows = []  # (cumulative microseconds, name as printed: one space of indent per nesting level)
    for line in proc.stderr.splitlines():
        if line.startswith("import time:"):
            self_us, cumulative, name = line[len("import time:"):].split("|")
            if self_us.strip().isdigit():
                rows.append((int(cumulative), name[1:]))
    top = sorted((r for r in rows if not r[1].startswith(" ")), reverse=True)[:8]
    print("\nheaviest top-level imports of `gradcli eval --json` (cumulative):")
    for cumulative, name in top:
        print(f"  {cumulative / 1000:7.1f}ms  {name}")
    loaded = {name.strip() for _, name in rows}
    print("rich imported in JSON mode:", "yes (should not be)" if "rich" in loaded else "no")


if __name__ == "__main__":
    main()

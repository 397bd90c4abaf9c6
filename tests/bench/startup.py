"""Start-up benchmark: whole `gradcli eval` processes against `python -c "import numpy"`.

Run it against an installed (non-editable) gradcli, since only installed files have
precompiled bytecode:  python tests/bench/startup.py [--runs 10]

Every command runs --runs times, interleaved so that machine noise hits all alike; the
figures are ratios of medians to the numpy baseline measured in the same run. Goals (issue
24), each the median of the ratios within a round: `gradcli eval ... --json` at most 1.15x
`python -c "import numpy, click, json"`, and the table at most 1.15x `python -c "import numpy,
click, rich"` (what a table needs), both printed at the end. stack_floor.py is the least a
command on our libraries can cost (Click, the generated Lark parser, NumPy, json or rich);
the bench prints how much gradcli adds above it.

`gradcli diff` of a textbook expression (issue 14) should cost no more than `gradcli eval`
of it, whole process; SymPy's diff of the same (when the running Python has SymPy, or
--sympy-python names one that does) is the comparison users know.

`gradcli plot` of an expression in a terminal (issue 16) should cost at most 1.5x `gradcli
eval` of it; the plot runs with a pseudo-terminal as its stdout, so it draws in colour as a
user sees it, and in a pipe too.
"""

import argparse
import os
import pty
import threading
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

EXPR = ["eval", "a*x**2+b*x+c", "-a", "a=1,b=-2,c=1,x=0"]
TEXTBOOK = "x^2 sin(x)"   # a product rule, as a student types it
PLOTTED = "x^3 - 3x"
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
        # what no table can avoid importing
        "python -c 'import numpy, click, rich'": [sys.executable, "-c",
                                                  "import numpy, click, rich.console, rich.table"],
        # the least a command on our libraries costs: Click + our Lark parser + NumPy + output
        "stack floor, JSON (stack_floor.py)": [*floor, "--json"],
        "stack floor, table (stack_floor.py)": floor,
        "gradcli eval ... --json": [exe, *EXPR, "--json"],
        "gradcli eval ... (table)": [exe, *EXPR],
        f"gradcli eval '{TEXTBOOK}' -a x=1 --json": [exe, "eval", TEXTBOOK, "-a", "x=1", "--json"],
        f"gradcli diff '{TEXTBOOK}'": [exe, "diff", TEXTBOOK],
        f"gradcli diff '{TEXTBOOK}' --json": [exe, "diff", TEXTBOOK, "--json"],
        f"gradcli eval '{PLOTTED}' -a x=1 (table)": [exe, "eval", PLOTTED, "-a", "x=1"],
        f"gradcli plot '{PLOTTED}' (terminal)": [exe, "plot", PLOTTED],
        f"gradcli plot '{PLOTTED}' (pipe)": [exe, "plot", PLOTTED],
    }
    at_terminal = {f"gradcli plot '{PLOTTED}' (terminal)"}
    if subprocess.run([args.sympy_python, "-c", "import sympy"], capture_output=True).returncode == 0:
        commands["python -c 'import sympy; sympy.diff(...)'"] = [args.sympy_python, "-c", SYMPY]
    else:
        print("(no SymPy in", args.sympy_python, "- give --sympy-python to compare with it)")
    times = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            began = time.perf_counter()
            if name in at_terminal:
                in_terminal(cmd)
            else:
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
    for ours, floor_name in (("gradcli eval ... --json", "python -c 'import numpy, click, json'"),
                             ("gradcli eval ... (table)", "python -c 'import numpy, click, rich'")):
        pairs = statistics.median(a / b for a, b in zip(times[ours], times[floor_name]))
        print(f"{ours} / {floor_name}: {pairs:.2f}x, median of {args.runs} paired rounds (goal: at most 1.15x)")
    evaluated = statistics.median(times[f"gradcli eval '{TEXTBOOK}' -a x=1 --json"])
    for name in (f"gradcli diff '{TEXTBOOK}'", f"gradcli diff '{TEXTBOOK}' --json"):
        print(f"{name} / gradcli eval of it: {statistics.median(times[name]) / evaluated:.2f}x")

    evaluated = statistics.median(times[f"gradcli eval '{PLOTTED}' -a x=1 (table)"])
    for name in (f"gradcli plot '{PLOTTED}' (terminal)", f"gradcli plot '{PLOTTED}' (pipe)"):
        print(f"{name} / gradcli eval of it: {statistics.median(times[name]) / evaluated:.2f}x (goal: at most 1.5x)")

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


def in_terminal(cmd):
    """Run cmd with a pseudo-terminal of 80x24 as its stdout, reading all it draws."""
    main_fd, child_fd = pty.openpty()
    reader = threading.Thread(target=_drain, args=(main_fd,), daemon=True)
    reader.start()
    env = {**os.environ, "COLUMNS": "80", "LINES": "24"}
    try:
        subprocess.run(cmd, stdout=child_fd, stderr=subprocess.DEVNULL, check=True, env=env)
    finally:
        os.close(child_fd)
        reader.join(timeout=5)
        os.close(main_fd)


def _drain(fd):
    try:
        while os.read(fd, 65536):
            pass
    except OSError:  # the terminal closed: all is read
        pass


if __name__ == "__main__":
    main()

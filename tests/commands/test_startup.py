"""What a run imports: start-up is spent on imports, so each command loads only what it uses.

How long start-up takes is measured by tests/bench/startup.py, never here; these tests pin
down which modules load, which does not depend on the machine.
"""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Run the CLI in a fresh interpreter and report every module it loaded.
PROBE = """
import contextlib, io, json, sys
from gradcli.commands.group import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:], standalone_mode=False)
    except SystemExit:
        pass
sys.stderr.write(json.dumps(sorted(sys.modules)))
"""


def loaded(*args):
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT)
    return set(json.loads(proc.stderr))


EVAL = ["eval", "a*x**2+b*x+c", "-a", "a=1,b=-2,c=1,x=0"]


def test_json_output_loads_neither_rich_nor_the_lark_library_nor_the_derivatives_module():
    mods = loaded(*EVAL, "--json")
    assert {"numpy", "gradcli.language._parser", "gradcli.evaluation"} <= mods
    unwanted = {"rich", "lark", "logging", "difflib", "base64", "gradcli.engine.derivatives", "gradcli.engine.sparsity",
                "uniplot", "matplotlib", "gradcli.calculus.sketch"}
    assert not mods & unwanted


def test_a_table_loads_rich():
    mods = loaded(*EVAL)
    assert {"rich.table", "rich.console"} <= mods
    assert not mods & {"uniplot", "matplotlib", "gradcli.calculus.sketch", "gradcli.commands.figure"}


def test_a_plot_loads_uniplot_but_neither_rich_nor_matplotlib():
    mods = loaded("plot", "x^3 - 3x")
    assert {"uniplot", "gradcli.calculus.sketch"} <= mods
    assert not mods & {"rich", "matplotlib"}


def test_an_ordinary_eval_and_an_order_float64_can_vouch_for_do_not_load_flint():
    # the ball pass (Arb) costs start-up: it loads only when a float cannot vouch for its digits
    assert not {m for m in loaded(*EVAL) if m.startswith("flint")}
    assert not {m for m in loaded("eval", "sin(x)", "-a", "x=1", "--order", "40", "--json")
                if m.startswith("flint") or m == "gradcli.engine.ball"}


def test_an_order_float64_cannot_vouch_for_loads_the_ball_pass():
    mods = loaded("eval", "sin(x)/x", "-a", "x=1", "--order", "20", "--json")
    assert {"flint", "gradcli.engine.ball"} <= mods


def test_a_hessian_loads_the_derivatives_module():
    assert "gradcli.engine.derivatives" in loaded(*EVAL, "--hessian", "--json")


@pytest.mark.parametrize("args", [["--help"], ["eval", "--help"], ["minimize", "--help"], ["plot", "--help"],
                                  ["--version"]])
def test_help_and_version_load_neither_numpy_nor_the_parser(args):
    mods = loaded(*args)
    assert "click" in mods
    assert not mods & {"numpy", "rich", "gradcli.language._parser", "lark", "uniplot", "matplotlib"}

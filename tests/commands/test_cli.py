"""`gradcli eval` as users and scripts meet it: options, output, files, errors."""

import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from gradcli import __version__
from outcomes import bad, ok


def test_table_output(run):
    res = ok(run("eval", "a*x**2 + b*x + c", "-a", "a=1,b=-2,c=1,x=0", "-g", "x", "--hessian", "--order", "2"))
    out = res.stdout
    assert "\x1b[" not in out                              # no colour codes into a pipe
    assert "(((a * (x ** 2)) + (b * x)) + c)" in out      # how the expression was read
    for title in ("Values", "Gradient", "Hessian", "Derivatives with respect to x"):
        assert title in out
    assert "-2" in out


def test_tables_show_brackets_as_typed(run):
    # rich would read `[x, y]` and `[a]` as markup tags and drop them from the table
    out = ok(run("eval", "[x, y]", "sum(w[a])", "-a", "x=1,y=2,w=[1,2],a=0", "--no-grad")).stdout
    assert "[x, y]" in out and "sum(w[a])" in out


@pytest.mark.parametrize("words,expected", [
    ("gradcli eval x -a ", []),                      # a free-form value: nothing to offer, and no error
    ("gradcli minimize x -s x=1 -m ", ["sgd", "momentum", "adam", "newton"]),
    ("gradcli eval x -a x=1 --pre", ["--precision"]),
])
def test_shell_completion_of_unfinished_lines(words, expected):
    from click.testing import CliRunner

    from gradcli.commands.group import main

    cword = len(words.split()) - (not words.endswith(" "))  # the index of the word being typed
    env = {"_GRADCLI_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    res = CliRunner().invoke(main, [], env=env, prog_name="gradcli")
    assert res.exit_code == 0 and res.exception is None, res.output
    assert [line.split(",", 1)[1] for line in res.output.splitlines() if line] == expected


def test_json_is_strict_and_has_only_asked_keys(run):
    res = ok(run("eval", "log(x)", "1/y", "-a", "x=-1,y=0", "--json"))
    data = json.loads(res.stdout, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))
    assert data["values"] == ["NaN", "Infinity"]
    assert set(data) == {"expressions", "values", "grad", "per_output_grad", "warnings"}
    assert "log at column 1" in res.stderr and "'/' at column 2" in res.stderr
    assert res.stdout.count("\n") == 1


def test_no_grad_gives_values_only(run):
    data = json.loads(ok(run("eval", "x**2", "-a", "x=3", "--no-grad", "--json")).stdout)
    assert data == {"expressions": ["x**2"], "values": [9.0]}


def test_jacobian_and_hessian_json(run):
    data = json.loads(ok(run("eval", "[x**2, x*y]", "-a", "x=1,y=2", "--jacobian", "--json")).stdout)
    assert data["jacobian"] == {"rows": ["f[0]", "f[1]"], "cols": ["x", "y"], "matrix": [[2.0, 0.0], [2.0, 1.0]]}
    assert "grad" not in data                             # no weights: only the Jacobian
    data = json.loads(ok(run("eval", "sum(w**2)*x", "-a", "w=[[1,2],[3,4]],x=2", "--hessian", "--json")).stdout)
    assert data["hessian"]["labels"] == ["w[0,0]", "w[0,1]", "w[1,0]", "w[1,1]", "x"]
    expected = np.zeros((5, 5))
    expected[:4, :4] = 4 * np.eye(4)
    expected[:4, 4] = expected[4, :4] = [2, 4, 6, 8]
    assert data["hessian"]["matrix"] == expected.tolist()


def test_grad_chooses_variables(run):
    data = json.loads(ok(run("eval", "x*y", "-a", "x=2,y=3", "--grad", "y", "--json")).stdout)
    assert data["grad"] == {"y": 2.0}


def test_expression_may_start_with_a_dash(run):
    data = json.loads(ok(run("eval", "-x**2", "-a", "x=3", "--json")).stdout)
    assert data["values"] == [-9.0] and data["grad"] == {"x": -6.0}
    data = json.loads(ok(run("eval", "-w*x", "-ax=2", "-a", "w=3", "--json")).stdout)
    assert data["values"] == [-6.0]


def test_values_may_be_constant_expressions(run):
    data = json.loads(ok(run("eval", "sin(x)", "-a", "x=pi/6", "--json")).stdout)
    assert data["values"][0] == pytest.approx(0.5, rel=1e-15)
    assert data["grad"]["x"] == pytest.approx(np.cos(np.pi / 6), rel=1e-15)


@pytest.mark.parametrize("suffix,write", [
    (".json", lambda p: p.write_text("[1, 2, 3]")),
    (".npy", lambda p: np.save(p, np.array([1.0, 2.0, 3.0]))),
    (".csv", lambda p: p.write_text("1,2,3\n")),
    (".txt", lambda p: p.write_text("1 2 3\n")),
])
def test_values_from_files(run, tmp_path, suffix, write):
    path = tmp_path / f"x{suffix}"
    write(path)
    data = json.loads(ok(run("eval", "sum(x**2)", "-a", f"x=@{path}", "--json")).stdout)
    assert data["grad"]["x"] == [2.0, 4.0, 6.0]


def test_standard_input_for_at_json_and_values(run):
    data = json.loads(ok(run("eval", "sum(x*y)", "--at-json", "-", "--json", input='{"x": 2, "y": [1, 2]}')).stdout)
    assert data["values"] == [6.0]
    assert data["grad"] == {"x": 3.0, "y": [2.0, 2.0]}
    data = json.loads(ok(run("eval", "sum(x)", "-a", "x=@-", "--json", input="[1, 2, 3]")).stdout)
    assert data["values"] == [6.0]


def test_precision(run):
    out = ok(run("eval", "x/3", "-a", "x=1", "-p", "3")).stdout
    assert "0.333" in out and "0.3333" not in out


@pytest.mark.parametrize("args,words", [
    (["x+*y", "-a", "x=1,y=2"], ["syntax error at column 3", "x+*y", "^"]),
    (["sinn(x)", "-a", "x=1"], ["unknown function 'sinn'", "did you mean sin?"]),
    (["x(y+1)", "-a", "x=1,y=2"], ["unknown function 'x'", "x*(y + 1)"]),
    (["x*y", "-a", "x=1"], ["no value for variable 'y'", "--at y="]),
    (["x+y", "-a", "x=[1,2],y=[1,2,3]"], ["shapes (2,) and (3,)", "'+'"]),
    (["x*2", "-a", "x=[1,2]", "-w", "[1,2,3]"], ["weights of f", "shape (3,)", "(2,)"]),
    (["x", "-a", "x=@/no/such/file.json"], ["cannot read /no/such/file.json"]),
    (["x", "-a", "x"], ["expected NAME=VALUE"]),
    (["x", "-a", "x=y+1"], ["must be constant"]),
    (["x**2", "-a", "x=1", "-g", "z"], ["'z'", "does not appear"]),
    (["x*y", "-a", "x=1,y=2", "--order", "2"], ["--grad"]),
    (["pi*2", "-a", "pi=3"], ["constant"]),
    (["x", "-a"], ["Option '-a' requires an argument"]),
    (["x", "-a", "x=1", "--grad"], ["Option '--grad' requires an argument"]),
])
def test_errors_are_one_clear_message(run, args, words):
    bad(run("eval", *args), *words)


def test_refuses_pickled_npy(run, tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    bad(run("eval", "sum(x)", "-a", f"x=@{path}"), "cannot read")


def test_help_has_examples_for_every_command(run):
    from gradcli.commands.group import main

    assert "Examples" in ok(run("--help")).stdout
    for name in main.commands:
        help_text = ok(run(name, "--help")).stdout
        assert "Examples" in help_text and f"gradcli {name}" in help_text


def test_version(run):
    assert __version__ in ok(run("--version")).stdout


def test_installed_console_script_and_module_run_from_any_directory(tmp_path):
    exe = shutil.which("gradcli")
    assert exe, "the gradcli console script is not installed"
    for cmd in ([exe], [sys.executable, "-m", "gradcli"]):
        proc = subprocess.run(cmd + ["eval", "a*x**2+b*x+c", "-a", "a=1,b=-2,c=1,x=0", "--json"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["grad"]["x"] == -2.0
    proc = subprocess.run([exe, "eval", "x+"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr


def test_closed_pipe_is_quiet(tmp_path):
    values = tmp_path / "x.json"
    values.write_text(json.dumps(list(range(50000))))
    command = f"'{shutil.which('gradcli')}' eval 'x*2' -a 'x=@{values}' -w '@{values}' --json | head -c1"
    proc = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    assert proc.stdout == "{"
    assert proc.stderr == ""


def test_long_expressions_come_from_a_file_or_standard_input(run, tmp_path):
    text = "+".join(f"{i % 7 + 1}*x*y" for i in range(20000))
    path = tmp_path / "long.txt"
    path.write_text(text + "\n")
    from_file = json.loads(ok(run("eval", f"@{path}", "-a", "x=1,y=2", "--json")).stdout)
    from_stdin = json.loads(ok(run("eval", "-", "-a", "x=1,y=2", "--json", input=text)).stdout)
    total = sum(i % 7 + 1 for i in range(20000))
    assert from_file["grad"] == from_stdin["grad"] == {"x": 2.0 * total, "y": 1.0 * total}
    bad(run("eval", "x+(y", "-a", "x=1,y=2"), "column 5")


def test_check_grad_agrees_with_central_differences(run):
    res = ok(run("eval", "sum(tanh(w*x)) + prod(x)/norm(w)", "-a", "w=[1,2],x=[0.5,-1]", "--check-grad", "--json"))
    check = json.loads(res.stdout)["check_grad"]
    assert check["ok"] and check["max_difference"] < 1e-8


def test_check_grad_fails_with_exit_1_where_the_engine_takes_a_convention(run):
    # at the kink the engine's relu'(0) = 0 (PyTorch's choice); central differences see 0.5
    res = run("eval", "relu(x)", "-a", "x=0", "--check-grad", "--json")
    assert res.exit_code == 1
    check = json.loads(res.stdout)["check_grad"]
    assert check["worst"] == "x" and check["max_difference"] == pytest.approx(0.5) and not check["ok"]


def test_eval_help_lists_every_function(run):
    from gradcli.language.functions import FUNCTIONS

    text = ok(run("eval", "--help")).stdout
    listed = text.split("Functions:")[1].split(";")[0].split()
    assert listed == list(FUNCTIONS)


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path):
    colour = re.compile(r"\x1b\[[0-9;]*3[0-7][0-9;]*m")
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    command = [shutil.which("gradcli"), "check", "x**2", "--wrt", "x", "--answer", "2x", "--points", "2"]
    piped = subprocess.run(command, capture_output=True, text=True, env=base, timeout=60)
    forced = subprocess.run(command, capture_output=True, text=True, env={**base, "FORCE_COLOR": "1"}, timeout=60)
    plain = subprocess.run(command, capture_output=True, text=True, env={**base, "FORCE_COLOR": "1", "NO_COLOR": "1"},
                           timeout=60)
    assert "\x1b[" not in piped.stdout                      # a pipe gets no escape codes at all
    assert colour.search(forced.stdout)                     # a terminal gets colour (the verdict)
    assert not colour.search(plain.stdout)                  # NO_COLOR wins

"""Bounded resources, hostile files, signals, and no user text ever executed."""

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import gradcli
from outcomes import bad


# --- bounded resources --------------------------------------------------------------------

def test_a_hessian_over_the_limit_is_refused_before_allocating(run, tmp_path):
    values = tmp_path / "x.json"
    values.write_text(json.dumps([0.5] * 5000))
    started = time.perf_counter()
    bad(run("eval", "sum(x**3)", "-a", f"x=@{values}", "--hessian"),
        "5000 x 5000", "25,000,000 entries", "200 MB", "narrow --grad", "--max-entries")
    assert time.perf_counter() - started < 5
    bad(run("eval", "x*2", "-a", f"x=@{values}", "--jacobian", "--max-entries", "1000"), "Jacobian would be 5000 x 5000")
    assert run("eval", "sum(x**3)", "-a", "x=[1,2,3]", "--hessian", "--max-entries", "9").exit_code == 0


def test_batched_rows_travel_in_chunks_with_the_same_result(monkeypatch):
    from gradcli.engine import derivatives

    x = gradcli.tensor(np.random.default_rng(0).uniform(-1, 1, 40), requires_grad=True)
    f = gradcli.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2) * gradcli.prod(x[:3])
    whole = derivatives.hessian(f, [x])
    monkeypatch.setattr(derivatives, "BATCH_ELEMENTS", 7 * 40)   # seven rows at a time
    np.testing.assert_array_equal(derivatives.hessian(f, [x]), whole)


def test_expression_length_and_nesting_are_capped(run, tmp_path):
    deep = tmp_path / "deep.txt"
    deep.write_text("(" * 100_001 + "x" + ")" * 100_001)
    bad(run("eval", f"@{deep}", "-a", "x=1"), "nests brackets more than 100,000 deep")
    long = tmp_path / "long.txt"
    long.write_text("x+" * 1_000_000 + "x")
    bad(run("eval", f"@{long}", "-a", "x=1"), "2,000,001 characters", "limit is 2,000,000")


def test_huge_powers_are_floats_not_big_integers(run):
    started = time.perf_counter()
    res = run("eval", "9**9**9**9**9", "--json")
    assert res.exit_code == 0 and json.loads(res.stdout)["values"] == ["Infinity"]
    assert "overflow" in res.stderr and time.perf_counter() - started < 5


def test_order_is_capped(run):
    bad(run("eval", "sin(x)", "-a", "x=1", "--order", "1001"), "1001")
    assert run("eval", "sin(x)", "-a", "x=1", "--order", "1000").exit_code == 0


# --- files ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name,content,words", [
    ("ragged.json", "[[1, 2], [3]]", ["equally long nested lists"]),
    ("words.json", '["a", "b"]', ["must hold numbers"]),
    ("object.json", '{"a": 1}', ["numbers or equally long nested lists"]),
    ("deep.json", "[" * 100000 + "]" * 100000, ["nests its lists too deeply"]),
    ("deep-numbers.json", "[" * 100 + "1" + "]" * 100, ["equally long nested lists"]),
    ("empty.json", "", ["is empty"]),
    ("bad.csv", "1,2\n3,x\n", ["cannot read numbers"]),
    ("bad.json", "[1, 2", ["not valid JSON"]),
])
def test_bad_value_files_get_one_clear_error(run, tmp_path, name, content, words):
    (tmp_path / name).write_text(content)
    bad(run("eval", "sum(x)", "-a", f"x=@{tmp_path / name}"), *words)


def test_pickled_npy_directories_and_missing_paths(run, tmp_path):
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    bad(run("eval", "sum(x)", "-a", f"x=@{tmp_path / 'obj.npy'}"), "cannot read")
    bad(run("eval", "sum(x)", "-a", f"x=@{tmp_path}"), "is a directory")
    bad(run("eval", "sum(x)", "-a", f"x=@{tmp_path / 'missing.csv'}"), "No such file")
    bad(run("eval", "sum(x)", "--at-json", str(tmp_path / "missing.json")), "No such file")
    bad(run("eval", f"@{tmp_path}", "-a", "x=1"), "is a directory")
    (tmp_path / "list.json").write_text("[1, 2]")
    bad(run("eval", "sum(x)", "--at-json", str(tmp_path / "list.json")), "JSON object")
    np.save(tmp_path / "text.npy", np.array(["a", "b"]))
    bad(run("eval", "sum(x)", "-a", f"x=@{tmp_path / 'text.npy'}"), "not numbers")


# --- signals --------------------------------------------------------------------------------

def test_ctrl_c_exits_130_with_one_line_and_the_trace_flushed(tmp_path):
    trace = tmp_path / "steps.csv"
    proc = subprocess.Popen([shutil.which("gradcli"), "minimize", "x**2", "-s", "x=1", "--lr", "1e-9",
                             "--steps", "100000000", "--tol", "0", "--trace", str(trace)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while time.time() < deadline and (not trace.exists() or trace.stat().st_size < 10000):
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    lines = trace.read_text().splitlines()
    assert lines[0] == "step,x,value,grad_norm" and len(lines) > 100
    assert all(len(line.split(",")) == 4 for line in lines)       # no half-written row
    # one line, with the point reached: the last step written to the trace, every digit
    assert out == "" and err.count("\n") == 1 and err.startswith("gradcli: interrupted at step ")
    # (Ctrl-C may land between writing a step and noting it: then the trace is one step ahead)
    assert any(f"at step {row.split(',')[0]}: x = {float(row.split(',')[1])!r}" in err for row in lines[-2:])


# --- nothing the user types is executed -----------------------------------------------------

HOSTILE = ["__import__('os').system('touch {marker}')", "$(touch {marker})", "`touch {marker}`",
           "x; import os", "eval('1')", "open('{marker}', 'w')", "x\"; touch {marker}; echo \""]


@pytest.mark.parametrize("payload", HOSTILE)
def test_no_input_path_executes_user_text(run, tmp_path, payload):
    marker = tmp_path / "pwned"
    text = payload.format(marker=marker)
    (tmp_path / "values.json").write_text(json.dumps({"x": text}))
    (tmp_path / "sheet.toml").write_text(
        f'[[problem]]\nid = "p"\nexpr = {json.dumps(text)}\nwrt = "x"\nanswer = {json.dumps(text)}\n')
    (tmp_path / "answers.toml").write_text(f"p = {json.dumps(text)}\n")
    attempts = [
        ["eval", text, "-a", "x=1"], ["eval", "x", "-a", f"x={text}"], ["eval", "x", "-a", "x=1", "-w", text],
        ["eval", "x", "--at-json", str(tmp_path / "values.json")], ["eval", "x", "-g", text, "-a", "x=1"],
        ["check", text, "--wrt", "x", "--answer", "1"], ["check", "x", "--wrt", "x", "--answer", text],
        ["check", "--sheet", str(tmp_path / "sheet.toml"), "--answers", str(tmp_path / "answers.toml")],
        ["minimize", text, "-s", "x=1"], ["parse", text],
    ]
    for args in attempts:
        res = run(*args)
        assert res.exit_code in (0, 1, 2), (args, res.stderr)
        assert "Traceback" not in res.stderr
    subprocess.run(f"{shutil.which('gradcli')} eval {shlex.quote(text)} -a x=1", shell=True, capture_output=True)
    assert not marker.exists()


def test_internal_errors_are_one_line_exit_70(tmp_path):
    # a bug simulated by a sitecustomize that breaks the engine: the user still sees one line
    (tmp_path / "sitecustomize.py").write_text(
        "import gradcli.evaluation as e\n"
        "def broken(*a, **k):\n    raise ZeroDivisionError('simulated')\n"
        "e.evaluate = broken\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop("GRADCLI_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "gradcli", "eval", "x", "-a", "x=1"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode == 70 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "internal error (ZeroDivisionError: simulated)" in proc.stderr

"""`gradcli minimize`: EXAMPLES.md E2 and E8, Newton, Rosenbrock, divergence, traces."""

import csv
import json

import numpy as np
import pytest

from gradcli.calculus.optimize import METHODS, minimize
from terminals import drained

ROSENBROCK = "sum(100*(x[1:]-x[:-1]**2)**2 + (1-x[:-1])**2)"


def test_e2_sgd_figures(run):
    res = run("minimize", "x**2 - 2*x + 1", "--start", "x=0", "--lr", "0.01", "--steps", "500", "--json")
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["point"]["x"] == pytest.approx(1 - 0.98 ** 500, abs=1e-9)
    assert out["value"] == pytest.approx(0.98 ** 1000, abs=1e-9)       # about 1.7e-9
    assert (out["steps"], out["stopped"], out["converged"]) == (500, "step limit", False)
    assert set(out) == {"expression", "method", "point", "value", "grad_norm", "steps", "stopped",
                        "converged", "seconds"}


def test_e8_sequence_in_the_trace(run, tmp_path):
    trace = tmp_path / "steps.csv"
    res = run("minimize", "w**2", "-s", "w=5", "--lr", "0.4", "--steps", "4", "--trace", str(trace))
    assert res.exit_code == 0, res.stderr
    rows = list(csv.DictReader(trace.open()))
    assert list(rows[0]) == ["step", "w", "value", "grad_norm"]
    assert [int(r["step"]) for r in rows] == [0, 1, 2, 3, 4]
    assert [float(r["w"]) for r in rows] == pytest.approx([5, 1, 0.2, 0.04, 0.008], rel=1e-12)
    assert [float(r["value"]) for r in rows] == pytest.approx([25, 1, 0.04, 0.0016, 0.000064], rel=1e-12)


def test_jsonl_trace_has_every_element(run, tmp_path):
    trace = tmp_path / "steps.jsonl"
    res = run("minimize", ROSENBROCK, "-s", "x=[0,0,0]", "-m", "newton", "--trace", str(trace))
    assert res.exit_code == 0, res.stderr
    lines = [json.loads(line) for line in trace.read_text().splitlines()]
    assert lines[0] == {"step": 0, "point": {"x": [0.0, 0.0, 0.0]}, "value": 2.0, "grad_norm": pytest.approx(8 ** 0.5)}
    assert lines[-1]["point"]["x"] == pytest.approx([1, 1, 1], abs=1e-9)


def test_newton_lands_in_one_step_on_a_quadratic():
    r = minimize("(x-3)**2 + 2*(y+1)**2 + x*y + sum((z-[1,2])**2)", start={"x": 0, "y": 0, "z": [0, 0]},
                 method="newton")
    assert r.steps == 1 and r.converged
    # the minimum solves 2(x-3) + y = 0, 4(y+1) + x = 0
    assert (float(r.point["x"]), float(r.point["y"])) == pytest.approx((4.0, -2.0), abs=1e-12)
    assert r.point["z"].tolist() == pytest.approx([1, 2], abs=1e-12)


@pytest.mark.parametrize("n", [2, 10])
def test_rosenbrock_newton(n):
    r = minimize(ROSENBROCK, start={"x": [0.0] * n}, method="newton", steps=100)
    assert r.converged
    np.testing.assert_allclose(r.point["x"], np.ones(n), atol=1e-8)


@pytest.mark.parametrize("n,steps", [(2, 5000), (10, 20000)])
def test_rosenbrock_adam(n, steps):
    r = minimize(ROSENBROCK, start={"x": [0.0] * n}, method="adam", lr=0.01, steps=steps, tol=1e-6)
    np.testing.assert_allclose(r.point["x"], np.ones(n), atol=1e-3)
    assert r.value < 1e-6


def test_momentum_follows_pytorch():
    # PyTorch SGD with momentum: buf = mu*buf + g (buf = g at first); x -= lr*buf
    seen = []
    minimize("x**2", start={"x": 1.0}, method="momentum", lr=0.1, momentum=0.5, steps=2,
             on_step=lambda s: seen.append(float(s.point["x"])))
    g0 = 2.0
    x1 = 1.0 - 0.1 * g0
    buf = 0.5 * g0 + 2 * x1
    assert seen == pytest.approx([1.0, x1, x1 - 0.1 * buf], rel=1e-15)


def test_newton_falls_back_to_a_gradient_step_and_says_so(run):
    res = run("minimize", "-x**2", "-s", "x=1", "-m", "newton", "--steps", "2", "--lr", "0.1", "--json")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["point"]["x"] == pytest.approx(1.44)
    assert "not positive definite" in res.stderr


def test_divergence_stops_with_exit_3_and_advice(run):
    res = run("minimize", "x**2", "-s", "x=1", "--lr", "1.5", "--steps", "100000", "--json")
    assert res.exit_code == 3
    out = json.loads(res.stdout)
    assert out["stopped"] == "diverged" and out["value"] == "Infinity"
    assert "smaller --lr" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("args,words", [
    (["x*y", "-s", "x=1"], ["no value for variable 'y'", "--start y="]),
    (["[x, x]", "-s", "x=1"], ["not a single number", "sum()"]),
    (["x**2", "-s", "z=1"], ["'z' does not appear"]),
    (["x**2", "-s", "x=1", "-a", "x=2"], ["both --start and --at"]),
    (["x**2", "-s", "x=1", "--trace", "/no/such/dir/t.csv"], ["cannot write the trace"]),
])
def test_bad_input(run, args, words):
    res = run("minimize", *args)
    assert res.exit_code == 2 and res.stdout == ""
    for word in words:
        assert word in res.stderr


def test_table_output_and_no_progress_bar_outside_a_terminal(run):
    res = run("minimize", "(x-a)**2", "-s", "x=0", "-a", "a=3", "-m", "adam", "--lr", "0.1", "--steps", "2000")
    assert res.exit_code == 0
    assert "Final point" in res.stdout and "converged" in res.stdout and "\x1b[" not in res.stdout
    assert res.stderr == ""


def test_values_the_cli_mirrors_to_stay_light_match_the_core():
    from gradcli.commands.eval import MAX_ORDER as CLI_MAX_ORDER
    from gradcli.commands.minimize import METHODS as CLI_METHODS
    from gradcli.evaluation import MAX_ORDER

    assert CLI_METHODS == METHODS and CLI_MAX_ORDER == MAX_ORDER


def test_progress_bar_on_a_terminal_stderr_only(tmp_path):
    import os
    import pty
    import shutil
    import subprocess

    main_fd, child_fd = pty.openpty()
    proc = subprocess.run([shutil.which("gradcli"), "minimize", "x**2", "-s", "x=1", "--lr", "1e-6",
                           "--steps", "20000", "--tol", "0"], stdout=subprocess.PIPE, stderr=child_fd,
                          timeout=120, env={**os.environ, "TERM": "xterm", "COLUMNS": "100"})
    os.close(child_fd)
    drawn = drained(main_fd)
    assert proc.returncode == 0
    assert b"minimising" in drawn                  # the bar was drawn on the terminal
    assert b"minimising" not in proc.stdout and b"Final point" in proc.stdout

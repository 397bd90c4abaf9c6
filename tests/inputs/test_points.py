"""Many points: `gradcli eval --points FILE` and `--grid`, and `gradcli.evaluate(points=...)`.

Every answer is held against `gradcli eval` at one point at a time (the per-point route the
batch must agree with), and every input format, output format and bad row as the README
shows them.
"""

import csv
import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gradcli
from gradcli.inputs import pointfiles
from terminals import drained

ROOT = Path(__file__).resolve().parents[2]
GRADCLI = [sys.executable, "-m", "gradcli"]
POINTS = "x,y\n1,2\n3,4\n0.5,-1.25\n-2,0.1\n"


def one_point(run, *args):
    """`gradcli eval ... --json` at one point: what every row must agree with."""
    return json.loads(run("eval", *args, "--json").stdout)


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def points_csv(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(POINTS)
    return path


def test_a_csv_of_points_gives_each_row_what_eval_gives_at_that_point(run, points_csv):
    r = run("eval", "x**2*y + sin(y)", "--points", str(points_csv), "--csv")
    assert r.exit_code == 0 and r.stderr == ""
    out = rows(r.stdout)
    assert list(out[0]) == ["x", "y", "f", "df/dx", "df/dy"]
    assert len(out) == 4
    for row in out:
        single = one_point(run, "x**2*y + sin(y)", "-a", f"x={row['x']},y={row['y']}")
        # full precision that round-trips: the very same floats
        assert float(row["f"]) == single["values"][0]
        assert float(row["df/dx"]) == single["grad"]["x"] and float(row["df/dy"]) == single["grad"]["y"]


def test_json_lines_out_one_strict_object_per_point(run, points_csv):
    r = run("eval", "x*y", "--points", str(points_csv), "--json")
    lines = r.stdout.splitlines()
    assert len(lines) == 4
    first = json.loads(lines[0])
    assert first == {"point": {"x": 1.0, "y": 2.0}, "values": [2.0], "grad": {"x": 2.0, "y": 1.0}}


@pytest.mark.parametrize("fmt", ["jsonl", "npz", "csv-stdin", "jsonl-stdin", "npz-stdin", "tsv"])
def test_every_input_format_reads_the_same_points(run, tmp_path, fmt):
    xs, ys = [1.0, 3.0, 0.5], [2.0, 4.0, -1.25]
    args = []
    stdin = None
    if fmt.startswith("jsonl"):
        text = "".join(json.dumps({"x": x, "y": y}) + "\n" for x, y in zip(xs, ys))
        path = tmp_path / "p.jsonl"
        path.write_text(text)
    elif fmt.startswith("npz"):
        path = tmp_path / "p.npz"
        np.savez(path, x=np.array(xs), y=np.array(ys))
    elif fmt == "tsv":
        path = tmp_path / "p.tsv"
        path.write_text("x\ty\n" + "".join(f"{x}\t{y}\n" for x, y in zip(xs, ys)))
    else:
        path = tmp_path / "p.csv"
        path.write_text("x,y\n" + "".join(f"{x},{y}\n" for x, y in zip(xs, ys)))
    if fmt.endswith("stdin"):
        stdin = path.read_bytes()
        args = ["--points", "-"]
    else:
        args = ["--points", str(path)]
    r = run("eval", "x/y", *args, "--csv", input=stdin)
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    assert [float(o["x"]) for o in out] == xs and [float(o["f"]) for o in out] == [x / y for x, y in zip(xs, ys)]


def test_points_format_names_the_format_of_standard_input(run):
    r = run("eval", "x+1", "--points", "-", "--points-format", "jsonl", "--csv", input='{"x": 2}\n')
    assert rows(r.stdout)[0]["f"] == "3.0"
    r = run("eval", "x+1", "--points", "-", "--points-format", "xml", input="x\n1\n")
    assert r.exit_code == 2


def test_a_grid_is_every_combination_first_variable_slowest(run):
    r = run("eval", "x*y", "--grid", "x=0:1:3,y=-1:1:2", "--csv")
    out = [(float(o["x"]), float(o["y"]), float(o["f"])) for o in rows(r.stdout)]
    assert out == [(x, y, x * y) for x in np.linspace(0, 1, 3) for y in (-1.0, 1.0)]
    # ends may be constant expressions; N = 1 is A alone
    r = run("eval", "sin(x)", "--grid", "x=0:pi:3", "--grid", "y=2:2:1", "-g", "x", "--csv")
    assert [float(o["x"]) for o in rows(r.stdout)] == list(np.linspace(0, np.pi, 3))


def test_at_gives_the_constants_for_every_row(run, points_csv):
    r = run("eval", "a*x + y", "--points", str(points_csv), "-a", "a=3", "-g", "x,y", "--csv")
    out = rows(r.stdout)
    assert [float(o["f"]) for o in out] == [3 * float(o["x"]) + float(o["y"]) for o in out]
    assert all(float(o["df/dx"]) == 3.0 for o in out)
    # a variable given twice is refused, never silently overridden
    r = run("eval", "x*y", "--points", str(points_csv), "-a", "x=1")
    assert r.exit_code == 2 and "x is given both in" in r.stderr and r.stdout == ""
    r = run("eval", "x*y*z", "--points", str(points_csv))
    assert r.exit_code == 2 and "give it as a column of" in r.stderr and "--at z=VALUE" in r.stderr


@pytest.mark.parametrize("expr, extra, names", [
    ("x**3*y - exp(x*y)", ["--hessian"], "xy"),
    ("sin(x)*exp(x)/(1+x^2)", ["--order", "5"], "x"),
    ("x*y", ["--jacobian"], "xy"),
    ("x*y", ["-w", "2.5"], "xy"),
    ("x*y", ["-g", "y"], "xy"),
])
def test_hessians_orders_jacobians_and_weights_row_by_row(run, points_csv, expr, extra, names):
    r = run("eval", expr, "--points", str(points_csv), *extra, "--json")
    assert r.exit_code == 0, r.stderr
    for line in r.stdout.splitlines():
        got = json.loads(line)
        at = ",".join(f"{k}={v!r}" for k, v in got.pop("point").items() if k in names)
        single = one_point(run, expr, "-a", at, *extra)
        single.pop("expressions")
        single.pop("warnings", None)
        single.pop("derivative_digits", None)  # one point's derivatives know their digits; rows do not yet
        assert set(got) == set(single)
        for key, value in single.items():
            if isinstance(value, dict) and "matrix" in value:
                assert np.allclose(got[key]["matrix"], value["matrix"], rtol=1e-12, atol=1e-12)
                assert {k: v for k, v in got[key].items() if k != "matrix"} == \
                    {k: v for k, v in value.items() if k != "matrix"}
            elif isinstance(value, dict):
                assert got[key] == {k: pytest.approx(v, rel=1e-12, abs=1e-12) for k, v in value.items()}
            else:
                assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-12)


def test_an_expression_that_is_not_elementwise_is_computed_point_by_point(run, points_csv):
    # sum over an array constant: each point on its own, same answers
    r = run("eval", "sum(w*x) + y", "--points", str(points_csv), "-a", "w=[1,2,3]", "-g", "x,y", "--csv")
    for o in rows(r.stdout):
        assert float(o["f"]) == pytest.approx(6 * float(o["x"]) + float(o["y"]), rel=1e-15)
        assert float(o["df/dx"]) == 6.0


def test_the_python_api_takes_arrays_of_points_and_gives_per_point_results():
    x, y = np.linspace(-1, 1, 7), np.linspace(2, 3, 7)
    r = gradcli.evaluate("x**2*y", points={"x": x, "y": y}, hessian=True)
    assert np.array_equal(r.values[0], x**2 * y)
    assert np.allclose(r.grad["x"], 2 * x * y) and np.allclose(r.grad["y"], x**2)
    assert r.hessian.matrix.shape == (7, 2, 2) and np.allclose(r.hessian.matrix[:, 0, 1], 2 * x)
    assert list(r.columns())[:5] == ["x", "y", "f", "df/dx", "df/dy"]
    empty = gradcli.evaluate("x*y", points={"x": [], "y": []})
    assert len(empty) == 0 and list(empty.columns()) == ["x", "y", "f", "df/dx", "df/dy"]


def test_the_table_at_a_terminal_shows_the_first_and_last_rows_and_the_count(run):
    r = run("eval", "x**2", "--grid", "x=1:100:100")
    assert "100 points" in r.stdout and "every point with --csv or --json" in r.stdout
    numbers = re.findall(r"^│ (\d+)\s", r.stdout, flags=re.M)
    assert numbers == ["1", "2", "3", "4", "5", "96", "97", "98", "99", "100"]
    assert "10000" in r.stdout and "…" in r.stdout


def test_a_bad_row_is_an_error_naming_its_line_and_column_after_the_whole_rows_before_it(run):
    r = run("eval", "x*y", "--points", "-", "--csv", input="x,y\n1,2\n3,abc\n4,5\n")
    assert r.exit_code == 2
    assert r.stderr.startswith("gradcli: ") and "line 3, column 2 (y): 'abc' is not a number" in r.stderr
    assert r.stdout == "x,y,f,df/dx,df/dy\n1.0,2.0,2.0,2.0,1.0\n"  # nothing of line 3 or after
    r = run("eval", "x*y", "--points", "-", "--csv", input="x,y\n1,2\n3,4,5\n")
    assert r.exit_code == 2 and "line 3: 3 fields, but the header names 2" in r.stderr
    r = run("eval", "x*y", "--points", "-", "--json", input='{"x": 1, "y": 2}\n{"x": 1}\n')
    assert r.exit_code == 2 and "line 2: the object has no y" in r.stderr


def test_skip_bad_rows_skips_them_and_counts_them_on_stderr(run):
    r = run("eval", "x*y", "--points", "-", "--csv", "--skip-bad-rows",
            input="x,y\n1,2\n3,abc\n4,5,6\n,7\n8,9\n")
    assert r.exit_code == 0
    assert [o["f"] for o in rows(r.stdout)] == ["2.0", "72.0"]
    assert "skipped 3 bad rows (lines 3, 4, 5)" in r.stderr


def test_non_finite_values_are_warnings_naming_the_line(run):
    r = run("eval", "log(x)*y", "--points", "-", "--csv", input="x,y\n1,nan\n2,3\n0,1\n-1,1\n")
    assert r.exit_code == 0 and len(rows(r.stdout)) == 4
    assert "line 2 (y)" in r.stderr and "NaN or infinite at 2 points: line 4, line 5" in r.stderr
    assert "RuntimeWarning" not in r.stderr


def test_options_for_many_points_are_refused_where_they_mean_nothing(run, points_csv):
    for args, says in [(["--csv"], "--csv goes with --points"), (["--skip-bad-rows"], "goes with --points"),
                       (["--points", str(points_csv), "--grid", "x=0:1:2"], "not both"),
                       (["--points", str(points_csv), "--csv", "--json"], "--csv or --json"),
                       (["--points", str(points_csv), "--check-grad"], "one point")]:
        r = run("eval", "x*y", *args)
        assert r.exit_code == 2 and says in r.stderr and r.stdout == "", (args, r.stderr)


@pytest.mark.parametrize("text, says", [
    ("", "is empty"), (",x,y\n0,1,2\n", "the header has no name"), ("1,2\n3,4\n", "is not a variable name"),
    ("x,x\n1,2\n", "names columns 1 and 2"),
])
def test_bad_headers_say_what_a_points_file_looks_like(run, text, says):
    r = run("eval", "x*y", "--points", "-", "--points-format", "csv", input=text)
    assert r.exit_code == 2 and says in r.stderr and r.stdout == ""


def test_a_file_longer_than_a_chunk_streams_output_before_its_input_ends():
    chunk = pointfiles.CHUNK
    proc = subprocess.Popen([*GRADCLI, "eval", "2*x", "--points", "-", "--csv"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdin.write(("x\n" + "".join(f"{i}\n" for i in range(chunk + 10))).encode())
    proc.stdin.flush()
    # the first chunk is out while standard input is still open
    header = proc.stdout.readline()
    first = proc.stdout.readline()
    assert proc.poll() is None and header == b"x,f,df/dx\n" and first == b"0.0,0.0,2.0\n"
    proc.stdin.write(b"7\n")
    proc.stdin.close()
    rest, err = proc.stdout.read(), proc.stderr.read()
    proc.wait()
    lines = (header + first + rest).decode().splitlines()
    assert len(lines) == chunk + 12 and lines[-1] == "7.0,14.0,2.0" and err == b""


def test_the_progress_bar_is_drawn_on_a_terminal_only(tmp_path):
    import pty

    args = [*GRADCLI, "eval", "sin(x)*y", "--grid", "x=0:1:600,y=0:1:1000", "--csv"]
    master, slave = pty.openpty()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(args, stdout=devnull, stderr=slave, cwd=ROOT)
        os.close(slave)
        seen = drained(master)
        proc.wait()
    assert proc.returncode == 0 and b"points" in seen and b"\x1b[" in seen
    piped = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    assert piped.returncode == 0 and piped.stderr == b""


def test_the_readme_dask_recipe_runs_on_the_local_scheduler(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("dask.dataframe")
    readme = (ROOT / "README.md").read_text()
    recipe = re.search(r"```python\n(import dask.dataframe.*?)```", readme, flags=re.S).group(1)
    rng = np.random.default_rng(1)
    for k in range(3):
        pd.DataFrame({"x": rng.uniform(-1, 1, 50), "y": rng.uniform(1, 2, 50)}).to_csv(
            tmp_path / f"points-{k}.csv", index=False)
    done = subprocess.run([sys.executable, "-c", recipe], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = pd.concat([pd.read_csv(p) for p in sorted(tmp_path.glob("out-*.csv"))])
    points = pd.concat([pd.read_csv(tmp_path / f"points-{k}.csv") for k in range(3)])
    assert len(out) == 150
    assert np.allclose(out["df/dx"].to_numpy(), (2 * points["x"] * points["y"]).to_numpy())


# --- what a new user met ----------------------------------------------------------------------

@pytest.mark.parametrize("text, says", [
    ("x,f\n1,5\n", "column named f"), ("x,e\n1,5\n", "e is a constant"),
    ('x,y,z\n"1,5",2\n', "2 fields, but the header names 3"),
])
def test_columns_that_would_be_misread_are_refused(run, text, says):
    expr = "x*f" if "f" in text.split("\n")[0] else "x+y+z" if "z" in text else "x*e"
    r = run("eval", expr, "--points", "-", "--csv", input=text)
    assert r.exit_code == 2 and says in r.stderr and r.stdout == "", r.stderr


@pytest.mark.parametrize("text", ["\ufeffx,y\n1,2\n", "# exported by a sensor\n# x,y\n1,2\n",
                                  "# exported by a sensor\nx,y\n1,2\n", '"x","y"\n"1","2"\n'])
def test_headers_as_other_tools_write_them(run, text):
    r = run("eval", "x*y", "--points", "-", "--csv", input=text.encode())
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "x,y,f,df/dx,df/dy\n1.0,2.0,2.0,2.0,1.0\n"


def test_a_row_gets_what_eval_gives_it_whatever_else_is_in_its_chunk(run):
    alone = json.loads(run("eval", "1/x", "--points", "-", "--order", "3", "--json", input="x\n0.5\n").stdout)
    beside = run("eval", "1/x", "--points", "-", "--order", "3", "--json", input="x\n0.5\n0\n").stdout
    assert json.loads(beside.splitlines()[0]) == alone
    # the sign of a zero survives, as at one point
    signed = json.loads(run("eval", "x*y", "--points", "-", "--json", input="x,y\n-0.0,1\n").stdout)
    assert math.copysign(1, signed["grad"]["y"]) == -1


def test_point_by_point_with_nan_rows_array_weights_and_varying_static_arguments(run):
    r = run("eval", "sum(w*sqrt(x))", "-a", "w=[1,2]", "--points", "-", "--csv", input="x\n1\n-1\n")
    assert r.exit_code == 0 and "line 3" in r.stderr
    r = run("eval", "[x**2, x*y]", "-w", "[1,2]", "--points", "-", "--json", input="x,y\n1,2\n")
    assert json.loads(r.stdout)["grad"] == {"x": 6.0, "y": 2.0}
    r = run("eval", "root(n,x)", "-g", "x", "--points", "-", "--csv", input="n,x\n3,27\n2,16\n")
    assert [float(o["df/dx"]) for o in rows(r.stdout)] == [pytest.approx(1 / 27), 0.125]


def test_a_closed_pipe_ends_quietly_with_success():
    proc = subprocess.run(f"{sys.executable} -m gradcli eval x --grid x=0:1:200000 --csv | head -n 1; "
                          f"exit ${{PIPESTATUS[0]}}", shell=True, executable="/bin/bash", capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout == "x,f,df/dx\n" and proc.stderr == ""


@pytest.mark.parametrize("args, says", [
    (["--points", "-", "-a", "y=@-"], "read once"),
    (["--grid", "x=-1e308:1e308:5"], "beyond floating point"),
])
def test_more_refusals(run, args, says):
    r = run("eval", "x*y", *args, input="x\n1\n")
    assert r.exit_code == 2 and says in r.stderr and r.stdout == ""


def test_text_that_is_not_utf8_is_an_error_not_a_crash(run, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"x,y\n1,2\n3,4\xb5\n")
    r = run("eval", "x*y", "--points", str(path), "--csv")
    assert r.exit_code == 2 and "not UTF-8 text" in r.stderr


def test_skipping_every_row_is_an_error_not_an_empty_success(run):
    r = run("eval", "x**2", "--points", "-", "--csv", "--skip-bad-rows", input="label,x\nfoo,1\nbar,2\n")
    assert r.exit_code == 2 and "every row was skipped" in r.stderr and r.stdout == ""


def test_output_that_cannot_be_written_is_one_line_with_status_74():
    proc = subprocess.run(f"{sys.executable} -m gradcli eval x --grid x=0:1:5 --csv > /dev/full", shell=True,
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 74 and proc.stderr == "gradcli: cannot write the output: No space left on device\n"


def test_a_repeated_json_name_and_greek_columns_from_python(run):
    r = run("eval", "x", "--points", "-", "--csv", input='{"x": 3, "x": 4}\n')
    assert r.exit_code == 2 and "x is given twice" in r.stderr
    found = gradcli.evaluate("theta*y", points={"θ": [1.0, 2.0], "y": [1.0, 3.0]})
    assert found.values[0].tolist() == [1.0, 6.0] and "df/dtheta" in found.columns()

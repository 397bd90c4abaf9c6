"""`gradcli plot`: the points it finds against the exact ones, honest gaps, plain text in a
pipe, figure files, and the message when matplotlib is missing."""

import json
import re
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from gradcli.calculus.sketch import plot
from outcomes import bad, ok

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def data(run, *args):
    return json.loads(ok(run("plot", *args, "--json")).stdout)


# --- the points, against the exact ones -------------------------------------------------------

def test_cubic_has_a_maximum_at_minus_one_a_minimum_at_one_and_an_inflection_at_zero(run):
    d = data(run, "x^3 - 3x")
    assert [(c["kind"]) for c in d["critical_points"]] == ["maximum", "minimum"]
    assert [c["x"] for c in d["critical_points"]] == pytest.approx([-1, 1], abs=1e-12)
    assert [c["y"] for c in d["critical_points"]] == pytest.approx([2, -2], abs=1e-12)
    assert [p["x"] for p in d["inflection_points"]] == pytest.approx([0], abs=1e-12)


def test_sine_critical_points_are_odd_multiples_of_half_pi_and_inflections_multiples_of_pi(run):
    d = data(run, "sin x")   # on the default -10:10
    crit = d["critical_points"]
    ks = range(-3, 3)        # pi/2 + k pi within [-10, 10]
    assert [c["x"] for c in crit] == pytest.approx([math.pi / 2 + k * math.pi for k in ks], abs=1e-10)
    # sin has its maxima where sin = 1
    assert [c["kind"] for c in crit] == ["maximum" if math.sin(c["x"]) > 0 else "minimum" for c in crit]
    assert [c["y"] for c in crit] == pytest.approx([math.sin(math.pi / 2 + k * math.pi) for k in ks], abs=1e-12)
    assert [p["x"] for p in d["inflection_points"]] == pytest.approx([k * math.pi for k in range(-3, 4)], abs=1e-10)


def test_x_e_to_the_minus_x_has_its_maximum_at_one_and_inflection_at_two(run):
    d = data(run, "x e^-x", "--domain", "x=-1:6")
    assert d["critical_points"] == [{"x": pytest.approx(1, abs=1e-10), "y": pytest.approx(math.exp(-1), abs=1e-12),
                                     "kind": "maximum", "y_digits": 13}]
    assert d["inflection_points"] == [{"x": pytest.approx(2, abs=1e-10), "y": pytest.approx(2 * math.exp(-2), abs=1e-12),
                                       "y_digits": 13}]


def test_flat_points_are_named_by_the_sign_of_f_prime_around_them():
    assert [(c.x, c.kind) for c in plot("x^3").critical_points] == [(0, "neither")]
    assert [(pytest.approx(c.x, abs=1e-4), c.kind) for c in plot("x^4", domain={"x": "-1.1:0.9"}).critical_points] \
        == [(0, "minimum")]
    assert plot("5").critical_points == []   # f' = 0 everywhere: no point stands out


def test_derivatives_are_the_engines_not_differences():
    p = plot("sin x", order=3, domain={"x": "0:1"})
    assert list(p.curves[1]) == pytest.approx([math.cos(t) for t in p.x], abs=1e-14)
    assert list(p.curves[3]) == pytest.approx([-math.cos(t) for t in p.x], abs=1e-14)


# --- honest pictures --------------------------------------------------------------------------

def test_tan_on_minus_3_to_3_has_a_gap_at_each_pole(run):
    d = data(run, "tan x", "--domain", "x=-3:3")
    xs, f = d["x"], d["f"]
    for pole in (-math.pi / 2, math.pi / 2):
        # the two samples either side of the pole are never both drawn
        i = max(k for k, x in enumerate(xs) if x < pole)
        j = min(k for k, x in enumerate(xs) if x > pole)
        assert "NaN" in f[i:j + 1]
        assert "NaN" in d["derivatives"]["1"][i:j + 1]
    # and nowhere else
    assert sum(v == "NaN" for v in f) == 2
    lo, hi = d["y_range"]
    assert d["y_range_clipped"] and 1 < hi < 100 and -100 < lo < -1   # the poles do not flatten tan


def test_one_over_x_and_log_leave_gaps_and_say_so(run):
    d = data(run, "1/x")
    assert "NaN" in d["f"] and d["y_range_clipped"]
    d = data(run, "log x", "--domain", "x=-5:5")
    negative = [f for x, f in zip(d["x"], d["f"]) if x < 0]
    assert negative and all(f == "NaN" for f in negative)
    assert any("undefined" in n for n in d["notes"])


def test_without_a_domain_f_is_drawn_where_it_is_defined():
    assert plot("sqrt(4 - x^2)").domain == (-2, 2)
    assert plot("sqrt x").domain == (0, 10)
    assert plot("x^2").domain == (-10, 10)


def test_a_smooth_curve_is_not_clipped_or_broken(run):
    d = data(run, "e^x")
    assert not d["y_range_clipped"] and "NaN" not in d["f"]
    assert d["y_range"][1] >= math.exp(10)


# --- tangent ----------------------------------------------------------------------------------

def test_tangent_equation(run):
    out = ok(run("plot", "x^3 - 3x", "--domain", "x=-2.5:2.5", "--tangent", "2")).stdout
    assert "tangent at x = 2: y = 9*x - 16" in out   # f(2) = 2, f'(2) = 9
    d = data(run, "sin x", "--tangent", "pi/4")
    assert d["tangent"] == {"x0": pytest.approx(math.pi / 4), "slope": pytest.approx(math.cos(math.pi / 4)),
                            "intercept": pytest.approx(math.sin(math.pi / 4) - math.cos(math.pi / 4) * math.pi / 4)}


def test_no_tangent_at_a_corner_or_outside_the_domain(run):
    bad(run("plot", "abs x", "--tangent", "0"), "corner")
    bad(run("plot", "x^2", "--domain", "x=0:1", "--tangent", "3"), "outside the domain")


# --- variables --------------------------------------------------------------------------------

def test_other_letters_are_pinned_with_at(run):
    d = data(run, "a sin(b t)", "--at", "a=2,b=pi", "--domain", "t=0:2")
    assert [c["x"] for c in d["critical_points"]] == pytest.approx([0.5, 1.5], abs=1e-12)
    assert [c["y"] for c in d["critical_points"]] == pytest.approx([2, -2], abs=1e-12)
    bad(run("plot", "a sin x"), "no value for a", "--at")
    bad(run("plot", "x^2", "--at", "x=1"), "--domain")
    bad(run("plot", "x y"), "--wrt")


# --- text in a pipe ---------------------------------------------------------------------------

@pytest.mark.parametrize("columns", [60, 80])
def test_the_plain_plot_fits_the_columns_and_holds_no_escape_codes(columns):
    env = {**os.environ, "COLUMNS": str(columns)}
    env.pop("NO_COLOR", None)
    proc = subprocess.run([sys.executable, "-m", "gradcli", "plot", "x^3 - 3x", "--order", "2", "--tangent", "1"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert max(len(line) for line in lines) >= columns - 12   # sized to the width, not a fixed small box
    assert "\x1b" not in proc.stdout and proc.stderr == ""
    for mark in ("f'", "f''", "tangent at x = 1", "critical points", "inflection points"):
        assert mark in proc.stdout


def test_nothing_on_stderr_for_a_gap(run):
    res = ok(run("plot", "log x", "--domain", "x=-5:5"))
    assert res.stderr == "" and "Warning" not in res.stdout


# --- files ------------------------------------------------------------------------------------

def test_png_svg_and_pdf_files_are_written_and_parse(run, tmp_path):
    pytest.importorskip("matplotlib")
    for ext in ("png", "svg", "pdf"):
        path = tmp_path / f"plot.{ext}"
        out = ok(run("plot", "x e^-x", "--domain", "x=-1:6", "--tangent", "2", "-o", str(path))).stdout
        assert f"wrote {path}" in out
        body = path.read_bytes()
        if ext == "png":
            assert body.startswith(b"\x89PNG\r\n\x1a\n")
        elif ext == "svg":
            assert ET.fromstring(body).tag.endswith("svg")
        else:
            assert body.startswith(b"%PDF-")


def test_an_unknown_file_type_is_refused(run, tmp_path):
    res = run("plot", "x", "-o", str(tmp_path / "plot.txt"))
    assert res.exit_code == 2 and res.stdout == "" and ".png" in res.stderr


def test_without_matplotlib_a_message_says_what_to_install(tmp_path):
    # the interpreter runs as if matplotlib were not installed
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['matplotlib'] = None\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), ROOT])}
    proc = subprocess.run([sys.executable, "-m", "gradcli", "plot", "x^2", "-o", str(tmp_path / "p.png")],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "gradcli: writing .png files needs matplotlib: pip install 'gradcli[plot]'\n"
    assert not (tmp_path / "p.png").exists()


def test_help_has_examples(run):
    out = ok(run("plot", "--help")).stdout
    assert "gradcli plot 'x^3 - 3x'" in out and "--tangent" in out
    assert "gradcli plot" in ok(run("-h")).stdout


def test_the_core_knows_neither_click_nor_the_drawing_libraries():
    code = ("import json, sys; from gradcli.calculus.sketch import plot; plot('tan x', tangent='1'); "
            "print(json.dumps(sorted(sys.modules)))")
    mods = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                                         check=True).stdout))
    assert not mods & {"click", "rich", "uniplot", "matplotlib"}


# --- what a new user met ----------------------------------------------------------------------

@pytest.mark.parametrize("expr, domain", [("sin(x)^2 + cos(x)^2", "x=-10:10"), ("cosh(x)^2 - sinh(x)^2", "x=-10:10"),
                                          ("(x^2-1)/(x-1)", "x=-3:3")])
def test_rounding_noise_is_no_critical_or_inflection_point(run, expr, domain):
    # each is a constant or a line: f' or f'' is 0 up to rounding, whose sign means nothing
    d = data(run, expr, "--domain", domain)
    assert d["critical_points"] == [] and d["inflection_points"] == [] if "x-1" not in expr else \
        d["inflection_points"] == []


def test_critical_points_at_the_ends_of_a_closed_interval(run):
    d = data(run, "x^3 - 3x", "--domain", "x=-1:1")
    assert [(c["x"], c["kind"]) for c in d["critical_points"]] == [(-1.0, "maximum"), (1.0, "minimum")]


def test_a_point_where_f_prime_is_not_small_is_no_flat_inflection(run):
    d = data(run, "x e^x", "--domain", "x=-5:20")
    assert [(c["x"], c["kind"]) for c in d["critical_points"]] == [(pytest.approx(-1, abs=1e-12), "minimum")]
    assert [p["x"] for p in d["inflection_points"]] == pytest.approx([-2], abs=1e-12)
    listing = ok(run("plot", "e^(x^3)", "--domain", "x=-2:1.5")).stdout
    assert re.search(r"x = 0 +f = 1 +neither", listing)


def test_no_tangent_across_a_jump(run):
    bad(run("plot", "sign(x-0.3) + x", "--domain", "x=-2:2", "--tangent", "0.3"), "not continuous")


@pytest.mark.parametrize("args", [["x^100"], ["e^(x^3)"], ["x^2", "--domain", "x=-1e150:1e150"], ["sqrt(-x^2)"]])
def test_huge_ranges_and_single_points_draw_without_a_crash_or_library_text(args):
    proc = subprocess.run([sys.executable, "-m", "gradcli", "plot", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "Warning" not in proc.stdout


@pytest.mark.parametrize("expr, critical, inflection", [
    ("abs(x^2-4)", [(-2, "minimum"), (0, "maximum"), (2, "minimum")], [-2, 2]),
    ("x^(2/3)(x-5)", [(0, "maximum"), (2, "minimum")], [-1]),        # a cusp, then f' = 0
    ("x^(1/3)(x-4)", [(0, "neither"), (1, "minimum")], [-2, 0]),   # a vertical tangent at 0
])
def test_corners_and_cusps_are_critical_points_where_f_prime_is_undefined(run, expr, critical, inflection):
    d = data(run, expr, "--domain", "x=-3:3.1")
    assert [(c["x"], c["kind"]) for c in d["critical_points"]] == [(pytest.approx(x, abs=1e-9), k) for x, k in critical]
    assert [p["x"] for p in d["inflection_points"]] == pytest.approx(inflection, abs=1e-9)


@pytest.mark.parametrize("expr, domain, poles", [("1/(x-2)^2", "x=-3:3", [2]),
                                                 ("sec(x)^2", "x=-5:5", [-3 * math.pi / 2, -math.pi / 2,
                                                                         math.pi / 2, 3 * math.pi / 2])])
def test_a_pole_where_f_keeps_its_sign_is_a_gap_too(run, expr, domain, poles):
    d = data(run, expr, "--domain", domain, "--order", "0")
    gaps = [x for x, f in zip(d["x"], d["f"]) if f == "NaN"]
    for p in poles:
        assert any(abs(g - p) < 1e-6 for g in gaps), (p, gaps)
    assert d["y_range_clipped"]


@pytest.mark.parametrize("expr, critical", [("abs(x)", [(0, "minimum")]), ("cbrt(x)", [(0, "neither")]),
                                            ("abs(x^2-1)", [(-1, "minimum"), (0, "maximum"), (1, "minimum")])])
def test_a_corner_on_a_grid_point_is_found_as_between_them(run, expr, critical):
    for domain in ("x=-2:2", "x=-2:2.1", "x=-1.7:2.3"):   # 0 on the grid, and not
        d = data(run, expr, "--domain", domain)
        assert [(c["x"], c["kind"]) for c in d["critical_points"]] == \
            [(pytest.approx(x, abs=1e-9), k) for x, k in critical], domain

"""Issue 23, "numbers that know their own accuracy", the cases seen on main: each on the
command line and through the Python API. (Ball arithmetic and re-checking at higher
precision are tested with the ball branch.)"""

import json
import math

import pytest

import gradcli
from gradcli.calculus.formula import diff
from gradcli.calculus.taylor import taylor
from gradcli.errors import GradcliError
from gradcli.homework.derivative import check
from gradcli.homework.taylor import check_taylor
from gradcli.homework.tangent import check_line

X = "9.916041977309334"   # where e^(2x) and exp(2x) drifted apart on main


# --- one rule for e: e^u is exp(u) -------------------------------------------------------------

def test_e_power_is_exp_on_the_command_line(run):
    out = json.loads(run("eval", "e^(2x) - exp(2x)", "-a", f"x={X}", "--json").stdout)
    assert out["values"][0] == 0 and out["grad"]["x"] == 0


def test_e_power_is_exp_in_the_api():
    r = gradcli.evaluate("e^(2x) - exp(2x)", at={"x": float(X)}, grad=["x"])
    assert float(r.values[0]) == 0.0


@pytest.mark.parametrize("f, expected", [
    ("sin(exp(3x))", "3e^(3x) cos(e^(3x))"),
    ("cos(exp(3x))", "-3e^(3x) sin(e^(3x))"),
    ("tan(exp(3x))", "3e^(3x) sec(e^(3x))^2"),
    ("sec(exp(3x))", "3e^(3x) sec(e^(3x)) tan(e^(3x))"),
    ("csc(exp(3x))", "-3e^(3x) cot(e^(3x)) csc(e^(3x))"),
])
def test_derivatives_of_functions_of_exp_pass_their_self_check(run, f, expected):
    assert diff(f, "x").text == expected
    result = run("diff", f)
    assert result.exit_code == 0 and result.output == f"d/dx ({f}) = {expected}\n"


# --- zero up to its error is zero -----------------------------------------------------------

def test_normal_at_a_horizontal_tangent_is_vertical(run):
    assert check_line("4sin x", "normal", {"x": "pi/2"}, "x = pi/2").correct
    result = run("check", "4sin x", "--normal", "--at", "x=pi/2", "--answer", "x = pi/2")
    assert result.exit_code == 0 and "vertical expected, vertical in the answer" in result.output


def test_parametric_normal_at_a_horizontal_tangent_is_vertical(run):
    assert check_line("x = cos t, y = sin(2t)", "normal", {"t": "pi/4"}, "x = sqrt(2)/2", curve="parametric").correct
    result = run("check", "x = cos t, y = sin(2t)", "--parametric", "--normal", "--at", "t=pi/4",
                 "--answer", "x = sqrt(2)/2")
    assert result.exit_code == 0


def test_a_slope_that_is_not_zero_stays(run):
    # near pi/2, not at it: the slope is small but far beyond its error bound
    result = run("check", "4sin x", "--normal", "--at", "x=1.5707963", "--answer", "x = pi/2", "--json")
    out = json.loads(result.stdout)
    assert out["verdict"] == "incorrect"
    assert out["line"]["expected"]["text"] == "y = -9330134.909x + 14655745.39"  # digits, not a float's fraction


# --- fractional powers: the real root for an odd denominator, everywhere ----------------------

@pytest.mark.parametrize("f, value, slope", [("x^(1/3)", -2.0, 1 / 12), ("x^(2/3)", 4.0, -1 / 3), ("x^(3/5)", -8.0, 0.15)])
def test_odd_roots_of_negative_numbers_everywhere(run, f, value, slope):
    at = "-32" if "5" in f else "-8"
    r = gradcli.evaluate(f, at={"x": float(at)}, grad=["x"])
    assert float(r.values[0]) == pytest.approx(value) and float(r.grad["x"]) == pytest.approx(slope)
    out = json.loads(run("eval", f, "-a", f"x={at}", "--json").stdout)
    assert out["values"][0] == pytest.approx(value)
    assert diff(f, "x", at={"x": at}).value == pytest.approx(slope)
    p = taylor(f, at={"x": at}, degree=1)
    assert p.coefficients[0] == pytest.approx(value) and p.coefficients[1] == pytest.approx(slope)


def test_even_roots_of_negative_numbers_are_undefined():
    r = gradcli.evaluate("x^(1/2)", at={"x": -8.0})
    assert math.isnan(float(r.values[0]))


def test_check_and_eval_agree_on_a_cube_root():
    assert check("x^(2/3)", "x", "2/(3 cbrt(x))", domain={"x": (-5, -1)}).correct


# --- exact numbers where the input is exact ------------------------------------------------

def test_taylor_coefficients_in_closed_form(run):
    p = taylor("e^(2x)", at={"x": "1"}, degree=6)
    assert p.polynomial.startswith("e^2 + 2e^2 (x - 1) + 2e^2 (x - 1)^2 + 4e^2 (x - 1)^3/3")
    assert p.coefficients[0] == pytest.approx(math.exp(2), rel=1e-15)
    out = run("taylor", "e^(2x)", "--at", "x=1", "-n", "6").output
    assert "721315" not in out and out.startswith("p6(x) = e^2 + ")


def test_taylor_about_pi_over_4(run):
    assert taylor("cos x", at={"x": "pi/4"}, degree=2).polynomial == \
        "sqrt(2)/2 - sqrt(2) (x - pi/4)/2 - sqrt(2) (x - pi/4)^2/4"
    assert run("taylor", "cos x", "--at", "x=pi/4", "-n", "2").output == \
        "p2(x) = sqrt(2)/2 - sqrt(2) (x - pi/4)/2 - sqrt(2) (x - pi/4)^2/4\n"


def test_closed_forms_read_back_as_the_polynomial():
    for f, at in [("e^(2x)", "1"), ("tan x", "pi/3"), ("sin x", "1"), ("ln x", "2"), ("x^(2/3)", "-8")]:
        p = taylor(f, at={"x": at}, degree=5)
        for h in (-0.1, 0.05, 0.2):
            x = p.center + h
            r = gradcli.evaluate(p.polynomial, at={"x": x})
            assert float(r.values[0]) == pytest.approx(p.value(x), rel=1e-12, abs=1e-12), (f, p.polynomial)


def test_whole_factorials_are_fractions_at_any_size():
    assert taylor("e^x", degree=12).polynomial.endswith("x^12/479001600")


# --- messages say what is true ----------------------------------------------------------

def test_ln_at_0_is_undefined_not_a_corner(run):
    with pytest.raises(GradcliError, match="undefined at x = 0"):
        check_taylor("ln x", 2, "x - x^2/2")
    result = run("check", "ln x", "--taylor", "2", "--answer", "x - x^2/2")
    assert result.exit_code == 2 and "undefined at x = 0" in result.stderr and "corner" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_abs_at_0_is_still_a_corner():
    with pytest.raises(GradcliError, match="corner"):
        check_taylor("abs x", 2, "x")


def test_a_lines_point_in_exact_numbers_when_the_point_is_exact(run):
    # cos at the float nearest pi/2 is 6.12e-17: its digits are not the point's y, 0 is
    out = json.loads(run("check", "cos x", "--tangent", "--at", "x=pi/2", "--answer", "y = -x + pi/2",
                         "--json").stdout)
    assert out["verdict"] == "correct" and out["line"]["point_text"] == "(pi/2, 0)"
    text = run("check", "cos x", "--tangent", "--at", "x=pi/2", "--answer", "y = -x + pi/2").stdout
    assert "(pi/2, 0)" in text and "at x = pi/2" in text and "6.12" not in text
    out = json.loads(run("check", "x^2", "--tangent", "--at", "x=0.3", "--answer", "y = 0.6x - 0.09",
                         "--json").stdout)
    assert out["line"]["point_text"] == "(3/10, 9/100)"

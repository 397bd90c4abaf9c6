"""Numbers that know their own accuracy (issue 23): the float Taylor pass's digits, the ball
pass where they fall short, removable singularities, and the checker's re-checked points.

The differential test against mpmath at 50 digits runs a fixed 250 samples here; the full
2,000 expressions are tests/stress/accuracy.py.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

import gradcli
from engine.accuracy_cases import REMOVABLE, expression, point, run
from gradcli.engine import ball, ops
from gradcli.engine.primitive import PRIMITIVES


def _samples(count, seed):
    rng = np.random.default_rng(seed)
    for i in range(count):
        text, f = expression(rng)
        yield i, text, f, point(rng), int(rng.integers(1, 41))


@pytest.mark.parametrize("chunk", range(5))
def test_no_derivative_claims_a_digit_it_does_not_have(chunk):
    problems = []
    for i, text, f, x, order in _samples(250, 2023):
        if i % 5 == chunk:
            problems += run(text, f, x, order)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("text,f", REMOVABLE, ids=[t for t, _ in REMOVABLE])
@pytest.mark.parametrize("x", [0.0, 1e-9, -1e-4, 1.0])
def test_removable_singularities_at_and_near_zero(text, f, x):
    assert not run(text, f, x, 12)


# issue 23's cases: (expression, x, order, the last derivative's leading digits)
CASES = [("sin(x)/x", 1.0, 20, "0.027495989922"), ("sin(x)/x", 3.0, 40, "-0.023781684202"),
         ("cos(sqrt(x))", 2.0, 40, "1.1260427728959e-71"), ("atan(1/x)", -0.3, 30, "-1.5283587100799e+30"),
         ("(1-cos(x))/x^2", 1.0, 15, "0.0028470596463"), ("x/(e^x-1)", 1.0, 20, "400.83558045478")]


@pytest.mark.parametrize("expr,x,order,want", CASES)
def test_the_issues_cases_are_right_and_say_so(expr, x, order, want):
    r = gradcli.evaluate(expr, at={"x": x}, order=order)
    got = float(r.derivatives["x"][-1])
    assert got == pytest.approx(float(want), rel=1e-12)
    assert r.derivative_digits["x"][-1] >= 12
    assert not r.warnings


def test_sin_x_over_x_at_zero_has_its_limits_derivatives():
    r = gradcli.evaluate("sin(x)/x", at={"x": 0}, order=4)
    assert [float(d) for d in r.derivatives["x"]] == pytest.approx([0, -1 / 3, 0, 1 / 5], abs=1e-15)


def test_fifty_digits_when_asked(tmp_path):
    r = gradcli.evaluate("sin(x)/x", at={"x": 1}, order=20, digits=50)
    text = r.derivative_balls["x"][19].text(50)
    # mpmath 1.3: diff(lambda x: sin(x)/x, 1, 20) at 80 and at 120 digits agree on these
    assert text == "0.027495989922340538560798362414753478097721750183124"[:len(text)]
    assert len(text.replace("0.0", "", 1)) >= 50


def test_a_ball_that_cannot_vouch_says_so():
    from flint import arb

    b = ball.Ball(arb("1 +/- 0.5"), ball.digits_of(arb("1 +/- 0.5")))
    assert b.digits == 0 and b.text(10) is None


def test_every_primitive_has_a_ball_rule():
    assert set(PRIMITIVES) <= set(ball.RULES)


@pytest.mark.parametrize("name", ["sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "acot", "sech", "csch", "coth",
                                  "asech", "acsch", "acoth", "erf", "erfc", "cbrt", "log2", "log10", "sigmoid",
                                  "softplus", "asin", "acos", "abs", "relu"])
def test_ball_rules_agree_with_the_float_pass(name):
    at = {"acosh": 1.7, "asech": 0.6, "acoth": 2.5, "acsch": 0.7, "atanh": 0.4, "asin": 0.3, "acos": 0.3}.get(name, 0.8)
    x = gradcli.tensor(at, requires_grad=True)
    out = getattr(ops, name)(x)
    from gradcli.engine import taylor

    floats = taylor.coefficients(out, x, 6)
    balls = ball.coefficients(out, x, 6, digits=20)
    assert [b.value for b in balls] == pytest.approx([float(v) for v in floats], rel=1e-12, abs=1e-14)
    assert all(b.digits >= 20 for b in balls)


def test_taylor_and_check_taylor_agree_on_removable_singularities():
    from gradcli.calculus.taylor import taylor
    from gradcli.homework.taylor import check_taylor

    assert taylor("sin(x)/x", degree=4).polynomial == "1 - x^2/6 + x^4/120"
    assert check_taylor("sin(x)/x", 4, "1 - x^2/6 + x^4/120").correct
    assert taylor("(1-cos(x))/x^2", degree=4).polynomial == "1/2 - x^2/24 + x^4/720"
    assert taylor("x/sin(x)", degree=2).polynomial == "1 + x^2/6"


def test_taylor_and_check_taylor_give_the_same_error():
    from gradcli.calculus.taylor import taylor
    from gradcli.errors import ValueInputError
    from gradcli.homework.taylor import check_taylor

    for expr in ("1/x", "abs(x)"):
        with pytest.raises(ValueInputError) as a:
            taylor(expr, degree=3)
        with pytest.raises(ValueInputError) as b:
            check_taylor(expr, 3, "x")
        assert str(a.value) == str(b.value)


def test_check_refines_disputed_points_before_calling_a_right_answer_wrong():
    from gradcli.homework.derivative import check

    r = check("sin(e^(2x))", None, "2exp(2x) cos(exp(2x))")  # issue 23's case: e^u is exp(u) now
    assert r.correct
    # found by the checker fuzz (tests/stress/equivalent_forms.py): the factored right answer
    # overflows in floating point (e^(3x^3) is inf at x = 9.9, times e^(-3x^3) = 0 is NaN)
    r = check("2*x + exp(-3*(x)^(3)) + sin(3*(x)^(3))", None,
              "(-9*(x)^(2) + 2*exp(3*(x)^(3)) + 9*(x)^(2)*cos(3*(x)^(3))*exp(3*(x)^(3)))*exp(-3*(x)^(3))")
    assert r.correct and r.refined


def test_check_still_fails_a_wrong_answer():
    from gradcli.homework.derivative import check

    r = check("sin(3x)", None, "cos(3x)")
    # both floats sound and apart at every point: no ball pass is needed to say so
    assert not r.correct and r.refined == [] and len(r.failing) == 20
    r = check("x^3 sin(x)", None, "3x^2 sin(x) - x^3 cos(x)")   # a wrong sign, so close at some points
    assert not r.correct


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "gradcli", *args], capture_output=True, text=True)


def test_json_names_each_derivatives_digits_and_text():
    p = _cli("eval", "sin(x)/x", "-a", "x=1", "--order", "3", "--digits", "30", "--json")
    out = json.loads(p.stdout)
    assert out["derivative_digits"]["x"] == [15, 15, 15]
    assert out["derivative_text"]["x"][0].startswith("-0.30116867893975678925156571418")
    assert len(out["derivative_text"]["x"][0].lstrip("-0.")) == 30


def test_check_json_says_which_points_were_refined():
    p = _cli("check", "2*x + exp(-3*(x)^(3)) + sin(3*(x)^(3))", "--answer",
             "(-9*(x)^(2) + 2*exp(3*(x)^(3)) + 9*(x)^(2)*cos(3*(x)^(3))*exp(3*(x)^(3)))*exp(-3*(x)^(3))", "--json")
    out = json.loads(p.stdout)
    assert out["verdict"] == "correct" and out["refined"] and "floating point was not enough" in p.stderr


def test_digits_needs_order():
    p = _cli("eval", "x", "-a", "x=1", "--digits", "5")
    assert p.returncode == 2 and "--digits goes with --order" in p.stderr

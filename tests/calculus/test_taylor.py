"""Taylor mode and Taylor polynomials: every rule against mpmath, every order in one pass, and
the Taylor-polynomial exercises of OpenStax Calculus Volume 2 and APEX Calculus.

Exact values come from mpmath's `taylor` at 50 significant digits, computed here (mpmath is
installed with SymPy, a test extra); tests/data/taylor.toml names the book of every exercise.
"""

import json
import math
import tomllib
from functools import cache
from pathlib import Path

import mpmath
import numpy as np
import pytest

import gradcli
from gradcli.engine.derivatives import nth_derivatives
from gradcli.engine.primitive import PRIMITIVES
from gradcli.engine.taylor import derivatives
from gradcli.calculus.taylor import estimate, taylor
from gradcli.homework.taylor import check_taylor
from gradcli.language.functions import FUNCTIONS
from mistakes import assert_no_other_mistake_named, assert_share_named, judge_all, unknown_categories

g = gradcli
mp = mpmath
CORPUS = tomllib.loads((Path(__file__).parent.parent / "data" / "taylor.toml").read_text(encoding="utf-8"))["exercise"]


def test_every_primitive_has_a_taylor_rule():
    missing = [name for name, p in PRIMITIVES.items() if p.taylor is None]
    assert not missing, missing


# mpmath's function of the same name, unless named here
MPMATH = {"cbrt": lambda t: mp.sign(t) * mp.cbrt(abs(t)), "log2": lambda t: mp.log(t, 2),
          "log10": lambda t: mp.log(t, 10), "sigmoid": lambda t: 1 / (1 + mp.exp(-t)),
          "softplus": lambda t: mp.log(1 + mp.exp(t)), "abs": abs, "relu": lambda t: max(t, 0)}
# points: generic ones, whole numbers and zero where defined (default: 0.37, 0, -2)
POINTS = {"log": [0.37, 1, 3], "sqrt": [0.37, 1, 4], "cos": [0.37, 0, 1], "tan": [0.37, 0, -1],
          "asin": [0.37, 0, -0.5], "acos": [0.37, 0], "atan": [0.37, 0, 2], "sinh": [0.37, 0, 1],
          "cosh": [0.37, 0, -1], "tanh": [0.37, 0, 1], "sec": [0.37, 0, 1], "csc": [0.37, 1, -2],
          "cot": [0.37, 1, 2], "asec": [1.37, 2, -3], "acsc": [1.37, 2, -3], "acot": [0.37, 1, -2],
          "sech": [0.37, 0, 1], "csch": [0.37, 1, -2], "coth": [0.37, 1, -2], "asinh": [0.37, 0, 2],
          "acosh": [1.37, 2, 3], "atanh": [0.37, 0, -0.5], "asech": [0.37, 0.5], "acsch": [0.37, 1, -2],
          "acoth": [1.37, 2, -3], "cbrt": [0.37, 1, -8], "log2": [0.37, 1, 2], "log10": [0.37, 1, 10],
          "sigmoid": [0.37, 0, -3], "softplus": [0.37, 0, 2], "abs": [0.37, -2], "relu": [0.37, -2]}
# every differentiable one-argument function of the table (sign and detach: derivative 0)
TABLE = sorted(name for name, fn in FUNCTIONS.items() if fn.elementwise and len(fn.params) - len(fn.optional) == 1
               and not fn.static and name not in ("sign", "detach"))
RULES = [(getattr(g, name), MPMATH.get(name, getattr(mp, name, None)), POINTS.get(name, [0.37, 0, -2]))
         for name in TABLE] + [
    (lambda x: x ** 2.5, lambda t: t ** mp.mpf(2.5), [0.37, 1, 4]), (lambda x: x ** -3, lambda t: t ** -3, [0.37, 1, -2]),
    (lambda x: x ** 7, lambda t: t ** 7, [0.37, 0, -1]), (lambda x: x ** x, lambda t: t ** t, [0.37, 1, 2]),
    (lambda x: 2 ** x, lambda t: mp.mpf(2) ** t, [0.37, 0, -1]),
]


def test_every_function_of_the_table_has_an_oracle():
    assert "erf" in TABLE and not [r for r in RULES if r[1] is None]


@pytest.mark.parametrize("fn,exact,points", RULES, ids=[getattr(r[0], "__name__", "") or str(i) for i, r in enumerate(RULES)])
def test_each_taylor_rule_against_mpmath_to_order_30(fn, exact, points):
    for x0 in points:
        x = g.tensor(float(x0), requires_grad=True)
        ours = derivatives(fn(x), x, 30)
        with mp.workdps(50):
            ref = mp.taylor(exact, mp.mpf(x0), 31)
            wants = [float(ref[k] * mp.factorial(k)) for k in range(32)]
        for k in range(1, 31):
            # relative to the size of the derivatives of this order: a 0 between two large ones
            # (an odd function's even derivatives) is judged on that scale
            scale = max(1.0, abs(wants[k - 1]), abs(wants[k]), abs(wants[k + 1]))
            got = float(ours[k - 1])
            assert abs(got - wants[k]) <= 1e-10 * scale, (fn, x0, k, got, wants[k])


def test_orders_agree_with_nested_reverse_mode():
    for make, x0 in ((lambda x: g.sin(x) * g.exp(x) / (1 + x ** 2), 0.5), (lambda x: g.sum(g.tanh(x * g.tensor([1.0, -2.0, 3.0]))), 0.3),
                     (lambda x: g.maximum(x, 2 - x) * g.log(1 + x ** 2), 0.7), (lambda x: g.prod(g.stack([x, x ** 2, g.sin(x)])), 1.1)):
        x = g.tensor(x0, requires_grad=True)
        taylor_mode = derivatives(make(x), x, 6)
        x = g.tensor(x0, requires_grad=True)
        reverse = nth_derivatives(make(x), x, 6)
        np.testing.assert_allclose(np.array(taylor_mode, dtype=float), np.array(reverse, dtype=float), rtol=1e-9, atol=1e-9)


def test_order_1000_in_one_pass_neither_underflows_nor_overflows(run):
    x = g.tensor(0.0, requires_grad=True)
    assert float(derivatives(g.sin(x + 1), x, 1000)[-1]) == pytest.approx(math.sin(1), rel=1e-9)
    data = json.loads(run("eval", "exp(2x)", "-a", "x=0", "--order", "1000", "--json").stdout)
    assert data["derivatives"]["x"][99] == pytest.approx(2.0 ** 100, rel=1e-9)


# --- Taylor polynomials -------------------------------------------------------------------------

def test_the_maclaurin_polynomial_of_e_to_the_x(run):
    r = run("taylor", "e^x", "--degree", "4")
    assert r.stdout == "p4(x) = 1 + x + x^2/2 + x^3/6 + x^4/24\n"


def test_sqrt_about_1_with_exact_fractions():
    p = taylor("sqrt x", at={"x": "1"}, degree=3)
    assert p.polynomial == "1 + (x - 1)/2 - (x - 1)^2/8 + (x - 1)^3/16"
    assert p.coefficients == [1.0, 0.5, -0.125, 0.0625]


def test_the_polynomial_reads_back_and_approximates(run):
    for expr, at, n in (("cos x", "pi/4", 4), ("ln(1 + x)", "0", 5), ("1/x", "-1", 3), ("x^3 - 2x", "2", 3)):
        p = taylor(expr, at={"x": at}, degree=n)
        x0 = p.center + 0.01
        value = json.loads(run("eval", p.polynomial, "-a", f"x={x0!r}", "--json").stdout)["values"][0]
        exact = json.loads(run("eval", expr, "-a", f"x={x0!r}", "--json").stdout)["values"][0]
        assert value == pytest.approx(exact, abs=1e-10 * 10 ** n)
    assert taylor("x^3 - 2x", at={"x": "2"}, degree=3).polynomial == "4 + 10(x - 2) + 6(x - 2)^2 + (x - 2)^3"


def test_json_keys(run):
    data = json.loads(run("taylor", "sin x", "--degree", "3", "--estimate", "x=0.1", "--json").stdout)
    assert {"expression", "variable", "center", "degree", "coefficients", "derivatives", "polynomial", "latex",
            "estimate"} <= set(data)
    assert data["derivatives"] == [0.0, 1.0, 0.0, -1.0]
    assert data["estimate"]["error"] <= data["estimate"]["bound"]


@pytest.mark.parametrize("ex", [e for e in CORPUS if "estimate_at" in e], ids=lambda e: e["id"])
def test_estimates_match_the_books(ex):
    p = taylor(ex["expr"], ex["wrt"], at={ex["wrt"]: ex["center"]}, degree=ex["degree"])
    e = estimate(p, ex["estimate_at"])
    assert e.polynomial_value == pytest.approx(float(ex["book_value"]), abs=float(ex["value_tolerance"]) * 10)
    assert e.error <= e.bound * (1 + 1e-9)          # the grid's bound holds


# --- checking a student's polynomial ----------------------------------------------------------------

@pytest.mark.parametrize("ex", CORPUS, ids=[e["id"] for e in CORPUS])
def test_verdicts_on_the_books_exercises(ex):
    at = {ex["wrt"]: ex["center"]}
    assert check_taylor(ex["expr"], ex["degree"], ex["answer"], ex["wrt"], at=at).correct, ex["answer"]
    for wrong in ex["wrong"]:
        assert not check_taylor(ex["expr"], ex["degree"], wrong["answer"], ex["wrt"], at=at).correct, wrong


@cache
def _diagnoses() -> tuple:
    """gradcli's diagnosis of every wrong polynomial, in the corpus's order (computed once)."""
    return tuple(check_taylor(ex["expr"], ex["degree"], wrong["answer"], ex["wrt"], at={ex["wrt"]: ex["center"]}).diagnosis
                 for ex in CORPUS for wrong in ex["wrong"])


def test_nine_wrong_polynomials_in_ten_are_diagnosed():
    diagnoses = _diagnoses()
    diagnosed, total = sum(d is not None for d in diagnoses), len(diagnoses)
    assert diagnosed >= 0.9 * total


# Each wrong polynomial's `mistake` is one of these CATEGORIES, each with what gradcli says when
# it names it (tests/mistakes.py); a category with no pattern is one gradcli does not name (yet)
CATEGORIES = {
    "coefficient without 1/k!": [r"without its 1/k!"],
    "1/k for 1/k!": [r"1/k used for 1/k!"],
    "one term's sign": [r"one term's sign is wrong"],
    "alternating signs": [r"the signs of the terms of degree"],
    "terms beyond degree": [r"^terms beyond degree"],
    "term missing": [r"the term of degree \d+ is missing"],
    "polynomial about 0": [r"the polynomial about 0 given"],
    "powers of x for x - C": [r"powers of x written for powers of"],
    "derivative not evaluated at C": [],
}
# what gradcli says when it only describes the difference, naming no mistake
DESCRIBES = [r"^the coefficient of .* is wrong: it is"]
# measured: 53 of the 58 wrong polynomials get a diagnosis naming their recorded category (57
# are diagnosed; 4 diagnoses only name the coefficient that is wrong)
NAMED_SHARE = 0.9


def _judged() -> list:
    return judge_all(CORPUS, _diagnoses(), CATEGORIES, DESCRIBES)


def test_every_recorded_mistake_is_a_category():
    assert not unknown_categories([w for ex in CORPUS for w in ex["wrong"]], CATEGORIES)


def test_a_diagnosis_that_names_a_mistake_names_the_recorded_one():
    assert_no_other_mistake_named(_judged())


def test_most_diagnoses_name_the_recorded_mistake():
    assert_share_named(_judged(), NAMED_SHARE)


MISTAKES = [  # expr, degree, center, answer, what the diagnosis says
    ("e^x", 3, "0", "1 + x + x^2 + x^3", "without its 1/k!"),
    ("sin x", 5, "0", "x - x^3/3 + x^5/5", "1/k used for 1/k!"),
    ("sqrt x", 1, "4", "2 + x/4", "powers of x written for powers of (x - 4)"),
    ("e^x", 2, "1", "1 + x + x^2/2", "the polynomial about 0 given"),
    ("e^x", 3, "0", "1 + x + x^2/2 - x^3/6", "one term's sign is wrong"),
    ("ln(1 + x)", 3, "0", "x - x^2/2", "the term of degree 3 is missing: its coefficient is 1/3"),
    ("e^x", 2, "0", "1 + x + x^2/2 + x^3/6", "terms beyond degree 2"),
    ("e^x", 2, "0", "e^x", "not a polynomial"),
    ("1/(1 + x)", 3, "0", "1 + x + x^2 + x^3", "signs of the terms of degree 1 and 3"),
]


@pytest.mark.parametrize("expr,n,c,answer,says", MISTAKES, ids=[m[4] for m in MISTAKES])
def test_each_mistake_is_named(expr, n, c, answer, says):
    r = check_taylor(expr, n, answer, at={"x": c})
    assert not r.correct and says in r.diagnosis


def test_check_taylor_from_the_command_line_and_sheets(run, tmp_path):
    r = run("check", "e^x", "--taylor", "3", "--answer", "1 + x + x^2/2 + x^3/6")
    assert r.exit_code == 0
    r = run("check", "sqrt x", "--taylor", "2", "--at", "x=4", "--answer", "2 + (x - 4)/4", "--json", "--show-answer")
    data = json.loads(r.stdout)
    assert r.exit_code == 1 and data["kind"] == "taylor" and data["correct_answer"] == "2 + (x - 4)/4 - (x - 4)^2/64"
    sheet = tmp_path / "t.toml"
    sheet.write_text('[[problem]]\nid = "exp"\nexpr = "e^x"\ntaylor = 2\nanswer = "1 + x + x^2/2"\n')
    assert json.loads(run("check", "--sheet", str(sheet), "--json").stdout)["all_correct"] is True


def test_the_python_api():
    assert gradcli.taylor("e^x", degree=3).coefficients == pytest.approx([1, 1, 1 / 2, 1 / 6])


def test_infinite_derivatives_at_zero_have_the_sign_reverse_mode_gives(run):
    # sqrt x at 0+: f'' = -1/(4 x^(3/2)) -> -inf, f''' -> +inf; x^(5/2): f'' = 0, f''' -> +inf, f'''' -> -inf
    orders = json.loads(run("eval", "sqrt(x)", "-a", "x=0", "--order", "3", "--json").stdout)["derivatives"]["x"]
    hessian = json.loads(run("eval", "sqrt(x)", "-a", "x=0", "--hessian", "--json").stdout)["hessian"]["matrix"]
    assert orders == ["Infinity", "-Infinity", "Infinity"] and hessian == [["-Infinity"]]
    orders = json.loads(run("eval", "x^(5/2)", "-a", "x=0", "--order", "4", "--json").stdout)["derivatives"]["x"]
    assert orders == [0.0, 0.0, "Infinity", "-Infinity"]

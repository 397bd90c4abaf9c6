"""Calculus as textbooks and WeBWorK print it: every case here was misread before."""

import json

import pytest

from gradcli.homework.derivative import check
from gradcli.language.grammar import parse
from gradcli.language.reading import known_variables
from gradcli.language.tree import to_text


@pytest.mark.parametrize("text,read", [
    ("sin x", "sin(x)"),
    ("ln x", "ln(x)"),
    ("sqrt x", "sqrt(x)"),
    ("exp x", "exp(x)"),
    ("sin 2x", "sin(2 * x)"),
    ("sin x^2", "sin(x ** 2)"),
    ("ln x^2", "ln(x ** 2)"),
    ("sin x cos x", "(sin(x) * cos(x))"),
    ("e^x sin x", "((e ** x) * sin(x))"),
    ("2 sin x cos x", "((2 * sin(x)) * cos(x))"),
    ("sin x/2", "(sin(x) / 2)"),
    ("sin x + 1", "(sin(x) + 1)"),
    ("-sin x", "(-sin(x))"),
    ("ln ln x", "ln(ln(x))"),
    ("sin^2(x)", "(sin(x) ** 2)"),
    ("sin^2 x", "(sin(x) ** 2)"),
    ("sec^2x", "(sec(x) ** 2)"),
    ("sin\u00b2x", "(sin(x) ** 2)"),
    ("sin^-1(x)", "asin(x)"),
    ("sin^(-1) x", "asin(x)"),
    ("tan^-1 x", "atan(x)"),
    ("tan^-1(tan x)", "atan(tan(x))"),
    ("sin^2(x) y", "((sin(x) ** 2) * y)"),
    ("1/2x", "((1 / 2) * x)"),
    ("x/2y", "((x / 2) * y)"),
    ("2x^2", "(2 * (x ** 2))"),
    ("-2x", "(-(2 * x))"),
    ("1/2 x^(-1/2)", "((1 / 2) * (x ** (-(1 / 2))))"),
    ("|t|", "abs(t)"),
    ("x|x|", "(x * abs(x))"),
    ("||x|-1|", "abs(abs(x) - 1)"),
    ("|x||y|", "(abs(x) * abs(y))"),
    ("\u221ax", "sqrt(x)"),
    ("\u221a(x+1)", "sqrt(x + 1)"),
    ("\u221bx", "cbrt(x)"),
    ("\u03b8 + theta", "(theta + theta)"),
    ("2\u03c0r", "((2 * pi) * r)"),
    ("x\u207b\u00b9", "(x ** (-1))"),
    ("arcsec x + arsinh x", "(arcsec(x) + arsinh(x))"),
    ("log(x, 2)", "log(x, 2)"),
    ("root(3, x)", "root(3, x)"),
])
def test_reading(text, read):
    assert repr(parse(text)) == read


@pytest.mark.parametrize("text,read", [
    ("xy", "(x * y)"),
    ("4/(xy)", "(4 / (x * y))"),
    ("-60xy^2 sin(5x^2+2y^3)", "(-(((60 * x) * (y ** 2)) * sin((5 * (x ** 2)) + (2 * (y ** 3)))))"),
    ("2xcos(x^2)", "((2 * x) * cos(x ** 2))"),
    ("x(x+1)", "(x * (x + 1))"),
    ("xe^x", "(x * (e ** x))"),
    ("x2y", "((x * 2) * y)"),
    ("xsinx", "(x * sin(x))"),
])
def test_names_split_into_the_problems_variables(text, read):
    with known_variables({"x", "y"}):
        assert repr(parse(text)) == read


@pytest.mark.parametrize("text", ["ab", "x2", "theta", "pi"])
def test_names_that_do_not_split_stay_names(text):
    with known_variables({"x", "y"}):
        assert repr(parse(text)) == text


def test_outside_check_nothing_is_split():
    assert repr(parse("xy")) == "xy"


@pytest.mark.parametrize("text,column,words", [
    ("sin", 1, "sin needs an argument"),
    ("sin + x", 1, "sin needs an argument"),
    ("sin^-2 x", 4, "ambiguous"),
    ("ln^-1 x", 3, "names no inverse"),
    ("|a|b|c|", 3, "more than one way"),
])
def test_readings_nobody_asked_for_are_refused(text, column, words):
    from gradcli.errors import ParseError

    with pytest.raises(ParseError) as info:
        parse(text)
    assert words in info.value.message and info.value.column == column


@pytest.mark.parametrize("expr,wrt,answer", [
    ("sin x", "x", "cos(x)"),
    ("ln x", "x", "1/x"),
    ("sqrt x", "x", "1/(2 sqrt x)"),
    ("exp x", "x", "exp x"),
    ("sec^2x", "x", "2 sec^2x tan x"),
    ("sin^4(2t)", "t", "8 sin^3(2t) cos(2t)"),
    ("4/(xy)", "x", "-4/(x^2y)"),
    ("sin(5x^2+2y^3)", "x,y", "-60xy^2 sin(5x^2+2y^3)"),
    ("x^2 sin x", "x", "2xsinx + x^2cosx"),
    ("x(x+1)", "x", "2x + 1"),
    ("1/4s^4+1/3s^3+1/2s^2+s+1", "s", "s^3+s^2+s+1"),
    ("tan^-1(tan x)", "x", "1"),
    ("|t|", "t", "t/|t|"),
    ("\u221ax", "x", "1/(2\u221ax)"),
    ("\u03b8 sin \u03b8", "theta", "sin theta + \u03b8 cos\u03b8"),
    ("csc x + cot x", "x", "-csc x cot x - csc^2 x"),
    ("arcsec x", "x", "1/(|x| sqrt(x^2-1))"),
    ("sinh^-1 x", "x", "1/sqrt(x^2+1)"),
    ("log(x, 2)", "x", "1/(x ln 2)"),
    ("root(3, x)", "x", "1/(3 cbrt(x)^2)"),
    ("ln(17)+e^2+sin(pi/2)", "t", "0"),
])
def test_textbook_answers_are_correct(expr, wrt, answer):
    r = check(expr, wrt, answer)
    assert r.correct, (r.expression_read, r.answer_read, r.diagnosis)


def test_a_power_of_a_function_without_its_argument_is_not_a_false_correct(run):
    res = run("check", "sin^2 x", "--wrt", "x", "--answer", "sin^2")
    assert res.exit_code == 2 and "sin needs an argument" in res.stderr


def test_check_needs_no_wrt_when_there_is_one_variable(run):
    res = run("check", "x^2", "--answer", "2x", "--json")
    assert res.exit_code == 0 and json.loads(res.stdout)["wrt"] == ["x"]
    several = run("check", "x*y", "--answer", "y")
    assert several.exit_code == 2 and "give --wrt" in several.stderr


def test_a_constant_has_derivative_zero_and_says_so(run):
    res = run("check", "ln(17)+e^2+sin(pi/2)", "--wrt", "t", "--answer", "0", "--json")
    assert res.exit_code == 0
    assert "is a constant" in json.loads(res.stdout)["notes"][0]


@pytest.mark.parametrize("name,close", [("cot", None), ("csc", None), ("min", "minimum"), ("max", "maximum"),
                                        ("cotan", "cot"), ("sine", "sin"), ("logarithm", "log")])
def test_suggestions_follow_meaning(run, name, close):
    res = run("parse", f"{name}(x, y)")
    if close is None:   # a known function now: the only complaint may be its argument count
        assert "unknown function" not in res.stderr
    else:
        assert res.exit_code == 2 and f"did you mean {close}?" in res.stderr


def test_eval_hints_the_product_of_bound_names(run):
    res = run("eval", "xy + 1", "-a", "x=1,y=2")
    assert res.exit_code == 2 and "write x*y" in res.stderr
    res = run("eval", "sinx", "-a", "x=1")
    assert res.exit_code == 2 and "sin(x)" in res.stderr


# --- found by a new user's first session ----------------------------------------------------

@pytest.mark.parametrize("expr,answer", [
    ("e^(-100x^2)", "0"),                       # every point of [-10, 10] but a few underflows to 0
    ("e^(-100x^2)", "-200e^(-100x^2)"),
    ("tanh 10x", "sech^2 10x"),                 # tanh is flat, its derivative negligible, almost everywhere
])
def test_points_where_the_derivative_is_negligible_do_not_decide(expr, answer):
    for seed in (16, 21, 2024):
        assert not check(expr, "x", answer, seed=seed).correct, seed


@pytest.mark.parametrize("expr,answer", [
    ("\u221bx", "1/3 x^(-2/3)"), ("\u221bx", "1/(3x^(2/3))"), ("x^(1/3)", "1/3 x^(-2/3)"), ("x^(2/3)", "2/3 x^(-1/3)"),
])
def test_odd_roots_of_negative_numbers_are_real_as_in_textbooks(expr, answer):
    assert check(expr, "x", answer).correct


@pytest.mark.parametrize("expr,answer,read", [
    ("xe^x", "e^x + xe^x", "((e ** x) + (x * (e ** x)))"),   # x on its own names x a variable
    ("x(x+1)", "2x+1", "((2 * x) + 1)"),
    ("k(y+1)", "k", "k"),
])
def test_one_letter_names_used_alone_are_the_problems_variables(expr, answer, read):
    r = check(expr, "y" if "y" in expr else None, answer)
    assert r.correct and r.answer_read == read


def test_a_name_splits_into_at_most_one_new_letter():
    with known_variables({"t"}):
        assert repr(parse("rate t")) == "(rate * t)"


@pytest.mark.parametrize("text,words", [
    ("log_2 x", "log(x, 2)"), ("y = cos x", "give only cos x"), ("e^{2x}", "not { }"), ("|x|y|", "do not pair up"),
    ("2..5", "is not a number"),
])
def test_what_a_textbook_user_types_by_mistake_is_explained(text, words):
    from gradcli.errors import ParseError

    with pytest.raises(ParseError) as info:
        parse(text)
    assert words in info.value.render()


def test_pasted_dashes_and_asterisks_are_operators():
    assert repr(parse("x \u2013 1")) == "(x - 1)" and repr(parse("2\u2217x")) == "(2 * x)"


def test_greek_names_take_values(run):
    import json

    res = run("eval", "sin \u03b8", "-a", "\u03b8=pi/6", "--json")
    assert res.exit_code == 0 and json.loads(res.stdout)["grad"] == {"theta": pytest.approx(3 ** 0.5 / 2)}
    assert run("check", "\u03b8 sin \u03b8", "--answer", "sin \u03b8 + \u03b8 cos \u03b8",
               "--domain", "\u03b8=0:pi").exit_code == 0


@pytest.mark.parametrize("expr,answer,words", [
    ("(x^2+1)/(x-1)", "(2x(x-1) + (x^2+1))/(x-1)^2", "the numerator's terms are added"),
    ("x sin x", "sin x - x cos x", "the term with the derivative of sin(x) has the wrong sign"),
    ("e^(-x^2)", "-2e^(-x^2)", "only the exponent was kept: the factor x is missing"),
    ("cos^2 x", "-2 sin x", "the factor cos(x) is missing"),
    ("e^(-2x)", "-2e^-2x", "as -2e^(-2x) it would be correct"),
    ("sqrt x", "1/2x^-1/2", "as 1/2x^(-1/2) it would be correct"),
    ("x^2 + 2x", "2x + 2 + log(x - 100)", "undefined at some points where the derivative is defined (e.g. at x ="),
    ("x^3", "3x2", None),
])
def test_diagnoses_a_new_user_met(run, expr, answer, words):
    res = run("check", expr, "--answer", answer)
    if words is None:
        assert res.exit_code == 2 and "write x^2" in res.stderr
    else:
        assert res.exit_code == 1 and words in res.stderr, res.stderr


@pytest.mark.parametrize("text,read", [
    ("cos^-1(x)^2", "(acos(x) ** 2)"),          # as sin(x)^2 is (sin x)^2 (issue 25)
    ("sin^-1(2x)^2 + 1", "((asin(2 * x) ** 2) + 1)"),
    ("sin^2(x)^3", "((sin(x) ** 2) ** 3)"),
    ("-pi(x + 1)", "(-(pi * (x + 1)))"),        # a constant before parentheses multiplies
    ("2e(x - 1)", "((2 * e) * (x - 1))"),
])
def test_textbook_readings_that_stay_consistent(text, read):
    assert to_text(parse(text)) == read


def test_three_letters_with_the_variable_among_them_are_a_product(run):
    r = run("parse", "ln(xyz)", "--wrt", "x", "--json")
    assert json.loads(r.stdout)["variables"] == ["x", "y", "z"]
    assert json.loads(run("diff", "ln(xyz)", "--wrt", "x", "--json").stdout)["derivative"] == "1/x"
    # longer words and the names of functions people mean stay names
    assert json.loads(run("parse", "rate + t", "--wrt", "t", "--json").stdout)["variables"] == ["rate", "t"]

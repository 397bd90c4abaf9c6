"""`gradcli check`: textbook derivatives, every diagnosed mistake, domains, seeds, sheets."""

import json

import pytest

from gradcli.homework.derivative import check

TEXTBOOK = [
    ("x**5", "x", "5x^4"),
    ("3x**2 - 4x + 7", "x", "6x - 4"),
    ("x**2*sin(x)", "x", "2x sin(x) + x^2 cos(x)"),                      # product
    ("(x+1)/(x-1)", "x", "-2/(x-1)^2"),                                 # quotient
    ("sin(x**2)", "x", "2x cos(x^2)"),                                  # chain
    ("(3x+1)**7", "x", "21(3x+1)^6"),
    ("exp(2x)", "x", "2exp(2x)"),
    ("x*exp(-x)", "x", "exp(-x) - x exp(-x)"),
    ("log(x**2+1)", "x", "2x/(x^2+1)"),
    ("log(x)", "x", "1/x"),                                             # domain x > 0
    ("sqrt(x-3)", "x", "1/(2sqrt(x-3))"),                               # domain x > 3
    ("1/(x-1)", "x", "-1/(x-1)^2"),
    ("tan(x)", "x", "1/cos(x)^2"),
    ("asin(x)", "x", "1/sqrt(1-x^2)"),                                  # domain |x| < 1
    ("acos(x)", "x", "-1/sqrt(1-x^2)"),
    ("atan(x)", "x", "1/(1+x^2)"),
    ("sinh(x)*cosh(x)", "x", "cosh(x)^2 + sinh(x)^2"),
    ("tanh(x)", "x", "1 - tanh(x)^2"),
    ("1/2x", "x", "1/2"),                                               # juxtaposition is (1/2)*x, as WeBWorK
    ("1/(2x)", "x", "-1/(2x^2)"),
    ("2pi x", "x", "2pi"),
    ("x**x", "x", "x^x*(log(x) + 1)"),
    ("x**2*y**3", "x", "2x y^3"),
    ("x**2*y**3", "x,y", "6x y^2"),                                    # mixed partial
    ("x**4", "x,x", "12x^2"),                                           # second derivative
    ("sin(x)", "x,x,x", "-cos(x)"),
    ("log(x)", "x,x", "-1/x^2"),
]


@pytest.mark.parametrize("expr,wrt,answer", TEXTBOOK, ids=[f"d/d{w} {e}" for e, w, _ in TEXTBOOK])
def test_correct_answers_pass(expr, wrt, answer):
    r = check(expr, wrt, answer)
    assert r.correct, (r.diagnosis, r.failing)
    assert len(r.points) == 20


MISTAKES = [
    ("x**3", "x", "-3x^2", "wrong sign"),
    ("sin(3x)", "x", "cos(3x)", "sin(3x) is missing the chain-rule factor 3, the derivative of 3x"),
    ("exp(x/2)", "x", "exp(x/2)", "exp(x/2) is missing the chain-rule factor 1/2, the derivative of x/2"),
    ("sin(x**2)", "x", "cos(x**2)", "sin(x^2) is missing the chain-rule factor, the derivative of x^2"),
    ("x^2 sin(5x)", "x", "x^2 cos(5x) + 2x sin(5x)",
     "in the product rule for x^2 sin(5x), the derivative of sin(5x) is missing the chain-rule factor 5"),
    ("x^2 sin(5x)", "x", "2x sin(5x)", "the term with the derivative of sin(5x) is missing"),
    ("x ln x", "x", "1/x", "the product rule was skipped in x ln(x)"),
    ("(x+1)/(x-1)", "x", "((x-1) - (x+1))/(x-1)", "the denominator (x - 1)^2 is not squared"),
    ("(x+1)/(x-1)", "x", "1", "the quotient rule was skipped"),
    ("x^5", "x", "5x^5", "the exponent 5 was not lowered by 1"),
    ("x^-2", "x", "-2x^-1", "the exponent went up by 1 instead of down"),
    ("2^x", "x", "2^x", "missing the factor ln(2)"),
    ("2^x", "x", "x 2^(x-1)", "the power rule was used on 2^x"),
    ("e^(3x)", "x", "e^(3x)", "missing the chain-rule factor 3, the derivative of 3x"),
    ("tan(2x)", "x", "2sec(2x)", "uses sec instead of sec^2"),
    ("x^2 + sin x", "x", "2x", "the derivative of the term sin(x) is missing"),
    ("x^2 + cos x", "x", "2x + sin x", "the derivative of the term cos(x) has the wrong sign"),
    ("3x^4", "x", "4x^3", "the constant factor 3 of 3x^4 was dropped"),
    ("1/(2x)", "x", "-1/2x^2", "as -1/(2x^2) it would be correct"),
    ("1/2x", "x", "-1/(2x^2)", "the answer is the derivative of 1/(2x), but the expression reads as 1/2x"),
    ("x**3", "x", "3x^2 + 5", "additive constant: the answer is the derivative plus 5"),
    ("x**3 + sin(x)", "x", "x^3 + sin(x)", "the original function"),
    ("x**3", "x", "x^4/4", "integrated instead"),
    ("x*y**2", "x", "2x y", "with respect to y instead of x"),
    ("x**4", "x,x", "4x^3", "derivative of order 1; order 2 was asked"),
    ("x**4", "x", "12x^2", "this is the second derivative; the first was asked for"),
    # a whole-answer symptom (minus, a constant off, the function itself) names the rule behind it
    ("(3x+1)/(4x-3)", "x", "13/(4x-3)^2", "the numerator's terms are in the wrong order"),
    ("x ln x", "x", "ln x", "the term with the derivative of ln(x) is missing"),
    ("8x^4 + 9x^2 - 1", "x", "32x^3 + 18x - 1", "the constant term 1 was not differentiated"),
    ("e^(sin x)", "x", "e^(sin x)", "e^sin(x) is missing the chain-rule factor, the derivative of sin(x)"),
    # a negative exponent brought down without its sign; the power rule on c/u^m and on sqrt
    ("9/x", "x", "9/x^2", "the exponent -1 was brought down without its minus sign"),
    ("3x^3 - 4/x^2", "x", "9x^2 - 8/x^3", "the exponent -2 was brought down without its minus sign"),
    ("1/(x+2)", "x", "-(x+2)^-1", "in the power rule for 1/(x + 2), the exponent -1 was not lowered by 1"),
    ("sqrt(x + 4)", "x", "1/sqrt(x + 4)", "the exponent 1/2 was not brought down as a factor"),
    ("sqrt(2x)", "x", "sqrt(2x)", "in the power rule for sqrt(2x), the exponent 1/2 was not lowered by 1"),
    # a sign lost inside f(g(x)) is named at the function whose sign students lose
    ("ln(cos(x)^2)", "x", "2tan x", "the derivative of cos(x) has the wrong sign (d/dx cos x = -sin x)"),
    # acos' is -asin': a lost sign, not another function's rule
    ("acos(3x - 1)", "x", "3/sqrt(6x - 9x^2)", "the derivative of acos(3x - 1) has the wrong sign"),
    # another variable before a constant factor; a mixed partial for the pure one
    ("tan(2x - y)", "y", "2sec^2(2x - y)", "differentiated with respect to x instead of y"),
    ("x^2 + 3xy + 2y^2", "x,x", "3", "this is a mixed partial (x, y); the partial of order 2 with respect to x"),
    ("log(x^2 + 1, 10)", "x", "2x/(x^2 + 1)", "the derivative of log(x^2 + 1, 10) is missing the factor 1/ln(10)"),
]


@pytest.mark.parametrize("expr,wrt,answer,words", MISTAKES, ids=[m[3][:20] for m in MISTAKES])
def test_mistakes_are_diagnosed(expr, wrt, answer, words):
    r = check(expr, wrt, answer)
    assert not r.correct
    assert words in r.diagnosis


def test_an_answer_of_zero_is_simply_wrong():
    # found by the fuzzer: a zero answer once made the constant-factor diagnosis divide by 0
    r = check("mean(x**2/(x-2))", "x", "x*0", points=11)
    assert not r.correct and r.diagnosis is None


def test_answer_undefined_where_the_derivative_is_defined_is_a_mismatch():
    r = check("x**2", "x", "2x + log(x - 100)")
    assert not r.correct and "undefined" in r.diagnosis


def test_domains_are_found_without_a_domain_option():
    # only 0.5% of [-10, 10] works; the sub-interval search still finds 20 points there
    r = check("log(x - 9.9)", "x", "1/(x - 9.9)")
    assert r.correct and all(p["x"] > 9.9 for p in r.points)
    with pytest.raises(Exception, match="undefined everywhere in the domain"):
        check("log(-x**2 - 1)", "x", "0")


def test_domain_option_restricts_the_points():
    r = check("abs(x)", "x", "1", domain={"x": (0.5, 2)})
    assert r.correct and all(0.5 <= p["x"] <= 2 for p in r.points)


def test_seeds_reproduce_and_differ():
    a = check("sin(x)*y", "x", "cos(x)*y", seed=7)
    b = check("sin(x)*y", "x", "cos(x)*y", seed=7)
    c = check("sin(x)*y", "x", "cos(x)*y", seed=8)
    assert a.points == b.points != c.points


def test_a_number_when_every_variable_is_pinned(run):
    res = run("check", "a*x**2", "--wrt", "x", "--answer", "6", "--at", "a=1,x=3")
    assert res.exit_code == 0
    res = run("check", "a*x**2", "--wrt", "x", "--answer", "7", "--at", "a=1,x=3", "--json")
    assert res.exit_code == 1
    assert json.loads(res.stdout)["failing"] == [{"point": {"a": 1.0, "x": 3.0}, "expected": 6.0, "answer": 7.0,
                                                  "error": 1.0}]


def test_cli_verdicts_and_exit_status(run):
    ok = run("check", "x**2*sin(x)", "--wrt", "x", "--answer", "2x sin(x) + x^2 cos(x)")
    assert ok.exit_code == 0 and "CORRECT" in ok.stdout and "seed 2024" in ok.stdout
    wrong = run("check", "sin(x**2)", "--wrt", "x", "--answer", "cos(x**2)", "--json")
    assert wrong.exit_code == 1
    data = json.loads(wrong.stdout)
    assert data["verdict"] == "incorrect" and data["answer_read"] == "cos(x ** 2)"
    assert len(data["failing"]) == 20 and "chain-rule" in data["diagnosis"]
    shown = run("check", "1/(2x)", "--wrt", "x", "--answer", "-1/(2x^2)")
    assert shown.exit_code == 0 and "(-(1 / (2 * (x ** 2))))" in shown.stdout   # how -1/(2x^2) was read
    # in check, a variable of the problem before "(" multiplies, as the textbook means
    call = run("check", "x**x", "--wrt", "x", "--answer", "x^x (log(x) + 1)")
    assert call.exit_code == 0 and "((x ** x) * (log(x) + 1))" in call.stdout


@pytest.mark.parametrize("args,words", [
    (["x**2", "--wrt", "x", "--answer", "2x+"], ["syntax error", "2x+"]),
    (["x**2", "--wrt", "z", "--answer", "0"], ["'z'"]),
    (["x**2", "--wrt", "x", "--answer", "2y"], ["the answer uses y"]),
    (["x**2", "--wrt", "x"], ["--answer"]),
    (["x**2", "--wrt", "x", "--answer", "2x", "--domain", "x=3"], ["LO:HI"]),
])
def test_bad_input_exits_2(run, args, words):
    res = run("check", *args)
    assert res.exit_code == 2 and res.stdout == ""
    for word in words:
        assert word in res.stderr


SHEET = '''
[[problem]]
id = "power"
expr = "x**3"
wrt = "x"
points_worth = 2

[[problem]]
id = "chain"
expr = "sin(x**2)"
wrt = "x"

[[problem]]
id = "broken"
expr = "exp(x)"
wrt = "x"

[[problem]]
id = "log"
expr = "log(x)"
wrt = "x,x"
answer = "-1/x^2"

[[problem]]
id = "unanswered"
expr = "x"
wrt = "x"
'''

ANSWERS = '''
power = "3x^2"
chain = "cos(x**2)"
broken = "exp(x"
'''


def test_a_sheet_with_a_broken_answer_still_grades_the_rest(run, tmp_path):
    (tmp_path / "sheet.toml").write_text(SHEET)
    (tmp_path / "alice.toml").write_text(ANSWERS)
    res = run("check", "--sheet", str(tmp_path / "sheet.toml"), "--answers", str(tmp_path / "alice.toml"), "--json")
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    verdicts = {p["id"]: (p["verdict"], p["points"]) for p in data["problems"]}
    assert verdicts == {"power": ("correct", 2.0), "chain": ("incorrect", 0.0), "broken": ("error", 0.0),
                        "log": ("correct", 1.0), "unanswered": ("missing", 0.0)}
    broken = next(p for p in data["problems"] if p["id"] == "broken")
    assert "syntax error" in broken["error"]
    assert (data["total"], data["possible"], data["all_correct"]) == (3.0, 6.0, False)
    table = run("check", "--sheet", str(tmp_path / "sheet.toml"), "--answers", str(tmp_path / "alice.toml"))
    assert "total" in table.stdout and "3/6" in table.stdout and "chain-rule" in table.stdout


def test_a_self_checking_sheet_that_is_all_correct_exits_0(run, tmp_path):
    (tmp_path / "s.toml").write_text('[[problem]]\nid = "a"\nexpr = "x**2"\nwrt = "x"\nanswer = "2x"\n')
    assert run("check", "--sheet", str(tmp_path / "s.toml")).exit_code == 0
    assert run("check", "--sheet", "-", input='[[problem]]\nid="a"\nexpr="x"\nwrt="x"\nanswer="1"\n').exit_code == 0


@pytest.mark.parametrize("text,words", [("not toml [", "not valid TOML"), ("x = 1", "no problems"),
                                        ('[[problem]]\nid="a"\nwrt="x"', "no 'expr'")])
def test_a_broken_sheet_is_bad_input(run, tmp_path, text, words):
    (tmp_path / "s.toml").write_text(text)
    res = run("check", "--sheet", str(tmp_path / "s.toml"))
    assert res.exit_code == 2 and words in res.stderr


def test_parse_shows_how_text_is_read(run):
    res = run("parse", "1/2x", "--json")
    assert json.loads(res.stdout) == {"expression": "1/2x", "read": "((1 / 2) * x)", "variables": ["x"],
                                      "functions": []}
    res = run("parse", "2x**2 + sin(y)")
    assert "read as:    ((2 * (x ** 2)) + sin(y))" in res.stdout and "variables:  x, y" in res.stdout
    bad = run("parse", "-x**2 + 2x(x+1)")
    assert bad.exit_code == 2 and "x*(x + 1)" in bad.stderr


def test_a_missing_pair_of_parentheses_is_named():
    r = check("ln(x^2 + 1)", "x", "2x/x^2+1")
    assert not r.correct and r.diagnosis.startswith("parentheses missing: the answer is right written 2x/(x^2 + 1)")
    r = check("ln(x) + x", "x", "x+1/x")   # (x + 1)/x is right too: the numerator's parentheses
    assert not r.correct and "(x + 1)/x" in r.diagnosis

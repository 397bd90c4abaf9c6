"""The homework after the rules: tangent and normal lines, implicit and parametric derivatives.

tests/data/lines_implicit_parametric.toml holds 120 exercises from OpenStax Calculus Volumes 1
and 2 and APEX Calculus (sources, sections and exercise numbers are named in the file), each
with the authors' answer as printed and two typical wrong answers. The authors' answers must be
CORRECT (those the books print wrongly INCORRECT, and their corrections CORRECT), every wrong
answer INCORRECT, and most wrong answers diagnosed. Each wrong answer's `mistake` is a
category of MISTAKES below; a diagnosis that names a mistake must name that one
(tests/mistakes.py), and most must.
"""

import json
import tomllib
from functools import cache
from pathlib import Path

import pytest

from gradcli.homework.implicit import check_implicit
from gradcli.homework.kinds import check_problem
from gradcli.homework.parametric import check_parametric
from gradcli.homework.tangent import check_line
from mistakes import assert_no_other_mistake_named, assert_share_named, judge_all, unknown_categories

CORPUS = tomllib.loads((Path(__file__).parent.parent / "data" / "lines_implicit_parametric.toml").read_text(encoding="utf-8"))
EXERCISES = CORPUS["exercise"]


def _at(ex):
    return dict(part.split("=") for part in ex["at"].split(",")) if "at" in ex else None


def run_exercise(ex, answer):
    """The exercise as a student would check it: the kind of problem from what it asks."""
    asks, rtol = ex["asks"], ex.get("tolerance", 1e-4)
    if asks.endswith("line"):
        curve = {"implicit": "implicit", "parametric": "parametric"}.get(ex["kind"], "explicit")
        return check_line(ex["expr"], asks.split()[0], _at(ex), answer, wrt=ex["wrt"] if curve == "explicit" else None,
                          rtol=rtol, curve=curve)
    domain = [ex["domain"]] if "domain" in ex else None
    if ex["kind"] == "implicit":
        return check_implicit(ex["expr"], answer, wrt=ex["wrt"], at=_at(ex), rtol=rtol, domain=domain)
    return check_parametric(ex["expr"], answer, wrt=ex["wrt"], at=_at(ex), rtol=rtol, domain=domain)


def answers(ex):
    yield ex["answer"], not ex.get("book_answer_wrong", False), "the book's answer"
    if "correct_answer" in ex:
        yield ex["correct_answer"], True, "the corrected answer"
    for wrong in ex["wrong"]:
        yield wrong["answer"], False, wrong["mistake"]


def test_the_corpus_is_large_and_covers_every_kind():
    assert len(EXERCISES) >= 80
    asks = {ex["asks"] for ex in EXERCISES}
    assert {"tangent line", "normal line", "dy/dx", "d2y/dx2"} <= asks
    assert {ex["kind"] for ex in EXERCISES} == {"tangent", "normal", "implicit", "parametric"}
    assert sum(ex.get("book_answer_wrong", False) for ex in EXERCISES) >= 5


@pytest.mark.parametrize("ex", EXERCISES, ids=[ex["id"] for ex in EXERCISES])
def test_verdicts(ex):
    for text, right, what in answers(ex):
        r = run_exercise(ex, text)
        assert r.correct == right, (what, text, r.diagnosis, r.notes)


@cache
def _diagnoses() -> tuple:
    """gradcli's diagnosis of every wrong answer, in the corpus's order (computed once)."""
    return tuple(run_exercise(ex, wrong["answer"]).diagnosis for ex in EXERCISES for wrong in ex["wrong"])


def test_most_wrong_answers_are_diagnosed():
    diagnoses = _diagnoses()
    diagnosed, total = sum(d is not None for d in diagnoses), len(diagnoses)
    assert diagnosed >= 0.85 * total, (diagnosed, total)


# category -> what gradcli says when it names it; a category with no pattern is one gradcli
# does not name (yet). A line's diagnosis sees only the line, so a slope of the wrong sign is
# "slope sign" whatever lost the sign (-F_x/F_y, dx/dt = -sin t), and dx/dy is "reciprocal slope"
MISTAKES = {
    "slope sign": [r"the slope's sign", r"^the sign is wrong: dy/d", r"the sign of -F_x/F_y dropped"],
    "reciprocal slope": [r"dx/dy given for dy/dx", r"1/f'\(a\) used as the slope", r"dx/dy used as the slope"],
    "normal for tangent": [r"the normal line given for the tangent line"],
    "tangent for normal": [r"the tangent line given for the normal line"],
    "1/m for -1/m": [r"the normal's slope is -1/m, not 1/m"],
    "-m for -1/m": [r"the normal's slope is -1/m, not -m"],
    "wrong point": [r"the right slope through the wrong point"],
    "f(a) as slope": [r"f\(a\) used as the slope"],
    "dy/dt for dy/dx": [r"dy/d(?!x)\w+ given for dy/dx", r"dy/d\w+ used as the slope"],
    "dx/dt for dy/dx": [r"dx/d(?!y)\w+ given for dy/dx"],
    "first derivative for second": [r"the first derivative given where the second was asked"],
    "d/dt(dy/dx) not divided": [r"not divided by dx/d"],
    "dy/dx not differentiated": [r"without differentiating it"],
    "second derivatives divided": [r"the second derivatives divided"],
    "implicit chain factor missing": [r"the chain rule's dy/dx is missing"],
    "chain factor missing": [],
    "product rule term missing": [],
    "quotient inverted": [],
    "amplitude ratio": [],
}
# what gradcli says when it only describes the difference, naming no mistake
DESCRIBES = [r"looks rounded", r"is no line"]
# measured: 223 of the 240 wrong answers get a diagnosis naming their recorded category, every
# diagnosis there is (17 get none: the chain factor inside a line, dy/dx forgotten on a y-term)
NAMED_SHARE = 0.92


def _judged() -> list:
    return judge_all(EXERCISES, _diagnoses(), MISTAKES, DESCRIBES)


def test_every_recorded_mistake_is_a_category():
    assert not unknown_categories([w for ex in EXERCISES for w in ex["wrong"]], MISTAKES)


def test_a_diagnosis_that_names_a_mistake_names_the_recorded_one():
    assert_no_other_mistake_named(_judged())


def test_most_diagnoses_name_the_recorded_mistake():
    assert_share_named(_judged(), NAMED_SHARE)


# --- lines, in every form -----------------------------------------------------------------

@pytest.mark.parametrize("line", ["y = 3x - 1", "y = 3(x - 1) + 2", "y - 2 = 3(x - 1)", "3x - 1", "3x - y = 1",
                                  "y=3x-1", "y + 1 = 3x"])
def test_every_way_of_writing_the_same_line(line):
    assert check_line("x^2 + x", "tangent", {"x": 1}, line).correct


def test_a_vertical_tangent_is_x_equals():
    assert check_line("cbrt(x)", "tangent", {"x": 0}, "x = 0").correct
    r = check_line("cbrt(x)", "tangent", {"x": 0}, "y = 0")
    assert not r.correct
    assert check_line("x^2", "normal", {"x": 0}, "x = 0").correct   # the normal to a flat tangent


def test_the_functions_own_variable_may_be_the_horizontal_axis():
    assert check_line("g^2 + 2g + 2", "tangent", {"g": 0}, "y = 2x + 2", wrt="g").correct
    assert check_line("s^2 + 2s + 2", "tangent", {"s": 0}, "y = 2s + 2", wrt="s").correct


def test_what_is_not_a_line_is_incorrect_and_says_so():
    r = check_line("x^2", "tangent", {"x": 1}, "y = x^2")
    assert not r.correct and "is no line" in r.diagnosis


LINE_MISTAKES = [  # f, asked, point, answer, what the diagnosis says
    ("x^2 + x", "tangent", 1, "y = -3x + 5", "the slope's sign"),
    ("x^2 + x", "tangent", 1, "y = -x/3 + 7/3", "the normal line given for the tangent line"),
    ("x^2 + x", "tangent", 1, "y = 3x", "the right slope through the wrong point"),
    ("x^2 + x", "tangent", 1, "y = 2x", "f(a) used as the slope"),
    ("x^2 + x", "tangent", 1, "y = x/3 + 5/3", "1/f'(a) used as the slope"),
    ("x^2 + x", "normal", 1, "y = 3x - 1", "the tangent line given for the normal line"),
    ("x^2 + x", "normal", 1, "y = x/3 + 5/3", "the normal's slope is -1/m, not 1/m"),
    ("x^2 + x", "normal", 1, "y = -3x + 5", "the normal's slope is -1/m, not -m"),
    ("x^2 + x", "tangent", 1, "y = 3.01x - 1.01", "looks rounded"),
]


@pytest.mark.parametrize("f,asked,a,answer,says", LINE_MISTAKES, ids=[m[4] for m in LINE_MISTAKES])
def test_each_line_mistake_is_named(f, asked, a, answer, says):
    r = check_line(f, asked, {"x": a}, answer)
    assert not r.correct and says in r.diagnosis


def test_a_rounded_line_passes_with_a_loose_rtol():
    assert check_line("x^2 + x", "tangent", {"x": 1}, "y = 3.01x - 1.01", rtol=0.01).correct


# --- implicit curves ------------------------------------------------------------------------

def test_an_answer_simplified_with_the_equation_is_right():
    # on x^2 + y^2 = 25, -1/y - x^2/y^3 is -25/y^3
    assert check_implicit("x^2 + y^2 = 25", "-25/y^3", wrt="x,x").correct
    assert check_implicit("x^2 + y^2 = 25", "(-y^2 - x^2)/y^3", wrt="x,x").correct


def test_the_dependent_variable_may_be_named():
    assert check_implicit("t^2 + s^3 = 9", "-2t/(3s^2)", dependent="s").correct


def test_a_point_off_the_curve_is_judged_where_given_with_a_warning():
    r = check_line("x^2 + y^2 = 25", "tangent", {"x": 3, "y": -4.001}, "y = 0.75(x - 3) - 4.001", curve="implicit",
                   rtol=1e-3)
    assert r.correct and any("not on the curve" in n for n in r.notes)


def test_a_curve_with_no_points_in_the_domain_is_a_clear_error():
    from gradcli.errors import GradcliError

    with pytest.raises(GradcliError, match="no real points"):
        check_implicit("x^2 + y^2 = -1", "-x/y")


IMPLICIT_MISTAKES = [
    ("x", "x/y", "the sign of -F_x/F_y dropped"),
    ("x", "-y/x", "dx/dy given for dy/dx"),
    ("x,x", "-x/y", "the first derivative given where the second was asked"),
    ("x,x", "-1/y", "y treated as a constant"),
]


@pytest.mark.parametrize("wrt,answer,says", IMPLICIT_MISTAKES, ids=[m[2] for m in IMPLICIT_MISTAKES])
def test_each_implicit_mistake_is_named(wrt, answer, says):
    r = check_implicit("x^2 + y^2 = 25", answer, wrt=wrt)
    assert not r.correct and says in r.diagnosis


def test_an_answer_right_on_one_branch_only_is_pointed_to_a_domain():
    r = check_implicit("x = cos y", "-1/sqrt(1 - x^2)")
    assert not r.correct and "one branch" in r.diagnosis
    assert check_implicit("x = cos y", "-1/sqrt(1 - x^2)", domain=["y=0:3.14159"]).correct


# --- parametric curves ----------------------------------------------------------------------

PARAMETRIC_MISTAKES = [
    ("x", "2cos(2t)", "dy/dt given for dy/dx"),
    ("x", "-sin(t)/(2cos(2t))", "dx/dy given for dy/dx"),
    ("x,x", "-2cos(2t)/sin(t)", "the first derivative given where the second was asked"),
]


@pytest.mark.parametrize("wrt,answer,says", PARAMETRIC_MISTAKES, ids=[m[2] for m in PARAMETRIC_MISTAKES])
def test_each_parametric_mistake_is_named(wrt, answer, says):
    r = check_parametric("x = cos t, y = sin(2t)", answer, wrt=wrt)
    assert not r.correct and says in r.diagnosis


def test_the_second_derivative_of_a_parametric_curve():
    # x = t^2, y = t^3: dy/dx = 3t/2, d2y/dx2 = (3/2)/(2t) = 3/(4t)
    assert check_parametric("x = t^2, y = t^3", "3/(4t)", wrt="x,x").correct
    r = check_parametric("x = t^2, y = t^3", "3/2", wrt="x,x")
    assert "not divided by dx/dt" in r.diagnosis


def test_a_vertical_parametric_tangent():
    # the circle x = cos t, y = sin t at t = 0: dx/dt = 0, so the tangent is vertical
    assert check_line("x = cos t, y = sin t", "tangent", {"t": 0}, "x = 1", curve="parametric").correct


# --- the command line, sheets and parse -------------------------------------------------------

def test_the_command_forms(run):
    ok = [["x^2 + x", "--tangent", "--at", "x=1", "--answer", "y = 3x - 1"],
          ["x^2 + x", "--normal", "--at", "x=1", "--answer", "y = -x/3 + 7/3"],
          ["x^4 + y^2 + y = 7", "--implicit", "--answer", "-4x^3/(2y + 1)"],
          ["x^2 + y^2 = 25", "--implicit", "--wrt", "x,x", "--answer", "-25/y^3"],
          ["x^2 + y^2 = 25", "--implicit", "--tangent", "--at", "x=3,y=-4", "--answer", "y = 3/4x - 25/4"],
          ["x^2 + y^2 = 25", "--implicit", "--normal", "--at", "x=3,y=-4", "--answer", "y = -4/3x"],
          ["x = cos t, y = sin(2t)", "--parametric", "--answer", "-2cos(2t)/sin t"],
          ["x = cos t, y = sin(2t)", "--parametric", "--tangent", "--at", "t=pi/4", "--answer", "y = 1"]]
    for args in ok:
        r = run("check", *args)
        assert r.exit_code == 0, (args, r.stderr)
    wrong = run("check", "x^2 + x", "--tangent", "--at", "x=1", "--answer", "y = 2x")
    assert wrong.exit_code == 1 and "f(a) used as the slope" in wrong.stderr


def test_json_says_the_kind_and_the_line(run):
    data = json.loads(run("check", "x^2 + x", "--tangent", "--at", "x=1", "--answer", "y = 3x - 1", "--json").stdout)
    assert data["kind"] == "tangent" and data["correct"] is True
    assert data["line"]["expected"]["slope"] == 3 and data["line"]["point"] == {"x": 1.0, "y": 2.0}
    data = json.loads(run("check", "x^2 + y^2 = 25", "--implicit", "--answer", "-x/y", "--json").stdout)
    assert data["kind"] == "implicit" and len(data["points"]) == 20 and set(data["points"][0]) == {"x", "y"}


def test_bad_combinations_are_refused(run):
    for args in (["x^2", "--tangent", "--normal", "--at", "x=1", "--answer", "y = 2x"],
                 ["x^2 + y^2 = 1", "--implicit", "--parametric", "--answer", "0"],
                 ["x^2", "--tangent", "--at", "x=1", "--points", "5", "--answer", "y = 2x - 1"],
                 ["x^2", "--dependent", "y", "--answer", "2x"],
                 ["x^2 + x", "--tangent", "--answer", "y = 3x - 1"]):
        r = run("check", *args)
        assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.stderr, args


def test_show_answer_gives_the_line_or_the_derivative(run):
    r = run("check", "x^2 + x", "--normal", "--at", "x=1", "--answer", "y = 3x - 1", "--show-answer", "--json")
    assert json.loads(r.stdout)["correct_answer"] == "y = -x/3 + 7/3"
    r = run("check", "x^2 + y^2 = 25", "--implicit", "--wrt", "x,x", "--answer", "0", "--show-answer", "--json")
    assert json.loads(r.stdout)["correct_answer"] == "(-x^2 - y^2)/y^3"
    r = run("check", "x = t^2 - 3, y = 2t - 1", "--parametric", "--answer", "0", "--show-answer", "--json")
    assert json.loads(r.stdout)["correct_answer"] == "1/t"


def test_each_sheet_kind_is_graded(run, tmp_path):
    sheet = tmp_path / "lines.toml"
    sheet.write_text("""
[[problem]]
id = "tangent"
kind = "tangent"
expr = "x^2 + x"
at = { x = 1 }
answer = "y = 3x - 1"

[[problem]]
id = "normal"
kind = "normal"
expr = "x^2 + x"
at = { x = 1 }
answer = "y = 3x - 1"
show_answer = true

[[problem]]
id = "implicit"
kind = "implicit"
expr = "x^2 + y^2 = 25"
answer = "-x/y"

[[problem]]
id = "parametric"
kind = "parametric"
expr = "x = t^2 - 3, y = 2t - 1"
answer = "1/t"

[[problem]]
id = "circle-tangent"
kind = "tangent"
expr = "x^2 + y^2 = 25"
at = { x = 3, y = -4 }
answer = "y = 3/4x - 25/4"
""")
    data = json.loads(run("check", "--sheet", str(sheet), "--json").stdout)
    verdicts = {p["id"]: p["verdict"] for p in data["problems"]}
    assert verdicts == {"tangent": "correct", "normal": "incorrect", "implicit": "correct", "parametric": "correct",
                        "circle-tangent": "correct"}
    assert data["problems"][1]["correct_answer"] == "y = -x/3 + 7/3"
    assert data["total"] == 4


def test_a_sheet_with_an_unknown_kind_is_refused(run, tmp_path):
    sheet = tmp_path / "bad.toml"
    sheet.write_text('[[problem]]\nid = "p"\nkind = "tangnet"\nexpr = "x^2"\nanswer = "2x"\n')
    r = run("check", "--sheet", str(sheet))
    assert r.exit_code == 2 and "kind must be one of" in r.stderr


def test_parse_shows_how_an_equation_is_read(run):
    r = run("parse", "x^2 + y^2 = 25")
    assert "an equation" in r.stdout and "read as:    ((x ** 2) + (y ** 2)) = 25" in r.stdout
    data = json.loads(run("parse", "x = cos t, y = sin 2t", "--json").stdout)
    assert data["equations"] == [{"lhs": "x", "rhs": "cos(t)"}, {"lhs": "y", "rhs": "sin(2 * t)"}]
    assert run("parse", "u = x^2; sin u").stdout.startswith("read as:    u = (x ** 2); sin(u)")


def test_check_problem_dispatches_every_kind():
    assert check_problem("derivative", "x^2", "2x").correct
    assert check_problem("tangent", "x^2 + y^2 = 25", "y = 3/4x - 25/4", at={"x": 3, "y": -4}).correct
    assert check_problem("parametric", "x = t, y = t^2", "2t").correct


# --- what a new user met at special points ---------------------------------------------------

def test_where_dx_dt_and_dy_dt_are_both_zero_the_slope_is_the_limit():
    assert check_line("x = t^3, y = t^3", "tangent", {"t": 0}, "y = x", curve="parametric").correct
    assert check_line("x = t^2, y = t^3", "tangent", {"t": 0}, "y = 0", curve="parametric").correct
    assert check_line("x = t^2 - 2t, y = t^3 - 3t", "tangent", {"t": 1}, "y + 2 = 3(x + 1)", curve="parametric").correct
    assert check_parametric("x = t^2 - 2t, y = t^3 - 3t", "3", at={"t": 1}).correct


def test_an_infinite_derivative_at_the_point_is_not_a_verdict():
    from gradcli.errors import GradcliError

    for call in (lambda: check_implicit("x^2 + y^2 = 25", "7", at={"x": 5, "y": 0}),
                 lambda: check_problem("derivative", "cbrt(x)", "5", at={"x": 0})):
        with pytest.raises(GradcliError, match="not defined at"):
            call()


def test_a_corner_has_no_tangent_and_an_undefined_point_no_line():
    from gradcli.errors import GradcliError

    with pytest.raises(GradcliError, match="corner"):
        check_line("abs(x)", "tangent", {"x": 0}, "y = 0")
    with pytest.raises(GradcliError, match="not defined at x = -1"):
        check_line("ln x", "tangent", {"x": -1}, "y = x")


def test_points_far_off_the_curve_or_half_given_are_refused():
    from gradcli.errors import GradcliError

    with pytest.raises(GradcliError, match="not on the curve"):
        check_line("x^2 + y^2 + 1 = 0", "tangent", {"x": 0, "y": 1}, "y = 1", curve="implicit")
    with pytest.raises(GradcliError, match="both coordinates"):
        check_implicit("x^2 + y^2 = 25", "-0.75", at={"x": 3})
    with pytest.raises(GradcliError, match="does not appear"):
        check_line("x^2", "tangent", {"x": 1, "y": 5}, "y = 2x - 1")


def test_a_curve_in_a_corner_of_the_domain_is_found():
    r = check_implicit("sqrt(x) + sqrt(y) = 1", "-sqrt(y)/sqrt(x)")
    assert r.correct and len(r.points) == 20


def test_answers_written_as_equations_and_functions_as_graphs():
    assert check_implicit("x^2 + y^2 = 25", "dy/dx = -x/y").correct
    assert check_implicit("x^2 + y^2 = 25", "y' = -x/y").correct
    assert check_problem("tangent", "y = x^2", "y = 2x - 1", at={"x": 1}).correct


def test_rounded_lines_are_said_to_look_rounded():
    for f, a, answer in (("sin(x)", 3.141592653589793, "y = -x + 3.14"), ("sqrt(x)", 2, "y = 0.354x + 0.707")):
        r = check_line(f, "tangent", {"x": a}, answer)
        assert not r.correct and "looks rounded" in r.diagnosis

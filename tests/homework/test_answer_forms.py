"""Answers as students write them (issue 25): the left side names what was asked, in every
check kind, as a right answer and as a wrong one; a left side that names something else is
an error that says what was expected."""

import pytest

from outcomes import bad, ok

DERIVATIVE = [  # (expression, answer as written, right?)
    ("x^2", "f'(x) = 2x", True),
    ("x^2", "y' = 2x", True),
    ("x^2", "dy/dx = 2x", True),
    ("x^2", "df/dx = 2x", True),
    ("x^2", "d/dx(x^2) = 2x", True),
    ("x^2", "f\u2032(x) = 2x", True),
    ("x^2", "y' = 2", False),
    ("x^2", "dy/dx = x", False),
    ("y = x^2", "2x", True),
    ("f(x) = x^2", "f'(x) = 2x", True),
    ("f(x) = x^2", "f'(x) = x^2", False),
]


@pytest.mark.parametrize("expr,answer,right", DERIVATIVE)
def test_a_derivative_written_with_its_name(run, expr, answer, right):
    r = run("check", expr, "--answer", answer, "--json")
    assert r.exit_code == (0 if right else 1), r.output


def test_a_second_derivative_named_as_the_book_does(run):
    for answer in ("f''(x) = 6x", "y'' = 6x", "d2y/dx2 = 6x", "d^2y/dx^2 = 6x", "f\u2033(x) = 6x"):
        ok(run("check", "x^3", "--wrt", "x,x", "--answer", answer))
    assert run("check", "x^3", "--wrt", "x,x", "--answer", "y'' = 3x^2").exit_code == 1


@pytest.mark.parametrize("answer,says", [
    ("f''(x) = 2", "is the second derivative; the first derivative was asked"),
    ("f(x) = 2x", "does not name a derivative"),
    ("dy/dt = 2x", "with respect to t"),
    ("", "the answer is empty"),
    ("  ", "the answer is empty"),
])
def test_a_left_side_that_names_something_else_is_an_error(run, answer, says):
    bad(run("check", "x^2", "--answer", answer), says)


def test_lines_written_as_functions(run):
    ok(run("check", "x^2 + x", "--tangent", "--at", "x=1", "--answer", "L(x) = 3x - 1"))
    ok(run("check", "f(x) = x^2 + x", "--tangent", "--at", "x=1", "--answer", "y = 3x - 1"))
    assert run("check", "x^2 + x", "--tangent", "--at", "x=1", "--answer", "L(x) = 3x + 1").exit_code == 1


def test_taylor_polynomials_named_by_their_degree(run):
    ok(run("check", "e^x", "--taylor", "2", "--answer", "p2(x) = 1 + x + x^2/2"))
    ok(run("check", "e^x", "--taylor", "2", "--answer", "P_2(x) = 1 + x + x^2/2"))
    assert run("check", "e^x", "--taylor", "2", "--answer", "p2(x) = 1 + x + x^2").exit_code == 1
    bad(run("check", "e^x", "--taylor", "2", "--answer", "P_3(x) = 1 + x + x^2/2"), "degree 3; degree 2 was asked")


def test_implicit_and_parametric_derivatives_named(run):
    ok(run("check", "x^2 + y^2 = 25", "--implicit", "--answer", "y' = -x/y"))
    ok(run("check", "x^2 + y^2 = 25", "--implicit", "--answer", "dy/dx = -x/y"))
    assert run("check", "x^2 + y^2 = 25", "--implicit", "--answer", "dy/dx = x/y").exit_code == 1
    bad(run("check", "x^2 + y^2 = 25", "--implicit", "--answer", "dx/dy = -y/x"), "with respect to y")
    ok(run("check", "x = t^2 - 3, y = 2t - 1", "--parametric", "--answer", "dy/dx = 1/t"))
    assert run("check", "x = t^2 - 3, y = 2t - 1", "--parametric", "--answer", "dy/dx = t").exit_code == 1


def test_the_answer_from_a_file_or_standard_input(run, tmp_path):
    f = tmp_path / "answer.txt"
    f.write_text("f'(x) = 2x\n")
    ok(run("check", "x^2", "--answer", f"@{f}"))
    ok(run("check", "x^2", "--answer", "-", input="2x\n"))
    assert run("check", "x^2", "--answer", "-", input="3x\n").exit_code == 1
    bad(run("check", "x^2", "--answer", f"@{tmp_path / 'missing.txt'}"), "cannot read")
    assert run("check", "-", "--answer", "-", input="x^2").exit_code == 2


def test_answers_in_a_sheet_name_their_derivative(run, tmp_path):
    sheet = tmp_path / "sheet.toml"
    sheet.write_text('[[problem]]\nid = "p1"\nexpr = "f(x) = x^3"\nanswer = "f\'(x) = 3x^2"\n'
                     '[[problem]]\nid = "p2"\nexpr = "e^x"\nkind = "taylor"\ntaylor = 1\nanswer = "p1(x) = 1 + x"\n')
    ok(run("check", "--sheet", str(sheet)))

"""The checker fuzz of issue 23, derandomised: right answers written in equivalent forms by
SymPy (tests/homework/equivalent.py: exp against e^, expanded, factored, over a common
denominator), checked at the default domains, must all be CORRECT. The full run of 5,000
and more is tests/stress/equivalent_forms.py."""

import sys
from pathlib import Path

import pytest

from gradcli.homework.derivative import check

sys.path.insert(0, str(Path(__file__).parent))
from equivalent import problems  # noqa: E402

PROBLEMS = list(problems(300, seed=0))


def test_the_forms_are_all_there():
    made = {how for _, _, how in PROBLEMS}
    for form in ("as printed", "expanded", "factored", "common denominator"):
        assert f"{form}, exp" in made and f"{form}, e^" in made


@pytest.mark.parametrize("expr, answer, how", PROBLEMS)
def test_no_false_incorrect(expr, answer, how):
    assert check(expr, "x", answer).correct, f"{how}: gradcli check '{expr}' --answer '{answer}'"

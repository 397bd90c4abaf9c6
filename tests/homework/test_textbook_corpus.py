"""Derivative exercises from an open textbook, pasted as students paste them.

tests/data/textbook_derivatives.toml holds 161 exercises from OpenStax Calculus Volumes 1 and
3 (CC BY-NC-SA 4.0; sections, exercise numbers and the source repository are named in the
file), each with the authors' answer in the notation the book prints (`sin x`, `sec^2x`,
`e^(2x)`, `|x|`, `1/2 x^(-1/2)`, `xy`, `tan^-1 x`), its meaning in plain SymPy, and two
typical wrong answers with the mistake each makes. The authors' answers must be CORRECT
(two that the book prints wrongly must be INCORRECT, and their corrections CORRECT), every
wrong answer INCORRECT, every text read as its SymPy meaning, and nine wrong answers in ten
must get a diagnosis.
"""

import tomllib
from pathlib import Path

import numpy as np
import pytest
import sympy

from gradcli.homework.derivative import check
from gradcli.language.build import build
from gradcli.language.grammar import parse
from gradcli.language.reading import known_variables
from gradcli.engine.tensor import Tensor

CORPUS = tomllib.loads((Path(__file__).parent.parent / "data" / "textbook_derivatives.toml").read_text(encoding="utf-8"))
EXERCISES = CORPUS["exercise"]


def answers(ex):
    """(text, its SymPy meaning, should be correct, what it is)."""
    yield ex["answer"], ex["sympy_answer"], not ex.get("book_answer_wrong", False), "the book's answer"
    if "corrected_answer" in ex:
        yield ex["corrected_answer"], ex["sympy_corrected_answer"], True, "the corrected answer"
    for wrong in ex["wrong"]:
        yield wrong["answer"], wrong["sympy"], False, wrong["mistake"]


def test_the_corpus_is_large_enough():
    assert len(EXERCISES) >= 100
    assert sum(1 for ex in EXERCISES for _ in ex["wrong"]) >= 2 * len(EXERCISES)


def _values(text, sympy_text, names, rng):
    """gradcli's value of `text` and SymPy's of `sympy_text` at random points, where both are real."""
    symbols = {n: sympy.Symbol(n, real=True) for n in names}
    exact = sympy.lambdify(list(symbols.values()), sympy.sympify(sympy_text, locals=symbols), "numpy")
    with known_variables(names):
        tree = parse(text)
    pts = {n: np.concatenate([rng.uniform(-4, 4, 30), rng.uniform(-0.5, 0.5, 30)]) for n in names}
    with np.errstate(all="ignore"):
        ours = np.broadcast_to(build(tree, {n: Tensor(v) for n, v in pts.items()}).data, (60,))
        theirs = np.broadcast_to(np.asarray(exact(*pts.values()), dtype=complex), (60,))
    real = np.isfinite(ours) & (np.abs(theirs.imag) < 1e-12) & np.isfinite(theirs.real)
    return ours[real], theirs.real[real]


@pytest.mark.parametrize("ex", EXERCISES, ids=[ex["id"] for ex in EXERCISES])
def test_everything_is_read_as_the_book_means_it(ex):
    names = sorted({str(s) for s in sympy.sympify(ex["sympy_expr"]).free_symbols} | set(ex["wrt"].split(",")))
    rng = np.random.default_rng(0)
    for text, meaning in [(ex["expr"], ex["sympy_expr"])] + [(a, m) for a, m, _, _ in answers(ex)]:
        ours, theirs = _values(text, meaning, names, rng)
        assert ours.size >= 4, (text, "too few real points to compare")
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9, err_msg=f"{text!r} is not read as {meaning}")


@pytest.mark.parametrize("ex", EXERCISES, ids=[ex["id"] for ex in EXERCISES])
def test_verdicts(ex):
    for text, _, right, what in answers(ex):
        r = check(ex["expr"], ex["wrt"], text)
        assert r.correct == right, (what, text, r.answer_read, r.diagnosis)


def test_nine_wrong_answers_in_ten_are_diagnosed():
    diagnosed = total = 0
    for ex in EXERCISES:
        for wrong in ex["wrong"]:
            total += 1
            diagnosed += check(ex["expr"], ex["wrt"], wrong["answer"]).diagnosis is not None
    assert diagnosed / total >= 0.9, f"{diagnosed} of {total} diagnosed"

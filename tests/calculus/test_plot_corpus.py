"""`gradcli plot` against textbook exercises on critical and inflection points.

tests/data/critical_points.toml holds 55 exercises from two open textbooks, with the authors'
answers: OpenStax Calculus Volume 1 (CC BY-NC-SA 4.0), sections 4.3 "Maxima and Minima" and
4.5 "Derivatives and the Shape of a Graph", and APEX Calculus 3.0 (CC BY-NC 3.0), sections 3.1
"Extreme Values", 3.3 "Increasing and Decreasing Functions" and 3.4 "Concavity and the Second
Derivative" (sections, exercise numbers and source repositories are named in the file). Every
answer was checked with SymPy, and completed with SymPy where the exercise does not ask for every
point (a note says so, and where the book is wrong). For each exercise, the critical points gradcli
lists on the domain (x and kind: minimum, maximum or neither) and its inflection points must be
exactly the corpus's, in order: none missing, none extra.
"""

import json
import tomllib
from pathlib import Path

import pytest

CORPUS = tomllib.loads((Path(__file__).parent.parent / "data" / "critical_points.toml").read_text(encoding="utf-8"))
EXERCISES = CORPUS["exercise"]
KINDS = {"minimum", "maximum", "neither"}


def near(x):
    return pytest.approx(x, rel=1e-9, abs=1e-9)


def points(run, ex):
    """gradcli's critical points [(x, kind)] and inflection points [x] for the exercise."""
    var = ex.get("variable", "x")
    res = run("plot", ex["expr"], "--domain", f"{var}={ex['domain']}", "--order", "2", "--json")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    return [(c["x"], c["kind"]) for c in d["critical_points"]], [p["x"] for p in d["inflection_points"]]


def test_the_corpus_is_large_and_well_formed():
    assert len(EXERCISES) >= 40
    assert len({ex["id"] for ex in EXERCISES}) == len(EXERCISES)
    assert {ex["book"] for ex in EXERCISES} == {"OpenStax Calculus Volume 1", "APEX Calculus"}
    for ex in EXERCISES:
        xs = [x for x, _ in ex["critical"]]
        assert all(k in KINDS for _, k in ex["critical"]), ex["id"]
        assert xs == sorted(xs) and ex["inflection"] == sorted(ex["inflection"]), ex["id"]
        assert len(ex["critical_exact"]) == len(xs) and len(ex["inflection_exact"]) == len(ex["inflection"]), ex["id"]


@pytest.mark.parametrize("ex", EXERCISES, ids=[ex["id"] for ex in EXERCISES])
def test_critical_and_inflection_points_are_the_books(run, ex):
    critical, inflection = points(run, ex)
    where = f"{ex['expr']} on {ex['domain']}"
    expected = [(near(x), kind) for x, kind in ex["critical"]]
    assert expected == critical, f"critical points of {where}: expected {ex['critical']}, gradcli gave {critical}"
    assert [near(x) for x in ex["inflection"]] == inflection, \
        f"inflection points of {where}: expected {ex['inflection']}, gradcli gave {inflection}"

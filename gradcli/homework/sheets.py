"""A teacher's sheet of problems (TOML), graded one problem at a time.

A broken answer (or a broken problem) scores zero with its error shown; the rest of the
sheet is still graded.

>>> sheet = load_sheet_text('''
... [[problem]]
... id = "p1"
... expr = "x**3"
... wrt = "x"
... answer = "3x^2"
... ''', "sheet.toml")
>>> [(o.id, o.verdict, o.earned) for o in grade(sheet, {})]
[('p1', 'correct', 1.0)]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from ..errors import GradcliError, ValueInputError
from ..inputs import validate
from ..inputs.values import read_text
from ..symbolic.algebra import one_request
from .derivative import CheckResult
from .kinds import check_problem, correct_answer, kind

_KEYS = {"id", "expr", "wrt", "answer", "at", "domain", "points", "rtol", "atol", "points_worth", "seed",
         "show_answer", "kind", "dependent", "taylor"}


@dataclass
class Problem:
    id: str
    expr: str
    wrt: list[str] | None
    answer: str | None = None
    at: dict = field(default_factory=dict)
    domain: dict = field(default_factory=dict)
    points: int = validate.POINTS
    rtol: float = validate.RTOL
    atol: float = validate.ATOL
    worth: float = 1.0
    seed: int = validate.SEED
    show_answer: bool = False
    kind: str = "derivative"      # or "tangent", "normal", "implicit", "parametric" (curves.py), "taylor"
    dependent: str = "y"          # of an implicit curve
    taylor: int | None = None     # the degree of a Taylor polynomial (kind "taylor")


@dataclass
class Outcome:
    id: str
    verdict: str                  # correct, incorrect, error (a broken answer or problem), missing
    earned: float
    worth: float
    diagnosis: str | None = None
    error: str | None = None
    result: CheckResult | None = None
    correct_answer: str | None = None


def _toml(text: str, path: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueInputError(f"{path} is not valid TOML: {exc}") from None


def load_sheet_text(text: str, path: str) -> list[Problem]:
    data = _toml(text, path)
    items = data.get("problem", data.get("problems"))
    if not isinstance(items, list) or not items:
        raise ValueInputError(f"{path} has no problems: write each as a [[problem]] table")
    problems, seen = [], set()
    for n, item in enumerate(items, start=1):
        where = f"{path}, problem {n}"
        if not isinstance(item, dict):
            raise ValueInputError(f"{where} must be a table")
        unknown = set(item) - _KEYS
        if unknown:
            raise ValueInputError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_KEYS))})")
        for key in ("id", "expr"):
            if key not in item:
                raise ValueInputError(f"{where} has no {key!r}")
        try:
            problems.append(_problem(item, seen))
        except GradcliError as exc:
            raise ValueInputError(f"{where}: {exc.message}") from None
    return problems


def _problem(item: dict, seen: set) -> Problem:
    """One [[problem]] table, every field checked at the boundary (validate.py)."""
    pid = item["id"]
    if not isinstance(pid, (str, int)) or isinstance(pid, bool):
        raise ValueInputError(f"id must be text, got {pid!r}")
    pid = str(pid)
    if pid in seen:
        raise ValueInputError(f"the id {pid!r} is used twice")
    seen.add(pid)
    for key in ("expr", "answer"):
        if key in item and not isinstance(item[key], (str, int, float)) or isinstance(item.get(key), bool):
            raise ValueInputError(f"{key} must be text such as \"x^2\", got {item[key]!r}")
    wrt = validate.names(item["wrt"], "wrt") if "wrt" in item else None
    at = item.get("at", {})
    if not isinstance(at, dict):
        raise ValueInputError(f"at must be a table such as {{ a = 3 }}, got {at!r}")
    pinned = validate.bindings(at, " in at", _at_value)
    domain = item.get("domain", {})
    if not isinstance(domain, dict):
        raise ValueInputError(f"domain must be a table such as {{ x = [0, 5] }}, got {domain!r}")
    answer = item.get("answer")
    return Problem(pid, str(item["expr"]), wrt, None if answer is None else str(answer), pinned,
                   validate.domains(domain), validate.points(item.get("points", validate.POINTS)),
                   validate.tolerance(item.get("rtol", validate.RTOL), "rtol"),
                   validate.tolerance(item.get("atol", validate.ATOL), "atol"),
                   validate.number(item.get("points_worth", 1), "points_worth", low=0.0),
                   validate.seed(item.get("seed", validate.SEED)), _flag(item.get("show_answer", False), "show_answer"),
                   kind(item.get("kind", "taylor" if "taylor" in item else "derivative")).name,
                   validate.names(item.get("dependent", "y"), "dependent")[0],
                   _degree(item))


def _at_value(name: str, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, str, list)):
        raise ValueInputError(f"the value of {name} in at must be a number or text, got {value!r}")
    return value


def _degree(item: dict):
    """taylor = N: a whole number, for a Taylor problem of one variable."""
    if "taylor" not in item:
        return None
    n = item["taylor"]
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueInputError(f"taylor must be a whole number, the degree, got {n!r}")
    if item.get("kind", "taylor") != "taylor":
        raise ValueInputError(f"taylor = N makes a Taylor problem; it does not go with kind = {item['kind']!r}")
    if "wrt" in item and len(validate.names(item["wrt"], "wrt")) != 1:
        raise ValueInputError("a Taylor polynomial is in one variable: wrt names one")
    return validate.whole(n, "taylor", low=0, high=1000)


def _flag(value, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueInputError(f"{what} must be true or false, got {value!r}")
    return value


def load_sheet(path: str) -> list[Problem]:
    return load_sheet_text(read_text(path), path)


def load_answers(path: str, problems: list[Problem] | None = None) -> dict[str, str]:
    """A student's answers: `id = "answer"` lines, at the top or under [answers]. An id the
    sheet does not have is an error: a misspelled id must not zero a student who answered."""
    data = _toml(read_text(path), path)
    if "answers" in data:
        if not isinstance(data["answers"], dict):
            raise ValueInputError(f"{path}: answers must be a table of id = \"answer\" lines, got "
                                  f"{data['answers']!r}")
        data = data["answers"]
    out = {}
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValueInputError(f"{path}: the answer to {key!r} must be text such as \"2x\", got {value!r}")
        out[str(key)] = str(value)
    if problems is not None:
        ids = [p.id for p in problems]
        for key in out:
            if key not in ids:
                import difflib

                close = difflib.get_close_matches(key, ids, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (the sheet's ids: {', '.join(ids)})"
                raise ValueInputError(f"{path} answers {key!r}, which is not a problem of the sheet{hint}")
    return out


def grade(problems: list[Problem], answers: dict[str, str], show_answers: bool = False) -> list[Outcome]:
    """Each problem checked; with show_answers (or a problem's show_answer = true) the correct
    derivative as a formula goes with the verdict: a teacher decides."""
    return [_grade_one(p, answers, show_answers) for p in problems]


@one_request()  # each problem its own request: what it prints never depends on the problems before it
def _grade_one(p: Problem, answers: dict[str, str], show_answers: bool) -> Outcome:
    shown = _answer(p) if show_answers or p.show_answer else None
    answer = answers.get(p.id, p.answer)
    if answer is None:
        return Outcome(p.id, "missing", 0.0, p.worth, error="no answer given", correct_answer=shown)
    try:
        r = _check(p, str(answer))
    except GradcliError as exc:
        return Outcome(p.id, "error", 0.0, p.worth, error=exc.render(), correct_answer=shown)
    return Outcome(p.id, r.verdict, p.worth if r.correct else 0.0, p.worth, r.diagnosis, result=r,
                   correct_answer=shown)


def _check(p: Problem, answer: str):
    return check_problem(p.kind, p.expr, answer, p.wrt, at=p.at, domain=p.domain, points=p.points, seed=p.seed,
                         rtol=p.rtol, atol=p.atol, dependent=p.dependent, degree=p.taylor)


def _answer(p: Problem) -> str:
    """The right derivative, line or polynomial, worked out whatever the student wrote."""
    from ..calculus.formula import answer_text

    if p.kind == "derivative":  # the formula alone: no check needed first
        return answer_text(p.expr, p.wrt, at=p.at)
    try:
        return correct_answer(_check(p, "0"), p.dependent, {n: str(v) for n, v in p.at.items()})
    except GradcliError as exc:
        return f"(no answer: {exc.message})"

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

from ..bindings import read_text
from ..check import DEFAULT_SEED, CheckResult, check, parse_domain
from ..errors import GradcliError, ValueInputError

_KEYS = {"id", "expr", "wrt", "answer", "at", "domain", "points", "rtol", "atol", "points_worth", "seed"}


@dataclass
class Problem:
    id: str
    expr: str
    wrt: list[str] | None
    answer: str | None = None
    at: dict = field(default_factory=dict)
    domain: dict = field(default_factory=dict)
    points: int = 20
    rtol: float = 1e-4
    atol: float = 1e-10
    worth: float = 1.0
    seed: int = DEFAULT_SEED


@dataclass
class Outcome:
    id: str
    verdict: str                  # correct, incorrect, error (a broken answer or problem), missing
    earned: float
    worth: float
    diagnosis: str | None = None
    error: str | None = None
    result: CheckResult | None = None


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
        pid = str(item["id"])
        if pid in seen:
            raise ValueInputError(f"{where}: the id {pid!r} is used twice")
        seen.add(pid)
        wrt = item.get("wrt")
        wrt = None if wrt is None else [w.strip() for w in wrt.split(",")] if isinstance(wrt, str) else [
            str(w) for w in wrt]
        domain = item.get("domain", {})
        if not isinstance(domain, dict):
            raise ValueInputError(f"{where}: domain must be a table such as {{ x = [0, 5] }}")
        domains = {}
        for name, bounds in domain.items():
            text_bounds = bounds if isinstance(bounds, str) else ":".join(str(b) for b in bounds)
            domains.update(parse_domain(f"{name}={text_bounds}"))
        try:
            problems.append(Problem(pid, str(item["expr"]), wrt, item.get("answer"), dict(item.get("at", {})),
                                    domains, int(item.get("points", 20)), float(item.get("rtol", 1e-4)),
                                    float(item.get("atol", 1e-10)), float(item.get("points_worth", 1)),
                                    int(item.get("seed", DEFAULT_SEED))))
        except (TypeError, ValueError) as exc:
            raise ValueInputError(f"{where}: {exc}") from None
    return problems


def load_sheet(path: str) -> list[Problem]:
    return load_sheet_text(read_text(path), path)


def load_answers(path: str) -> dict[str, str]:
    """A student's answers: `id = "answer"` lines, at the top or under [answers]."""
    data = _toml(read_text(path), path)
    data = data.get("answers", data)
    return {str(k): str(v) for k, v in data.items()}


def grade(problems: list[Problem], answers: dict[str, str]) -> list[Outcome]:
    outcomes = []
    for p in problems:
        answer = answers.get(p.id, p.answer)
        if answer is None:
            outcomes.append(Outcome(p.id, "missing", 0.0, p.worth, error="no answer given"))
            continue
        try:
            r = check(p.expr, p.wrt, str(answer), at=p.at, domain=p.domain, points=p.points, seed=p.seed,
                      rtol=p.rtol, atol=p.atol)
        except GradcliError as exc:
            outcomes.append(Outcome(p.id, "error", 0.0, p.worth, error=exc.render()))
            continue
        outcomes.append(Outcome(p.id, r.verdict, p.worth if r.correct else 0.0, p.worth, r.diagnosis, result=r))
    return outcomes

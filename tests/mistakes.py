"""Comparing gradcli's diagnosis with the mistake a corpus records for a wrong answer.

Each corpus test names a fixed vocabulary: category -> the patterns of gradcli's diagnosis
text that mean it (a category gradcli never names has no patterns), and the patterns of the
diagnoses that only describe the difference (minus the derivative, a constant factor off)
without naming a mistake. A wrong answer's `mistake` is one category; `also` is another
category that gives the very same answer (checked by hand, said in a comment in the data).
A diagnosis that names a category other than those, or names something outside the
vocabulary, is wrong.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Judged(NamedTuple):
    where: str          # which exercise and answer
    recorded: tuple     # the recorded category, and the one it is also, if any
    diagnosis: str | None
    named: tuple        # the categories the diagnosis names ("" for a description only)


def named(diagnosis: str | None, vocabulary: dict, describes: list) -> tuple:
    """The categories whose patterns the diagnosis matches; ("",) when it only describes the
    difference, () when there is no diagnosis or it names nothing the vocabulary knows."""
    if diagnosis is None:
        return ()
    found = tuple(c for c, patterns in vocabulary.items() if any(re.search(p, diagnosis) for p in patterns))
    if found:
        return found
    return ("",) if any(re.search(p, diagnosis) for p in describes) else ()


def judge(where: str, wrong: dict, diagnosis: str | None, vocabulary: dict, describes: list) -> Judged:
    recorded = (wrong["mistake"],) + ((wrong["also"],) if "also" in wrong else ())
    return Judged(where, recorded, diagnosis, named(diagnosis, vocabulary, describes))


def matched(j: Judged) -> bool:
    return any(c in j.recorded for c in j.named)


def wrongly_named(j: Judged) -> bool:
    """A diagnosis that names a mistake, and not the recorded one."""
    return j.diagnosis is not None and j.named != ("",) and not matched(j)


def unknown_categories(wrongs: list, vocabulary: dict) -> list:
    return sorted({c for w in wrongs for c in [w["mistake"], w.get("also")] if c and c not in vocabulary})


def report(js: list) -> str:
    return "\n".join(f"{j.where}: recorded {' / '.join(j.recorded)}; gradcli: {j.diagnosis!r} -> "
                     f"{', '.join(j.named) or 'outside the vocabulary'}" for j in js)


def judge_all(exercises: list, diagnoses, vocabulary: dict, describes: list) -> list:
    """Every wrong answer of a corpus judged, in order; diagnoses(): one per wrong answer."""
    wrongs = [(ex, w) for ex in exercises for w in ex["wrong"]]
    return [judge(f"{ex['id']} {w['answer']!r}", w, d, vocabulary, describes)
            for (ex, w), d in zip(wrongs, diagnoses)]


def assert_no_other_mistake_named(judged: list) -> None:
    wrong = [j for j in judged if wrongly_named(j)]
    assert not wrong, f"{len(wrong)} diagnoses name another mistake:\n" + report(wrong)


def assert_share_named(judged: list, share: float) -> None:
    named = sum(matched(j) for j in judged)
    assert named / len(judged) >= share, f"{named} of {len(judged)}"

"""Another reading of the text: juxtaposition binding tighter than `/` (`1/2x` meant as
1/(2x)), in the answer or in the expression; a pair of parentheses left out around a
numerator or a denominator (`2x/x^2+1` meant as 2x/(x^2+1))."""

from __future__ import annotations

from ...calculus.compare import all_close
from ...symbolic.printer import plain
from .evidence import Evidence


READINGS = [  # (another way to read the text, what gradcli's rule is)
    ("tight_juxtaposition", "juxtaposition has the precedence of * and /, left to right (1/2x is (1/2)x)"),
    ("wide_exponent", "an exponent without parentheses is the one factor after ^ (e^-2x is (e^-2)x)"),
]


def reread(answer_tree, values_of, expected, rtol, atol) -> str | None:
    """The answer, read another way, agrees with the truth (values_of(tree): its values at the
    points): what to say. Every check kind asks this of a wrong answer."""
    from ...language import reading

    for name, rule in READINGS:
        alt = getattr(reading, name)(answer_tree)
        if alt is not None and all_close(values_of(alt), expected, rtol, atol):
            return (f"the answer reads as {plain(answer_tree)}, because {rule}; as {plain(alt)} it "
                    f"would be correct: write the parentheses")
    return None


def other_reading(ev: Evidence) -> str | None:
    from ...language import reading

    found = reread(ev.answer_tree, lambda t: ev.derivative(t, [])[0], ev.expected, ev.rtol, ev.atol)
    if found:
        return found
    for name, rule in READINGS:
        alt = getattr(reading, name)(ev.tree)
        if alt is not None:
            _, d_alt = ev.derivative(alt, ev.wrt)
            if all_close(ev.got, d_alt, ev.rtol, ev.atol):
                return (f"the answer is the derivative of {plain(alt)}, but the expression reads as "
                        f"{plain(ev.tree)} ({rule}); if {plain(alt)} was meant, write the parentheses")
    return None


MAX_REGROUPINGS = 60   # parentheses tried: each is a parse and an evaluation at the points


def missing_parentheses(ev: Evidence) -> str | None:
    """The answer is right once one pair of parentheses is put around the denominator after a
    `/` (up to a `+` or `-` of the same level, or the end) or around the numerator before it."""
    from ...errors import GradcliError
    from ...language.problem import read

    text = plain(ev.answer_tree)
    for candidate in _regroupings(text):
        try:
            alt = read(candidate, ev.names)
            got, _ = ev.derivative(alt, [])
        except GradcliError:
            continue
        if all_close(got, ev.expected, ev.rtol, ev.atol):
            return f"parentheses missing: the answer is right written {candidate} (as written it reads {text})"
    return None


def _regroupings(text: str):
    """Texts with one more pair of parentheses around the operand of a `/`, at most
    MAX_REGROUPINGS of them, the shortest first."""
    depth, level = 0, []
    for c in text:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(c, 0)
        level.append(depth)
    # the printed text has a space either side of a binary + or -, none after a unary one
    sums = [i for i, c in enumerate(text) if c in "+-" and text[i - 1:i] == " " and text[i + 1:i + 2] == " "]
    out = []
    for i, c in enumerate(text):
        if c != "/":
            continue
        ends = [j for j in sums if j > i and level[j] == level[i]] + [len(text)]
        starts = [0] + [j + 1 for j in sums if j < i and level[j] == level[i]]
        for j in ends[1:]:  # past the first + or -: parentheses around one term change nothing
            out.append(text[:i + 1] + "(" + text[i + 1:j].strip() + ")" + (" " if j < len(text) else "") +
                       text[j:].lstrip())
        for k in starts[:-1]:
            out.append(text[:k] + ("" if k == 0 else " ") + "(" + text[k:i].strip() + ")" + text[i:])
    return sorted(set(out), key=len)[:MAX_REGROUPINGS]

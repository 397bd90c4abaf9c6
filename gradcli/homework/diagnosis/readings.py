"""Another reading of the text: juxtaposition binding tighter than `/` (`1/2x` meant as
1/(2x)), in the answer or in the expression."""

from __future__ import annotations

from ...calculus.compare import all_close
from ...symbolic.printer import plain
from .evidence import Evidence


READINGS = [  # (another way to read the text, what gradcli's rule is)
    ("tight_juxtaposition", "juxtaposition has the precedence of * and /, left to right (1/2x is (1/2)x)"),
    ("wide_exponent", "an exponent without parentheses is the one factor after ^ (e^-2x is (e^-2)x)"),
]


def other_reading(ev: Evidence) -> str | None:
    from ...language import reading

    for name, rule in READINGS:
        alt = getattr(reading, name)(ev.answer_tree)
        if alt is not None:
            got, _ = ev.derivative(alt, [])
            if all_close(got, ev.expected, ev.rtol, ev.atol):
                return (f"the answer reads as {plain(ev.answer_tree)}, because {rule}; as {plain(alt)} it "
                        f"would be correct: write the parentheses")
        alt = getattr(reading, name)(ev.tree)
        if alt is not None:
            _, d_alt = ev.derivative(alt, ev.wrt)
            if all_close(ev.got, d_alt, ev.rtol, ev.atol):
                return (f"the answer is the derivative of {plain(alt)}, but the expression reads as "
                        f"{plain(ev.tree)} ({rule}); if {plain(alt)} was meant, write the parentheses")
    return None

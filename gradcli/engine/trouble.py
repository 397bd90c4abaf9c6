"""Numeric trouble (NaN, infinities) as warnings in gradcli's words, never as exceptions.

NumPy reports each floating-point error to a callback; the collector names the operation
that was running (the builder says which, as it goes) and keeps one warning per place and
kind.

>>> import numpy as np
>>> trouble = NumericTrouble()
>>> with trouble.watch():
...     trouble.at("log at column 1")
...     _ = np.log(np.array(-1.0))
>>> list(trouble.seen)
['log at column 1: invalid operation (NaN result)']
"""

from __future__ import annotations

import contextlib

import numpy as np

_TROUBLE = {"divide by zero": "division by zero (infinite result)", "overflow": "overflow (infinite result)",
            "invalid value": "invalid operation (NaN result)"}


class NumericTrouble:
    """NumPy's floating-point error callback: one warning per place and kind."""

    def __init__(self):
        self.label = "expression"
        self.seen: dict[str, None] = {}

    def at(self, label: str) -> None:
        """Name the operation about to run (the builder calls this)."""
        self.label = label

    def __call__(self, kind: str, flag: int) -> None:
        text = _TROUBLE.get(kind)
        if text:
            self.seen.setdefault(f"{self.label}: {text}")

    @contextlib.contextmanager
    def watch(self):
        """Route NumPy's floating-point errors (not underflow) to this collector meanwhile."""
        with np.errstate(all="call", under="ignore"):
            previous = np.seterrcall(self)
            try:
                yield self
            finally:
                np.seterrcall(previous)

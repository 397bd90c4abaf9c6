"""--trace FILE: every step of a minimisation as CSV, or JSON Lines when FILE ends in .jsonl.

>>> import io, numpy as np
>>> from gradcli.calculus.optimize import Step
>>> out = io.StringIO()
>>> with TraceWriter(out, "csv") as t:
...     t.write(Step(0, {"x": np.array([1.0, 2.0])}, 5.0, 4.47))
>>> print(out.getvalue().strip())
step,x[0],x[1],value,grad_norm
0,1.0,2.0,5.0,4.47
"""

from __future__ import annotations

import csv

import numpy as np

from .render import dumps, jsonable
from ..engine.tensor import element_labels


class TraceWriter:
    def __init__(self, stream, kind: str, owned: bool = False):
        self.stream, self.kind, self.owned = stream, kind, owned  # owned: we opened it, we close it
        self._csv = None

    @classmethod
    def open(cls, path: str) -> "TraceWriter":
        kind = "jsonl" if path.lower().endswith(".jsonl") else "csv"
        return cls(open(path, "w", newline="", encoding="utf-8"), kind, owned=True)

    def write(self, step) -> None:
        if self.kind == "jsonl":
            row = {"step": step.step, "point": {n: jsonable(v) for n, v in step.point.items()},
                   "value": jsonable(step.value), "grad_norm": jsonable(step.grad_norm)}
            self.stream.write(dumps(row) + "\n")
            return
        if self._csv is None:
            self._csv = csv.writer(self.stream, lineterminator="\n")
            header = ["step"] + [lab for n, v in step.point.items() for lab in element_labels(n, np.shape(v))]
            self._csv.writerow(header + ["value", "grad_norm"])
        cells = [repr(float(x)) for v in step.point.values() for x in np.ravel(v)]
        self._csv.writerow([step.step] + cells + [repr(float(step.value)), repr(float(step.grad_norm))])

    def close(self) -> None:
        self.stream.flush()
        if self.owned:
            self.stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

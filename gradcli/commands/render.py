"""Render one Result as strict JSON or as rich tables.

JSON never passes through rich; NaN and infinities become the strings "NaN", "Infinity"
and "-Infinity", so every line parses with any JSON reader.

>>> import numpy as np
>>> jsonable(np.array([1.0, np.nan, -np.inf]))
[1.0, 'NaN', '-Infinity']
"""

from __future__ import annotations

import json
import math

import numpy as np

from ..symbolic.numbers import significant
from ..result import Matrix, Result

TABLE_MAX_ROWS = 200
READ_MIN = 12          # the "expression, as read" column may wrap, but not narrower than this
TABLE_MAX_COLS = 16


def _fix(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, list):  # depth is the array's ndim, so this recursion is bounded
        return [_fix(v) for v in value]
    return value


def jsonable(arr) -> object:
    """A number for a scalar, nested lists for an array; non-finite values as strings."""
    data = np.asarray(arr, dtype=np.float64).tolist()
    return data if np.all(np.isfinite(arr)) else _fix(data)


def _derivative_texts(result: Result, var: str, digits: int) -> list:
    """Each derivative to `digits` significant digits, only those that are right (the ball's
    when it ran); null where none is."""
    from ..symbolic.numbers import UNKNOWN, trusted

    ders = result.derivatives[var]
    known = (result.derivative_digits or {}).get(var) or [16] * len(ders)
    balls = (result.derivative_balls or {}).get(var) or [None] * len(ders)
    texts = [trusted(float(d), n, digits, b) for d, n, b in zip(ders, known, balls)]
    return [None if t == UNKNOWN else t for t in texts]


def to_dict(result: Result, digits: int | None = None) -> dict:
    out: dict = {"expressions": result.expressions, "values": [jsonable(v) for v in result.values]}
    if result.grad is not None:
        out["grad"] = {k: jsonable(v) for k, v in result.grad.items()}
    if result.per_output_grad is not None:
        out["per_output_grad"] = [{k: jsonable(v) for k, v in g.items()} for g in result.per_output_grad]
    if result.jacobian is not None:
        j = result.jacobian
        out["jacobian"] = {"rows": j.rows, "cols": j.cols, "matrix": jsonable(j.matrix)}
    if result.hessian is not None:
        out["hessian"] = {"labels": result.hessian.rows, "matrix": jsonable(result.hessian.matrix)}
    if result.derivatives is not None:
        out["derivatives"] = {k: [jsonable(d) for d in ds] for k, ds in result.derivatives.items()}
        if result.derivative_digits is not None:
            out["derivative_digits"] = {k: list(ds) for k, ds in result.derivative_digits.items()}
        if digits:
            out["derivative_text"] = {k: _derivative_texts(result, k, digits) for k in result.derivatives}
    if result.check_grad is not None:
        c = result.check_grad
        out["check_grad"] = {"max_difference": jsonable(c.max_difference), "worst": c.worst,
                             "tolerance": c.tolerance, "eps": c.eps, "ok": c.ok}
    if result.warnings:
        out["warnings"] = list(result.warnings)
    return out


def strict(obj):
    """`obj` with every non-finite number, wherever it sits (arrays, NumPy scalars, settings
    such as a tolerance of inf), as the string JSON readers expect. Nesting is that of our
    own result objects and arrays' dimensions, so the recursion is bounded."""
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        return value if math.isfinite(value) else _fix(value)
    if isinstance(obj, np.ndarray):
        return jsonable(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, dict):
        return {str(k): strict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [strict(v) for v in obj]
    return obj


def dumps(obj) -> str:
    """Strict JSON, whatever the object holds: no field can make it fail or print NaN."""
    return json.dumps(strict(obj), allow_nan=False)


def to_json(result: Result, digits: int | None = None) -> str:
    return dumps(to_dict(result, digits))


# --- tables ---------------------------------------------------------------------------------

number = significant  # every number in a table: --precision significant digits


def array_text(arr, precision: int, width: int = 60) -> str:
    arr = np.asarray(arr)
    if arr.ndim == 0:
        return number(arr, precision)
    return np.array2string(arr, separator=", ", threshold=200, max_line_width=width,
                           formatter={"float_kind": lambda v: number(v, precision)})


# Tables never change a number's digits: rich would cut a cell that does not fit ("1792…"
# for 17925.9). So every table that holds numbers has narrower forms to fall back on, and
# the widest one the terminal can show in full is drawn.

class FirstThatFits:
    """The first of `candidates` (functions returning a renderable) whose narrowest layout
    fits the width; if none does, a note saying so and pointing to --json."""

    def __init__(self, title: str, *candidates):
        self.title, self.candidates = title, candidates

    def __rich_console__(self, console, options):
        from rich.text import Text

        for make in self.candidates:
            item = make()
            # (rich's own measurement is capped at the width, so each table says what it needs)
            if getattr(item, "required_width", 0) <= options.max_width:
                yield item
                return
        yield Text(f"too wide for {options.max_width} columns; --json shows it in full", style="italic")


def _width(columns) -> int:
    """What a table needs: each column's narrowest width, plus padding and borders."""
    return sum(columns) + 3 * len(columns) + 1


def _lines(cell) -> list:
    return str(cell).splitlines() or [""]


def _numbers_table(headers, rows, labels: int = 1):
    """A table whose first `labels` columns are names and the rest numbers (never wrapped)."""
    from rich.table import Table

    t = Table()
    needs = []
    for k, h in enumerate(headers):
        words = [w for row in rows for line in _lines(row[k]) for w in line.split()] + str(h).split()
        if k < labels:  # names may wrap, but not below the longest word
            needs.append(max([len(w) for w in words] + [1]))
            t.add_column(h, style="bold" if k == 0 else None, overflow="fold", min_width=needs[-1])
        else:  # numbers never wrap: as wide as the widest line
            needs.append(max([len(line) for row in rows for line in _lines(row[k])] + [len(w) for w in
                                                                                      str(h).split()] + [1]))
            t.add_column(h, justify="right", no_wrap=True, min_width=needs[-1])
    for row in rows:
        t.add_row(*row)
    t.required_width = _width(needs)
    return t


def _long_table(headers, rows, labels: int = 1):
    """The same cells, one number per row: (labels..., column, value)."""
    long_rows = []
    for row in rows:
        for h, cell in zip(headers[labels:], row[labels:]):
            long_rows.append((*row[:labels], h, cell))
    return _numbers_table(list(headers[:labels]) + ["", "value"], long_rows, labels=labels + 1)


def _arrays_table(title, headers, rows, arrays_from: int, precision: int, elements=None):
    """Rows whose cells from `arrays_from` on are arrays: drawn at 60, 30 and 1 characters a
    line, then one element per row."""
    def make(width):
        return lambda: _numbers_table(headers, [(*r[:arrays_from], *(array_text(a, precision, width)
                                                                      for a in r[arrays_from:])) for r in rows],
                                      labels=arrays_from)

    def long():
        from ..engine.tensor import element_labels

        out = []
        for r in rows:
            for h, a in zip(headers[arrays_from:], r[arrays_from:]):
                a = np.asarray(a)
                for label, v in zip(element_labels(r[0], a.shape), a.reshape(-1)):
                    out.append((label, h, number(v, precision)))
        return _numbers_table(["element", "", "value"], out, labels=2)

    return FirstThatFits(title, make(60), make(30), make(1), long)


def tables(result: Result, precision: int = 6, digits: int | None = None) -> list:
    """The rich renderables for a result, in reading order."""
    from rich.table import Table

    names = result.output_names

    def values(width):
        def make():
            cells = [array_text(v, precision, width) for v in result.values]
            value = max(len(line) for c in cells for line in _lines(c))
            t = Table()
            t.add_column("output", style="bold")
            t.add_column("expression, as read", overflow="fold", min_width=READ_MIN)
            t.add_column("value", justify="right", no_wrap=True, min_width=value)
            for name, parsed, cell in zip(names, result.parsed, cells):
                t.add_row(name, parsed, cell)
            t.required_width = _width([max(len(n) for n in names + ["output"]), READ_MIN, max(value, 5)])
            return t
        return make

    def values_long():
        from rich.console import Group

        read = Table()
        read.add_column("output", style="bold")
        read.add_column("expression, as read", overflow="fold")
        for name, parsed in zip(names, result.parsed):
            read.add_row(name, parsed)
        elements = _arrays_table("", ["output", "value"], list(zip(names, result.values)), 1,
                                 precision).candidates[-1]()
        group = Group(read, elements)
        group.required_width = elements.required_width
        return group

    out = [FirstThatFits("Values", values(60), values(30), values(1), values_long)]

    if result.grad is not None:
        headers = ["variable"] + ([f"d{name}" for name in names] if result.per_output_grad else []) + [
            "gradient" if not result.per_output_grad else "sum"]
        rows = [(var, *[p[var] for p in result.per_output_grad or []], result.grad[var]) for var in result.grad]
        out.append(_arrays_table("Gradient", headers, rows, 1, precision))

    if result.jacobian is not None:
        out.append(_matrix_table("Jacobian (rows: outputs, columns: variables)", result.jacobian, precision))
    if result.hessian is not None:
        out.append(_matrix_table("Hessian", result.hessian, precision))
    if result.check_grad is not None:
        from rich.text import Text

        c = result.check_grad
        verdict = "passes" if c.ok else "FAILS"
        out.append(Text(f"Gradient check: largest difference from central differences {c.max_difference:.3g} "
                        f"at {c.worst} (tolerance {c.tolerance:g}): {verdict}",
                        style="green" if c.ok else "bold red"))
    if result.derivatives is not None:
        from ..symbolic.numbers import trusted

        for var, ders in result.derivatives.items():
            if result.derivative_digits is None:  # (a Result built by hand)
                rows = [(str(k), d) for k, d in enumerate(ders, start=1)]
                out.append(_arrays_table(f"Derivatives with respect to {var}", ["order", "value"], rows, 1,
                                         precision))
                continue
            # only the digits that are right: fewer than --precision where fewer are known
            want = digits or precision
            balls = (result.derivative_balls or {}).get(var) or [None] * len(ders)
            cells = [(str(k), trusted(float(d), n, want, b))
                     for k, (d, n, b) in enumerate(zip(ders, result.derivative_digits[var], balls), start=1)]
            headers = ["order", "value"]
            out.append(FirstThatFits(f"Derivatives with respect to {var}", lambda h=headers, c=cells: _numbers_table(h, c),
                                     lambda h=headers, c=cells: _long_table(h, c)))
    return out


def _matrix_table(title: str, m: Matrix, precision: int):
    from rich.text import Text

    rows, cols = m.matrix.shape
    if rows > TABLE_MAX_ROWS or cols > TABLE_MAX_COLS:
        return Text(f"{title}: {rows} x {cols}, too large for a table; use --json", style="italic")
    headers = [""] + list(m.cols)
    cells = [(label, *(number(v, precision) for v in row)) for label, row in zip(m.rows, m.matrix)]
    return FirstThatFits(title, lambda: _numbers_table(headers, cells), lambda: _long_table(headers, cells))


def minimize_dict(result) -> dict:
    """The JSON object of `gradcli minimize` (same conventions as eval's)."""
    out = {"expression": result.expression, "method": result.method,
           "point": {n: jsonable(v) for n, v in result.point.items()}, "value": jsonable(result.value),
           "grad_norm": jsonable(result.grad_norm), "steps": result.steps, "stopped": result.stopped,
           "converged": result.converged, "seconds": result.seconds}
    if result.notes:
        out["notes"] = list(result.notes)
    if result.warnings:
        out["warnings"] = list(result.warnings)
    return out


def minimize_tables(result, precision: int = 6) -> list:
    from rich.table import Table

    summary = Table(title="Minimisation", show_header=False)
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    for label, value in [("expression, as read", result.parsed), ("method", result.method),
                         ("stopped", result.stopped), ("steps", str(result.steps)),
                         ("value", number(result.value, precision)),
                         ("gradient norm", number(result.grad_norm, precision)),
                         ("wall time", f"{result.seconds:.3g} s")]:
        summary.add_row(label, value)
    point = _arrays_table("Final point", ["variable", "value"], list(result.point.items()), 1, precision)
    return [summary, point]


def print_tables(result, precision: int = 6, file=None, digits: int | None = None) -> None:
    """Draw an eval Result or a MinimizeResult as tables on stdout."""
    items = tables(result, precision, digits) if isinstance(result, Result) else minimize_tables(result, precision)
    print_renderables(items, file)


# --- gradcli check ----------------------------------------------------------------------------

FAILING_ROWS = 10


def _derivative_name(result) -> str:
    order = len(result.wrt)
    below = "".join(f"d{w}" for w in result.wrt)
    return f"d/d{result.wrt[0]}" if order == 1 else f"d{order}/{below}"


def check_dict(result) -> dict:
    failing = [{"point": result.points[i] if result.points else {}, "expected": jsonable(result.expected[i]),
                "answer": jsonable(result.got[i]), "error": jsonable(abs(result.got[i] - result.expected[i]))}
               for i in result.failing]
    return {"verdict": result.verdict, "correct": result.correct, "expression": result.expression,
            "expression_read": result.expression_read, "wrt": result.wrt, "answer": result.answer,
            "answer_read": result.answer_read, "diagnosis": result.diagnosis, "seed": result.seed,
            "rtol": result.rtol, "atol": result.atol,
            "domains": {n: list(b) for n, b in result.domains.items()},
            "points": result.points, "expected": jsonable(result.expected), "answer_values": jsonable(result.got),
            "failing": failing, "notes": result.notes, "kind": result.kind,
            # the points whose expected value and answer were computed again in ball arithmetic
            # before the verdict (their indices in "points")
            "refined": list(getattr(result, "refined", []) or []),
            **({"subject": result.subject} if result.subject else {}),
            **({"line": result.line} if result.line else {}),
            **({"correct_answer": result.correct_answer} if result.correct_answer is not None else {})}


def check_tables(result, precision: int = 6) -> list:
    from rich.table import Table
    from rich.text import Text

    verdict = Text(f"{result.verdict.upper()}", style="bold green" if result.correct else "bold red")
    summary = Table(show_header=False, title="Check")
    summary.add_column(style="bold")
    summary.add_column()
    summary.add_row("verdict", verdict)
    if result.line:
        return _line_tables(result, summary, precision)
    if result.subject:
        summary.add_row("asked", result.subject)
    else:
        summary.add_row("derivative", f"{_derivative_name(result)} of {result.expression_read}")
    summary.add_row("answer, as read", result.answer_read)
    domains = ", ".join(f"{n} in [{lo:g}, {hi:g}]" for n, (lo, hi) in result.domains.items())
    where = " on the curve" if result.kind == "implicit" else ""
    unit = "coefficients" if result.kind == "taylor" else "points"
    if result.kind == "taylor":
        summary.add_row("coefficients", f"{len(result.expected)}, of degree 0 to {len(result.expected) - 1}")
    else:
        summary.add_row("points", f"{len(result.expected)}{where} (seed {result.seed}{'; ' + domains if domains else ''})")
    summary.add_row("tolerance", f"relative {result.rtol:g}, absolute {result.atol:g}")
    if not result.correct:
        summary.add_row("failing", f"{len(result.failing)} of {len(result.expected)} {unit}")
        summary.add_row("diagnosis", result.diagnosis or "no common mistake fits; compare the values below")
    if result.correct_answer is not None:
        summary.add_row("the polynomial" if result.kind == "taylor" else "the derivative", result.correct_answer)
    out = [summary]
    # The evidence: the failing points, or when all agree, the points checked.
    rows = result.failing or list(range(len(result.expected)))
    if rows:
        names = list(result.points[0]) if result.points else []
        shown = rows[:FAILING_ROWS]
        title = ((f"Failing {unit}" if result.failing else f"{unit.capitalize()} checked")) + (
            f" (first {len(shown)} of {len(rows)}; --json has all)" if len(rows) > len(shown) else "")
        headers = ["point"] + names + ["expected", "answer", "error"]
        cells = [(str(i + 1), *(number(result.points[i][n], precision) for n in names),
                  number(result.expected[i], precision), number(result.got[i], precision),
                  number(abs(result.got[i] - result.expected[i]), 3)) for i in shown]
        wide = [c[1:] for c in cells]

        def full():
            t = _numbers_table(headers[1:], wide, labels=0)
            return t
        out.append(FirstThatFits(title, full, lambda: _long_table(headers, cells)))
    return out


def _line_tables(result, summary, precision: int) -> list:
    """A line's verdict: the point, the slope asked for and the answer's, and where the answer
    passes; the right line itself only with --show-answer."""
    line = result.line
    summary.add_row("asked", result.subject)
    summary.add_row("answer, as read", result.answer_read)
    px, py = line["point"]["x"], line["point"]["y"]
    summary.add_row("point", line.get("point_text") or f"({number(px, precision)}, {number(py, precision)})")
    expected, answer = line["expected"], line["answer"]

    from ..symbolic.numbers import readable as exact_number

    def slope(d):  # -1/3 rather than -0.333333
        return "vertical" if d["vertical"] else exact_number(d["slope"])

    summary.add_row("slope", f"{slope(expected)} expected" + (f", {slope(answer)} in the answer" if answer else ""))
    if answer and not answer["vertical"] and not expected["vertical"]:
        at = answer["slope"] * px + answer["intercept"]
        summary.add_row("at the point", f"the answer's line has y = {number(at, precision)}")
    summary.add_row("tolerance", f"relative {result.rtol:g}, absolute {result.atol:g}")
    if not result.correct:
        summary.add_row("diagnosis", result.diagnosis or "no common mistake fits")
    if result.correct_answer is not None:
        summary.add_row("the line", result.correct_answer)
    return [summary]


def sheet_dict(outcomes) -> dict:
    problems = []
    for o in outcomes:
        problems.append({"id": o.id, "verdict": o.verdict, "correct": o.verdict == "correct",
                         "diagnosis": o.diagnosis, "error": o.error, "points": o.earned, "worth": o.worth,
                         "answer_read": o.result.answer_read if o.result else None,
                         **({"correct_answer": o.correct_answer} if o.correct_answer is not None else {})})
    earned, possible = sum(o.earned for o in outcomes), sum(o.worth for o in outcomes)
    return {"problems": problems, "total": earned, "possible": possible,
            "all_correct": all(o.verdict == "correct" for o in outcomes)}


def sheet_tables(outcomes, precision: int = 6) -> list:
    from rich.table import Table
    from rich.text import Text

    t = Table(title="Sheet")
    for col, just in (("id", "left"), ("verdict", "left"), ("diagnosis or error", "left"), ("points", "right")):
        t.add_column(col, justify=just)
    colour = {"correct": "green", "incorrect": "red", "error": "yellow", "missing": "yellow"}
    for o in outcomes:
        note = o.error or o.diagnosis or ""
        if o.correct_answer is not None:
            note = (note + "; " if note else "") + f"the right answer: {o.correct_answer}"
        t.add_row(o.id, Text(o.verdict, style=colour[o.verdict]), note, f"{o.earned:g}/{o.worth:g}")
    earned, possible = sum(o.earned for o in outcomes), sum(o.worth for o in outcomes)
    t.add_section()
    t.add_row("total", "", "", f"{earned:g}/{possible:g}")
    return [t]


def print_renderables(items, file=None, unbounded: bool = False) -> None:
    """Print rich renderables; `unbounded`: never wrap into a pipe (one line stays one line,
    for the reader's grep), while at a terminal the terminal's width still applies."""
    import sys

    from rich.console import Console

    class QuietConsole(Console):
        def on_broken_pipe(self):
            # rich exits 1 here, which would read as "check failed"; run() ends quietly with 0
            raise BrokenPipeError

    # rich writes no colour codes when the stream is not a terminal, and honours NO_COLOR.
    # No markup or emoji codes: cells hold the user's text, and rich would take the
    # brackets of `[x, y]` or `w[i]` for style tags and drop them.
    out = file or sys.stdout
    wide = unbounded and not (hasattr(out, "isatty") and out.isatty())
    console = QuietConsole(file=file, highlight=False, markup=False, emoji=False, width=100_000 if wide else None)
    for item in items:
        # A heading of its own line: rich would wrap a title to the width of a narrow table.
        if getattr(item, "title", None):
            console.print(item.title, style="bold")
            item.title = None
        console.print(item)

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

from ..result import Matrix, Result

TABLE_MAX_ROWS = 200
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


def to_dict(result: Result) -> dict:
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


def to_json(result: Result) -> str:
    return dumps(to_dict(result))


# --- tables ---------------------------------------------------------------------------------

def number(value: float, precision: int) -> str:
    value = float(value) + 0.0  # no "-0" in tables
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{precision}g}"


def array_text(arr, precision: int) -> str:
    arr = np.asarray(arr)
    if arr.ndim == 0:
        return number(arr, precision)
    return np.array2string(arr, separator=", ", threshold=200, max_line_width=60,
                           formatter={"float_kind": lambda v: number(v, precision)})


def tables(result: Result, precision: int = 6) -> list:
    """The rich renderables for a result, in reading order."""
    from rich.table import Table

    names = result.output_names
    values = Table(title="Values")
    values.add_column("output", style="bold")
    values.add_column("expression, as read")
    values.add_column("value", justify="right")
    for name, parsed, v in zip(names, result.parsed, result.values):
        values.add_row(name, parsed, array_text(v, precision))
    out = [values]

    if result.grad is not None:
        grad = Table(title="Gradient")
        grad.add_column("variable", style="bold")
        if result.per_output_grad:
            for name in names:
                grad.add_column(f"d{name}", justify="right")
        grad.add_column("gradient" if not result.per_output_grad else "sum", justify="right")
        for var in result.grad:
            own = [array_text(p[var], precision) for p in result.per_output_grad or []]
            grad.add_row(var, *own, array_text(result.grad[var], precision))
        out.append(grad)

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
        for var, ders in result.derivatives.items():
            t = Table(title=f"Derivatives with respect to {var}")
            t.add_column("order", justify="right")
            t.add_column("value", justify="right")
            for k, d in enumerate(ders, start=1):
                t.add_row(str(k), array_text(d, precision))
            out.append(t)
    return out


def _matrix_table(title: str, m: Matrix, precision: int):
    from rich.table import Table
    from rich.text import Text

    rows, cols = m.matrix.shape
    if rows > TABLE_MAX_ROWS or cols > TABLE_MAX_COLS:
        return Text(f"{title}: {rows} x {cols}, too large for a table; use --json", style="italic")
    t = Table(title=title)
    t.add_column("", style="bold")
    for c in m.cols:
        t.add_column(c, justify="right")
    for label, row in zip(m.rows, m.matrix):
        t.add_row(label, *(number(v, precision) for v in row))
    return t


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
    point = Table(title="Final point")
    point.add_column("variable", style="bold")
    point.add_column("value", justify="right")
    for name, value in result.point.items():
        point.add_row(name, array_text(value, precision))
    return [summary, point]


def print_tables(result, precision: int = 6, file=None) -> None:
    """Draw an eval Result or a MinimizeResult as tables on stdout."""
    items = tables(result, precision) if isinstance(result, Result) else minimize_tables(result, precision)
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
            "failing": failing, "notes": result.notes}


def check_tables(result, precision: int = 6) -> list:
    from rich.table import Table
    from rich.text import Text

    verdict = Text(f"{result.verdict.upper()}", style="bold green" if result.correct else "bold red")
    summary = Table(show_header=False, title="Check")
    summary.add_column(style="bold")
    summary.add_column()
    summary.add_row("verdict", verdict)
    summary.add_row("derivative", f"{_derivative_name(result)} of {result.expression_read}")
    summary.add_row("answer, as read", result.answer_read)
    domains = ", ".join(f"{n} in [{lo:g}, {hi:g}]" for n, (lo, hi) in result.domains.items())
    summary.add_row("points", f"{len(result.expected)} (seed {result.seed}{'; ' + domains if domains else ''})")
    summary.add_row("tolerance", f"relative {result.rtol:g}, absolute {result.atol:g}")
    if not result.correct:
        summary.add_row("failing", f"{len(result.failing)} of {len(result.expected)} points")
        summary.add_row("diagnosis", result.diagnosis or "no common mistake fits; compare the values below")
    out = [summary]
    # The evidence: the failing points, or when all agree, the points checked.
    rows = result.failing or list(range(len(result.expected)))
    if rows:
        names = list(result.points[0]) if result.points else []
        shown = rows[:FAILING_ROWS]
        title = ("Failing points" if result.failing else "Points checked") + (
            f" (first {len(shown)} of {len(rows)}; --json has all)" if len(rows) > len(shown) else "")
        t = Table(title=title)
        for n in names:
            t.add_column(n, justify="right")
        for col in ("expected", "answer", "error"):
            t.add_column(col, justify="right")
        for i in shown:
            err = abs(result.got[i] - result.expected[i])
            t.add_row(*(number(result.points[i][n], precision) for n in names),
                      number(result.expected[i], precision), number(result.got[i], precision), number(err, 3))
        out.append(t)
    return out


def sheet_dict(outcomes) -> dict:
    problems = []
    for o in outcomes:
        problems.append({"id": o.id, "verdict": o.verdict, "correct": o.verdict == "correct",
                         "diagnosis": o.diagnosis, "error": o.error, "points": o.earned, "worth": o.worth,
                         "answer_read": o.result.answer_read if o.result else None})
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
        t.add_row(o.id, Text(o.verdict, style=colour[o.verdict]), o.error or o.diagnosis or "",
                  f"{o.earned:g}/{o.worth:g}")
    earned, possible = sum(o.earned for o in outcomes), sum(o.worth for o in outcomes)
    t.add_section()
    t.add_row("total", "", "", f"{earned:g}/{possible:g}")
    return [t]


def print_renderables(items, file=None) -> None:
    from rich.console import Console

    class QuietConsole(Console):
        def on_broken_pipe(self):
            # rich exits 1 here, which would read as "check failed"; run() ends quietly with 0
            raise BrokenPipeError

    # rich writes no colour codes when the stream is not a terminal, and honours NO_COLOR.
    # No markup or emoji codes: cells hold the user's text, and rich would take the
    # brackets of `[x, y]` or `w[i]` for style tags and drop them.
    console = QuietConsole(file=file, highlight=False, markup=False, emoji=False)
    for item in items:
        # A heading of its own line: rich would wrap a title to the width of a narrow table.
        if getattr(item, "title", None):
            console.print(item.title, style="bold")
            item.title = None
        console.print(item)

"""`gradcli eval --points FILE` / `--grid`: read a chunk of points, compute it, write it, until
the input ends, so memory stays flat and output starts before the input is all read.

CSV rows are written with Python's shortest round-tripping repr of each float (what %.17g
guarantees, without its 0.10000000000000001); JSON Lines hold one strict-JSON object per
point; at a terminal, a table of the first and last rows.
"""

from __future__ import annotations

import json
import sys

from .options import InputError, PipeClosed, call_core, warn
from .progress import Progress

SHOWN = 5          # rows at each end of the terminal's table
SLOW_CHUNK = 512   # points per chunk when each is computed on its own


def run(prepare, mode: str, precision: int) -> None:
    """prepare() -> (Source, Plan), from the core; mode is "csv", "json" or "table"."""
    from ..errors import GradcliError
    from ..inputs.pointfiles import BadRow

    source, plan = call_core(prepare)
    if not plan.vectorized:
        source.size = SLOW_CHUNK  # point by point: smaller chunks, so output and progress keep moving
    writer = {"csv": _Csv, "json": _JsonLines, "table": _Table}[mode](precision)
    # a bar on the terminal that also shows the rows would be drawn into them
    shown = sys.stderr.isatty() and (mode == "table" or not sys.stdout.isatty())
    progress = Progress(source.total, enabled=shown, what="points")
    count = 0
    try:
        for chunk in source:
            points = call_core(lambda: plan(chunk))
            writer.write(points)
            count += len(points)
            progress.update(source.done, f"{count:,} points")
    except GradcliError as exc:
        progress.close()
        hint = " (--skip-bad-rows skips such rows)" if isinstance(exc, BadRow) else ""
        raise InputError(exc.render() + hint) from None
    except InputError:
        progress.close()
        raise
    progress.close()
    if source.skipped and not count:
        raise InputError(f"every row was skipped as bad ({source.skipped:,}, from line {source.skipped_lines[0]}): "
                         f"no points to compute; is a column text? (every column must hold numbers)")
    writer.close(count)
    messages = []
    if source.skipped:
        lines = ", ".join(map(str, source.skipped_lines)) + (", ..." if source.skipped > len(source.skipped_lines) else "")
        messages.append(f"skipped {source.skipped:,} bad row{'s' if source.skipped != 1 else ''} (line"
                        f"{'s' if len(source.skipped_lines) != 1 else ''} {lines})")
    warn(messages + plan.warnings())


def _out(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()  # each chunk reaches the next program in the pipe as soon as it is done
    except BrokenPipeError:
        raise PipeClosed() from None  # past Click, which would exit 1 on a closed pipe


class _Csv:
    def __init__(self, precision: int):
        self.header_written, self.columns = False, None

    def write(self, points) -> None:
        import numpy as np

        columns = points.columns()
        self.columns = self.columns or list(columns)
        if not len(points):
            return  # the header waits for a row, or for the end (an input of no rows)
        rows = np.column_stack(list(columns.values())).tolist()
        _out(self._header() + "\n".join([",".join(map(float.__repr__, row)) for row in rows]) + "\n")

    def close(self, count: int) -> None:
        if self.columns is not None:
            _out(self._header())

    def _header(self) -> str:
        if self.header_written:
            return ""
        import csv
        import io

        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(self.columns)  # w[0,1] holds a comma: quoted
        self.header_written = True
        return buf.getvalue()


class _JsonLines:
    def __init__(self, precision: int):
        pass

    def write(self, points) -> None:
        from .render import dumps

        lines = []
        for obj in point_objects(points):
            try:
                lines.append(json.dumps(obj, allow_nan=False))
            except ValueError:  # NaN or infinity somewhere: as the strings JSON readers expect
                lines.append(dumps(obj))
        if lines:
            _out("\n".join(lines) + "\n")

    def close(self, count: int) -> None:
        pass


def point_objects(points):
    """One dict per point, with eval --json's keys: point, values, grad, per_output_grad,
    jacobian, hessian, derivatives."""
    n = len(points)
    cols = {k: v.tolist() for k, v in points.points.items()}
    values = [v.tolist() for v in points.values]
    grad = {x: g.tolist() for x, g in (points.grad or {}).items()}
    per_output = [{x: g.tolist() for x, g in d.items()} for d in points.per_output_grad or []]
    jac, hess = points.jacobian, points.hessian
    jac_rows = jac.matrix.tolist() if jac is not None else None
    hess_rows = hess.matrix.tolist() if hess is not None else None
    ders = {x: [d.tolist() for d in ds] for x, ds in (points.derivatives or {}).items()}
    for i in range(n):
        obj = {"point": {k: c[i] for k, c in cols.items()}, "values": [v[i] for v in values]}
        if points.grad is not None:
            obj["grad"] = {x: g[i] for x, g in grad.items()}
        if per_output:
            obj["per_output_grad"] = [{x: g[i] for x, g in d.items()} for d in per_output]
        if jac is not None:
            obj["jacobian"] = {"rows": jac.rows, "cols": jac.cols, "matrix": jac_rows[i]}
        if hess is not None:
            obj["hessian"] = {"labels": hess.rows, "matrix": hess_rows[i]}
        if ders:
            obj["derivatives"] = {x: [d[i] for d in ds] for x, ds in ders.items()}
        yield obj


class _Table:
    """The first and last rows, the count, and where to get the rest."""

    def __init__(self, precision: int):
        self.precision, self.headers, self.head, self.tail, self.seen = precision, None, [], [], 0

    def write(self, points) -> None:
        import numpy as np

        columns = points.columns()
        self.headers = self.headers or list(columns)
        if not len(points):
            return
        rows = np.column_stack(list(columns.values()))
        numbered = [(self.seen + k + 1, row) for k, row in enumerate(rows)]
        take = max(0, SHOWN - len(self.head))
        self.head += numbered[:take]
        self.tail = (self.tail + numbered[take:][-SHOWN:])[-SHOWN:]
        self.seen += len(rows)

    def close(self, count: int) -> None:
        from .render import FirstThatFits, _long_table, _numbers_table, number, print_renderables

        headers = ["#"] + (self.headers or [])
        rows = [[str(k)] + [number(v, self.precision) for v in r] for k, r in self.head]
        if self.tail and self.tail[0][0] > self.head[-1][0] + 1:
            rows.append(["…"] * len(headers))
        rows += [[str(k)] + [number(v, self.precision) for v in r] for k, r in self.tail]
        shown = f", the first and last {SHOWN} shown" if count > 2 * SHOWN else ""
        table = FirstThatFits(f"{count:,} point{'s' if count != 1 else ''}{shown}",
                              lambda: _numbers_table(headers, rows), lambda: _long_table(headers, rows))
        print_renderables([table])
        if count > 2 * SHOWN:
            sys.stdout.write("every point with --csv or --json\n")

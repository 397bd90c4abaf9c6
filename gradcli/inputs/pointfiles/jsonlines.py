"""JSON Lines: one object of numbers per line (or one JSON array of them), read a chunk at a
time; a name repeated in an object is a bad row, never silently the last."""

from __future__ import annotations

import json

from ...errors import ValueInputError
from .chunks import BadRow, Source
from .lines import header_names, line_rows, Lines


def read_jsonl(text: Lines, source: str, size: int, skip_bad: bool, total: int | None) -> Source:
    line_no, first, names, skipped = 0, None, None, []
    for line in text:
        line_no += 1
        if not line.strip():
            continue
        try:
            names = header_names(list(_object(line, source, line_no)), source, line_no)
        except BadRow:
            if not skip_bad:
                raise
            skipped.append(line_no)  # the first good object names the variables
            continue
        first = line
        break
    if first is None:
        raise ValueInputError(f"{source} holds no points: JSON Lines of points hold one object per line, "
                              f'as in {{"x": 1, "y": 2}}')

    def read(text: str, number: int):
        return _json_row(_object(text, source, number), names, source, number) if text.strip() else None

    read(first, line_no)  # the first object's own values are checked before anything is computed

    def chunks(src: Source):
        src.skipped, src.skipped_lines = len(skipped), skipped[:5]
        number, pending = line_no, [(line_no, first)]
        while True:
            lines = text.take(src.size)
            batch = pending + [(number + 1 + k, t) for k, t in enumerate(lines)]
            number += len(lines)
            pending = []
            if not batch:
                return
            src.done += sum(len(t) for _, t in batch)
            yield from line_rows(batch, names, skip_bad, src, read)
            if not lines:
                return

    return Source(names, chunks, total, "bytes")


def _object(line: str, source: str, number: int) -> dict:
    try:
        obj = json.loads(line, object_pairs_hook=_no_repeats)
    except _Repeated as exc:
        raise BadRow(f"{source}, line {number}: {exc.args[0]} is given twice") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise BadRow(f"{source}, line {number}: not JSON ({getattr(exc, 'msg', 'nested too deeply')})") from None
    if not isinstance(obj, dict):
        raise BadRow(f"{source}, line {number}: a line of points is one JSON object, as in {{\"x\": 1, \"y\": 2}}")
    return obj


class _Repeated(Exception):
    pass


def _no_repeats(pairs) -> dict:
    """A JSON object whose names are all different ({"x": 3, "x": 4} would keep 4 silently)."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen = set()
        raise _Repeated(next(k for k, _ in pairs if k in seen or seen.add(k)))
    return out


def _json_row(obj: dict, names: list[str], source: str, number: int) -> list[float]:
    if obj.keys() != set(names):
        missing = [n for n in names if n not in obj]
        extra = [k for k in obj if k not in names]
        what = f"has no {', '.join(missing)}" if missing else f"has {', '.join(map(str, extra))}, which the first line has not"
        raise BadRow(f"{source}, line {number}: the object {what}")
    row = []
    for j, n in enumerate(names, start=1):
        v = obj[n]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise BadRow(f"{source}, line {number}, column {j} ({n}): {json.dumps(v)[:40]} is not a number")
        try:
            row.append(float(v))
        except OverflowError:
            raise BadRow(f"{source}, line {number}, column {j} ({n}): the number is too large for floating point") from None
    return row

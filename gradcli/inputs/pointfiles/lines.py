"""What CSV and JSON Lines share: a file read line by line with line numbers, fields read as
numbers as np.loadtxt reads them, a header's names, rows gathered into chunks."""

from __future__ import annotations

import io
import itertools
import os
import stat

import numpy as np

from ..values import _NAME
from ...errors import ValueInputError
from .chunks import BadRow, Chunk, Source


def field_number(field: str) -> float:
    """A CSV field as a float, as np.loadtxt reads it: '1e3', 'nan', '-inf'; not '' or '1_0'."""
    field = field.strip().strip('"')
    if not field or "_" in field:
        raise ValueError
    return float(field)


class Lines:
    """A text stream's lines, a chunk at a time; from a pipe, a chunk also ends a moment after
    it began (a slow producer's rows come out as they come in, not 65,536 at a time)."""

    WAIT = 0.25   # seconds

    def __init__(self, text, source: str):
        self.text, self.source, self.number, self.back = text, source, 0, []
        try:
            self.regular = stat.S_ISREG(os.fstat(text.fileno()).st_mode)
        except (OSError, ValueError, io.UnsupportedOperation):
            self.regular = True

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.back:
            return self.back.pop()
        try:
            line = self.text.readline()
        except UnicodeDecodeError:
            raise ValueInputError(f"{self.source} is not UTF-8 text (a compressed or binary file? decompress it "
                                  f"first, as in gunzip -c FILE.gz | gradcli eval ... --points -)") from None
        if not line:
            raise StopIteration
        self.number += 1
        return line

    def put_back(self, line: str) -> None:
        self.back.append(line)

    def take(self, size: int) -> list[str]:
        if self.regular:
            return list(itertools.islice(self, size))
        import time

        out, began = [], None
        for line in self:
            out.append(line)
            began = began or time.monotonic()
            if len(out) >= size or time.monotonic() - began > self.WAIT:
                break
        return out


def line_rows(numbered, names: list[str], skip_bad: bool, src: Source, read):
    """Rows read a line at a time by read(text, line number) (None: no row on that line). A bad
    row raises once the rows before it are yielded, or, with skip_bad, is skipped and counted."""
    rows, at = [], []
    for number, text in numbered:
        try:
            row = read(text, number)
        except BadRow:
            if not skip_bad:
                if rows:
                    yield line_chunk(names, rows, at)
                raise
            src.skipped += 1
            if len(src.skipped_lines) < 5:
                src.skipped_lines.append(number)
            continue
        if row is not None:
            rows.append(row)
            at.append(number)
    if rows:
        yield line_chunk(names, rows, at)


def line_chunk(names: list[str], rows: list, at: list[int]) -> Chunk:
    data = np.array(rows, dtype=np.float64).reshape(len(rows), len(names))
    return Chunk({n: data[:, j] for j, n in enumerate(names)}, lambda i: f"line {at[i]}")


def row_numbers(fields: list[str], names: list[str], source: str, line: int) -> list[float]:
    if len(fields) != len(names):
        raise BadRow(f"{source}, line {line}: {len(fields)} field{'s' if len(fields) != 1 else ''}, "
                     f"but the header names {len(names)} ({', '.join(names)})")
    out = []
    for j, (field, name) in enumerate(zip(fields, names), start=1):
        try:
            out.append(field_number(field))
        except ValueError:
            shown = field.strip()
            raise BadRow(f"{source}, line {line}, column {j} ({name}): "
                         + (f"{shown!r} is not a number" if shown else "the field is empty")) from None
    return out


def text_chunk(names, data, lines, first) -> Chunk:
    def where(i: int) -> str:
        # the i-th row's line, found only when a warning needs it (blank and comment lines count)
        seen = -1
        for k, line in enumerate(lines):
            if line.split("#", 1)[0].strip():
                seen += 1
                if seen == i:
                    return f"line {first + k}"
        return f"row {i + 1}"

    return Chunk({n: np.ascontiguousarray(data[:, j]) for j, n in enumerate(names)}, where)


def header_names(fields: list[str], source: str, line: int) -> list[str]:
    from ...language.reading import canonical_name
    from ..validate import not_a_constant

    seen: dict[str, int] = {}
    for j, name in enumerate(fields, start=1):
        if not name:
            why = ("a delimiter at the end of the line" if j == len(fields) and j > 1 else
                   "an unnamed first column, as pandas writes without index=False and R without row.names=FALSE"
                   if j == 1 else "an empty name")
            raise ValueInputError(f"{source}, line {line}, column {j}: the header has no name there ({why}); "
                                  f"a file of points starts with a row of variable names")
        if not _NAME.match(name):
            hint = " (the first row must name the variables)" if is_number(name) else ""
            raise ValueInputError(f"{source}, line {line}, column {j}: {name!r} is not a variable name{hint}")
        name = canonical_name(name)  # θ is theta, as in expressions
        not_a_constant(name, f"a column in {source}")
        if name in seen:
            raise ValueInputError(f"{source}, line {line}: {name} names columns {seen[name]} and {j}")
        seen[name] = j
    return list(seen)


def is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False

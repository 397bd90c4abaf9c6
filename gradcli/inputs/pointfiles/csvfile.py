"""CSV (or TSV) with a header of variable names, read a chunk at a time."""

from __future__ import annotations

import re

import numpy as np

from ...errors import ValueInputError
from .chunks import Chunk, Source
from .lines import header_names, is_number, line_rows, Lines, row_numbers, text_chunk


def read_csv(text: Lines, source: str, size: int, skip_bad: bool, total: int | None) -> Source:
    import csv

    line_no, header, comments = 0, None, []
    for line in text:
        line_no += 1
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            comments.append((line_no, line))
            continue
        header = line
        break
    # np.savetxt writes its header as a comment, '# x,y', after any comment lines of its own:
    # then the last comment names the columns, and the line after it is the first row
    if comments and (header is None or is_number(re.split(r"[,;\t ]", header.strip())[0])):
        if header is not None:
            text.put_back(header)
            line_no -= 1
        header_no, header = comments[-1]
        header = header.strip().lstrip("#")
    elif header is None:
        raise ValueInputError(f"{source} is empty: a CSV of points starts with a header row naming the variables")
    else:
        header_no = line_no
    header = header.strip()
    delimiter = next((d for d in (",", "\t", ";") if d in header), None)
    fields = next(csv.reader([header], delimiter=delimiter or " ", skipinitialspace=True))
    names = header_names([f.strip() for f in fields if delimiter or f.strip()], source, header_no)
    header_line = line_no

    def chunks(src: Source):
        first, rows = header_line + 1, 0
        while True:
            lines = text.take(src.size)
            if not lines:
                break
            src.done += sum(len(s) for s in lines)
            for chunk in _csv_rows(lines, first, names, delimiter, source, skip_bad, src):
                rows += chunk.count
                yield chunk
            first += len(lines)
        if not rows:  # a header and no rows: still one (empty) chunk, so the output has its header
            yield Chunk({n: np.empty(0) for n in names}, lambda i: f"row {i + 1}")

    return Source(names, chunks, total, "bytes")


def _csv_rows(lines: list[str], first: int, names: list[str], delimiter, source: str, skip_bad: bool, src: Source):
    """The rows of a chunk of lines: NumPy's parser when all is well, else line by line to
    say where it is not."""
    import warnings

    try:
        # (a chunk of blank lines is "no data" to NumPy, which says so as a UserWarning)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = np.loadtxt(lines, delimiter=delimiter, comments="#", dtype=np.float64, ndmin=2, quotechar='"')
        if data.size and data.shape[1] == len(names):
            yield text_chunk(names, data, lines, first)
            return
        if not data.size:
            return
    except ValueError:
        pass
    def read(line: str, number: int):
        stripped = line.split("#", 1)[0].strip()
        if not stripped:
            return None
        if not delimiter:
            return row_numbers(stripped.split(), names, source, number)
        import csv

        return row_numbers(next(csv.reader([stripped], delimiter=delimiter)), names, source, number)

    yield from line_rows(enumerate(lines, start=first), names, skip_bad, src, read)

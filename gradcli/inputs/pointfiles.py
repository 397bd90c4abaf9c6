"""Many points, read in chunks: CSV with a header, JSON Lines, .npz, or a grid.

A source yields Chunks of at most `size` rows, each a column of numbers per variable, so a
file of any length is read, computed and written a chunk at a time. A row that is not
numbers is an error naming its line and column (or, with skip_bad, a row skipped and
counted); the rows before it in its chunk are yielded first, so whatever was written is
whole rows.

>>> chunks = list(grid("x=0:1:3,y=0:2:2"))
>>> {n: c.tolist() for n, c in chunks[0].columns.items()}
{'x': [0.0, 0.0, 0.5, 0.5, 1.0, 1.0], 'y': [0.0, 2.0, 0.0, 2.0, 0.0, 2.0]}
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import stat
import sys

import numpy as np

from .values import _NAME, parse_value, split_bindings
from ..errors import ValueInputError

CHUNK = 65_536           # rows per chunk: big enough that NumPy, not Python, sets the pace
MAX_AXIS = 10**9         # points per variable of a grid
MAX_GRID = 2**62         # points of a grid: beyond, NumPy cannot number them
FORMATS = ("csv", "jsonl", "npz")


class BadRow(ValueInputError):
    """A row that is not numbers, or not as many as the header names."""


class Chunk:
    """Rows of points: one float64 column per variable, and where each row came from."""

    __slots__ = ("columns", "_where", "count")

    def __init__(self, columns: dict, where):
        self.columns, self._where = columns, where
        self.count = len(next(iter(columns.values()))) if columns else 0

    def where(self, i: int) -> str:
        """Row i as a person finds it again: `line 7`, `row 7`, or its coordinates."""
        return self._where(i)


class Source:
    """An iterable of Chunks with the variables' names; `skipped` counts bad rows skipped
    (and `skipped_lines` says where the first few were); `done`/`total` measure progress
    (rows or bytes; total None when unknown)."""

    def __init__(self, names: list[str], chunks, total: int | None = None, label: str = "rows", size: int = CHUNK):
        self.names, self._chunks, self.total, self.label, self.size = names, chunks, total, label, size
        self.done = 0
        self.skipped = 0
        self.skipped_lines: list[int] = []

    def __iter__(self):
        return self._chunks(self)


# --- reading a file --------------------------------------------------------------------------

def open_points(path: str, fmt: str | None = None, size: int = CHUNK, skip_bad: bool = False) -> Source:
    """The points in FILE ('-' for standard input), in the format its name or its first bytes say."""
    source = "standard input" if path == "-" else path
    if fmt is not None and fmt not in FORMATS:
        raise ValueInputError(f"unknown points format {fmt!r}: choose {', '.join(FORMATS)}")
    stream = _binary(path)
    fmt = fmt or _format_of(path, stream)
    if fmt == "npz":
        return _npz(stream, source, size)
    # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark
    text = _Lines(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""), source)
    total = _size_of(stream)
    return (_jsonl if fmt == "jsonl" else _csv)(text, source, size, skip_bad, total)


def _binary(path: str):
    if path == "-":
        return sys.stdin.buffer
    try:
        if os.path.isdir(path):
            raise ValueInputError(f"{path} is a directory, not a file")
        return open(path, "rb")
    except ValueError:
        raise ValueInputError(f"cannot read {path!r}: not a usable file name") from None
    except OSError as exc:
        raise ValueInputError(f"cannot read {path}: {exc.strerror or exc}") from None


def _size_of(stream) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size or None
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


def _format_of(path: str, stream) -> str:
    suffix = os.path.splitext(path)[1].lower()
    by_name = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
               ".json": "jsonl", ".npz": "npz"}
    if suffix in by_name:
        return by_name[suffix]
    if suffix == ".npy":
        raise ValueInputError(f"{path} holds one array without names: --points reads .npz (one named array "
                              f"per variable), CSV or JSON Lines")
    if hasattr(stream, "peek"):  # a pipe: look without taking
        head = stream.peek(64)[:64]
    elif stream.seekable():
        start = stream.tell()
        head = stream.read(64)
        stream.seek(start)
    else:
        head = b""
    if head.startswith(b"PK"):
        return "npz"
    return "jsonl" if head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[") else "csv"


def _number(field: str) -> float:
    """A CSV field as a float, as np.loadtxt reads it: '1e3', 'nan', '-inf'; not '' or '1_0'."""
    field = field.strip().strip('"')
    if not field or "_" in field:
        raise ValueError
    return float(field)


class _Lines:
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


def _csv(text: _Lines, source: str, size: int, skip_bad: bool, total: int | None) -> Source:
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
    if comments and (header is None or _is_number(re.split(r"[,;\t ]", header.strip())[0])):
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
    names = _names([f.strip() for f in fields if delimiter or f.strip()], source, header_no)
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
            yield _text_chunk(names, data, lines, first)
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
            return _fields(stripped.split(), names, source, number)
        import csv

        return _fields(next(csv.reader([stripped], delimiter=delimiter)), names, source, number)

    yield from _line_rows(enumerate(lines, start=first), names, skip_bad, src, read)


def _line_rows(numbered, names: list[str], skip_bad: bool, src: Source, read):
    """Rows read a line at a time by read(text, line number) (None: no row on that line). A bad
    row raises once the rows before it are yielded, or, with skip_bad, is skipped and counted."""
    rows, at = [], []
    for number, text in numbered:
        try:
            row = read(text, number)
        except BadRow:
            if not skip_bad:
                if rows:
                    yield _line_chunk(names, rows, at)
                raise
            src.skipped += 1
            if len(src.skipped_lines) < 5:
                src.skipped_lines.append(number)
            continue
        if row is not None:
            rows.append(row)
            at.append(number)
    if rows:
        yield _line_chunk(names, rows, at)


def _line_chunk(names: list[str], rows: list, at: list[int]) -> Chunk:
    data = np.array(rows, dtype=np.float64).reshape(len(rows), len(names))
    return Chunk({n: data[:, j] for j, n in enumerate(names)}, lambda i: f"line {at[i]}")


def _fields(fields: list[str], names: list[str], source: str, line: int) -> list[float]:
    if len(fields) != len(names):
        raise BadRow(f"{source}, line {line}: {len(fields)} field{'s' if len(fields) != 1 else ''}, "
                     f"but the header names {len(names)} ({', '.join(names)})")
    out = []
    for j, (field, name) in enumerate(zip(fields, names), start=1):
        try:
            out.append(_number(field))
        except ValueError:
            shown = field.strip()
            raise BadRow(f"{source}, line {line}, column {j} ({name}): "
                         + (f"{shown!r} is not a number" if shown else "the field is empty")) from None
    return out


def _text_chunk(names, data, lines, first) -> Chunk:
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


def _names(fields: list[str], source: str, line: int) -> list[str]:
    from ..language.reading import canonical_name
    from .validate import not_a_constant

    seen: dict[str, int] = {}
    for j, name in enumerate(fields, start=1):
        if not name:
            why = ("a delimiter at the end of the line" if j == len(fields) and j > 1 else
                   "an unnamed first column, as pandas writes without index=False and R without row.names=FALSE"
                   if j == 1 else "an empty name")
            raise ValueInputError(f"{source}, line {line}, column {j}: the header has no name there ({why}); "
                                  f"a file of points starts with a row of variable names")
        if not _NAME.match(name):
            hint = " (the first row must name the variables)" if _is_number(name) else ""
            raise ValueInputError(f"{source}, line {line}, column {j}: {name!r} is not a variable name{hint}")
        name = canonical_name(name)  # θ is theta, as in expressions
        not_a_constant(name, f"a column in {source}")
        if name in seen:
            raise ValueInputError(f"{source}, line {line}: {name} names columns {seen[name]} and {j}")
        seen[name] = j
    return list(seen)


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _jsonl(text: _Lines, source: str, size: int, skip_bad: bool, total: int | None) -> Source:
    line_no, first, names, skipped = 0, None, None, []
    for line in text:
        line_no += 1
        if not line.strip():
            continue
        try:
            names = _names(list(_object(line, source, line_no)), source, line_no)
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
            yield from _line_rows(batch, names, skip_bad, src, read)
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


def _npz(stream, source: str, size: int) -> Source:
    import zipfile

    seekable = hasattr(stream, "seekable") and stream.seekable()
    data = stream.read() if stream is sys.stdin.buffer or not seekable else None  # a pipe: read it whole
    try:
        archive = np.load(io.BytesIO(data) if data is not None else stream, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueInputError(f"cannot read {source} as .npz: {exc}") from None
    if not hasattr(archive, "files"):
        raise ValueInputError(f"{source} holds one array, not an .npz of one named array per variable")
    names = _names(list(archive.files), source, 1) if archive.files else []
    if not names:
        raise ValueInputError(f"{source} holds no arrays: an .npz of points holds one named array per variable")
    columns = {}
    for n in names:
        try:
            arr = archive[n]
        except ValueError as exc:  # an object array, which would need unpickling: never
            raise ValueInputError(f"cannot read {n} in {source}: {exc}") from None
        if arr.dtype.kind not in "biuf":
            raise ValueInputError(f"{n} in {source} holds {arr.dtype} data, not numbers")
        if arr.ndim != 1:
            raise ValueInputError(f"{n} in {source} has shape {arr.shape}: an .npz of points holds one 1-D array "
                                  f"per variable, an element per point")
        columns[n] = arr.astype(np.float64)
    return _slices(columns, size, lambda start: (lambda i: f"row {start + i + 1}"), f"the arrays in {source}")


def _slices(columns: dict, size: int | None, where_from, what: str) -> Source:
    """Chunks of equally long 1-D arrays, one per variable (`what` names them for an error)."""
    names = list(columns)
    lengths = {n: len(a) for n, a in columns.items()}
    if len(set(lengths.values())) > 1:
        raise ValueInputError(f"{what} differ in length: " + ", ".join(f"{n} has {k}" for n, k in lengths.items()))
    count = next(iter(lengths.values()), 0)
    size = size or max(count, 1)

    def chunks(src: Source):
        if not count:  # no points: still one (empty) chunk, so a result has its columns
            yield Chunk({n: columns[n][:0] for n in names}, where_from(0))
        for start in range(0, count, size):
            stop = min(count, start + size)
            src.done = stop
            yield Chunk({n: columns[n][start:stop] for n in names}, where_from(start))

    return Source(names, chunks, count, "rows")


# --- arrays and grids ----------------------------------------------------------------------

def from_arrays(points, size: int | None = None) -> Source:
    """Points handed to the Python API: a mapping of name -> 1-D array (a dict, a pandas
    DataFrame, an np.load of an .npz), one element per point."""
    if not hasattr(points, "keys"):
        raise ValueInputError("points must map each variable's name to its values, one per point "
                              "(a dict of arrays, or a DataFrame)")
    keys = [str(k) for k in points.keys()]
    names = _names(keys, "points", 1)
    columns = {}
    for n, key in zip(names, keys):
        try:
            arr = np.asarray(points[key], dtype=np.float64)
        except (ValueError, TypeError):
            raise ValueInputError(f"the points of {n} must be numbers") from None
        if arr.ndim != 1:
            raise ValueInputError(f"the points of {n} have shape {arr.shape}: give one number per point")
        columns[n] = arr
    return _slices(columns, size, lambda start: (lambda i: f"index {start + i}"), "the points' columns")


def grid(specs) -> Source:
    """`x=A:B:N,y=C:D:M`: N points from A to B inclusive for x, M for y, and every pair;
    the first variable varies slowest. Rows are made a chunk at a time, never all at once."""
    axes: dict[str, np.ndarray] = {}
    for spec in [specs] if isinstance(specs, str) else specs:
        for name, text in split_bindings(spec):
            if name in axes:
                raise ValueInputError(f"--grid names {name} twice")
            axes[name] = _axis(name, text)
    if not axes:
        raise ValueInputError("--grid needs at least one NAME=A:B:N")
    names = list(axes)
    shape = tuple(len(a) for a in axes.values())
    count = 1
    for k in shape:
        count *= k
    if count > MAX_GRID:
        raise ValueInputError(f"--grid of {count:,} points: more than can be numbered; narrow it")

    def chunks(src: Source):
        for start in range(0, count, CHUNK):
            stop = min(count, start + CHUNK)
            index = np.unravel_index(np.arange(start, stop), shape)
            src.done = stop
            columns = {n: axes[n][i] for n, i in zip(names, index)}
            yield Chunk(columns, lambda i, columns=columns: ", ".join(f"{n}={columns[n][i]:.17g}" for n in names))

    return Source(names, chunks, count, "rows")


def _axis(name: str, text: str) -> np.ndarray:
    parts = text.split(":")
    if len(parts) != 3:
        raise ValueInputError(f"--grid {name}={text}: write {name}=A:B:N, N points from A to B inclusive")
    a, b = (_finite(parse_value(p, what=f"the grid's end for {name}"), name) for p in parts[:2])
    try:
        count = float(parts[2])  # 1e6 is a whole number too
        n = int(count) if count.is_integer() else 0
    except (ValueError, OverflowError):
        n = 0
    if n < 1:
        raise ValueInputError(f"--grid {name}={text}: N, the number of points, must be a whole number of at least 1")
    if n > MAX_AXIS:
        raise ValueInputError(f"--grid {name}={text}: at most {MAX_AXIS:,} points per variable")
    if not np.isfinite(b - a):
        raise ValueInputError(f"--grid {name}={text}: the span from A to B is beyond floating point")
    return np.linspace(a, b, n)


def _finite(value: np.ndarray, name: str) -> float:
    if value.ndim != 0 or not np.isfinite(value):
        raise ValueInputError(f"--grid {name}: the ends must be finite numbers")
    return float(value)

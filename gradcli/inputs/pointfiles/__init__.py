"""Many points, read in chunks: CSV with a header, JSON Lines, .npz, or a grid; one module
per format (csvfile.py, jsonlines.py, arrays.py, grids.py), and what the text formats share
(lines.py).

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
import os
import sys

from ...errors import ValueInputError
from .arrays import from_arrays, read_npz
from .chunks import CHUNK, FORMATS, BadRow, Chunk, Source
from .csvfile import read_csv
from .grids import grid
from .jsonlines import read_jsonl
from .lines import Lines

__all__ = ["CHUNK", "FORMATS", "BadRow", "Chunk", "Source", "open_points", "from_arrays", "grid"]


def open_points(path: str, fmt: str | None = None, size: int = CHUNK, skip_bad: bool = False) -> Source:
    """The points in FILE ('-' for standard input), in the format its name or its first bytes say."""
    source = "standard input" if path == "-" else path
    if fmt is not None and fmt not in FORMATS:
        raise ValueInputError(f"unknown points format {fmt!r}: choose {', '.join(FORMATS)}")
    stream = _binary(path)
    fmt = fmt or _format_of(path, stream)
    if fmt == "npz":
        return read_npz(stream, source, size)
    # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark
    text = Lines(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""), source)
    total = _size_of(stream)
    return (read_jsonl if fmt == "jsonl" else read_csv)(text, source, size, skip_bad, total)


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

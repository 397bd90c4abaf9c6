"""Points given as arrays: an .npz file (one named array per variable) or arrays from
Python, sliced into chunks."""

from __future__ import annotations

import io
import sys

import numpy as np

from ...errors import ValueInputError
from .chunks import Chunk, Source
from .lines import header_names


def read_npz(stream, source: str, size: int) -> Source:
    import zipfile

    seekable = hasattr(stream, "seekable") and stream.seekable()
    data = stream.read() if stream is sys.stdin.buffer or not seekable else None  # a pipe: read it whole
    try:
        archive = np.load(io.BytesIO(data) if data is not None else stream, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueInputError(f"cannot read {source} as .npz: {exc}") from None
    if not hasattr(archive, "files"):
        raise ValueInputError(f"{source} holds one array, not an .npz of one named array per variable")
    names = header_names(list(archive.files), source, 1) if archive.files else []
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


def from_arrays(points, size: int | None = None) -> Source:
    """Points handed to the Python API: a mapping of name -> 1-D array (a dict, a pandas
    DataFrame, an np.load of an .npz), one element per point."""
    if not hasattr(points, "keys"):
        raise ValueInputError("points must map each variable's name to its values, one per point "
                              "(a dict of arrays, or a DataFrame)")
    keys = [str(k) for k in points.keys()]
    names = header_names(keys, "points", 1)
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

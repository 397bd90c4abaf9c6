"""What every reader yields: Chunks of rows, from a Source that counts its progress and the bad
rows it skipped."""

from __future__ import annotations

from ...errors import ValueInputError

CHUNK = 65_536           # rows per chunk: big enough that NumPy, not Python, sets the pace


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

"""The base of gradcli's typed errors, and the engine's own; only the commands turn them into a
stderr line and an exit status.

>>> err = ShapeError("shapes (2,) and (3,) do not broadcast for '+'", source="x + y", pos=2)
>>> print(err.render())
shape error at column 3: shapes (2,) and (3,) do not broadcast for '+'
  x + y
    ^
>>> print(ShapeError("here", source="x+" * 5000, pos=5000).render().splitlines()[2].index("^"))
55
"""

from __future__ import annotations

import contextlib

WINDOW = 100   # characters of a long line shown around the caret


class GradcliError(Exception):
    """A problem with the user's input: expression, values, weights or files."""

    kind = "error"

    def __init__(self, message: str, *, source: str | None = None, pos: int | None = None,
                 hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.pos = pos
        self.hint = hint

    def with_source(self, source: str) -> "GradcliError":
        """Attach the expression text the position refers to (if not attached yet)."""
        if self.source is None:
            self.source = source
        return self

    @property
    def column(self) -> int | None:
        """1-based column of the problem within its line, when known."""
        if self.pos is None or self.source is None:
            return None
        return self.pos - (self.source.rfind("\n", 0, self.pos) + 1) + 1

    def render(self) -> str:
        """The message, and under the offending line of the expression a caret."""
        col = self.column
        head = f"{self.kind} at column {col}: {self.message}" if col else f"{self.kind}: {self.message}"
        if self.hint:
            head += f" ({self.hint})"
        if col is None:
            return head
        start = self.source.rfind("\n", 0, self.pos) + 1
        end = self.source.find("\n", self.pos)
        line = self.source[start:] if end < 0 else self.source[start:end]
        at = col - 1
        if len(line) > WINDOW:  # a 50,000-character line: the part around the caret, marked as cut
            left = max(0, min(at - WINDOW // 2, len(line) - WINDOW))
            right = left + WINDOW
            at += (3 if left else 0) - left
            line = ("..." if left else "") + line[left:right] + ("..." if right < len(line) else "")
        return f"{head}\n  {line}\n  {' ' * at}^"

    def __str__(self) -> str:
        return self.render()


@contextlib.contextmanager
def about(source: str):
    """Within: errors that point at a column of `source` carry it, for the caret line. The
    one place where the text a position refers to is attached."""
    try:
        yield
    except GradcliError as exc:
        raise exc.with_source(source)


class ShapeError(GradcliError):
    kind = "shape error"


class GradError(GradcliError, RuntimeError):
    """Autograd misuse, mirroring PyTorch's RuntimeErrors (backward of a non-scalar, ...)."""

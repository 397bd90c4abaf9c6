"""A progress bar for long runs: rich's, on stderr, only at a terminal."""

from __future__ import annotations


class Progress:
    """A rich progress bar on stderr, only at a terminal and only once a run takes a while.

    total None: a count with no end known (standard input)."""

    def __init__(self, total: int | None, enabled: bool, what: str = "minimising"):
        import time

        self.total, self.enabled, self.what, self.bar = total, enabled, what, None
        self.began, self.clock = time.monotonic(), time.monotonic

    def __call__(self, step) -> None:
        """One step of minimize."""
        self.update(step.step, f"value {step.value:.6g}")

    def update(self, completed: int, description: str | None = None) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if self.clock() - self.began < 0.5:
                return
            from rich.console import Console
            from rich.progress import Progress

            # rich would route our stdout through its console (the pty) meanwhile: output stays where it goes
            self.bar = Progress(console=Console(stderr=True), transient=True, redirect_stdout=False,
                                redirect_stderr=False)
            self.bar.start()
            self.task = self.bar.add_task(self.what, total=self.total)
        self.bar.update(self.task, completed=completed, description=description or self.what)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()

"""A progress bar for long runs: rich's, on stderr, only at a terminal."""

from __future__ import annotations


class Progress:
    """A rich progress bar on stderr, only at a terminal and only once a run takes a while."""

    def __init__(self, total: int, enabled: bool):
        import time

        self.total, self.enabled, self.bar, self.began, self.clock = total, enabled, None, time.monotonic(), time.monotonic

    def __call__(self, step) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if self.clock() - self.began < 0.5:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("minimising", total=self.total)
        self.bar.update(self.task, completed=step.step, description=f"value {step.value:.6g}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()

"""A one-line progress bar for work that takes more than a moment, on a terminal only."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class ProgressBar:
    def __init__(
        self, total: int, label: str, stream: TextIO | None = None, after_seconds: float = 1.0
    ) -> None:
        self.total = max(1, total)
        self.label = label
        self.stream = stream or sys.stderr
        self.after_seconds = after_seconds
        self._started = time.monotonic()
        self._shown = -1
        self._enabled = self.stream.isatty()

    def update(self, done: int) -> None:
        if not self._enabled or time.monotonic() - self._started < self.after_seconds:
            return
        percent = min(100, done * 100 // self.total)
        if percent == self._shown:
            return
        self._shown = percent
        filled = WIDTH * percent // 100
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {percent:3d}% ({done}/{self.total})")
        self.stream.flush()

    def close(self) -> None:
        if self._shown >= 0:
            self.update(self.total)
            self.stream.write("\n")
            self.stream.flush()

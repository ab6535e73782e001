"""A progress line on standard error for long headless work, only when a person is watching.

When stderr is a terminal the line is redrawn in place (carriage return) at most a few times a
second; when it is a file or a pipe (CI, cron, a script) nothing is written at all, so logs and
captured output stay clean.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """`what: 42% (detail)`, redrawn as work advances; finish() clears it."""

    def __init__(
        self,
        what: str,
        stream: TextIO | None = None,
        *,
        interval_s: float = 0.25,
        ticks: Callable[[], float] = time.monotonic,  # a steady clock, for pacing only
    ) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream)
        self._interval = interval_s
        self._ticks = ticks
        self._last = -float("inf")
        self._width = 0

    def update(self, fraction: float, detail: str = "") -> None:
        if not self.enabled:
            return
        now = self._ticks()
        if now - self._last < self._interval and fraction < 1:
            return
        self._last = now
        percent = max(0, min(100, int(fraction * 100)))
        line = f"{self.what}: {percent}%" + (f" ({detail})" if detail else "")
        self._draw(line)

    def note(self, detail: str) -> None:
        """`what: detail`, for work whose end is not known in advance (rows written so far)."""
        if not self.enabled:
            return
        now = self._ticks()
        if now - self._last < self._interval:
            return
        self._last = now
        self._draw(f"{self.what}: {detail}")

    def finish(self) -> None:
        """Clear the line, so what is printed next starts at the left margin."""
        if self.enabled and self._width:
            self._draw("")
            self.stream.write("\r")
            self.stream.flush()
            self._width = 0

    def _draw(self, line: str) -> None:
        padding = " " * max(0, self._width - len(line))
        self.stream.write("\r" + line + padding)
        self.stream.flush()
        self._width = len(line)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or file-less stream
        return False

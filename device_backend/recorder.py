"""Writes domain events into the store in batches: one transaction per burst, not per event.

Live, a meter reports every 10 s and each flush holds a handful of events; at simulation
speed thousands arrive per second and batching keeps the store from fsyncing each one.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from device_backend import model

LOGGER = logging.getLogger(__name__)


class StoreRecorder:
    def __init__(self, store: Any, *, batch: int = 1000, max_delay_s: float = 1.0) -> None:
        self.store = store
        self.batch = batch
        self.max_delay_s = max_delay_s
        self._pending: list[model.Event] = []
        self._timer: asyncio.TimerHandle | None = None
        self.failures = 0
        self.last_error = ""

    def __call__(self, event: model.Event) -> None:
        self._pending.append(event)
        if len(self._pending) >= self.batch:
            self.flush()
        elif self._timer is None:
            try:
                self._timer = asyncio.get_running_loop().call_later(self.max_delay_s, self.flush)
            except RuntimeError:  # no loop (a synchronous caller): write at once
                self.flush()

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        try:
            self.store.add_many(pending)
        except Exception as exc:  # noqa: BLE001 - a full disk must not stop the display
            self.failures += 1
            self.last_error = str(exc)
            LOGGER.error("Could not store %d events: %s", len(pending), exc)
            # Keep them for the next attempt (e.g. after retention frees space), bounded.
            self._pending = (pending + self._pending)[-100_000:]

"""The live-home factory: the display on a real simulated home, every figure through ZCL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from device_backend.facade import Backend
from device_backend.store import Store
from ihd_app.screenshot import advance
from ihd_app.totals import StoreTotals
from tests.support.display import Display


class LiveHome:
    """Displays on real simulated homes (facade, zigpy, ZCL), each with its history store."""

    def __init__(self, qtbot: Any, loop: asyncio.AbstractEventLoop, folder: Path) -> None:
        self.qtbot, self.loop, self.folder = qtbot, loop, folder
        self.opened: list[tuple[Display, Store]] = []

    def open(self, scenario: str, *, after: timedelta, skip: timedelta = timedelta(0)) -> Display:
        """Start `scenario` (its clock moved on by `skip`), then let `after` of it pass."""
        probe = Backend(f"sim:{scenario}", speed=None, seed=7)
        start = probe.clock.now() + skip
        backend = Backend(f"sim:{scenario}", speed=None, seed=7, start=start)
        store = Store.open(
            self.folder / f"{scenario}.db", clock=backend.clock, synchronous="NORMAL"
        )
        backend.attach_store(store, batch=1)  # as the display attaches it
        shown = Display(self.qtbot, self.loop, self.folder / "display.json", backend)
        self.opened.append((shown, store))
        shown.state.set_source(StoreTotals(store))
        shown.run(advance(backend, after))
        shown.settle()
        return shown

    def close(self) -> None:
        for shown, store in self.opened:
            shown.close()
            store.close()


@pytest.fixture
def live_home(qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[LiveHome]:
    homes = LiveHome(qtbot, loop, tmp_path)
    yield homes
    homes.close()

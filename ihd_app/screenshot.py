"""The --screenshot option: run a simulated home forward, then save one screen as a PNG."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

ONLINE_TIMEOUT_S = 60.0  # wall seconds for the (simulated) radio to come up
POLL_S = 0.02
ADOPT_TIMEOUT_S = 10.0


async def advance(backend: Any, duration: timedelta) -> None:
    """Let `duration` of the back end's clock pass: a fast simulated clock passes it quickly."""
    await backend.wait_online(timeout=ONLINE_TIMEOUT_S)
    await _meters_adopted(backend)
    clock = backend.clock
    end = clock.now() + duration
    if getattr(clock, "discrete", False) and hasattr(clock, "run_until"):
        await clock.run_until(end)
    else:
        while clock.now() < end:  # noqa: ASYNC110 - a wall clock has no event to await
            await asyncio.sleep(POLL_S)


async def _meters_adopted(backend: Any) -> None:
    """Give the back end (wall) time to interview the simulated meters before the clock races.

    A clock running as fast as the CPU allows would otherwise pass the first price and
    prepayment reports before anyone listens to them.
    """
    try:
        await backend.wait_for_meters(timeout=ADOPT_TIMEOUT_S)
    except TimeoutError:
        pass  # carry on: the screenshot will show what did arrive


async def save_screen(state: Any, window: Any, screen: str, path: Path) -> bool:
    """Bring the display up to date, show `screen`, paint it and write it out."""
    state.usage.refresh()
    state.history.refresh()
    state.tick()
    window.show_page(screen)
    for _ in range(3):
        # Posted events only (layout, deferred updates): a full processEvents here would run
        # qasync's timers inside this task and wake other tasks re-entrantly.
        QApplication.sendPostedEvents()
        await asyncio.sleep(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    return bool(window.grab().save(str(path), "PNG"))

"""The leak check itself: each kind of leftover it looks for is found, and a tidy test passes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QLabel

from tests.support import leaks, loops


def test_a_task_left_running_by_run_is_named() -> None:
    async def forever() -> None:
        await asyncio.Event().wait()

    async def body() -> int:
        asyncio.get_running_loop().create_task(forever(), name="left behind")
        return 7

    assert loops.run(body()) == 7
    found = list(loops.STRAY_TASKS)
    del loops.STRAY_TASKS[:]  # reported here, so the autouse check has nothing left to report
    assert len(found) == 1
    assert found[0].startswith("left behind: 'test_a_task_left_running_by_run_is_named.")


def test_a_task_left_on_the_gui_loop_fails_its_teardown(qapp: Any) -> None:
    event_loop = loops.QtTestLoop(qapp)

    async def forever() -> None:
        await asyncio.Event().wait()

    async def body() -> None:
        asyncio.get_running_loop().create_task(forever(), name="still waiting")

    event_loop.run_until_complete(body())
    left = loops.cancel_leftovers(event_loop)
    event_loop.close()
    assert [name.split(":")[0] for name in left] == ["still waiting"]


def test_a_timer_and_a_thread_still_running_are_found(qapp: Any) -> None:
    with pytest.MonkeyPatch.context() as patch:
        started = leaks._Started(patch)
        timer = QTimer()
        timer.setObjectName("tick")
        timer.start(60_000)
        thread = QThread()
        thread.setObjectName("worker")
        thread.start()  # runs its own event loop until told to quit
        assert started.still_running() == ["QTimer 'tick'", "QThread 'worker'"]
        timer.stop()
        thread.quit()
        assert thread.wait(5000)
        assert started.still_running() == []


def test_a_window_nobody_closed_is_found(qapp: Any) -> None:
    before = leaks._top_level_widgets()
    label = QLabel("left open")
    label.setObjectName("stray")
    label.show()
    assert [w.objectName() for w in leaks._new_windows(before)] == ["stray"]
    label.close()
    label.deleteLater()
    del label
    assert leaks._new_windows(before) == []

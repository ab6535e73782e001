"""The autouse leak check: a test fails if it leaves a task, a timer, a thread or a window behind.

The same idea as napari's suite (it tracks every QTimer and QThread a test starts and fails the
test if one is still going at the end, and fails on top-level widgets left over) and zha's and
Home Assistant's `verify_cleanup` (tasks and threads still alive after the test). Whatever the
owner of a timer, thread or task is, the test's teardown must have stopped it: a display that
leaves its one-second tick running, or a back end whose stop() forgets a task, would do the same
to a program that opens and closes them, and the next test would run alongside it.

Asyncio tasks are checked where the loop is closed (tests/support/loops.py); tasks `run` found
pending are reported here. Nothing is exempt; an exemption needs a written reason beside it.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication

from tests.support import loops


def _alive(qobject: Any, still: str) -> bool:
    """Whether a Qt object is still `still` ("isActive", "isRunning"); a deleted one is not."""
    try:
        return bool(getattr(qobject, still)())
    except RuntimeError:  # "Internal C++ object already deleted": its owner took it down
        return False


class _Started:
    """Every QTimer and QThread started during one test (napari's way: wrap start())."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.timers: list[tuple[QTimer, str]] = []
        self.threads: list[tuple[QThread, str]] = []
        timer_start, thread_start = QTimer.start, QThread.start

        def start_timer(timer: QTimer, *args: Any) -> None:
            self.timers.append((timer, _made_by(timer)))
            timer_start(timer, *args)

        def start_thread(thread: QThread, *args: Any) -> None:
            self.threads.append((thread, _made_by(thread)))
            thread_start(thread, *args)

        monkeypatch.setattr(QTimer, "start", start_timer)
        monkeypatch.setattr(QThread, "start", start_thread)

    def still_running(self) -> list[str]:
        found = [f"QTimer {why}" for timer, why in self.timers if _alive(timer, "isActive")]
        found += [f"QThread {why}" for thread, why in self.threads if _alive(thread, "isRunning")]
        return found


def _made_by(qobject: Any) -> str:
    parent = qobject.parent()
    owner = f" owned by {type(parent).__name__} {parent.objectName()!r}" if parent else ""
    return f"{qobject.objectName()!r}{owner}"


def _new_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """Python threads started during the test and still alive.

    Exempt: threading's dummy entries (threading._DummyThread), as in zha's and Home Assistant's
    check. threading makes one when a thread it did not start (a QThread: qasync's executor
    workers) first logs, and it never reports it dead; the QThread itself is checked above.
    """
    return [
        t
        for t in set(threading.enumerate()) - before
        if t.is_alive() and not isinstance(t, threading._DummyThread)
    ]


def _top_level_widgets() -> set[Any]:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return set()
    # Closed widgets that were handed to deleteLater() are gone once their deletion runs; run
    # it here, as the next turn of an event loop would, so only widgets nobody closed remain.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return set(app.topLevelWidgets())


def _new_windows(before: set[Any]) -> list[Any]:
    left = [w for w in _top_level_widgets() - before if not _unopened_popup(w)]
    if left:
        # Python owns some windows through reference cycles; they are garbage, not leaks, once
        # collected.
        gc.collect()
        left = [w for w in _top_level_widgets() - before if not _unopened_popup(w)]
    return sorted(left, key=lambda w: type(w).__name__)


def _unopened_popup(widget: Any) -> bool:
    """A hidden popup menu: exempt, because pyqtgraph builds each plot's context menu (and its
    submenus) as a parentless QMenu owned by the plot's Python object, which the test's own
    arguments keep alive until pytest drops them after teardown. A menu nobody opened is not a
    window a person sees; a leaked window, or any popup left open, still fails the test."""
    return widget.windowType() == Qt.WindowType.Popup and not widget.isVisible()


@pytest.fixture(autouse=True)
def no_leftovers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if, after its teardown, anything it started is still going."""
    windows_before = _top_level_widgets()
    threads_before = set(threading.enumerate())
    del loops.STRAY_TASKS[:]
    started = _Started(monkeypatch)
    yield
    problems = [f"asyncio task {t}" for t in loops.STRAY_TASKS]
    del loops.STRAY_TASKS[:]
    problems += started.still_running()
    problems += [f"thread {t.name!r}" for t in _new_threads(threads_before)]
    problems += [
        f"top-level widget {type(w).__name__} {w.objectName()!r}"
        for w in _new_windows(windows_before)
    ]
    assert not problems, "left behind by the test: " + "; ".join(problems)


@pytest.fixture(autouse=True)
def logging_as_found() -> Iterator[None]:
    """The root logger as the test found it: a program run in-process (`ihd-cli`, `ihd`) sets up
    its console handler on the sys.stderr of that moment, pytest's capture of that test, which
    is closed afterwards; left on the root logger, it turns a later test's warning into a
    "--- Logging error ---" traceback on that test's stderr."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)

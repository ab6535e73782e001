"""The two event loops tests run on: qasync's for anything with widgets, plain asyncio's for the rest.

Both end the same way: a task still pending when its owner has been torn down is a leak, so it is
cancelled (the next test must not inherit it) and the test fails, naming it. Nothing is exempt.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Iterator
from typing import Any, TypeVar

import pytest
import qasync

from ihd_app.gui_thread_gc import collect_on_gui_thread

T = TypeVar("T")

# Tasks found still pending by `run` (which has no fixture to fail from); the autouse leak
# check in tests/support/leaks.py reports them at the end of the test that left them.
STRAY_TASKS: list[str] = []


def describe(task: asyncio.Task[Any]) -> str:
    """A task as a person can find it in the code: its coroutine's name and where it waits."""
    coro = task.get_coro()
    code = getattr(coro, "cr_code", None)
    where = f" ({code.co_filename}:{code.co_firstlineno})" if code is not None else ""
    return f"{task.get_name()}: {getattr(coro, '__qualname__', coro)!r}{where}"


def cancel_leftovers(loop: asyncio.AbstractEventLoop) -> list[str]:
    """Cancel and await whatever is still pending on a stopped loop; say what it was."""
    leftovers = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in leftovers:
        task.cancel()
    if leftovers:
        loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
    return [describe(t) for t in leftovers]


def run(awaitable: Awaitable[T]) -> T:
    """asyncio.run for back-end tests, except that a task left running is a leak, not tidied away.

    asyncio.run cancels what is left on its loop without a word; this notes it for the test's
    leak check first.
    """
    with asyncio.Runner() as runner:
        result = runner.run(awaitable)  # type: ignore[arg-type]
        STRAY_TASKS.extend(cancel_leftovers(runner.get_loop()))
    return result


class QtTestLoop(qasync.QEventLoop):  # type: ignore[misc]
    """A qasync loop for tests, which run it many times rather than once for a program's life.

    qasync's run_until_complete handles Qt events once more after the loop has stopped; an
    asyncio callback run in that pass (a simulated frame landing, a task stepping) finds no
    running loop. A program runs its loop once and never meets this; a test drives the loop a
    step at a time and would. This loop ends run_until_complete when the future is done and
    leaves Qt's queue to the next run, so asyncio callbacks only ever run inside a running loop.
    """

    def run_until_complete(self, future: Any) -> Any:
        if self.is_running():
            raise RuntimeError("Event loop already running")
        future = asyncio.ensure_future(future, loop=self)

        def stop(_: Any) -> None:
            self.stop()

        future.add_done_callback(stop)
        try:
            self.run_forever()
        finally:
            future.remove_done_callback(stop)
        if not future.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return future.result()


@pytest.fixture
def loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """The one loop for GUI tests: qasync on pytest-qt's application, current for the test.

    Tests drive coroutines with loop.run_until_complete(...), and do anything that makes the
    widgets start a command (a click, a key) inside such a run, as the programs do.
    """
    # Garbage collected on this thread only, as the programs do (ihd_app/gui_thread_gc.py):
    # the previous test's now, then by a timer while Qt runs, never by a virtual dongle's or
    # zigpy's database thread (a Qt timer freed there later crashes the process).
    gc.collect()
    event_loop = QtTestLoop(qapp)
    asyncio.set_event_loop(event_loop)
    with collect_on_gui_thread():
        yield event_loop
        leftovers = cancel_leftovers(event_loop)
        event_loop.close()
        asyncio.set_event_loop(None)
    assert not leftovers, f"the test left asyncio tasks running: {leftovers}"


@pytest.fixture
def backend_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """The one loop for back-end tests that keep a loop across steps (plain asyncio, no Qt)."""
    event_loop = asyncio.new_event_loop()
    asyncio.set_event_loop(event_loop)
    yield event_loop
    leftovers = cancel_leftovers(event_loop)
    event_loop.run_until_complete(event_loop.shutdown_default_executor())
    event_loop.close()
    asyncio.set_event_loop(None)
    assert not leftovers, f"the test left asyncio tasks running: {leftovers}"

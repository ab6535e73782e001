"""The display's hold on the back end: start it inside the running loop, run commands, stop."""

# Commands run as tasks on the one qasync loop; each is tracked so closing the window cancels
# what is still in flight and leaves nothing behind.

from __future__ import annotations

import asyncio
import linecache
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from device_backend.api import model
from ihd_app.bridge import EventBridge

LOGGER = logging.getLogger(__name__)
T = TypeVar("T")


class BackendLike(Protocol):
    """What the display uses of device_backend.facade.Backend (a fake can stand in for tests)."""

    connection: model.Connection
    store: Any

    def on_event(self, callback: Callable[[model.Event], None]) -> Callable[[], None]: ...
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def top_up(
        self, utrn: str, fuel: model.Fuel = model.Fuel.ELECTRICITY
    ) -> model.TopUpResult: ...
    async def select_emergency_credit(self) -> bool: ...
    async def confirm_message(self, message_id: int) -> None: ...
    async def request_supply_enable(self) -> model.SupplyState | None: ...
    def devices(self) -> list[model.DeviceInfo]: ...


class Session(QObject):
    backend_attached = Signal()

    def __init__(self, bridge: EventBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.backend: BackendLike | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._started = False

    # -- time ------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The back end's clock (simulated homes run fast), or the wall clock before it starts."""
        clock = getattr(self.backend, "clock", None)
        if clock is not None:
            moment: datetime = clock.now()
            return moment
        return datetime.now(UTC)

    # -- lifecycle -------------------------------------------------------------------------

    def attach(self, backend: BackendLike) -> None:
        """Listen before starting, so not one event is missed."""
        self.backend = backend
        self.bridge.attach(backend)
        self.bridge.publish(backend.connection)
        self.backend_attached.emit()

    async def start(self) -> None:
        if self.backend is None:
            raise RuntimeError("attach a back end before starting it")
        await self.backend.start()
        self._started = True
        forget_source_lines()

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        self.bridge.detach()
        if self.backend is not None and self._started:
            self._started = False
            await self.backend.stop()

    # -- commands --------------------------------------------------------------------------

    def submit(
        self,
        command: Callable[[BackendLike], Coroutine[Any, Any, T]],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None],
    ) -> bool:
        """Run one back-end command; False (and nothing sent) when there is no back end yet."""
        if self.backend is None or not self._started:
            return False
        task = asyncio.get_running_loop().create_task(command(self.backend))
        self._tasks.add(task)

        def finished(task: asyncio.Task[T]) -> None:
            self._tasks.discard(task)
            if task.cancelled():
                return
            error = task.exception()
            if error is not None:
                LOGGER.warning("A command failed: %s", error)
                failed(error)
            else:
                done(task.result())

        task.add_done_callback(finished)
        return True

    async def settle(self) -> None:
        """Wait for every command in flight (tests, and an orderly close)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


def forget_source_lines() -> None:
    """Drop the source lines PySide6 read while the program loaded.

    Once PySide6 is imported, its import hook (shiboken's check for `from __feature__ import`)
    reads the source of every module imported after it with inspect.getsource, which keeps
    every line in linecache: about 26 MB of strings for the ~700 files of the radio stack, the
    back end and the screens, held for the life of the display (a bare window with the same
    packages imported before PySide6 holds almost none). Nothing reads them again but a
    traceback, which reloads the few it needs. Freed, that memory is reused by what the
    display allocates as it runs instead of the process growing.
    """
    linecache.clearcache()

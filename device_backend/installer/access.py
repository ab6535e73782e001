"""The installer's way in to the radio: the live zigpy application, guarded against a lost dongle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import zigpy.exceptions
import zigpy.types as t

from device_backend import model
from device_backend.installer.types import DongleLost, InstallerError

LOGGER = logging.getLogger(__name__)
T = TypeVar("T")


class RadioAccess:
    """Shared by every installer tool: finds devices and turns radio failures into words."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._lost = asyncio.Event()
        self._listeners: list[Any] = []
        self._listening_app: Any = None
        self._app_watchers: list[Callable[[Any], None]] = []
        self._unsubscribe = backend.on_event(self._on_event)

    @property
    def clock(self) -> Any:
        return self.backend.clock

    def close(self) -> None:
        self._unsubscribe()

    def _on_event(self, event: model.Event) -> None:
        if isinstance(event, model.Connection):
            if event.state is model.ConnectionState.OFFLINE:
                self._lost.set()
            elif event.state is model.ConnectionState.ONLINE:
                self._lost.clear()
                self.watch_app()

    def add_app_listener(self, listener: Any) -> None:
        """A zigpy application listener kept on whichever radio object is current."""
        self._listeners.append(listener)
        self.watch_app()

    def on_new_app(self, callback: Callable[[Any], None]) -> None:
        self._app_watchers.append(callback)
        self.watch_app()

    def watch_app(self) -> None:
        app = self.backend.app
        if app is None or app is self._listening_app:
            return
        self._listening_app = app
        for listener in self._listeners:
            app.add_listener(listener)
        for watcher in self._app_watchers:
            watcher(app)

    def offline_reason(self) -> str:
        connection = self.backend.connection
        reason = connection.reason or "the dongle is not connected"
        return (
            f"The ZigBee dongle is not available ({reason.rstrip('.')}). Plug it back in: the "
            "toolkit reconnects by itself; wait for 'online' and try again."
        )

    def app(self) -> Any:
        app = self.backend.app
        if app is None or self.backend.connection.state is model.ConnectionState.OFFLINE:
            raise DongleLost(self.offline_reason(), self.offline_reason())
        self.watch_app()
        return app

    def still_connected(self, what: str) -> None:
        """For polling loops: stop with words if the dongle went away part-way through `what`."""
        try:
            self.app()
        except DongleLost:
            raise DongleLost(
                f"The dongle was disconnected during {what}. " + self.offline_reason(),
                self.offline_reason(),
            ) from None

    def device(self, ieee: str) -> Any:
        app = self.app()
        try:
            return app.get_device(ieee=t.EUI64.convert(ieee))
        except (KeyError, ValueError):
            raise InstallerError(
                f"{ieee} is not on this network: pair it first, or check the EUI-64."
            ) from None

    async def guarded(self, what: str, work: Awaitable[T]) -> T:
        """Run `work`; if the dongle goes away first, stop it and say so in words."""
        self.app()
        task = asyncio.ensure_future(work)
        lost = asyncio.ensure_future(self._lost.wait())
        try:
            done, _ = await asyncio.wait({task, lost}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            raise
        finally:
            lost.cancel()
        if task not in done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            raise DongleLost(
                f"The dongle was disconnected during {what}. " + self.offline_reason(),
                self.offline_reason(),
            )
        try:
            return task.result()
        except InstallerError:
            raise
        except TimeoutError:
            if self._lost.is_set():
                raise DongleLost(
                    f"The dongle was disconnected during {what}. " + self.offline_reason(),
                    self.offline_reason(),
                ) from None
            raise InstallerError(
                f"{what.capitalize()} timed out: the device did not answer. Check it "
                "is powered and within range (see its link quality), then try again."
            ) from None
        except zigpy.exceptions.DeliveryError as exc:
            if self._lost.is_set() or self.backend.app is None:
                raise DongleLost(
                    f"The dongle was disconnected during {what}. " + self.offline_reason(),
                    self.offline_reason(),
                ) from None
            raise InstallerError(
                f"{what.capitalize()} failed: the frame was not delivered ({exc}). "
                "The device may be off or out of range."
            ) from None
        except zigpy.exceptions.ZigbeeException as exc:
            raise InstallerError(f"{what.capitalize()} failed: {exc}.") from None

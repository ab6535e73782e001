"""Helpers for tests that run the real bellows stack against the virtual EZSP dongle."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from device_backend.facade import Backend
from device_backend.virtual_ncp.dongle import VirtualDongle
from tests.support.sim import Recorder

# Only so that a broken stack fails the test instead of hanging it.
WAIT_LIMIT_S = 60.0
# The virtual home runs 30 times faster than real time: a 10 s report every third of a second.
SPEED = 30.0


async def until(condition: Callable[[], bool], what: str, limit_s: float = WAIT_LIMIT_S) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + limit_s
    while not condition():
        assert loop.time() < give_up, f"never {what}"
        await asyncio.sleep(0.02)


async def all_meters_ready(backend: Backend, dongle: VirtualDongle) -> None:
    wanted = len(dongle.home.meters)
    await until(lambda: len(backend._ready) >= wanted, f"saw all {wanted} meters adopted")


@contextlib.asynccontextmanager
async def dongle_and_backend(
    tmp_path: Path,
    scenario: str = "prepay-low-credit",
    *,
    version: int = 13,
    port: str | None = None,
    speed: float = SPEED,
    **backend_kwargs: Any,
) -> AsyncIterator[tuple[VirtualDongle, Backend, Recorder]]:
    dongle = VirtualDongle(
        scenario, port=port or str(tmp_path / "ttyNCP0"), ezsp_version=version, speed=speed
    )
    await dongle.start()
    backend = Backend(
        f"ezsp:{dongle.path}", zigpy_database=str(tmp_path / "zigpy.db"), **backend_kwargs
    )
    recorder = Recorder(backend)
    await backend.start()
    try:
        await backend.wait_online(timeout=WAIT_LIMIT_S)
        await all_meters_ready(backend, dongle)
        yield dongle, backend, recorder
    finally:
        await backend.stop()
        await dongle.stop()


class DongleThread:
    """The virtual dongle on its own event loop in a thread, as if in another process.

    The display's tests run a qasync loop that Qt also drives between `run_until_complete`
    calls; the dongle must not share it (its timers would fire with no running loop), just as
    `ihd-cli virtual-dongle` never shares the display's process.
    """

    def __init__(self, scenario: str, port: str, **kwargs: Any) -> None:
        import threading

        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self.dongle = VirtualDongle(scenario, port=port, **kwargs)
        self._thread = threading.Thread(target=self._run, name="virtual dongle", daemon=True)
        self._thread.start()
        if not self._ready.wait(WAIT_LIMIT_S):
            raise TimeoutError("the virtual dongle did not start")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self.dongle.start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self.dongle.stop())
        self._loop.close()

    @property
    def path(self) -> str:
        return self.dongle.path

    def call(self, function: Callable[[], Any]) -> Any:
        """Run `function` on the dongle's loop and return what it returned."""
        import concurrent.futures

        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(function())
            except Exception as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return future.result(WAIT_LIMIT_S)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(WAIT_LIMIT_S)

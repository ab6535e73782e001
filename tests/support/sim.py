"""Helpers for tests that run a simulated home through the full zigpy stack."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from device_backend import model
from device_backend.facade import Backend
from tests.support.loops import run

__all__ = ["Recorder", "advance", "run", "started", "with_backend"]

T = TypeVar("T")


class Recorder:
    """Every domain event a backend emits, with helpers to pick them out."""

    def __init__(self, backend: Backend) -> None:
        self.events: list[model.Event] = []
        backend.on_event(self.events.append)

    def of(self, kind: type[Any], fuel: model.Fuel | None = None) -> list[Any]:
        return [
            e
            for e in self.events
            if isinstance(e, kind) and (fuel is None or getattr(e, "fuel", None) == fuel)
        ]

    def last(self, kind: type[Any], fuel: model.Fuel | None = None) -> Any:
        found = self.of(kind, fuel)
        assert found, f"no {kind.__name__} event"
        return found[-1]


async def started(scenario: str | Path, **kwargs: Any) -> tuple[Backend, Recorder]:
    """A backend on the simulated home at speed max, online, with every meter interviewed."""
    backend = Backend(f"sim:{scenario}", speed=None, **kwargs)
    recorder = Recorder(backend)
    await backend.start()
    await backend.wait_online(timeout=20)
    await backend.wait_for_meters(timeout=20)
    return backend, recorder


async def advance(backend: Backend, delta: timedelta) -> datetime:
    end = backend.clock.now() + delta
    await backend.run_until(end)
    return end


async def with_backend(
    scenario: str | Path, body: Callable[[Backend, Recorder], Awaitable[T]], **kwargs: Any
) -> T:
    backend, recorder = await started(scenario, **kwargs)
    try:
        return await body(backend, recorder)
    finally:
        await backend.stop()

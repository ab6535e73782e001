"""The one clock: all time in the back end comes from here, real or accelerated.

A simulated clock runs `speed` times faster than the wall (speed=None: as fast as the CPU
allows, jumping straight to the next scheduled moment). Times are aware UTC datetimes.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time as _time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
ZIGBEE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class Clock:
    """Wall-clock time (x1)."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def call_later(self, seconds: float, callback: Callable[[], None]) -> asyncio.TimerHandle:
        return asyncio.get_running_loop().call_later(seconds, callback)


class HanClock(Clock):
    """Wall-clock time corrected to the HAN's Time cluster (the comms hub keeps GB time): a
    display shows and stamps what the meters agree on, not a host clock that has drifted."""

    def __init__(self) -> None:
        self.offset = timedelta(0)  # HAN time minus host time, from the last Time read

    def host_now(self) -> datetime:
        return super().now()

    def now(self) -> datetime:
        return super().now() + self.offset


class SimulatedClock(Clock):
    """A clock the simulator drives: scaled wall time, or discrete jumps at speed=None.

    In discrete mode `sleep` parks the caller on a heap; `advance_to` / `run_until` wake them
    in time order, so a simulated day costs only the work done, not the time waited.
    """

    def __init__(self, start: datetime, speed: float | None = 1.0) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs an aware (UTC) start time")
        self._sim_start = start.astimezone(UTC)
        self.speed = speed
        self._wall_start = _time.monotonic()
        self._now = self._sim_start
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    @property
    def discrete(self) -> bool:
        return self.speed is None

    def now(self) -> datetime:
        if self.discrete:
            return self._now
        elapsed = (_time.monotonic() - self._wall_start) * float(self.speed or 1.0)
        return self._sim_start + timedelta(seconds=elapsed)

    async def sleep(self, seconds: float) -> None:
        if not self.discrete:
            await asyncio.sleep(max(0.0, seconds) / float(self.speed or 1.0))
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(
            self._sleepers, (self._now + timedelta(seconds=max(0.0, seconds)), next(self._seq), fut)
        )
        await fut

    def next_wake(self) -> datetime | None:
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)
        return self._sleepers[0][0] if self._sleepers else None

    def wake_next(self) -> bool:
        """Move time to the earliest sleeper and wake everyone due then. False if none."""
        when = self.next_wake()
        if when is None:
            return False
        self._now = max(self._now, when)
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, fut = heapq.heappop(self._sleepers)
            if not fut.done():
                fut.set_result(None)
        return True

    def jump_to(self, moment: datetime) -> None:
        """Discrete mode, before anything sleeps on this clock: start it later (a simulated home
        that ran on its own, with no radio, before a display first looked at it)."""
        if not self.discrete or self.next_wake() is not None:
            raise RuntimeError("only an idle discrete clock can jump")
        self._now = max(self._now, moment.astimezone(UTC))

    async def run_until(self, end: datetime) -> None:
        """Discrete mode: advance time to `end`, letting every woken task run to its next sleep."""
        while True:
            await _settle()
            when = self.next_wake()
            if when is None or when > end:
                break
            self.wake_next()
        self._now = max(self._now, end)
        await _settle()


async def _settle(max_rounds: int = 64) -> None:
    """Let ready callbacks and the tasks they wake run (replies travel via call_soon).

    Stops as soon as the loop has nothing ready: every idle round costs a trip through the
    selector, and a simulated day has tens of thousands of wake-ups.
    """
    loop = asyncio.get_running_loop()
    ready = getattr(loop, "_ready", None)  # asyncio's own loops expose their ready queue
    if ready is None:  # another loop (qasync): a fixed number of rounds is enough in practice
        for _ in range(8):
            await asyncio.sleep(0)
        return
    await asyncio.sleep(0)
    for _ in range(max_rounds):
        if not ready:
            return
        await asyncio.sleep(0)


def to_zigbee_time(moment: datetime) -> int:
    """Seconds since 2000-01-01 00:00:00 UTC, as ZCL UTCTime carries it."""
    return int((moment.astimezone(UTC) - ZIGBEE_EPOCH).total_seconds())


def from_zigbee_time(seconds: int) -> datetime:
    return ZIGBEE_EPOCH + timedelta(seconds=int(seconds))


def local_day_start(moment: datetime) -> datetime:
    """Local (Europe/London) midnight of the day containing `moment`, as an aware UTC time."""
    local = moment.astimezone(LONDON)
    midnight = datetime(local.year, local.month, local.day, tzinfo=LONDON)
    return midnight.astimezone(UTC)

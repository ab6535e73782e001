"""The HAN walk test: probe named positions and record LQI/RSSI, from the simulator or a live HAN."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from device_backend.clock import Clock, SimulatedClock
from device_backend.survey.model import Sample, Survey
from device_backend.survey.rules import RuleSet, WalkTestSettings
from device_backend.zcl.ids import BASIC as BASIC_CLUSTER

ZCL_VERSION = 0x0000


class WalkTestError(RuntimeError):
    """A walk test that cannot go on; the message says why and what to do."""


@dataclass(frozen=True, kw_only=True, slots=True)
class WalkPoint:
    """Measure the link between `peer` (usually the hub) and whatever stands at `position`."""

    peer: str
    position: str
    listen: bool = False  # the device at `position` sleeps: wait for its wake-ups, never probe


class LinkSource(Protocol):
    """Where walk-test probes go: the simulated home's geometry or a live network."""

    description: str

    def positions(self) -> tuple[str, ...]:
        """The position names this source knows (an engineer may still type others)."""
        ...

    def now(self) -> datetime: ...

    async def probe(self, peer: str, position: str) -> Sample:
        """One probe now: answered or not, with the RSSI and LQI it arrived with."""
        ...

    async def listen(self, peer: str, position: str, within_s: float) -> Sample:
        """Wait (up to `within_s`) for the sleepy device at `position` to wake and be heard."""
        ...

    async def pause(self, seconds: float) -> None:
        """Let `seconds` pass between probes, on this source's clock."""
        ...


async def _pass_time(clock: Clock, seconds: float) -> None:
    if isinstance(clock, SimulatedClock) and clock.discrete:
        # At speed max nothing moves time but us; moving it also runs the home's meters.
        await clock.run_until(clock.now() + timedelta(seconds=seconds))
    else:
        await clock.sleep(seconds)


class SimulatedLinkSource:
    """Probes answered by the scenario's link model (path loss, walls, floors, fading, faults)."""

    def __init__(
        self,
        links: Any,
        clock: Clock,
        *,
        scenario: str = "",
        wake_every_s: dict[str, int] | None = None,
    ) -> None:
        self.links = links  # device_backend.simulator.links.LinkModel
        self.clock = clock
        self.description = f"simulated home {scenario}".strip()
        self.wake_every_s = dict(wake_every_s or {})  # sleepy position -> its poll interval
        self._frame = 0

    @classmethod
    def from_home(cls, home: Any) -> SimulatedLinkSource:
        gas = home.scenario.gas
        # The simulated gas meter wakes to poll its parent on the epoch's multiples of its
        # poll interval (simulator.gas.RadioDuty), so that is when it can be heard.
        wakes = {"gsme": gas.radio.poll_interval_s} if gas is not None else {}
        return cls(home.links, home.clock, scenario=home.scenario.name, wake_every_s=wakes)

    def positions(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.links.geometry.positions)

    def now(self) -> datetime:
        return self.clock.now()

    async def probe(self, peer: str, position: str) -> Sample:
        known = self.positions()
        for name in (peer, position):
            if name not in known:
                raise WalkTestError(
                    f"The simulated home has no position called {name!r}; "
                    f"it has {', '.join(known)}."
                )
        moment = self.clock.now()
        seen = self.links.sample(peer, position, moment)
        self._frame += 2
        # A probe is a request and its reply: both directions must get through.
        answered = self.links.delivered(
            peer, position, moment, self._frame
        ) and self.links.delivered(position, peer, moment, self._frame + 1)
        await asyncio.sleep(0)
        return Sample(
            time=moment,
            peer=peer,
            position=position,
            answered=answered,
            rssi_dbm=seen.rssi if answered else None,
            lqi=seen.lqi if answered else None,
            source=self.description,
        )

    async def listen(self, peer: str, position: str, within_s: float) -> Sample:
        for name in (peer, position):
            if name not in self.positions():
                raise WalkTestError(f"The simulated home has no position called {name!r}.")
        every = self.wake_every_s.get(position)
        until_wake = every - int(self.clock.now().timestamp()) % every if every else None
        if until_wake is None or until_wake > within_s:
            await _pass_time(self.clock, within_s)  # it did not wake while we listened
            return Sample(
                time=self.clock.now(),
                peer=peer,
                position=position,
                answered=False,
                source=self.description,
                method="listen",
            )
        await _pass_time(self.clock, until_wake)
        moment = self.clock.now()
        seen = self.links.sample(position, peer, moment)
        self._frame += 2
        # Heard means the meter's poll reached the hub and the hub's reply reached the meter.
        answered = self.links.delivered(
            position, peer, moment, self._frame
        ) and self.links.delivered(peer, position, moment, self._frame + 1)
        return Sample(
            time=moment,
            peer=peer,
            position=position,
            answered=answered,
            rssi_dbm=seen.rssi if answered else None,
            lqi=seen.lqi if answered else None,
            source=self.description,
            method="listen",
        )

    async def pause(self, seconds: float) -> None:
        await _pass_time(self.clock, seconds)


class LiveLinkSource:
    """Probes over the real HAN: a ZCL read of each device, timed, with the reply's LQI/RSSI.

    TODO(backend): the Backend has no link-quality or neighbour-table method yet. Until it
    gains one (e.g. `link_quality(ieee) -> (lqi, rssi)` and `neighbours(ieee)` over ZDO
    Mgmt_Lqi_req), this reads the last-hop LQI/RSSI zigpy records on each device from the
    reply to our probe, through `backend.app`. Only hub-to-device links can be measured.
    """

    def __init__(self, backend: Any, *, timeout_s: float = 3.0) -> None:
        self.backend = backend
        self.timeout_s = timeout_s
        self.description = f"live network {backend.target.kind}:{backend.target.where}"
        self.carried: str | None = None  # the device the engineer carries to unnamed spots

    def _by_role(self) -> dict[str, str]:
        return {d.role.lower(): d.ieee for d in self.backend.devices() if d.role != "other"}

    def positions(self) -> tuple[str, ...]:
        devices = self.backend.devices()
        return ("hub", *sorted(self._by_role()), *(d.ieee for d in devices))

    def now(self) -> datetime:
        moment: datetime = self.backend.clock.now()
        return moment

    def _device_for(self, position: str) -> str:
        if position.count(":") == 7:
            return position
        found = self._by_role().get(position)
        if found:
            return found
        if self.carried:
            return self.carried
        raise WalkTestError(
            f"Which device is at {position!r}? Choose the device you carried "
            "there, or name the position by its device address."
        )

    async def probe(self, peer: str, position: str) -> Sample:
        if peer != "hub":
            raise WalkTestError(
                "On a live network links are measured from the hub (this "
                f"dongle); use 'hub' as the peer, not {peer!r}."
            )
        if self.backend.app is None:
            raise WalkTestError("The dongle is not connected; connect it and try again.")
        ieee = self._device_for(position)
        if ieee not in {d.ieee for d in self.backend.devices()}:
            raise WalkTestError(f"No device {ieee} on this network; is it paired?")
        moment = self.now()
        try:
            async with asyncio.timeout(self.timeout_s):  # not wait_for (3.11 cancel race)
                await self.backend.read_attributes(ieee, BASIC_CLUSTER, [ZCL_VERSION])
        except Exception:  # noqa: BLE001 - a timeout or a delivery failure is an unanswered probe
            return Sample(
                time=moment, peer=peer, position=position, answered=False, source=self.description
            )
        lqi, rssi = _last_hop(self.backend, ieee)
        return Sample(
            time=moment,
            peer=peer,
            position=position,
            answered=True,
            rssi_dbm=rssi,
            lqi=lqi,
            source=self.description,
        )

    async def listen(self, peer: str, position: str, within_s: float) -> Sample:
        """Wait for any frame from the sleepy device (its poll or report), never sending one."""
        if peer != "hub":
            raise WalkTestError("On a live network links are measured from the hub.")
        if self.backend.app is None:
            raise WalkTestError("The dongle is not connected; connect it and try again.")
        ieee = self._device_for(position)
        before = _last_seen(self.backend, ieee)
        waited = 0.0
        while waited < within_s:
            await _pass_time(self.backend.clock, 1.0)
            waited += 1.0
            if _last_seen(self.backend, ieee) != before:
                lqi, rssi = _last_hop(self.backend, ieee)
                return Sample(
                    time=self.now(),
                    peer=peer,
                    position=position,
                    answered=True,
                    rssi_dbm=rssi,
                    lqi=lqi,
                    source=self.description,
                    method="listen",
                )
        return Sample(
            time=self.now(),
            peer=peer,
            position=position,
            answered=False,
            source=self.description,
            method="listen",
        )

    async def pause(self, seconds: float) -> None:
        await _pass_time(self.backend.clock, seconds)


def _last_hop(backend: Any, ieee: str) -> tuple[int | None, int | None]:
    """LQI and RSSI of the last frame heard from `ieee` (see the TODO on LiveLinkSource)."""
    for device in backend.app.devices.values():
        if str(device.ieee) == ieee:
            lqi, rssi = getattr(device, "lqi", None), getattr(device, "rssi", None)
            return (None if lqi is None else int(lqi)), (None if rssi is None else int(rssi))
    return None, None


def _last_seen(backend: Any, ieee: str) -> Any:
    """When zigpy last heard `ieee` (any frame), or None."""
    for device in backend.app.devices.values():
        if str(device.ieee) == ieee:
            return getattr(device, "last_seen", None)
    return None


def scenario_link_source(scenario: str) -> SimulatedLinkSource:
    """Probes on a fresh copy of a scenario's home whose clock runs as fast as the CPU allows:
    a whole walk test (the gas meter listened to at its own wake-ups) takes no wall time."""
    from device_backend.simulator.home import SimulatedHome  # loaded only when asked for

    return SimulatedLinkSource.from_home(SimulatedHome.from_scenario(scenario, speed=None))


def link_source_for(backend: Any) -> LinkSource | None:
    """The simulator's geometry when simulated, the live HAN otherwise; None with no back end."""
    if backend is None:
        return None
    if getattr(backend, "home", None) is not None:
        return SimulatedLinkSource.from_home(backend.home)
    if getattr(backend, "target", None) is not None:
        return LiveLinkSource(backend)
    return None


def default_points(survey: Survey, rules: RuleSet) -> list[WalkPoint]:
    """The required links, named as this survey names its positions."""
    points = []
    for key in rules.required_links(survey):
        a, b = key.split("-")
        points.append(
            WalkPoint(
                peer=survey.position_name(a),
                position=survey.position_name(b),
                listen=key in rules.walk_test.sleepy_links,
            )
        )
    return points


async def run_walk_test(
    source: LinkSource,
    points: list[WalkPoint],
    settings: WalkTestSettings,
    record: Callable[[Sample], None],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Probe each point `settings.samples` times; each sample is recorded (saved) as it comes.

    A sleepy point is not probed: each sample waits for the device's own next wake-up, since
    a battery gas meter answers nothing while it sleeps. Cancelling stops between samples;
    what was recorded stays. Returns the samples recorded.
    """
    total = len(points) * settings.samples
    done = 0
    for point in points:
        for _ in range(settings.samples):
            if point.listen:
                sample = await source.listen(point.peer, point.position, settings.sleepy_listen_s)
            else:
                if done:
                    await source.pause(settings.interval_s)
                sample = await source.probe(point.peer, point.position)
            record(sample)
            done += 1
            if progress is not None:
                progress(done, total)
    return done

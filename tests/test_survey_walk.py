"""The walk test probes named positions on the simulated home or over the live HAN, saving as it goes."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from device_backend.facade import Backend
from device_backend.simulator.home import SimulatedHome
from device_backend.survey.model import Sample, Survey
from device_backend.survey.rules import WalkTestSettings, load_rules
from device_backend.survey.store import SurveyStore
from device_backend.survey.walk import (
    LiveLinkSource,
    SimulatedLinkSource,
    WalkPoint,
    WalkTestError,
    default_points,
    link_source_for,
    run_walk_test,
)
from tests.support.loops import run

SETTINGS = WalkTestSettings(samples=4, interval_s=15)
T0 = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
POINTS = [WalkPoint(peer="hub", position="esme"), WalkPoint(peer="hub", position="gsme")]


def walk(scenario: str) -> list[Sample]:
    source = SimulatedLinkSource.from_home(SimulatedHome.from_scenario(scenario, speed=None))
    taken: list[Sample] = []
    run(run_walk_test(source, POINTS, SETTINGS, taken.append))
    return taken


def test_probes_are_timestamped_on_the_scenario_clock_and_spaced_apart() -> None:
    samples = walk("difficult-property")
    assert len(samples) == 8
    start = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
    assert [s.time for s in samples] == [start + timedelta(seconds=15 * i) for i in range(8)]
    assert {(s.peer, s.position) for s in samples} == {("hub", "esme"), ("hub", "gsme")}
    assert all(s.source == "simulated home difficult-property" for s in samples)


def test_the_simulated_walk_test_follows_the_geometry_and_repeats_for_a_seed() -> None:
    samples = walk("difficult-property")
    near = [s.rssi_dbm for s in samples if s.position == "esme"]
    far = [s.rssi_dbm for s in samples if s.position == "gsme" and s.answered]
    assert all(r is not None and r > -40 for r in near)  # the hub sits on the electricity meter
    assert far
    assert all(r is not None and r < -85 for r in far)
    assert walk("difficult-property") == samples


def test_an_unknown_position_is_refused_naming_the_known_ones() -> None:
    source = SimulatedLinkSource.from_home(SimulatedHome.from_scenario("difficult-property"))
    with pytest.raises(WalkTestError, match=r"no position called 'attic'.*hub, esme, gsme, ihd"):
        run(source.probe("hub", "attic"))


def test_cancelling_keeps_every_probe_already_saved(tmp_path: Path) -> None:
    store = SurveyStore.open(tmp_path / "s.db")
    survey = store.create("jo")
    source = SimulatedLinkSource.from_home(
        SimulatedHome.from_scenario("difficult-property", speed=None)
    )

    async def cancel_after_three() -> None:
        def record(sample: Sample) -> None:
            store.add_sample(survey.id, sample)
            if len(store.get(survey.id).samples) == 3:
                task.cancel()

        task = asyncio.ensure_future(run_walk_test(source, POINTS, SETTINGS, record))
        with pytest.raises(asyncio.CancelledError):
            await task

    run(cancel_after_three())
    assert len(store.get(survey.id).samples) == 3
    store.close()


def test_the_live_source_probes_real_zigpy_devices_and_reads_their_link() -> None:
    async def body() -> None:
        backend = Backend("sim:difficult-property", speed=None)
        await backend.start()
        try:
            await backend.wait_online(timeout=20)
            await backend.wait_for_meters(timeout=20)
            source = LiveLinkSource(backend)
            assert {"hub", "esme", "gsme"} <= set(source.positions())
            sample = await source.probe("hub", "esme")
            radio = backend.home.radio.links[backend.home.esme.nwk]
            assert sample.answered
            assert (sample.rssi_dbm, sample.lqi) == (radio.rssi, radio.lqi)
            with pytest.raises(WalkTestError, match="measured from the hub"):
                await source.probe("esme", "gsme")
            with pytest.raises(WalkTestError, match="Which device is at 'landing'"):
                await source.probe("hub", "landing")
        finally:
            await backend.stop()

    run(body())


def test_the_source_follows_the_back_end() -> None:
    assert link_source_for(None) is None
    simulated = Backend("sim:difficult-property", speed=None)
    assert isinstance(link_source_for(simulated), SimulatedLinkSource)
    live = Backend("ezsp:/dev/ttyUSB0")
    assert isinstance(link_source_for(live), LiveLinkSource)


def test_the_sleepy_gas_meter_is_listened_to_at_its_own_wake_ups_not_polled() -> None:
    """A GB gas meter sleeps on a battery; the walk test waits for its polls to the hub."""
    home = SimulatedHome.from_scenario("difficult-property", speed=None)
    source = SimulatedLinkSource.from_home(home)
    rules = load_rules()
    store_free = Survey(id="s", engineer="jo", created=T0, updated=T0)
    points = default_points(store_free, rules)
    assert [(p.position, p.listen) for p in points] == [
        ("esme", False),
        ("gsme", True),
        ("ihd", False),
    ]
    taken: list[Sample] = []
    run(run_walk_test(source, points, rules.walk_test, taken.append))
    gas = [s for s in taken if s.position == "gsme"]
    assert len(gas) == rules.walk_test.samples
    assert {s.method for s in gas} == {"listen"}
    gaps = {b.time - a.time for a, b in itertools.pairwise(gas)}
    poll = home.scenario.gas.radio.poll_interval_s
    assert gaps == {timedelta(seconds=poll)}  # the meter's poll interval, not our 10 s
    assert all(s.time.timestamp() % poll == 0 for s in gas)  # heard only when it wakes
    assert {s.method for s in taken if s.position != "gsme"} == {"probe"}


def test_a_meter_that_does_not_wake_while_we_listen_counts_as_lost() -> None:
    home = SimulatedHome.from_scenario("credit-dual-fuel", speed=None)
    source = SimulatedLinkSource(
        home.links, home.clock, scenario="quiet", wake_every_s={"gsme": 3600}
    )
    start = home.clock.now()
    sample = run(source.listen("hub", "gsme", 150))
    assert not sample.answered
    assert sample.rssi_dbm is None
    assert sample.method == "listen"
    assert sample.time - start == timedelta(seconds=150)


def test_the_live_source_listens_for_a_devices_own_frames_without_sending_any() -> None:
    async def body() -> None:
        backend = Backend("sim:difficult-property", speed=None)
        await backend.start()
        try:
            await backend.wait_online(timeout=20)
            await backend.wait_for_meters(timeout=20)
            source = LiveLinkSource(backend)
            sent: list[object] = []
            original = backend.read_attributes

            async def counting(*args: object, **kwargs: object) -> object:
                sent.append(args)
                return await original(*args, **kwargs)

            backend.read_attributes = counting  # type: ignore[method-assign]
            # The electricity meter reports by itself every few seconds: that is what is heard.
            sample = await source.listen("hub", "esme", 60)
            assert sample.answered
            assert sample.method == "listen"
            assert sample.rssi_dbm is not None
            assert sent == []  # nothing was sent to it
        finally:
            await backend.stop()

    run(body())

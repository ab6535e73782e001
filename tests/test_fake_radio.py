"""Radio faults at zigpy's seam: a stalled serial link and a pulled dongle, on a fake radio.

The fake radio (tests/support/fake_radio.py) is reached the way a real dongle is, through the facade's
table of radio libraries, a port path and zigpy's own database; the meter's frames are real
ZCL bytes recorded from a simulator run.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from device_backend import facade, model
from device_backend.facade import Backend
from tests.support.fake_radio import (
    FakeDongle,
    FakeRadio,
    Recording,
    pair_meter_beforehand,
    record_meter,
)
from tests.support.sim import Recorder, run

pytestmark = pytest.mark.reliability

# The probe here runs ten times faster than shipped, so its deadlines shrink by the same factor.
SPEEDUP = 10
STALL_FLAGGED_WITHIN = timedelta(seconds=30)  # issue 10's figures, at shipped speed
PULL_FLAGGED_WITHIN = timedelta(seconds=2)
BACK_AFTER_REPLUG_WITHIN = timedelta(seconds=20)
WAIT_LIMIT_S = 20.0  # only so that a broken back end fails the test instead of hanging it


@pytest.fixture(scope="module")
def recording() -> Recording:
    return run(record_meter(minutes=10))


@pytest.fixture
def port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(facade.RADIO_LIBRARIES, "fake", ("tests.support.fake_radio", "FakeRadio"))
    return f"/dev/ttyFAKE-{tmp_path.name}"


def registers_in(recording: Recording) -> set[int]:
    """Every electricity register value the meter actually sent."""
    seen: set[int] = set()
    dongle = FakeDongle(port="-", recording=recording)
    for data in recording.frames:
        dongle._remember(data)
        seen.add(int(dongle.meter_values[0x0000]))
    return seen


async def until(condition: Callable[[], bool], what: str) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + WAIT_LIMIT_S
    while not condition():
        assert loop.time() < give_up, f"never {what}"
        await asyncio.sleep(0.01)


async def online_backend(
    dongle: FakeDongle,
    database: Path,
    probe_interval_s: float = facade.PROBE_INTERVAL_S,
    probe_timeout_s: float = facade.PROBE_TIMEOUT_S,
) -> tuple[Backend, Recorder]:
    await pair_meter_beforehand(dongle, str(database))
    backend = Backend(
        f"fake:{dongle.port}",
        zigpy_database=str(database),
        probe_interval_s=probe_interval_s,
        probe_timeout_s=probe_timeout_s,
    )
    events = Recorder(backend)
    await backend.start()
    await backend.wait_online(timeout=WAIT_LIMIT_S)
    await backend.wait_for_meters(timeout=WAIT_LIMIT_S)
    return backend, events


def readings_between(events: Recorder, start: datetime, end: datetime) -> list[model.Event]:
    return [e for e in events.of(model.Demand) + events.of(model.Energy) if start <= e.time <= end]


def check_energy_is_real_and_never_decreases(events: Recorder, recording: Recording) -> None:
    registers = [e.import_raw for e in events.of(model.Energy, model.Fuel.ELECTRICITY)]
    assert registers, "no energy reading at all"
    assert all(b >= a for a, b in itertools.pairwise(registers)), registers
    assert registers[-1] > registers[0]
    assert set(registers) <= registers_in(recording)  # each one was sent by the meter


def test_a_stalled_serial_link_is_flagged_by_our_probe_and_readings_resume_after(
    recording: Recording, port: str, tmp_path: Path
) -> None:
    interval_s = facade.PROBE_INTERVAL_S / SPEEDUP
    timeout_s = facade.PROBE_TIMEOUT_S / SPEEDUP

    async def body() -> None:
        dongle = FakeDongle(port=port, recording=recording).plug_in()
        backend, events = await online_backend(
            dongle, tmp_path / "zigbee.db", probe_interval_s=interval_s, probe_timeout_s=timeout_s
        )
        try:
            assert dongle.meter_sends(12) == 12  # two minutes of reports arrive
            await until(lambda: len(events.of(model.Demand)) >= 8, "heard the meter")

            dongle.stall()
            stalled_at = backend.clock.now()
            assert dongle.meter_sends(12) == 0  # the meter carries on; nothing gets through
            await until(
                lambda: backend.connection.state is model.ConnectionState.OFFLINE,
                "noticed the stalled link",
            )
            flagged = events.last(model.Connection)
            took = flagged.time - stalled_at
            assert took * SPEEDUP <= STALL_FLAGGED_WITHIN
            assert took >= timedelta(seconds=2 * timeout_s)  # two failed probes, not one slow one
            assert "stopped answering" in flagged.reason  # in words, from our probe
            assert "Lost" not in flagged.reason  # zigpy was never told the port had gone
            # Still stalled: the reconnect waits on the link and stays offline meanwhile.
            await asyncio.sleep(2 * (interval_s + timeout_s))
            assert backend.connection.state is model.ConnectionState.OFFLINE

            dongle.unstall()
            unstalled_at = backend.clock.now()
            await backend.wait_online(timeout=WAIT_LIMIT_S)
            await backend.wait_for_meters(timeout=WAIT_LIMIT_S)
            assert readings_between(events, stalled_at, unstalled_at) == []  # nothing invented
            before = len(events.of(model.Demand))
            assert dongle.meter_sends(12) == 12
            await until(lambda: len(events.of(model.Demand)) > before, "heard the meter again")
            assert backend.connection.state is model.ConnectionState.ONLINE
            check_energy_is_real_and_never_decreases(events, recording)
        finally:
            await backend.stop()
            dongle.remove()

    run(body())


def test_a_pulled_dongle_is_offline_at_once_and_back_soon_after_replug_without_invented_readings(
    recording: Recording, port: str, tmp_path: Path
) -> None:
    async def body() -> None:
        dongle = FakeDongle(port=port, recording=recording).plug_in()
        backend, events = await online_backend(dongle, tmp_path / "zigbee.db")
        try:
            assert dongle.meter_sends(12) == 12
            await until(lambda: len(events.of(model.Demand)) >= 8, "heard the meter")

            dongle.pull()
            pulled_at = backend.clock.now()
            await until(
                lambda: backend.connection.state is model.ConnectionState.OFFLINE,
                "noticed the pulled dongle",
            )
            gone = events.last(model.Connection)
            assert gone.time - pulled_at <= PULL_FLAGGED_WITHIN
            assert "dongle" in gone.reason.lower()
            assert dongle.meter_sends(12) == 0  # the meter carries on; nobody hears it
            # It keeps looking for the port, and says so.
            await until(lambda: "Retrying" in backend.connection.reason, "said it is retrying")
            assert backend.connection.state is model.ConnectionState.OFFLINE
            assert f"No ZigBee dongle found at {port}" in backend.connection.reason

            dongle.replug()
            replugged_at = backend.clock.now()
            await backend.wait_online(timeout=WAIT_LIMIT_S)
            back = [
                e for e in events.of(model.Connection) if e.state is model.ConnectionState.ONLINE
            ][-1]
            assert back.time - replugged_at <= BACK_AFTER_REPLUG_WITHIN
            await backend.wait_for_meters(timeout=WAIT_LIMIT_S)  # the same meter, not re-paired
            assert readings_between(events, pulled_at, replugged_at) == []  # nothing invented
            before = len(events.of(model.Demand))
            assert dongle.meter_sends(12) == 12
            await until(lambda: len(events.of(model.Demand)) > before, "heard the meter again")
            check_energy_is_real_and_never_decreases(events, recording)
        finally:
            await backend.stop()
            dongle.remove()

    run(body())


def test_a_link_stalled_at_start_up_is_a_failed_attempt_with_a_reason_then_retried(
    recording: Recording, port: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facade, "STARTUP_TIMEOUT_S", 0.5)  # 60 s shipped

    async def body() -> None:
        dongle = FakeDongle(port=port, recording=recording).plug_in()
        database = tmp_path / "zigbee.db"
        await pair_meter_beforehand(dongle, str(database))
        dongle.stall()
        backend = Backend(f"fake:{dongle.port}", zigpy_database=str(database))
        try:
            await backend.start()
            await until(
                lambda: backend.connection.state is model.ConnectionState.OFFLINE,
                "gave up on the stalled start-up",
            )
            assert f"The dongle at {port} did not answer" in backend.connection.reason
            assert "Retrying" in backend.connection.reason
            dongle.unstall()
            await backend.wait_online(timeout=WAIT_LIMIT_S)
            await backend.wait_for_meters(timeout=WAIT_LIMIT_S)
        finally:
            await backend.stop()
            dongle.remove()

    run(body())


@pytest.mark.security
def test_zigpy_database_holding_the_keys_is_never_world_readable(
    recording: Recording, port: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "zigbee.db"
    seen_modes: list[int] = []
    real_load = FakeRadio._load_db

    async def watched_load(self: FakeRadio) -> None:
        seen_modes.append(database.stat().st_mode & 0o777)  # before zigpy writes a key to it
        await real_load(self)

    monkeypatch.setattr(FakeRadio, "_load_db", watched_load)

    async def body() -> None:
        dongle = FakeDongle(port=port, recording=recording).plug_in()
        backend = Backend(f"fake:{dongle.port}", zigpy_database=str(database))
        try:
            await backend.start()
            await backend.wait_online(timeout=WAIT_LIMIT_S)
        finally:
            await backend.stop()
            dongle.remove()

    run(body())
    assert seen_modes
    assert set(seen_modes) == {0o600}
    for path in tmp_path.glob("zigbee.db*"):
        assert path.stat().st_mode & 0o777 == 0o600, path

"""The facade as the applications see it: connection states, faults and the frame boundary."""

from __future__ import annotations

import asyncio
import itertools
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
import zigpy.types as t

from device_backend import model
from device_backend.facade import Backend, TargetError, parse_target
from tests.support.sim import Recorder, advance, run, with_backend


def test_targets_are_checked_with_a_reason() -> None:
    assert parse_target("sim:economy7").simulated
    assert parse_target("ezsp:/dev/ttyUSB0").where == "/dev/ttyUSB0"
    with pytest.raises(TargetError, match="RADIO:PORT"):
        parse_target("/dev/ttyUSB0")
    with pytest.raises(TargetError, match="unknown radio type 'zzz'"):
        parse_target("zzz:/dev/ttyUSB0")


@pytest.mark.reliability
def test_a_missing_serial_port_gives_a_clear_retrying_state_not_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def body() -> list[model.Connection]:
        backend = Backend("ezsp:/dev/ttyNO-SUCH-DONGLE")
        states: list[model.Connection] = []
        backend.on_event(lambda e: states.append(e) if isinstance(e, model.Connection) else None)
        await backend.start()
        for _ in range(200):  # until it has retried at least once
            await asyncio.sleep(0.05)
            if len(states) >= 2:
                break
        await backend.stop()
        return states

    states = run(body())
    assert states[0].state is model.ConnectionState.OFFLINE
    assert "No ZigBee dongle found at /dev/ttyNO-SUCH-DONGLE" in states[0].reason
    assert "Retrying" in states[0].reason
    assert len(states) >= 2  # it did retry
    assert "Traceback" not in caplog.text


@pytest.mark.reliability
def test_pulling_the_dongle_goes_offline_then_back_with_continuous_energy() -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        await advance(backend, timedelta(minutes=30))
        backend.home.pull_dongle()
        await asyncio.sleep(0.05)
        assert backend.connection.state is model.ConnectionState.OFFLINE
        assert "dongle" in backend.connection.reason.lower()
        await advance(backend, timedelta(minutes=80))  # the meters keep metering meanwhile
        reports_while_out = len(events.of(model.Demand))
        await advance(backend, timedelta(minutes=1))
        assert len(events.of(model.Demand)) == reports_while_out  # nothing invented while offline
        backend.home.replug_dongle()
        await backend.wait_online(timeout=20)
        await backend.wait_for_meters(timeout=20)
        await advance(backend, timedelta(minutes=5))
        registers = [e.import_raw for e in events.of(model.Energy, model.Fuel.ELECTRICITY)]
        assert all(b >= a for a, b in itertools.pairwise(registers))  # never negative
        states = [e.state for e in events.of(model.Connection)]
        assert states.index(model.ConnectionState.OFFLINE) < len(states) - 1
        assert states[-1] is model.ConnectionState.ONLINE
        assert registers[-1] > registers[0]
        # The missed half-hours are rebuilt from the meter's own profile, at their boundaries.
        rebuilt = [
            e for e in events.of(model.Energy, model.Fuel.ELECTRICITY) if e.source == "profile"
        ]
        assert len(rebuilt) >= 2
        assert all(e.time.minute in (0, 30) and e.time.second == 0 for e in rebuilt)
        # Every rebuilt register agrees with what the meter itself showed at that moment.
        profile = dict(backend.home.esme.profile)
        for event in rebuilt:
            assert event.import_raw - rebuilt[0].import_raw == sum(
                wh for start, wh in profile.items() if rebuilt[0].time <= start < event.time
            )

    run(with_backend("credit-dual-fuel", body))


@pytest.mark.reliability
def test_a_quiet_meter_is_stale_which_is_not_offline() -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        await advance(backend, timedelta(minutes=5))
        backend.home.esme.silent = True
        backend.home._silent_until[model.Fuel.ELECTRICITY] = backend.clock.now() + timedelta(
            hours=1
        )
        await advance(backend, timedelta(minutes=2))
        assert backend.connection.state is model.ConnectionState.STALE
        assert "electricity meter" in backend.connection.reason
        await advance(backend, timedelta(hours=1))
        assert backend.connection.state is model.ConnectionState.ONLINE

    run(with_backend("credit-dual-fuel", body))


def _frame_from_esme(backend: Backend, data: bytes, cluster: int = 0x0702) -> t.ZigbeePacket:
    esme = backend.home.esme
    return t.ZigbeePacket(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=esme.nwk),
        src_ep=1,
        dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
        dst_ep=1,
        profile_id=0x0109,
        cluster_id=cluster,
        data=t.SerializableBytes(data),
        lqi=200,
        rssi=-60,
    )


@pytest.mark.reliability
def test_malformed_frames_are_counted_at_the_boundary_and_the_next_frame_is_processed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        app = backend.app
        # A Report Attributes declaring InstantaneousDemand (int24) then ending after one byte.
        truncated = bytes([0x18, 0x77, 0x0A, 0x00, 0x04, 0x2A, 0x01])
        with caplog.at_level(logging.ERROR):
            app.packet_received(_frame_from_esme(backend, truncated))
            app.packet_received(_frame_from_esme(backend, truncated))
        assert app.rejected_total == 2
        assert sum("malformed" in r.message for r in caplog.records) == 1  # logged once per kind
        # The next good frame (1.234 kW) is still handled.
        good = bytes([0x18, 0x78, 0x0A, 0x00, 0x04, 0x2A, 0xD2, 0x04, 0x00])
        app.packet_received(_frame_from_esme(backend, good))
        await asyncio.sleep(0)
        assert events.last(model.Demand, model.Fuel.ELECTRICITY).kw == Decimal("1.234")

    run(with_backend("credit-dual-fuel", body))


def test_smart_energy_reports_and_read_responses_reach_the_cluster() -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        device = backend.app.get_device(ieee=backend.home.esme.ieee)
        metering = device.endpoints[1].in_clusters[0x0702]
        assert device.endpoints[1].profile_id == 0x0109
        seen: list[int] = []
        metering.on_event("attribute_report", lambda e: seen.append(e.attribute_id))
        values, failures = await metering.read_attributes(
            ["multiplier", "divisor"], allow_cache=False
        )
        assert values == {"multiplier": 1, "divisor": 1000}
        assert not failures
        report = bytes([0x18, 0x79, 0x0A, 0x00, 0x04, 0x2A, 0x10, 0x00, 0x00])
        backend.app.packet_received(_frame_from_esme(backend, report))
        assert seen == [0x0400]

    run(with_backend("credit-dual-fuel", body))


def test_an_exception_in_our_own_handler_is_counted_and_later_readings_still_arrive(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        calls = {"n": 0}

        def flaky(event: model.Event) -> None:
            calls["n"] += 1
            if calls["n"] == 1:
                raise RuntimeError("a bug in a listener")

        backend.on_event(flaky)
        before = len(events.of(model.Demand))
        await advance(backend, timedelta(minutes=1))
        assert backend.events.listener_errors == 1
        assert len(events.of(model.Demand)) > before
        states = [e.state for e in events.of(model.Connection)]
        assert model.ConnectionState.DEGRADED in states  # shown, in words, not hidden
        await advance(backend, timedelta(minutes=2))
        assert backend.connection.state is model.ConnectionState.ONLINE  # and it clears
        assert any(
            "listener failed" in r.message for r in caplog.records if r.levelno >= logging.ERROR
        )

    run(with_backend("credit-dual-fuel", body))


@pytest.mark.reliability
def test_a_dongle_that_acknowledges_but_never_answers_is_flagged_by_our_probe() -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        backend.home.hang_dongle()
        loop = asyncio.get_running_loop()
        began = loop.time()
        while backend.connection.state is not model.ConnectionState.OFFLINE:
            assert loop.time() - began < 10, "the probe never noticed"
            await asyncio.sleep(0.02)
        assert "stopped answering" in backend.connection.reason
        backend.home.replug_dongle()  # unplug and plug back in: it recovers on its own
        await backend.wait_online(timeout=20)

    run(with_backend("credit-dual-fuel", body, probe_interval_s=0.2, probe_timeout_s=0.2))

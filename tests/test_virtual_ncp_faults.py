"""Faults on the virtual EZSP dongle, seen through the real bellows stack and our facade.

A pulled stick, a wedged NCP, a reset in the middle of a session and a noisy serial line:
each at the serial port, below bellows, where a real stick fails.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from device_backend import model
from device_backend.virtual_ncp import ash
from tests.sim_support import run
from tests.support.ncp import dongle_and_backend, until

pytestmark = pytest.mark.reliability

BACK_AFTER_PORT_RETURNS_S = 20.0  # issue 20


def _state(backend: object) -> model.ConnectionState:
    return backend.connection.state  # type: ignore[attr-defined,no-any-return]


def test_pulled_stick_goes_offline_with_a_reason_and_returns_without_re_pairing(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        async with dongle_and_backend(tmp_path) as (dongle, backend, recorder):
            await until(lambda: recorder.of(model.Demand), "saw a reading")
            meters = {d.ieee for d in backend.devices()}
            before_pull = len(dongle.ncp.commands_seen)
            permits = len(dongle.ncp.permit_durations)
            dongle.pull()
            await until(lambda: _state(backend) is model.ConnectionState.OFFLINE, "went offline")
            assert backend.connection.reason  # in words, e.g. the port was lost
            assert not await asyncio.to_thread(Path(dongle.path).exists)  # the node has gone
            readings_while_away = len(recorder.of(model.Demand))
            await asyncio.sleep(2.0)  # the home keeps metering; nothing reaches the display
            assert len(recorder.of(model.Demand)) == readings_while_away
            loop = asyncio.get_running_loop()
            returned = loop.time()
            await dongle.plug_in()
            await until(
                lambda: _state(backend) is model.ConnectionState.ONLINE,
                "came back online",
                limit_s=BACK_AFTER_PORT_RETURNS_S,
            )
            assert loop.time() - returned <= BACK_AFTER_PORT_RETURNS_S
            await until(
                lambda: len(recorder.of(model.Demand)) > readings_while_away, "saw new readings"
            )
            assert {d.ieee for d in backend.devices()} == meters  # the same meters, not re-paired
            since = dongle.ncp.commands_seen[before_pull:]
            assert not any(dongle.ncp.permit_durations[permits:])  # joining never opened
            assert "formNetwork" not in since  # the stick kept its network

    run(body())


def test_a_wedged_ncp_is_flagged_by_the_watchdog_and_a_reset_cures_it(tmp_path: Path) -> None:
    async def body() -> None:
        async with dongle_and_backend(tmp_path, probe_interval_s=0.5, probe_timeout_s=0.5) as (
            dongle,
            backend,
            recorder,
        ):
            dongle.set_wedged(True)  # ASH still acknowledges; EZSP never answers
            await until(lambda: _state(backend) is model.ConnectionState.OFFLINE, "was flagged")
            assert backend.connection.reason == "The ZigBee dongle stopped answering."
            # The supervisor reconnects; bellows's RST resets the NCP, which cures it.
            await until(lambda: _state(backend) is model.ConnectionState.ONLINE, "recovered")
            count = len(recorder.of(model.Demand))
            await until(lambda: len(recorder.of(model.Demand)) > count, "saw readings again")

    run(body())


def test_an_ncp_reset_mid_session_is_recovered(tmp_path: Path) -> None:
    async def body() -> None:
        async with dongle_and_backend(tmp_path) as (dongle, backend, recorder):
            await until(lambda: recorder.of(model.Demand), "saw a reading")
            resets = dongle.link.stats.resets
            dongle.reset_mid_session(ash.RESET_WATCHDOG)  # RSTACK with reason: watchdog
            await until(lambda: _state(backend) is model.ConnectionState.OFFLINE, "went offline")
            await until(lambda: _state(backend) is model.ConnectionState.ONLINE, "came back")
            assert dongle.link.stats.resets >= resets + 2  # ours, then bellows's own RST
            count = len(recorder.of(model.Demand))
            await until(lambda: len(recorder.of(model.Demand)) > count, "saw readings again")

    run(body())


def test_one_percent_corrupted_frames_every_reading_arrives_once(tmp_path: Path) -> None:
    """Damaged frames both ways (our CRC errors, NAKs for the host's frames) at 1 %: ASH's
    retransmission delivers every frame the NCP passed up exactly once."""

    async def body() -> None:
        async with dongle_and_backend(tmp_path) as (dongle, backend, _recorder):
            arrived: list[tuple[int, int, int, bytes]] = []
            app = backend.app
            seam = app.packet_received

            def counting(packet: object) -> None:
                arrived.append(
                    (
                        int(packet.src.address),  # type: ignore[attr-defined]
                        int(packet.tsn),  # type: ignore[attr-defined]
                        int(packet.cluster_id),  # type: ignore[attr-defined]
                        packet.data.serialize(),  # type: ignore[attr-defined]
                    )
                )
                seam(packet)

            app.packet_received = counting
            # Frames the NCP had already written to the serial line are still in flight: they
            # may reach the host after the hook, so they are excused from the front of `heard`.
            in_flight = [f for f in dongle.ncp.passed_up if f[0] != 0][-8:]
            dongle.ncp.passed_up.clear()
            dongle.set_error_rates(corrupt=0.01, nak=0.01)
            stats = dongle.link.stats

            async def host_traffic() -> None:  # the display asking, as well as meters reporting
                while True:
                    await backend.refresh()
                    await asyncio.sleep(0.1)

            asking = asyncio.get_running_loop().create_task(host_traffic())
            try:
                await until(
                    lambda: stats.corrupted >= 3 and stats.naks_sent >= 3 and len(arrived) >= 150,
                    "saw frames damaged both ways",
                    limit_s=120,
                )
            finally:
                asking.cancel()
            dongle.set_error_rates()
            await asyncio.sleep(0.5)  # the last frames in flight
            sent = [f for f in dongle.ncp.passed_up if f[0] != 0]  # the meters' frames
            heard = [f for f in arrived if f[0] != 0]
            while heard and heard[0] in in_flight:  # sent before the count began
                in_flight = in_flight[in_flight.index(heard.pop(0)) + 1 :]
            assert heard == sent[: len(heard)]  # in order, none lost, none twice
            assert len(sent) - len(heard) <= 1
            assert stats.retransmissions >= 3
            assert _state(backend) is model.ConnectionState.ONLINE

    run(body())


def test_a_115200_baud_link_still_carries_the_home(tmp_path: Path) -> None:
    async def body() -> None:
        async with dongle_and_backend(tmp_path) as (dongle, _backend, recorder):
            dongle.set_baud(115_200)
            count = len(recorder.of(model.Demand))
            await until(lambda: len(recorder.of(model.Demand)) >= count + 3, "saw readings")

    run(body())


def test_a_meter_off_the_network_at_start_up_is_adopted_when_it_comes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a restore onto a new stick, or a restart while a meter is away, the meter rejoins
    with the address it had; zigpy interviews nobody then (a known device), so the facade
    adopts a meter it could not read at start-up when it next hears from it."""
    from device_backend.facade import Backend
    from device_backend.virtual_ncp import ncp
    from device_backend.virtual_ncp.dongle import VirtualDongle
    from tests.support.ncp import SPEED, all_meters_ready

    async def body() -> None:
        dongle = VirtualDongle("prepay-low-credit", port=str(tmp_path / "ttyNCP0"), speed=SPEED)
        await dongle.start()
        database = str(tmp_path / "zigpy.db")
        try:
            first = Backend(f"ezsp:{dongle.path}", zigpy_database=database)
            await first.start()
            await first.wait_online(60)
            await all_meters_ready(first, dongle)  # both meters known to zigpy's database
            await first.stop()
            esme = dongle.home.esme
            esme.joined = False  # away while the display starts again
            monkeypatch.setattr(ncp, "JOIN_DELAY_S", 3600.0)  # it comes back when we say
            second = Backend(f"ezsp:{dongle.path}", zigpy_database=database)
            await second.start()
            try:
                await second.wait_online(60)  # start-up has tried, and failed, to read it
                assert str(esme.ieee) not in second.adapters
                gas = next(m for m in dongle.home.meters if m is not esme)
                assert str(gas.ieee) in second.adapters
                dongle.ncp._join(esme, True)  # it rejoins with its old address
                await until(lambda: str(esme.ieee) in second._ready, "adopted the meter")
            finally:
                await second.stop()
        finally:
            await dongle.stop()

    run(body())

"""The real bellows stack, end to end, against the virtual EZSP dongle: no hardware.

bellows opens the dongle's pseudo-terminal (or TCP socket) as it would /dev/ttyUSB0, resets
it over ASH, negotiates the EZSP version, configures the stack, registers endpoints, forms the
network, and the simulated home's meters join, are interviewed by zigpy and report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from device_backend import model
from tests.sim_support import run
from tests.support.ncp import dongle_and_backend, until


def test_bellows_starts_on_the_virtual_dongle_over_a_pty_with_ezsp_13(tmp_path: Path) -> None:
    async def body() -> None:
        async with dongle_and_backend(tmp_path, version=13) as (dongle, backend, recorder):
            assert backend.app._ezsp.ezsp_version == 13
            assert dongle.ncp.negotiated
            assert dongle.ncp.unhandled == []  # every command bellows sent was emulated
            # The start-up sequence bellows performs, in UG100's order: reset, version,
            # configuration, endpoints, then the network (formed here: a new stick).
            seen = dongle.ncp.commands_seen
            assert seen.index("setConfigurationValue") < seen.index("addEndpoint")
            assert seen.index("addEndpoint") < seen.index("formNetwork")
            assert dongle.link.stats.resets >= 1
            # Endpoint 1 is registered for Smart Energy, as our IHD (issue 20's finding).
            profile, device_type, _v, ins, outs = dongle.ncp.endpoints[1]
            assert (profile, device_type) == (0x0109, 0x0507)
            assert {0x0700, 0x0702, 0x0703, 0x0705} <= set(outs)
            assert 0x000A in ins
            await until(
                lambda: len(recorder.of(model.Demand, model.Fuel.ELECTRICITY)) >= 3,
                "saw electricity demand reports",
            )
            # What the display shows comes from the virtual meter's own account.
            prepayment = recorder.last(model.Prepayment)
            account = dongle.home.accounts[model.Fuel.ELECTRICITY]
            snap = account.snapshot(dongle.home.clock.now())
            assert prepayment.mode is model.PaymentMode.PREPAYMENT
            assert prepayment.emergency_credit_pence == snap.emergency_credit_pence

    run(body())


def test_bellows_over_tcp_with_ezsp_18(tmp_path: Path) -> None:
    async def body() -> None:
        async with dongle_and_backend(tmp_path, version=18, port="tcp:127.0.0.1:0") as (
            dongle,
            backend,
            recorder,
        ):
            assert dongle.path.startswith("socket://127.0.0.1:")
            assert backend.app._ezsp.ezsp_version == 18
            assert dongle.ncp.unhandled == []
            await until(
                lambda: len(recorder.of(model.Demand, model.Fuel.ELECTRICITY)) >= 2,
                "saw electricity demand reports",
            )

    run(body())


def test_a_top_up_is_accepted_by_the_virtual_meter_through_bellows(tmp_path: Path) -> None:
    async def body() -> None:
        async with dongle_and_backend(tmp_path) as (dongle, backend, _recorder):
            account = dongle.home.accounts[model.Fuel.ELECTRICITY]
            before = account.snapshot(dongle.home.clock.now()).credit_pence
            utrn = dongle.home.issue_top_up(1000)
            result = await backend.top_up(utrn)
            assert result.outcome is model.TopUpOutcome.ACCEPTED
            assert result.value_pence == 1000
            after = account.snapshot(dongle.home.clock.now()).credit_pence
            assert before + 1000 - 20 <= after <= before + 1000
            assert result.credit_pence is not None
            assert abs(result.credit_pence - after) <= 20
            again = await backend.top_up(utrn)
            assert again.outcome is model.TopUpOutcome.DUPLICATE
            sent = [n for n in dongle.ncp.commands_seen if n == "sendUnicast"]
            assert sent  # the command went out as an EZSP sendUnicast, not a shortcut

    run(body())


@pytest.mark.parametrize("version", [13, 19])
def test_version_negotiation_starts_legacy_and_switches(tmp_path: Path, version: int) -> None:
    """bellows asks for protocol 4 in the legacy frame format; the NCP answers its own version
    and only a request for exactly that version makes the session usable (UG100)."""

    async def body() -> None:
        async with dongle_and_backend(tmp_path, version=version) as (dongle, backend, _rec):
            assert backend.app._ezsp.ezsp_version == version
            assert dongle.ncp.extended  # protocol 8 and later: 16-bit frame control and id

    run(body())


def test_the_installer_pairs_a_bench_meter_by_install_code_through_bellows(
    tmp_path: Path,
) -> None:
    """bellows's own joining API (permit_with_link_key: importTransientKey, the trust centre
    policy, permitJoining); the NCP admits the device only with the key its code hashes to."""
    from device_backend.installer.access import RadioAccess
    from device_backend.installer.install_codes import format_code, parse_pairing
    from device_backend.installer.pairing import Pairing
    from device_backend.virtual_ncp.dongle import VirtualDongle

    async def body() -> None:
        dongle = VirtualDongle(
            "credit-dual-fuel", port=str(tmp_path / "ttyNCP0"), speed=30.0, pairing_bench=True
        )
        await dongle.start()
        from device_backend.facade import Backend

        backend = Backend(f"ezsp:{dongle.path}", zigpy_database=str(tmp_path / "zigpy.db"))
        await backend.start()
        access = RadioAccess(backend)
        try:
            await backend.wait_online(timeout=60)
            meter = dongle.bench.devices[0]  # the replacement electricity meter
            assert not meter.joined
            code = parse_pairing(str(meter.ieee), format_code(meter.install_code))
            steps: list[str] = []
            device = await Pairing(access).pair(
                code, lambda step: steps.append(f"{step.step}:{step.state}"), window_s=30
            )
            assert meter.joined
            assert str(device.ieee) == str(meter.ieee)
            assert "join:done" in steps
            assert dongle.ncp.transient_keys[meter.ieee] != b"ZigBeeAlliance09"
            assert any(d > 0 for d in dongle.ncp.permit_durations)
            # Another bench device, never given its key, stayed out.
            assert not dongle.bench.devices[1].joined
        finally:
            access.close()
            await backend.stop()
            await dongle.stop()

    run(body())

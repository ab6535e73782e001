"""The installer's back end on the simulated HAN: pairing, attributes, health, firmware, backup, capture."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import zigpy.device

from device_backend.facade import Backend
from device_backend.installer.firmware import build_image
from device_backend.installer.install_codes import make_install_code, parse_pairing
from device_backend.installer.pairing import InterviewFailed
from device_backend.installer.service import InstallerService
from device_backend.installer.types import ClusterRef, DongleLost, InstallerError, PairingStep
from tests.support.installer import on_service

METERING = 0x0702


def steps() -> tuple[list[PairingStep], Callable[[PairingStep], None]]:
    seen: list[PairingStep] = []
    return seen, seen.append


def test_a_device_joins_with_its_own_install_code_and_is_configured() -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        label = service.bench_labels()[0]
        seen, note = steps()
        device = await service.pairing.pair(
            parse_pairing(label.ieee, label.install_code), note, window_s=20
        )
        assert [s.step for s in seen if s.state == "done"] == [
            "open joining",
            "join",
            "interview",
            "configure",
        ]
        row = service.inventory.row(device)
        assert row.role == "ESME"
        assert row.model == "ESME (replacement)"
        assert row.firmware == "0x00000101"
        bench_esme = service.bench.devices[0]
        assert bench_esme.reporting[(1, METERING, 0x0400)] == (5, 10)  # demand every 10 s

    on_service(body)


def test_a_wrong_install_code_for_this_device_is_refused_by_the_device() -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        label = service.bench_labels()[1]
        other_devices_code = make_install_code(bytes(range(16)))  # a valid CRC, but not its code
        with pytest.raises(InstallerError, match="install code entered is not this device's"):
            await service.pairing.pair(
                parse_pairing(label.ieee, other_devices_code.hex()), steps()[1], window_s=5
            )
        assert label.ieee not in {r.ieee for r in service.inventory.rows()}

    on_service(body)


def test_a_failed_interview_names_its_step_and_a_retry_completes_it() -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        label = next(lb for lb in service.bench_labels() if "poor link" in lb.name)
        with pytest.raises(InterviewFailed) as failure:
            await service.pairing.pair(parse_pairing("", label.qr_text), steps()[1], window_s=20)
        assert "active endpoint list" in str(failure.value)
        device = await service.pairing.retry_interview(label.ieee, steps()[1])
        assert service.inventory.row(device).role == "IHD"

    on_service(body)


def test_attributes_read_decoded_and_a_writable_one_is_written() -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        ieee = str(backend.home.esme.ieee)
        rows = {
            r.name: r
            for r in await service.clusters.read_all(
                ieee, ClusterRef(1, METERING, "Metering", True)
            )
        }
        assert rows["divisor"].raw == "1000"
        assert rows["instantaneous_demand"].shown.endswith(" kW")
        assert rows["unit_of_measure"].writable is False
        written = await service.clusters.write(
            ieee, ClusterRef(1, 0x0000, "Basic", True), "location_desc", "Hall cupboard"
        )
        assert written.shown == "'Hall cupboard'"
        with pytest.raises(InstallerError, match="read-only"):
            await service.clusters.write(
                ieee, ClusterRef(1, METERING, "Metering", True), "divisor", "1"
            )
        answer = await service.clusters.send(
            ieee,
            ClusterRef(1, 0x0700, "Price", True),
            "get_current_price",
            {"command_options": "0"},
        )
        assert "currency=826" in answer

    on_service(body)


def test_health_check_passes_a_good_meter_and_names_a_wrong_divisor() -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        ieee = str(backend.home.esme.ieee)
        good = await service.health.run(ieee, "alice", observe_s=30)
        assert good.passed, good.text()
        backend.home.esme.set_attributes(1, METERING, {"divisor": 1})  # the x1000 error
        bad = await service.health.run(ieee, "alice", observe_s=30)
        assert not bad.passed
        failed = [r for r in bad.results if r.passed is False]
        assert [r.attribute for r in failed] == ["divisor"]
        assert "x1000" in failed[0].reason
        assert "divisor (0x0302)" in failed[0].reason

    on_service(body)


def test_firmware_update_reports_versions_before_and_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # zigpy waits 10 s for a real device to reboot before reading its version; ours reboots at once.
    monkeypatch.setattr(zigpy.device, "AFTER_OTA_ATTR_READ_DELAY", 0.05)

    async def body(backend: Backend, service: InstallerService) -> None:
        esme = backend.home.esme
        image = tmp_path / "esme-0202.ota"
        image.write_bytes(
            build_image(
                manufacturer_id=esme.manufacturer_code,
                image_type=1,
                file_version=0x00000202,
                payload=bytes(range(256)) * 6,
            )
        )
        fractions: list[float] = []
        outcome = await service.firmware.update(
            str(esme.ieee), image, lambda f, m: fractions.append(f or 0.0)
        )
        assert outcome.succeeded, outcome.message
        assert (outcome.before, outcome.after) == ("0x00000101", "0x00000202")
        assert max(fractions) == 1.0
        assert len(fractions) > 10
        with pytest.raises(InstallerError, match="already runs 0x00000202"):
            await service.firmware.update(str(esme.ieee), image)
        assert str(esme.ieee) in backend.adapters  # live readings continue on the new device object

    on_service(body)


def test_cancelling_an_update_leaves_the_old_version(tmp_path: Path) -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        esme = backend.home.esme
        image = tmp_path / "big.ota"
        image.write_bytes(
            build_image(
                manufacturer_id=esme.manufacturer_code,
                image_type=1,
                file_version=0x00000300,
                payload=bytes(20_000),
            )
        )
        started = asyncio.Event()
        task = asyncio.ensure_future(
            service.firmware.update(
                str(esme.ieee), image, lambda f, m: started.set() if f and f > 0.05 else None
            )
        )
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert esme.firmware_version == 0x00000101
        assert await service.firmware.current_version(str(esme.ieee)) == 0x00000101

    on_service(body)


def test_a_pulled_dongle_ends_an_operation_with_words(tmp_path: Path) -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        ieee = str(backend.home.esme.ieee)
        check = asyncio.ensure_future(service.health.run(ieee, "alice", observe_s=60))
        await asyncio.sleep(0.3)
        service.pull_dongle()
        with pytest.raises(DongleLost, match="dongle"):
            await check
        with pytest.raises(DongleLost, match="Plug it back in"):
            service.inventory.rows()
        service.replug_dongle()
        await backend.wait_online(30)

    on_service(body)


def test_backup_restores_onto_a_blank_replacement_dongle_without_pairing_again(
    tmp_path: Path,
) -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        label = service.bench_labels()[2]
        await service.pairing.pair(
            parse_pairing(label.ieee, label.install_code), steps()[1], window_s=20
        )
        before = service.network.summary()
        path = await service.network.backup(
            tmp_path / "han.gbbak", "correct horse battery", "correct horse battery", "alice"
        )
        assert path.stat().st_mode & 0o077 == 0
        assert (
            b"ZigBeeAlliance09" not in path.read_bytes()
        )  # nothing readable without the passphrase
        with pytest.raises(InstallerError, match="Wrong passphrase"):
            await service.network.read_backup(path, "not the passphrase")
        service.swap_in_blank_dongle()
        await _until(
            lambda: (
                backend.app is not None
                and backend.connection.state.value == "online"
                and service.network.summary().pan_id != before.pan_id
            )
        )
        assert label.ieee not in {
            r.ieee for r in service.inventory.rows()
        }  # a new network: it is outside
        restored = await service.network.restore(path, "correct horse battery")
        assert (restored.channel, restored.pan_id, restored.extended_pan_id) == (
            before.channel,
            before.pan_id,
            before.extended_pan_id,
        )
        await _until(lambda: label.ieee in {r.ieee for r in service.inventory.rows()})

    on_service(body)


def test_change_channel_and_form_a_new_network() -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        energies = await service.network.energy_scan()
        assert sorted(energies) == list(range(11, 27))
        target = service.network.quietest(
            {ch: e for ch, e in energies.items() if ch != service.network.summary().channel}
        )
        assert service.network.summary().channel != target
        moved = await service.network.change_channel(target)
        assert moved.channel == target
        old_pan = moved.pan_id
        formed = await service.network.form(15)
        assert formed.channel == 15
        assert formed.pan_id != old_pan

    on_service(body)


def test_network_map_and_meter_diagnostics() -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        network_map = await service.topology.scan()
        assert len(network_map.nodes) == 3
        assert not network_map.problems
        assert any(link.source == "neighbour table" for link in network_map.links)
        assert service.link_history.of(str(backend.home.esme.ieee))
        backend.home.esme.set_attributes(1, METERING, {"status": 0b0000_0101})
        assert await service.meter_status(str(backend.home.esme.ieee)) == [
            "check meter (an internal fault)",
            "tamper detected",
        ]
        gas = str(backend.home.gas_proxy.ieee)
        backend.home.gas_proxy.set_attributes(1, METERING, {"remaining_battery_life_days": 200})
        battery = await service.battery(gas)
        assert battery.remaining_days == 200
        assert battery.verdict.startswith("Battery low")

    on_service(body)


def test_capture_writes_a_pcap_wireshark_decodes(tmp_path: Path) -> None:
    async def body(backend: Backend, service: InstallerService) -> Path:
        path = tmp_path / "han.pcap"
        counts: list[int] = []
        service.capture.listeners.append(counts.append)
        service.capture.start(path)
        await service.clusters.read_all(
            str(backend.home.esme.ieee), ClusterRef(1, 0x0000, "Basic", True)
        )
        await asyncio.sleep(1.0)  # reports arrive too
        written, frames = service.capture.stop()
        assert frames == counts[-1]
        assert frames > 4
        return written

    path = on_service(body)
    data = path.read_bytes()
    assert int.from_bytes(data[20:24], "little") == 230  # IEEE 802.15.4 without FCS
    tshark = shutil.which("tshark")
    if tshark is None:
        pytest.skip("tshark is not installed; the pcap header was checked")
    out = subprocess.run(
        [tshark, "-r", str(path), "-V"], capture_output=True, text=True, check=True
    ).stdout
    assert "ZigBee Cluster Library Frame" in out
    assert "Profile: Smart Energy (0x0109)" in out
    assert "Simple Metering (0x0702)" in out
    assert "Malformed" not in out


async def _until(condition: Callable[[], Any], timeout: float = 30.0) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        try:
            if condition():
                return
        except InstallerError:
            pass
        if loop.time() > end:
            raise AssertionError("the condition never came true")
        await asyncio.sleep(0.05)

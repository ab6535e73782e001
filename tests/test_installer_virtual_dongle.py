"""The installer toolkit on `ezsp:`: the real widgets, bellows and the virtual EZSP dongle.

Issue 20 item 4: `ihd-installer --target ezsp:...` behaves as on the simulator radio, beyond
pairing: the network map, the health check, an OTA firmware update, and a backup restored
onto a second (blank) virtual dongle. Each test drives the same widgets as
tests/test_installer_gui.py does on the simulator, and expects what an engineer sees there.
The dongles run on their own loops in threads (as `ihd-cli virtual-dongle` runs in its own
process); the toolkit's bellows session runs on the test's qasync loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import installer_tool  # noqa: F401 - pins the Qt binding
from tests.support.installer import esme_image, opened, update_firmware
from tests.support.ncp import SPEED, DongleThread

METERING = 0x0702
SCENARIO = "credit-dual-fuel"


class Sticks:
    """Virtual dongles for one test, stopped at its end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.plugged: list[DongleThread] = []

    def plug(self, name: str) -> DongleThread:
        dongle = DongleThread(SCENARIO, port=str(self.folder / name), speed=SPEED, seed=1)
        self.plugged.append(dongle)
        return dongle

    def unplug(self, dongle: DongleThread) -> None:
        self.plugged.remove(dongle)
        dongle.stop()

    def close(self) -> None:
        for dongle in self.plugged:
            dongle.stop()


@pytest.fixture
def sticks(tmp_path: Path) -> Iterator[Sticks]:
    plugged = Sticks(tmp_path)
    yield plugged
    plugged.close()


def _toolkit(
    qtbot: Any, loop: asyncio.AbstractEventLoop, folder: Path, dongle: DongleThread
) -> Any:
    # The home runs SPEED times faster than real time, and the toolkit's clock with it: the
    # health check watches 35 s of the meter's reports and compares the meter's clock with ours.
    clock = dongle.dongle.home.clock
    return opened(qtbot, loop, folder, target=f"ezsp:{dongle.path}", clock=clock)


def test_network_map_and_health_check_over_bellows(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, sticks: Sticks
) -> None:
    dongle = sticks.plug("ttyNCP0")
    esme = str(dongle.dongle.home.esme.ieee)
    with _toolkit(qtbot, loop, tmp_path / "engineer", dongle) as signed_in:
        page = signed_in.page("diagnostics")
        page.tabs.setCurrentIndex(0)
        signed_in.click("diagnostics-map-scan")
        signed_in.finish(page)
        assert signed_in.text("diagnostics-message").startswith("Network map: ")
        drawn = page.map_view.shown_map
        shown = dict(drawn.nodes)
        assert shown[str(signed_in.backend.app.state.node_info.ieee)] == (
            "Coordinator (this dongle)"
        )
        assert shown[esme].startswith("ESME")
        assert any(link.b == esme and link.source == "last frame" for link in drawn.links)
        assert "Problems" not in signed_in.text("diagnostics-map-notes")

        page.tabs.setCurrentIndex(2)
        page.health_device.pick(esme)
        signed_in.click("diagnostics-health-run")
        signed_in.finish(page)
        assert signed_in.text("diagnostics-health-verdict") == "PASS"
        dongle.call(
            lambda: dongle.dongle.home.esme.set_attributes(1, METERING, {"divisor": 1})
        )  # the meter's x1000 fault
        signed_in.click("diagnostics-health-run")
        signed_in.finish(page)
        verdict = signed_in.text("diagnostics-health-verdict")
        assert verdict.startswith("FAIL")
        assert "Unit, multiplier, divisor and formatting" in verdict
        assert "divisor (0x0302)" in page.health_text.toPlainText()


def test_firmware_update_over_bellows(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    sticks: Sticks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import zigpy.device

    monkeypatch.setattr(
        zigpy.device, "AFTER_OTA_ATTR_READ_DELAY", 0.05
    )  # our meters reboot at once
    dongle = sticks.plug("ttyNCP0")
    esme = dongle.dongle.home.esme
    image = esme_image(tmp_path / "esme.ota", esme)
    with _toolkit(qtbot, loop, tmp_path / "engineer", dongle) as signed_in:
        update_firmware(signed_in, esme, image)
    assert dongle.call(lambda: esme.firmware_version) == 0x00000202  # the meter runs it now


def test_backup_then_restore_onto_a_second_blank_dongle(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, sticks: Sticks
) -> None:
    backup = tmp_path / "han.gbbak"
    first = sticks.plug("ttyNCP0")
    with _toolkit(qtbot, loop, tmp_path / "engineer", first) as signed_in:
        network = signed_in.page("network")
        old_channel = signed_in.text("network-channel")
        old_pan = signed_in.text("network-pan-id")
        old_key = bytes(signed_in.backend.app.state.network_info.network_key.key)
        signed_in.type("backup-path", str(backup))
        signed_in.type("backup-passphrase", "correct horse battery")
        signed_in.type("backup-confirm", "correct horse battery")
        signed_in.click("network-backup")
        signed_in.finish(network)
        assert "Backup saved" in signed_in.text("network-message")
    sticks.unplug(first)  # the old stick is out

    second = sticks.plug("ttyNCP1")  # a blank stick, in the same home
    with _toolkit(qtbot, loop, tmp_path / "engineer-2", second) as signed_in:
        network = signed_in.page("network")
        assert signed_in.text("network-pan-id") != old_pan  # it formed a network of its own
        signed_in.type("restore-path", str(backup))
        signed_in.type("restore-passphrase", "correct horse battery")
        signed_in.click("network-restore")
        signed_in.finish(network)
        message = signed_in.text("network-message")
        assert message.startswith("Restored: channel "), message
        assert signed_in.text("network-channel") == old_channel
        assert signed_in.text("network-pan-id") == old_pan
        assert second.call(lambda: second.dongle.ncp.memory.network_key) == old_key
        signed_in.run(signed_in.backend.wait_for_meters(60))
        signed_in.settle()
        assert signed_in.text("status-connection") == "Radio: online"
        devices = signed_in.page("devices")
        roles = {row.role for row in devices.device_rows()}
        assert {"ESME", "GSME"} <= roles  # the home's meters rejoined, unpaired

"""The installer toolkit driven as an engineer would, on the simulated HAN (pytest-qt, offscreen)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import installer_tool  # noqa: F401 - pins the Qt binding
from device_backend.installer.install_codes import make_install_code
from installer_tool.pages import common
from tests.support.installer import PASSWORD, esme_image, update_firmware

METERING = 0x0702


def test_first_run_makes_the_first_account_then_sign_in_is_checked_and_locks(kit: Any) -> None:
    with kit(sign_in=False) as toolkit:
        assert toolkit.text("signin-title") == "Create the first engineer account"
        toolkit.type("signin-username", "alice")
        toolkit.type("signin-password", "short")
        toolkit.type("signin-confirm", "short")
        toolkit.click("signin-button")
        assert "at least 10 characters" in toolkit.text("signin-feedback")
        toolkit.sign_up()
        assert "Alice Engineer" in toolkit.text("status-engineer")
        toolkit.click("status-sign-out")
        assert toolkit.text("signin-title") == "Sign in"
        for _ in range(5):
            toolkit.type("signin-username", "alice")
            toolkit.type("signin-password", "a wrong guess!")
            toolkit.click("signin-button")
        assert "locked" in toolkit.text("signin-feedback")
        toolkit.type("signin-username", "alice")
        toolkit.type("signin-password", PASSWORD)
        toolkit.click("signin-button")
        assert "locked" in toolkit.text(
            "signin-feedback"
        )  # even the right password waits out the lock
        entries = [(e.engineer, e.action) for e in toolkit.session.audit.entries()]
        assert ("alice", "signed in") in entries
        assert ("alice", "sign-in refused") in entries
        stored = sqlite3.connect(
            toolkit.session.db.conn.execute("PRAGMA database_list").fetchone()[2]
        )
        assert PASSWORD.encode() not in b"".join(
            bytes(str(r), "utf-8") for r in stored.execute("SELECT * FROM engineers")
        )


def test_form_a_network_on_the_channel_the_energy_scan_recommends(
    kit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with kit() as signed_in:
        page = signed_in.page("network")
        signed_in.click("network-scan")
        signed_in.finish(page)
        energies = page.chart.energies
        assert sorted(energies) == list(range(11, 27))
        chosen = page.choice.value()
        assert energies[chosen] == min(energies.values())
        monkeypatch.setattr(common, "confirm", lambda *args: True)
        old_pan = signed_in.text("network-pan-id")
        signed_in.click("network-form")
        signed_in.finish(page)
        assert "New network formed" in signed_in.text("network-message")
        assert signed_in.text("network-channel") == str(chosen)
        assert signed_in.text("network-pan-id") != old_pan
        assert signed_in.text("network-extended-pan-id").count(":") == 7


def test_pair_a_meter_with_its_install_code_and_refuse_wrong_ones(kit: Any) -> None:
    with kit() as signed_in:
        page = signed_in.page("pairing")
        label = signed_in.service.bench_labels()[0]
        signed_in.type("pair-eui64", label.ieee)
        mistyped = label.install_code[:-1] + ("0" if label.install_code[-1] != "0" else "1")
        signed_in.type("pair-code", mistyped)
        assert "CRC" in signed_in.text("pair-check")
        assert "misread" in signed_in.text("pair-check")
        signed_in.type("pair-code", label.install_code[:-5])
        assert "hex digits" in signed_in.text("pair-check")
        signed_in.click("pair-start")
        assert page.operation.task is None  # nothing was sent
        other = make_install_code(bytes(range(16))).hex()  # a good CRC, but another device's code
        signed_in.type("pair-code", other)
        page.window_s.setValue(10)
        signed_in.click("pair-start")
        signed_in.finish(page)
        assert "not this device's" in signed_in.text("pair-message")
        signed_in.type("pair-eui64", label.ieee)
        signed_in.type("pair-code", label.install_code)
        assert "CRC correct" in signed_in.text("pair-check")
        signed_in.type("pair-name", "Electricity meter")
        signed_in.type("pair-location", "Under the stairs")
        page.window_s.setValue(30)
        signed_in.click("pair-start")
        signed_in.finish(page)
        assert "Paired ESME" in signed_in.text("pair-message")
        steps = [page.steps.item(i).text() for i in range(page.steps.count())]
        assert [s.split(":")[0] for s in steps] == [
            "open joining",
            "join",
            "interview",
            "configure",
        ]
        assert all(": OK" in s for s in steps)
        devices = signed_in.page("devices")
        row = next(r for r in devices.device_rows() if r.ieee == label.ieee)
        assert (row.role, row.name, row.location) == (
            "ESME",
            "Electricity meter",
            "Under the stairs",
        )


def test_a_failed_interview_shows_its_step_and_retry_finishes_it(kit: Any) -> None:
    with kit() as signed_in:
        page = signed_in.page("pairing")
        label = next(lb for lb in signed_in.service.bench_labels() if "poor link" in lb.name)
        signed_in.click(
            f"pair-use-{signed_in.service.bench_labels().index(label)}"
        )  # scan its QR code
        page.window_s.setValue(30)
        signed_in.click("pair-start")
        signed_in.finish(page)
        assert "interview failed at the active endpoint list" in signed_in.text("pair-message")
        signed_in.click("pair-retry")
        signed_in.finish(page)
        assert "Interviewed IHD" in signed_in.text("pair-message")


def test_read_and_write_an_attribute_and_send_a_command(kit: Any) -> None:
    with kit() as signed_in:
        page = signed_in.page("devices")
        esme = str(signed_in.backend.home.esme.ieee)
        page.select(esme)
        page.choose_cluster(METERING)
        signed_in.click("devices-read")
        signed_in.finish(page)
        shown = {v.name: v.shown for v in page.attributes}
        assert shown["divisor"] == "1000"
        assert shown["instantaneous_demand"].endswith("kW")
        assert shown["status"] == "all clear"
        page.choose_cluster(0x0000)
        signed_in.click("devices-read")
        signed_in.finish(page)
        page.write_name.setCurrentText("location_desc")
        signed_in.type("devices-write-value", "Hall cupboard")
        signed_in.click("devices-write")
        signed_in.finish(page)
        assert "Hall cupboard" in signed_in.text("devices-message")
        assert {v.name: v.shown for v in page.attributes}["location_desc"] == "'Hall cupboard'"
        page.tools.setCurrentIndex(1)  # the Commands tab
        page.choose_cluster(0x0700)
        page.choose_command("get_current_price")
        signed_in.type("field-command_options", "0")
        signed_in.click("devices-send")
        signed_in.finish(page)
        assert "currency=826" in signed_in.text("devices-message")


def test_health_check_passes_a_good_meter_and_fails_a_wrong_divisor_by_name(
    kit: Any, tmp_path: Path
) -> None:
    with kit() as signed_in:
        page = signed_in.page("diagnostics")
        page.tabs.setCurrentIndex(2)
        page.health_device.pick(str(signed_in.backend.home.esme.ieee))
        signed_in.click("diagnostics-health-run")
        signed_in.finish(page)
        assert signed_in.text("diagnostics-health-verdict") == "PASS"
        signed_in.backend.home.esme.set_attributes(
            1, METERING, {"divisor": 1}
        )  # the meter's x1000 fault
        signed_in.click("diagnostics-health-run")
        signed_in.finish(page)
        verdict = signed_in.text("diagnostics-health-verdict")
        assert verdict.startswith("FAIL")
        assert "Unit, multiplier, divisor and formatting" in verdict
        report = page.health_text.toPlainText()
        assert "divisor (0x0302)" in report
        assert "x1000" in report
        signed_in.type("diagnostics-health-path", str(tmp_path / "health.txt"))
        signed_in.click("diagnostics-health-save")
        assert (tmp_path / "health.txt").read_text().startswith("HAN health check")


def test_update_firmware_and_see_the_new_version(
    kit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with kit() as signed_in:
        import zigpy.device

        monkeypatch.setattr(
            zigpy.device, "AFTER_OTA_ATTR_READ_DELAY", 0.05
        )  # our meters reboot at once
        esme = signed_in.backend.home.esme
        update_firmware(signed_in, esme, esme_image(tmp_path / "esme.ota", esme))
        (tmp_path / "junk.ota").write_bytes(b"not an image at all")
        signed_in.type("firmware-image", str(tmp_path / "junk.ota"))
        signed_in.click("firmware-update")
        assert "not a ZigBee OTA upgrade file" in signed_in.text("firmware-message")


def test_pulling_the_dongle_mid_operation_shows_a_clear_state(
    kit: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with kit() as signed_in:
        page = signed_in.page("diagnostics")
        page.tabs.setCurrentIndex(2)
        signed_in.click("diagnostics-health-run")
        signed_in.run(asyncio.sleep(0.3))
        signed_in.service.pull_dongle()
        signed_in.finish(page)
        message = signed_in.text("diagnostics-message")
        assert message.startswith("The dongle was disconnected during the health check")
        assert "Plug it back in" in message
        assert "OFFLINE" in signed_in.text("status-connection")
        assert "Traceback" not in caplog.text
        signed_in.service.replug_dongle()
        signed_in.run(signed_in.backend.wait_online(30))
        signed_in.run(signed_in.backend.wait_for_meters(30))
        signed_in.settle()
        assert signed_in.text("status-connection") == "Radio: online"


def test_capture_counts_frames_and_saves_a_pcap(kit: Any, tmp_path: Path) -> None:
    with kit() as signed_in:
        page = signed_in.page("diagnostics")
        page.tabs.setCurrentIndex(4)
        signed_in.type("diagnostics-capture-path", str(tmp_path / "han.pcap"))
        signed_in.click("diagnostics-capture-start")
        signed_in.run(asyncio.sleep(1.0))
        assert signed_in.text("diagnostics-capture-count").startswith("Capturing: ")
        signed_in.click("diagnostics-capture-stop")
        assert signed_in.text("diagnostics-capture-count").startswith("Saved ")
        data = (tmp_path / "han.pcap").read_bytes()
        assert int.from_bytes(data[20:24], "little") == 230
        assert len(data) > 100


@pytest.mark.security
def test_a_capture_stars_out_top_up_codes_unless_asked_to_keep_them(
    kit: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QCheckBox

    with kit() as signed_in:
        page = signed_in.page("diagnostics")
        page.tabs.setCurrentIndex(4)
        keep = signed_in.find(QCheckBox, "diagnostics-capture-keep-utrns")
        assert keep.text() == "Keep top-up codes whole"
        assert not keep.isChecked()  # masked unless the engineer asks
        for name, kept in (("masked.pcap", False), ("whole.pcap", True)):
            keep.setChecked(kept)
            signed_in.type("diagnostics-capture-path", str(tmp_path / name))
            signed_in.click("diagnostics-capture-start")
            assert signed_in.service.capture.keep_utrns is kept
            signed_in.click("diagnostics-capture-stop")
        assert "top-up codes kept whole" in json.dumps(
            [e.detail for e in signed_in.session.audit.entries()]
        )


def test_no_key_or_install_code_in_logs_exports_or_the_audit_log(
    kit: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with kit() as signed_in:
        from device_backend import logs
        from device_backend.installer.install_codes import parse_pairing

        caplog.handler.addFilter(logs.RedactingFilter())  # as the application's log handler does
        caplog.set_level(logging.DEBUG)
        label = signed_in.service.bench_labels()[2]
        page = signed_in.page("pairing")
        signed_in.type("pair-eui64", label.ieee)
        signed_in.type("pair-code", label.install_code)
        page.window_s.setValue(30)
        signed_in.click("pair-start")
        signed_in.finish(page)
        assert "Paired load switch" in signed_in.text("pair-message")
        network = signed_in.page("network")
        signed_in.type("backup-path", str(tmp_path / "han.gbbak"))
        signed_in.type("backup-passphrase", "correct horse battery")
        signed_in.type("backup-confirm", "correct horse battery")
        signed_in.click("network-backup")
        signed_in.finish(network)
        assert "Backup saved" in signed_in.text("network-message")
        diagnostics = signed_in.page("diagnostics")
        diagnostics.tabs.setCurrentIndex(5)  # the event log
        signed_in.type("diagnostics-export-path", str(tmp_path / "audit.jsonl"))
        signed_in.click("diagnostics-export")
        network_key = bytes(signed_in.backend.app.state.network_info.network_key.key)
        link_key = parse_pairing(label.ieee, label.install_code).link_key
        code = label.install_code.replace(" ", "")
        secrets = [
            code,
            code.lower(),
            link_key.hex(),
            network_key.hex(),
            network_key.hex(":"),
            link_key.hex(":"),
            label.install_code,
        ]
        audit_export = (tmp_path / "audit.jsonl").read_text()
        audit_rows = "\n".join(str(e) for e in signed_in.session.audit.entries())
        for secret in secrets:
            assert secret.lower() not in caplog.text.lower()
            assert secret.lower() not in audit_export.lower()
            assert secret.lower() not in audit_rows.lower()
        assert network_key not in (tmp_path / "han.gbbak").read_bytes()
        assert label.ieee in audit_export  # the EUI-64 stays: the engineer's record needs it
        assert diagnostics.events.count() > 0


def test_screenshot_option_writes_each_screen(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for screen in ("devices", "survey"):
        out = tmp_path / f"{screen}.png"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "installer_tool.main",
                "--screenshot",
                str(out),
                "--screen",
                screen,
                "--size",
                "1366x768",
            ],
            check=True,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert out.read_bytes().startswith(b"\x89PNG")


def test_an_unencrypted_backup_is_saved_only_after_the_warning_is_accepted(
    kit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zigpy.backups

    path = tmp_path / "for-zha.json"
    with kit() as signed_in:
        page = signed_in.page("network")
        asked: list[str] = []

        def answer(reply: bool) -> Any:
            return lambda _parent, title, text: asked.append(f"{title} {text}") or reply

        signed_in.type("backup-path", str(path))
        monkeypatch.setattr(common, "confirm", answer(False))
        signed_in.click("network-export-plain")
        assert "plain text" in asked[-1]
        assert not path.exists()  # declined: nothing written
        monkeypatch.setattr(common, "confirm", answer(True))
        signed_in.click("network-export-plain")
        signed_in.finish(page)
        assert "Unencrypted backup saved" in signed_in.text("network-message")
        entries = "\n".join(str(e) for e in signed_in.session.audit.entries())
        assert "unencrypted" in entries
    backup = zigpy.backups.NetworkBackup.from_dict(json.loads(path.read_text(encoding="utf-8")))
    assert backup.is_complete()
    assert path.stat().st_mode & 0o077 == 0

"""The installer reads, shows, exports and (confirmed) clears a meter's event logs, and shows
its event configuration; the attribute browser and command sender reach the new clusters."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QTableWidget

import installer_tool  # noqa: F401 - pins the Qt binding
from device_backend.installer.types import ClusterRef
from installer_tool.pages import common, meter_logs

DEVICE_MANAGEMENT, EVENTS = 0x0708, 0x0709


def _cells(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _happenings(toolkit: Any) -> None:
    """Things happen at the simulated meter: someone opens it, then a tariff changes."""
    home = toolkit.backend.home
    home.admin.tamper(home.clock.now())
    home.admin.tariff_changed(home.clock.now(), future_dated=True)


def _choose_meter(toolkit: Any) -> str:
    picker = toolkit.find(QComboBox, "diagnostics-logs-device")
    esme = toolkit.backend.home.esme
    index = picker.findData(str(esme.ieee))
    assert index >= 0, "the electricity meter is not offered"
    picker.setCurrentIndex(index)
    return str(esme.ieee)


def test_read_show_export_and_clear_the_meters_event_log(
    kit: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with kit() as signed_in:
        page = signed_in.page("diagnostics")
        page.tabs.setCurrentWidget(page.meter_logs)
        _happenings(signed_in)
        ieee = _choose_meter(signed_in)
        signed_in.click("meter-logs-read")
        signed_in.finish(page)
        rows = _cells(signed_in.find(QTableWidget, "meter-logs-table"))
        # GBCS codes and names as Wireshark's GBCS dissector gives them; newest first.
        assert [r[2:4] for r in rows] == [
            ["0x8F66", "Future date HAN Interface Command Successfully Actioned"],
            ["0x8F3F", "Unauthorised Physical Access - Tamper Detect"],
        ]
        assert rows[1][1] == "GBCS security log"
        assert "2 events across all logs" in signed_in.text("meter-logs-summary")

        # Export: the dialog suggests a CSV named after the meter; JSON when asked for.
        suggested: list[str] = []
        target = tmp_path / "log.json"

        def dialog(_parent: Any, default: str) -> str:
            suggested.append(default)
            return str(target)

        monkeypatch.setattr(meter_logs, "choose_export_path", dialog)
        signed_in.click("meter-logs-export")
        assert Path(suggested[0]).name.startswith(f"event-log-{ieee.replace(':', '')[-6:]}-")
        assert suggested[0].endswith(".csv")
        exported = json.loads(target.read_text(encoding="utf-8"))
        assert exported[0]["event_id"] == "0x8F66"
        assert exported[1]["log"] == "GBCS security log"
        as_csv = tmp_path / "log.csv"
        monkeypatch.setattr(meter_logs, "choose_export_path", lambda *_: str(as_csv))
        signed_in.click("meter-logs-export")
        with as_csv.open(encoding="utf-8") as handle:
            assert [r["event"] for r in csv.DictReader(handle)][1] == (
                "Unauthorised Physical Access - Tamper Detect"
            )
        assert f"Exported 2 events to {as_csv}" in signed_in.text("diagnostics-message")

        # Clearing asks first; "no" leaves the meter's log as it was.
        asked: list[str] = []
        monkeypatch.setattr(common, "confirm", lambda _p, title, text: asked.append(text) or False)
        signed_in.click("meter-logs-clear")
        assert "cannot be undone" in asked[0]
        assert signed_in.text("diagnostics-message") == "Nothing was cleared."
        assert len(toolkit_logs(signed_in)) == 2
        monkeypatch.setattr(common, "confirm", lambda *_: True)
        signed_in.click("meter-logs-clear")
        signed_in.finish(page)
        message = signed_in.text("diagnostics-message")
        assert "GBCS general event log" in message
        assert "kept its security log" in message
        assert signed_in.find(QTableWidget, "meter-logs-table").rowCount() == 0
        signed_in.click("meter-logs-read")
        signed_in.finish(page)
        rows = _cells(signed_in.find(QTableWidget, "meter-logs-table"))
        # The tamper stays (security log), and the clearing itself is logged there.
        assert [r[3] for r in rows] == [
            "Event Log Cleared",
            "Unauthorised Physical Access - Tamper Detect",
        ]
        audit = "\n".join(str(e) for e in signed_in.session.audit.entries())
        assert "clearing the meter's event log" in audit
        assert "exported a meter event log" in audit


def toolkit_logs(toolkit: Any) -> list[Any]:
    """What the simulated meter holds, to show a refused clear changed nothing."""
    logs = toolkit.backend.home.admin.logs
    return [e for log in logs.logs.values() for e in log]


def test_the_event_configuration_is_shown(kit: Any) -> None:
    with kit() as signed_in:
        page = signed_in.page("diagnostics")
        page.tabs.setCurrentWidget(page.meter_logs)
        _choose_meter(signed_in)
        signed_in.click("meter-logs-config")
        signed_in.finish(page)
        rows = {
            r[0]: r[1:] for r in _cells(signed_in.find(QTableWidget, "meter-logs-config-table"))
        }
        assert rows["0x8F3F"] == [
            "Unauthorised Physical Access - Tamper Detect",
            "security log",
            "WAN",
        ]
        assert rows["0x8F32"] == ["Supply Armed", "general event log", "WAN, HAN"]
        assert "events configured" in signed_in.text("meter-logs-config-summary")


def test_attribute_browser_and_command_sender_cover_the_new_clusters(kit: Any) -> None:
    with kit() as signed_in:
        service = signed_in.service
        ieee = str(signed_in.backend.home.esme.ieee)
        refs = {r.cluster_id: r for r in service.clusters.clusters(ieee)}
        assert {DEVICE_MANAGEMENT, EVENTS} <= set(refs)
        rows = {
            a.name: a.shown
            for a in signed_in.run(service.clusters.read_all(ieee, refs[DEVICE_MANAGEMENT]))
        }
        assert rows["provider_name"] == "'Simulated Energy'"
        names = {c.name for c in service.clusters.commands(ieee, refs[EVENTS])}
        assert names == {"get_event_log", "clear_event_log_request"}
        dm = {c.name for c in service.clusters.commands(ieee, refs[DEVICE_MANAGEMENT])}
        assert {"get_change_of_supplier", "get_site_id", "get_cin"} <= dm
        answer = signed_in.run(
            service.clusters.send(ieee, refs[DEVICE_MANAGEMENT], "get_site_id", {})
        )
        assert "site_id=31 32 30 30" in answer  # the MPAN core's digits, as octets
        client = ClusterRef(refs[EVENTS].endpoint, EVENTS, refs[EVENTS].label, True)
        answer = signed_in.run(
            service.clusters.send(ieee, client, "clear_event_log_request", {"log_id": "Fault_Log"})
        )
        assert "cleared_events_logs" in answer

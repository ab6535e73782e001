"""Diagnostics: network map, link history, health check, meter status and battery, capture, events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from device_backend.api import model
from device_backend.installer.api import AuditEntry, HealthReport, InstallerError, NetworkMap
from installer_tool.operation import Operation, OperationPanel
from installer_tool.pages import common
from installer_tool.pages.meter_logs import MeterLogsTab
from installer_tool.pages.netmap import NetworkMapView
from installer_tool.session import Session

METER_ROLES = ("ESME", "GSME")


class DevicePicker(QComboBox):
    """The devices of the HAN (or only its meters), by role and EUI-64."""

    def __init__(
        self, name: str, session: Session, *, meters_only: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.session = session
        self.meters_only = meters_only

    def refresh(self) -> None:
        current = self.currentData()
        self.clear()
        try:
            rows = self.session.service.inventory.rows()
        except InstallerError:
            return
        for row in rows:
            if self.meters_only and row.role not in METER_ROLES:
                continue
            self.addItem(f"{row.role} {row.model} ({row.ieee})", row.ieee)
        if current:
            self.pick(current)

    def pick(self, ieee: str) -> None:
        index = self.findData(ieee)
        if index >= 0:
            self.setCurrentIndex(index)


class DiagnosticsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation = Operation(session, self)
        self.report: HealthReport | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("diagnostics-tabs")
        self.tabs.addTab(self._map_tab(), "Network map")
        self.tabs.addTab(self._links_tab(), "Link quality")
        self.tabs.addTab(self._health_tab(), "Health check")
        self.tabs.addTab(self._meter_tab(), "Meter status and battery")
        self.tabs.addTab(self._capture_tab(), "Packet capture")
        self.tabs.addTab(self._events_tab(), "Event log")
        self.logs_device = DevicePicker(
            "diagnostics-logs-device", self.session, meters_only=True, parent=self
        )
        self.meter_logs = MeterLogsTab(session, self.operation, self.logs_device, self)
        self.tabs.addTab(self.meter_logs, "Meter event logs")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(OperationPanel(self.operation, "diagnostics", self))
        session.audited.connect(self._audit_entry)
        session.connection.connect(self._connection)
        session.device_change.connect(self._device_change)

    # -- tabs --------------------------------------------------------------------------

    def _map_tab(self) -> QWidget:
        tab = QWidget(self)
        self.map_view = NetworkMapView(tab)
        scan = QPushButton("Read neighbour and routing tables", tab)
        scan.setObjectName("diagnostics-map-scan")
        scan.clicked.connect(self.scan_map)
        self.map_notes = QLabel(self.map_view.legend_text, tab)
        self.map_notes.setObjectName("diagnostics-map-notes")
        self.map_notes.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.map_view, 1)
        row = QHBoxLayout()
        row.addWidget(scan)
        row.addWidget(self.map_notes, 1)
        layout.addLayout(row)
        return tab

    def _links_tab(self) -> QWidget:
        tab = QWidget(self)
        self.link_device = DevicePicker(
            "diagnostics-link-device", self.session, meters_only=False, parent=tab
        )
        self.link_device.currentIndexChanged.connect(lambda _: self.show_link_history())
        self.link_plot = pg.PlotWidget(tab, axisItems={"bottom": pg.DateAxisItem()})
        self.link_plot.setObjectName("diagnostics-link-plot")
        self.link_plot.setBackground("w")
        self.link_plot.setLabel("left", "LQI (0-255)")
        self.link_plot.setYRange(0, 255)
        self.link_curve = self.link_plot.plot(
            [], [], pen=pg.mkPen("#1c5d99", width=2), symbol="o", symbolSize=5
        )
        self.link_summary = QLabel("", tab)
        self.link_summary.setObjectName("diagnostics-link-summary")
        layout = QVBoxLayout(tab)
        layout.addWidget(self.link_device)
        layout.addWidget(self.link_plot, 1)
        layout.addWidget(self.link_summary)
        return tab

    def _health_tab(self) -> QWidget:
        tab = QWidget(self)
        self.health_device = DevicePicker(
            "diagnostics-health-device", self.session, meters_only=True, parent=tab
        )
        run = QPushButton("Run HAN health check", tab)
        run.setObjectName("diagnostics-health-run")
        run.clicked.connect(self.run_health_check)
        self.health_verdict = QLabel("", tab)
        self.health_verdict.setObjectName("diagnostics-health-verdict")
        self.health_verdict.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.health_text = QPlainTextEdit(tab)
        self.health_text.setObjectName("diagnostics-health-report")
        self.health_text.setReadOnly(True)
        self.health_path = common.PathField(
            "diagnostics-health-path", "Save health report", "Text (*.txt)", save=True, parent=tab
        )
        save = QPushButton("Save report", tab)
        save.setObjectName("diagnostics-health-save")
        save.clicked.connect(self.save_report)
        row = QHBoxLayout()
        row.addWidget(self.health_device, 1)
        row.addWidget(run)
        save_row = QHBoxLayout()
        save_row.addWidget(self.health_path, 1)
        save_row.addWidget(save)
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.health_verdict)
        layout.addWidget(self.health_text, 1)
        layout.addLayout(save_row)
        return tab

    def _meter_tab(self) -> QWidget:
        tab = QWidget(self)
        self.meter_device = DevicePicker(
            "diagnostics-meter-device", self.session, meters_only=True, parent=tab
        )
        status = QPushButton("Read status bits", tab)
        status.setObjectName("diagnostics-status")
        status.clicked.connect(self.read_status)
        battery = QPushButton("Battery life projection (gas)", tab)
        battery.setObjectName("diagnostics-battery")
        battery.clicked.connect(self.read_battery)
        self.meter_words = QLabel("", tab)
        self.meter_words.setObjectName("diagnostics-meter-words")
        self.meter_words.setWordWrap(True)
        self.meter_words.setStyleSheet("font-size: 15px;")
        row = QHBoxLayout()
        row.addWidget(self.meter_device, 1)
        row.addWidget(status)
        row.addWidget(battery)
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.meter_words)
        layout.addStretch(1)
        return tab

    def _capture_tab(self) -> QWidget:
        tab = QWidget(self)
        self.capture_path = common.PathField(
            "diagnostics-capture-path", "Save capture", "pcap (*.pcap)", save=True, parent=tab
        )
        self.capture_start = QPushButton("Start capture", tab)
        self.capture_start.setObjectName("diagnostics-capture-start")
        self.capture_start.clicked.connect(self.start_capture)
        self.capture_stop = QPushButton("Stop", tab)
        self.capture_stop.setObjectName("diagnostics-capture-stop")
        self.capture_stop.setEnabled(False)
        self.capture_stop.clicked.connect(self.stop_capture)
        # Top-up codes are starred out but their last four digits, unless the engineer asks:
        # a capture is often sent on to others, and a UTRN is money.
        self.capture_keep_utrns = QCheckBox("Keep top-up codes whole", tab)
        self.capture_keep_utrns.setObjectName("diagnostics-capture-keep-utrns")
        self.capture_keep_utrns.setToolTip(
            "Off: all but the last four digits of each UTRN are written as *, and the frames "
            "still decode. On: the codes are kept, for a fault that needs them."
        )
        self.capture_count = QLabel("Not capturing.", tab)
        self.capture_count.setObjectName("diagnostics-capture-count")
        self.capture_count.setStyleSheet("font-size: 18px;")
        note = QLabel(
            "The file opens in Wireshark (IEEE 802.15.4, ZigBee NWK/APS, Smart Energy ZCL). It "
            "holds no keys: frames are written unencrypted. Top-up codes show only their last "
            "four digits unless you keep them whole.",
            tab,
        )
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.capture_path, 1)
        row.addWidget(self.capture_start)
        row.addWidget(self.capture_stop)
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.capture_keep_utrns)
        layout.addWidget(self.capture_count)
        layout.addWidget(note)
        layout.addStretch(1)
        return tab

    def _events_tab(self) -> QWidget:
        tab = QWidget(self)
        self.events = QListWidget(tab)
        self.events.setObjectName("diagnostics-events")
        self.export_path = common.PathField(
            "diagnostics-export-path",
            "Export audit log",
            "JSON lines (*.jsonl)",
            save=True,
            parent=tab,
        )
        export = QPushButton("Export audit log", tab)
        export.setObjectName("diagnostics-export")
        export.clicked.connect(self.export_audit)
        row = QHBoxLayout()
        row.addWidget(self.export_path, 1)
        row.addWidget(export)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.events, 1)
        layout.addLayout(row)
        return tab

    # -- behaviour ---------------------------------------------------------------------

    def on_shown(self) -> None:
        for picker in (
            self.link_device,
            self.health_device,
            self.meter_device,
            self.logs_device,
        ):
            picker.refresh()
        if not self.events.count():
            for entry in reversed(self.session.audit.entries(limit=200)):
                self._audit_entry(entry)
        self.show_link_history()

    def scan_map(self) -> None:
        topology = self.session.service.topology

        def done(network_map: NetworkMap) -> str:
            self.map_view.show_map(network_map)
            notes = self.map_view.legend_text
            if network_map.problems:
                notes += " Problems: " + "; ".join(network_map.problems)
            self.map_notes.setText(notes)
            self.show_link_history()
            return f"Network map: {len(network_map.nodes)} nodes, {len(network_map.links)} links."

        self.operation.start("reading the network map", lambda p: topology.scan(p), describe=done)

    def show_link_history(self) -> None:
        ieee = self.link_device.currentData()
        if not ieee or self.session.service is None:
            return
        samples = self.session.service.link_history.of(ieee)
        points = [(s.time.timestamp(), s.lqi) for s in samples if s.lqi is not None]
        self.link_curve.setData([p[0] for p in points], [p[1] for p in points])
        if points:
            lqis = [p[1] for p in points]
            self.link_summary.setText(
                f"{len(points)} samples: LQI now {lqis[-1]}, lowest {min(lqis)}, "
                f"highest {max(lqis)}."
            )
        else:
            self.link_summary.setText("No link samples yet for this device.")

    def run_health_check(self) -> None:
        ieee = self.health_device.currentData()
        if not ieee:
            self.operation.finished.emit(False, "Choose a paired meter to check.", None)
            return
        health, who = self.session.service.health, self.session.who

        def done(report: HealthReport) -> str:
            self.report = report
            self.health_text.setPlainText(report.text())
            failed = [r for r in report.results if r.passed is False]
            self.health_verdict.setText(
                "PASS" if report.passed else "FAIL: " + ", ".join(r.name for r in failed)
            )
            self.health_verdict.setStyleSheet(
                "font-size: 18px; font-weight: bold; color: %s;"
                % ("#1b6e2a" if report.passed else "#b00020")
            )
            self.session.record(
                "health check result",
                f"{ieee}",
                "pass"
                if report.passed
                else "fail: " + "; ".join(f"{r.name} ({r.attribute})" for r in failed),
            )
            return f"Health check {'passed' if report.passed else 'failed'}: see the report."

        self.operation.start(
            "the health check", lambda p: health.run(ieee, who, p), detail=ieee, describe=done
        )

    def save_report(self) -> None:
        path = self.health_path.text()
        if self.report is None or not path:
            self.operation.finished.emit(
                False, "Run a health check, then choose where to save its report.", None
            )
            return
        try:
            Path(path).write_text(self.report.text(), encoding="utf-8")
        except OSError as exc:
            self.operation.finished.emit(
                False, f"Could not save to {path}: {exc.strerror}. Choose another folder.", None
            )
            return
        self.session.record("saved a health report", Path(path).name)
        self.operation.finished.emit(True, f"Report saved to {path}.", None)

    def read_status(self) -> None:
        ieee = self.meter_device.currentData()
        if not ieee:
            self.operation.finished.emit(False, "Choose a meter.", None)
            return
        service = self.session.service

        def done(words: list[str]) -> str:
            self.meter_words.setText("Status: " + "; ".join(words))
            return "Status read."

        self.operation.start(
            "reading the meter status",
            lambda p: service.meter_status(ieee),
            detail=ieee,
            describe=done,
        )

    def read_battery(self) -> None:
        ieee = self.meter_device.currentData()
        if not ieee:
            self.operation.finished.emit(False, "Choose the gas meter.", None)
            return
        service = self.session.service

        def done(projection: Any) -> str:
            self.meter_words.setText(projection.verdict)
            return "Battery projection read."

        self.operation.start(
            "the battery projection", lambda p: service.battery(ieee), detail=ieee, describe=done
        )

    def start_capture(self) -> None:
        path = self.capture_path.text()
        if not path:
            self.operation.finished.emit(
                False, "Choose where to save the capture (a .pcap file).", None
            )
            return
        capture = self.session.service.capture
        try:
            capture.start(Path(path), keep_utrns=self.capture_keep_utrns.isChecked())
        except InstallerError as exc:
            self.session.record("packet capture", Path(path).name, f"failed: {exc}")
            self.operation.finished.emit(False, str(exc), exc)
            return
        capture.listeners.append(self._count)
        kept = " (top-up codes kept whole)" if self.capture_keep_utrns.isChecked() else ""
        self.session.record("packet capture started", Path(path).name + kept)
        self.capture_start.setEnabled(False)
        self.capture_stop.setEnabled(True)
        self.capture_count.setText("Capturing: 0 frames")

    def _count(self, frames: int) -> None:
        self.capture_count.setText(f"Capturing: {frames} frames")

    def stop_capture(self) -> None:
        capture = self.session.service.capture
        if self._count in capture.listeners:
            capture.listeners.remove(self._count)
        try:
            path, frames = capture.stop()
        except InstallerError as exc:
            self.operation.finished.emit(False, str(exc), exc)
            return
        self.session.record("packet capture stopped", f"{path.name}, {frames} frames")
        self.capture_start.setEnabled(True)
        self.capture_stop.setEnabled(False)
        self.capture_count.setText(f"Saved {frames} frames to {path}.")

    def export_audit(self) -> None:
        path = self.export_path.text()
        if not path:
            self.operation.finished.emit(False, "Choose where to save the audit log.", None)
            return
        try:
            written = self.session.audit.export(Path(path))
        except OSError as exc:
            self.operation.finished.emit(False, f"Could not write {path}: {exc.strerror}.", None)
            return
        self.session.record("exported the audit log", written.name)
        self.operation.finished.emit(True, f"Audit log exported to {written}.", None)

    def _audit_entry(self, entry: AuditEntry) -> None:
        self.events.insertItem(
            0,
            f"{entry.time}  {entry.engineer}: {entry.action}"
            f"{' - ' + entry.detail if entry.detail else ''} [{entry.outcome}]",
        )

    def _connection(self, event: model.Connection) -> None:
        self.events.insertItem(
            0,
            f"{event.time.isoformat(timespec='seconds')}  radio: {event.state.value}"
            f"{' - ' + event.reason if event.reason else ''}",
        )

    def _device_change(self, event: model.DeviceChange) -> None:
        self.events.insertItem(
            0,
            f"{event.time.isoformat(timespec='seconds')}  device {event.kind}: "
            f"{event.device.role} {event.device.ieee}",
        )

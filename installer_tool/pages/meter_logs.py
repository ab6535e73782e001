"""The meter's own event logs and event configuration: read, show, export, clear (confirmed)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from device_backend.installer.api import (
    LOGS,
    EventConfigRow,
    InstallerError,
    MeterEventRow,
    export_events,
)
from installer_tool.operation import Operation
from installer_tool.pages import common
from installer_tool.session import Session

EVENT_COLUMNS = ("Time (UTC)", "Log", "Code", "Event", "Data")
CONFIG_COLUMNS = ("Code", "Event", "Logged to", "Tells")
EXPORT_FILTERS = "CSV (*.csv);;JSON (*.json)"


def choose_export_path(parent: QWidget, suggested: str) -> str:
    """The save dialog (tests replace this with their answer); "" when cancelled."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export the meter's event log", suggested, EXPORT_FILTERS
    )
    return path


def _table(name: str, columns: tuple[str, ...], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


class MeterLogsTab(QWidget):
    """Lives in Diagnostics; the device picker and the operation panel are the page's."""

    def __init__(
        self, session: Session, operation: Operation, picker: QComboBox, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.operation = operation
        self.picker = picker
        self.rows: list[MeterEventRow] = []
        self.log = QComboBox(self)
        self.log.setObjectName("meter-logs-log")
        self.log.addItems(list(LOGS))
        buttons = [
            ("meter-logs-read", "Read event log", self.read),
            ("meter-logs-export", "Export...", self.export),
            ("meter-logs-clear", "Clear log...", self.clear),
            ("meter-logs-config", "Show event configuration", self.read_configuration),
        ]
        row = QHBoxLayout()
        row.addWidget(QLabel("Meter:", self))
        row.addWidget(picker, 1)
        row.addWidget(QLabel("Log:", self))
        row.addWidget(self.log)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in buttons:
            b = QPushButton(text, self)
            b.setObjectName(name)
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[name] = b
        self.summary = QLabel("Read a meter's event log to see it here.", self)
        self.summary.setObjectName("meter-logs-summary")
        self.summary.setWordWrap(True)
        self.events = _table("meter-logs-table", EVENT_COLUMNS, self)
        self.config_summary = QLabel("", self)
        self.config_summary.setObjectName("meter-logs-config-summary")
        self.config = _table("meter-logs-config-table", CONFIG_COLUMNS, self)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.events, 3)
        layout.addWidget(self.config_summary)
        layout.addWidget(self.config, 2)

    def _meter(self) -> str | None:
        ieee = self.picker.currentData()
        if not ieee:
            self.operation.finished.emit(False, "Choose the electricity meter first.", None)
        return ieee

    def read(self) -> None:
        ieee = self._meter()
        if not ieee:
            return
        log = self.log.currentText()
        logs = self.session.service.meter_logs

        def done(rows: list[MeterEventRow]) -> str:
            self.rows = rows
            _fill(
                self.events,
                [(r.time, r.log, f"0x{r.event_id:04X}", r.event, r.data) for r in rows],
            )
            where = "across all logs" if log == "All logs" else f"in the {log.lower()}"
            words = f"{len(rows)} event{'s' if len(rows) != 1 else ''} {where}"
            self.summary.setText(f"{words} of {ieee}, newest first.")
            return f"Read {words}."

        self.operation.start(
            "reading the meter's event log",
            lambda p: logs.read(ieee, log, p),
            detail=f"{ieee} {log}",
            describe=done,
        )

    def export(self) -> None:
        if not self.rows:
            self.operation.finished.emit(False, "Read an event log first, then export it.", None)
            return
        ieee = str(self.picker.currentData() or "meter")
        stamp = self.session.service.backend.clock.now().strftime("%Y%m%d-%H%M")
        suggested = str(Path.home() / f"event-log-{ieee.replace(':', '')[-6:]}-{stamp}.csv")
        path = choose_export_path(self, suggested)
        if not path:
            return
        try:
            written = export_events(self.rows, Path(path))
        except InstallerError as exc:
            self.operation.finished.emit(False, str(exc), exc)
            return
        self.session.record("exported a meter event log", f"{ieee} to {written.name}")
        self.operation.finished.emit(True, f"Exported {len(self.rows)} events to {written}.", None)

    def clear(self) -> None:
        ieee = self._meter()
        if not ieee:
            return
        log = self.log.currentText()
        if not common.confirm(
            self,
            "Clear the meter's event log?",
            f"This deletes the {log.lower()} on the meter {ieee}. It cannot be undone. "
            "Export it first if it may be needed. Clear it now?",
        ):
            self.operation.finished.emit(False, "Nothing was cleared.", None)
            return
        logs = self.session.service.meter_logs

        def done(words: str) -> str:
            self.rows = []
            _fill(self.events, [])
            self.summary.setText(words + " Read the log again to see what it now holds.")
            return words

        self.operation.start(
            "clearing the meter's event log",
            lambda p: logs.clear(ieee, log),
            detail=f"{ieee} {log}",
            describe=done,
        )

    def read_configuration(self) -> None:
        ieee = self._meter()
        if not ieee:
            return
        logs = self.session.service.meter_logs

        def done(rows: list[EventConfigRow]) -> str:
            _fill(
                self.config,
                [(f"0x{r.event_id:04X}", r.event, r.logged_to, r.tells) for r in rows],
            )
            self.config_summary.setText(
                f"Event configuration of {ieee}: {len(rows)} events configured."
            )
            return f"Read the configuration of {len(rows)} events."

        self.operation.start(
            "reading the event configuration",
            lambda p: logs.configuration(ieee),
            detail=ieee,
            describe=done,
        )

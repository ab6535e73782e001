"""Devices: every node with role, model, firmware, power, last seen and link quality; attributes
of any cluster decoded; and any cluster command sent from a form built from its fields."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from device_backend.api import LONDON
from device_backend.installer.api import (
    AttributeValue,
    ClusterRef,
    CommandSpec,
    DeviceRow,
    InstallerError,
)
from installer_tool.operation import Operation, OperationPanel
from installer_tool.pages import common
from installer_tool.session import Session

COLUMNS = [
    "Name",
    "Role",
    "Model",
    "Firmware",
    "Power",
    "Last seen",
    "LQI",
    "RSSI",
    "EUI-64",
    "Location",
]
ATTR_COLUMNS = ["Id", "Attribute", "Value", "Raw", "Type", "Writable"]


def _when(moment: datetime | None) -> str:
    return moment.astimezone(LONDON).strftime("%d %b %H:%M:%S") if moment else "never"


class DevicesPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation = Operation(session, self)
        self.rows: list[DeviceRow] = []
        self.attributes: list[AttributeValue] = []
        self.commands: list[CommandSpec] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("devices-table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._device_chosen)
        refresh = QPushButton("Refresh", self)
        refresh.setObjectName("devices-refresh")
        refresh.clicked.connect(self.refresh)
        self.cluster = QComboBox(self)
        self.cluster.setObjectName("devices-cluster")
        self.cluster.currentIndexChanged.connect(self._cluster_chosen)
        read = QPushButton("Read attributes", self)
        read.setObjectName("devices-read")
        read.clicked.connect(self.read)
        self.attr_table = QTableWidget(0, len(ATTR_COLUMNS), self)
        self.attr_table.setObjectName("devices-attributes")
        self.attr_table.setHorizontalHeaderLabels(ATTR_COLUMNS)
        self.attr_table.verticalHeader().setVisible(False)
        self.attr_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.attr_table.itemSelectionChanged.connect(self._attribute_chosen)
        self.write_name = QComboBox(self)
        self.write_name.setObjectName("devices-write-name")
        self.write_value = QLineEdit(self)
        self.write_value.setObjectName("devices-write-value")
        write = QPushButton("Write", self)
        write.setObjectName("devices-write")
        write.clicked.connect(self.write)
        self.command = QComboBox(self)
        self.command.setObjectName("devices-command")
        self.command.currentIndexChanged.connect(self._command_chosen)
        self.fields_box = QWidget(self)
        self.fields_form = QFormLayout(self.fields_box)
        self.field_edits: dict[str, QLineEdit] = {}
        send = QPushButton("Send command", self)
        send.setObjectName("devices-send")
        send.clicked.connect(self.send)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(common.heading("Devices on this HAN", self))
        bar.addStretch(1)
        bar.addWidget(refresh)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.table)

        browser = QWidget(self)
        b = QVBoxLayout(browser)
        row = QHBoxLayout()
        row.addWidget(QLabel("Cluster", self))
        row.addWidget(self.cluster, 1)
        row.addWidget(read)
        b.addLayout(row)
        b.addWidget(self.attr_table, 1)
        wrow = QHBoxLayout()
        wrow.addWidget(QLabel("Write", self))
        wrow.addWidget(self.write_name, 1)
        wrow.addWidget(self.write_value, 1)
        wrow.addWidget(write)
        b.addLayout(wrow)
        sender = QWidget(self)
        s = QVBoxLayout(sender)
        s.addWidget(self.command)
        s.addWidget(self.fields_box)
        s.addWidget(send)
        s.addStretch(1)
        tabs = QTabWidget(self)
        tabs.setObjectName("devices-tools")
        tabs.addTab(browser, "Attributes")
        tabs.addTab(sender, "Commands")
        self.tools = tabs
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(tabs)
        splitter.setSizes([260, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(OperationPanel(self.operation, "devices", self))

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        service = self.session.service
        selected = self.selected_ieee()
        try:
            self.rows = service.inventory.rows() if service is not None else []
        except InstallerError as exc:
            self.operation.finished.emit(False, str(exc), exc)
            self.rows = []
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = [
                row.name or "-",
                row.role,
                row.model,
                row.firmware,
                row.power_source,
                _when(row.last_seen),
                "-" if row.lqi is None else str(row.lqi),
                "-" if row.rssi is None else f"{row.rssi} dBm",
                row.ieee,
                row.location or "-",
            ]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if selected:
            self.select(selected)

    def select(self, ieee: str) -> None:
        for r, row in enumerate(self.rows):
            if row.ieee == ieee:
                self.table.selectRow(r)
                return

    def selected_ieee(self) -> str:
        items = self.table.selectedItems()
        if not items:
            return ""
        row = items[0].row()
        return self.rows[row].ieee if row < len(self.rows) else ""

    def _device_chosen(self) -> None:
        ieee = self.selected_ieee()
        self.cluster.blockSignals(True)
        self.cluster.clear()
        if ieee:
            try:
                for ref in self.session.service.clusters.clusters(ieee):
                    self.cluster.addItem(ref.label, ref)
            except InstallerError as exc:
                self.operation.finished.emit(False, str(exc), exc)
        self.cluster.blockSignals(False)
        self._cluster_chosen()

    def choose_cluster(self, cluster_id: int, server: bool = True) -> None:
        for i in range(self.cluster.count()):
            ref = self.cluster.itemData(i)
            if ref.cluster_id == cluster_id and ref.server == server:
                self.cluster.setCurrentIndex(i)
                return
        raise KeyError(f"no cluster 0x{cluster_id:04X}")

    def current_ref(self) -> ClusterRef | None:
        return self.cluster.currentData()

    def _cluster_chosen(self) -> None:
        self.attr_table.setRowCount(0)
        self.write_name.clear()
        self.command.blockSignals(True)
        self.command.clear()
        ref, ieee = self.current_ref(), self.selected_ieee()
        self.commands = []
        if ref is not None and ieee:
            try:
                self.commands = self.session.service.clusters.commands(ieee, ref)
            except InstallerError as exc:
                self.operation.finished.emit(False, str(exc), exc)
        for spec in self.commands:
            self.command.addItem(f"0x{spec.command_id:02X} {spec.name}", spec.name)
        self.command.blockSignals(False)
        self._command_chosen()

    def read(self) -> None:
        ref, ieee = self.current_ref(), self.selected_ieee()
        if ref is None or not ieee:
            self.operation.finished.emit(False, "Choose a device and a cluster first.", None)
            return
        clusters = self.session.service.clusters
        self.operation.start(
            f"reading {ref.name}",
            lambda p: clusters.read_all(ieee, ref),
            detail=f"{ieee} {ref.label}",
            describe=self._show_attributes,
        )

    def _show_attributes(self, values: list[AttributeValue]) -> str:
        self.attributes = values
        self.attr_table.setRowCount(len(values))
        for r, value in enumerate(values):
            cells = [
                f"0x{value.attr_id:04X}",
                value.name,
                value.shown,
                value.raw,
                value.type_name,
                "yes" if value.writable else "",
            ]
            for c, text in enumerate(cells):
                self.attr_table.setItem(r, c, QTableWidgetItem(text))
        self.attr_table.resizeColumnsToContents()
        self.write_name.clear()
        for value in values:
            if value.writable:
                self.write_name.addItem(value.name)
        return f"Read {len(values)} attributes."

    def _attribute_chosen(self) -> None:
        items = self.attr_table.selectedItems()
        if items and items[0].row() < len(self.attributes):
            value = self.attributes[items[0].row()]
            index = self.write_name.findText(value.name)
            if index >= 0:
                self.write_name.setCurrentIndex(index)

    def write(self) -> None:
        ref, ieee, name, text = (
            self.current_ref(),
            self.selected_ieee(),
            self.write_name.currentText(),
            self.write_value.text(),
        )
        if ref is None or not name:
            self.operation.finished.emit(
                False, "Read the cluster first, then choose a writable attribute.", None
            )
            return
        clusters = self.session.service.clusters

        def done(value: AttributeValue) -> str:
            # The value read back after the write replaces the old row.
            self._show_attributes([value if a.name == value.name else a for a in self.attributes])
            return f"Wrote {value.name}: the device now holds {value.shown}."

        self.operation.start(
            f"writing {name}",
            lambda p: clusters.write(ieee, ref, name, text),
            detail=f"{ieee} {ref.label} {name}",
            describe=done,
        )

    def _command_chosen(self) -> None:
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.field_edits.clear()
        spec = next((c for c in self.commands if c.name == self.command.currentData()), None)
        if spec is None:
            return
        for field in spec.fields:
            edit = QLineEdit(self.fields_box)
            edit.setObjectName(f"field-{field.name}")
            edit.setPlaceholderText(field.hint + (" (optional)" if field.optional else ""))
            edit.setToolTip(f"{field.type_name}: {field.hint}")
            self.fields_form.addRow(field.name, edit)
            self.field_edits[field.name] = edit

    def choose_command(self, name: str) -> None:
        index = self.command.findData(name)
        if index < 0:
            raise KeyError(name)
        self.command.setCurrentIndex(index)

    def send(self) -> None:
        ref, ieee, name = self.current_ref(), self.selected_ieee(), self.command.currentData()
        if ref is None or not name:
            self.operation.finished.emit(
                False, "Choose a device, a cluster and a command first.", None
            )
            return
        values = {field: edit.text() for field, edit in self.field_edits.items()}
        clusters = self.session.service.clusters
        self.operation.start(
            f"sending {name}",
            lambda p: clusters.send(ieee, ref, name, values),
            detail=f"{ieee} {ref.label} {name}",
            describe=lambda answer: str(answer),
        )

    def device_rows(self) -> list[DeviceRow]:
        return list(self.rows)

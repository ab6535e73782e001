"""Firmware: choose a device and a local OTA image, see both versions, send it with progress."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from device_backend.installer.api import FirmwareOutcome, InstallerError
from installer_tool.operation import Operation, OperationPanel
from installer_tool.pages import common
from installer_tool.pages.diagnostics import DevicePicker
from installer_tool.session import Session


class FirmwarePage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation = Operation(session, self)
        self.device = DevicePicker("firmware-device", session, meters_only=False, parent=self)
        self.device.currentIndexChanged.connect(lambda _: self.read_version())
        self.current = common.value_label("firmware-current", self)
        self.image_path = common.PathField(
            "firmware-image",
            "Choose an OTA image",
            "OTA images (*.ota *.zigbee)",
            save=False,
            parent=self,
        )
        self.image_path.edit.editingFinished.connect(self.inspect)
        self.image_info = QLabel("-", self)
        self.image_info.setObjectName("firmware-image-info")
        self.image_info.setWordWrap(True)
        check = QPushButton("Check image", self)
        check.setObjectName("firmware-check")
        check.clicked.connect(self.inspect)
        self.update_button = QPushButton("Update firmware", self)
        self.update_button.setObjectName("firmware-update")
        self.update_button.clicked.connect(self.start_update)
        self.outcome = QLabel("", self)
        self.outcome.setObjectName("firmware-outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setStyleSheet("font-size: 16px; font-weight: bold;")
        form = QFormLayout()
        form.addRow("Device", self.device)
        form.addRow("Running now", self.current)
        image_row = QHBoxLayout()
        image_row.addWidget(self.image_path, 1)
        image_row.addWidget(check)
        form.addRow("Image file", image_row)
        form.addRow("Image", self.image_info)
        layout = QVBoxLayout(self)
        layout.addWidget(common.heading("Firmware update over the HAN (ZigBee OTA)", self))
        layout.addLayout(form)
        layout.addWidget(self.update_button)
        layout.addWidget(OperationPanel(self.operation, "firmware", self))
        layout.addWidget(self.outcome)
        layout.addStretch(1)

    def on_shown(self) -> None:
        self.device.refresh()
        self.read_version()

    def read_version(self) -> None:
        ieee = self.device.currentData()
        if not ieee or self.session.service is None:
            self.current.setText("-")
            return
        try:
            rows = {r.ieee: r for r in self.session.service.inventory.rows()}
        except InstallerError:
            self.current.setText("- (dongle not connected)")
            return
        self.current.setText(rows[ieee].firmware if ieee in rows else "-")

    def inspect(self) -> bool:
        path = self.image_path.text()
        if not path:
            self.image_info.setText("-")
            return False
        try:
            info = self.session.service.firmware.inspect(Path(path))
        except InstallerError as exc:
            self.image_info.setText(str(exc))
            self.image_info.setStyleSheet("color: #b00020;")
            return False
        self.image_info.setText(
            f"Version {info.version_text}, manufacturer 0x{info.manufacturer_id:04X}, "
            f"image type 0x{info.image_type:04X}, {info.size:,} bytes. "
            f"'{info.description}'. SHA-256 {info.sha256[:16]}..."
        )
        self.image_info.setStyleSheet("")
        return True

    def start_update(self) -> None:
        ieee, path = self.device.currentData(), self.image_path.text()
        if not ieee or not path:
            self.operation.finished.emit(False, "Choose a device and an image file first.", None)
            return
        if not self.inspect():
            self.operation.finished.emit(False, self.image_info.text(), None)
            return
        firmware = self.session.service.firmware
        self.outcome.setText("")

        def done(outcome: FirmwareOutcome) -> str:
            self.outcome.setText(outcome.message)
            self.outcome.setStyleSheet(
                "font-size: 16px; font-weight: bold; color: %s;"
                % ("#1b6e2a" if outcome.succeeded else "#b00020")
            )
            self.read_version()
            return outcome.message

        self.operation.start(
            "the firmware update",
            lambda p: firmware.update(ieee, Path(path), p),
            detail=f"{ieee} with {Path(path).name}",
            describe=done,
        )

    def shown_version(self) -> str:
        return self.current.text()

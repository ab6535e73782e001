"""Settings: kWh or pounds first, brightness, text size, high contrast, and the installer entry."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ihd_app.screens.pin import PinPage
from ihd_app.viewmodels.settings import SettingsViewModel
from ihd_app.widgets.common import button, label, scrolling


def _choice(
    group_owner: QWidget, options: list[tuple[str, str]], chosen: Callable[[str], None]
) -> tuple[QHBoxLayout, dict[str, QPushButton]]:
    row = QHBoxLayout()
    group = QButtonGroup(group_owner)
    buttons = {}
    for key, text in options:
        b = button(text, name=f"settings-{key}", checkable=True)
        b.clicked.connect(lambda _=False, k=key: chosen(k))
        group.addButton(b)
        row.addWidget(b)
        buttons[key] = b
    return row, buttons


class SettingsScreen(QWidget):
    def __init__(
        self,
        vm: SettingsViewModel,
        installer_info: Callable[[], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self.installer_info = installer_info
        self.setObjectName("screen-settings")
        self.pages = QStackedWidget()
        self.pages.addWidget(scrolling(self._build_choices()))
        self.pin = PinPage(vm)
        self.pin.unlocked.connect(self._show_installer)
        self.pin.cancelled.connect(self.reset)
        self.pages.addWidget(self.pin)
        self.pages.addWidget(self._build_installer())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        vm.changed.connect(self.refresh)
        self.refresh()

    def _build_choices(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setVerticalSpacing(8)
        grid.setHorizontalSpacing(12)
        vm = self.vm
        rows: list[tuple[str, QHBoxLayout]] = []
        units, self.unit_buttons = _choice(
            self,
            [("kwh", self.tr("kWh")), ("pounds", self.tr("£"))],
            lambda k: vm.set_pounds_first(k == "pounds"),
        )
        rows.append((self.tr("Show first"), units))
        bright = QHBoxLayout()
        dimmer = button(self.tr("Dimmer"), name="settings-dimmer")
        dimmer.clicked.connect(vm.dimmer)
        self.brightness = label("", "subfigure", wrap=False, name="settings-brightness")
        brighter = button(self.tr("Brighter"), name="settings-brighter")
        brighter.clicked.connect(vm.brighter)
        # Dimming when idle sits with brightness so that every setting fits one 800x480 screen.
        self.idle = button(self.tr("Dim when idle"), name="settings-idle", checkable=True)
        self.idle.clicked.connect(lambda checked: vm.set_dim_when_idle(bool(checked)))
        bright.addWidget(dimmer)
        bright.addWidget(self.brightness)
        bright.addWidget(brighter)
        bright.addWidget(self.idle)
        rows.append((self.tr("Brightness"), bright))
        sizes, self.size_buttons = _choice(
            self,
            [
                ("normal", self.tr("Normal")),
                ("large", self.tr("Large")),
                ("largest", self.tr("Largest")),
            ],
            vm.set_text_size,
        )
        rows.append((self.tr("Text size"), sizes))
        contrast, self.contrast_buttons = _choice(
            self,
            [("contrast-on", self.tr("On")), ("contrast-off", self.tr("Off"))],
            lambda k: vm.set_high_contrast(k == "contrast-on"),
        )
        rows.append((self.tr("High contrast"), contrast))
        for i, (text, row) in enumerate(rows):
            grid.addWidget(label(text, "title"), i, 0)
            grid.addLayout(row, i, 1)
        installer = button(self.tr("Installer settings"), name="settings-installer")
        installer.clicked.connect(self._open_installer)
        grid.addWidget(installer, len(rows), 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(rows) + 1, 1)
        return page

    def _build_installer(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(10, 8, 10, 8)
        box.addWidget(label(self.tr("Installer"), "title", name="installer-title"))
        self.installer_text = label("", "", name="installer-info")
        box.addWidget(scrolling(self.installer_text), 1)
        row = QHBoxLayout()
        change = button(self.tr("Change PIN"), name="installer-change-pin")
        change.clicked.connect(self._change_pin)
        lock = button(self.tr("Lock and go back"), role="primary", name="installer-lock")
        lock.clicked.connect(self.reset)
        row.addWidget(change)
        row.addWidget(lock)
        box.addLayout(row)
        return page

    # -- navigation ------------------------------------------------------------------------

    def _open_installer(self) -> None:
        if self.vm.installer_unlocked:
            self._show_installer()
            return
        self.pin.start()
        self.pages.setCurrentWidget(self.pin)

    def _change_pin(self) -> None:
        self.pin.start(changing=True)
        self.pages.setCurrentWidget(self.pin)

    def _show_installer(self) -> None:
        self.installer_text.setText("\n".join(self.installer_info()))
        self.pages.setCurrentIndex(2)

    def reset(self) -> None:
        """Leaving Settings locks the installer area again."""
        self.vm.lock()
        self.pages.setCurrentIndex(0)

    def refresh(self) -> None:
        s = self.vm.settings
        self.unit_buttons["pounds" if s.pounds_first else "kwh"].setChecked(True)
        self.brightness.setText(f"{s.brightness}%")
        self.idle.setChecked(s.dim_when_idle)
        self.idle.setText(
            self.tr("✓ Dim when idle") if s.dim_when_idle else self.tr("Dim when idle")
        )
        self.size_buttons[s.text_size].setChecked(True)
        self.contrast_buttons["contrast-on" if s.high_contrast else "contrast-off"].setChecked(True)

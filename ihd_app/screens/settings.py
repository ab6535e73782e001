"""Settings: figures, brightness, text size, contrast, language, sound, switch use, PIN areas."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ihd_app import formatting
from ihd_app.screens.pin import PinPage
from ihd_app.settings import SCAN_SECONDS
from ihd_app.translation import LANGUAGES, current_language
from ihd_app.viewmodels.settings import SettingsViewModel
from ihd_app.widgets.common import button, label, scrolling
from ihd_app.widgets.flow import FlowLayout


def _choice(
    group_owner: QWidget,
    options: list[tuple[str, str, str]],
    chosen: Callable[[str], None],
) -> tuple[FlowLayout, dict[str, QPushButton]]:
    """One button per (key, words, description); they wrap onto more lines at large text."""
    row = FlowLayout()
    group = QButtonGroup(group_owner)
    buttons = {}
    for key, text, description in options:
        b = button(text, name=f"settings-{key}", checkable=True, description=description)
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
        researcher_page: Callable[[], QWidget] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self.installer_info = installer_info
        self.setObjectName("screen-settings")
        self.pages = QStackedWidget()
        # A list of settings, as on a phone: the one page that may scroll at any size.
        self.pages.addWidget(
            scrolling(self._build_choices(researcher_page is not None), is_list=True)
        )
        self.pin = PinPage(vm)
        self.pin.unlocked.connect(self._show_installer)
        self.pin.cancelled.connect(self.reset)
        self.pages.addWidget(self.pin)
        self.pages.addWidget(self._build_installer())
        self.researcher: QWidget | None = researcher_page() if researcher_page else None
        if self.researcher is not None:
            self.pages.addWidget(self.researcher)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        vm.changed.connect(self.refresh)
        self.refresh()

    def _build_choices(self, trial: bool) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(10, 8, 10, 8)
        box.setSpacing(6)
        vm = self.vm

        def section(title: str, row: object) -> None:
            box.addWidget(label(title, "title"))
            box.addLayout(row)  # type: ignore[arg-type]
            box.addSpacing(6)

        units, self.unit_buttons = _choice(
            self,
            [
                ("kwh", self.tr("kWh"), self.tr("Show energy in kilowatt hours first")),
                ("pounds", self.tr("£"), self.tr("Show cost in pounds first")),
            ],
            lambda k: vm.set_pounds_first(k == "pounds"),
        )
        self.unit_buttons["kwh"].setAccessibleName(self.tr("Kilowatt hours first"))
        self.unit_buttons["pounds"].setAccessibleName(self.tr("Pounds first"))
        section(self.tr("Show first"), units)

        # A budget in pounds: a period, then the amount by taps of - and + (no keyboard).
        periods, self.budget_buttons = _choice(
            self,
            [
                ("budget-off", self.tr("No budget"), self.tr("Show no budget")),
                ("budget-day", self.tr("A day"), self.tr("Set a budget for each day")),
                ("budget-week", self.tr("A week"), self.tr("Set a budget for each week")),
                ("budget-month", self.tr("A month"), self.tr("Set a budget for each month")),
            ],
            lambda k: vm.set_budget_period("" if k == "budget-off" else k.removeprefix("budget-")),
        )
        self.budget_less = button(
            "\N{MINUS SIGN}",
            name="settings-budget-less",
            spoken=self.tr("Lower the budget"),
            description=self.tr("Make the budget smaller"),
        )
        self.budget_less.clicked.connect(lambda: vm.change_budget(-1))
        self.budget_amount = label("", "subfigure", wrap=False, name="settings-budget-amount")
        self.budget_more = button(
            "+",
            name="settings-budget-more",
            spoken=self.tr("Raise the budget"),
            description=self.tr("Make the budget larger"),
        )
        self.budget_more.clicked.connect(lambda: vm.change_budget(1))
        amount = FlowLayout(justify=False)
        for w in (self.budget_less, self.budget_amount, self.budget_more):
            amount.addWidget(w)
        box.addWidget(label(self.tr("Budget"), "title"))
        box.addLayout(periods)
        box.addLayout(amount)
        box.addSpacing(6)

        bright = FlowLayout()
        dimmer = button(
            self.tr("Dimmer"), name="settings-dimmer", description=self.tr("Make the screen darker")
        )
        dimmer.clicked.connect(vm.dimmer)
        self.brightness = label("", "subfigure", wrap=False, name="settings-brightness")
        brighter = button(
            self.tr("Brighter"),
            name="settings-brighter",
            description=self.tr("Make the screen brighter"),
        )
        brighter.clicked.connect(vm.brighter)
        self.idle = button(
            self.tr("Dim when idle"),
            name="settings-idle",
            checkable=True,
            description=self.tr("Darken the screen after a minute without a touch"),
        )
        self.idle.clicked.connect(lambda checked: vm.set_dim_when_idle(bool(checked)))
        bright.addWidget(dimmer)
        bright.addWidget(self.brightness)
        bright.addWidget(brighter)
        bright.addWidget(self.idle)
        section(self.tr("Brightness"), bright)

        sizes, self.size_buttons = _choice(
            self,
            [
                ("normal", self.tr("Normal"), self.tr("Normal text size")),
                ("large", self.tr("Large"), self.tr("Text one and a half times as large")),
                ("largest", self.tr("Largest"), self.tr("Text twice as large")),
            ],
            vm.set_text_size,
        )
        section(self.tr("Text size"), sizes)

        contrast, self.contrast_buttons = _choice(
            self,
            [
                ("contrast-on", self.tr("On"), self.tr("Black, white and yellow only")),
                ("contrast-off", self.tr("Off"), self.tr("The usual colours")),
            ],
            lambda k: vm.set_high_contrast(k == "contrast-on"),
        )
        self.contrast_buttons["contrast-on"].setAccessibleName(self.tr("High contrast on"))
        self.contrast_buttons["contrast-off"].setAccessibleName(self.tr("High contrast off"))
        section(self.tr("High contrast"), contrast)

        # Each language is offered in its own words, so the Welsh button reads "Cymraeg".
        languages, self.language_buttons = _choice(
            self,
            [
                (f"language-{code}", name, self.tr("Show the display in this language"))
                for code, name in LANGUAGES.items()
            ],
            lambda k: vm.set_language(k.removeprefix("language-")),
        )
        section(self.tr("Language"), languages)

        sound, self.sound_buttons = _choice(
            self,
            [
                ("sound-on", self.tr("On"), self.tr("Play a chime when an alert appears")),
                ("sound-off", self.tr("Off"), self.tr("Alerts are silent")),
            ],
            lambda k: vm.set_alert_sound(k == "sound-on"),
        )
        self.sound_buttons["sound-on"].setAccessibleName(self.tr("Alert sound on"))
        self.sound_buttons["sound-off"].setAccessibleName(self.tr("Alert sound off"))
        section(self.tr("Alert sound"), sound)

        scanning, self.scan_buttons = _choice(
            self,
            [("scan-off", self.tr("Off"), self.tr("Move with Tab or the arrow keys"))]
            + [
                (
                    f"scan-{seconds:g}",
                    self.tr("Every {n} s").format(n=formatting.number_text(seconds)),
                    self.tr("Move to the next control by itself; press the switch to choose"),
                )
                for seconds in SCAN_SECONDS
            ],
            self._scan_chosen,
        )
        self.scan_buttons["scan-off"].setAccessibleName(self.tr("Switch scanning off"))
        section(self.tr("Switch scanning"), scanning)

        people = FlowLayout()
        installer = button(
            self.tr("Installer settings"),
            name="settings-installer",
            description=self.tr("For the installer: needs the installer PIN"),
        )
        installer.clicked.connect(self._open_installer)
        people.addWidget(installer)
        if trial:
            researcher = button(
                self.tr("Researcher"),
                name="settings-researcher",
                description=self.tr("For the researcher: needs the researcher PIN"),
            )
            researcher.clicked.connect(self._open_researcher)
            people.addWidget(researcher)
        box.addLayout(people)
        box.addStretch(1)
        return page

    def set_text_scale(self, scale: float) -> None:
        self.pin.set_text_scale(scale)
        fit = getattr(self.researcher, "set_text_scale", None)
        if callable(fit):
            fit(scale)

    def _scan_chosen(self, key: str) -> None:
        if key == "scan-off":
            self.vm.set_switch_scanning(False)
            return
        self.vm.set_scan_seconds(float(key.removeprefix("scan-")))
        self.vm.set_switch_scanning(True)

    def _build_installer(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(10, 8, 10, 8)
        box.addWidget(label(self.tr("Installer"), "title", name="installer-title"))
        self.installer_text = label("", "", name="installer-info")
        box.addWidget(self.installer_text)
        row = FlowLayout()
        change = button(
            self.tr("Change PIN"),
            name="installer-change-pin",
            description=self.tr("Choose a new installer PIN"),
        )
        change.clicked.connect(self._change_pin)
        lock = button(
            self.tr("Lock and go back"),
            role="primary",
            name="installer-lock",
            description=self.tr("Lock the installer settings and return to Settings"),
        )
        lock.clicked.connect(self.reset)
        row.addWidget(change)
        row.addWidget(lock)
        box.addLayout(row)
        box.addStretch(1)
        return scrolling(page)

    # -- navigation ------------------------------------------------------------------------

    def _open_installer(self) -> None:
        if self.vm.installer_unlocked:
            self._show_installer()
            return
        self.pin.start()
        self.pages.setCurrentWidget(self.pin)

    def _open_researcher(self) -> None:
        if self.researcher is not None:
            start = getattr(self.researcher, "start", None)
            if callable(start):
                start()
            self.pages.setCurrentWidget(self.researcher)

    def _change_pin(self) -> None:
        self.pin.start(changing=True)
        self.pages.setCurrentWidget(self.pin)

    def _show_installer(self) -> None:
        self.installer_text.setText("\n".join(self.installer_info()))
        self.pages.setCurrentIndex(2)

    def entering(self) -> bool:
        """A PIN is being typed: no popup may cover its keypad."""
        return self.pages.currentWidget() is self.pin

    def reset(self) -> None:
        """Leaving Settings locks the installer and researcher areas again."""
        self.vm.lock()
        if self.researcher is not None:
            lock = getattr(self.researcher, "lock", None)
            if callable(lock):
                lock()
        self.pages.setCurrentIndex(0)

    def refresh(self) -> None:
        s = self.vm.settings
        self.unit_buttons["pounds" if s.pounds_first else "kwh"].setChecked(True)
        self.brightness.setText(formatting.percent(s.brightness))
        self.brightness.setAccessibleName(self.tr("Brightness {n} percent").format(n=s.brightness))
        self.idle.setChecked(s.dim_when_idle)
        self.idle.setText(
            self.tr("✓ Dim when idle") if s.dim_when_idle else self.tr("Dim when idle")
        )
        self.idle.setAccessibleName(self.tr("Dim when idle"))
        self.size_buttons[s.text_size].setChecked(True)
        self.budget_buttons[f"budget-{s.budget_period or 'off'}"].setChecked(True)
        has_budget = bool(s.budget_period)
        for w in (self.budget_less, self.budget_amount, self.budget_more):
            w.setVisible(has_budget)
        self.budget_amount.setText(formatting.pounds(s.budget_pence()) if has_budget else "")
        self.budget_amount.setAccessibleName(
            self.tr("Budget {amount}").format(amount=formatting.pounds(s.budget_pence()))
        )
        self.contrast_buttons["contrast-on" if s.high_contrast else "contrast-off"].setChecked(True)
        self.language_buttons[f"language-{s.language or current_language()}"].setChecked(True)
        self.sound_buttons["sound-on" if s.alert_sound else "sound-off"].setChecked(True)
        scan = f"scan-{s.scan_seconds:g}" if s.switch_scanning else "scan-off"
        if scan in self.scan_buttons:
            self.scan_buttons[scan].setChecked(True)

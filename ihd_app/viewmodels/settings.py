"""The Settings screen's state: display choices (saved at once) and the installer PIN gate."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject

from ihd_app.settings import (
    BUDGET_MAX,
    BUDGET_PERIODS,
    BUDGET_STEP,
    LANGUAGE_CODES,
    SCAN_SECONDS,
    Settings,
    SettingsFile,
    checked,
    pin_matches,
    with_pin,
)
from ihd_app.theme import TEXT_SCALES
from ihd_app.viewmodels.base import Now, ViewModel
from ihd_app.viewmodels.keypad import GuardState

BRIGHTNESS_STEP = 10
MAX_PIN_TRIES = 5
LOCKOUT = timedelta(minutes=5)  # slows guessing without locking an installer out for good


class SettingsViewModel(ViewModel):
    def __init__(self, now: Now, storage: SettingsFile, parent: QObject | None = None) -> None:
        super().__init__(now, parent)
        self.storage = storage
        self.settings: Settings = storage.load()
        self.installer_unlocked = False
        self.failed_pins = self.settings.pin_failures
        self.locked_until = _moment(self.settings.pin_locked_until)

    def _update(self, settings: Settings) -> None:
        self.settings = settings
        self.storage.save(settings)
        self.changed.emit()

    def set_pounds_first(self, pounds_first: bool) -> None:
        self._update(replace(self.settings, pounds_first=pounds_first))

    def brighter(self) -> None:
        self._update(
            replace(self.settings, brightness=min(100, self.settings.brightness + BRIGHTNESS_STEP))
        )

    def dimmer(self) -> None:
        self._update(
            replace(self.settings, brightness=max(20, self.settings.brightness - BRIGHTNESS_STEP))
        )

    def set_dim_when_idle(self, on: bool) -> None:
        self._update(replace(self.settings, dim_when_idle=on))

    def set_text_size(self, size: str) -> None:
        if size in TEXT_SCALES:
            self._update(replace(self.settings, text_size=size))

    def set_high_contrast(self, on: bool) -> None:
        self._update(replace(self.settings, high_contrast=on))

    def set_language(self, language: str) -> None:
        if language in LANGUAGE_CODES:
            self._update(replace(self.settings, language=language))

    def set_alert_sound(self, on: bool) -> None:
        self._update(replace(self.settings, alert_sound=on))

    def set_switch_scanning(self, on: bool) -> None:
        self._update(replace(self.settings, switch_scanning=on))

    def set_scan_seconds(self, seconds: float) -> None:
        if seconds in SCAN_SECONDS:
            self._update(replace(self.settings, scan_seconds=seconds))

    def set_budget_period(self, period: str) -> None:
        if period in BUDGET_PERIODS:
            self._update(replace(self.settings, budget_period=period))

    def change_budget(self, steps: int) -> None:
        """One tap of - or +: the chosen period's amount by its step, never below one step."""
        period = self.settings.budget_period
        if period not in BUDGET_STEP:
            return
        step = BUDGET_STEP[period]
        amount = self.settings.budget_pence() + steps * step
        amount = min(BUDGET_MAX, max(step, amount))
        changed: dict[str, Any] = {f"budget_{period}_pence": amount}
        self._update(replace(self.settings, **changed))

    def replace_all(self, settings: Settings) -> None:
        """A trial's starting settings (its display variant), saved like any other change.

        A top-up pause is not a display choice: new settings do not lift it.
        """
        kept = self.settings
        self._update(
            replace(
                checked(settings),
                topup_refused_at=kept.topup_refused_at,
                topup_paused_until=kept.topup_paused_until,
                topup_pauses=kept.topup_pauses,
                pin_failures=kept.pin_failures,
                pin_locked_until=kept.pin_locked_until,
            )
        )

    # -- the top-up keypad's pause (see viewmodels.keypad.TopUpGuard) -----------------------

    def load_topup_guard(self) -> GuardState:
        s = self.settings
        return GuardState.load(s.topup_refused_at, s.topup_paused_until, s.topup_pauses)

    def save_topup_guard(self, state: GuardState) -> None:
        """Saved at once, without `changed`: nothing on the Settings screen shows it."""
        refused_at, paused_until, pauses = state.dump()
        self.settings = replace(
            self.settings,
            topup_refused_at=refused_at,
            topup_paused_until=paused_until,
            topup_pauses=pauses,
        )
        self.storage.save(self.settings)

    # -- the PIN gate's shape (see screens.pin) --------------------------------------------

    @property
    def pin_set(self) -> bool:
        return self.settings.pin_set

    @property
    def unlocked(self) -> bool:
        return self.installer_unlocked

    # -- installer PIN ---------------------------------------------------------------------

    @property
    def locked_out(self) -> bool:
        if self.locked_until is None:
            return False
        now = self.now()
        # A clock set back (or a hand-edited file) must not stretch the lockout past its length.
        self.locked_until = min(self.locked_until, now + LOCKOUT)
        return now < self.locked_until

    def try_pin(self, pin: str) -> bool:
        if self.locked_out:
            return False
        if pin_matches(self.settings, pin):
            self.failed_pins = 0
            self.installer_unlocked = True
        else:
            self.failed_pins += 1
            if self.failed_pins >= MAX_PIN_TRIES:
                self.failed_pins = 0
                self.locked_until = self.now() + LOCKOUT
        self._save_pin_guard()
        self.changed.emit()
        return self.installer_unlocked

    def _save_pin_guard(self) -> None:
        """Failures and lockout saved at once, so that switching the display off lifts neither."""
        until = self.locked_until.isoformat() if self.locked_until is not None else ""
        if (self.settings.pin_failures, self.settings.pin_locked_until) != (
            self.failed_pins,
            until,
        ):
            self.settings = replace(
                self.settings, pin_failures=self.failed_pins, pin_locked_until=until
            )
            self.storage.save(self.settings)

    def set_pin(self, pin: str) -> None:
        """Raises settings.PinError with a message to show when the PIN is unusable."""
        self._update(with_pin(self.settings, pin))

    def lock(self) -> None:
        self.installer_unlocked = False
        self.changed.emit()


def _moment(text: str) -> datetime | None:
    """A saved ISO time with its zone, or None for an empty or damaged one."""
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None

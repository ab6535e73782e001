"""Watches the display during a trial and writes each interaction to the trial log, timestamped."""

# Everything is observed from outside the screens (signals, and one application event
# filter for touches), so the display behaves the same in and out of a trial. Digits typed
# on a keypad are never logged: a top-up code or a PIN must not end up in research data.

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from device_backend.api import json_pence, model
from ihd_app.settings import Settings
from ihd_app.trial.store import TrialStore
from ihd_app.viewmodels.alerts import Alert

_KEYPAD_DIGIT = re.compile(r"^(.*-key)-\d$")
# The PIN's hash, and the top-up pause's bookkeeping (its own events say what happened).
_PRIVATE_SETTINGS = {
    "pin_salt",
    "pin_hash",
    "topup_refused_at",
    "topup_paused_until",
    "topup_pauses",
    "pin_failures",
    "pin_locked_until",
}


class TrialLog:
    """One session's writer: adds the times and the screen on view to every event."""

    def __init__(
        self,
        store: TrialStore,
        session_id: str,
        participant: str,
        display_clock: Callable[[], datetime | None],
        *,
        wall_clock: Callable[[], datetime] | None = None,
        steady_clock: Callable[[], float] | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.participant = participant
        self.display_clock = display_clock
        self.wall_clock = wall_clock or (lambda: datetime.now(UTC))
        self.steady_clock = steady_clock or time.monotonic
        self.started = self.steady_clock()
        self.screen = ""

    def elapsed(self) -> float:
        return self.steady_clock() - self.started

    def write(
        self,
        event: str,
        *,
        screen: str | None = None,
        target: str = "",
        value: str = "",
        duration_s: float | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int:
        return self.store.log(
            self.session_id,
            self.participant,
            event,
            wall_time=self.wall_clock(),
            elapsed_s=self.elapsed(),
            display_time=self.display_clock(),
            screen=self.screen if screen is None else screen,
            target=target,
            value=value,
            duration_s=duration_s,
            detail=detail,
        )


def control_name(widget: QWidget) -> str:
    """The nearest object name up the widget tree; keypad digits lose their digit."""
    current: QWidget | None = widget
    while current is not None:
        name = current.objectName()
        if name and not name.startswith("qt_"):
            return _KEYPAD_DIGIT.sub(r"\1-digit", name)
        current = current.parentWidget()
    return type(widget).__name__


def control_words(widget: QWidget) -> str:
    if isinstance(widget, QAbstractButton) and not _KEYPAD_DIGIT.match(widget.objectName()):
        words = " ".join(widget.text().split())
        # A symbol alone ("✕", "£") says little in a log: its screen-reader name says it all.
        if not any(c.isalnum() for c in words) and widget.accessibleName():
            return " ".join(widget.accessibleName().split())
        return words
    return ""


class InteractionRecorder(QObject):
    def __init__(self, log: TrialLog, window: Any, state: Any) -> None:
        super().__init__(window)
        self.log = log
        self.window = window
        self.state = state
        self._screen_since = log.elapsed()
        self._alert_since: dict[str, float] = {}
        self._settings: Settings = state.settings.settings
        self._prepayment: tuple[object, ...] | None = None
        self._seen_messages: set[int] = set()
        self._focus_visible = False
        self.log.screen = "menu" if window.showing_menu else window.current

        window.screen_changed.connect(self._screen_changed)
        window.switch.activated.connect(self._key_activated)
        window.switch.focus_visible_changed.connect(self._focus_mode)
        window.alerts.shown.connect(self._alert_shown)
        window.chime.played.connect(self._alert_sounded)
        window.close_refused.connect(self._close_refused)
        state.alerts.dismissed.connect(self._alert_dismissed)
        state.settings.changed.connect(self._settings_changed)
        state.balance.top_up_attempted.connect(self._top_up_attempted)
        state.balance.top_up_answered.connect(self._top_up_answered)
        state.bridge.observed.connect(self._observed)
        application = QApplication.instance()
        if isinstance(application, QApplication):
            application.installEventFilter(self)
            application.focusChanged.connect(self._focus_changed)

    def stop(self) -> None:
        application = QApplication.instance()
        if isinstance(application, QApplication):
            application.removeEventFilter(self)
            application.focusChanged.disconnect(self._focus_changed)

    # -- screens -----------------------------------------------------------------------------

    def first_screen(self) -> None:
        self.log.write("screen_viewed", target=self.log.screen)

    def _screen_changed(self, name: str) -> None:
        now = self.log.elapsed()
        left = self.log.screen
        if left:
            self.log.write("screen_left", target=left, duration_s=now - self._screen_since)
        self.log.screen = name
        self._screen_since = now
        self.log.write("screen_viewed", target=name)

    def close_screen(self) -> None:
        """The session is ending: the screen on view is left."""
        if self.log.screen:
            self.log.write(
                "screen_left",
                target=self.log.screen,
                duration_s=self.log.elapsed() - self._screen_since,
            )

    # -- touches, keys, focus ----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(watched, QWidget)
            and watched.window() is self.window
            and isinstance(event, QMouseEvent)
        ):
            point = watched.mapTo(self.window, event.position().toPoint())
            self.log.write(
                "tap",
                target=control_name(watched),
                value=control_words(watched),
                detail={"x": point.x(), "y": point.y()},
            )
        return False

    def _key_activated(self, widget: QWidget, how: str) -> None:
        self.log.write(
            "key", target=control_name(widget), value=control_words(widget), detail={"input": how}
        )

    def _focus_mode(self, visible: bool) -> None:
        self._focus_visible = visible

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        # Only keyboard and switch focus matters; a finger moves focus on every tap.
        if new is None or new.window() is not self.window:
            return
        if not self._focus_visible:
            return
        self.log.write("focus", target=control_name(new), value=control_words(new))

    def _close_refused(self) -> None:
        self.log.write("locked_exit")

    # -- alerts ------------------------------------------------------------------------------

    def _alert_shown(self, alert: Alert) -> None:
        self._alert_since[alert.key] = self.log.elapsed()
        self.log.write(
            "alert_shown",
            target=alert.kind,
            value=self.state.alerts.text(alert),
            detail={"style": self.state.settings.settings.alert_style, "key": alert.key},
        )

    def _alert_sounded(self, kind: str) -> None:
        self.log.write("alert_sound", target=kind)

    def _alert_dismissed(self, alert: Alert, how: str) -> None:
        since = self._alert_since.pop(alert.key, None)
        self.log.write(
            "alert_dismissed",
            target=alert.kind,
            value=how,
            duration_s=None if since is None else self.log.elapsed() - since,
            detail={"key": alert.key},
        )

    # -- settings ----------------------------------------------------------------------------

    def _settings_changed(self) -> None:
        new = self.state.settings.settings
        for f in fields(Settings):
            if f.name in _PRIVATE_SETTINGS:
                continue
            before, after = getattr(self._settings, f.name), getattr(new, f.name)
            if before != after:
                self.log.write("setting_changed", target=f.name, value=str(after))
        self._settings = new

    # -- top-ups -----------------------------------------------------------------------------

    def _top_up_attempted(self, outcome: str, digits: int) -> None:
        self.log.write("top_up_attempt", value=outcome, detail={"digits_entered": digits})

    def _top_up_answered(self, outcome: str, detail: dict[str, Any]) -> None:
        self.log.write("top_up_outcome", value=outcome, detail=detail)

    # -- the home ----------------------------------------------------------------------------

    def _observed(self, event: model.Event) -> None:
        if isinstance(event, model.Price):
            self._price(event)
        elif isinstance(event, model.SupplierMessage):
            self._message(event)
        elif isinstance(event, model.Prepayment):
            self._prepayment_changed(event)
        elif isinstance(event, model.Supply):
            self._supply(event)
        elif isinstance(event, model.TopUpResult):
            self._meter_top_up(event)

    def _price(self, event: model.Price) -> None:
        self.log.write(
            "meter_event",
            target="price",
            value=str(event.pence_per_kwh),
            detail={
                "fuel": event.fuel.value,
                "tier": event.tier,
                "tier_label": event.tier_label,
                "standing_charge_pence_per_day": str(event.standing_charge_pence_per_day),
                "starts": event.starts.isoformat() if event.starts else None,
            },
        )

    def _message(self, event: model.SupplierMessage) -> None:
        if event.id in self._seen_messages:
            return
        self._seen_messages.add(event.id)
        self.log.write(
            "meter_event",
            target="message",
            value=str(event.id),
            detail={"text": event.text, "confirmation_required": event.confirmation_required},
        )

    def _prepayment_changed(self, event: model.Prepayment) -> None:
        # The balance falls by a penny a minute; only changes of state are worth a row.
        key = (
            event.fuel,
            event.mode,
            event.low_credit,
            event.credit_exhausted,
            event.emergency_credit_available,
            event.emergency_credit_selected,
        )
        if key == self._prepayment:
            return
        self._prepayment = key
        detail = asdict(event)
        detail["time"] = event.time.isoformat()
        detail.pop("debts", None)  # the total is in debt_pence; the parts are the meter's
        self.log.write(
            "meter_event",
            target="credit",
            value="low" if event.low_credit else ("out" if event.credit_exhausted else "ok"),
            detail={
                k: (
                    v.value
                    if hasattr(v, "value")
                    else (json_pence(v) if isinstance(v, Decimal) else v)
                )
                for k, v in detail.items()
            },
        )

    def _supply(self, event: model.Supply) -> None:
        self.log.write(
            "meter_event",
            target="supply",
            value=event.state.value,
            detail={"fuel": event.fuel.value},
        )

    def _meter_top_up(self, event: model.TopUpResult) -> None:
        self.log.write(
            "meter_event",
            target="top_up",
            value=event.outcome.value,
            detail={
                "value_pence": json_pence(event.value_pence),
                "credit_pence": json_pence(event.credit_pence),
            },
        )

"""A running trial: the log, the researcher's PIN and panel, and the lock on leaving trial mode."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from ihd_app.plural import counted
from ihd_app.screens.pin import PinPage
from ihd_app.settings import PinError, Settings, SettingsFile, checked
from ihd_app.trial.recorder import InteractionRecorder, TrialLog
from ihd_app.trial.store import TrialStore
from ihd_app.widgets.common import button, label, scrolling
from ihd_app.widgets.flow import FlowLayout

MAX_TRIES = 5
LOCKOUT_S = 300.0


class TrialSettingsFile(SettingsFile):
    """The participant's display settings, kept with their session (and wiped with it)."""

    def __init__(self, store: TrialStore, session_id: str, initial: Settings) -> None:
        super().__init__(None)
        self.store = store
        self.session_id = session_id
        self.initial = initial

    def load(self) -> Settings:
        saved = self.store.load_settings(self.session_id)
        if saved is None:
            self.save(self.initial)
            return self.initial
        known = {k: v for k, v in saved.items() if k in Settings.__dataclass_fields__}
        try:
            return checked(Settings(**known))
        except (TypeError, ValueError):
            return self.initial

    def save(self, settings: Settings) -> None:
        self.store.save_settings(self.session_id, asdict(settings))


class ResearcherGate:
    """The researcher PIN: checked against the trial log's hash; set only from the command line."""

    def __init__(
        self, store: TrialStore, steady_clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.store = store
        self.steady_clock = steady_clock
        self.unlocked = False
        self.failures = 0
        self.locked_until = 0.0

    @property
    def pin_set(self) -> bool:
        return self.store.researcher_pin_set

    @property
    def locked_out(self) -> bool:
        return self.steady_clock() < self.locked_until

    def try_pin(self, pin: str) -> bool:
        if self.locked_out:
            return False
        if self.store.researcher_pin_matches(pin):
            self.failures = 0
            self.unlocked = True
        else:
            self.failures += 1
            if self.failures >= MAX_TRIES:
                self.failures = 0
                self.locked_until = self.steady_clock() + LOCKOUT_S
        return self.unlocked

    def set_pin(self, pin: str) -> None:
        raise PinError("the researcher PIN is set with: ihd --trial-set-pin")

    def lock(self) -> None:
        self.unlocked = False


class ResearcherPanel(QWidget):
    """Behind the researcher PIN: what is being recorded, export now, end the session."""

    def __init__(self, session: TrialSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("researcher-panel")
        self.pages = QStackedWidget()
        self.pin = PinPage(session.gate, who="researcher")
        self.pin.unlocked.connect(self._show_controls)
        self.pin.cancelled.connect(self._back)
        self.pages.addWidget(self.pin)
        self.pages.addWidget(scrolling(self._build_controls()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def _build_controls(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(10, 8, 10, 8)
        box.addWidget(label(self.tr("Researcher"), "title", name="researcher-title"))
        self.info = label("", "", name="researcher-info")
        box.addWidget(self.info)
        self.feedback = label("", "status", name="researcher-feedback")
        box.addWidget(self.feedback)
        row = FlowLayout()
        export = button(
            self.tr("Export this participant"),
            name="researcher-export",
            description=self.tr("Write the participant's sessions as CSV and JSON lines"),
        )
        export.clicked.connect(self._export)
        end = button(
            self.tr("End session and close"),
            role="primary",
            name="researcher-end",
            description=self.tr("Finish recording and close the display"),
        )
        end.clicked.connect(self._end)
        back = button(
            self.tr("Back to the participant"),
            name="researcher-back",
            description=self.tr("Lock the researcher area and return to the display"),
        )
        back.clicked.connect(self._back)
        for b in (export, end, back):
            row.addWidget(b)
        box.addLayout(row)
        box.addStretch(1)
        return page

    def set_text_scale(self, scale: float) -> None:
        self.pin.set_text_scale(scale)

    def start(self) -> None:
        if self.session.gate.unlocked:
            self._show_controls()
            return
        self.pin.start()
        self.pages.setCurrentWidget(self.pin)

    def lock(self) -> None:
        self.session.gate.lock()
        self.pages.setCurrentWidget(self.pin)

    def _show_controls(self) -> None:
        s = self.session
        self.info.setText(
            self.tr("Participant {p}\nSession {s}\nVariant {v}\nScenario {c}").format(
                p=s.participant, s=s.session_id, v=s.variant, c=s.scenario
            )
            + "\n"
            + counted(
                self.tr("{n, plural, one {# event logged} other {# events logged}}"),
                s.event_count(),
            )
        )
        self.feedback.setText("")
        self.pages.setCurrentIndex(1)

    def _export(self) -> None:
        bundles = self.session.export_now()
        self.feedback.setText(self.tr("Written to {folder}").format(folder=bundles[0].parent))

    def _end(self) -> None:
        self.session.finish("researcher")

    def _back(self) -> None:
        self.lock()
        screen = self.parentWidget()
        while screen is not None and not hasattr(screen, "reset"):
            screen = screen.parentWidget()
        if screen is not None:
            screen.reset()


class TrialSession(QObject):
    """Attach to a window: log everything, lock leaving behind the PIN, export, end."""

    finished = Signal(str)

    def __init__(
        self,
        store: TrialStore,
        session_id: str,
        window: Any,
        state: Any,
        *,
        export_dir: Path,
        resumed: bool = False,
        wall_clock: Callable[[], datetime] | None = None,
        steady_clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(window)
        info = store.session(session_id)
        self.store = store
        self.session_id = session_id
        self.participant = info.participant
        self.variant = info.variant
        self.scenario = info.scenario
        self.export_dir = export_dir
        self.window = window
        self.ending = False
        self.gate = ResearcherGate(store)
        self.log = TrialLog(
            store,
            session_id,
            info.participant,
            # Before the back end starts there is no display clock yet, only the wall's.
            lambda: state.session.now() if state.session.backend is not None else None,
            wall_clock=wall_clock,
            steady_clock=steady_clock,
        )
        window.close_guard = self.may_close
        window.researcher_page = lambda: ResearcherPanel(self)
        window.retranslate()  # the Settings screen now offers the researcher's entry
        self.recorder = InteractionRecorder(self.log, window, state)
        if resumed:
            self.log.write("session_resumed", value=info.variant)
        else:
            self.log.write(
                "session_started",
                value=info.variant,
                detail={
                    "scenario": info.scenario,
                    "script": info.script_name,
                    "variant": info.variant_detail,
                    "language": info.language,
                },
            )
        self.recorder.first_screen()

    def may_close(self) -> bool:
        return self.ending or self.gate.unlocked

    def event_count(self) -> int:
        return sum(1 for _ in self.store.events(self.session_id))

    def export_now(self) -> list[Path]:
        return self.store.export(self.participant, self.export_dir)

    def finish(self, reason: str) -> None:
        """End the session in the log and close the display."""
        if self.ending:
            return
        self.ending = True
        self.recorder.close_screen()
        self.log.write("session_ended", value=reason)
        self.store.end_session(self.session_id, reason, self.log.wall_clock())
        self.recorder.stop()
        self.finished.emit(reason)
        self.window.close()

    def stop_without_ending(self) -> None:
        """The process is stopping (a signal, a crash): the session stays open to be resumed."""
        if not self.ending:
            self.recorder.close_screen()
            self.recorder.stop()
            self.ending = True

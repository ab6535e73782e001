"""The main window: sign-in first, then the tabs, with the radio's state always in view."""

from __future__ import annotations

import importlib.util
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from device_backend.api import model
from installer_tool.session import Session
from installer_tool.signin import SignInPage

SCREEN_ORDER = ("network", "pairing", "devices", "diagnostics", "firmware", "survey")
STATE_COLOURS = {
    "online": "#1b6e2a",
    "stale": "#a06000",
    "offline": "#b00020",
    "connecting": "#555555",
    "degraded": "#a06000",
}


def _survey_page(session: Session) -> QWidget:
    """The survey helper's page when it is installed, else a note saying it is not there yet."""
    if importlib.util.find_spec("installer_tool.survey_page") is not None:
        from installer_tool import survey_page

        # An explicit data folder (tests, screenshots, a training laptop) keeps surveys with it.
        store = session.data_dir / "surveys.db" if session.data_dir is not None else None
        page: QWidget = survey_page.SurveyPage(session.backend, session.who, store_path=store)
        return page
    placeholder = QWidget()
    layout = QVBoxLayout(placeholder)
    note = QLabel("The difficult-property survey is not part of this build yet.", placeholder)
    note.setObjectName("survey-placeholder")
    layout.addWidget(note)
    layout.addStretch(1)
    return placeholder


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("GB smart metering - installer toolkit")
        self.stack = QStackedWidget(self)
        self.signin = SignInPage(session, self.stack)
        self.tabs = QTabWidget(self.stack)
        self.tabs.setObjectName("installer-tabs")
        self.pages: dict[str, QWidget] = {}
        self.stack.addWidget(self.signin)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.connection_label = QLabel("Radio: connecting...", self)
        self.connection_label.setObjectName("status-connection")
        self.engineer_label = QLabel("", self)
        self.engineer_label.setObjectName("status-engineer")
        self.sign_out_button = QPushButton("Sign out", self)
        self.sign_out_button.setObjectName("status-sign-out")
        self.sign_out_button.clicked.connect(session.sign_out)
        self.statusBar().addWidget(self.connection_label, 1)
        self.statusBar().addPermanentWidget(self.engineer_label)
        self.statusBar().addPermanentWidget(self.sign_out_button)
        session.signed_in.connect(self._signed_in)
        session.connection.connect(self.show_connection)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._signed_in(session.engineer)

    def build_pages(self) -> None:
        """The work screens, once the back end is attached (they need its service)."""
        if self.pages:
            return
        # Imported here, not at the top: the pages need the installer service, whose modules
        # load zigpy (about 1.6 s on a 2-core laptop), and the sign-in page paints before that.
        from installer_tool.pages.devices import DevicesPage
        from installer_tool.pages.diagnostics import DiagnosticsPage
        from installer_tool.pages.firmware import FirmwarePage
        from installer_tool.pages.network import NetworkPage
        from installer_tool.pages.pairing import PairingPage

        session = self.session
        self.pages = {
            "network": NetworkPage(session),
            "pairing": PairingPage(session),
            "devices": DevicesPage(session),
            "diagnostics": DiagnosticsPage(session),
            "firmware": FirmwarePage(session),
            "survey": _survey_page(session),
        }
        titles = {
            "network": "Network",
            "pairing": "Pairing",
            "devices": "Devices",
            "diagnostics": "Diagnostics",
            "firmware": "Firmware",
            "survey": "Survey",
        }
        for name in SCREEN_ORDER:
            self.tabs.addTab(self.pages[name], titles[name])

    def _signed_in(self, engineer: Any) -> None:
        if engineer is None:
            self.signin.refresh()
            self.stack.setCurrentWidget(self.signin)
            self.engineer_label.setText("")
            self.sign_out_button.setVisible(False)
            return
        if self.session.service is not None:
            self.build_pages()
        survey = self.pages.get("survey")
        if survey is not None and hasattr(survey, "audit_user"):
            survey.audit_user = engineer.username  # surveys are recorded under whoever signed in
        self.engineer_label.setText(f"Signed in: {engineer.display_name} ({engineer.username})")
        self.sign_out_button.setVisible(True)
        self.stack.setCurrentWidget(self.tabs)
        self._tab_changed(self.tabs.currentIndex())

    def show_screen(self, name: str) -> QWidget:
        page = self.pages[name]
        if self.tabs.currentWidget() is page:
            self._tab_changed(self.tabs.currentIndex())  # already there: bring it up to date
        else:
            self.tabs.setCurrentWidget(page)  # currentChanged brings it up to date
        return page

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        shown = getattr(page, "on_shown", None)
        if (
            shown is not None
            and self.session.service is not None
            and self.session.engineer is not None
        ):
            shown()

    def show_connection(self, event: model.Connection) -> None:
        state = event.state.value
        words = {
            "online": "online",
            "offline": "OFFLINE",
            "stale": "online, a meter is quiet",
            "connecting": "connecting...",
            "degraded": "online, some frames rejected",
        }.get(state, state)
        text = f"Radio: {words}" + (
            f" - {event.reason}" if event.reason and state != "online" else ""
        )
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(
            f"color: {STATE_COLOURS.get(state, '#000000')}; font-weight: bold;"
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)

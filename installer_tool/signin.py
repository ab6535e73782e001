"""Sign in, or on first run create the first engineer account (there is no default password)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from device_backend.installer.api import Engineer, SignInError
from installer_tool.session import Session


class SignInPage(QWidget):
    signed_in = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel(self)
        self.title.setObjectName("signin-title")
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setObjectName("signin-username")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("signin-display-name")
        self.password = QLineEdit(self)
        self.password.setObjectName("signin-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("signin-confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = QPushButton(self)
        self.button.setObjectName("signin-button")
        self.button.setDefault(True)
        self.feedback = QLabel("", self)
        self.feedback.setObjectName("signin-feedback")
        self.feedback.setWordWrap(True)
        self.feedback.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("User name", self.username)
        self.display_row = QLabel("Your name", self)
        form.addRow(self.display_row, self.display_name)
        form.addRow("Password", self.password)
        self.confirm_row = QLabel("Password again", self)
        form.addRow(self.confirm_row, self.confirm)
        box = QWidget(self)
        box.setMaximumWidth(520)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.explain)
        inner.addLayout(form)
        inner.addWidget(self.button)
        inner.addWidget(self.feedback)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.confirm.returnPressed.connect(self._submit)
        self.refresh()

    @property
    def first_run(self) -> bool:
        return not self.session.accounts.any()

    def refresh(self) -> None:
        first = self.first_run
        self.title.setText("Create the first engineer account" if first else "Sign in")
        self.explain.setText(
            "No one has used this toolkit on this laptop yet. Choose your user name and a password of at "
            "least 10 characters; every action you take will be recorded under your name."
            if first
            else "Sign in with your own account: every action is recorded under your name."
        )
        for widget in (self.display_row, self.display_name, self.confirm_row, self.confirm):
            widget.setVisible(first)
        self.button.setText("Create account and sign in" if first else "Sign in")
        self.password.clear()
        self.confirm.clear()

    def _submit(self) -> None:
        try:
            if self.first_run:
                engineer = self.session.accounts.create(
                    self.username.text(),
                    self.display_name.text(),
                    self.password.text(),
                    self.confirm.text(),
                )
                self.session.audit.record(engineer.username, "created the first engineer account")
            else:
                engineer = self.session.accounts.sign_in(self.username.text(), self.password.text())
        except SignInError as exc:
            self.feedback.setText(str(exc))
            self.session.audit.record(
                self.username.text().strip().lower() or "(blank)",
                "sign-in refused",
                outcome=str(exc),
            )
            self.password.clear()
            self.confirm.clear()
            return
        self.feedback.setText("")
        self.password.clear()
        self.confirm.clear()
        self.session.sign_in(engineer)
        self.signed_in.emit(engineer)

    def signed_in_engineer(self) -> Engineer | None:
        return self.session.engineer

"""Alerts on screen: a badge on the status line or a popup to answer; spoken, and sounded if wished."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QVBoxLayout, QWidget

from ihd_app.viewmodels.alerts import Alert, AlertsViewModel
from ihd_app.widgets.common import button, label, set_role
from ihd_app.widgets.flow import FlowLayout
from ihd_app.widgets.statusline import StatusLine


class AlertCard(QFrame):
    """The words and the two answers, in the popup."""

    answered = Signal(str)  # "show" or "dismissed"

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}-card")
        self.setProperty("role", "warning")
        # One line normally: the words, then the two answers; at large text they stack.
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(10, 4, 6, 4)
        self.box.setSpacing(8)
        self.words = label("", "", name=f"{prefix}-text")
        self.words.setStyleSheet("font-weight: bold;")
        self.box.addWidget(self.words, 1)
        answers = FlowLayout()
        self.show_me = button("", name=f"{prefix}-show")
        self.show_me.clicked.connect(lambda: self.answered.emit("show"))
        self.dismiss = button("", name=f"{prefix}-dismiss")
        self.dismiss.clicked.connect(lambda: self.answered.emit("dismissed"))
        answers.addWidget(self.show_me)
        answers.addWidget(self.dismiss)
        self.box.addLayout(answers)
        self.retranslate()

    def set_text_scale(self, scale: float, *, stacked: bool = False) -> None:
        self.box.setDirection(
            QBoxLayout.Direction.TopToBottom
            if stacked or scale >= 1.5
            else QBoxLayout.Direction.LeftToRight
        )

    def retranslate(self) -> None:
        self.dismiss.setText(self.tr("Dismiss"))
        self.dismiss.setAccessibleDescription(self.tr("Close this alert"))
        self.show_me.setAccessibleDescription(self.tr("Go to the screen this alert is about"))

    def present(self, vm: AlertsViewModel, alert: Alert) -> None:
        text = vm.text(alert)
        mark = "⚠ " if alert.severity == "warning" else "✖ "
        waiting = len(vm.queue)
        # Non-breaking spaces keep "(1 of 2)" together when the line wraps.
        more = (
            " " + self.tr("(1 of {n})").format(n=waiting).replace(" ", "\u00a0")
            if waiting > 1
            else ""
        )
        self.words.setText(mark + text + more)
        self.words.setAccessibleName(text)
        set_role(self, alert.severity)
        self.show_me.setText(vm.show_label(alert))


class AlertPopup(QWidget):
    """Covers the window with a dimmed backdrop: the card must be answered before anything else."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("alert-popup")
        self.card = AlertCard("alert-popup", self)
        self.card.set_text_scale(1.0, stacked=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addStretch(1)
        layout.addWidget(self.card)
        layout.addStretch(1)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 170))
        painter.end()


class AlertPresenter(QWidget):
    """Shows the view-model's current alert: on the status line's badge, or in the popup.

    The popup is for what is urgent (supply off, credit run out, an important message) and
    for a trial's "popup" style; but never while the household is in the middle of something
    (typing a top-up code or a PIN): then the badge carries it until they are done. Nothing
    here ever takes room from a screen, so an arriving alert cannot push anything off it.
    """

    shown = Signal(object)  # Alert, once per alert put on view

    def __init__(
        self,
        window: QWidget,
        vm: AlertsViewModel,
        line: StatusLine,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(window)
        self.setObjectName("alert-presenter")
        self.vm = vm
        self.window_ = window
        self.line = line
        self.busy = busy
        self.style_ = "banner"
        self.popup = AlertPopup(window)
        self.line.answered.connect(self._answer)
        self.popup.card.answered.connect(self._answer)
        self._on_view: Alert | None = None
        vm.changed.connect(self.refresh)
        self.hide()

    def set_style(self, style: str) -> None:
        if style != self.style_:
            self.style_ = style
            self._on_view = None
            self.refresh()

    def _answer(self, how: str) -> None:
        alert = self.vm.dismiss(how)
        if alert is not None and how == "show":
            go = getattr(self.window_, "show_screen", None)
            if callable(go):
                go(alert.screen)

    def set_text_scale(self, scale: float) -> None:
        self.popup.card.set_text_scale(scale, stacked=True)

    def retranslate(self) -> None:
        self.popup.card.retranslate()
        self.line.retranslate()
        self._on_view = None
        self.refresh()

    def fit_popup(self) -> None:
        self.popup.setGeometry(self.window_.rect())

    def _badge(self, alert: Alert) -> None:
        mark = "⚠ " if alert.severity == "warning" else "✖ "
        waiting = len(self.vm.queue)
        more = (
            " " + self.tr("(1 of {n})").format(n=waiting).replace(" ", "\u00a0")
            if waiting > 1
            else ""
        )
        self.line.set_alert(
            mark + self.vm.short_text(alert) + more, self.vm.text(alert), self.vm.show_label(alert)
        )
        set_role(self.line.alert_words, "badge" if alert.severity == "warning" else "badge-alert")

    def refresh(self) -> None:
        alert = self.vm.current
        content = getattr(self.window_, "body", None)
        if alert is None:
            self.line.set_alert("", "", "")
            self.popup.hide()
            if isinstance(content, QWidget):
                content.setEnabled(True)
            self.line.setEnabled(True)
            self._on_view = None
            return
        self._badge(alert)
        popup = (self.style_ == "popup" or self.vm.urgent(alert)) and not self.busy()
        if popup:
            self.popup.card.present(self.vm, alert)
            self.fit_popup()
            self.popup.show()
            self.popup.raise_()
            # Whatever is under the backdrop is out of reach of fingers, keys and switches alike.
            if isinstance(content, QWidget):
                content.setEnabled(False)
            self.line.setEnabled(False)
            self.popup.card.show_me.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.popup.hide()
            if isinstance(content, QWidget):
                content.setEnabled(True)
            self.line.setEnabled(True)
        if alert is not self._on_view:
            self._on_view = alert
            self.shown.emit(alert)
            where = self.popup.card.words if popup else self.line.alert_words
            announcement = QAccessibleAnnouncementEvent(where, self.vm.text(alert))
            announcement.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
            QAccessible.updateAccessibility(announcement)

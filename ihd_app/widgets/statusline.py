"""The status line: the screen's name, alerts as badges, the radio signal and the time.

GB supplier displays keep their main figures fixed and put a message or alert indicator in a
status line; so does this one. The line has one height whatever it holds, so an alert that
arrives never pushes a screen (or a half-typed top-up code) down.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from ihd_app.widgets.common import button, label

BARS = 4  # as a phone shows it: nothing, one to four bars


class SignalBars(QWidget):
    """Four rising bars, as many filled as the link is good; a cross when there is no link.

    Bars and the cross are shape cues: they read without colour.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("link-signal")
        self.level = 0
        self.scale = 1.0
        self.colour = "#ffffff"
        self.dim = "#5d7a94"
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_level(0, "")

    def sizeHint(self) -> QSize:
        return QSize(round(34 * self.scale), round(26 * self.scale))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def set_look(self, colour: str, dim: str, scale: float) -> None:
        self.colour, self.dim, self.scale = colour, dim, scale
        self.setFixedSize(self.sizeHint())
        self.update()

    def set_level(self, level: int, spoken: str) -> None:
        self.level = max(0, min(BARS, level))
        self.setAccessibleName(spoken)
        self.setToolTip(spoken)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        gap = w * 0.06
        width = (w - gap * (BARS - 1)) / BARS
        for i in range(BARS):
            height = h * (0.3 + 0.7 * (i + 1) / BARS)
            rect = QRectF(i * (width + gap), h - height, width, height).adjusted(1, 1, -1, -1)
            lit = i < self.level
            painter.setPen(QPen(QColor(self.colour if lit else self.dim), 1.5))
            painter.setBrush(QColor(self.colour) if lit else Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
        if self.level == 0:  # no link: a cross over the empty bars
            painter.setPen(QPen(QColor(self.colour), max(2.0, 2.5 * self.scale)))
            painter.drawLine(
                QRectF(0, 0, w * 0.45, h * 0.45).topLeft(),
                QRectF(0, 0, w * 0.45, h * 0.45).bottomRight(),
            )
            painter.drawLine(
                QRectF(0, 0, w * 0.45, h * 0.45).topRight(),
                QRectF(0, 0, w * 0.45, h * 0.45).bottomLeft(),
            )
        painter.end()


class StatusLine(QWidget):
    """Left to right: screen title, alert badge (words, "Show me", ✕), paused loads,
    signal, link words, the clock's note (the host's clock differs from the meters'), clock.

    When the line is too narrow (Welsh, large text, a long alert) parts give way in a fixed
    order rather than being cut: the date, then the word "Connected" (the bars still say it),
    then the words of paused loads (their mark stays), then the clock note's words (its mark
    stays; the whole sentence is its spoken name and tooltip), then the alert's words (its button
    still says what to do), then a problem link's words, then the extra size above 150% of the
    title, the alert's buttons and the clock, then the title (the tab bar still shows which screen is on view).
    """

    answered = Signal(str)  # "show" or "dismissed", for the alert on the badge

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status-line")
        self.title = label("", "title", wrap=False, name="screen-title")
        self.alert_words = label("", "badge", wrap=False, name="alert-banner-text")
        self.show_me = button("", role="badge", name="alert-banner-show")
        self.show_me.clicked.connect(lambda: self.answered.emit("show"))
        self.dismiss = button("✕", role="badge", name="alert-banner-dismiss")
        self.dismiss.clicked.connect(lambda: self.answered.emit("dismissed"))
        self.paused = label("", "badge", wrap=False, name="load-control-badge")
        self.signal = SignalBars()
        self.link = label("", "status", wrap=False, name="link-status")
        self.clock_note = label("", "badge", wrap=False, name="clock-note")
        self.clock = label("", "clock", wrap=False, name="clock")
        self._time = ""
        self._day = ""
        self._link_ok = True
        self._alert_on = False
        self._fitting = False
        self._paused = ("", "")
        self._clock_note = ("", "")

        self._box = box = QHBoxLayout(self)
        box.setContentsMargins(8, 2, 6, 2)
        box.setSpacing(8)
        box.addWidget(self.title)
        box.addStretch(1)
        for w in (self.alert_words, self.show_me, self.dismiss, self.paused):
            box.addWidget(w)
        box.addSpacing(4)
        box.addWidget(self.signal)
        box.addWidget(self.link)
        box.addWidget(self.clock_note)
        box.addWidget(self.clock)
        for w in (self.alert_words, self.show_me, self.dismiss, self.paused, self.clock_note):
            w.hide()
        self._parts: list[QWidget] = [
            self.title,
            self.alert_words,
            self.show_me,
            self.dismiss,
            self.paused,
            self.signal,
            self.link,
            self.clock_note,
            self.clock,
        ]
        self.retranslate()

    def retranslate(self) -> None:
        self.dismiss.setAccessibleName(self.tr("Dismiss"))
        self.dismiss.setAccessibleDescription(self.tr("Close this alert"))
        self.show_me.setAccessibleDescription(self.tr("Go to the screen this alert is about"))

    def set_height(self) -> None:
        """One height whatever is shown: a badge button's at the text size now chosen."""
        self.show_me.ensurePolished()
        needed = max(self.show_me.sizeHint().height(), self.clock.sizeHint().height())
        self.setFixedHeight(needed + 6)

    # -- contents ------------------------------------------------------------------------------

    def set_title(self, text: str) -> None:
        self.title.setText(text)
        self.fit()

    def set_clock(self, time: str, day: str, spoken: str) -> None:
        self._time, self._day = time, day
        self.clock.setAccessibleName(spoken)
        self.fit()

    def set_link(self, words: str, ok: bool, bars: int, spoken: str) -> None:
        self.link.setText(words)
        self._link_ok = ok
        self.signal.set_level(bars, spoken)
        self.fit()

    def set_alert(self, words: str, spoken: str, action: str) -> None:
        """An alert on the badge; empty words take it away."""
        self._alert_on = bool(words)
        self.alert_words.setText(words)
        self.alert_words.setAccessibleName(spoken)
        self.alert_words.setToolTip(spoken)
        self.show_me.setText(action)
        self.show_me.setToolTip(spoken)
        self.fit()

    def set_paused(self, words: str, spoken: str, mark: str) -> None:
        """Paused loads: words, or only the mark when the line is short of room."""
        self._paused = (words, mark)
        self.paused.setText(words)
        self.paused.setAccessibleName(spoken)
        self.paused.setToolTip(spoken)
        self.fit()

    def set_clock_note(self, words: str, spoken: str, mark: str) -> None:
        """The host's clock differs from the meters': a few words, or the mark when short of
        room; `spoken` is the whole sentence."""
        self._clock_note = (words, mark)
        self.clock_note.setText(words)
        self.clock_note.setAccessibleName(spoken)
        self.clock_note.setToolTip(spoken)
        self.fit()

    # -- fitting -------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def _needed(self) -> int:
        box = self._box
        margins = box.contentsMargins()
        shown = [w for w in self._parts if not w.isHidden()]
        widths = sum(w.sizeHint().width() for w in shown)
        gaps = box.spacing() * (len(shown) - 1) + 4  # the spacing before the signal
        return widths + gaps + margins.left() + margins.right()

    def _compact_title(self, compact: bool) -> None:
        """The title, the alert's buttons and the clock in words of 150% at most."""
        for w in (self.title, self.show_me, self.dismiss, self.clock):
            if bool(w.property("compact")) != compact:
                w.setProperty("compact", compact)
                w.style().unpolish(w)
                w.style().polish(w)

    def fit(self) -> None:
        """Show as much as fits, dropping parts in the order the class doc gives."""
        if self._fitting:
            return
        self._fitting = True
        try:
            steps = [
                lambda: self.clock.setText(
                    f"{self._time}  {self._day}" if self._day else self._time
                ),
                lambda: self.clock.setText(self._time),
                lambda: self.link.setVisible(not self._link_ok and bool(self.link.text())),
                lambda: self.paused.setText(self._paused[1]),
                lambda: self.clock_note.setText(self._clock_note[1]),
                lambda: self.alert_words.setVisible(False),
                lambda: self.link.setVisible(False),
                # Smaller words (150% at most) before no title: the Welsh "Ychwanegu credyd"
                # chip at 200% pushed "Balans" off the line, and at 800x480 with large text
                # the title is what says which screen is on view (issue 19).
                lambda: self._compact_title(True),
                lambda: self.title.setVisible(False),
            ]
            self._compact_title(False)
            self.title.setVisible(bool(self.title.text()))
            self.link.setVisible(bool(self.link.text()))
            self.alert_words.setVisible(self._alert_on)
            self.show_me.setVisible(self._alert_on)
            self.dismiss.setVisible(self._alert_on)
            self.paused.setText(self._paused[0])
            self.paused.setVisible(bool(self._paused[0]))
            self.clock_note.setText(self._clock_note[0])
            self.clock_note.setVisible(bool(self._clock_note[0]))
            room = self.width()
            for step in steps:
                step()
                if self._needed() <= room:
                    break
        finally:
            self._fitting = False

"""Screen brightness as a dark veil over the window, dimming further when no one is using it."""

# A kiosk panel's backlight is not reachable from Qt on every board, so the veil is the
# portable way; a board with a backlight driver could map the same level onto it.

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

IDLE_MS = 60_000
IDLE_BRIGHTNESS = 20
_INPUT = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchEnd,
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
}


class Dimmer(QWidget):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("dimmer")
        self._window = window
        self.brightness = 100
        self.dim_when_idle = True
        self.idle = False
        self._swallow_release = False
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self.dim_now)
        window.installEventFilter(self)  # for its resizes
        application = QCoreApplication.instance()
        if application is not None:
            # Touches go to whichever button is under the finger, so watch them all; Qt drops
            # the filter when this widget is deleted with its window.
            application.installEventFilter(self)
        self._resize()

    def configure(self, brightness: int, dim_when_idle: bool) -> None:
        self.brightness = brightness
        self.dim_when_idle = dim_when_idle
        if dim_when_idle:
            self._timer.start()
        else:
            self._timer.stop()
            self.idle = False
        self._refresh()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def waiting_to_dim(self) -> bool:
        return self._timer.isActive()

    @property
    def level(self) -> int:
        return min(self.brightness, IDLE_BRIGHTNESS) if self.idle else self.brightness

    def dim_now(self) -> None:
        """What the idle timer does; also for a "screen off" gesture."""
        self.idle = True
        self._refresh()

    def _refresh(self) -> None:
        self._resize()
        self.setVisible(self.level < 100)
        self.raise_()
        self.update()

    def _resize(self) -> None:
        self.setGeometry(self._window.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Resize:
            self._resize()
        if kind in _INPUT:
            if self.dim_when_idle:
                self._timer.start()
            if self.idle:
                # The touch that wakes a dimmed display must not also press whatever is under it.
                self.idle = False
                self._refresh()
                self._swallow_release = kind == QEvent.Type.MouseButtonPress
                return True
            if self._swallow_release and kind == QEvent.Type.MouseButtonRelease:
                self._swallow_release = False
                return True
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, round(255 * (100 - self.level) / 100)))
        painter.end()

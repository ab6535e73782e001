"""The display's window: a status strip, the load-control banner, the screens and the tab bar."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from device_backend import model
from ihd_app import formatting, theme
from ihd_app.screens import SCREENS
from ihd_app.screens.balance import BalanceScreen
from ihd_app.screens.export import ExportScreen
from ihd_app.screens.messages import MessagesScreen
from ihd_app.screens.now import NowScreen
from ihd_app.screens.settings import SettingsScreen
from ihd_app.screens.tariff import TariffScreen
from ihd_app.screens.usage import UsageScreen
from ihd_app.state import DisplayState
from ihd_app.widgets.common import label, set_role
from ihd_app.widgets.dimmer import Dimmer
from ihd_app.widgets.tabbar import TabBar

MINIMUM = QSize(800, 480)


class MainWindow(QWidget):
    closed = Signal()

    def __init__(
        self, state: DisplayState, parent: QWidget | None = None, *, idle_dimming: bool = True
    ) -> None:
        super().__init__(parent)
        self.idle_dimming = idle_dimming  # off for screenshots: they show the display in use
        self.state = state
        self.setObjectName("ihd-window")
        self.setWindowTitle(self.tr("Energy display"))
        self.setMinimumSize(MINIMUM)
        self.titles = {
            "now": self.tr("Now"),
            "usage": self.tr("Usage"),
            "history": self.tr("History"),
            "tariff": self.tr("Tariff"),
            "balance": self.tr("Balance"),
            "messages": self.tr("Messages"),
            "export": self.tr("Export"),
            "settings": self.tr("Settings"),
        }
        settings = state.settings.settings
        self.palette_ = theme.palette(settings.high_contrast)

        strip = QHBoxLayout()
        strip.setContentsMargins(8, 2, 8, 2)
        self.screen_title = label("", "title", wrap=False, name="screen-title")
        self.link = label("", "status", wrap=False, name="link-status")
        self.clock = label("", "title", wrap=False, name="clock")
        strip.addWidget(self.screen_title)
        strip.addStretch(1)
        strip.addWidget(self.link)
        strip.addSpacing(12)
        strip.addWidget(self.clock)
        self.banner = label("", "banner", name="load-control-banner")
        self.banner.setVisible(False)

        self.stack = QStackedWidget()
        self.screens: dict[str, QWidget] = {
            "now": NowScreen(state.now, state.settings, self.palette_),
            "usage": UsageScreen(state.usage, state.settings),
            "history": QWidget(),  # built on first use: pyqtgraph is not needed for the first paint
            "tariff": TariffScreen(state.tariff),
            "balance": BalanceScreen(state.balance),
            "messages": MessagesScreen(state.messages),
            "export": ExportScreen(state.export),
            "settings": SettingsScreen(state.settings, self.installer_info),
        }
        for name in SCREENS:
            self.stack.addWidget(self.screens[name])
        self._history_built = False

        self.tabs = TabBar([(name, self.titles[name]) for name in SCREENS])
        self.tabs.selected.connect(self.show_screen)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(strip)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.tabs)

        self.dimmer = Dimmer(self)
        self.current = "now"
        self.show_screen("now")
        self.apply_settings()
        state.settings.changed.connect(self.apply_settings)
        state.load_control.changed.connect(self._refresh_banner)
        state.now.changed.connect(self._refresh_strip)
        state.messages.changed.connect(self._refresh_tabs)
        state.export.changed.connect(self._refresh_tabs)
        self._refresh_strip()
        self._refresh_tabs()

    # -- screens ---------------------------------------------------------------------------

    def page(self, name: str) -> QWidget:
        if name == "history":
            self._build_history()
        return self.screens[name]

    def _build_history(self) -> None:
        if self._history_built:
            return
        from ihd_app.screens.history import HistoryScreen

        history = HistoryScreen(
            self.state.history, self.palette_, self.state.settings.settings.pounds_first
        )
        history.set_palette(
            self.palette_, theme.TEXT_SCALES[self.state.settings.settings.text_size]
        )
        placeholder = self.screens["history"]
        index = self.stack.indexOf(placeholder)
        self.stack.insertWidget(index, history)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.screens["history"] = history
        self._history_built = True

    def show_screen(self, name: str) -> None:
        if name not in self.screens:
            raise ValueError(f"no screen called {name!r}; choose one of {', '.join(SCREENS)}")
        leaving = self.screens.get(self.current)
        if name != self.current and hasattr(leaving, "reset"):
            leaving.reset()  # type: ignore[union-attr]
        self.current = name
        widget = self.page(name)
        self.stack.setCurrentWidget(widget)
        self.tabs.set_current(name)
        self.screen_title.setText(self.titles[name])
        if name in ("usage", "history"):
            refresh = getattr(getattr(widget, "vm", None), "refresh", None)
            if callable(refresh):
                refresh()

    # -- look ------------------------------------------------------------------------------

    def apply_settings(self) -> None:
        s = self.state.settings.settings
        self.palette_ = theme.palette(s.high_contrast)
        scale = theme.TEXT_SCALES[s.text_size]
        self.setStyleSheet(theme.style_sheet(s.high_contrast, s.text_size))
        now_screen = self.screens["now"]
        if isinstance(now_screen, NowScreen):
            now_screen.set_palette(self.palette_, scale)
        if self._history_built:
            self.screens["history"].set_palette(self.palette_, scale)  # type: ignore[attr-defined]
        self.dimmer.configure(s.brightness, s.dim_when_idle and self.idle_dimming)

    # -- strip, banner, tabs ---------------------------------------------------------------

    def _refresh_strip(self) -> None:
        now = self.state.session.now()
        self.clock.setText(f"{formatting.clock_time(now)}  {formatting.day_label(now)}")
        connection = self.state.now.connection
        state = connection.state if connection else model.ConnectionState.CONNECTING
        words, role = {
            model.ConnectionState.ONLINE: (self.tr("● Connected"), "status"),
            model.ConnectionState.CONNECTING: (self.tr("Connecting…"), "status"),
            model.ConnectionState.STALE: (self.tr("⚠ Stale readings"), "warning"),
            model.ConnectionState.OFFLINE: (self.tr("✖ Offline"), "alert"),
            model.ConnectionState.DEGRADED: (self.tr("⚠ Some readings failed"), "warning"),
        }[state]
        self.link.setText(words)
        set_role(self.link, role)

    def _refresh_banner(self) -> None:
        text = self.state.load_control.banner()
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _refresh_tabs(self) -> None:
        waiting = self.state.messages.unconfirmed_count()
        # The count goes on a second line: eight tabs share 800 pixels.
        count = f"\n({waiting})" if waiting else ""
        self.tabs.set_text("messages", self.titles["messages"] + count)
        self.tabs.set_visible_tab("export", self.state.export.has_export)

    def installer_info(self) -> list[str]:
        session = self.state.session
        lines = [
            self.tr("Connection: {state}").format(
                state=self.state.now.connection.state.value if self.state.now.connection else "-"
            )
        ]
        if self.state.now.connection and self.state.now.connection.reason:
            lines.append(self.state.now.connection.reason)
        backend = session.backend
        target = getattr(backend, "target", None)
        if target is not None:
            lines.append(
                self.tr("Target: {kind}:{where}").format(kind=target.kind, where=target.where)
            )
        devices = backend.devices() if backend is not None else []
        lines.append(self.tr("Devices: {n}").format(n=len(devices)))
        lines.extend(f"  {d.role} {d.ieee} {d.manufacturer} {d.model}".rstrip() for d in devices)
        return lines

    # -- output ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.dimmer.stop()
        self.state.stop_ticking()
        super().closeEvent(event)
        self.closed.emit()

    def set_kiosk(self) -> None:
        """Frameless and full screen; the cursor is hidden by the application (see main)."""
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setCursor(Qt.CursorShape.BlankCursor)

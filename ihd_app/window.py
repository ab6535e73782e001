"""The display's window: the status line (alerts as badges), the screens and the tab bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QStackedWidget, QVBoxLayout, QWidget

from device_backend.api import model
from ihd_app import formatting, theme, translation
from ihd_app.plural import counted
from ihd_app.screens import SCREENS
from ihd_app.screens.balance import BalanceScreen
from ihd_app.screens.export import ExportScreen
from ihd_app.screens.messages import MessagesScreen
from ihd_app.screens.now import NowScreen
from ihd_app.screens.settings import SettingsScreen
from ihd_app.screens.tariff import TariffScreen
from ihd_app.screens.usage import UsageScreen
from ihd_app.sound import Chime
from ihd_app.state import DisplayState
from ihd_app.widgets.alertview import AlertPresenter
from ihd_app.widgets.common import button, scrolling, set_role
from ihd_app.widgets.dimmer import Dimmer
from ihd_app.widgets.household_prompt import HouseholdPrompt
from ihd_app.widgets.statusline import StatusLine
from ihd_app.widgets.switch import SwitchAccess
from ihd_app.widgets.tabbar import TabBar

MINIMUM = QSize(800, 480)
TAB_MODE = {"normal": "row", "large": "grid", "largest": "menu"}
SHORT_PANEL = 600  # below this height large text gets the Menu button instead of two tab rows


class MenuPage(QWidget):
    """All the screens as big buttons, two to a row: the tab bar's stand-in at the largest text."""

    def __init__(self, titles: dict[str, str], choose: Callable[[str], None]) -> None:
        super().__init__()
        self.setObjectName("screen-menu")
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setSpacing(8)
        self.buttons = {}
        for index, name in enumerate(SCREENS):
            b = button(
                titles[name],
                name=f"menu-{name}",
                description=self.tr("Go to the {screen} screen").format(screen=titles[name]),
            )
            b.setMinimumHeight(72)
            b.clicked.connect(lambda _=False, n=name: choose(n))
            grid.addWidget(b, index // 2, index % 2)
            self.buttons[name] = b
        grid.setRowStretch(len(SCREENS), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(content, is_list=True))  # a list of the screens


class MainWindow(QWidget):
    closed = Signal()
    screen_changed = Signal(str)  # every screen put on view, "menu" included
    close_refused = Signal()

    def __init__(
        self, state: DisplayState, parent: QWidget | None = None, *, idle_dimming: bool = True
    ) -> None:
        super().__init__(parent)
        self.idle_dimming = idle_dimming  # off for screenshots: they show the display in use
        self.state = state
        self.setObjectName("ihd-window")
        self.setMinimumSize(MINIMUM)
        # Asked before closing: a trial says no until the researcher has entered their PIN.
        self.close_guard: Callable[[], bool] | None = None
        self.researcher_page: Callable[[], QWidget] | None = None
        self._force_close = False
        self.current = "now"
        self.showing_menu = False
        self._language = translation.current_language()
        # What was asked for may have fallen back to English (a missing translation): asking
        # again on every settings change would rebuild every screen each time, forever.
        self._language_asked = translation.requested_language()
        self._focus_visible = False
        self._style_key: tuple[object, ...] = ()

        self.chime = Chime(self)
        # Outside the body, which is rebuilt on a change of language; one fixed height.
        self.status = StatusLine(self)
        self.alerts = AlertPresenter(self, state.alerts, self.status, self.busy)
        self.alerts.shown.connect(self._sound_alert)
        self.switch = SwitchAccess(self)
        self.switch.focus_visible_changed.connect(self._set_focus_visible)

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.status)
        self.body = QWidget()
        self._layout.addWidget(self.body, 1)
        self._build_body()

        # A change of tenancy or supplier from the meter: over everything, alerts included.
        self.household = HouseholdPrompt(self, state.household, state.settings)
        self.dimmer = Dimmer(self)
        self.show_screen("now")
        self.apply_settings()
        state.settings.changed.connect(self.apply_settings)
        state.load_control.changed.connect(self._refresh_banner)
        state.load_switches.changed.connect(self._refresh_banner)
        state.now.changed.connect(self._refresh_strip)
        state.messages.changed.connect(self._refresh_tabs)
        state.alerts.changed.connect(self._refresh_tabs)
        state.export.changed.connect(self._refresh_tabs)
        self._refresh_strip()
        self._refresh_tabs()

    # -- building (again after a change of language) ----------------------------------------

    def _build_body(self) -> None:
        state = self.state
        self.setWindowTitle(self.tr("Energy display"))
        self.titles = {
            "now": self.tr("Now"),
            "usage": self.tr("Usage"),
            "history": self.tr("History"),
            "tariff": self.tr("Prices"),
            "balance": self.tr("Balance"),
            "messages": self.tr("Messages"),
            "export": self.tr("Export"),
            "settings": self.tr("Settings"),
        }
        self.menu_title = self.tr("Menu")
        settings = state.settings.settings
        self.palette_ = theme.palette(settings.high_contrast)

        self.stack = QStackedWidget()
        self.screens: dict[str, QWidget] = {
            "now": NowScreen(
                state.now,
                state.settings,
                self.palette_,
                balance=state.balance,
                budget=state.budget,
            ),
            "usage": UsageScreen(state.usage, state.settings, budget=state.budget),
            "history": QWidget(),  # built on first use: pyqtgraph is not needed for the first paint
            "tariff": TariffScreen(state.tariff),
            "balance": BalanceScreen(state.balance),
            "messages": MessagesScreen(state.messages),
            "export": ExportScreen(state.export),
            "settings": SettingsScreen(state.settings, self.installer_info, self.researcher_page),
        }
        for name in SCREENS:
            self.stack.addWidget(self.screens[name])
        self.screens["balance"].entry_changed.connect(lambda: self.alerts.refresh())  # type: ignore[attr-defined]
        self._history_built = False
        self.menu_page = MenuPage(self.titles, self.show_screen)
        self.stack.addWidget(self.menu_page)

        self.tabs = TabBar([(name, self.titles[name]) for name in SCREENS])
        self.tabs.selected.connect(self.show_screen)
        self.tabs.menu_requested.connect(self.show_menu)

        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.tabs)

    def retranslate(self) -> None:
        """Build every screen again in the language now installed, on the same screen."""
        showing = "menu" if self.showing_menu else self.current
        old = self.body
        self.body = QWidget()
        self._layout.replaceWidget(old, self.body)
        old.hide()
        old.setParent(None)
        old.deleteLater()
        self._build_body()
        self.alerts.retranslate()
        self.household.retranslate()
        self._style_key = ()
        self._apply_look()  # never apply_settings: that may retranslate again
        self._refresh_strip()
        self._refresh_tabs()
        self._refresh_banner()
        if showing == "menu":
            self.show_menu()
        else:
            self.show_screen(showing)

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
        was = "menu" if self.showing_menu else self.current
        self.current = name
        self.showing_menu = False
        widget = self.page(name)
        self.stack.setCurrentWidget(widget)
        self.tabs.set_current(name)
        self.status.set_title(self.titles[name])
        if name == "messages":
            self.state.alerts.read_messages()
        self.alerts.refresh()  # an urgent alert held back while a code was typed may pop now
        if name in ("usage", "history"):
            refresh = getattr(getattr(widget, "vm", None), "refresh", None)
            if callable(refresh):
                refresh()
        if was != name:
            self.screen_changed.emit(name)

    def show_page(self, name: str) -> None:
        """A screen, or "topup": the Balance screen's keypad (for --screen and screenshots)."""
        if name == "topup":
            self.show_screen("balance")
            open_keypad = getattr(self.screens["balance"], "open_keypad", None)
            if callable(open_keypad):
                open_keypad()
            return
        self.show_screen(name)

    def show_menu(self) -> None:
        leaving = self.screens.get(self.current)
        if not self.showing_menu and hasattr(leaving, "reset"):
            leaving.reset()  # type: ignore[union-attr]
        self.showing_menu = True
        self.stack.setCurrentWidget(self.menu_page)
        self.status.set_title(self.menu_title)
        self.alerts.refresh()
        self.screen_changed.emit("menu")

    # -- look ------------------------------------------------------------------------------

    def apply_settings(self) -> None:
        s = self.state.settings.settings
        wanted = s.language or translation.system_language()
        if wanted != self._language_asked:
            self._language_asked = wanted
            app = QCoreApplication.instance()
            if app is not None:
                translation.set_language(app, wanted)
            if translation.current_language() != self._language:
                self._language = translation.current_language()
                self.retranslate()
                return
        self._apply_look()

    def _apply_look(self) -> None:
        s = self.state.settings.settings
        self.palette_ = theme.palette(s.high_contrast)
        scale = theme.TEXT_SCALES[s.text_size]
        key = (s.high_contrast, s.text_size, self._focus_visible)
        if key != self._style_key:  # restyling every widget costs tens of milliseconds
            self._style_key = key
            self.setStyleSheet(
                theme.style_sheet(s.high_contrast, s.text_size, show_focus=self._focus_visible)
            )
        now_screen = self.screens["now"]
        if isinstance(now_screen, NowScreen):
            now_screen.set_palette(self.palette_, scale)
            now_screen.ambient.set_style(s.ambient_style)
        if self._history_built:
            self.screens["history"].set_palette(self.palette_, scale)  # type: ignore[attr-defined]
        for screen in self.screens.values():
            fit = getattr(screen, "set_text_scale", None)
            if callable(fit):
                fit(scale)
        self.alerts.set_text_scale(scale)
        self.status.set_height()
        self.status.signal.set_look(self.palette_.text, self.palette_.border, scale)
        self._place_tabs()
        self.alerts.set_style(s.alert_style)
        self.dimmer.configure(s.brightness, s.dim_when_idle and self.idle_dimming)
        self.switch.set_scanning(s.switch_scanning, s.scan_seconds)

    def _place_tabs(self) -> None:
        mode = TAB_MODE.get(self.state.settings.settings.text_size, "row")
        if mode == "grid" and self.height() < SHORT_PANEL:
            # Two rows of tabs would leave a 480-pixel panel too little room for a screen.
            mode = "menu"
        self.tabs.set_mode(mode)
        if self.tabs.mode != "menu" and self.showing_menu:
            self.show_screen(self.current)

    def _set_focus_visible(self, on: bool) -> None:
        self._focus_visible = on
        self.apply_settings()

    def _sound_alert(self, alert: object) -> None:
        if self.state.settings.settings.alert_sound:
            self.chime.play(getattr(alert, "kind", "alert"))

    # -- strip, banner, tabs ---------------------------------------------------------------

    def busy(self) -> bool:
        """The household is typing a top-up code or a PIN: no popup may cover that."""
        prompt = getattr(self, "household", None)  # None while the window is being built
        if prompt is not None and prompt.isVisible():
            return True  # the change of tenancy question (or its PIN) is being answered
        if self.showing_menu:
            return False
        screen = self.screens.get(self.current)
        entering = getattr(screen, "entering", None)
        return bool(entering()) if callable(entering) else False

    def _refresh_strip(self) -> None:
        now = self.state.session.now()
        large = self.state.settings.settings.text_size != "normal"
        # At large text the date gives way, so the screen's name and the link state still fit.
        self.status.set_clock(
            formatting.clock_time(now),
            "" if large else formatting.day_label(now),
            self.tr("Time {time}, {day}").format(
                time=formatting.clock_time(now), day=formatting.day_label(now)
            ),
        )
        connection = self.state.now.connection
        state = connection.state if connection else model.ConnectionState.CONNECTING
        # Bars as a phone shows them; the words say what the bars cannot.
        words, role, bars = {
            model.ConnectionState.ONLINE: (self.tr("● Connected"), "status", 4),
            model.ConnectionState.CONNECTING: (self.tr("Connecting…"), "status", 0),
            model.ConnectionState.STALE: (self.tr("⚠ Stale readings"), "warning", 1),
            model.ConnectionState.OFFLINE: (self.tr("✖ Offline"), "alert", 0),
            model.ConnectionState.DEGRADED: (self.tr("⚠ Some readings failed"), "warning", 2),
        }[state]
        # The meters' measured link quality, where the back end has published it: a weak link
        # shows fewer bars though readings still arrive (never more than the state allows).
        measured = self.state.now.link_bars()
        if measured is not None and bars > 0:
            bars = max(1, min(bars, measured))
        spoken = self.tr("Meter signal: {n} of 4 bars").format(n=bars)
        self.status.set_link(words, state is model.ConnectionState.ONLINE, bars, spoken)
        set_role(self.status.link, role)
        # The clock shows the meters' time (the HAN's Time cluster); a host clock that differs
        # is said on the status line, never in a band that would push the screen down.
        meters = self.state.now
        badge = meters.clock_badge()
        self.status.set_clock_note(f"⚠ {badge}" if badge else "", meters.clock_note(), "⚠")

    def _refresh_banner(self) -> None:
        vm = self.state.load_control
        active = vm.active()
        words = (
            self.tr("❚❚ Paused until {time}").format(time=formatting.clock_time(active[0].ends))
            if active
            else ""
        )
        spoken = vm.banner()
        switches = self.state.load_switches.banner()  # GB: the supplier holds an ALCS
        if switches:
            words = "  ·  ".join(w for w in (words, "❚❚ " + switches) if w)
            spoken = "  ·  ".join(w for w in (spoken, switches) if w)
        self.status.set_paused(words, spoken, "❚❚" if words else "")

    def _refresh_tabs(self) -> None:
        messages = self.state.messages
        # Unread (an alert still waiting) or waiting for the household to confirm.
        waiting = len(
            self.state.alerts.message_ids()
            | {m.id for m in messages.messages() if messages.needs_confirmation(m)}
        )
        # The count goes on a second line: eight tabs share 800 pixels.
        count = f"\n({waiting})" if waiting else ""
        self.tabs.set_text("messages", self.titles["messages"] + count)
        going = self.menu_page.buttons["messages"].accessibleDescription()
        self.tabs.buttons["messages"].setAccessibleDescription(
            going
            + (
                ". "
                + counted(
                    self.tr(
                        "{n, plural, one {# message waiting for you to confirm}"
                        " other {# messages waiting for you to confirm}}"
                    ),
                    waiting,
                )
                if waiting
                else ""
            )
        )
        self.menu_page.buttons["messages"].setText(
            self.titles["messages"] + count.replace("\n", " ")
        )
        self.tabs.set_visible_tab("export", self.state.export.has_export)
        self.menu_page.buttons["export"].setVisible(self.state.export.has_export)

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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.alerts.fit_popup()
        prompt = getattr(self, "household", None)
        if prompt is not None:
            prompt.fit()
        self._place_tabs()

    def force_close(self) -> None:
        """Close whatever the guard says: the system is shutting the display down."""
        self._force_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._force_close and self.close_guard is not None and not self.close_guard():
            event.ignore()
            self.close_refused.emit()
            return
        self.dimmer.stop()
        self.switch.stop()
        self.state.stop_ticking()
        super().closeEvent(event)
        self.closed.emit()

    def set_kiosk(self) -> None:
        """Frameless and full screen; the cursor is hidden by the application (see main)."""
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setCursor(Qt.CursorShape.BlankCursor)

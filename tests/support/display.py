"""The display's test kit: a stand-in back end, canned events and totals, and the window opener."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication

from device_backend import model
from device_backend.events import EventHub
from device_backend.utrn import decode_utrn, validate_utrn
from ihd_app.settings import SettingsFile
from ihd_app.state import DisplayState
from ihd_app.totals import PeriodTotal
from ihd_app.window import MainWindow

START = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


class FakeBackend:
    """The facade's shape with a meter that always answers; records every command sent."""

    def __init__(self, now: datetime = START) -> None:
        self.events: EventHub[model.Event] = EventHub()
        self.clock = FakeClock(now)
        self.connection = model.Connection(time=now, state=model.ConnectionState.CONNECTING)
        self.store: Any = None
        self.sent: list[tuple[str, Any]] = []
        self.used: set[str] = set()
        self.credit = 1345
        self.started = False

    def on_event(self, callback: Callable[[model.Event], None]) -> Callable[[], None]:
        return self.events.subscribe(callback)

    def emit(self, event: model.Event) -> None:
        if isinstance(event, model.Connection):
            self.connection = event
        self.events.emit(event)

    async def start(self) -> None:
        self.started = True
        self.emit(model.Connection(time=self.clock.now(), state=model.ConnectionState.ONLINE))

    async def stop(self) -> None:
        self.started = False

    async def top_up(
        self, utrn: str, fuel: model.Fuel = model.Fuel.ELECTRICITY
    ) -> model.TopUpResult:
        self.sent.append(
            ("top_up", utrn) if fuel is model.Fuel.ELECTRICITY else ("top_up_gas", utrn)
        )
        # One balance stands for whichever meter the display chose; the result says which.
        digits = validate_utrn(utrn)
        await asyncio.sleep(0)  # the meter answers later, as a radio would
        if digits in self.used:
            result = model.TopUpResult(
                time=self.clock.now(),
                outcome=model.TopUpOutcome.DUPLICATE,
                fuel=fuel,
                credit_pence=self.credit,
            )
        else:
            self.used.add(digits)
            value = decode_utrn(digits).value_pence
            self.credit += value
            result = model.TopUpResult(
                time=self.clock.now(),
                outcome=model.TopUpOutcome.ACCEPTED,
                fuel=fuel,
                value_pence=value,
                credit_pence=self.credit,
            )
        self.emit(result)
        return result

    async def select_emergency_credit(self) -> bool:
        self.sent.append(("emergency", None))
        self.emit(prepayment(self.clock.now(), credit=self.credit, selected=True))
        return True

    async def confirm_message(self, message_id: int) -> None:
        self.sent.append(("confirm", message_id))

    async def request_supply_enable(self) -> model.SupplyState | None:
        self.sent.append(("supply", None))
        self.emit(model.Supply(time=self.clock.now(), state=model.SupplyState.ON))
        return model.SupplyState.ON

    def devices(self) -> list[model.DeviceInfo]:
        return [model.DeviceInfo(ieee="00:1a:2b:3c:00:00:e1:01", nwk=0x1234, role="ESME")]


def prepayment(
    now: datetime,
    *,
    credit: int = 1345,
    selected: bool = False,
    available: bool = True,
    low: bool = False,
) -> model.Prepayment:
    return model.Prepayment(
        time=now,
        mode=model.PaymentMode.PREPAYMENT,
        credit_pence=credit,
        emergency_credit_pence=1000,
        debt_pence=3000,
        low_credit=low,
        emergency_credit_available=available and not selected,
        emergency_credit_selected=selected,
        debt_recovery_pence_per_day=40,
        low_credit_level_pence=300,
    )


def price(
    now: datetime,
    fuel: model.Fuel = model.Fuel.ELECTRICITY,
    pence: str = "24.50",
    tier: int = 1,
    label: str = "Day",
    starts: datetime | None = None,
    ends: datetime | None = None,
) -> model.Price:
    return model.Price(
        time=now,
        fuel=fuel,
        pence_per_kwh=Decimal(pence),
        standing_charge_pence_per_day=Decimal("53.35"),
        tier=tier,
        tier_label=label,
        tariff_label="Fixed 2026",
        starts=starts,
        ends=ends,
    )


def demand(now: datetime, watts: int, fuel: model.Fuel = model.Fuel.ELECTRICITY) -> model.Demand:
    return model.Demand(time=now, fuel=fuel, raw=watts, multiplier=1, divisor=1000)


class FakeTotals:
    """Canned history: day n used n+5 kWh at 25p, plus a 50p standing charge."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def totals(self, fuel: model.Fuel, period: str, count: int) -> list[PeriodTotal]:
        step = {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=30)}[
            period
        ]
        rows = []
        for i in range(count):
            kwh = Decimal(i + 5) * (2 if fuel is model.Fuel.GAS else 1)
            rows.append(
                PeriodTotal(
                    start=self.now - step * (count - 1 - i), kwh=kwh, cost_pence=int(kwh * 25) + 50
                )
            )
        return rows

    def series(
        self, fuel: model.Fuel, start: datetime, end: datetime
    ) -> tuple[np.ndarray, np.ndarray]:
        times = np.arange(start.timestamp(), end.timestamp(), 600.0)
        return times, np.full(len(times), 0.5)


class Display:
    """A window on a fake back end, driven as a person would: by tapping."""

    def __init__(
        self,
        qtbot: Any,
        loop: asyncio.AbstractEventLoop,
        settings_path: Path | SettingsFile,
        backend: Any | None = None,
    ) -> None:
        self.qtbot = qtbot
        self.loop = loop
        settings = (
            settings_path
            if isinstance(settings_path, SettingsFile)
            else SettingsFile(settings_path)
        )
        self.state = DisplayState(settings)
        self.window = MainWindow(self.state)
        qtbot.addWidget(self.window)
        self.window.resize(800, 480)
        self.window.show()
        self.backend = backend if backend is not None else FakeBackend()
        self.state.session.attach(self.backend)
        self.run(self.state.session.start())

    def run(self, awaitable: Any) -> Any:
        return self.loop.run_until_complete(awaitable)

    def settle(self) -> None:
        """Let commands in flight finish, inside the loop, and the widgets catch up."""

        async def settled() -> None:
            for _ in range(3):
                await asyncio.sleep(0)
            await self.state.session.settle()
            for _ in range(3):
                await asyncio.sleep(0)

            QCoreApplication.processEvents()  # inside the loop, as every Qt event is in `ihd`

        self.run(settled())

    def emit(self, *events: model.Event) -> None:
        for event in events:
            self.backend.emit(event)

    def find(self, kind: type, name: str) -> Any:
        widget = self.window.findChild(kind, name)
        assert widget is not None, f"no {kind.__name__} called {name!r}"
        return widget

    def tap(self, name: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QPushButton

        button = self.find(QPushButton, name)
        assert button.isVisible(), f"{name} is not on screen"
        assert button.isEnabled(), f"{name} is disabled"

        async def tap_in_loop() -> None:
            # Commands start tasks, and qasync wants them created inside the running loop.
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            await asyncio.sleep(0)

        self.run(tap_in_loop())

    def text(self, name: str) -> str:
        from PySide6.QtWidgets import QLabel

        label = self.find(QLabel, name)
        return str(label.text())

    def visible_text(self) -> str:
        """Every label and button a person can see on the current screen, joined."""
        from PySide6.QtWidgets import QLabel, QPushButton

        parts = [w.text() for w in self.window.findChildren(QLabel) if w.isVisible() and w.text()]
        parts += [w.text() for w in self.window.findChildren(QPushButton) if w.isVisible()]
        return "\n".join(parts)

    def close(self) -> None:
        # pytest-qt has already closed and deleted the window (qtbot.addWidget).
        self.run(self.state.session.stop())
        self.state.stop_ticking()


@pytest.fixture
def display(qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Display]:
    shown = Display(qtbot, loop, tmp_path / "display.json")
    yield shown
    shown.close()


# -- a household to look at, and every page of the display -----------------------------------


def feed_a_home(d: Display) -> None:
    """A prepayment home with Economy 7, gas, solar export, a message waiting: every screen full."""
    d.state.set_source(FakeTotals())
    d.emit(
        price(START, ends=START + timedelta(hours=3)),
        price(START, pence="9.80", tier=2, label="Night", starts=START + timedelta(hours=3)),
        price(START, model.Fuel.GAS, pence="6.33", tier=0, label=""),
        demand(START, 1500),
        demand(START, 800, model.Fuel.GAS),
        model.Ambient(time=START, level=model.AmbientLevel.HIGH),
        prepayment(START, credit=250, low=True),
        model.Supply(time=START, state=model.SupplyState.ON),
        model.Energy(
            time=START,
            fuel=model.Fuel.ELECTRICITY,
            import_raw=1_000_000,
            multiplier=1,
            divisor=1000,
            export_raw=200_000,
        ),
        model.SupplierMessage(
            time=START, id=2, text="Your tariff changes on 1 February.", confirmation_required=True
        ),
    )


def send_code(d: Display) -> None:
    """Tap Top up; a whole code is read back first (issue 19), so tap Send on the read-back."""
    from PySide6.QtWidgets import QWidget

    d.tap("topup-send")
    if d.find(QWidget, "topup-confirm-send").isVisible():
        d.tap("topup-confirm-send")


def write_settings(path: Path, **choices: Any) -> Path:
    """A settings file with these choices (and no idle dimming, which would veil screenshots)."""
    import json
    from dataclasses import asdict

    from ihd_app.settings import Settings

    path.write_text(json.dumps(asdict(Settings(dim_when_idle=False, **choices))))
    return path


PAGES = (
    "now",
    "usage",
    "history",
    "tariff",
    "balance",
    "balance-keypad",
    "messages",
    "export",
    "settings",
    "settings-pin",
    "menu",
)


def open_page(d: Display, page: str) -> None:
    """Put one page on view the way the code does it for a tap (every page has a name above)."""
    from PySide6.QtWidgets import QApplication

    window = d.window
    if page == "menu":
        window.show_menu()
    elif page == "balance-keypad":
        window.show_screen("balance")
        window.screens["balance"].open_keypad()
    elif page == "settings-pin":
        window.show_screen("settings")
        window.screens["settings"]._open_installer()
    else:
        window.show_screen(page)
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def english_after() -> Iterator[None]:
    """Whatever language a test switches to, the next test starts in English."""
    yield
    from PySide6.QtWidgets import QApplication

    from ihd_app.translation import set_language

    app = QApplication.instance()
    if app is not None:
        set_language(app, "en")

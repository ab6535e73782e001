"""The display states the layout tests put a home in (issue 19): each starts from
`feed_a_home` (prepayment, Economy 7, gas, export, a message waiting) and changes one thing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from device_backend import model
from tests.support import tariffs
from tests.support.display import (
    START,
    Display,
    prepayment,
    price,
)


def _clear_alerts(d: Display) -> None:
    while d.state.alerts.current is not None:
        d.state.alerts.dismiss()


def _alerts_pending(d: Display) -> None:
    """Low credit, a message, a price rise and paused loads, all waiting on the status line."""
    d.emit(
        price(START, pence="27.00"),
        model.LoadControl(
            time=START,
            event_id=3,
            load="electric vehicle charger, water heater",
            starts=START,
            ends=START + timedelta(hours=2),
            active=True,
        ),
    )


def _credit_home(d: Display) -> None:
    d.emit(
        model.Prepayment(
            time=START,
            mode=model.PaymentMode.CREDIT,
            credit_pence=0,
            emergency_credit_pence=0,
            debt_pence=0,
            low_credit=False,
            emergency_credit_available=False,
            emergency_credit_selected=False,
        )
    )
    _clear_alerts(d)


def _connection(state: model.ConnectionState) -> Callable[[Display], None]:
    def apply(d: Display) -> None:
        d.emit(model.Connection(time=START, state=state, reason="No reply from the meter"))

    return apply


def _emergency(selected: bool) -> Callable[[Display], None]:
    def apply(d: Display) -> None:
        d.emit(prepayment(START, credit=0, selected=selected, low=True))

    return apply


def _supply(state: model.SupplyState) -> Callable[[Display], None]:
    def apply(d: Display) -> None:
        d.emit(prepayment(START, credit=0, low=True), model.Supply(time=START, state=state))

    return apply


def _urgent_message(d: Display) -> None:
    d.emit(
        model.SupplierMessage(
            time=START, id=8, text="Engineer visit on Friday morning.", importance="high"
        )
    )


def _credit_panel(d: Display) -> None:
    """A dual-fuel prepayment home on Now: the low-credit state, a line for each fuel's meter
    and the days left, in the credit card beside the figures."""
    from dataclasses import replace

    d.emit(replace(prepayment(START, credit=1280, low=True), fuel=model.Fuel.GAS))
    assert len(d.text("now-balance").splitlines()) == 2
    # The meters' top-up logs put a "Recent top-ups" button under the gas card on Balance.
    d.emit(model.TopUpLog(time=START, fuel=model.Fuel.GAS, entries=((START, Decimal(500)),)))


def _top_up_log(d: Display) -> None:
    """A dual-fuel prepayment home with nothing urgent: the meters' top-up logs put a "Recent
    top-ups" button under the gas card (it gives way to urgent actions, see credit-panel)."""
    from dataclasses import replace

    _clear_alerts(d)
    d.emit(
        prepayment(START, credit=2500, available=False),
        replace(prepayment(START, credit=2000, available=False), fuel=model.Fuel.GAS),
        model.TopUpLog(time=START, fuel=model.Fuel.GAS, entries=((START, Decimal(500)),)),
    )


def _night_rate(d: Display) -> None:
    """High use while the cheap night rate is in force: the sign explains itself."""
    d.emit(
        price(START, pence="9.80", tier=2, label="Night", starts=START),
        price(START, starts=START + timedelta(hours=7)),
    )
    _credit_panel(d)


def _budget(d: Display) -> None:
    """A weekly budget set, already over it: Now's line and bar, Usage's forecast."""
    d.state.settings.set_budget_period("week")
    assert d.state.budget.over()
    _credit_panel(d)


def _tariff_schedule(d: Display) -> None:
    """The busiest Prices page: a time-of-use calendar with today's and tomorrow's bands,
    holiday prices and a tariff announced for February."""
    d.emit(tariffs.current_price(START, "24.50", 2, "Standard"), tariffs.schedule(START))


def _block_and_48_rates(d: Display) -> None:
    """Block position for electricity, 48 half-hourly rates for gas (the widest bands)."""
    d.emit(
        tariffs.current_price(START, "21.00", 1, "Block 1", tariff="Block 2026"),
        tariffs.schedule(
            START, tariffs=(tariffs.BLOCK,), calendars=(), block_period=tariffs.YEAR_2026
        ),
        replace(tariffs.current_price(START, "16.25", 25, ""), fuel=model.Fuel.GAS),
        tariffs.schedule(
            START,
            tariffs=(tariffs.RATES_48,),
            calendars=(tariffs.CALENDAR_48,),
            fuel=model.Fuel.GAS,
        ),
    )


# Each state starts from feed_a_home (prepayment, Economy 7, gas, export, a message waiting).
STATES: dict[str, Callable[[Display], None]] = {
    "alerts-pending": _alerts_pending,
    "quiet": _clear_alerts,
    "credit-mode": _credit_home,
    "offline": _connection(model.ConnectionState.OFFLINE),
    "stale": _connection(model.ConnectionState.STALE),
    "emergency-offered": _emergency(False),
    "emergency-in-use": _emergency(True),
    "supply-off": _supply(model.SupplyState.OFF),
    "supply-armed": _supply(model.SupplyState.ARMED),
    "urgent-message": _urgent_message,
    "credit-panel": _credit_panel,
    "night-rate-high-use": _night_rate,
    "top-up-log": _top_up_log,
    "budget": _budget,
    "tariff-schedule": _tariff_schedule,
    "block-and-48-rates": _block_and_48_rates,
}

"""The display's view-models and formatting, fed domain events directly (no window)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from device_backend import model
from ihd_app import formatting
from ihd_app.cli import parse_duration, parse_size
from ihd_app.viewmodels.freshness import describe
from ihd_app.viewmodels.keypad import UtrnEntry
from ihd_app.viewmodels.loadcontrol import LoadControlViewModel
from ihd_app.viewmodels.meters import MeterSet
from ihd_app.viewmodels.prices import PriceBook
from ihd_app.viewmodels.tariff import TariffViewModel
from tests.support.display import START, price


def test_cost_per_hour_is_exact_and_rounded_once() -> None:
    cost = formatting.cost_per_hour(Decimal("1.234"), Decimal("24.86"))
    assert cost == Decimal("30.67724")
    assert formatting.money_rate(cost) == "31p"
    assert formatting.money_rate(Decimal("250.5")) == "£2.51"


def test_times_are_shown_in_london() -> None:
    summer = datetime(2026, 7, 1, 11, 30, tzinfo=UTC)
    assert formatting.clock_time(summer) == "12:30"
    assert formatting.clock_time(datetime(2026, 1, 1, 11, 30, tzinfo=UTC)) == "11:30"
    assert formatting.when_label(summer, summer + timedelta(days=1)) == "Wed 1 Jul 12:30"


def test_ages() -> None:
    assert formatting.age(START, START + timedelta(seconds=42)) == "42 s"
    assert formatting.age(START, START + timedelta(minutes=125)) == "2 h 5 min"
    assert formatting.age(START, START + timedelta(days=3)) == "3 days"


def test_price_book_current_and_next() -> None:
    book = PriceBook()
    book.add(price(START, ends=START + timedelta(hours=2)))
    book.add(price(START, pence="9.80", tier=2, label="Night", starts=START + timedelta(hours=2)))
    assert book.current(model.Fuel.ELECTRICITY, START).tier_label == "Day"
    assert book.next_change(model.Fuel.ELECTRICITY, START) == START + timedelta(hours=2)
    later = START + timedelta(hours=3)
    assert book.current(model.Fuel.ELECTRICITY, later).tier_label == "Night"
    assert [p.tier_label for p in book.rates(model.Fuel.ELECTRICITY)] == ["Day", "Night"]


def test_tariff_names_when_the_rate_ends_but_guesses_no_price(qapp: object) -> None:
    book = PriceBook()
    book.add(
        price(
            START,
            pence="9.80",
            tier=2,
            label="Night",
            starts=START - timedelta(hours=10),
            ends=START - timedelta(hours=3),
        )
    )
    book.add(price(START, starts=START - timedelta(hours=3), ends=START + timedelta(hours=9)))
    vm = TariffViewModel(lambda: START, book, MeterSet())
    # Two rates heard, but no schedule: which price follows is the meter's to say.
    assert vm.fuel(model.Fuel.ELECTRICITY).next_change == "Changes at 21:00"
    assert vm.fuel(model.Fuel.GAS).price == "Waiting for the meter…"


def test_utrn_entry() -> None:
    entry = UtrnEntry()
    for d in "73942983744751930738":
        assert entry.press(d)
    assert not entry.press("1")
    assert entry.grouped() == "7394 2983 7447 5193 0738"
    assert entry.problem() is None
    entry.delete()
    assert entry.problem() == "A top-up code has 20 digits; you entered 19."
    assert not entry.press("x")


def test_freshness_words() -> None:
    online = model.Connection(time=START, state=model.ConnectionState.ONLINE)
    assert describe(online, None, START).text == "Waiting for the meter…"
    assert describe(None, None, START).text == "Connecting to the meter…"
    degraded = model.Connection(time=START, state=model.ConnectionState.DEGRADED)
    assert describe(degraded, START, START).severity == "warning"


def test_load_control_cancel_all(qapp: object) -> None:
    vm = LoadControlViewModel(lambda: START)
    vm.on_load_control(
        model.LoadControl(
            time=START,
            event_id=3,
            load="water heater",
            starts=START,
            ends=START + timedelta(hours=1),
            active=True,
        )
    )
    assert vm.banner() == "Your water heater is paused until 13:00"
    vm.on_load_control(
        model.LoadControl(time=START, event_id=0, load="", starts=START, ends=START, active=False)
    )
    assert vm.banner() == ""


def test_command_line_values() -> None:
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("2d") == timedelta(days=2)
    assert parse_duration("45") == timedelta(seconds=45)
    assert parse_size("1024x600") == (1024, 600)
    with pytest.raises(argparse.ArgumentTypeError):
        parse_duration("soon")
    with pytest.raises(argparse.ArgumentTypeError):
        parse_size("640x480")

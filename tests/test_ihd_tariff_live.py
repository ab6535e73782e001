"""End to end: the simulated meter publishes its tariffs and calendars over ZCL, and the Prices
screen names the next change exactly, on every shipped time-of-use scenario, and shows a
future-dated tariff before it starts.

Each expected text is worked out by hand from the scenario file; the simulator's own tariff
model (device_backend/simulator/tariff.py, which the display never sees) agrees on the moment
and the price.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from device_backend import model
from tests.support.display import Display, open_page
from tests.support.live import LiveHome


def _next_change(d: Display) -> str:
    """The line once the meter's schedule has reached the screen."""
    open_page(d, "tariff")
    d.qtbot.waitUntil(lambda: model.Fuel.ELECTRICITY in d.state.tariff.schedules)
    d.settle()
    return d.text("tariff-electricity-next")


def _simulator_agrees(d: Display, text: str) -> None:
    """The simulator's own model of the tariff says the same moment and price."""
    account = d.backend.home.accounts[model.Fuel.ELECTRICITY]
    change = account.schedule.next_change_after(d.backend.clock.now())
    assert change is not None
    assert f"{change.pence_per_kwh:.2f}p per kWh" in text
    local = change.at.astimezone(model_zone())
    assert f"{local:%H:%M} to" in text


def model_zone():
    from device_backend.clock import LONDON

    return LONDON


@pytest.mark.parametrize(
    ("scenario", "skip_days", "expected"),
    [
        # Monday 12 January, 06:10 GMT: off-peak until 07:00
        ("credit-dual-fuel", 0, "Changes at 07:00 to 24.50p per kWh (Standard)"),
        # Monday 19 January, 00:10 GMT: Economy 7's day rate until the night at 00:30
        ("economy7", 0, "Changes at 00:30 to 13.90p per kWh (Night)"),
        # Thursday 26 March, 00:10 GMT: the weekday profile's off-peak until 07:00
        ("future-tariff-change", 0, "Changes at 07:00 to 24.50p per kWh (Standard)"),
        # Monday 30 March, 01:10 BST: the 01:00 half-hour's price until 01:30 (the meter names
        # its tiers by weekday times, "01:30"; the display says the tier instead)
        ("tou-48-rate", 2, "Changes at 01:30 to 15.25p per kWh (Rate 4)"),
    ],
)
def test_the_next_change_is_named_exactly(
    live_home: LiveHome, scenario: str, skip_days: int, expected: str
) -> None:
    d = live_home.open(scenario, skip=timedelta(days=skip_days), after=timedelta(minutes=10))
    text = _next_change(d)
    assert text == expected
    _simulator_agrees(d, text)
    assert "probably" not in d.visible_text()


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        # a single rate: nothing changes, and nothing is made up
        ("prepay-low-credit", "No price change announced"),
        # Monday 26 January, 00:20: a block tariff's price moves with use, not the clock
        ("block-tariff", "Changes to 24.60p per kWh after 100 kWh"),
    ],
)
def test_other_tariffs_say_what_changes_them(
    live_home: LiveHome, scenario: str, expected: str
) -> None:
    # 20 minutes: the display reads a block tariff's use every 15 (the simulated meter fills
    # its block registers from its first tick on, after the display adopted it).
    d = live_home.open(scenario, after=timedelta(minutes=20))
    text = _next_change(d)
    if scenario == "block-tariff":
        d.qtbot.waitUntil(lambda: d.text("tariff-electricity-block") != "")
        text = d.text("tariff-electricity-next")
        # The meter's block period is the month (Price StartOfBlockPeriod and duration).
        assert re.fullmatch(
            r"\d+ of 100 kWh at the first block price this month",
            d.text("tariff-electricity-block"),
        )
    assert text == expected


def test_a_future_dated_tariff_shows_before_it_starts(live_home: LiveHome) -> None:
    # From Saturday 28 March, 22:30 GMT: the spring tariff, announced an hour after the start,
    # takes over at midnight; its first price is the new off-peak.
    d = live_home.open(
        "future-tariff-change",
        skip=timedelta(days=2, hours=22, minutes=30),
        after=timedelta(minutes=65),
    )
    text = _next_change(d)
    assert text == "Changes at Sun 29 Mar 00:00 to 15.90p per kWh (Off-peak)"
    _simulator_agrees(d, text)
    assert d.text("tariff-electricity-future") == (
        "From 29 March: Flex Saver Spring 2026, 9.80p to 34.10p per kWh, 51.20p a day"
    )
    assert d.text("tariff-electricity-price") == "24.50p per kWh"  # today's, still

"""The Prices screen reads the meter's schedule: the exact next change, today's and tomorrow's
bands, block position, holiday prices and a tariff announced to start later; nothing guessed.

The schedules are hand-written (tests/support/tariffs.py); the display kit's clock stands at
Monday 12 January 2026, 12:00 GMT.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from PySide6.QtWidgets import QLabel

from device_backend import model
from tests.support import tariffs
from tests.support.display import START, Display, open_page, price


def _show(d: Display, *events: model.Event) -> None:
    d.emit(*events)
    open_page(d, "tariff")


def test_the_next_change_is_named_exactly_from_the_calendar(display: Display) -> None:
    _show(
        display,
        tariffs.current_price(START, "24.50", 2, "Standard"),
        tariffs.schedule(START),
    )
    assert display.text("tariff-electricity-price") == "24.50p per kWh"
    assert display.text("tariff-electricity-band") == "Now: Standard"
    assert display.text("tariff-electricity-next") == "Changes at 16:00 to 36.80p per kWh (Peak)"
    assert display.text("tariff-electricity-today") == "Later today: 19:00 Standard 24.50p"
    assert display.text("tariff-electricity-tomorrow") == "Tomorrow: the same"
    assert display.text("tariff-electricity-future") == (
        "From 1 February: Flex Saver 2026b, 16.95p to 37.90p per kWh, 55.12p a day"
    )
    assert display.text("tariff-electricity-special") == "Holiday prices on Fri 3 Apr, Mon 6 Apr"
    assert not display.find(QLabel, "tariff-electricity-rates").isVisible()


def test_friday_shows_the_weekend_coming_and_the_future_tariff_starts(display: Display) -> None:
    friday = START + timedelta(days=4, hours=8)  # Friday 16 January, 20:00
    display.backend.clock.moment = friday
    _show(display, tariffs.current_price(friday, "24.50", 2, "Standard"), tariffs.schedule(friday))
    assert display.text("tariff-electricity-next") == (
        "Changes at Sat 17 Jan 00:00 to 17.45p per kWh (Off-peak)"
    )
    assert display.text("tariff-electricity-tomorrow") == (
        "Tomorrow: 00:00 Off-peak 17.45p, 07:00 Standard 24.50p"
    )
    # On the night of 31 January the next change is the new tariff's first price, to the minute.
    last_night = START + timedelta(days=19, hours=11)  # Saturday 31 January, 23:00
    display.backend.clock.moment = last_night
    _show(display, tariffs.current_price(last_night, "24.50", 2, "Standard"))
    assert display.text("tariff-electricity-next") == (
        "Changes at Sun 1 Feb 00:00 to 16.95p per kWh (Off-peak)"
    )
    display.backend.clock.moment = last_night + timedelta(hours=2)
    display.state.tariff.tick()
    assert display.text("tariff-electricity-future") == ""


def test_block_position(display: Display) -> None:
    _show(
        display,
        tariffs.current_price(START, "21.00", 1, "Block 1", tariff="Block 2026"),
        tariffs.schedule(
            START, tariffs=(tariffs.BLOCK,), calendars=(), block_period=tariffs.YEAR_2026
        ),
    )
    assert display.text("tariff-electricity-block") == (
        "412 of 1,000 kWh at the first block price this year"
    )
    # The price moves with consumption, not the clock.
    assert display.text("tariff-electricity-next") == ("Changes to 25.00p per kWh after 1,000 kWh")
    _show(
        display,
        tariffs.schedule(
            START,
            tariffs=(tariffs.BLOCK,),
            calendars=(),
            block_period=replace(tariffs.YEAR_2026, used_kwh=Decimal(3200)),
        ),
    )
    assert display.text("tariff-electricity-block") == (
        "3,200 kWh this year: at the fourth block price, the top one"
    )
    # In the top block, the next change is the new block period, back at the first price.
    assert display.text("tariff-electricity-next") == (
        "Changes at Fri 1 Jan 00:00 to 21.00p per kWh"
    )


def test_forty_eight_rates_show_the_next_few_and_how_many_more(display: Display) -> None:
    _show(
        display,
        tariffs.current_price(START, "16.25", 25, "", tariff="Half-hourly 48"),
        tariffs.schedule(START, tariffs=(tariffs.RATES_48,), calendars=(tariffs.CALENDAR_48,)),
    )
    assert display.text("tariff-electricity-next") == "Changes at 12:30 to 16.50p per kWh (Rate 26)"
    assert display.text("tariff-electricity-today") == (
        "Later today: 13:00 Rate 27 16.75p, 13:30 Rate 28 17.00p, 14:00 Rate 29 17.25p and 19 more"
    )


def test_without_a_schedule_nothing_is_guessed(display: Display) -> None:
    # Economy 7 heard as two prices, the day rate ending at 21:00: the display says when it
    # ends, not what it will probably become.
    _show(
        display,
        price(
            START,
            pence="9.80",
            tier=2,
            label="Night",
            starts=START - timedelta(hours=10),
            ends=START - timedelta(hours=3),
        ),
        price(START, starts=START - timedelta(hours=3), ends=START + timedelta(hours=9)),
    )
    assert display.text("tariff-electricity-next") == "Changes at 21:00"
    assert "probably" not in display.visible_text()


def test_welsh(display: Display, english_after: None) -> None:
    open_page(display, "settings")
    display.tap("settings-language-cy")
    _show(
        display,
        tariffs.current_price(START, "24.50", 2, "Standard"),
        tariffs.schedule(START),
    )
    assert display.text("tariff-electricity-next") == "Yn newid am 16:00 i 36.80c y kWh (Brig)"
    assert display.text("tariff-electricity-tomorrow") == "Yfory: yr un fath"
    assert display.text("tariff-electricity-future").startswith("O 1 Chwefror: Flex Saver 2026b")

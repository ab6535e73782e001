"""Tapping through the display as a householder would, on a stand-in back end."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QLabel

from device_backend import model
from ihd_app.screens import SCREENS
from tests.support.display import START, Display, FakeTotals, demand, prepayment, price


def _feed_a_home(d: Display) -> None:
    d.state.set_source(FakeTotals())
    d.emit(
        price(START, ends=START + timedelta(hours=3)),
        price(START, pence="9.80", tier=2, label="Night", starts=START + timedelta(hours=3)),
        price(START, model.Fuel.GAS, pence="6.33", tier=0, label=""),
        demand(START, 1500),
        model.Ambient(time=START, level=model.AmbientLevel.HIGH),
        prepayment(START),
        model.Supply(time=START, state=model.SupplyState.ON),
        model.Energy(
            time=START,
            fuel=model.Fuel.ELECTRICITY,
            import_raw=1_000_000,
            multiplier=1,
            divisor=1000,
            export_raw=200_000,
        ),
    )


def test_every_tab_shows_its_screen(display: Display) -> None:
    _feed_a_home(display)
    expected = {
        "now": "Electricity now",
        "usage": "Today",
        "history": "Touch a bar to see its figures.",
        "tariff": "24.50p per kWh",
        "balance": "Credit",
        "messages": "No messages from your supplier.",
        "export": "Meter totals",
        "settings": "Text size",
    }
    for name in SCREENS:
        display.tap(f"tab-{name}")
        assert display.window.current == name
        assert display.text("screen-title") == display.window.titles[name]
        assert expected[name] in display.visible_text(), name


def test_now_shows_power_cost_and_the_ambient_level_in_words(display: Display) -> None:
    _feed_a_home(display)
    display.tap("tab-now")
    # Pounds first: 1.5 kW for an hour at 24.50p per kWh is 36.75p, shown as 37p.
    assert display.text("now-electricity-main") == "37p an hour"
    assert display.text("now-electricity-second") == "1.50 kW"
    assert display.window.screens["now"].ambient.words() == "High use"


def test_figures_wait_politely_before_the_meter_reports(display: Display) -> None:
    display.tap("tab-now")
    assert "Waiting for the meter…" in display.visible_text()
    display.tap("tab-balance")
    assert "Waiting for the meter…" in display.visible_text()


def test_kwh_first_swaps_the_big_figure(display: Display) -> None:
    _feed_a_home(display)
    display.tap("tab-settings")
    display.tap("settings-kwh")
    display.tap("tab-now")
    assert display.text("now-electricity-main") == "1.50 kW"
    assert display.text("now-electricity-second") == "37p an hour"


def test_usage_toggles_between_kwh_and_pounds(display: Display) -> None:
    _feed_a_home(display)
    display.tap("tab-usage")
    # Pounds first: 5 kWh at 25p plus a 50p standing charge.
    assert display.text("usage-electricity-main") == "£1.75"
    assert display.text("usage-electricity-other") == "5.0 kWh"
    assert "standing charge" in display.text("usage-note")
    assert "VAT" in display.text("usage-note")
    display.tap("usage-unit-kwh")
    assert display.text("usage-electricity-main") == "5.0 kWh"
    display.tap("usage-unit-pounds")
    assert display.text("usage-electricity-main") == "£1.75"


def test_usage_periods(display: Display) -> None:
    _feed_a_home(display)
    display.tap("tab-usage")
    display.tap("usage-week")
    assert display.state.usage.period == "week"
    display.tap("usage-month")
    assert display.state.usage.period == "month"


def test_tariff_shows_both_economy7_rates_and_the_next_change(display: Display) -> None:
    _feed_a_home(display)
    display.tap("tab-tariff")
    assert display.text("tariff-electricity-band") == "Now: Day"
    assert "Standing charge 53.35p a day" == display.text("tariff-electricity-standing")
    assert display.text("tariff-electricity-next") == "Changes at 15:00 to 9.80p per kWh (Night)"
    assert "Night: 9.80p per kWh" in display.text("tariff-electricity-rates")


def test_load_control_banner_appears_and_goes(display: Display) -> None:
    event = model.LoadControl(
        time=START,
        event_id=7,
        load="electric vehicle charger",
        starts=START,
        ends=START + timedelta(hours=6, minutes=30),
        active=True,
    )
    display.emit(event)
    badge = display.find(QLabel, "load-control-badge")
    # A badge on the status line: it takes no room from the screen below it.
    assert badge.isVisible()
    assert badge.text() == "❚❚ Paused until 18:30"
    assert badge.accessibleName() == "Your electric vehicle charger is paused until 18:30"
    display.backend.clock.moment = START + timedelta(hours=7)
    display.state.tick()
    assert not badge.isVisible()


def test_export_tab_appears_for_a_solar_home(display: Display) -> None:
    assert not display.window.tabs.buttons["export"].isVisible()
    _feed_a_home(display)
    display.emit(demand(START, -1200))
    assert display.window.tabs.buttons["export"].isVisible()
    display.tap("tab-export")
    assert display.text("export-flow") == "Sending 1.20 kW to the grid"
    display.tap("tab-now")
    assert display.text("now-electricity-main") == "1.20 kW"
    assert "Exporting now" in display.visible_text()


def test_a_home_without_gas_says_so_instead_of_waiting(display: Display) -> None:
    # The stand-in back end lists only an electricity meter once it is online.
    display.tap("tab-now")
    assert display.text("now-gas-main") == "No gas meter is connected to this display."
    display.tap("tab-tariff")
    assert display.text("tariff-gas-price") == "No meter for this fuel"

"""A change of tenancy asks, behind the installer PIN, whether to wipe the household's history
(the store's own wipe); a change of supplier names the new supplier and its tariff."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from device_backend import model
from device_backend.api import Store
from ihd_app.settings import Settings, SettingsFile, with_pin
from tests.support.display import START, Display, FakeBackend, price

PIN = "2468"
NEW_HOME = START + timedelta(days=2)


@pytest.fixture
def home(qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Display]:
    """A display with an installer PIN, over a history store holding a household's data."""
    settings = SettingsFile(tmp_path / "display.json")
    settings.save(with_pin(Settings(dim_when_idle=False), PIN))
    backend = FakeBackend()
    backend.store = Store.open(tmp_path / "history.db", clock=backend.clock)
    backend.store.add_many(
        [
            model.TopUpResult(
                time=START, outcome=model.TopUpOutcome.ACCEPTED, value_pence=Decimal(1000)
            ),
            model.SupplierMessage(time=START, id=7, text="Welcome to your smart meter"),
        ]
    )
    shown = Display(qtbot, loop, settings, backend)
    yield shown
    shown.close()
    backend.store.close()


def _history(d: Display) -> tuple[int, int]:
    store = d.backend.store
    return len(store.topups()), len(store.messages())


def _tenancy(d: Display, *, clear: bool = True, event_id: int = 900) -> None:
    d.emit(
        model.TenancyChange(
            time=START,
            takes_effect=NEW_HOME,
            clear_display_data=clear,
            issuer_event_id=event_id,
        )
    )


def _enter(d: Display, pin: str) -> None:
    for digit in pin:
        d.tap(f"tenancy-pin-key-{digit}")
    d.tap("tenancy-pin-ok")


def test_keeping_the_history_wipes_nothing(home: Display) -> None:
    _tenancy(home)
    prompt = home.window.household
    assert prompt.isVisible()
    words = home.text("household-text")
    assert "a new household lives here from" in words
    assert "An installer PIN is needed." in words
    assert not home.window.body.isEnabled()  # the question is answered first
    home.tap("household-keep")
    assert not prompt.isVisible()
    assert home.window.body.isEnabled()
    assert _history(home) == (1, 1)
    _tenancy(home)  # the same announcement again (e.g. a GetChangeOfTenancy answer): no repeat
    assert not prompt.isVisible()


def test_a_wrong_pin_or_going_back_wipes_nothing(home: Display) -> None:
    _tenancy(home)
    home.tap("household-clear")
    assert home.text("tenancy-pin-title") == "Installer PIN"
    assert home.window.busy()  # no alert may cover the PIN
    _enter(home, "1111")
    assert home.text("tenancy-pin-feedback") == "That PIN is not right."
    assert _history(home) == (1, 1)
    home.tap("tenancy-pin-back")
    assert home.text("household-note") == "Nothing was cleared."
    assert home.window.household.isVisible()  # still asking
    assert _history(home) == (1, 1)


def test_the_right_pin_wipes_the_households_history(home: Display) -> None:
    _tenancy(home)
    home.tap("household-clear")
    _enter(home, PIN)
    assert home.text("household-text") == "The previous household's history has been cleared."
    assert _history(home) == (0, 0)
    assert [e.what for e in home.backend.store.audit_log()] == ["household data wiped"]
    assert not home.state.settings.unlocked  # the PIN opened the wipe, not the installer area
    home.tap("household-ok")
    assert not home.window.household.isVisible()


def test_no_question_when_the_supplier_does_not_ask_to_clear(home: Display) -> None:
    _tenancy(home, clear=False)
    assert not home.window.household.isVisible()


def test_without_an_installer_pin_nothing_can_be_wiped(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    backend = FakeBackend()
    backend.store = Store.open(tmp_path / "history.db", clock=backend.clock)
    backend.store.add(model.SupplierMessage(time=START, id=7, text="Hello"))
    d = Display(qtbot, loop, tmp_path / "display.json", backend)
    try:
        _tenancy(d)
        d.tap("household-clear")
        assert "No installer PIN has been set" in d.text("household-note")
        assert len(backend.store.messages()) == 1
    finally:
        d.close()
        backend.store.close()


def test_a_change_of_supplier_names_the_supplier_and_then_its_tariff(home: Display) -> None:
    home.emit(
        model.SupplierChange(
            time=START,
            supplier="Kestrel Power",
            contact="0800 123 4567",
            takes_effect=START,
            issuer_event_id=901,
        )
    )
    words = home.text("household-text")
    assert words.startswith("Your electricity supplier is now Kestrel Power.")
    assert "Its prices will show here when your meter receives them." in words
    assert "Contact: 0800\u00a0123\u00a04567" in words  # kept on one line
    new_price = price(START, pence="22.10", label="Any time")
    home.emit(new_price)
    assert home.text("household-text") == (
        "Your electricity supplier is now Kestrel Power. Your tariff: Fixed 2026, 22.10p per "
        "kWh, standing charge 53.35p a day. Contact: 0800\u00a0123\u00a04567"
    )
    home.tap("household-ok")
    assert not home.window.household.isVisible()


def test_a_future_change_of_supplier_says_when(home: Display) -> None:
    home.emit(
        model.SupplierChange(
            time=START, supplier="Kestrel Power", takes_effect=NEW_HOME, issuer_event_id=902
        )
    )
    assert home.text("household-text").startswith(
        "Your electricity supplier is changing to Kestrel Power on "
    )


MOVING_HOME = """
[[timeline]]
at = "+1h"
type = "change_of_tenancy"

[[timeline]]
at = "+1h"
type = "change_of_supplier"
supplier = "Kestrel Power"
contact = "0800 123 4567"
[timeline.tariff]
kind = "tou"
label = "Kestrel Fixed"
standing_charge = 49.00
default_tier = 1
tiers = [ { tier = 1, label = "Any time", price = 22.10 } ]
"""


def test_the_simulated_meters_change_of_tenancy_and_supplier_reach_the_display(
    live_home: Any, tmp_path: Path
) -> None:
    from tests.support.scenarios import PREPAY_TOU

    SettingsFile(tmp_path / "display.json").save(with_pin(Settings(dim_when_idle=False), PIN))
    scenario = tmp_path / "moving-home.toml"
    scenario.write_text(PREPAY_TOU.format(seed=7) + MOVING_HOME, encoding="utf-8")
    d = live_home.open(str(scenario), after=timedelta(hours=1, minutes=1))
    store = d.backend.store

    def readings() -> int:
        return int(store.db.execute("SELECT count(*) FROM readings").fetchone()[0])

    assert "a new household lives here" in d.text("household-text")
    before = readings()
    assert before > 0
    d.tap("household-clear")
    _enter(d, "9999")
    d.tap("tenancy-pin-back")
    assert readings() >= before  # nothing wiped without the PIN
    d.tap("household-clear")
    _enter(d, PIN)
    assert readings() == 0
    d.tap("household-ok")
    # Then the new supplier, with the tariff its meter now publishes.
    words = d.text("household-text")
    assert words.startswith("Your electricity supplier is now Kestrel Power. Your tariff: ")
    assert "Kestrel Fixed, 22.10p per kWh, standing charge 49.00p a day" in words


def test_the_notices_are_in_welsh_too(home: Display, english_after: None) -> None:
    home.window.show_screen("settings")
    home.tap("settings-language-cy")
    home.emit(
        model.SupplierChange(
            time=START, supplier="Kestrel Power", takes_effect=START, issuer_event_id=903
        ),
        price(START, pence="22.10"),
    )
    assert home.text("household-text") == (
        "Eich cyflenwr trydan nawr yw Kestrel Power. Eich tariff: Fixed 2026, 22.10c y kWh, "
        "tâl sefydlog 53.35c y dydd."
    )
    home.tap("household-ok")
    _tenancy(home)
    assert home.text("household-text").startswith(
        "Mae eich cyflenwr ynni'n dweud bod aelwyd newydd yn byw yma o "
    )
    assert home.find(type(home.window.household.clear), "household-clear").text() == (
        "Clirio'r hanes"
    )

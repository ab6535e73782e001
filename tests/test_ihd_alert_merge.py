"""No credit and no supply are one popup, not two in turn: the supply alert says both."""

from __future__ import annotations

from dataclasses import replace

import pytest

from device_backend import model
from tests.support.display import START, Display, prepayment

BOTH = "✖ Your credit has run out and your electricity supply is off. Top up to restore it."


def _out_of_credit(d: Display) -> None:
    d.emit(replace(prepayment(START, credit=0, low=True), credit_exhausted=True))


def _supply_off(d: Display) -> None:
    d.emit(model.Supply(time=START, state=model.SupplyState.OFF))


@pytest.mark.parametrize("order", ["credit-then-supply", "supply-then-credit"])
def test_no_credit_and_supply_off_open_one_popup(display: Display, order: str) -> None:
    first, second = (
        (_out_of_credit, _supply_off)
        if order == "credit-then-supply"
        else (_supply_off, _out_of_credit)
    )
    first(display)
    popup = display.window.alerts.popup
    assert popup.isVisible()
    second(display)
    assert popup.isVisible()
    assert display.text("alert-popup-text") == BOTH
    display.tap("alert-popup-dismiss")
    # Nothing else comes up in turn: the one popup said both.
    assert not popup.isVisible()
    assert [a.kind for a in display.state.alerts.queue] == []


def test_a_top_up_that_arms_the_supply_leaves_no_stale_credit_words(display: Display) -> None:
    _out_of_credit(display)
    _supply_off(display)
    display.emit(prepayment(START, credit=2000))  # credit back; the supply waits to be restored
    assert display.text("alert-popup-text") == (
        "✖ Your electricity supply is off. Top up to restore it."
    )

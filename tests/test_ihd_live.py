"""The display on a real simulated home: every figure has been through ZCL and the facade."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.support.display import Display, send_code
from tests.support.live import LiveHome


def _type(d: Display, digits: str) -> None:
    for digit in digits:
        d.tap(f"topup-key-{digit}")


def _pounds(text: str) -> int:
    return int(text.replace("£", "").replace(",", "").replace(".", ""))


def test_a_prepayment_home_tops_up_from_the_keypad(live_home: LiveHome) -> None:
    d = live_home.open("prepay-low-credit", after=timedelta(minutes=20))
    d.tap("tab-balance")
    before = _pounds(d.text("balance-credit"))
    code = d.backend.home.issue_top_up(1000)
    d.tap("balance-top-up")
    _type(d, code)
    send_code(d)
    d.settle()
    feedback = d.text("topup-feedback")
    assert feedback.startswith("Accepted: £10.00 added. Your balance is £")
    assert _pounds(feedback.rsplit("£", 1)[1].rstrip(".")) >= before + 1000 - 5
    d.tap("topup-back")
    assert _pounds(d.text("balance-credit")) >= before + 1000 - 5
    # The same code again: the meter itself refuses it.
    d.tap("balance-top-up")
    _type(d, code)
    send_code(d)
    d.settle()
    assert d.text("topup-feedback").startswith("This code has already been used.")


def test_a_credit_home_shows_use_cost_and_confirms_a_message(live_home: LiveHome) -> None:
    d = live_home.open("credit-dual-fuel", after=timedelta(hours=2, minutes=10))
    d.tap("tab-now")
    assert d.text("now-electricity-main").endswith(" an hour")  # pounds first
    assert d.text("now-electricity-second").endswith(" kW")
    assert d.text("now-freshness").startswith("Live: updated")
    d.tap("tab-usage")
    assert d.text("usage-electricity-main").startswith("£")
    d.tap("usage-unit-kwh")
    assert d.text("usage-electricity-main").endswith(" kWh")
    d.tap("tab-balance")
    assert d.text("balance-credit-mode") == "Your meter is in credit mode"
    d.tap("tab-messages")
    [message] = d.state.messages.messages()
    assert message.confirmation_required
    d.tap(f"message-{message.id}-confirm")
    d.settle()
    assert d.text(f"message-{message.id}-done") == "✓ Confirmed"


def test_a_pulled_dongle_is_reported_offline_in_words(live_home: LiveHome) -> None:
    # The difficult property's dongle is pulled 9 h in, for 5 minutes: look 2 minutes in.
    d = live_home.open(
        "difficult-property", after=timedelta(minutes=12), skip=timedelta(hours=8, minutes=50)
    )
    d.tap("tab-now")
    d.state.tick()  # the once-a-second refresh that ages the figures
    text = d.text("now-freshness")
    assert text.startswith("Offline: not connected to the meter. Lost the ZigBee dongle"), text
    assert re.search(r"The figures shown are [1-3] min old \(from 1[67]:\d\d\)\.", text), text
    assert d.text("link-status") == "✖ Offline"

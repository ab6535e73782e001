"""Supplier messages: newest first, and Confirm sends a confirmation to the meter."""

from __future__ import annotations

from datetime import timedelta

import ihd_support
from ihd_support import START, Display

from device_backend import model

loop = ihd_support.loop
display = ihd_support.display


def test_messages_newest_first_and_confirm(display: Display) -> None:
    display.emit(
        model.SupplierMessage(
            time=START - timedelta(hours=3), id=1, text="Welcome to smart metering."
        ),
        model.SupplierMessage(
            time=START, id=2, text="Your tariff changes on 1 February.", confirmation_required=True
        ),
    )
    # Both count: one not yet read (its alert is waiting), one waiting to be confirmed.
    assert display.window.tabs.buttons["messages"].text() == "Messages\n(2)"
    display.tap("tab-messages")
    assert display.window.tabs.buttons["messages"].text() == "Messages\n(1)"  # read now
    texts = display.visible_text()
    assert texts.index("Your tariff changes on 1 February.") < texts.index(
        "Welcome to smart metering."
    )
    display.tap("message-2-confirm")
    display.settle()
    assert display.backend.sent == [("confirm", 2)]
    assert display.text("message-2-done") == "✓ Confirmed"
    assert display.window.tabs.buttons["messages"].text() == "Messages"


def test_an_expired_message_is_no_longer_shown(display: Display) -> None:
    display.emit(
        model.SupplierMessage(
            time=START,
            id=3,
            text="Engineer visit today.",
            starts=START,
            ends=START + timedelta(hours=1),
        )
    )
    display.tap("tab-messages")
    assert "Engineer visit today." in display.visible_text()
    display.backend.clock.moment = START + timedelta(hours=2)
    display.state.tick()
    display.settle()
    assert "Engineer visit today." not in display.visible_text()
    assert "No messages from your supplier." in display.visible_text()

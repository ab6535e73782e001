"""Supplier messages: newest first, and Confirm sends a confirmation to the meter."""

from __future__ import annotations

from datetime import timedelta

from device_backend import model
from tests.support.display import START, Display


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


def test_an_urgent_message_is_an_alert_put_first_and_goes_when_it_ends(display: Display) -> None:
    # Messaging MessageControl bits 2-3 (se_clusters.md §4): 2 high, 3 critical.
    display.emit(
        model.SupplierMessage(time=START, id=10, text="Meter reading due.", importance="low"),
        model.SupplierMessage(
            time=START,
            id=11,
            text="Gas safety notice: call 0800 111 999.",
            importance="critical",
            starts=START,
            ends=START + timedelta(minutes=30),
        ),
    )
    alerts = display.state.alerts
    shown = [alerts.text(a) for a in alerts.queue]
    assert "Urgent message from your supplier." in shown
    assert shown.index("Urgent message from your supplier.") < shown.index(
        "New message from your supplier."
    )
    assert next(a for a in alerts.queue if a.key == "message-11").severity == "alert"
    # Urgent: a popup over the screen (issue 19), not a badge.
    popup = display.window.alerts.popup
    assert popup.isVisible()
    assert popup.card.words.accessibleName() == "Urgent message from your supplier."
    display.backend.clock.moment = START + timedelta(minutes=31)
    display.state.tick()
    display.settle()
    assert all(a.key != "message-11" for a in alerts.queue)  # its alert went with it
    assert not popup.isVisible()
    display.tap("tab-messages")
    texts = display.visible_text()
    assert "Gas safety notice" not in texts
    assert "Meter reading due." in texts


def test_an_urgent_message_is_read_from_its_popup_first_in_the_list(display: Display) -> None:
    display.emit(
        model.SupplierMessage(time=START, id=10, text="Meter reading due.", importance="low"),
        model.SupplierMessage(
            time=START, id=11, text="Gas safety notice: call 0800 111 999.", importance="high"
        ),
    )
    assert display.window.alerts.popup.card.show_me.text() == "Read it"
    display.tap("alert-popup-show")
    assert display.window.current == "messages"
    texts = display.visible_text()
    assert texts.index("Gas safety notice") < texts.index("Meter reading due.")  # urgent first


def test_a_message_waits_for_its_start_time(display: Display) -> None:
    display.emit(
        model.SupplierMessage(
            time=START, id=12, text="Planned work tomorrow.", starts=START + timedelta(hours=1)
        )
    )
    display.tap("tab-messages")
    assert "Planned work tomorrow." not in display.visible_text()
    assert all(a.key != "message-12" for a in display.state.alerts.queue)
    display.backend.clock.moment = START + timedelta(hours=1)
    display.state.tick()
    display.settle()
    assert "Planned work tomorrow." in display.visible_text()
    assert any(a.key == "message-12" for a in display.state.alerts.queue)


def test_a_cancelled_message_goes(display: Display) -> None:
    display.emit(model.SupplierMessage(time=START, id=13, text="Old notice."))
    display.tap("tab-messages")
    assert "Old notice." in display.visible_text()
    display.emit(model.SupplierMessage(time=START, id=13, text="", ends=START))
    display.settle()
    assert "Old notice." not in display.visible_text()
    assert all(a.key != "message-13" for a in display.state.alerts.queue)

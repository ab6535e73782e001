"""Prepayment on the display: topping up on the keypad, emergency credit, restoring supply."""

from __future__ import annotations

from device_backend import model
from device_backend.utrn import check_digit, issue_utrn
from tests.support.display import START, Display, prepayment, send_code

KEY = bytes.fromhex("a3f09c1e27b84d65e0c1f2a3b4c5d6e7")
METER = "00-1A-2B-3C-00-00-E1-02"


def _type(d: Display, digits: str) -> None:
    for digit in digits:
        d.tap(f"topup-key-{digit}")


def _open_keypad(d: Display) -> None:
    d.emit(prepayment(START, credit=1345))
    d.tap("tab-balance")
    assert d.text("balance-credit") == "£13.45"
    d.tap("balance-top-up")


def test_a_valid_code_tops_up_and_the_balance_rises(display: Display) -> None:
    code = issue_utrn(KEY, 17, 1000, METER)
    _open_keypad(display)
    _type(display, code[:7])
    assert display.text("topup-code").startswith(f"{code[:4]} {code[4:7]}–")
    assert not display.find(type(display.window.screens["balance"].send), "topup-send").isEnabled()
    _type(display, code[7:])
    assert display.text("topup-code") == " ".join(code[i : i + 4] for i in range(0, 20, 4))
    send_code(display)
    display.settle()
    assert display.backend.sent == [("top_up", code)]
    assert display.text("topup-feedback") == "Accepted: £10.00 added. Your balance is £23.45."
    assert display.text("topup-code") == "–––– –––– –––– –––– ––––"  # cleared for the next one
    display.tap("topup-back")
    assert display.text("balance-credit") == "£23.45"


def test_the_same_code_twice_is_refused_in_words(display: Display) -> None:
    code = issue_utrn(KEY, 18, 500, METER)
    _open_keypad(display)
    _type(display, code)
    send_code(display)
    display.settle()
    _type(display, code)
    send_code(display)
    display.settle()
    assert (
        display.text("topup-feedback") == "This code has already been used. Your balance is £18.45."
    )


def test_a_wrong_check_digit_shows_why_and_sends_nothing(display: Display) -> None:
    code = issue_utrn(KEY, 19, 1000, METER)
    wrong = code[:19] + str((check_digit(code[:19]) + 1) % 10)
    _open_keypad(display)
    _type(display, wrong)
    # Checked as soon as the twentieth digit is in, before anyone presses Top up.
    assert display.text("topup-feedback") == "That code is not valid: please check the digits."
    send_code(display)
    display.settle()
    assert display.text("topup-feedback") == "That code is not valid: please check the digits."
    assert display.backend.sent == []
    assert display.state.balance.sent_codes == 0
    display.tap("topup-delete")
    assert display.text("topup-feedback") == ""
    assert display.text("topup-code").endswith("–")


def test_clear_empties_the_code(display: Display) -> None:
    _open_keypad(display)
    _type(display, "7394")
    display.tap("topup-clear")
    assert display.text("topup-code") == "–––– –––– –––– –––– ––––"


def test_emergency_credit_can_be_selected_when_offered(display: Display) -> None:
    display.emit(prepayment(START, credit=150, available=True, low=True))
    display.tap("tab-balance")
    assert display.text("balance-alert") == "⚠ Low credit: please top up soon."
    assert display.text("balance-emergency") == "Emergency credit: £10.00 available"
    display.tap("balance-use-emergency")
    display.settle()
    assert display.backend.sent == [("emergency", None)]
    assert display.text("balance-emergency") == "Emergency credit: In use: £10.00 left"
    assert not display.window.screens["balance"].use_emergency.isVisible()
    assert display.text("balance-emergency-feedback") == "Emergency credit is now in use."


def test_supply_can_be_restored_once_armed(display: Display) -> None:
    display.emit(prepayment(START), model.Supply(time=START, state=model.SupplyState.ARMED))
    display.tap("tab-balance")
    assert display.text("balance-supply") == "Supply: ready to restore – press Restore supply"
    display.tap("balance-restore")
    display.settle()
    assert display.backend.sent == [("supply", None)]
    assert display.text("balance-supply") == "Supply: on"
    assert not display.window.screens["balance"].restore.isVisible()


def test_credit_mode_says_so(display: Display) -> None:
    display.emit(
        model.Prepayment(
            time=START,
            mode=model.PaymentMode.CREDIT,
            credit_pence=0,
            emergency_credit_pence=0,
            debt_pence=0,
        )
    )
    display.tap("tab-balance")
    assert display.text("balance-credit-mode") == "Your meter is in credit mode"
    assert not display.window.screens["balance"].top_up.isVisible()


def test_the_keypad_counts_the_digits_and_reads_the_code_back_at_twenty(display: Display) -> None:
    code = issue_utrn(KEY, 23, 500, METER)
    _open_keypad(display)
    assert display.text("topup-count") == "0 of 20 digits"
    _type(display, code[:7])
    assert display.text("topup-count") == "7 of 20 digits"
    _type(display, code[7:])
    assert display.text("topup-count") == (
        "All 20 digits: check them against your receipt, then tap Top up"
    )
    assert display.text("topup-code") == " ".join(code[i : i + 4] for i in range(0, 20, 4))
    display.tap("topup-delete")
    assert display.text("topup-count") == "19 of 20 digits"


def test_each_debt_is_shown_with_its_recovery(display: Display) -> None:
    from dataclasses import replace
    from decimal import Decimal

    state = replace(
        prepayment(START),
        debt_pence=Decimal(4500),
        debts=(
            model.Debt(number=1, pence=Decimal(2000), recovery_pence_per_day=Decimal(100)),
            model.Debt(number=2, pence=Decimal(500), recovery_pence_per_day=Decimal(25)),
            model.Debt(number=3, pence=Decimal(2000), recovery_percent=Decimal(10)),
        ),
    )
    display.emit(state)
    display.tap("tab-balance")
    assert display.text("balance-debt") == (
        "Debt: £45.00 (£20.00 repaid at £1.00 a day; £5.00 repaid at 25p a day; "
        "£20.00 repaid from 10% of each top-up)"
    )


def test_now_shows_a_prepayment_homes_credit_with_its_state_first(display: Display) -> None:
    """Issue 19 item 4: credit for both fuels, days left and the low-credit state on Now."""
    from dataclasses import replace

    now = display.window.screens["now"]
    display.emit(prepayment(START, credit=1345))
    assert now.credit_card.isVisible()
    assert not now.credit_title.isVisible()  # nothing to warn of: the lines say it all
    assert display.text("now-balance") == "Electricity credit £13.45"
    assert display.text("now-days-left") == "Days left: not known yet"

    display.emit(replace(prepayment(START, credit=250, low=True), fuel=model.Fuel.GAS))
    assert display.text("now-credit-title") == "⚠ Low credit"  # the gas meter's own flag
    assert now.credit_title.accessibleName() == "Low credit: please top up soon."
    assert now.credit_card.property("role") == "warning"
    assert display.text("now-balance").splitlines() == [
        "Electricity credit £13.45",
        "Gas credit £2.50",
    ]

    display.emit(replace(prepayment(START, credit=0), credit_exhausted=True))
    assert display.text("now-credit-title") == "✖ No credit"
    assert now.credit_card.property("role") == "alert"


def test_a_credit_home_has_no_credit_card_on_now(display: Display) -> None:
    from dataclasses import replace

    display.emit(replace(prepayment(START), mode=model.PaymentMode.CREDIT))
    assert not display.window.screens["now"].credit_card.isVisible()


def test_days_left_for_each_fuel_of_a_dual_fuel_prepayment_home(
    display: Display, english_after: None
) -> None:
    """FakeTotals' last seven whole days cost 175p to 325p of electricity (mean 250p) and 300p
    to 600p of gas (mean 450p); each meter also takes 40p a day for its debt. So 1,345p of
    electricity lasts 1,345 / 290 = 4.6 days, 600p 2.1; 2,500p of gas 2,500 / 490 = 5.1 days,
    500p 1.02 and 250p half a day."""
    from dataclasses import replace

    from tests.support.display import FakeTotals

    display.state.set_source(FakeTotals())
    display.emit(prepayment(START, credit=1345))
    assert display.text("now-days-left") == "About 4 days of credit left at your recent use"
    display.emit(replace(prepayment(START, credit=2500), fuel=model.Fuel.GAS))
    assert display.text("now-days-left") == "Days left: electricity about 4 days, gas about 5 days"
    display.emit(replace(prepayment(START, credit=250), fuel=model.Fuel.GAS))
    assert (
        display.text("now-days-left") == "Days left: electricity about 4 days, gas less than a day"
    )
    display.emit(
        prepayment(START, credit=600), replace(prepayment(START, credit=500), fuel=model.Fuel.GAS)
    )
    assert display.text("now-days-left") == "Days left: electricity about 2 days, gas about 1 day"
    display.tap("tab-settings")
    display.tap("settings-language-cy")
    display.tap("tab-now")
    # Welsh mutates after 2: "2 ddiwrnod", and counts 1 in the singular.
    assert (
        display.text("now-days-left") == "Dyddiau ar ôl: trydan tua 2 ddiwrnod, nwy tua 1 diwrnod"
    )


def test_a_whole_code_is_read_back_in_fours_before_it_is_sent(display: Display) -> None:
    from PySide6.QtWidgets import QWidget

    display.emit(prepayment(START))
    code = issue_utrn(KEY, 31, 1000, METER)
    _open_keypad(display)
    _type(display, code)
    display.tap("topup-send")
    # The read-back: the whole code in groups of four, Send and Change; nothing sent yet.
    assert display.find(QWidget, "topup-confirm-code").isVisible()
    assert not display.find(QWidget, "topup-key-1").isVisible()
    grouped = " ".join(code[i : i + 4] for i in range(0, 20, 4))
    assert display.text("topup-confirm-code") == grouped
    assert display.text("topup-confirm-title") == "Check your code"
    assert display.backend.sent == []
    # An urgent message now waits on the status line: the read-back is part of typing a code.
    display.emit(model.SupplierMessage(time=START, id=9, text="Engineer visit.", importance="high"))
    assert not display.window.alerts.popup.isVisible()
    display.tap("topup-confirm-change")  # back to the keypad, the code kept
    assert display.text("topup-code") == grouped
    assert display.backend.sent == []
    display.tap("topup-send")
    display.tap("topup-confirm-send")
    display.settle()
    assert display.backend.sent == [("top_up", code)]
    assert display.text("topup-feedback").startswith("Accepted: £10.00 added.")

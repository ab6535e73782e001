"""Guessing top-up codes on the keypad: refused codes pause entry for longer each time."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from device_backend import model
from device_backend.utrn import check_digit, decode_utrn, issue_utrn, validate_utrn, verify_mac
from ihd_app.settings import SettingsFile
from ihd_app.viewmodels.keypad import PAUSES, GuardState, TopUpGuard
from tests.support.display import (
    START,
    Display,
    FakeBackend,
    open_page,
    prepayment,
    send_code,
    write_settings,
)
from tests.support.layout import layout_problems, touch_problems

KEY = bytes.fromhex("a3f09c1e27b84d65e0c1f2a3b4c5d6e7")
OTHER_KEY = bytes.fromhex("00112233445566778899aabbccddeeff")
METER = "00-1A-2B-3C-00-00-E1-02"
NOT_VALID = "This code is not valid for your meter. Your balance is £13.45."
HELP = "If you are sure your code is right, please call your energy supplier."


class MeterWithKey(FakeBackend):
    """A stand-in meter that checks each code's MAC, as a real one does: a guess is INVALID."""

    async def top_up(
        self, utrn: str, fuel: model.Fuel = model.Fuel.ELECTRICITY
    ) -> model.TopUpResult:
        digits = validate_utrn(utrn)
        if verify_mac(KEY, METER, decode_utrn(digits)):
            return await super().top_up(utrn, fuel)
        self.sent.append(("top_up", utrn))
        await asyncio.sleep(0)
        result = model.TopUpResult(
            time=self.clock.now(), outcome=model.TopUpOutcome.INVALID, credit_pence=self.credit
        )
        self.emit(result)
        return result


def _guess(n: int) -> str:
    """A code that looks right (its check digit is) but was never issued for this meter."""
    return issue_utrn(OTHER_KEY, 100 + n, 1000, METER)


def _real(n: int) -> str:
    return issue_utrn(KEY, n, 500, METER)


@pytest.fixture
def display(qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> Any:
    shown = Display(qtbot, loop, tmp_path / "display.json", MeterWithKey())
    yield shown
    shown.close()


def _open_keypad(d: Display) -> None:
    d.emit(prepayment(START, credit=1345))
    d.tap("tab-balance")
    d.tap("balance-top-up")


def _send(d: Display, code: str) -> None:
    d.tap("topup-clear")
    for digit in code:
        d.tap(f"topup-key-{digit}")
    send_code(d)
    d.settle()


def _pass(d: Display, duration: timedelta) -> None:
    """Let time pass on the back end's clock; the display's once-a-second tick catches up."""
    d.backend.clock.moment += duration
    d.state.tick()


def _paused_text(d: Display) -> str | None:
    label = d.find(QLabel, "topup-paused")
    return str(label.text()) if label.isVisible() else None


def _keys_enabled(d: Display) -> bool:
    return all(d.find(QPushButton, f"topup-key-{k}").isEnabled() for k in "0123456789")


def _pause_for(d: Display, count: int = 5) -> None:
    for n in range(count):
        _send(d, _guess(n))


def test_five_refused_codes_pause_entry_with_words_and_a_countdown(display: Display) -> None:
    _open_keypad(display)
    expected = [
        NOT_VALID,
        NOT_VALID,
        f"{NOT_VALID} Tries left before top-up pauses: 2.",
        f"{NOT_VALID} Tries left before top-up pauses: 1.",
        NOT_VALID,
    ]
    for n, feedback in enumerate(expected):
        assert _paused_text(display) is None
        _send(display, _guess(n))
        assert display.text("topup-feedback") == feedback  # each refused, with the reason
    assert len(display.backend.sent) == 5

    # The fifth refusal pauses entry: words say why, until when, and how long is left.
    assert _paused_text(display) == (
        "Top-up is paused because 5 codes were not accepted. This stops anyone guessing "
        f"codes. You can try again at 12:01 (in 1:00). {HELP}"
    )
    assert display.text("topup-code") == "–––– –––– –––– –––– ––––"
    assert not _keys_enabled(display)
    assert not display.find(QPushButton, "topup-send").isEnabled()
    assert display.find(QPushButton, "topup-back").isEnabled()

    # A sixth attempt reaches nothing: not the keys, not the Top up button, not the meter.
    vm = display.state.balance
    vm.press("7")
    assert vm.entry.digits == ""
    vm.entry.digits = _guess(6)  # even with a whole code in place somehow
    assert vm.send() is False
    display.settle()
    assert len(display.backend.sent) == 5
    vm.entry.clear()

    # The countdown is live.
    _pass(display, timedelta(seconds=25))
    assert "You can try again at 12:01 (in 0:35)." in (_paused_text(display) or "")
    _pass(display, timedelta(seconds=34, milliseconds=500))
    assert "(in 0:01)." in (_paused_text(display) or "")

    # And when it is over, the keys work again and a real code goes through.
    _pass(display, timedelta(seconds=1))
    assert _paused_text(display) is None
    assert display.text("topup-feedback") == "You can enter a top-up code again."
    assert _keys_enabled(display)
    code = _real(1)
    _send(display, code)
    assert display.backend.sent[-1] == ("top_up", code)
    assert display.text("topup-feedback") == "Accepted: £5.00 added. Your balance is £18.45."


def test_pauses_grow_and_an_accepted_top_up_starts_afresh(display: Display) -> None:
    _open_keypad(display)
    for minutes, until in ((1, "12:01"), (5, "12:06"), (15, "12:21"), (15, "12:36")):
        _pause_for(display)
        assert f"You can try again at {until} (in {minutes}:00)." in (_paused_text(display) or "")
        _pass(display, timedelta(minutes=minutes))
        assert _paused_text(display) is None

    # Four refused, then a real code: the count and the pause lengths start again.
    for n in range(4):
        _send(display, _guess(n))
    assert "Tries left before top-up pauses: 1." in display.text("topup-feedback")
    _send(display, _real(2))
    assert display.text("topup-feedback").startswith("Accepted: £5.00 added.")
    for n in range(4):
        _send(display, _guess(n))
        assert _paused_text(display) is None
    _send(display, _guess(4))
    assert "(in 1:00)." in (_paused_text(display) or "")


def test_a_mistyped_check_digit_never_pauses_but_reused_codes_do(display: Display) -> None:
    _open_keypad(display)
    code = _real(3)
    typo = code[:19] + str((check_digit(code[:19]) + 1) % 10)
    for _ in range(8):  # typos are caught here, never sent, and never held against anyone
        _send(display, typo)
        assert display.text("topup-feedback") == "That code is not valid: please check the digits."
    assert display.backend.sent == []
    assert _paused_text(display) is None

    _send(display, code)
    assert display.text("topup-feedback").startswith("Accepted")
    for _ in range(5):  # replaying a used code probes the meter: it counts
        _send(display, code)
        assert display.text("topup-feedback").startswith("This code has already been used.")
    assert "5 codes were not accepted" in (_paused_text(display) or "")
    assert len(display.backend.sent) == 6


def test_a_meter_that_does_not_answer_is_not_held_against_anyone(display: Display) -> None:
    async def silent(utrn: str) -> model.TopUpResult:
        raise TimeoutError

    display.backend.top_up = silent  # type: ignore[method-assign]
    _open_keypad(display)
    for n in range(6):
        _send(display, _guess(n))
        assert display.text("topup-feedback").startswith("The top-up did not go through")
    assert _paused_text(display) is None


def test_the_pause_outlasts_the_keypad_and_a_restart(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "display.json"
    first = Display(qtbot, loop, path, MeterWithKey())
    _open_keypad(first)
    _pause_for(first)
    _pass(first, timedelta(seconds=20))
    first.tap("topup-back")
    first.tap("tab-now")
    first.tap("tab-balance")
    first.tap("balance-top-up")
    assert "You can try again at 12:01 (in 0:40)." in (_paused_text(first) or "")
    first.close()

    # The display restarts 10 s later: still paused, until the same moment.
    again = MeterWithKey(START + timedelta(seconds=30))
    second = Display(qtbot, loop, path, again)
    _open_keypad(second)
    assert "You can try again at 12:01 (in 0:30)." in (_paused_text(second) or "")
    assert not _keys_enabled(second)
    _pass(second, timedelta(seconds=30))
    assert _paused_text(second) is None
    second.close()

    # What was kept is when, never what: no code's digits in the file or the log.
    saved = path.read_text(encoding="utf-8")
    assert json.loads(saved)["topup_pauses"] == 1
    for n in range(5):
        guess = _guess(n)
        assert guess not in saved
        assert guess not in caplog.text
        assert guess[-8:] not in saved
        assert guess[-8:] not in caplog.text
    assert "paused for 0:01:00 after 5 refused codes" in caplog.text


def test_a_clock_set_back_never_lengthens_a_pause() -> None:
    guard = TopUpGuard()
    later = START + timedelta(days=365)
    for n in range(5):
        guard.refused(later + timedelta(seconds=n))
    assert guard.paused_until(START) == START + PAUSES[-1]
    assert guard.paused_until(START + PAUSES[-1]) is None


def test_a_damaged_pause_record_is_dropped_not_trusted(tmp_path: Path) -> None:
    path = write_settings(tmp_path / "display.json")
    raw = json.loads(path.read_text())
    raw.update(topup_refused_at=["yesterday", 5, "2026-01-12T11:59:00+00:00"], topup_pauses=-3)
    raw.update(topup_paused_until="2026-01-12T12:01:00")  # no time zone: not trusted
    path.write_text(json.dumps(raw))
    settings = SettingsFile(path).load()
    state = GuardState.load(
        settings.topup_refused_at, settings.topup_paused_until, settings.topup_pauses
    )
    assert state == GuardState((datetime(2026, 1, 12, 11, 59, tzinfo=UTC),), None, 0)


PAUSED_CASES = [("normal", "en"), ("largest", "en"), ("largest", "cy")]


@pytest.mark.parametrize(("size", "language"), PAUSED_CASES)
def test_the_paused_keypad_fits_800x480(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    english_after: None,
    size: str,
    language: str,
) -> None:
    settings = write_settings(tmp_path / "display.json", text_size=size, language=language)
    d = Display(qtbot, loop, settings, MeterWithKey())
    try:
        d.emit(prepayment(START, credit=1345))
        open_page(d, "balance-keypad")
        vm = d.state.balance

        async def send_in_loop() -> None:  # commands start tasks inside the running loop
            vm.send()
            await asyncio.sleep(0)

        for n in range(5):
            vm.entry.digits = _guess(n)
            d.run(send_in_loop())
            d.settle()
        paused = _paused_text(d) or ""
        if language == "cy":
            assert paused.startswith("Mae ychwanegu credyd wedi'i oedi")
            assert "(ymhen 1:00)" in paused
        d.window.grab().save(str(tmp_path / f"topup-paused-{size}-{language}.png"), "PNG")
        assert layout_problems(d.window) + touch_problems(d.window) == []
    finally:
        d.close()


def test_the_balance_overview_says_top_up_is_paused(display: Display) -> None:
    _open_keypad(display)
    _pause_for(display)
    display.tap("topup-back")
    label = display.find(QLabel, "balance-top-up-paused")
    assert label.isVisible()
    assert label.text() == "Top-up paused until 12:01"
    _pass(display, timedelta(minutes=1, seconds=1))
    assert not label.isVisible()

"""The display on `ezsp:` through the real bellows stack and the virtual EZSP dongle.

Issue 20's "done when": `ihd --target ezsp:<virtual dongle>` shows the same home as
`ihd --scenario prepay-low-credit`, and a top-up typed on the keypad is accepted by the
virtual meter through bellows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from device_backend import model
from device_backend.facade import Backend
from device_backend.store import Store
from ihd_app.screenshot import advance
from ihd_app.totals import StoreTotals
from tests.support.display import Display
from tests.support.ncp import SPEED, DongleThread, until


class Homes:
    def __init__(self, qtbot: Any, loop: asyncio.AbstractEventLoop, folder: Path) -> None:
        self.qtbot, self.loop, self.folder = qtbot, loop, folder
        self.opened: list[tuple[Display, Store]] = []
        self.dongles: list[DongleThread] = []

    def _show(self, backend: Backend, name: str) -> Display:
        store = Store.open(self.folder / f"{name}.db", clock=backend.clock, synchronous="NORMAL")
        backend.attach_store(store, batch=1)
        shown = Display(self.qtbot, self.loop, self.folder / f"{name}.json", backend)
        self.opened.append((shown, store))
        shown.state.set_source(StoreTotals(store))
        return shown

    def on_dongle(self, scenario: str) -> tuple[Display, DongleThread]:
        dongle = DongleThread(
            scenario, port=str(self.folder / "ttyNCP0"), speed=SPEED, ezsp_version=13
        )
        self.dongles.append(dongle)
        meters = len(dongle.dongle.home.meters)
        backend = Backend(f"ezsp:{dongle.path}", zigpy_database=str(self.folder / "zigpy.db"))
        shown = self._show(backend, "dongle")

        async def ready() -> None:
            await backend.wait_online(timeout=60)
            await until(lambda: len(backend._ready) >= meters, "saw every meter adopted")
            await until(
                lambda: backend.latest_of(model.Prepayment) is not None, "saw the prepayment state"
            )

        shown.run(ready())
        _settle(shown)
        return shown, dongle

    def on_simulator(self, scenario: str) -> Display:
        backend = Backend(f"sim:{scenario}", speed=None)
        shown = self._show(backend, "sim")
        shown.run(advance(backend, timedelta(seconds=30)))
        shown.settle()
        return shown

    def close(self) -> None:
        for shown, store in self.opened:
            shown.close()
            store.close()
        for dongle in self.dongles:
            dongle.stop()


@pytest.fixture
def homes(qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Homes]:
    opened = Homes(qtbot, loop, tmp_path)
    yield opened
    opened.close()


def _settle(d: Display) -> None:
    """Display.settle, but Qt's own events are only processed while the loop runs: bellows's
    serial thread hands its replies to the loop at any moment, and a task stepped by a bare
    processEvents() outside the loop finds no running loop (in `ihd` the loop always runs)."""

    async def settled() -> None:
        await asyncio.sleep(0.05)
        await d.state.session.settle()
        await asyncio.sleep(0.05)

    d.run(settled())
    QApplication.sendPostedEvents()


def _send_and_wait(d: Display) -> None:
    """Press Top up and wait for the meter's answer within one run of the loop, so that no
    step of the command falls in a gap where Qt, not the loop, dispatches."""
    from PySide6.QtWidgets import QPushButton

    button = d.find(QPushButton, "topup-send")
    assert button.isVisible()
    assert button.isEnabled()

    async def press() -> None:
        button.click()
        d.find(QPushButton, "topup-confirm-send").click()  # the read-back: Send
        for _ in range(200):  # the answer comes over ASH and bellows; give it up to 10 s
            await asyncio.sleep(0.05)
            if d.text("topup-feedback"):
                break
        await d.state.session.settle()

    d.run(press())
    QApplication.sendPostedEvents()


def _type(d: Display, digits: str) -> None:
    for digit in digits:
        d.tap(f"topup-key-{digit}")


def _pence(text: str) -> int:
    return int(text.replace("£", "").replace(",", "").replace(".", ""))


def test_the_virtual_dongle_shows_the_simulators_home_and_takes_a_keypad_top_up(
    homes: Homes,
) -> None:
    # One bellows session per test process for the display: see the README's findings (a
    # second bellows session on a new qasync loop in the same process lost its tasks).
    simulated = homes.on_simulator("prepay-low-credit")
    simulated.tap("tab-balance")
    same = ("balance-emergency", "balance-debt", "balance-supply", "balance-days-left")
    expected = {name: simulated.text(name) for name in (*same, "balance-credit")}
    shown, dongle = homes.on_dongle("prepay-low-credit")
    shown.tap("tab-balance")
    assert shown.text("link-status") != "✖ Offline"
    for name in same:
        assert shown.text(name) == expected[name], name
    # Credit falls as the home uses power, and the two homes run a few simulated seconds apart
    # (more on a loaded machine), so the credit shown is bounded by the virtual meter's own
    # account: no more than it started with, no less than it holds now, after the report.
    before = _pence(shown.text("balance-credit"))
    home = dongle.dongle.home
    account = home.accounts[model.Fuel.ELECTRICITY]
    credit_now = dongle.call(lambda: account.snapshot(home.clock.now()).credit_pence)
    assert credit_now <= before <= account.settings.start_credit_pence
    assert abs(before - _pence(expected["balance-credit"])) <= 50  # the same home, give or take
    assert dongle.call(lambda: dongle.dongle.ncp.commands_seen.count("sendUnicast")) > 0

    code = dongle.call(lambda: home.issue_top_up(1000))
    shown.tap("balance-top-up")
    _type(shown, code)
    _send_and_wait(shown)
    feedback = shown.text("topup-feedback")
    assert feedback.startswith("Accepted: £10.00 added. Your balance is £"), feedback
    assert _pence(feedback.rsplit("£", 1)[1].rstrip(".")) >= before + 1000 - 10
    credit = dongle.call(lambda: account.snapshot(home.clock.now()).credit_pence)
    assert credit >= before + 1000 - 10  # the virtual meter's own account
    shown.tap("topup-back")
    assert _pence(shown.text("balance-credit")) >= before + 1000 - 10

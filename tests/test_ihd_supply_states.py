"""SMETS2 supply states on screen, from a simulated meter through ZCL and the facade.

SMETS2 prepayment (gb_domain.md §3, "Supply status"): credit and emergency credit used up
outside a friendly-credit period disables the supply (Metering SupplyStatus 0x00); a top-up that
lifts credit above the disablement threshold arms it (0x01, ConsumerTopUpResponse 0x12); the
household then enables it with LocalChangeSupply (0x02). The display offers the one action that
works in each state: top up while off, Restore supply while armed, nothing while on.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from device_backend import model
from device_backend.facade import Backend
from device_backend.simulator.scenario import load_scenario
from ihd_app.screenshot import advance
from tests.support.display import Display, send_code
from tests.support.scenarios import ARMING


def _type(d: Display, digits: str) -> None:
    for digit in digits:
        d.tap(f"topup-key-{digit}")


def test_exhaustion_off_then_top_up_arms_then_restore_turns_it_on(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    path = tmp_path / "arming.toml"
    path.write_text(ARMING.format(seed=5), encoding="utf-8")
    code = load_scenario(path).issue_top_up(model.Fuel.ELECTRICITY, 2000, 500)
    backend = Backend(f"sim:{path}", speed=None, seed=5)
    d = Display(qtbot, loop, tmp_path / "display.json", backend)
    try:
        d.run(advance(backend, timedelta(hours=14)))  # 40p runs out on a weekday morning
        d.settle()
        # Supply off is urgent: a popup over the screen, whose answer ("Top up") goes to the
        # Balance screen (issue 19), rather than a band above every screen.
        said = []
        while d.window.alerts.popup.isVisible():
            said.append(d.window.alerts.popup.card.words.accessibleName())
            assert d.window.alerts.popup.card.show_me.text() == "Top up"
            d.tap("alert-popup-show")
        # Credit gone and supply off: one popup says both (issue 19), not two in turn.
        both = "Your credit has run out and your electricity supply is off. Top up to restore it."
        assert both in said
        assert "Your credit has run out. Top up to keep your supply on." not in said
        assert d.window.current == "balance"
        balance = d.window.screens["balance"]
        assert d.text("balance-supply") == "Supply: off – top up to restore it"
        assert not balance.restore.isVisible()  # restoring cannot work with no credit
        assert balance.top_up.isVisible()

        d.tap("balance-top-up")
        _type(d, code)
        send_code(d)
        d.settle()
        assert d.text("topup-feedback").startswith("Accepted: £20.00 added.")
        d.tap("topup-back")
        assert d.text("balance-supply") == "Supply: ready to restore – press Restore supply"
        assert balance.restore.isVisible()

        d.tap("balance-restore")
        d.settle()
        assert d.text("balance-supply") == "Supply: on"
        assert d.text("balance-supply-feedback") == "Your supply is back on."
        assert not balance.restore.isVisible()
        assert backend.latest_of(model.Supply, model.Fuel.ELECTRICITY).state is (
            model.SupplyState.ON
        )
    finally:
        d.close()


def test_a_dual_fuel_prepayment_home_shows_and_tops_up_both_meters(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    """prepay-low-credit: electricity starts at £4.20, gas at £25.00 (its TOML); the gas
    balance comes from the gas proxy's Prepayment cluster, and a code goes to the chosen meter."""
    backend = Backend("sim:prepay-low-credit", speed=None, seed=7)
    d = Display(qtbot, loop, tmp_path / "display.json", backend)
    try:
        d.run(advance(backend, timedelta(hours=1)))
        d.settle()
        # Both fuels in the credit card on Now, a line each, each from its own meter.
        electricity, gas = d.text("now-balance").splitlines()
        assert electricity.startswith("Electricity credit £")
        assert gas.startswith("Gas credit £2")  # £25.00 less an hour of gas and standing charge
        assert d.window.screens["now"].credit_card.isVisible()
        d.tap("tab-balance")
        gas_before = backend.latest_of(model.Prepayment, model.Fuel.GAS).credit_pence
        assert d.text("balance-gas").startswith("£2")
        assert d.text("balance-gas-supply") == "Gas valve: open"

        gas_code = backend.home.issue_top_up(500, model.Fuel.GAS)
        d.tap("balance-top-up")
        assert d.text("topup-fuel") == "This code is for: Electricity"
        _type(d, gas_code)
        send_code(d)  # to the electricity meter by mistake: refused, and explained
        d.settle()
        assert d.text("topup-feedback").startswith(
            "This code is not valid for your electricity meter. If it is a gas top-up, "
            "choose Gas and send it again."
        )
        d.tap("topup-fuel-gas")
        assert d.text("topup-fuel") == "This code is for: Gas"
        _type(d, gas_code)
        send_code(d)
        d.settle()
        assert d.text("topup-feedback").startswith("Accepted: £5.00 added.")
        gas_after = backend.latest_of(model.Prepayment, model.Fuel.GAS).credit_pence
        assert gas_after - gas_before >= 499  # at most a penny of gas used meanwhile
        # And a code for the electricity meter, chosen as such.
        electricity_code = backend.home.issue_top_up(300, model.Fuel.ELECTRICITY)
        d.tap("topup-fuel-electricity")
        _type(d, electricity_code)
        send_code(d)
        d.settle()
        assert d.text("topup-feedback").startswith("Accepted: £3.00 added.")
        d.tap("topup-back")
        assert d.text("balance-gas").startswith("£")
        # Each meter's own log of its top-ups, newest first, saying which meter it went to.
        d.tap("balance-history")
        newest, older = d.text("topups-list").splitlines()
        assert newest.startswith("Mon 12 Jan 08:")
        assert newest.endswith(" · Electricity · £3.00")
        assert older.endswith(" · Gas · £5.00")
        d.tap("topups-back")
        assert d.window.screens["balance"].credit.isVisible()
    finally:
        d.close()

"""A dual-fuel prepayment day through zigpy, to the penny, with every kind of SMETS2 debt."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from device_backend import model
from device_backend.facade import scenario_file
from tests.support.sim import advance, run, with_backend

DEBTS = """[payment.electricity]
start_credit_pence = 5000
debt_pence = 3000
debt_recovery_pence_per_day = 40
debt2_pence = 1000
debt2_recovery_pence_per_day = 25
payment_debt_pence = 2000
payment_debt_recovery_percent = 10
debt_recovery_cap_pence_per_day = 50
"""


def test_a_day_of_both_fuels_reaches_the_display_to_the_penny(tmp_path: Path) -> None:
    text = scenario_file("prepay-low-credit").read_text(encoding="utf-8")
    old = text[text.index("[payment.electricity]") : text.index("[payment.gas]")]
    path = tmp_path / "prepay-debts.toml"
    path.write_text(text.replace(old, DEBTS + "\n"), encoding="utf-8")

    async def body(backend: Any, events: Any) -> list[tuple[Any, Any]]:
        start = backend.clock.now()
        midnight = (start + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        await advance(backend, midnight - start)  # the cap counts per UTC day: start on one
        before = backend.home.accounts[model.Fuel.ELECTRICITY].snapshot(backend.clock.now())
        await advance(backend, timedelta(days=1))
        await backend.refresh()  # read every register now, as the display does on demand
        now = backend.clock.now()
        pairs = []
        for fuel in (model.Fuel.ELECTRICITY, model.Fuel.GAS):
            meter = backend.home.accounts[fuel].snapshot(now)
            shown = backend.latest_of(model.Prepayment, fuel)
            pairs.append((meter, shown))
        pairs.append((before, None))
        return pairs

    (e_meter, e_shown), (g_meter, g_shown), (before, _) = run(with_backend(path, body))
    assert e_shown.credit_pence == e_meter.credit_pence
    assert g_shown.credit_pence == g_meter.credit_pence
    assert g_shown.credit_pence < 2500  # gas was used and paid for from its own balance
    debts = {d.number: d for d in e_shown.debts}
    assert debts[1].pence == e_meter.debt_pence
    assert debts[2].pence == e_meter.debt2_pence
    # Recovered only from top-ups: 10 % of the supplier's £20.00 at +35 h in the timeline.
    assert debts[3].pence == e_meter.payment_debt_pence == Decimal(1800)
    assert debts[3].recovery_percent == Decimal(10)
    # 40p + 25p a day, capped at 50p: exactly 50p of time-based debt recovered in a UTC day.
    recovered = (before.debt_pence - e_meter.debt_pence) + (
        before.debt2_pence - e_meter.debt2_pence
    )
    assert recovered == 50
    assert e_shown.debt_pence == e_meter.total_debt_pence

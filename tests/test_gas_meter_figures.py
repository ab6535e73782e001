"""Gas kWh and cost per day as the gas proxy publishes them, our conversion only as fallback.

A GB gas proxy counts m3 (UnitOfMeasure 0x01) and keeps its day, week and month logs in kWh as
well, in the alternative-unit set (AlternativeUnitOfMeasure 0x0312 = kWh; CurrentDay... at
0x0C01, PreviousDay... at 0x0C03, 0x0C20 + 2(n-2)), and their cost in the Prepayment cluster
(CurrentDayCostConsumptionDelivered 0x051C, PreviousDay1 0x051E, ...; se_clusters.md §3, §6).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from device_backend import model
from device_backend.simulator.meters import (
    ALTERNATIVE,
    COST_IDS,
    CURRENT_DAY,
    METERING,
    PREPAYMENT,
)
from tests.support.display import START, Display, FakeTotals
from tests.support.sim import advance, run, with_backend

MILLI = Decimal("0.001")


def _gas_ieee(backend: Any) -> str:
    return next(i for i, a in backend.adapters.items() if a.fuel is model.Fuel.GAS)


def test_the_gas_proxys_own_kwh_and_cost_per_day_are_read_and_kept_current() -> None:
    async def body(backend: Any, events: Any) -> dict[str, Any]:
        # From 06:00 UTC to 01:00 the next day: one whole UTC day behind the meter's log.
        await advance(backend, timedelta(hours=19))
        await backend.readopt(_gas_ieee(backend))  # as a display installed today would
        first = events.last(model.MeterHistory, model.Fuel.GAS)
        home = backend.home
        yesterday = backend.clock.now().astimezone(UTC).date() - timedelta(days=1)
        found = {
            "first": first,
            "kwh": home.gas_meter.daily_kwh[yesterday],
            "litres": home.gas_meter.daily_litres[yesterday],
            "cost": home.accounts[model.Fuel.GAS].cost_for_day(yesterday),
            "kwh_per_m3": backend.adapters[_gas_ieee(backend)].kwh_per_unit,
        }
        # The next push from the gas meter (every 30 minutes) moves today's figures on, and
        # the display reads them again.
        await advance(backend, timedelta(hours=1))
        for _ in range(500):
            if events.last(model.MeterHistory, model.Fuel.GAS).time > first.time:
                break
            await asyncio.sleep(0.01)
        found["later"] = events.last(model.MeterHistory, model.Fuel.GAS)
        found["today_wh"] = home.gas_proxy.get_attribute(1, METERING, CURRENT_DAY + ALTERNATIVE)
        found["today_cost"] = home.gas_proxy.get_attribute(1, PREPAYMENT, COST_IDS[0])
        # A proxy that keeps its log in m3 only: our own conversion, said so.
        home.gas_proxy.set_attributes(1, METERING, {"alternative_unit_of_measure": 1})
        await backend.readopt(_gas_ieee(backend))
        found["fallback"] = events.last(model.MeterHistory, model.Fuel.GAS)
        return found

    got = run(with_backend("credit-dual-fuel", body))
    first = got["first"]
    assert first.kwh_source == "meter"
    # The proxy's kWh to the Wh it keeps, at the factors in force as the gas was measured.
    assert first.days[1] == (Decimal(got["kwh"].numerator) / got["kwh"].denominator).quantize(
        MILLI, ROUND_HALF_UP
    )
    assert first.days[1] > 0
    # Our own conversion of the same day's volume agrees to within the meter's rounding.
    converted = Decimal(got["litres"]) / 1000 * got["kwh_per_m3"]
    assert abs(first.days[1] - converted) <= MILLI / 2
    # Its cost (energy and standing charge) as the meter totalled it, to 1/1000 p.
    assert first.day_costs[1] == got["cost"].quantize(MILLI, ROUND_HALF_UP)
    assert first.day_costs[1] > 0
    assert len(first.day_costs) == 9
    assert len(first.week_costs) == 6
    assert len(first.month_costs) == 14
    later = got["later"]
    assert later.time > first.time
    assert later.days[0] == Decimal(got["today_wh"]) / 1000
    # Standing charge accrues through the night even with no gas used: the cost moved on.
    assert later.day_costs[0] == Decimal(got["today_cost"]) / 1000
    assert later.day_costs[0] > first.day_costs[0]
    fallback = got["fallback"]
    assert fallback.kwh_source == "converted"
    assert fallback.days[1] == converted


def _gas_history(**changes: Any) -> model.MeterHistory:
    history = model.MeterHistory(
        time=START,
        fuel=model.Fuel.GAS,
        days=(Decimal("31.437"), Decimal("52.2")),
        weeks=(Decimal("83.637"),),
        months=(Decimal("400.5"),),
        day_costs=(Decimal("245.678"), Decimal("380.001")),
        week_costs=(Decimal("625.679"),),
        month_costs=(Decimal("2999.5"),),
    )
    return replace(history, **changes)


def test_today_shows_the_gas_meters_own_kwh_and_cost(display: Display) -> None:
    display.state.set_source(FakeTotals())  # ours: 10 kWh of gas today, £3.00
    display.tap("tab-usage")
    assert display.text("usage-gas-main") == "£3.00"  # pounds first
    assert display.text("usage-gas-other") == "10.0 kWh"
    display.emit(_gas_history())
    assert display.text("usage-gas-main") == "£2.46"
    assert display.text("usage-gas-other") == "31.4 kWh"
    display.tap("usage-week")
    assert display.text("usage-gas-main") == "£6.26"
    assert display.text("usage-gas-other") == "83.6 kWh"


def test_a_volume_only_log_or_another_days_figures_leave_our_own(display: Display) -> None:
    display.state.set_source(FakeTotals())
    display.tap("tab-usage")
    display.emit(_gas_history(kwh_source="converted"))
    assert display.text("usage-gas-other") == "10.0 kWh"
    display.emit(_gas_history(time=START - timedelta(days=1)))  # read yesterday
    assert display.text("usage-gas-other") == "10.0 kWh"

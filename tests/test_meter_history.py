"""The meter's own history (Metering 0x0401-0x045B) read through zigpy when a meter is adopted."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from device_backend import model
from device_backend.simulator.meters import METERING, PREVIOUS_DAY
from tests.support.sim import advance, run, with_backend


def test_a_display_adopting_a_meter_reads_its_days_weeks_and_months() -> None:
    async def body(backend: Any, events: Any) -> tuple[model.MeterHistory, int]:
        await advance(backend, timedelta(days=2))
        ieee = next(i for i, a in backend.adapters.items() if a.fuel is model.Fuel.ELECTRICITY)
        await backend.readopt(ieee)  # as a display installed today would
        raw = backend.home.esme.get_attribute(1, METERING, PREVIOUS_DAY)
        return events.last(model.MeterHistory, model.Fuel.ELECTRICITY), int(raw)

    history, yesterday_wh = run(with_backend("credit-dual-fuel", body))
    assert len(history.days) == 9  # today so far and the 8 days before it
    assert len(history.weeks) == 6
    assert len(history.months) == 14
    assert yesterday_wh > 0
    assert history.days[1] == Decimal(yesterday_wh) / 1000  # Wh register, divisor 1000

"""Gas in kWh from the meter's own conversion factor and calorific value, never m3 as kWh.

GCS23 (gb_domain.md §5): ConversionFactor 102264 with trailing digit 0x50 is 1.02264;
CalorificValue 400 with 0x10 is 40.0 MJ/m3. A display reads them on adoption and after every
reconnect or restart; the GPF's next PublishCalorificValue may be far off. Before this, the
first half-hour's 0.629 m3 was counted as 0.629 kWh because the first report came before the
first PublishCalorificValue, and the same after every restart.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from typing import Any

from device_backend import model, units
from device_backend.translate import METERING, PRICE, MeterAdapter
from tests.support.fake_cluster import FakeCluster
from tests.support.sim import advance, run, with_backend

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
GCS23 = {
    "conversion_factor": 102264,
    "conversion_factor_trailing_digit": 0x50,
    "calorific_value": 400,
    "calorific_value_trailing_digit": 0x10,
    "calorific_value_unit": 1,
}


def _gas(events: list[model.Event]) -> tuple[Any, FakeCluster, FakeCluster]:
    metering = FakeCluster(METERING, {"multiplier": 1, "divisor": 1000, "unit_of_measure": 1})
    price = FakeCluster(PRICE, {})
    adapter = MeterAdapter(
        ieee="00:11:22:33:44:55:66:88",
        fuel=model.Fuel.GAS,
        clusters={METERING: metering, PRICE: price},  # type: ignore[dict-item]
        emit=events.append,
        now=lambda: NOW,
    )
    return adapter, metering, price


def test_gcs23_factors_read_from_the_proxy_scale_the_first_reading() -> None:
    events: list[model.Event] = []
    adapter, metering, price = _gas(events)
    price.read(**GCS23)  # what the facade reads on adoption, before any report
    assert adapter.cf == D("1.02264")
    assert adapter.cv == D("40.0")
    metering.read(current_summ_delivered=629)  # 0.629 m3
    energy = [e for e in events if isinstance(e, model.Energy)][-1]
    # Via the per-m3 factor (rounded once at 28 digits): equal to the direct sum to 1e-20 kWh.
    exact = units.gas_kwh(D("0.629"), D("40.0"), D("1.02264"))
    assert round(energy.import_kwh, 20) == round(exact, 20)
    assert round(energy.import_kwh, 3) == D("7.147")  # 0.629 x 1.02264 x 40.0 / 3.6


def test_a_reading_before_any_calorific_value_is_held_not_counted_as_kwh() -> None:
    events: list[model.Event] = []
    _adapter, metering, price = _gas(events)
    metering.read(current_summ_delivered=629)
    assert not [e for e in events if isinstance(e, model.Energy)]  # never 0.629 "kWh"
    price.read(**GCS23)
    energy = [e for e in events if isinstance(e, model.Energy)]
    assert len(energy) == 1
    assert energy[0].import_raw == 629
    assert energy[0].kwh_per_unit == units.gas_kwh_per_m3(D("40.0"), D("1.02264"))


def test_a_gas_meter_counting_kwh_needs_no_calorific_value() -> None:
    events: list[model.Event] = []
    _adapter, metering, _ = _gas(events)
    metering.values["unit_of_measure"] = 0  # kWh
    metering.read(current_summ_delivered=5000)
    assert next(e for e in events if isinstance(e, model.Energy)).import_kwh == 5


def _first_gas_day(start: datetime | None) -> list[model.Energy]:
    async def body(backend: Any, events: Any) -> list[model.Energy]:
        await advance(backend, timedelta(hours=3))
        return events.of(model.Energy, model.Fuel.GAS)

    kwargs = {"start": start} if start is not None else {}
    return run(with_backend("credit-dual-fuel", body, **kwargs))


def test_every_gas_reading_through_zigpy_carries_the_meters_own_factor() -> None:
    """credit-dual-fuel: CV 39.5 MJ/m3 and CF 1.02264 in its TOML."""
    per_m3 = units.gas_kwh_per_m3(D("39.5"), D("1.02264"))
    fresh = _first_gas_day(None)
    assert fresh, "no gas readings in three hours"
    assert {e.kwh_per_unit for e in fresh} == {per_m3}  # the first half-hour included
    # A display restarted mid-morning, in the first half-hour of its run, is right at once too.
    restarted = _first_gas_day(datetime(2026, 1, 12, 9, 10, tzinfo=UTC))
    assert {e.kwh_per_unit for e in restarted} == {per_m3}

"""The history store's numbers: rollups against a slow reference, London days, costs, CSV."""

from __future__ import annotations

import csv
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from device_backend.clock import LONDON, SimulatedClock
from device_backend.model import (
    Ambient,
    AmbientLevel,
    Demand,
    Energy,
    Fuel,
    LinkQuality,
    Price,
    SupplierMessage,
    TopUpOutcome,
    TopUpResult,
)
from device_backend.store import Bucket, Store

ELEC, GAS = Fuel.ELECTRICITY, Fuel.GAS
GAS_FACTOR = Decimal("11.1868")
SPRING = datetime(2026, 3, 27, tzinfo=UTC)  # clocks go forward on Sunday 29 March 2026
AUTUMN = datetime(2026, 10, 23, tzinfo=UTC)  # and back on Sunday 25 October 2026


def _open(tmp_path: Path, now: datetime) -> Store:
    return Store.open(tmp_path / "history.db", clock=SimulatedClock(now, speed=None))


def _energy(
    t: datetime,
    raw: int,
    *,
    fuel: Fuel = ELEC,
    device: str = "esme",
    divisor: int = 1000,
    export: int | None = None,
) -> Energy:
    return Energy(
        time=t,
        fuel=fuel,
        import_raw=raw,
        multiplier=1,
        divisor=divisor,
        export_raw=export,
        kwh_per_unit=GAS_FACTOR if fuel is GAS else Decimal(1),
        device=device,
    )


def _meter(
    start: datetime, hours: int, step_s: int, seed: int, *, reset_at: int | None = None
) -> list[Energy]:
    """A register with random steps; optionally replaced by a new meter (register 0) midway."""
    rng = random.Random(seed)
    raw, out = 5_000_000, []
    for i in range(hours * 3600 // step_s):
        raw += rng.randint(0, 9)
        if reset_at is not None and i == reset_at:
            raw = rng.randint(0, 50)
        out.append(_energy(start + timedelta(seconds=i * step_s), raw))
    return out


def reference(events: list[Energy], key: str) -> dict[object, Decimal]:
    """The slow way: walk each register in time order, Decimal kWh per local day or half-hour."""
    totals: dict[object, Decimal] = defaultdict(Decimal)
    streams: dict[tuple[str, Fuel], list[Energy]] = defaultdict(list)
    for event in events:
        streams[(event.device, event.fuel)].append(event)
    for stream in streams.values():
        stream.sort(key=lambda e: e.time)
        for before, after in itertools.pairwise(stream):
            step = after.import_raw - before.import_raw
            rescaled = (after.multiplier, after.divisor) != (before.multiplier, before.divisor)
            if step <= 0 or rescaled:  # a new baseline
                continue
            kwh = Decimal(step) * after.multiplier / after.divisor * after.kwh_per_unit
            when = after.time
            if key == "day":
                totals[when.astimezone(LONDON).date()] += kwh
            else:
                slot = when.replace(minute=30 if when.minute >= 30 else 0, second=0, microsecond=0)
                totals[slot] += kwh
    return totals


def _chunks(items: list[Energy], rng: random.Random) -> Iterator[list[Energy]]:
    i = 0
    while i < len(items):
        size = rng.choice([1, 7, 100, 1000, 5000])
        yield items[i : i + size]
        i += size


@pytest.mark.parametrize("start", [SPRING, AUTUMN], ids=["spring-forward", "fall-back"])
def test_rollups_across_clock_changes_match_the_slow_reference(
    tmp_path: Path, start: datetime
) -> None:
    events = _meter(start, hours=5 * 24, step_s=10, seed=start.month, reset_at=20_000)
    with _open(tmp_path, start + timedelta(days=5)) as store:
        for chunk in _chunks(events, random.Random(1)):
            store.add_many(chunk)
        days = store.period_totals(ELEC, start, start + timedelta(days=5), Bucket.DAY)
        halves = store.period_totals(ELEC, start, start + timedelta(days=5), Bucket.HALF_HOUR)
    by_day = reference(events, "day")
    assert {p.start.date(): p.kwh for p in days if p.kwh} == {d: v for d, v in by_day.items() if v}
    by_slot = reference(events, "slot")
    assert {p.start.astimezone(UTC): p.kwh for p in halves if p.kwh} == {
        s: v for s, v in by_slot.items() if v
    }
    assert all(p.kwh >= 0 for p in halves)


def test_23_and_25_hour_days(tmp_path: Path) -> None:
    # One watt-hour a minute: exactly 0.06 kWh in every hour, whatever the clock says.
    events = []
    for start in (SPRING, AUTUMN):
        events += [_energy(start + timedelta(minutes=m), 1000 + m) for m in range(4 * 24 * 60)]
    with _open(tmp_path, AUTUMN + timedelta(days=4)) as store:
        store.add_many(events)
        spring = store.period_totals(ELEC, SPRING, SPRING + timedelta(days=4), Bucket.DAY)
        autumn = store.period_totals(ELEC, AUTUMN, AUTUMN + timedelta(days=4), Bucket.DAY)
    short = next(p for p in spring if p.start.date() == date(2026, 3, 29))
    long = next(p for p in autumn if p.start.date() == date(2026, 10, 25))
    assert (short.hours, short.kwh) == (23, Decimal("1.380"))
    assert (long.hours, long.kwh) == (25, Decimal("1.500"))
    assert short.start == datetime(2026, 3, 29, tzinfo=LONDON)
    assert short.end.astimezone(UTC) == datetime(2026, 3, 29, 23, tzinfo=UTC)
    assert long.end.astimezone(UTC) == datetime(2026, 10, 26, 0, tzinfo=UTC)


def test_a_register_that_goes_backwards_starts_a_new_baseline(tmp_path: Path) -> None:
    t0 = datetime(2026, 5, 1, 10, tzinfo=UTC)
    raws = [1000, 1500, 2000, 30, 130, 230]  # meter replaced between 2000 and 30
    with _open(tmp_path, t0 + timedelta(hours=2)) as store:
        for i, raw in enumerate(raws):  # one event at a time, as the facade delivers them
            store.add(_energy(t0 + timedelta(minutes=10 * i), raw))
        day = store.period_totals(ELEC, t0, t0 + timedelta(hours=1), Bucket.DAY)[0]
        halves = store.period_totals(ELEC, t0, t0 + timedelta(hours=1), Bucket.HALF_HOUR)
    assert day.kwh == Decimal("1.2")  # 0.5 + 0.5 + (new baseline) + 0.1 + 0.1
    assert [p.kwh for p in halves] == [Decimal("1.0"), Decimal("0.2")]
    assert all(p.kwh >= 0 for p in halves)


@settings(max_examples=25, deadline=None)
@given(
    steps=st.lists(st.integers(-3000, 400), min_size=2, max_size=120),
    gaps=st.lists(st.integers(1, 4000), min_size=120, max_size=120),
    split=st.integers(1, 119),
)
def test_any_register_history_matches_the_reference(
    tmp_path_factory: pytest.TempPathFactory, steps: list[int], gaps: list[int], split: int
) -> None:
    t, raw, events = SPRING + timedelta(hours=20), 10_000, []
    for step, gap in zip(steps, gaps, strict=False):
        raw = max(0, raw + step)
        t += timedelta(seconds=gap)
        events.append(_energy(t, raw))
    with _open(tmp_path_factory.mktemp("h"), t) as store:
        store.add_many(events[:split])
        store.add_many(events[split:])
        days = store.period_totals(ELEC, SPRING, t + timedelta(days=1), Bucket.DAY)
    expected = reference(events, "day")
    assert {p.start.date(): p.kwh for p in days if p.kwh} == {
        d: v for d, v in expected.items() if v
    }


def test_late_readings_are_kept_raw_but_not_counted_twice(tmp_path: Path) -> None:
    t0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
    with _open(tmp_path, t0 + timedelta(hours=1)) as store:
        store.add_many([_energy(t0, 100), _energy(t0 + timedelta(minutes=20), 300)])
        store.add(_energy(t0 + timedelta(minutes=10), 200))  # arrives after its successor
        day = store.period_totals(ELEC, t0, t0 + timedelta(hours=1), Bucket.DAY)[0]
        assert store.db.execute("SELECT count(*) FROM readings").fetchone()[0] == 3
    assert day.kwh == Decimal("0.2")


def test_gas_uses_its_conversion_factor_and_export_is_its_own_register(tmp_path: Path) -> None:
    t0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
    gas = [
        _energy(t0 + timedelta(minutes=30 * i), 1000 + 100 * i, fuel=GAS, device="gsme")
        for i in range(5)
    ]
    solar = [_energy(t0 + timedelta(minutes=i), 100 + i, export=50 + 2 * i) for i in range(31)]
    with _open(tmp_path, t0 + timedelta(hours=3)) as store:
        store.add_many([*gas, *solar])  # mixed fuels and devices in one batch
        g = store.period_totals(GAS, t0, t0 + timedelta(hours=3), Bucket.DAY)[0]
        e = store.period_totals(ELEC, t0, t0 + timedelta(hours=3), Bucket.DAY)[0]
    assert g.kwh == Decimal("0.4") * GAS_FACTOR
    assert (e.kwh, e.export_kwh) == (Decimal("0.030"), Decimal("0.060"))


def test_a_new_calorific_value_keeps_the_gas_baseline(tmp_path: Path) -> None:
    t0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
    factors = [Decimal(11), Decimal(11), Decimal(11), Decimal(12), Decimal(12)]
    gas = [
        Energy(
            time=t0 + timedelta(minutes=30 * i),
            fuel=GAS,
            import_raw=1000 + 100 * i,
            multiplier=1,
            divisor=1000,
            kwh_per_unit=factor,
            device="gsme",
        )
        for i, factor in enumerate(factors)
    ]
    with _open(tmp_path, t0 + timedelta(hours=3)) as store:
        for event in gas:
            store.add(event)
        day = store.period_totals(GAS, t0, t0 + timedelta(hours=3), Bucket.DAY)[0]
    assert day.kwh == Decimal("0.1") * (11 + 11 + 12 + 12) == sum(reference(gas, "day").values())


def _tou_prices(start: datetime) -> list[Price]:
    """Night 10p from local midnight to 07:00, day 30p after; 50p a day standing charge."""
    prices = []
    for d in range(6):
        midnight = datetime.combine((start + timedelta(days=d)).date(), datetime.min.time(), LONDON)
        seven = midnight.replace(hour=7)
        for begin, end, pence in (
            (midnight, seven, "10"),
            (seven, midnight + timedelta(days=1), "30"),
        ):
            prices.append(
                Price(
                    time=start,
                    fuel=ELEC,
                    pence_per_kwh=Decimal(pence),
                    standing_charge_pence_per_day=Decimal("50.25"),
                    starts=begin.astimezone(UTC),
                    ends=end.astimezone(LONDON),
                )
            )
    return prices


def _expected_cost(events: list[Energy], day: date) -> Decimal:
    cost = Decimal(0)
    for slot, kwh in reference(events, "slot").items():
        local = slot.astimezone(LONDON)  # type: ignore[attr-defined]
        if local.date() == day:
            cost += kwh * (Decimal(10) if local.hour < 7 else Decimal(30))
    return cost


@pytest.mark.parametrize("prices_first", [True, False], ids=["priced-on-arrival", "repriced-later"])
def test_cost_is_each_half_hour_at_its_price_plus_the_standing_charge(
    tmp_path: Path, prices_first: bool
) -> None:
    events = _meter(AUTUMN, hours=4 * 24, step_s=60, seed=7)
    with _open(tmp_path, AUTUMN + timedelta(days=4)) as store:
        if prices_first:
            store.add_many(_tou_prices(AUTUMN))
        store.add_many(events)
        if not prices_first:
            assert (
                store.period_totals(ELEC, AUTUMN, AUTUMN + timedelta(days=1))[0].cost_pence is None
            )
            store.add_many(_tou_prices(AUTUMN))
        days = store.period_totals(ELEC, AUTUMN, AUTUMN + timedelta(days=4), Bucket.DAY)
        halves = store.period_totals(ELEC, AUTUMN, AUTUMN + timedelta(hours=2), Bucket.HALF_HOUR)
    for period in days[1:]:
        assert period.includes_standing_charge
        assert period.standing_charge_pence == Decimal("50.25")
        assert period.energy_cost_pence == _expected_cost(events, period.start.date())
        assert period.cost_pence == period.energy_cost_pence + Decimal("50.25")
        assert period.unpriced_kwh == 0
    assert not any(p.includes_standing_charge for p in halves)


def test_a_repeated_price_is_stored_once(tmp_path: Path) -> None:
    t0 = datetime(2026, 6, 1, tzinfo=UTC)
    with _open(tmp_path, t0) as store:
        for minutes in range(0, 60, 5):  # a meter re-publishing its current price
            store.add(
                Price(
                    time=t0 + timedelta(minutes=minutes),
                    fuel=ELEC,
                    pence_per_kwh=Decimal("24.5"),
                    standing_charge_pence_per_day=Decimal(60),
                    starts=t0,
                )
            )
        assert store.db.execute("SELECT count(*) FROM prices").fetchone()[0] == 1
        found = store.price_at(ELEC, t0 + timedelta(hours=5))
    assert found is not None
    assert found.pence_per_kwh == Decimal("24.5")


def _gas_months(start: datetime, days: int) -> list[Energy]:
    return [
        _energy(start + timedelta(minutes=30 * i), 10_000 + 7 * i, fuel=GAS, device="gsme")
        for i in range(days * 48)
    ]


def test_recent_days_weeks_months_and_years_in_local_time(tmp_path: Path) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    events = _gas_months(start, 500)
    now = datetime(2026, 5, 13, 15, tzinfo=UTC)  # a Wednesday
    with _open(tmp_path, now) as store:
        store.add_many(events)
        days, weeks = store.daily_totals(GAS), store.weekly_totals(GAS)
        months, years = store.monthly_totals(GAS), store.yearly_totals(GAS, years=2)
    assert [p.start.date() for p in days] == [
        date(2026, 5, 6) + timedelta(days=i) for i in range(8)
    ]
    assert [p.start.date() for p in weeks][-1] == date(2026, 5, 11)
    assert all(p.start.weekday() == 0 and (p.end - p.start).days == 7 for p in weeks)
    assert len(months) == 13
    assert months[0].start.date() == date(2025, 5, 1)
    assert months[-1].start.date() == date(2026, 5, 1)
    assert months[-1].end.date() == date(2026, 6, 1)
    assert [p.start.date() for p in years] == [date(2025, 1, 1), date(2026, 1, 1)]
    by_day = reference(events, "day")
    for period in (*weeks, *months, *years):
        first, last = period.start.date(), period.end.date()
        assert period.kwh == sum((v for d, v in by_day.items() if first <= d < last), Decimal(0))  # type: ignore[operator]


def test_series_for_charts(tmp_path: Path) -> None:
    t0 = datetime(2026, 7, 1, tzinfo=UTC)
    demand = [
        Demand(
            time=t0 + timedelta(seconds=10 * i),
            fuel=ELEC,
            raw=500 + i % 3,
            multiplier=1,
            divisor=1000,
        )
        for i in range(8640 * 3)
    ]
    register = _meter(t0, hours=72, step_s=10, seed=3)
    with _open(tmp_path, t0 + timedelta(days=3)) as store:
        store.add_many([*demand, *register])
        raw = store.series(ELEC, t0, t0 + timedelta(days=1))
        halves = store.series(ELEC, t0, t0 + timedelta(days=3))
        days = store.series(ELEC, t0, t0 + timedelta(days=90))
        gas = store.series(GAS, t0, t0 + timedelta(days=1))
    assert raw.resolution == "raw"
    assert len(raw.times) == 8640
    assert raw.kw.dtype == np.float64
    assert raw.kw.max() == pytest.approx(0.502)
    assert halves.resolution == "half_hour"
    assert len(halves.times) == 144
    expected = reference(register, "slot")
    slot = datetime.fromtimestamp(halves.times[10], UTC)
    assert halves.kw[10] == pytest.approx(float(expected[slot] * 2))  # kWh in 30 min x 2 = kW
    assert days.resolution == "day"
    assert len(days.times) == 4
    assert len(gas.times) == 0


def test_other_events_are_kept_where_they_belong(tmp_path: Path) -> None:
    t0 = datetime(2026, 6, 1, tzinfo=UTC)
    with _open(tmp_path, t0) as store:
        kept = store.add_many(
            [
                SupplierMessage(
                    time=t0, id=7, text="Price change from July", confirmation_required=True
                ),
                TopUpResult(
                    time=t0,
                    outcome=TopUpOutcome.ACCEPTED,
                    value_pence=1500,
                    utrn_masked="12345678901234567890",
                ),
                Ambient(time=t0, level=AmbientLevel.LOW),
                LinkQuality(time=t0, ieee="00:0d:6f:00:0a:90:69:e2", lqi=200, rssi=-60),
            ]
        )
        assert kept == 2
        assert store.confirm_message(7)
        store.add(SupplierMessage(time=t0, id=7, text="Price change from July"))  # re-sent
        assert store.messages()[0].confirmed
        assert store.topups()[0].utrn_masked == "**** **** **** **** 7890"
        assert [e.what for e in store.audit_log()] == ["message confirmed", "top-up accepted"]


def test_naive_times_are_refused(tmp_path: Path) -> None:
    with _open(tmp_path, SPRING) as store:
        with pytest.raises(ValueError, match="timezone-aware"):
            store.add(_energy(datetime(2026, 1, 1), 5))  # noqa: DTZ001 - naive on purpose
        assert store.db.execute("SELECT count(*) FROM readings").fetchone()[0] == 0


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_csv_round_trip(tmp_path: Path) -> None:
    events = _meter(AUTUMN, hours=3 * 24, step_s=60, seed=11)
    utrn = "73625190837465019283"
    end = AUTUMN + timedelta(days=3)
    with _open(tmp_path, end) as store:
        store.add_many([*_tou_prices(AUTUMN), *events])
        store.add(
            TopUpResult(
                time=AUTUMN, outcome=TopUpOutcome.ACCEPTED, value_pence=500, utrn_masked=utrn
            )
        )
        store.grant_consent("A. Householder", "Checking the export", "readings")
        counts = {
            kind: store.export_csv(tmp_path / f"{kind}.csv", ELEC, AUTUMN, end, kind=kind)
            for kind in ("readings", "half_hourly", "daily")
        }
        halves = store.period_totals(ELEC, AUTUMN, end, Bucket.HALF_HOUR)
        days = store.period_totals(ELEC, AUTUMN, end, Bucket.DAY)
    readings = _read_csv(tmp_path / "readings.csv")
    assert counts["readings"] == len(readings) == len(events)
    assert [int(r["raw"]) for r in readings] == [e.import_raw for e in events]
    assert [Decimal(r["value"]) for r in readings] == [e.import_kwh for e in events]
    assert readings[0]["utc_time"] == "2026-10-23T00:00:00Z"
    assert readings[0]["local_time"] == "2026-10-23T01:00:00+01:00"
    rows = _read_csv(tmp_path / "half_hourly.csv")
    assert [Decimal(r["kwh"]) for r in rows] == [
        p.kwh for p in halves if p.energy_cost_pence is not None
    ]
    assert [Decimal(r["energy_cost_pence"]) for r in rows] == [
        p.energy_cost_pence for p in halves if p.energy_cost_pence is not None
    ]
    assert {r["local_start"][-6:] for r in rows} == {"+01:00", "+00:00"}  # both sides of the change
    daily = _read_csv(tmp_path / "daily.csv")
    assert [(r["local_date"], Decimal(r["kwh"]), int(r["hours"])) for r in daily] == [
        (p.start.date().isoformat(), p.kwh, p.hours) for p in days if p.kwh
    ]
    assert list(daily[0]) == [
        "local_date",
        "utc_start",
        "utc_end",
        "hours",
        "fuel",
        "kwh",
        "export_kwh",
        "energy_cost_pence",
        "standing_charge_pence",
        "unpriced_kwh",
    ]
    for kind in counts:
        text = (tmp_path / f"{kind}.csv").read_text(encoding="utf-8")
        assert utrn not in text
        assert utrn[-8:] not in text

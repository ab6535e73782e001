"""Hand-written GB tariff schedules for the display's tests (the shapes a meter publishes).

A three-rate time-of-use tariff (off-peak 00:00-07:00, peak 16:00-19:00 on weekdays), England &
Wales bank holidays as special days priced like a weekend, a tariff announced for 1 February;
a block tariff with GB test data's thresholds (1,000/2,000/3,000 kWh); a 48-rate half-hourly
tariff. Times are for the display kit's START, Monday 12 January 2026 at 12:00 (GMT).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from device_backend import model

D = Decimal
LABELS = ((1, "Off-peak"), (2, "Standard"), (3, "Peak"))


def _tou_plan(tariff_id: int, prices: tuple[str, str, str], **more: object) -> model.TariffPlan:
    return model.TariffPlan(
        tariff_id=tariff_id,
        prices=tuple(
            model.TierPrice(tier=n, block=1, pence_per_kwh=D(p))
            for n, p in enumerate(prices, start=1)
        ),
        tier_labels=LABELS,
        tier_count=3,
        **more,  # type: ignore[arg-type]
    )


TOU = _tou_plan(
    1,
    ("17.45", "24.50", "36.80"),
    label="Flex Saver 2026",
    standing_charge_pence_per_day=D("53.80"),
)
TOU_FEBRUARY = _tou_plan(
    2,
    ("16.95", "24.86", "37.90"),
    event_id=5,
    label="Flex Saver 2026b",
    starts=datetime(2026, 2, 1, tzinfo=UTC),
    standing_charge_pence_per_day=D("55.12"),
)
WEEKDAY, HOLIDAY = 1, 2
TOU_CALENDAR = model.RateCalendar(
    calendar_id=10,
    name="Flex Saver",
    days=(
        model.DayProfile(day_id=WEEKDAY, entries=((0, 1), (420, 2), (960, 3), (1140, 2))),
        model.DayProfile(day_id=HOLIDAY, entries=((0, 1), (420, 2))),
    ),
    weeks=(model.WeekProfile(week_id=1, days=(1, 1, 1, 1, 1, 2, 2)),),
    special_days=(
        model.SpecialDay(date=model.ZclDate(year=2026, month=4, day=3), day_id=HOLIDAY),
        model.SpecialDay(date=model.ZclDate(year=2026, month=4, day=6), day_id=HOLIDAY),
        model.SpecialDay(date=model.ZclDate(year=2026, month=5, day=4), day_id=HOLIDAY),
    ),
)

BLOCK = model.TariffPlan(
    tariff_id=4,
    label="Block 2026",
    scheme=model.ChargingScheme.BLOCK,
    threshold_count=3,
    standing_charge_pence_per_day=D("51.00"),
    prices=tuple(
        model.TierPrice(tier=0, block=n, pence_per_kwh=D(p))
        for n, p in enumerate(("21.00", "25.00", "29.00", "33.00"), start=1)
    ),
    thresholds=(model.BlockThresholds(tier=0, kwh=(D(1000), D(2000), D(3000))),),
)
YEAR_2026 = model.BlockPeriod(
    starts=datetime(2026, 1, 1, tzinfo=UTC), ends=datetime(2027, 1, 1, tzinfo=UTC), used_kwh=D(412)
)

RATES_48 = model.TariffPlan(
    tariff_id=48,
    label="Half-hourly 48",
    prices=tuple(
        model.TierPrice(tier=n, block=1, pence_per_kwh=D(10) + D(n) / 4) for n in range(1, 49)
    ),
    tier_count=48,
)
CALENDAR_48 = model.RateCalendar(
    calendar_id=48,
    days=(model.DayProfile(day_id=1, entries=tuple((30 * (n - 1), n) for n in range(1, 49))),),
    weeks=(model.WeekProfile(week_id=1, days=(1,) * 7),),
)


def schedule(
    now: datetime,
    *,
    tariffs: tuple[model.TariffPlan, ...] = (TOU, TOU_FEBRUARY),
    calendars: tuple[model.RateCalendar, ...] = (TOU_CALENDAR,),
    block_period: model.BlockPeriod | None = None,
    fuel: model.Fuel = model.Fuel.ELECTRICITY,
) -> model.Schedule:
    return model.Schedule(
        time=now, fuel=fuel, tariffs=tariffs, calendars=calendars, block_period=block_period
    )


def current_price(
    now: datetime, pence: str, tier: int, label: str, tariff: str = "Flex Saver 2026"
) -> model.Price:
    """The PublishPrice a meter sends with its schedule."""
    return model.Price(
        time=now,
        fuel=model.Fuel.ELECTRICITY,
        pence_per_kwh=D(pence),
        standing_charge_pence_per_day=D("53.80"),
        tier=tier,
        tier_label=label,
        tariff_label=tariff,
        starts=now,
    )

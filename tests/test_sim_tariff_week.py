"""GB tariff shapes for a simulated week through zigpy, costed to the penny by a slow reference.

Each tariff runs twice, for the week of each 2026 clock change: 28 March - 4 April (clocks go
forward on Sunday 29 March; Good Friday 3 April is a bank holiday; a new season starts on
1 April) and 22-29 October (clocks go back on Sunday 25 October; a new season on the 26th and a
supplier's special day on the 27th). The meter's balance arrives over ZCL (Prepayment
CreditRemaining, GB-scaled); the reference integrates minute by minute with its own tier and
block rules written out below, not the simulator's tariff code: only the household's energy
per minute (the load model) is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from device_backend import model
from device_backend.facade import Backend
from device_backend.simulator.scenario import load_scenario
from tests.support.sim import Recorder, advance, run, with_backend

LONDON = ZoneInfo("Europe/London")
WEEK = timedelta(days=7)
START_CREDIT = 30000
STANDING = D("50.00")
# The two weeks: local midnights, so day and week block periods start with the run.
SPRING = datetime(2026, 3, 28, tzinfo=LONDON)  # a Saturday, GMT
AUTUMN = datetime(2026, 10, 22, tzinfo=LONDON)  # a Thursday, BST
# England & Wales bank holidays in those weeks (gov.uk: Good Friday 3 April 2026, Easter
# Monday 6 April is outside the spring week) and the supplier's own special day.
HOLIDAYS = {date(2026, 4, 3), date(2026, 10, 27)}

HEADER = """
[scenario]
name = "test-gb-tariff-week"
description = "a GB tariff shape for a week"
seed = 4242
start = {start}
duration = "7d"

[home]
occupants = 4
base_load_w = 150
storage_heater_kw = 2.0

[geometry.positions]
hub = {{ x = 0.3, y = 0.3, floor = 0 }}
esme = {{ x = 0.3, y = 0.0, floor = 0 }}

[meters.electricity]
variant = "tou"
meter_id = "00-1A-2B-3C-00-00-E1-48"
position = "esme"

[payment]
mode = "prepayment"
start_credit_pence = {credit}
max_credit_pence = 100000
emergency_credit_limit_pence = 0
emergency_credit_threshold_pence = 0
low_credit_level_pence = 0
friendly_credit = {{ windows = [], weekends = false }}

# Coarse steps keep a week quick; the meter still splits its charging at every price change.
[reporting]
electricity_demand = "30m"
electricity_summation = "1h"
prepayment = "1h"

[utrn]
key = "00112233445566778899aabbccddeeff"
"""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def week(name: str, workday: str, weekend: str) -> str:
    days = "\n".join(f'{d} = "{workday}"' for d in WEEKDAYS)
    return (
        f"[[tariffs.electricity.calendar.week]]\nname = {name!r}\n{days}\n"
        f'saturday = "{weekend}"\nsunday = "{weekend}"\n'
    )


# --- the 48-rate tariff: a price for each half hour -------------------------------------------

PRICES_48 = {tier: D("11.110") + (tier - 1) * D("0.437") for tier in range(1, 49)}


def tou48_tier(local: datetime) -> int:
    slot = (local.hour * 60 + local.minute) // 30
    day = local.date()
    if day in HOLIDAYS:
        return 1 if local.hour < 12 else 48
    if day.weekday() >= 5:
        return (slot + 12) % 48 + 1
    summer = date(2026, 4, 1) <= day < date(2026, 10, 26)
    return (slot + 24) % 48 + 1 if summer else slot + 1


def tou48_toml() -> str:
    def day(name: str, tier_of_slot: Callable[[int], int]) -> str:
        switches = ", ".join(f'"{clock(30 * s)}" = {tier_of_slot(s)}' for s in range(48))
        return (
            f"[[tariffs.electricity.calendar.day]]\nname = {name!r}\nswitches = {{ {switches} }}\n"
        )

    tiers = ",\n".join(
        f'  {{ tier = {n}, label = "Rate {n}", price = {p} }}' for n, p in PRICES_48.items()
    )
    return (
        "[tariffs.electricity]\n"
        'kind = "tou"\nlabel = "Half hourly 48"\n'
        f"standing_charge = {STANDING}\ntiers = [\n{tiers}\n]\n\n"
        '[tariffs.electricity.calendar]\nname = "HH48"\nbank_holidays = "holiday"\n\n'
        + day("weekday", lambda s: s + 1)
        + day("summer day", lambda s: (s + 24) % 48 + 1)
        + day("weekend", lambda s: (s + 12) % 48 + 1)
        + '[[tariffs.electricity.calendar.day]]\nname = "holiday"\n'
        + 'switches = { "00:00" = 1, "12:00" = 48 }\n'
        + week("winter", "weekday", "weekend")
        + week("summer", "summer day", "weekend")
        + '[[tariffs.electricity.calendar.season]]\nstarts = "04-01"\nweek = "summer"\n'
        + '[[tariffs.electricity.calendar.season]]\nstarts = "10-26"\nweek = "winter"\n'
        + '[[tariffs.electricity.calendar.special_day]]\ndate = 2026-10-27\nday = "holiday"\n'
    )


# --- the block tariff: four prices, three thresholds a day ------------------------------------

BLOCK_PRICES = (D("15.500"), D("21.250"), D("27.125"), D("33.000"))
BLOCK_LIMITS = (Fraction(2), Fraction(4), Fraction(6))  # kWh a day


def block_toml() -> str:
    blocks = ",\n".join(
        f'  {{ label = "Block {i + 1}", price = {p}'
        + (f", up_to_kwh = {BLOCK_LIMITS[i]} }}" if i < 3 else " }")
        for i, p in enumerate(BLOCK_PRICES)
    )
    return (
        '[tariffs.electricity]\nkind = "block"\nlabel = "Blocks"\n'
        f'standing_charge = {STANDING}\nperiod = "day"\nblocks = [\n{blocks}\n]\n'
    )


# --- block and time of use: three tiers, each with four block prices, weekly blocks -----------

BLOCK_TOU_PRICES = {
    1: (D("12.0"), D("14.5"), D("17.0"), D("19.5")),
    2: (D("22.0"), D("25.5"), D("29.0"), D("32.5")),
    3: (D("33.0"), D("36.0"), D("39.0"), D("42.0")),
}
BLOCK_TOU_LIMITS = (Fraction(15), Fraction(30), Fraction(45))  # kWh a week


def block_tou_tier(local: datetime) -> int:
    minute = local.hour * 60 + local.minute
    if local.weekday() >= 5 or local.date() in HOLIDAYS - {date(2026, 10, 27)}:
        return 1 if minute < 9 * 60 else 2
    if minute < 7 * 60:
        return 1
    return 3 if 16 * 60 <= minute < 19 * 60 else 2


def block_tou_toml() -> str:
    tiers = ",\n".join(
        f'  {{ tier = {n}, label = "T{n}", prices = [{", ".join(str(p) for p in row)}] }}'
        for n, row in BLOCK_TOU_PRICES.items()
    )
    return (
        '[tariffs.electricity]\nkind = "block_tou"\nlabel = "Blocks by time"\n'
        f'standing_charge = {STANDING}\nperiod = "week"\nthresholds_kwh = [15, 30, 45]\n'
        f"tiers = [\n{tiers}\n]\n\n"
        '[tariffs.electricity.calendar]\nbank_holidays = "weekend"\n'
        '[[tariffs.electricity.calendar.day]]\nname = "weekday"\n'
        'switches = { "00:00" = 1, "07:00" = 2, "16:00" = 3, "19:00" = 2 }\n'
        '[[tariffs.electricity.calendar.day]]\nname = "weekend"\n'
        'switches = { "00:00" = 1, "09:00" = 2 }\n' + week("all", "weekday", "weekend")
    )


# --- the slow reference -------------------------------------------------------------------------


def reference_pence(
    path: Path,
    start: datetime,
    end: datetime,
    price: Callable[[datetime, int], D],
    limits: tuple[Fraction, ...],
    period: Callable[[datetime], object],
) -> tuple[Fraction, set[int], int]:
    """Energy cost minute by minute: (pence, blocks used, joules)."""
    household = load_scenario(path).household(apply_timeline=False)
    cost = Fraction(0)
    used = Fraction(0)
    key: object = None
    blocks_seen: set[int] = set()
    joules = 0
    minute = start
    while minute < end:
        nxt = minute + timedelta(minutes=1)
        energy = household.electric_energy(minute, nxt).import_j
        joules += energy
        kwh = Fraction(energy, 3_600_000)
        local = minute.astimezone(LONDON)
        if period(local) != key:
            key, used = period(local), Fraction(0)
        while kwh > 0:  # split at each threshold crossed within the minute
            block = sum(1 for limit in limits if used >= limit)
            room = kwh if block == len(limits) else min(kwh, limits[block] - used)
            cost += room * Fraction(price(local, block))
            blocks_seen.add(block)
            used += room
            kwh -= room
        minute = nxt
    return cost, blocks_seen, joules


CASES = {
    "48-rate": (
        tou48_toml,
        lambda local, _block: PRICES_48[tou48_tier(local)],
        (),
        lambda local: None,
    ),
    "block": (
        block_toml,
        lambda _local, block: BLOCK_PRICES[block],
        BLOCK_LIMITS,
        lambda local: local.date(),
    ),
    "block+TOU": (
        block_tou_toml,
        lambda local, block: BLOCK_TOU_PRICES[block_tou_tier(local)][block],
        BLOCK_TOU_LIMITS,
        lambda local: local.date() - timedelta(days=local.weekday()),
    ),
}


@pytest.mark.parametrize("week_start", [SPRING, AUTUMN], ids=["spring", "autumn"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_week_through_zigpy_costs_what_the_slow_reference_says(
    tmp_path: Path, case: str, week_start: datetime
) -> None:
    make_toml, price, limits, period = CASES[case]
    path = tmp_path / "gb-tariff-week.toml"
    path.write_text(
        HEADER.format(start=week_start.isoformat(), credit=START_CREDIT) + make_toml(),
        encoding="utf-8",
    )
    start = week_start.astimezone(ZoneInfo("UTC"))
    end = start + WEEK
    energy_pence, blocks_seen, joules = reference_pence(path, start, end, price, limits, period)
    charged = energy_pence + Fraction(STANDING) * 7
    expected_credit = START_CREDIT - charged.numerator // charged.denominator

    async def body(backend: Backend, events: Recorder) -> None:
        assert backend.clock.now() == start
        await advance(backend, WEEK)
        await backend.refresh()  # reads CreditRemaining and the registers over ZCL
        prepayment = backend.latest_of(model.Prepayment)
        assert prepayment.credit_pence == expected_credit
        energy = events.last(model.Energy, model.Fuel.ELECTRICITY)
        assert energy.import_raw == joules // 3600  # Wh on the wire

    run(with_backend(path, body))
    # So that the comparison means something: real money, and every block reached.
    assert 1000 < charged < START_CREDIT
    if limits:
        assert blocks_seen == set(range(len(limits) + 1))

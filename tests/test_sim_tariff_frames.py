"""What the simulated meter publishes and answers about its tariffs, decoded with our catalogue.

Every frame here is what the ESME put on the air, parsed back by zigpy with our Price and
Calendar definitions; the expected values are worked out by hand from the TOML (money in GB
wire units: pence x 1000, PriceTrailingDigit 5; thresholds in Wh with divisor 1000, so GB test
data's 1000000 / 2000000 / 3000000 are 1,000 / 2,000 / 3,000 kWh).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from zigpy.zcl import foundation

from device_backend.clock import SimulatedClock
from device_backend.facade import Backend
from device_backend.simulator import zcl_io
from device_backend.simulator.home import SimulatedHome
from device_backend.simulator.scenario import ScenarioError, load_scenario
from device_backend.zcl import cluster_class, register_clusters
from device_backend.zcl.calendar import RATE_CALENDAR_TYPES
from device_backend.zcl.ids import CALENDAR, PRICE
from tests.support.sim import Recorder, advance, run, with_backend
from tests.support.zcl_frames import packet

# ZigBee UTC seconds (since 2000-01-01): 2026-03-29 01:00 UTC = 0x315B3610 (the clock change,
# as in test_zcl_calendar_devmgmt_events.py), so midnight that day is 0x315B3610 - 3600.
SPRING_CHANGE_MIDNIGHT = 0x315B2800


@pytest.fixture(autouse=True, scope="module")
def _registered() -> None:
    register_clusters()


class Air:
    """Stands in for the radio: keeps every frame a meter sends."""

    def __init__(self, clock: SimulatedClock) -> None:
        self.clock = clock
        self.frames: list[dict[str, Any]] = []

    def transmit_from(self, device: Any, **frame: Any) -> None:
        self.frames.append(frame)


def home_at(scenario: str | Path, when: datetime) -> tuple[SimulatedHome, Air]:
    loaded = load_scenario(scenario)
    clock = SimulatedClock(loaded.start, speed=None)
    home = SimulatedHome(loaded, clock)
    air = Air(clock)
    home.esme.radio = air
    home.esme.joined = True
    clock._now = when  # the discrete clock, moved before anything has slept on it
    home.tick(when)
    return home, air


def decoded(air: Air, since: int = 0) -> list[tuple[str, Any, int]]:
    """(command name, fields, tsn) of each cluster command sent, in order."""
    out = []
    for frame in air.frames[since:]:
        header, rest = foundation.ZCLHeader.deserialize(frame["data"])
        cls = cluster_class(frame["cluster_id"])
        if header.frame_control.frame_type == foundation.FrameType.GLOBAL_COMMAND:
            if header.command_id == foundation.GeneralCommand.Default_Response:
                args, _ = foundation.GENERAL_COMMANDS[
                    foundation.GeneralCommand.Default_Response
                ].schema.deserialize(rest)
                out.append(("default_response", args, header.tsn))
            continue
        assert header.direction == foundation.Direction.Server_to_Client
        command = cls.client_commands[header.command_id]
        args, extra = command.schema.deserialize(rest)
        assert extra == b""
        if frame["cluster_id"] in (PRICE, CALENDAR):  # within one unfragmented frame each
            assert len(frame["data"]) - 3 <= 72
        out.append((command.name, args, header.tsn))
    return out


def named(commands: list[tuple[str, Any, int]], name: str) -> list[Any]:
    return [args for n, args, _ in commands if n == name]


def ask(home: SimulatedHome, air: Air, cluster_id: int, name: str, **fields: Any) -> list[Any]:
    """A request from the display, and what the meter answered (all with the request's tsn)."""
    before = len(air.frames)
    frame = zcl_io.cluster_command(
        cluster_class(cluster_id),
        name,
        tsn=0x5A,
        direction=zcl_io.CLIENT_TO_SERVER,
        disable_default_response=False,
        **fields,
    )
    home.esme.receive(packet(cluster_id, frame))
    answers = decoded(air, before)
    assert answers
    # The first answer carries the request's TSN (zigpy resolves the request with it); any
    # further ones the meter's own, so that they reach the display's listeners.
    assert answers[0][2] == 0x5A
    assert all(tsn != 0x5A for _, _, tsn in answers[1:])
    return [(n, a) for n, a, _ in answers]


# --- a block tariff with GB test data's thresholds ---------------------------------------------

GB_BLOCKS = """
[scenario]
name = "test-gb-blocks"
description = "GB test data block thresholds"
seed = 1
start = 2026-02-02T00:00:00Z
duration = "1d"

[home]
occupants = 2

[geometry.positions]
hub = { x = 0.3, y = 0.3, floor = 0 }
esme = { x = 0.3, y = 0.0, floor = 0 }

[meters.electricity]
variant = "single"
meter_id = "00-1A-2B-3C-00-00-B1-77"
position = "esme"

[tariffs.electricity]
kind = "block"
label = "GB test blocks"
standing_charge = 45.67
period = "year"
blocks = [
  { label = "Block 1", price = 16.123, up_to_kwh = 1000 },
  { label = "Block 2", price = 17.5, up_to_kwh = 2000 },
  { label = "Block 3", price = 19.0, up_to_kwh = 3000 },
  { label = "Block 4", price = 21.25 },
]

[payment]
mode = "credit"

[utrn]
key = "00112233445566778899aabbccddeeff"
"""


def test_a_block_tariff_goes_out_with_0_tiers_3_thresholds_the_thresholds_and_the_matrix(
    tmp_path: Path,
) -> None:
    path = tmp_path / "gb-blocks.toml"
    path.write_text(GB_BLOCKS, encoding="utf-8")
    home, air = home_at(path, datetime(2026, 2, 2, 0, 0, 10, tzinfo=UTC))
    sent = decoded(air)
    names = [n for n, _, _ in sent]
    assert names == [
        "publish_tariff_information",
        "publish_price_matrix",
        "publish_block_thresholds",
        "publish_block_period",
        "publish_price",
    ]
    info = named(sent, "publish_tariff_information")[0]
    assert int(info.tariff_type_charging_scheme) == 0x10  # delivered, block
    assert info.tariff_label == b"GB test blocks"
    assert (info.number_of_price_tiers_in_use, info.number_of_block_thresholds_in_use) == (0, 3)
    assert (info.currency, int(info.price_trailing_digit)) == (826, 0x50)
    assert info.standing_charge == 45670
    assert (info.block_threshold_multiplier, info.block_threshold_divisor) == (1, 1000)
    assert (info.issuer_tariff_id, info.start_time) == (1, 0)
    assert int(info.tier_block_mode) == 0xFF

    thresholds = named(sent, "publish_block_thresholds")[0]
    assert (thresholds.command_index, thresholds.number_of_commands) == (0, 1)
    assert int(thresholds.sub_payload_control) == 1  # for all tiers / block-only
    [sub] = thresholds.block_threshold_sub_payload
    assert int(sub.tier_number_of_block_thresholds) == 0x03  # tier 0, three thresholds
    assert list(sub.block_thresholds) == [1000000, 2000000, 3000000]

    matrix = named(sent, "publish_price_matrix")[0]
    assert int(matrix.sub_payload_control) == 0  # block, not TOU-based
    assert [(e.tier_block_id, e.price) for e in matrix.price_matrix_sub_payload] == [
        (0x00, 16123),
        (0x01, 17500),
        (0x02, 19000),
        (0x03, 21250),
    ]
    period = named(sent, "publish_block_period")[0]
    # period = "year": from local midnight on 1 January 2026 (GMT), 12 months, repeating.
    assert period.block_period_start_time == 0x30E87580
    assert (period.block_period_duration, int(period.block_period_duration_type)) == (12, 0x03)
    assert int(period.block_period_control) == 0x02
    price = named(sent, "publish_price")[0]
    assert price.price == 16123
    assert price.number_of_block_thresholds == 3

    # Asked again, by tariff id; a tariff id the meter does not hold is NOT_FOUND.
    [(name, again)] = ask(home, air, PRICE, "get_block_thresholds", issuer_tariff_id=1)
    assert name == "publish_block_thresholds"
    assert list(again.block_threshold_sub_payload[0].block_thresholds) == [
        1000000,
        2000000,
        3000000,
    ]
    [(name, status)] = ask(home, air, PRICE, "get_price_matrix", issuer_tariff_id=2)
    assert name == "default_response"
    assert status.status == foundation.Status.NOT_FOUND
    assert home.esme.get_attribute(1, PRICE, "block3_threshold") == 3000000
    assert home.esme.get_attribute(1, PRICE, "no_tier_block4_price") == 21250


# --- 48 rates -------------------------------------------------------------------------------------

MONDAY_0930_BST = datetime(2026, 3, 30, 8, 30, 0, tzinfo=UTC)  # tou-48-rate: weekday slot 19


def test_tier_20_of_48_goes_out_as_an_extended_price_tier() -> None:
    home, air = home_at("tou-48-rate", MONDAY_0930_BST)
    assert home.esme.get_attribute(1, PRICE, "tier15_block1_price") == 19100
    assert home.esme.get_attribute(1, PRICE, "price_tier20") == 20850
    [price] = named(decoded(air), "publish_price")
    # tou-48-rate.toml: tier 20 "09:30" at 14.20 + 19 x 0.35 = 20.85p.
    assert price.rate_label == b"09:30"
    assert price.price == 20850
    assert int(price.price_trailing_digit_and_price_tier) == 0x5F  # 5 digits, "see extended"
    assert int(price.number_of_price_tiers_and_register_tier) == 0xFF
    assert (price.extended_price_tier, price.extended_register_tier) == (5, 5)  # 15 + 5 = 20
    assert price.extended_number_of_price_tiers == 33  # 15 + 33 = 48 tiers
    assert int(price.price_control) == 0x02  # TotalTiersExceeds15
    assert (price.start_time, price.duration_in_minutes) == (0, 30)  # to 10:00 BST


def test_the_48_prices_and_day_profiles_are_split_over_numbered_commands() -> None:
    _, air = home_at("tou-48-rate", MONDAY_0930_BST)
    sent = decoded(air)
    info = named(sent, "publish_tariff_information")[0]
    assert int(info.tariff_type_charging_scheme) == 0x00  # TOU
    assert (info.number_of_price_tiers_in_use, info.number_of_block_thresholds_in_use) == (48, 0)
    assert info.standing_charge == 47300

    matrix = named(sent, "publish_price_matrix")
    assert [(m.command_index, m.number_of_commands) for m in matrix] == [(i, 5) for i in range(5)]
    assert all(int(m.sub_payload_control) == 1 for m in matrix)  # TOU-based: id = tier
    prices = {e.tier_block_id: e.price for m in matrix for e in m.price_matrix_sub_payload}
    assert sorted(prices) == list(range(1, 49))
    # 14.20 + 0.35 per half hour, 12p more from 16:00 to 19:00 (tiers 33-38).
    assert (prices[1], prices[20], prices[32], prices[33], prices[38], prices[39]) == (
        14200,
        20850,
        25050,
        37400,
        39150,
        27500,
    )
    assert prices[48] == 30650

    calendar = named(sent, "publish_calendar")[0]
    assert calendar.calendar_name == b"Half hourly"
    assert (calendar.issuer_calendar_id, calendar.start_time) == (1, 0)
    assert int(calendar.calendar_type) == 0x00  # delivered
    assert int(calendar.calendar_time_reference) == 0x02  # local time
    counts = (
        calendar.number_of_seasons,
        calendar.number_of_week_profiles,
        calendar.number_of_day_profiles,
    )
    assert counts == (2, 1, 2)

    days = named(sent, "publish_day_profile")
    assert [(d.day_id, d.command_index, d.total_number_of_commands) for d in days] == [
        (1, 0, 3),
        (1, 1, 3),
        (1, 2, 3),
        (2, 0, 3),
        (2, 1, 3),
        (2, 2, 3),
    ]
    assert all(d.total_number_of_schedule_entries == 48 for d in days)
    weekday = [(e.start_time, e.price_tier) for d in days[:3] for e in d.rate_entries]
    weekend = [(e.start_time, e.price_tier) for d in days[3:] for e in d.rate_entries]
    assert weekday == [(30 * i, i + 1) for i in range(48)]
    assert weekend[:6] == [(0, 1), (30, 1), (60, 1), (90, 1), (120, 1), (150, 2)]
    assert weekend[-1] == (1410, 44)

    [week] = named(sent, "publish_week_profile")
    assert (week.week_id, week.day_id_ref_monday, week.day_id_ref_friday) == (1, 1, 1)
    assert (week.day_id_ref_saturday, week.day_id_ref_sunday) == (2, 2)

    [seasons] = named(sent, "publish_seasons")
    assert [
        (
            s.season_start_date.year,
            s.season_start_date.month,
            s.season_start_date.day,
            s.season_start_date.day_of_week,
            s.week_id_ref,
        )
        for s in seasons.season_entries
    ] == [(2026, 1, 1, 4, 1), (2027, 1, 1, 5, 1)]  # Thursday, Friday

    [special] = named(sent, "publish_special_days")
    # England & Wales bank holidays for a year from Monday 30 March 2026 (gov.uk), each
    # following the weekend profile (bank_holidays = "weekend").
    assert special.total_number_of_special_days == 10
    assert [
        (d.special_day_date.year, d.special_day_date.month, d.special_day_date.day, d.day_id_ref)
        for d in special.special_day_entries
    ] == [
        (2026, 4, 3, 2),
        (2026, 4, 6, 2),
        (2026, 5, 4, 2),
        (2026, 5, 25, 2),
        (2026, 8, 31, 2),
        (2026, 12, 25, 2),
        (2026, 12, 28, 2),  # Boxing Day is a Saturday
        (2027, 1, 1, 2),
        (2027, 3, 26, 2),
        (2027, 3, 29, 2),
    ]


def test_the_meter_answers_the_calendar_and_price_get_requests() -> None:
    home, air = home_at("tou-48-rate", MONDAY_0930_BST)
    answers = ask(
        home,
        air,
        CALENDAR,
        "get_calendar",
        earliest_start_time=0,
        min_issuer_event_id=0xFFFFFFFF,
        number_of_calendars=0,
        calendar_type=0xFF,
        provider_id=0xFFFFFFFF,
    )
    assert [n for n, _ in answers] == ["publish_calendar"]
    day2 = ask(
        home,
        air,
        CALENDAR,
        "get_day_profiles",
        provider_id=0x826,
        issuer_calendar_id=1,
        start_day_id=2,
        number_of_days=1,
    )
    assert [(n, a.day_id, a.command_index) for n, a in day2] == [
        ("publish_day_profile", 2, 0),
        ("publish_day_profile", 2, 1),
        ("publish_day_profile", 2, 2),
    ]
    weeks = ask(
        home,
        air,
        CALENDAR,
        "get_week_profiles",
        provider_id=0x826,
        issuer_calendar_id=1,
        start_week_id=1,
        number_of_weeks=0,
    )
    assert [(n, a.week_id) for n, a in weeks] == [("publish_week_profile", 1)]
    seasons = ask(home, air, CALENDAR, "get_seasons", provider_id=0x826, issuer_calendar_id=1)
    assert [n for n, _ in seasons] == ["publish_seasons"]
    christmas = ask(
        home,
        air,
        CALENDAR,
        "get_special_days",
        start_time=0x32A0CA80,  # 2026-12-01 00:00 UTC
        number_of_events=2,
        calendar_type=0,
        provider_id=0x826,
        issuer_calendar_id=1,
    )
    [(name, args)] = christmas
    assert name == "publish_special_days"
    assert [
        (d.special_day_date.month, d.special_day_date.day) for d in args.special_day_entries
    ] == [
        (12, 25),
        (12, 28),
    ]
    [(name, status)] = ask(
        home, air, CALENDAR, "get_seasons", provider_id=0x826, issuer_calendar_id=9
    )
    assert (name, status.status) == ("default_response", foundation.Status.NOT_FOUND)

    matrix = ask(home, air, PRICE, "get_price_matrix", issuer_tariff_id=1)
    assert [a.command_index for _, a in matrix] == [0, 1, 2, 3, 4]
    [(name, status)] = ask(home, air, PRICE, "get_block_thresholds", issuer_tariff_id=1)
    assert (name, status.status) == ("default_response", foundation.Status.NOT_FOUND)
    [(name, price)] = ask(home, air, PRICE, "get_current_price", command_options=0)
    assert (name, price.price, price.extended_price_tier) == ("publish_price", 20850, 5)
    [(name, info)] = ask(
        home,
        air,
        PRICE,
        "get_tariff_information",
        earliest_start_time=0,
        min_issuer_event_id=0xFFFFFFFF,
        number_of_commands=0,
        tariff_type=0,
    )
    assert (name, info.tariff_label) == ("publish_tariff_information", b"Half Hourly 48")
    scheduled = ask(home, air, PRICE, "get_scheduled_prices", start_time=0, number_of_events=3)
    assert [(a.start_time, a.price, a.rate_label) for _, a in scheduled] == [
        (0, 20850, b"09:30"),
        (0x315CF810, 21200, b"10:00"),  # 2026-03-30 09:00 UTC
        (0x315CFF18, 21550, b"10:30"),  # 09:30 UTC
    ]


# --- a future-dated tariff ---------------------------------------------------------------------


def test_a_future_dated_tariff_goes_out_when_announced_with_its_start_time() -> None:
    announced = datetime(2026, 3, 26, 1, 0, 0, tzinfo=UTC)  # future-tariff-change: at "+1h"
    home, air = home_at("future-tariff-change", datetime(2026, 3, 26, 0, 0, 10, tzinfo=UTC))
    first = len(air.frames)
    home.clock._now = announced
    home.tick(announced)
    sent = decoded(air, first)
    infos = named(sent, "publish_tariff_information")
    # The future one first, the one in force last (a display that ignores StartTime ends right).
    assert [(i.tariff_label, i.start_time, i.issuer_tariff_id) for i in infos] == [
        (b"Flex Saver Spring 2026", SPRING_CHANGE_MIDNIGHT, SPRING_CHANGE_MIDNIGHT),
        (b"Flex Saver 2026", 0, 1),
    ]
    assert (infos[0].standing_charge, infos[0].number_of_price_tiers_in_use) == (51200, 4)
    matrices = named(sent, "publish_price_matrix")
    assert [(m.issuer_tariff_id, m.start_time) for m in matrices] == [
        (SPRING_CHANGE_MIDNIGHT, SPRING_CHANGE_MIDNIGHT),
        (1, 0),
    ]
    assert [(e.tier_block_id, e.price) for e in matrices[0].price_matrix_sub_payload] == [
        (1, 15900),
        (2, 23750),
        (3, 34100),
        (4, 9800),
    ]
    calendars = named(sent, "publish_calendar")
    assert [(c.calendar_name, c.issuer_calendar_id, c.start_time) for c in calendars] == [
        (b"Flex Spring", SPRING_CHANGE_MIDNIGHT, SPRING_CHANGE_MIDNIGHT),
        (b"Flex Saver", 1, 0),
    ]
    spring_weekday = next(
        d for d in named(sent, "publish_day_profile") if d.issuer_calendar_id != 1
    )
    assert [(e.start_time, e.price_tier) for e in spring_weekday.rate_entries] == [
        (0, 1),
        (390, 2),
        (720, 4),
        (840, 2),
        (990, 3),
        (1170, 2),
    ]
    # Saturday 22:00 GMT: the scheduled prices run on into the new tariff, whose Sunday starts
    # at 00:00 GMT, 08:00 BST (07:00 UTC) and 12:00 BST, after the clocks go forward.
    saturday = datetime(2026, 3, 28, 22, 0, 0, tzinfo=UTC)
    home.clock._now = saturday
    home.tick(saturday)
    scheduled = ask(home, air, PRICE, "get_scheduled_prices", start_time=0, number_of_events=4)
    assert [(a.start_time, a.duration_in_minutes, a.price, a.rate_label) for _, a in scheduled] == [
        (0, 120, 24500, b"Standard"),
        (SPRING_CHANGE_MIDNIGHT, 420, 15900, b"Off-peak"),
        (SPRING_CHANGE_MIDNIGHT + 7 * 3600, 240, 23750, b"Standard"),
        (SPRING_CHANGE_MIDNIGHT + 11 * 3600, 180, 9800, b"Sunny"),
    ]


# --- block and time of use ---------------------------------------------------------------------

BLOCK_TOU = (
    GB_BLOCKS.replace('variant = "single"', 'variant = "tou"').split("[tariffs")[0]
    + """
[tariffs.electricity]
kind = "block_tou"
label = "Blocks by time"
standing_charge = 40
period = "month"
thresholds_kwh = [15, 30, 45.5]
tiers = [
  { tier = 1, label = "Night", prices = [12, 14.5, 17, 19.5] },
  { tier = 2, label = "Day", prices = [22, 25.5, 29, 32.5] },
]

[tariffs.electricity.calendar]
[[tariffs.electricity.calendar.day]]
name = "every day"
switches = { "00:00" = 1, "07:00" = 2, "23:00" = 1 }

[payment]
mode = "credit"

[utrn]
key = "00112233445566778899aabbccddeeff"
"""
)


def test_a_block_and_time_of_use_tariff_names_tier_and_block_in_its_matrix(tmp_path: Path) -> None:
    path = tmp_path / "block-tou.toml"
    path.write_text(BLOCK_TOU, encoding="utf-8")
    _, air = home_at(path, datetime(2026, 2, 2, 12, 0, 0, tzinfo=UTC))
    sent = decoded(air)
    info = named(sent, "publish_tariff_information")[0]
    assert int(info.tariff_type_charging_scheme) == 0x20  # block/TOU, common thresholds
    assert (info.number_of_price_tiers_in_use, info.number_of_block_thresholds_in_use) == (2, 3)
    assert int(info.tier_block_mode) == 0x01
    [matrix] = named(sent, "publish_price_matrix")
    assert [(e.tier_block_id, e.price) for e in matrix.price_matrix_sub_payload] == [
        (0x10, 12000),
        (0x11, 14500),
        (0x12, 17000),
        (0x13, 19500),
        (0x20, 22000),
        (0x21, 25500),
        (0x22, 29000),
        (0x23, 32500),
    ]
    [thresholds] = named(sent, "publish_block_thresholds")
    assert list(thresholds.block_threshold_sub_payload[0].block_thresholds) == [
        15000,
        30000,
        45500,
    ]
    [day] = named(sent, "publish_day_profile")
    assert [(e.start_time, e.price_tier) for e in day.rate_entries] == [(0, 1), (420, 2), (1380, 1)]
    [price] = named(sent, "publish_price")
    assert (price.rate_label, price.price) == (b"Day", 22000)


# --- bad tariffs in a scenario file --------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda s: s.replace(
                '  { label = "Block 4", price = 21.25 },',
                (
                    '  { label = "Block 4", price = 21.25, up_to_kwh = 4000 },\n'
                    '  { label = "Block 5", price = 23 },'
                ),
            ),
            r"blocks: a GB block set has at most 4 prices, got 5",
        ),
        (
            lambda s: s.replace('period = "year"', 'period = "fortnight"'),
            r"period: expected one of 'day', 'month', 'week', 'year'",
        ),
    ],
)
def test_bad_block_tariffs_are_refused_with_the_field_and_reason(
    tmp_path: Path, edit: Any, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(edit(GB_BLOCKS), encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda s: s.replace(
                "thresholds_kwh = [15, 30, 45.5]", "thresholds_kwh = [15, 30, 45, 60]"
            ),
            r"thresholds_kwh: a GB block set has at most 3 thresholds, got 4",
        ),
        (
            lambda s: s.replace("[12, 14.5, 17, 19.5]", "[12, 14.5, 17]"),
            r"tiers: tier 1 has 3 block prices; 3 thresholds need 4",
        ),
        (
            lambda s: s.replace('"23:00" = 1', '"23:00" = 7'),
            r"calendar.day\[0\].switches: 23:00 switches to tier 7, not one of \[1, 2\]",
        ),
        (
            lambda s: s.replace('"00:00" = 1, ', ""),
            r"switches: the first switch must be at 00:00",
        ),
        (
            lambda s: s + '[[tariffs.electricity.calendar.week]]\nname = "w"\nmonday = "nope"\n',
            r"calendar.week\[0\].monday: names day profile 'nope'",
        ),
        (
            lambda s: s.replace(
                "[tariffs.electricity.calendar]",
                '[tariffs.electricity.calendar]\nbank_holidays = "holiday"',
            ),
            r"bank_holidays: names day profile 'holiday'",
        ),
    ],
)
def test_bad_calendars_are_refused_with_the_field_and_reason(
    tmp_path: Path, edit: Any, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(edit(BLOCK_TOU), encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)


def test_more_than_48_rates_and_a_start_before_the_announcement_are_refused(tmp_path: Path) -> None:
    base = (
        Path(__file__).resolve().parents[1] / "device_backend/simulator/scenarios/tou-48-rate.toml"
    ).read_text(encoding="utf-8")
    path = tmp_path / "49.toml"
    path.write_text(
        base.replace(
            '  { tier = 48, label = "23:30", price = 30.65 },',
            '  { tier = 48, label = "23:30", price = 30.65 },\n'
            '  { tier = 47, label = "again", price = 1 },',
        ),
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"tiers: a GB meter holds at most 48 prices, got 49"):
        load_scenario(path)
    future = (
        Path(__file__).resolve().parents[1]
        / "device_backend/simulator/scenarios/future-tariff-change.toml"
    ).read_text(encoding="utf-8")
    path = tmp_path / "early.toml"
    path.write_text(
        future.replace("starts = 2026-03-29T00:00:00Z", 'starts = "+30m"'), encoding="utf-8"
    )
    with pytest.raises(
        ScenarioError, match=r"starts: a tariff cannot start before it is announced"
    ):
        load_scenario(path)


def _rate(commands: list[Any]) -> list[Any]:
    """The tariff calendar's commands, not an auxiliary load switch calendar's."""
    return [c for c in commands if c.calendar_type in RATE_CALENDAR_TYPES]


def test_the_existing_time_of_use_scenarios_publish_their_calendars() -> None:
    for name, when in (
        ("credit-dual-fuel", datetime(2026, 1, 12, 6, 0, 10, tzinfo=UTC)),
        ("economy7", datetime(2026, 1, 19, 0, 0, 10, tzinfo=UTC)),
    ):
        _, air = home_at(name, when)
        sent = decoded(air)
        # One tariff calendar each; economy7 also publishes its storage heaters' switch calendar.
        assert len(_rate(named(sent, "publish_calendar"))) == 1, name
        days = _rate(named(sent, "publish_day_profile"))
        assert days, name
    economy7 = decoded(home_at("economy7", datetime(2026, 1, 19, 0, 0, 10, tzinfo=UTC))[1])
    [day] = _rate(named(economy7, "publish_day_profile"))
    # Economy 7 night 00:30-07:30: tier 2 "Night" between two spans of tier 1 "Day".
    assert [(e.start_time, e.price_tier) for e in day.rate_entries] == [(0, 1), (30, 2), (450, 1)]


# --- the same answers through zigpy ------------------------------------------------------------


class Heard:
    """A zigpy cluster listener: (command id, StartTime, label) of each command it hears."""

    def __init__(self) -> None:
        self.heard: list[tuple[int, int, bytes]] = []

    def cluster_command(self, tsn: int, command_id: int, args: Any) -> None:
        label = next(
            (
                getattr(args, f)
                for f in ("rate_label", "tariff_label", "calendar_name")
                if hasattr(args, f)
            ),
            b"",
        )
        self.heard.append((command_id, int(getattr(args, "start_time", -1)), bytes(label)))


def test_zigpy_gets_the_scheduled_prices_and_calendar_from_the_simulated_meter() -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        await advance(backend, timedelta(hours=2))  # the future-dated tariff is announced
        device = backend.app.get_device(ieee=backend.home.esme.ieee)
        price = device.endpoints[1].in_clusters[PRICE]
        calendar = device.endpoints[1].in_clusters[CALENDAR]
        prices, calendars = Heard(), Heard()
        price.add_listener(prices)
        calendar.add_listener(calendars)
        # zigpy hands back the first answer; the others reach the listeners.
        first = await price.get_scheduled_prices(start_time=0, number_of_events=3)
        assert (first.price, first.rate_label, first.start_time) == (17450, b"Off-peak", 0)
        info = await price.get_tariff_information(
            earliest_start_time=0,
            min_issuer_event_id=0xFFFFFFFF,
            number_of_commands=0,
            tariff_type=0,
        )
        assert (info.tariff_label, info.start_time) == (b"Flex Saver 2026", 0)
        cal = await calendar.get_calendar(
            earliest_start_time=0,
            min_issuer_event_id=0xFFFFFFFF,
            number_of_calendars=0,
            calendar_type=0xFF,
            provider_id=0xFFFFFFFF,
        )
        assert (cal.calendar_name, cal.start_time) == (b"Flex Saver", 0)
        await advance(backend, timedelta(seconds=20))  # the rest arrive meanwhile
        # Thursday 26 March (GMT): Standard from 07:00, Peak from 16:00; then the future
        # tariff's information and calendar, dated to start on Sunday.
        assert (0x00, 0x315795F0, b"Standard") in prices.heard
        assert (0x00, 0x31581480, b"Peak") in prices.heard
        assert (0x04, SPRING_CHANGE_MIDNIGHT, b"Flex Saver Spring 2026") in prices.heard
        assert calendars.heard == [(0x00, SPRING_CHANGE_MIDNIGHT, b"Flex Spring")]

    run(with_backend("future-tariff-change", body))

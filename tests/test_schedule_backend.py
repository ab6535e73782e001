"""The back end assembles a meter's tariff schedule from real ZCL frames at zigpy's seam.

Frames are built with our cluster catalogue (the bytes a meter would send) and handed to the
running zigpy application as if the simulated ESME had sent them: split commands arrive out
of order, a future-dated tariff is announced, prices use GB scaling (24860 @0x50 = 24.86p).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import zigpy.types as t

from device_backend import model
from device_backend import tariff_schedule as ts
from device_backend.clock import to_zigbee_time
from device_backend.facade import Backend
from device_backend.simulator import zcl_io
from device_backend.zcl import cluster_class
from device_backend.zcl.calendar import RateStartTime, SeasonEntry, SpecialDayEntry
from device_backend.zcl.ids import CALENDAR, PRICE
from device_backend.zcl.ids import SMART_ENERGY_PROFILE as SE_PROFILE
from device_backend.zcl.price import PriceMatrixEntry, TierBlockThresholds
from tests.support.sim import Recorder, run, started

PROVIDER = 0x826
_TSN = itertools.count(0x40)


def _send(backend: Backend, cluster_id: int, name: str, **fields: Any) -> None:
    """The ESME sends a server-to-client command; zigpy parses it with our catalogue."""
    esme = backend.home.esme
    frame = zcl_io.cluster_command(
        cluster_class(cluster_id),
        name,
        tsn=next(_TSN) & 0xFF,
        direction=zcl_io.SERVER_TO_CLIENT,
        **fields,
    )
    backend.app.packet_received(
        t.ZigbeePacket(
            src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=esme.nwk),
            src_ep=1,
            dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
            dst_ep=1,
            profile_id=SE_PROFILE,
            cluster_id=cluster_id,
            data=t.SerializableBytes(frame),
            lqi=200,
            rssi=-60,
        )
    )


def _event(backend: Backend, n: int) -> int:
    """Issuer event ids as GB meters set them, from the time (newer is larger)."""
    return to_zigbee_time(backend.clock.now()) + 1000 + n


def _schedule(recorder: Recorder) -> model.Schedule:
    return recorder.last(model.Schedule, model.Fuel.ELECTRICITY)


async def _with_calendar(backend: Backend) -> None:
    """A meter that serves the Calendar cluster: zigpy learns it as a re-interview would."""
    esme = backend.home.esme
    device = backend.app.get_device(ieee=esme.ieee)
    if CALENDAR not in device.endpoints[1].in_clusters:
        device.endpoints[1].add_input_cluster(CALENDAR)
    await backend.readopt(str(esme.ieee))


def _tariff(tariff_id: int, event_id: int, start: datetime | None, label: str, **more: Any) -> dict:
    return dict(
        provider_id=PROVIDER,
        issuer_event_id=event_id,
        issuer_tariff_id=tariff_id,
        start_time=0 if start is None else to_zigbee_time(start),
        tariff_type_charging_scheme=more.get("scheme", 0x00),
        tariff_label=label.encode(),
        number_of_price_tiers_in_use=more.get("tiers", 3),
        number_of_block_thresholds_in_use=more.get("thresholds", 0),
        unit_of_measure=0,
        currency=826,
        price_trailing_digit=0x50,
        standing_charge=more.get("standing", 53800),
        tier_block_mode=0xFF,
        block_threshold_multiplier=1,
        block_threshold_divisor=more.get("divisor", 1),
    )


def _matrix_parts(backend: Backend, tariff_id: int, event_id: int, prices: list[int]) -> None:
    """A TOU price matrix in two parts, the second sent first."""
    entries = [PriceMatrixEntry(tier_block_id=n, price=p) for n, p in enumerate(prices, start=1)]
    halves = (entries[:1], entries[1:])
    for index in (1, 0):
        _send(
            backend,
            PRICE,
            "publish_price_matrix",
            provider_id=PROVIDER,
            issuer_event_id=event_id,
            start_time=0,
            issuer_tariff_id=tariff_id,
            command_index=index,
            number_of_commands=2,
            sub_payload_control=0x01,
            price_matrix_sub_payload=halves[index],
        )


def _calendar(backend: Backend) -> None:
    ids = {
        "provider_id": PROVIDER,
        "issuer_event_id": _event(backend, 100),
        "issuer_calendar_id": 77,
    }
    _send(
        backend,
        CALENDAR,
        "publish_calendar",
        **ids,
        start_time=0,
        calendar_type=0x00,
        calendar_time_reference=0x02,  # local time
        calendar_name=b"Flex Saver",
        number_of_seasons=1,
        number_of_week_profiles=1,
        number_of_day_profiles=2,
    )
    weekday = [(0, 1), (7 * 60, 2), (16 * 60, 3), (19 * 60, 2)]
    parts = (weekday[:2], weekday[2:])
    for index in (1, 0):  # out of order, as a lossy HAN may deliver them
        _send(
            backend,
            CALENDAR,
            "publish_day_profile",
            **ids,
            day_id=1,
            total_number_of_schedule_entries=4,
            command_index=index,
            total_number_of_commands=2,
            calendar_type=0x00,
            rate_entries=[RateStartTime(start_time=m, price_tier=tier) for m, tier in parts[index]],
        )
    _send(
        backend,
        CALENDAR,
        "publish_day_profile",
        **ids,
        day_id=2,
        total_number_of_schedule_entries=2,
        command_index=0,
        total_number_of_commands=1,
        calendar_type=0x00,
        rate_entries=[
            RateStartTime(start_time=0, price_tier=1),
            RateStartTime(start_time=420, price_tier=2),
        ],
    )
    _send(
        backend,
        CALENDAR,
        "publish_week_profile",
        **ids,
        week_id=1,
        day_id_ref_monday=1,
        day_id_ref_tuesday=1,
        day_id_ref_wednesday=1,
        day_id_ref_thursday=1,
        day_id_ref_friday=1,
        day_id_ref_saturday=2,
        day_id_ref_sunday=2,
    )
    _send(
        backend,
        CALENDAR,
        "publish_seasons",
        **ids,
        command_index=0,
        total_number_of_commands=1,
        season_entries=[
            SeasonEntry(
                season_start_date=t.Date(years_since_1900=126, month=1, day=1, day_of_week=0xFF),
                week_id_ref=1,
            )
        ],
    )
    _send(
        backend,
        CALENDAR,
        "publish_special_days",
        **ids,
        start_time=0,
        calendar_type=0x00,
        total_number_of_special_days=1,
        command_index=0,
        total_number_of_commands=1,
        special_day_entries=[
            # Spring bank holiday, Monday 25 May 2026, priced as a weekend
            SpecialDayEntry(
                special_day_date=t.Date(years_since_1900=126, month=5, day=25, day_of_week=1),
                day_id_ref=2,
            )
        ],
    )


def test_a_calendar_and_price_matrix_in_parts_become_an_exact_schedule() -> None:
    async def body() -> None:
        backend, recorder = await started("credit-dual-fuel", seed=3)
        try:
            await _with_calendar(backend)
            _send(
                backend,
                PRICE,
                "publish_tariff_information",
                **_tariff(11, _event(backend, 0), None, "Flex 26"),
            )
            _matrix_parts(backend, 11, _event(backend, 1), [17450, 24500, 36800])
            _calendar(backend)
            schedule = _schedule(recorder)
            (plan,) = [p for p in schedule.tariffs if p.label == "Flex 26"]
            assert [(p.tier, p.pence_per_kwh) for p in plan.prices] == [
                (1, Decimal("17.45")),
                (2, Decimal("24.5")),
                (3, Decimal("36.8")),
            ]
            (calendar,) = [c for c in schedule.calendars if c.calendar_id == 77]
            assert calendar.days[0].entries == ((0, 1), (420, 2), (960, 3), (1140, 2))
            assert calendar.time_reference is model.TimeReference.LOCAL
            # The scenario starts on Monday 12 January 2026 at 06:00 UTC.
            monday_10 = datetime(2026, 1, 12, 10, tzinfo=UTC)
            change = ts.next_change(schedule, monday_10)
            assert change is not None
            assert change.at == datetime(2026, 1, 12, 16, tzinfo=UTC)
            assert change.quote.pence_per_kwh == Decimal("36.8")
            holiday = ts.special_days(schedule, monday_10, days=200)
            assert [day for day, _ in holiday] == [date(2026, 5, 25)]
        finally:
            await backend.stop()

    run(body())


def test_half_a_split_command_changes_nothing_until_the_rest_arrives() -> None:
    async def body() -> None:
        backend, recorder = await started("credit-dual-fuel", seed=3)
        try:
            _send(
                backend,
                PRICE,
                "publish_tariff_information",
                **_tariff(5, _event(backend, 10), None, "Split"),
            )
            _send(
                backend,
                PRICE,
                "publish_price_matrix",
                provider_id=PROVIDER,
                issuer_event_id=_event(backend, 11),
                start_time=0,
                issuer_tariff_id=5,
                command_index=1,
                number_of_commands=2,
                sub_payload_control=0x01,
                price_matrix_sub_payload=[PriceMatrixEntry(tier_block_id=2, price=24500)],
            )
            (plan,) = [p for p in _schedule(recorder).tariffs if p.tariff_id == 5]
            assert plan.prices == ()
            _send(
                backend,
                PRICE,
                "publish_price_matrix",
                provider_id=PROVIDER,
                issuer_event_id=_event(backend, 11),
                start_time=0,
                issuer_tariff_id=5,
                command_index=0,
                number_of_commands=2,
                sub_payload_control=0x01,
                price_matrix_sub_payload=[PriceMatrixEntry(tier_block_id=1, price=17450)],
            )
            (plan,) = [p for p in _schedule(recorder).tariffs if p.tariff_id == 5]
            assert [p.tier for p in plan.prices] == [1, 2]
        finally:
            await backend.stop()

    run(body())


def test_a_future_dated_tariff_is_held_apart_from_todays_price() -> None:
    async def body() -> None:
        backend, recorder = await started("credit-dual-fuel", seed=3)
        try:
            now = backend.clock.now()
            standing_before = recorder.last(model.Price, model.Fuel.ELECTRICITY)
            february = datetime(2026, 2, 1, tzinfo=UTC)
            _send(
                backend,
                PRICE,
                "publish_tariff_information",
                **_tariff(9, _event(backend, 20), february, "Flex Saver 2026b", standing=55120),
            )
            _matrix_parts(backend, 9, _event(backend, 21), [16950, 24860, 37900])
            schedule = _schedule(recorder)
            coming = ts.future_tariff(schedule, now)
            assert coming is not None
            assert (coming.label, coming.starts) == ("Flex Saver 2026b", february)
            assert coming.standing_charge_pence_per_day == Decimal("55.12")
            assert [p.pence_per_kwh for p in coming.prices] == [
                Decimal("16.95"),
                Decimal("24.86"),
                Decimal("37.9"),
            ]
            # Today's price and standing charge are untouched by an announcement for February.
            price = recorder.last(model.Price, model.Fuel.ELECTRICITY)
            assert price.standing_charge_pence_per_day == (
                standing_before.standing_charge_pence_per_day
            )
            assert price.tariff_label == standing_before.tariff_label
        finally:
            await backend.stop()

    run(body())


def test_scheduled_prices_and_extended_tiers() -> None:
    async def body() -> None:
        backend, recorder = await started("credit-dual-fuel", seed=3)
        try:
            now = backend.clock.now()
            later = now + timedelta(hours=2)
            _send(
                backend,
                PRICE,
                "publish_price",
                provider_id=PROVIDER,
                rate_label=b"Rate 48",
                issuer_event_id=_event(backend, 30),
                current_time=to_zigbee_time(now),
                unit_of_measure=0,
                currency=826,
                price_trailing_digit_and_price_tier=0x5F,  # 5 decimals, tier "15 or more"
                number_of_price_tiers_and_register_tier=0xFF,
                start_time=to_zigbee_time(later),
                duration_in_minutes=30,
                price=24860,
                price_ratio=0xFF,
                generation_price=0xFFFFFFFF,
                generation_price_ratio=0xFF,
                alternate_cost_delivered=0xFFFFFFFF,
                alternate_cost_unit=0xFF,
                alternate_cost_trailing_digit=0xFF,
                number_of_block_thresholds=0xFF,
                price_control=0x02,  # more than 15 tiers
                number_of_generation_tiers=0,
                generation_tier=0,
                extended_number_of_price_tiers=33,  # 48 tiers
                extended_price_tier=33,  # tier 48
                extended_register_tier=33,
            )
            schedule = _schedule(recorder)
            scheduled = [p for p in schedule.prices if p.starts == later]
            assert [(p.tier, p.pence_per_kwh, p.tier_label) for p in scheduled] == [
                (48, Decimal("24.86"), "Rate 48")
            ]
        finally:
            await backend.stop()

    run(body())


def test_block_thresholds_period_and_consumption() -> None:
    async def body() -> None:
        backend, recorder = await started("credit-dual-fuel", seed=3)
        try:
            _send(
                backend,
                PRICE,
                "publish_tariff_information",
                # GB test data: a block tariff with 0 tiers and 3 thresholds, divisor 1000
                **_tariff(
                    3,
                    _event(backend, 40),
                    None,
                    "Block",
                    scheme=0x10,
                    tiers=0,
                    thresholds=3,
                    divisor=1000,
                ),
            )
            _send(
                backend,
                PRICE,
                "publish_block_thresholds",
                provider_id=PROVIDER,
                issuer_event_id=_event(backend, 41),
                start_time=0,
                issuer_tariff_id=3,
                command_index=0,
                number_of_commands=1,
                sub_payload_control=0x01,
                block_threshold_sub_payload=[
                    TierBlockThresholds(
                        tier_number_of_block_thresholds=0x03,
                        block_thresholds=[1000000, 2000000, 3000000],
                    )
                ],
            )
            _send(
                backend,
                PRICE,
                "publish_price_matrix",
                provider_id=PROVIDER,
                issuer_event_id=_event(backend, 42),
                start_time=0,
                issuer_tariff_id=3,
                command_index=0,
                number_of_commands=1,
                sub_payload_control=0x00,  # tier (none) in bits 4-7, block 1 = 0 in bits 0-3
                price_matrix_sub_payload=[
                    PriceMatrixEntry(tier_block_id=n, price=p)
                    for n, p in enumerate([21000, 25000, 29000, 33000])
                ],
            )
            _send(
                backend,
                PRICE,
                "publish_block_period",
                provider_id=PROVIDER,
                issuer_event_id=_event(backend, 43),
                block_period_start_time=to_zigbee_time(datetime(2026, 1, 1, tzinfo=UTC)),
                block_period_duration=12,
                block_period_control=0x02,
                block_period_duration_type=0x03,  # months
                tariff_type=0,
                tariff_resolution_period=1,
            )
            adapter = next(iter(backend.adapters.values()))
            metering = backend.app.get_device(ieee=backend.home.esme.ieee).endpoints[1]
            divisor = int(metering.smartenergy_metering.get("divisor"))
            frame = zcl_io.attribute_report(
                cluster_class(0x0702),
                {"current_block_period_consumption_delivered": 412 * divisor},
                tsn=next(_TSN) & 0xFF,
            )
            backend.app.packet_received(
                t.ZigbeePacket(
                    src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=backend.home.esme.nwk),
                    src_ep=1,
                    dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
                    dst_ep=1,
                    profile_id=SE_PROFILE,
                    cluster_id=0x0702,
                    data=t.SerializableBytes(frame),
                )
            )
            assert adapter.schedule.block_used_kwh == Decimal(412)
            schedule = _schedule(recorder)
            assert schedule.block_period is not None
            assert schedule.block_period.ends == datetime(2027, 1, 1, tzinfo=UTC)
            position = ts.block_position(schedule, backend.clock.now())
            assert position is not None
            assert (position.block, position.used_kwh, position.threshold_kwh) == (
                1,
                Decimal(412),
                Decimal(1000),
            )
            assert position.pence_per_kwh == Decimal(21)
        finally:
            await backend.stop()

    run(body())

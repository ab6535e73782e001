"""The virtual GB meters: an ESME and a gas proxy (GPF) serving a sleepy GSME's data.

Each holds its registers as raw ZCL attribute values and answers the Smart Energy commands
an IHD or PPMID sends (GetCurrentPrice, ConsumerTopUp, SelectAvailableEmergencyCredit,
LocalChangeSupply, MessageConfirmation, GetProfile). The household, tariff and prepayment
arithmetic lives in the pure modules beside this one; these classes only speak ZCL.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple, Protocol

from zigpy.zcl import foundation

from device_backend.clock import LONDON, from_zigbee_time, to_zigbee_time
from device_backend.money import GB_SCALE
from device_backend.simulator import tariff_zcl, zcl_io
from device_backend.simulator.devices import EndpointSpec, VirtualDevice
from device_backend.simulator.tariff import Tariff, TariffSchedule
from device_backend.zcl import cluster_class
from device_backend.zcl.ids import (
    BASIC,
    CALENDAR,
    DEVICE_MANAGEMENT,
    DRLC,
    EVENTS,
    IDENTIFY,
    MESSAGING,
    METERING,
    METERING_DEVICE,
    OTA,
    PREPAYMENT,
    PRICE,
    TIME,
)
from device_backend.zcl.ids import SMART_ENERGY_PROFILE as SE_PROFILE

GBP = GB_SCALE.currency  # 826
# GB meters publish money in pounds with five decimals (GBCS test data: PriceTrailingDigit
# 0x50, se_clusters.md §2.6): 24.86p per kWh goes on the wire as 24860 (£0.24860).
PRICE_DIGITS = GB_SCALE.digits
PROVIDER_ID = tariff_zcl.PROVIDER_ID

# GB history attribute ids (se_clusters.md §6): days 2..8, weeks 1..5, months 1..13.
CURRENT_DAY, PREVIOUS_DAY = 0x0401, 0x0403
PREVIOUS_DAYS = {n: 0x0420 + 2 * (n - 2) for n in range(2, 9)}
CURRENT_WEEK = 0x0430
PREVIOUS_WEEKS = {n: 0x0432 + 2 * (n - 1) for n in range(1, 6)}
CURRENT_MONTH = 0x0440
PREVIOUS_MONTHS = {n: 0x0442 + 2 * (n - 1) for n in range(1, 14)}
# The same set in AlternativeUnitOfMeasure (0x0312) lies 0x0800 above (0x0C01 CurrentDay...,
# se_clusters.md §6): a GB gas proxy keeps its day, week and month logs in kWh there.
ALTERNATIVE = 0x0800
# And the cost of each (Prepayment 0x051C current day, 0x051E + 2(n-1) previous day n, 0x0530 /
# 0x0532 weeks, 0x0540 / 0x0542 months; se_clusters.md §3), in the meter's money units.
COST_IDS = (
    0x051C,
    {n: 0x051E + 2 * (n - 1) for n in range(1, 9)},
    0x0530,
    {n: 0x0532 + 2 * (n - 1) for n in range(1, 6)},
    0x0540,
    {n: 0x0542 + 2 * (n - 1) for n in range(1, 14)},
)


class PrepaymentAccount(Protocol):
    """What the ESME needs from the prepayment arithmetic (device_backend.simulator.prepayment)."""

    def top_up(self, utrn: str, now: datetime, source: int) -> tuple[int, int, int]: ...
    def select_emergency_credit(self, now: datetime) -> bool: ...
    def request_supply_on(self, now: datetime) -> bool: ...

    @property
    def schedule(self) -> TariffSchedule: ...
    @property
    def block_used_kwh(self) -> Fraction: ...


def _price_raw(pence: Decimal) -> int:
    """Pence (the scenario's human unit) as GB wire money; refuses a price it would round."""
    return GB_SCALE.to_wire(pence)


_INT32 = (-(2**31), 2**31 - 1)


@functools.lru_cache(maxsize=1024, typed=True)  # an account republishes the same sums all day
def wire_money(pence: int | Decimal) -> int:
    """Prepayment money on the wire: GB scales it by PriceTrailingDigit too (1p = 1000).

    The Prepayment money attributes are int32, so they hold at most £21,474.83 either way; a
    register saturates there rather than wrap (an account that runs that far past its cut-off
    in a hostile scenario must not take the simulated home down with it).
    """
    low, high = _INT32
    return max(low, min(high, GB_SCALE.to_wire(pence)))


class VirtualMeter(VirtualDevice):
    """Common to both meters: the SE endpoint, formatting, history and profile registers."""

    def __init__(
        self,
        *,
        device_type: int,
        unit_of_measure: int,
        divisor: int,
        extra_clusters: list[int],
        **kwargs: Any,
    ) -> None:
        clusters = [BASIC, IDENTIFY, TIME, METERING, PRICE, MESSAGING, CALENDAR, *extra_clusters]
        super().__init__(
            endpoints=[EndpointSpec(1, SE_PROFILE, METERING_DEVICE, clusters, [OTA])], **kwargs
        )
        self.set_attributes(
            1,
            METERING,
            {
                "current_summ_delivered": 0,
                "status": 0,
                "unit_of_measure": unit_of_measure,
                "multiplier": 1,
                "divisor": divisor,
                "summation_formatting": 0x33,
                "demand_formatting": 0x33,
                "historical_consumption_formatting": 0x33,
                "metering_device_type": device_type,
                "instantaneous_demand": 0,
                CURRENT_DAY: 0,
                PREVIOUS_DAY: 0,
                CURRENT_WEEK: 0,
                CURRENT_MONTH: 0,
                **{i: 0 for i in PREVIOUS_DAYS.values()},
                **{i: 0 for i in PREVIOUS_WEEKS.values()},
                **{i: 0 for i in PREVIOUS_MONTHS.values()},
            },
        )
        self.set_attributes(1, TIME, {"time": 0, "time_status": 0})
        # Read by a display before any money value: GB reads Prepayment money by them too.
        self.set_attributes(
            1, PRICE, {"currency": GBP, "price_trailing_digit": GB_SCALE.trailing_byte}
        )
        # Half-hourly consumption in raw register units, newest last, for GetProfile.
        self.profile: deque[tuple[datetime, int]] = deque(maxlen=48 * 400)
        self.handlers[(METERING, "get_profile")] = self._on_get_profile
        self.handlers[(PRICE, "get_current_price")] = self._on_get_current_price
        self.handlers[(PRICE, "get_tariff_information")] = self._on_get_tariff_information
        self.handlers[(PRICE, "get_scheduled_prices")] = self._on_get_scheduled_prices
        self.handlers[(PRICE, "get_price_matrix")] = self._on_get_price_matrix
        self.handlers[(PRICE, "get_block_thresholds")] = self._on_get_block_thresholds
        self.handlers[(CALENDAR, "get_calendar")] = self._on_get_calendar
        self.handlers[(CALENDAR, "get_day_profiles")] = self._on_get_day_profiles
        self.handlers[(CALENDAR, "get_week_profiles")] = self._on_get_week_profiles
        self.handlers[(CALENDAR, "get_seasons")] = self._on_get_seasons
        self.handlers[(CALENDAR, "get_special_days")] = self._on_get_special_days
        self.handlers[(MESSAGING, "message_confirmation")] = self._on_message_confirmation
        self.handlers[(MESSAGING, "get_last_message")] = self._on_get_last_message
        self.price: tuple[int, str, Decimal, datetime | None] = (0, "", Decimal(0), None)
        self.standing_charge = Decimal(0)
        self.tariff_label = ""
        self.tiers_in_use = 1
        self.current_tariff: Tariff | None = None
        self._answering: zcl_io.ParsedZcl | None = None  # the request last answered
        self.last_message: dict[str, Any] | None = None
        self.confirmed_messages: set[int] = set()
        self.on_confirmation: Callable[[int], None] | None = None
        self.account: PrepaymentAccount | None = None
        self.top_ups: deque[tuple[int, int, int, str]] = deque(maxlen=5)  # the meter's log
        self.on_account_change: Callable[[], object] | None = None
        self.on_prepayment_read: Callable[[], object] | None = None
        # (result code, top-up value on the wire): the meter's event log notes HAN top-ups.
        self.on_top_up: Callable[[int, int], object] | None = None
        if PREPAYMENT in extra_clusters:
            self._serve_prepayment()

    # -- prepayment (the ESME's own; the gas proxy's for the GSME) ------------------------

    def _serve_prepayment(self) -> None:
        self.set_attributes(
            1,
            PREPAYMENT,
            {
                "payment_control_configuration": 0,
                "credit_remaining": 0,
                "emergency_credit_remaining": 0,
                "credit_status": 0x01,
                "accumulated_debt": 0,
                "low_credit_warning_level": 0,
                "emergency_credit_limit_allowance": 0,
                "emergency_credit_threshold": 0,
            },
        )
        self.set_attributes(1, METERING, {"supply_status": 2})
        self.handlers[(PREPAYMENT, "consumer_top_up")] = self._on_top_up
        self.handlers[(PREPAYMENT, "select_available_emergency_credit")] = self._on_select_ec
        self.handlers[(METERING, "local_change_supply")] = self._on_local_change_supply

    def before_read(self, endpoint: int, cluster_id: int) -> None:
        if cluster_id == PREPAYMENT and self.on_prepayment_read is not None:
            self.on_prepayment_read()
        if cluster_id == TIME and self.radio is not None:
            # The hub's time at the moment it is asked, as a real Time server answers.
            self.set_attributes(1, TIME, {"time": to_zigbee_time(self.radio.clock.now())})

    def apply_top_up(self, code: str, now: datetime, source: int) -> tuple[int, int, int]:
        """A code for this meter, from the HAN (a PPMID or IHD) or the WAN: the account's
        answer, and an accepted top-up goes into the meter's log."""
        if self.account is None:
            return 0x03, -1, 0
        result, value, credit = self.account.top_up(code, now, source)
        if value >= 0:
            self.log_top_up(now, value, source, code)
        return result, value, credit

    def log_top_up(self, now: datetime, pence: int, source: int, code: str) -> None:
        """The Prepayment cluster's Top-up attribute set keeps the last five accepted top-ups,
        newest first (TopUpDateTime/Amount/OriginatingDevice/Code 1-5 at 0x0100 + 0x10(k-1),
        se_clusters.md §3), with amounts scaled as every Prepayment amount."""
        self.top_ups.appendleft((to_zigbee_time(now), wire_money(pence), source, code))
        values: dict[str | int, Any] = {}
        for k, (when, amount, origin, digits) in enumerate(self.top_ups, start=1):
            values[f"top_up_date_time{k}"] = when
            values[f"top_up_amount{k}"] = amount
            values[f"originating_device{k}"] = origin
            values[f"top_up_code{k}"] = digits.encode("ascii", "replace")[:25]
        self.set_attributes(1, PREPAYMENT, values)

    def _on_top_up(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        code = bytes(parsed.args.top_up_code).decode("ascii", "replace")
        result, value, credit = self.apply_top_up(
            code, self._now(), int(parsed.args.originating_device)
        )
        if self.on_account_change:
            self.on_account_change()
        if self.on_top_up is not None:
            self.on_top_up(result, wire_money(value))
        self._reply(
            packet,
            parsed,
            PREPAYMENT,
            "consumer_top_up_response",
            result_type=result,
            top_up_value=wire_money(value),
            source_of_top_up=int(parsed.args.originating_device),
            credit_remaining=wire_money(credit),
        )

    def _on_select_ec(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        from zigpy.zcl import foundation

        ok = self.account is not None and self.account.select_emergency_credit(self._now())
        if self.on_account_change:
            self.on_account_change()
        if not parsed.header.frame_control.disable_default_response:
            self.default_response(
                packet, parsed, foundation.Status.SUCCESS if ok else foundation.Status.FAILURE
            )

    def _on_local_change_supply(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        from zigpy.zcl import foundation

        ok = False
        if int(parsed.args.proposed_supply_status) == 2 and self.account is not None:
            ok = self.account.request_supply_on(self._now())
        if self.on_account_change:
            self.on_account_change()
        if not parsed.header.frame_control.disable_default_response:
            self.default_response(
                packet, parsed, foundation.Status.SUCCESS if ok else foundation.Status.FAILURE
            )

    # -- registers the home writes -------------------------------------------------------

    def set_history(
        self,
        *,
        current_day: int,
        previous_days: list[int],
        current_week: int,
        previous_weeks: list[int],
        current_month: int,
        previous_months: list[int],
        alternative: bool = False,
    ) -> None:
        """Metering's history set, or (alternative) the same set in AlternativeUnitOfMeasure."""
        offset = ALTERNATIVE if alternative else 0
        values: dict[str | int, Any] = {
            CURRENT_DAY + offset: min(current_day, 0xFFFFFF),
            CURRENT_WEEK + offset: min(current_week, 0xFFFFFF),
            CURRENT_MONTH + offset: current_month,
        }
        for n, value in enumerate(previous_days[:8], start=1):
            values[(PREVIOUS_DAY if n == 1 else PREVIOUS_DAYS[n]) + offset] = min(value, 0xFFFFFF)
        for n, value in enumerate(previous_weeks[:5], start=1):
            values[PREVIOUS_WEEKS[n] + offset] = min(value, 0xFFFFFF)
        for n, value in enumerate(previous_months[:13], start=1):
            values[PREVIOUS_MONTHS[n] + offset] = value
        self.set_attributes(1, METERING, values)

    def set_cost_history(self, days: list[int], weeks: list[int], months: list[int]) -> None:
        """The Prepayment cluster's cost history, newest first (index 0 = current period), in
        wire money (GB: pounds with five decimals, as every Prepayment amount)."""
        day_id, day_ids, week_id, week_ids, month_id, month_ids = COST_IDS
        values: dict[str | int, Any] = {}
        for current, previous, figures in (
            (day_id, day_ids, days),
            (week_id, week_ids, weeks),
            (month_id, month_ids, months),
        ):
            for n, value in enumerate(figures[: len(previous) + 1]):
                values[current if n == 0 else previous[n]] = max(0, value)
        self.set_attributes(1, PREPAYMENT, values)

    # -- commands the meter publishes ----------------------------------------------------

    def publish_price(
        self,
        now: datetime,
        tier: int,
        label: str,
        pence: Decimal,
        ends: datetime | None,
        *,
        tsn: int | None = None,
    ) -> None:
        self.price = (tier, label, pence, ends)
        self.send_command(
            1,
            PRICE,
            "publish_price",
            tsn=tsn,
            **tariff_zcl.price_fields(
                now=now, tier=tier, label=label, pence=pence, tariff=self.current_tariff, ends=ends
            ),
        )

    # -- the tariffs the meter holds (Price and Calendar clusters) -------------------------

    def _schedule(self) -> TariffSchedule | None:
        return getattr(self.account, "schedule", None)

    def _published(self, now: datetime) -> list[tariff_zcl.PublishedTariff]:
        schedule = self._schedule()
        return [] if schedule is None else tariff_zcl.published_tariffs(schedule, now)

    def publish_tariffs(self, now: datetime) -> None:
        """Every tariff the meter holds, future-dated ones first and the one in force last
        (so a display that ignores StartTime still ends on today's), each with its price
        matrix, block thresholds and calendar."""
        published = self._published(now)
        if not published:
            return
        self._set_tariff_attributes(published[0].tariff)
        event = to_zigbee_time(now)
        for p in reversed(published):
            self.send_command(
                1, PRICE, "publish_tariff_information", **tariff_zcl.tariff_information(p, event)
            )
            for fields in tariff_zcl.price_matrix_commands(p, event):
                self.send_command(1, PRICE, "publish_price_matrix", **fields)
            for fields in tariff_zcl.block_threshold_commands(p, event):
                self.send_command(1, PRICE, "publish_block_thresholds", **fields)
            for name, fields in tariff_zcl.calendar_commands(p, event, now):
                self.send_command(1, CALENDAR, name, **fields)

    def _set_tariff_attributes(self, tariff: Tariff) -> None:
        """The Price attributes of the tariff in force, for a display that reads them."""
        tiers, thresholds = tariff_zcl.counts(tariff)
        self.current_tariff = tariff
        self.standing_charge = tariff.standing_charge_pence_per_day
        self.tariff_label = tariff.label
        self.tiers_in_use = max(1, tiers)
        values: dict[str | int, Any] = {
            "standing_charge": _price_raw(tariff.standing_charge_pence_per_day),
            "tariff_label": tariff.label.encode("utf-8")[:24],
            "number_of_price_tiers_in_use": tiers,
            "number_of_block_thresholds_in_use": thresholds,
        }
        for tier in tariff.tiers:
            values[f"tier{tier.tier}_price_label"] = tier.label.encode("utf-8")[:12]
        # The prices as attributes too (se_clusters.md §2: TOU prices in TierNBlock1Price,
        # tiers 16-48 in PriceTierN, block-only in NoTierBlockNPrice).
        for entry in tariff_zcl.price_attributes(tariff):
            values[entry[0]] = entry[1]
        limits = getattr(tariff, "thresholds_kwh", ())
        if limits:
            values["threshold_multiplier"] = 1
            values["threshold_divisor"] = tariff_zcl.THRESHOLD_DIVISOR
            for n, limit in enumerate(limits, start=1):
                values[f"block{n}_threshold"] = int(limit * tariff_zcl.THRESHOLD_DIVISOR)
        self.set_attributes(1, PRICE, values)

    def publish_block_period(self, now: datetime, start: datetime, period: str) -> None:
        """The block period now running (PublishBlockPeriod, and the Price attributes
        StartOfBlockPeriod, BlockPeriodDuration and BlockPeriodDurationType): a display needs
        it to say how far into the period's blocks the household is."""
        fields = tariff_zcl.block_period_fields(now, start, period)
        self.set_attributes(
            1,
            PRICE,
            {
                "start_of_block_period": fields["block_period_start_time"],
                "block_period_duration": fields["block_period_duration"],
                "block_period_duration_type": fields["block_period_duration_type"],
            },
        )
        self.send_command(1, PRICE, "publish_block_period", **fields)

    def publish_tariff(
        self,
        now: datetime,
        *,
        label: str,
        standing_charge: Decimal,
        tiers: int,
        unit_of_measure: int = 0,
    ) -> None:
        """A meter without a tariff schedule: one tariff in force, as a single PublishTariffInfo."""
        self.standing_charge, self.tariff_label, self.tiers_in_use = standing_charge, label, tiers
        self.set_attributes(1, PRICE, {"standing_charge": _price_raw(standing_charge)})
        self.send_command(1, PRICE, "publish_tariff_information", **self._tariff_fields(now))

    def _tariff_fields(self, now: datetime) -> dict[str, Any]:
        return dict(
            provider_id=PROVIDER_ID,
            issuer_event_id=to_zigbee_time(now),
            issuer_tariff_id=1,
            start_time=0,
            tariff_type_charging_scheme=0x00,
            tariff_label=self.tariff_label.encode()[:24],
            number_of_price_tiers_in_use=self.tiers_in_use,
            number_of_block_thresholds_in_use=0,
            unit_of_measure=0,
            currency=GBP,
            price_trailing_digit=PRICE_DIGITS << 4,
            standing_charge=_price_raw(self.standing_charge),
            tier_block_mode=0xFF,
            block_threshold_multiplier=1,
            block_threshold_divisor=1,
        )

    def _now(self) -> datetime:
        # A meter answers only on a radio, and the radio carries the home's one clock (a
        # simulated day is not today): there is no other time to fall back on.
        if self.radio is None:
            raise RuntimeError(f"{type(self).__name__} is not on a radio, so it has no clock")
        return self.radio.clock.now()

    def _not_found(self, packet: Any, parsed: zcl_io.ParsedZcl) -> None:
        self.default_response(packet, parsed, foundation.Status.NOT_FOUND)

    def _on_get_tariff_information(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        """The tariff in force first, then future-dated ones (SE 1.4: NumberOfCommands 0 = all)."""
        now = self._now()
        published = self._published(now)
        if not published:
            self._reply(
                packet, parsed, PRICE, "publish_tariff_information", **self._tariff_fields(now)
            )
            return
        earliest = int(parsed.args.earliest_start_time)
        wanted = int(parsed.args.number_of_commands) or len(published)
        chosen = [
            p
            for i, p in enumerate(published)
            if i == 0 or earliest == 0 or p.start_field >= earliest
        ][:wanted]
        for p in chosen:
            self._reply(
                packet,
                parsed,
                PRICE,
                "publish_tariff_information",
                **tariff_zcl.tariff_information(p, to_zigbee_time(now)),
            )

    def _tariff_by_id(self, ident: int) -> tariff_zcl.PublishedTariff | None:
        return next((p for p in self._published(self._now()) if p.issuer_tariff_id == ident), None)

    def _on_get_price_matrix(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        found = self._tariff_by_id(int(parsed.args.issuer_tariff_id))
        if found is None:
            self._not_found(packet, parsed)
            return
        for fields in tariff_zcl.price_matrix_commands(found, to_zigbee_time(self._now())):
            self._reply(packet, parsed, PRICE, "publish_price_matrix", **fields)

    def _on_get_block_thresholds(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        found = self._tariff_by_id(int(parsed.args.issuer_tariff_id))
        commands = (
            []
            if found is None
            else tariff_zcl.block_threshold_commands(found, to_zigbee_time(self._now()))
        )
        if not commands:
            self._not_found(packet, parsed)
            return
        for fields in commands:
            self._reply(packet, parsed, PRICE, "publish_block_thresholds", **fields)

    def _on_get_scheduled_prices(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        """A PublishPrice for each price period from StartTime (0 = now) on: TOU switches,
        block period ends and future-dated tariffs alike; NumberOfEvents 0 = all (a week)."""
        now = self._now()
        schedule = self._schedule()
        if schedule is None:
            self._on_get_current_price(parsed, packet)
            return
        requested = int(parsed.args.start_time)
        begin = now if requested == 0 else max(now, _from_zb(requested))
        wanted = int(parsed.args.number_of_events) or 0xFF
        used = getattr(self.account, "block_used_kwh", Fraction(0))
        for begins, ends, tier, label, pence, tariff in tariff_zcl.scheduled_prices(
            schedule, used, begin, min(wanted, 0xFF)
        ):
            self._reply(
                packet,
                parsed,
                PRICE,
                "publish_price",
                **tariff_zcl.price_fields(
                    now=now,
                    tier=tier,
                    label=label,
                    pence=pence,
                    tariff=tariff,
                    start=begins,
                    ends=ends,
                    issuer_event_id=to_zigbee_time(begins),
                ),
            )

    # -- the Calendar cluster's Get requests ----------------------------------------------

    def _calendars(self, now: datetime) -> list[tariff_zcl.PublishedTariff]:
        return [p for p in self._published(now) if tariff_zcl.calendar_commands(p, 0, now)]

    def _calendar_parts(self, parsed: zcl_io.ParsedZcl, name: str) -> list[dict[str, Any]] | None:
        now = self._now()
        ident = int(parsed.args.issuer_calendar_id)
        for p in self._calendars(now):
            if ident in (p.issuer_tariff_id, 0xFFFFFFFF):
                event = to_zigbee_time(now)
                return [f for n, f in tariff_zcl.calendar_commands(p, event, now) if n == name]
        return None

    def _on_get_calendar(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        now = self._now()
        earliest = int(parsed.args.earliest_start_time)
        wanted = int(parsed.args.number_of_calendars) or 0xFF
        calendar_type = int(parsed.args.calendar_type)
        chosen = [
            p
            for i, p in enumerate(self._calendars(now))
            if (i == 0 or earliest == 0 or p.start_field >= earliest)
            and calendar_type in (0x00, 0xFF)  # ours are all Delivered calendars
        ][:wanted]
        if not chosen:
            self._not_found(packet, parsed)
            return
        event = to_zigbee_time(now)
        for p in chosen:
            fields = next(
                f for n, f in tariff_zcl.calendar_commands(p, event, now) if n == "publish_calendar"
            )
            self._reply(packet, parsed, CALENDAR, "publish_calendar", **fields)

    def _reply_parts(
        self, packet: Any, parsed: zcl_io.ParsedZcl, name: str, parts: list[dict[str, Any]] | None
    ) -> None:
        if not parts:
            self._not_found(packet, parsed)
            return
        for fields in parts:
            self._reply(packet, parsed, CALENDAR, name, **fields)

    def _on_get_day_profiles(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        parts = self._calendar_parts(parsed, "publish_day_profile")
        first = int(parsed.args.start_day_id)
        count = int(parsed.args.number_of_days) or 0xFF
        if parts is not None:
            parts = [f for f in parts if first <= f["day_id"] < first + count]
        self._reply_parts(packet, parsed, "publish_day_profile", parts)

    def _on_get_week_profiles(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        parts = self._calendar_parts(parsed, "publish_week_profile")
        first = int(parsed.args.start_week_id)
        count = int(parsed.args.number_of_weeks) or 0xFF
        if parts is not None:
            parts = [f for f in parts if first <= f["week_id"] < first + count]
        self._reply_parts(packet, parsed, "publish_week_profile", parts)

    def _on_get_seasons(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        self._reply_parts(
            packet, parsed, "publish_seasons", self._calendar_parts(parsed, "publish_seasons")
        )

    def _on_get_special_days(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        """Special days on or after StartTime's date (0 = today), at most NumberOfEvents."""
        now = self._now()
        parts = self._calendar_parts(parsed, "publish_special_days")
        if parts is None:
            self._not_found(packet, parsed)
            return
        requested = int(parsed.args.start_time)
        from_day = (now if requested == 0 else _from_zb(requested)).astimezone(LONDON).date()
        entries = [
            e
            for f in parts
            for e in f["special_day_entries"]
            if (e.special_day_date.year, e.special_day_date.month, e.special_day_date.day)
            >= (from_day.year, from_day.month, from_day.day)
        ]
        wanted = int(parsed.args.number_of_events) or len(entries)
        entries = entries[:wanted]
        common = {k: parts[0][k] for k in ("provider_id", "issuer_event_id", "issuer_calendar_id")}
        start_field = parts[0]["start_time"]
        specials = [
            _Special(
                date(e.special_day_date.year, e.special_day_date.month, e.special_day_date.day),
                e.day_id_ref,
            )
            for e in entries
        ]
        self._reply_parts(
            packet,
            parsed,
            "publish_special_days",
            tariff_zcl.special_day_commands(specials, common, start_field),
        )

    def display_message(self, now: datetime, message_id: int, text: str, *, confirm: bool) -> None:
        self.last_message = {
            "message_id": message_id,
            "message_control": 0x80 if confirm else 0x00,
            "start_time": 0,
            "duration_in_minutes": 0xFFFF,
            "message": text,
        }
        self.send_command(1, MESSAGING, "display_message", **self.last_message)

    # -- commands the meter answers ------------------------------------------------------

    def _reply(
        self, packet: Any, parsed: zcl_io.ParsedZcl, cluster_id: int, name: str, **fields: Any
    ) -> None:
        """An answer to `parsed`. When one request gets several commands (GetScheduledPrices,
        GetPriceMatrix, the Calendar Gets...), the first carries the request's TSN and the
        rest the meter's own: zigpy resolves a request with the first frame of its TSN and
        drops any further ones arriving before it returns as duplicates, while frames with
        other TSNs reach the cluster's listeners as the publishes they are."""
        cls = cluster_class(cluster_id)
        tsn = self.next_tsn() if self._answering is parsed else parsed.header.tsn
        self._answering = parsed
        frame = zcl_io.cluster_command(
            cls, name, tsn=tsn, direction=zcl_io.SERVER_TO_CLIENT, **fields
        )
        self.send(1, cluster_id, frame, dst_ep=packet.src_ep)

    def _ok(self, packet: Any, parsed: zcl_io.ParsedZcl) -> None:
        if not parsed.header.frame_control.disable_default_response:
            self.default_response(packet, parsed, foundation.Status.SUCCESS)

    def _on_get_current_price(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        now = self._now()
        tier, label, pence, ends = self.price
        self.publish_price(now, tier, label, pence, ends, tsn=parsed.header.tsn)

    def _on_message_confirmation(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        message_id = int(parsed.args.message_id)
        self.confirmed_messages.add(message_id)
        if self.on_confirmation is not None:
            self.on_confirmation(message_id)
        self._ok(packet, parsed)

    def _on_get_last_message(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        if self.last_message is None:
            self.default_response(packet, parsed, foundation.Status.NOT_FOUND)
            return
        self._reply(packet, parsed, MESSAGING, "display_message", **self.last_message)

    def _on_get_profile(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        end = int(parsed.args.end_time)
        wanted = int(parsed.args.number_of_periods)
        now = self._now()
        end_at = now if end == 0 else min(now, _from_zb(end))
        # Intervals that ended at or before end_at, newest first, as the SE spec orders them.
        chosen = [
            v for (start, v) in reversed(self.profile) if start + timedelta(minutes=30) <= end_at
        ][:wanted]
        last_end = next(
            (
                start + timedelta(minutes=30)
                for (start, _) in reversed(self.profile)
                if start + timedelta(minutes=30) <= end_at
            ),
            end_at,
        )
        status = 0x00 if chosen else 0x05  # 0x05: no intervals available for the requested time
        self._reply(
            packet,
            parsed,
            METERING,
            "get_profile_response",
            end_time=to_zigbee_time(last_end),
            status=status,
            profile_interval_period=2,
            number_of_periods_delivered=len(chosen),
            intervals=[min(v, 0xFFFFFF) for v in chosen],
        )


class VirtualESME(VirtualMeter):
    """Electricity meter: import/export, tiers, demand, ambient, supply, prepayment, DRLC."""

    def __init__(self, *, account: PrepaymentAccount | None, **kwargs: Any) -> None:
        super().__init__(
            device_type=0,
            unit_of_measure=0,
            divisor=1000,
            # Device Management and Events: supplier, tenancy and the event logs (meter_admin).
            # (Calendar, for tariffs and the auxiliary switches, is on every meter.)
            extra_clusters=[DRLC, PREPAYMENT, DEVICE_MANAGEMENT, EVENTS],
            **kwargs,
        )
        self.account = account
        self.set_attributes(
            1,
            METERING,
            {"current_summ_received": 0, "supply_status": 2, "ambient_consumption_indicator": 0},
        )

    def load_control_event(
        self,
        now: datetime,
        event_id: int,
        device_class: int,
        minutes: int,
        start: datetime | None = None,
    ) -> None:
        begins = 0 if start is None or start <= now else to_zigbee_time(start)  # 0 means now
        self.send_command(
            1,
            DRLC,
            "load_control_event",
            issuer_event_id=event_id,
            device_class=device_class,
            utility_enrollment_group=0,
            start_time=begins,
            duration_in_minutes=minutes,
            criticality_level=1,
            cooling_temperature_offset=0xFF,
            heating_temperature_offset=0xFF,
            cooling_temperature_set_point=-0x8000,
            heating_temperature_set_point=-0x8000,
            average_load_adjustment_percentage=-0x80,
            duty_cycle=0xFF,
            event_control=0,
        )


class VirtualGasProxy(VirtualMeter):
    """The GPF's copy of a sleepy gas meter: refreshed every 30 minutes, always awake itself.

    In a GB prepayment home the GSME's balance, emergency credit, debt and valve state reach
    the HAN through the gas proxy's Prepayment cluster and Metering SupplyStatus; top-ups for
    the gas meter (GBCS PCS01, ConsumerTopUp to the GSME) are answered here.
    """

    def __init__(self, *, account: PrepaymentAccount | None = None, **kwargs: Any) -> None:
        super().__init__(
            device_type=1, unit_of_measure=1, divisor=1000, extra_clusters=[PREPAYMENT], **kwargs
        )
        self.account = account
        # No HAN device can open a GSME's valve: GB gives a PPMID only top-up (PCS01) and
        # emergency credit (PCS02) on the gas meter, while "request enable supply" (PECS03,
        # LocalChangeSupply) is an ESME use case (se_clusters.md §3.4); the valve is enabled on
        # the GSME's own user interface, which first checks for uncontrolled flow (SMETS
        # Uncontrolled Gas Flow Rate, SECMP0023 - a setting not even copied to the GPF). The
        # button press is the scenario timeline's "enable_supply" event for gas.
        self.handlers[(METERING, "local_change_supply")] = self._refuse_local_change_supply
        # The GPF keeps its consumption logs in kWh as well as m3 (AlternativeUnitOfMeasure
        # 0x00 kWh), with the same Multiplier/Divisor: 1 = 1 Wh.
        self.set_attributes(
            1,
            METERING,
            {
                "remaining_battery_life_days": 0,
                "alternative_unit_of_measure": 0,
                "alternative_consumption_formatting": 0x33,
                **{i + ALTERNATIVE: 0 for i in (CURRENT_DAY, PREVIOUS_DAY, CURRENT_WEEK)},
                CURRENT_MONTH + ALTERNATIVE: 0,
            },
        )
        self.set_attributes(
            1,
            PRICE,
            {
                "calorific_value": 395,
                "calorific_value_trailing_digit": 0x10,
                "conversion_factor": 102264,
                "conversion_factor_trailing_digit": 0x50,
                "calorific_value_unit": 1,
            },
        )

    def _refuse_local_change_supply(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        # An error is answered even when the sender asked for no default response (ZCL 2.5.12).
        self.default_response(packet, parsed, foundation.Status.UNSUP_CLUSTER_COMMAND)

    def set_gas_factors(self, cv: Decimal, cf: Decimal) -> tuple[int, int]:
        """What GCS23 last set: readable at any time, from the moment the proxy is on the HAN."""
        cv_raw, cf_raw = int(cv * 10), int(cf * 100000)
        self.set_attributes(1, PRICE, {"calorific_value": cv_raw, "conversion_factor": cf_raw})
        return cv_raw, cf_raw

    def publish_gas_factors(self, now: datetime, cv: Decimal, cf: Decimal) -> None:
        cv_raw, cf_raw = self.set_gas_factors(cv, cf)
        self.send_command(
            1,
            PRICE,
            "publish_calorific_value",
            issuer_event_id=to_zigbee_time(now),
            start_time=0,
            calorific_value=cv_raw,
            calorific_value_unit=1,
            calorific_value_trailing_digit=0x10,
        )
        self.send_command(
            1,
            PRICE,
            "publish_conversion_factor",
            issuer_event_id=to_zigbee_time(now),
            start_time=0,
            conversion_factor=cf_raw,
            conversion_factor_trailing_digit=0x50,
        )


def _from_zb(seconds: int) -> datetime:
    return from_zigbee_time(seconds)


class _Special(NamedTuple):
    day: date
    day_id: int

"""The virtual GB meters: an ESME and a gas proxy (GPF) serving a sleepy GSME's data.

Each holds its registers as raw ZCL attribute values and answers the Smart Energy commands
an IHD or PPMID sends (GetCurrentPrice, ConsumerTopUp, SelectAvailableEmergencyCredit,
LocalChangeSupply, MessageConfirmation, GetProfile). The household, tariff and prepayment
arithmetic lives in the pure modules beside this one; these classes only speak ZCL.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from zigpy.zcl import foundation

from device_backend.clock import from_zigbee_time, to_zigbee_time
from device_backend.money import GB_SCALE
from device_backend.simulator import zcl_io
from device_backend.simulator.devices import EndpointSpec, VirtualDevice
from device_backend.zcl import cluster_class
from device_backend.zcl.ids import (
    BASIC,
    DRLC,
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
PROVIDER_ID = 0x00000826

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


def _price_raw(pence: Decimal) -> int:
    """Pence (the scenario's human unit) as GB wire money; refuses a price it would round."""
    return GB_SCALE.to_wire(pence)


_INT32 = (-(2**31), 2**31 - 1)


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
        clusters = [BASIC, IDENTIFY, TIME, METERING, PRICE, MESSAGING, *extra_clusters]
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
        self.handlers[(MESSAGING, "message_confirmation")] = self._on_message_confirmation
        self.handlers[(MESSAGING, "get_last_message")] = self._on_get_last_message
        self.price: tuple[int, str, Decimal, datetime | None] = (0, "", Decimal(0), None)
        self.standing_charge = Decimal(0)
        self.tariff_label = ""
        self.tiers_in_use = 1
        self.last_message: dict[str, Any] | None = None
        self.confirmed_messages: set[int] = set()
        self.on_confirmation: Callable[[int], None] | None = None
        self.account: PrepaymentAccount | None = None
        self.top_ups: deque[tuple[int, int, int, str]] = deque(maxlen=5)  # the meter's log
        self.on_account_change: Callable[[], object] | None = None
        self.on_prepayment_read: Callable[[], object] | None = None
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
        duration = 0xFFFF if ends is None else max(1, int((ends - now).total_seconds() // 60))
        self.send_command(
            1,
            PRICE,
            "publish_price",
            tsn=tsn,
            provider_id=PROVIDER_ID,
            rate_label=label.encode()[:12],
            issuer_event_id=to_zigbee_time(now),
            current_time=to_zigbee_time(now),
            unit_of_measure=0,
            currency=GBP,
            price_trailing_digit_and_price_tier=(PRICE_DIGITS << 4) | (tier & 0x0F),
            number_of_price_tiers_and_register_tier=(self.tiers_in_use << 4) | (tier & 0x0F),
            start_time=0,
            duration_in_minutes=min(duration, 0xFFFE) if ends else 0xFFFF,
            price=_price_raw(pence),
        )

    def publish_tariff(
        self,
        now: datetime,
        *,
        label: str,
        standing_charge: Decimal,
        tiers: int,
        unit_of_measure: int = 0,
    ) -> None:
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

    def _on_get_tariff_information(self, parsed: zcl_io.ParsedZcl, packet: Any) -> None:
        now = self._now()
        self._reply(packet, parsed, PRICE, "publish_tariff_information", **self._tariff_fields(now))

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
        cls = cluster_class(cluster_id)
        frame = zcl_io.cluster_command(
            cls, name, tsn=parsed.header.tsn, direction=zcl_io.SERVER_TO_CLIENT, **fields
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
            extra_clusters=[DRLC, PREPAYMENT],
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

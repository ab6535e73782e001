"""Turn what zigpy parsed from a meter into domain events: scaling, prices, prepayment, text.

One `MeterAdapter` per meter endpoint listens to its zigpy clusters (attribute reports and
reads, and the server-to-client commands it publishes) and emits frozen domain events.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from zigpy.zcl import Cluster

from device_backend import load_switches, model, supplier_events, units
from device_backend.clock import from_zigbee_time
from device_backend.money import GB_SCALE, MoneyBase, MoneyScale, currency_label
from device_backend.schedule_assembly import ScheduleAssembler
from device_backend.zcl.ids import (
    CALENDAR,
    DEVICE_MANAGEMENT,
    DRLC,
    MESSAGING,
    METERING,
    PREPAYMENT,
    PRICE,
)

LOGGER = logging.getLogger(__name__)

SUPPLY = {0: model.SupplyState.OFF, 1: model.SupplyState.ARMED, 2: model.SupplyState.ON}
AMBIENT = {0: model.AmbientLevel.LOW, 1: model.AmbientLevel.MEDIUM, 2: model.AmbientLevel.HIGH}
IMPORTANCE = {0: "low", 1: "medium", 2: "high", 3: "critical"}
DEVICE_CLASS_NAMES = [
    "heating or cooling",
    "electric heating",
    "water heater",
    "pool pump",
    "smart appliances",
    "irrigation pump",
    "managed loads",
    "other loads",
    "outdoor lighting",
    "indoor lighting",
    "electric vehicle charger",
    "generation",
]
PREPAYMENT_ATTRS = {
    "credit_remaining",
    "emergency_credit_remaining",
    "credit_status",
    "accumulated_debt",
    "payment_control_configuration",
    "low_credit_warning_level",
    "debt_recovery_amount1",
    "debt_amount1",
    "debt_amount2",
    "debt_recovery_amount2",
    "debt_amount3",
    "debt_recovery_top_up_percentage3",
}
# DebtRecoveryTopUpPercentage read as hundredths of a percent (1000 = 10.00 %); the unit was
# not verified in the SE text here, so the simulator writes it the same way.
PERCENT_HUNDREDTHS = Decimal(100)
# GB reads Price 0x0616 Currency and 0x0617 PriceTrailingDigit together with the Prepayment
# money (se_clusters.md §2.6); a change to either re-scales the balance already shown.
MONEY_SCALE_ATTRS = ("currency", "price_trailing_digit")
# GCS23 sets these on the gas proxy; a display reads them at adoption and after every reconnect
# or restart (102264 @0x50 = 1.02264; 400 @0x10 = 40.0 MJ/m3, gb_domain.md §5).
GAS_FACTOR_ATTRS = (
    "conversion_factor",
    "conversion_factor_trailing_digit",
    "calorific_value",
    "calorific_value_trailing_digit",
    "calorific_value_unit",
)

# The block period a block tariff's consumption accrues over (Price 0x0200, 0x0201, 0x0204).
BLOCK_PERIOD_ATTRS = (
    "start_of_block_period",
    "block_period_duration",
    "block_period_duration_type",
)
# Price 0x0000-0x002F TierNPriceLabel: the names of the tariff in force's tiers
TIER_LABEL = re.compile(r"tier(\d+)_price_label")
# Metering 0x0700-0x070F: consumption in each block of the block period, for block tariffs
NO_TIER_BLOCK_ATTRS = tuple(f"current_no_tier_block{n}_summation_delivered" for n in range(1, 17))
# Price commands and Calendar commands that carry the tariff schedule, and the assembler's
# method for each (device_backend.schedule_assembly).
SCHEDULE_COMMANDS = {
    "publish_tariff_information": "tariff_information",
    "publish_price_matrix": "price_matrix",
    "publish_block_thresholds": "block_thresholds",
    "publish_tier_labels": "tier_labels",
    "cancel_tariff": "cancel_tariff",
    "publish_calendar": "calendar",
    "publish_day_profile": "day_profile",
    "publish_week_profile": "week_profile",
    "publish_seasons": "seasons",
    "publish_special_days": "special_days",
    "cancel_calendar": "cancel_calendar",
}

Emit = Callable[[model.Event], None]

# Unit prices outside this range (pence per kWh) are logged as a likely wrong money base: GB
# domestic prices have been 5-100p, and one read in the wrong base is 100 times off.
PLAUSIBLE_PENCE_PER_KWH = (Decimal("0.5"), Decimal(500))

# Beyond these a reading is a fault, not a home: a GB domestic supply is at most 100 A at
# 230 V (23 kW) and exports from rooftop generation stay well inside that; a domestic gas
# meter (G4) passes at most 6 m3/h.
MAX_ELECTRIC_KW = Decimal(30)
MAX_GAS_M3_PER_H = Decimal(10)


class ImplausibleReading(ValueError):
    """A value that decoded fine but cannot be true for a home; it is counted, not shown."""


def _int(value: Any) -> int:
    return int(value) if value is not None else 0


class MeterAdapter:
    """Listens to one meter's Smart Energy clusters and speaks in domain events."""

    def __init__(
        self,
        *,
        ieee: str,
        fuel: model.Fuel,
        clusters: dict[int, Cluster],
        emit: Emit,
        now: Callable[[], datetime],
        money_base: MoneyBase = MoneyBase.MAJOR,
    ) -> None:
        self.ieee = ieee
        self.fuel = fuel
        self.clusters = clusters
        self._emit = emit
        self._now = now
        self.last_report: datetime | None = None
        self.errors = 0  # our own translation failures; the facade shows them as degraded
        self.implausible = 0  # readings that decoded but cannot be true (counted, not shown)
        self.kwh_per_unit = Decimal(1)
        self.cv: Decimal | None = None
        self.cf: Decimal = Decimal("1.02264")
        self._unsubscribe: list[Callable[[], None]] = []
        # Gas readings in m3 that arrived before the calorific value: held, never counted as
        # kWh, and passed on with the right factor once the CV is known.
        self._held: dict[str, model.Demand | model.Energy] = {}
        self._last_price: model.Price | None = None
        self._standing = Decimal(0)
        self._tariff_label = ""
        # Until the meter says otherwise, GB: Currency 826 with PriceTrailingDigit 0x50.
        self.money_base = money_base
        self._money_doubt_said = False
        self.money = MoneyScale(currency=GB_SCALE.currency, digits=GB_SCALE.digits, base=money_base)
        self.schedule = ScheduleAssembler(fuel, money_base)
        metering = clusters.get(METERING)
        if metering is not None:
            for name in ("attribute_report", "attribute_read"):
                self._unsubscribe.append(metering.on_event(name, self._guard(self._on_metering)))
        prepayment = clusters.get(PREPAYMENT)
        if prepayment is not None:
            for name in ("attribute_report", "attribute_read"):
                self._unsubscribe.append(
                    prepayment.on_event(name, self._guard(self._on_prepayment))
                )
        price_cluster = clusters.get(PRICE)
        if price_cluster is not None:
            for name in ("attribute_report", "attribute_read"):
                self._unsubscribe.append(
                    price_cluster.on_event(name, self._guard(self._on_price_attribute))
                )
        self._aux = load_switches.AuxCalendars()  # the meter's load switch calendars
        for cluster_id in (PRICE, MESSAGING, DRLC, METERING, DEVICE_MANAGEMENT, CALENDAR):
            cluster = clusters.get(cluster_id)
            if cluster is not None:
                cluster.add_listener(_CommandListener(self, cluster))

    def _guard(self, handler: Callable[[Any], None]) -> Callable[[Any], None]:
        """Count and log our own handler failures; the next report is still handled."""

        def guarded(event: Any) -> None:
            try:
                handler(event)
            except ImplausibleReading as exc:
                self.implausible += 1
                if self.implausible == 1:  # once; a faulty meter would otherwise flood the log
                    LOGGER.warning("Ignored an impossible reading from %s: %s", self.ieee, exc)
            except Exception:  # zigpy would hide this at DEBUG
                self.errors += 1
                LOGGER.exception("Could not handle %s from %s", event.attribute_name, self.ieee)

        return guarded

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    # -- Metering ------------------------------------------------------------------------

    def _scaling(self) -> tuple[int, int]:
        metering = self.clusters[METERING]
        multiplier = metering.get("multiplier") or 1
        divisor = metering.get("divisor") or 1
        return int(multiplier), int(divisor)

    @property
    def needs_calorific_value(self) -> bool:
        """A gas meter that counts volume, whose CV we have not yet read or been sent."""
        if self.fuel is not model.Fuel.GAS or self.cv is not None:
            return False
        metering = self.clusters.get(METERING)
        unit = metering.get("unit_of_measure") if metering is not None else None
        return unit is None or int(unit) & 0x7F != 0x00  # anything but kWh is a volume

    def _pass_on(self, event: model.Demand | model.Energy) -> None:
        if self.needs_calorific_value:
            self._held[type(event).__name__] = event
            return
        self._emit(event)

    def _release_held(self) -> None:
        held, self._held = self._held, {}
        for event in held.values():
            self._emit(replace(event, kwh_per_unit=self.kwh_per_unit))

    def _on_metering(self, event: Any) -> None:
        name = event.attribute_name
        now = self._now()
        self.last_report = now
        if name == "instantaneous_demand":
            multiplier, divisor = self._scaling()  # read only for the figures that scale
            value = model.scaled(int(event.value), multiplier, divisor)
            limit = MAX_ELECTRIC_KW if self.fuel is model.Fuel.ELECTRICITY else MAX_GAS_M3_PER_H
            if abs(value) > limit or (self.fuel is model.Fuel.GAS and value < 0):
                raise ImplausibleReading(f"{self.fuel.value} demand of {value} is not possible")
            self._pass_on(
                model.Demand(
                    time=now,
                    fuel=self.fuel,
                    raw=int(event.value),
                    multiplier=multiplier,
                    divisor=divisor,
                    kwh_per_unit=self.kwh_per_unit,
                    device=self.ieee,
                )
            )
        elif name == "current_summ_delivered":
            multiplier, divisor = self._scaling()
            received = self.clusters[METERING].get("current_summ_received")
            self._pass_on(
                model.Energy(
                    time=now,
                    fuel=self.fuel,
                    import_raw=int(event.value),
                    multiplier=multiplier,
                    divisor=divisor,
                    export_raw=int(received) if received is not None else None,
                    kwh_per_unit=self.kwh_per_unit,
                    device=self.ieee,
                )
            )
        elif name == "current_block_period_consumption_delivered":
            multiplier, divisor = self._scaling()
            self._block_used(model.scaled(int(event.value), multiplier, divisor))
        elif name.startswith("current_no_tier_block") and name.endswith("_summation_delivered"):
            # What each block holds so far this period: together, the period's consumption.
            multiplier, divisor = self._scaling()
            metering = self.clusters[METERING]
            raw = sum(int(metering.get(n) or 0) for n in NO_TIER_BLOCK_ATTRS)
            self._block_used(model.scaled(raw, multiplier, divisor))
        elif name == "ambient_consumption_indicator" and int(event.value) in AMBIENT:
            self._emit(model.Ambient(time=now, level=AMBIENT[int(event.value)]))
        elif name == "supply_status" and int(event.value) in SUPPLY:
            self._emit(model.Supply(time=now, state=SUPPLY[int(event.value)], fuel=self.fuel))

    # -- Prepayment ----------------------------------------------------------------------

    def _block_used(self, value: Decimal) -> None:
        used = value * self.kwh_per_unit
        if used != self.schedule.block_used_kwh:
            self.schedule.block_used_kwh = used
            self.emit_schedule()

    def _on_prepayment(self, event: Any) -> None:
        if event.attribute_name in PREPAYMENT_ATTRS:
            snapshot = self.prepayment_snapshot()
            if snapshot is not None:
                self._emit(snapshot)

    def prepayment_snapshot(self) -> model.Prepayment | None:
        cluster = self.clusters.get(PREPAYMENT)
        if cluster is None or cluster.get("credit_remaining") is None:
            return None
        status = _int(cluster.get("credit_status"))
        config = _int(cluster.get("payment_control_configuration"))
        pence = self.money.to_pence
        return model.Prepayment(
            time=self._now(),
            fuel=self.fuel,
            mode=model.PaymentMode.PREPAYMENT if config & 0x0002 else model.PaymentMode.CREDIT,
            credit_pence=pence(_int(cluster.get("credit_remaining"))),
            emergency_credit_pence=pence(_int(cluster.get("emergency_credit_remaining"))),
            debt_pence=pence(_int(cluster.get("accumulated_debt"))),
            low_credit=bool(status & 0x02),
            emergency_credit_available=bool(status & 0x08),
            emergency_credit_selected=bool(status & 0x10),
            credit_exhausted=bool(status & 0x40),
            debt_recovery_pence_per_day=pence(_int(cluster.get("debt_recovery_amount1"))),
            low_credit_level_pence=pence(_int(cluster.get("low_credit_warning_level"))),
            currency=self.money.code,
            debts=self._debts(cluster),
        )

    def _debts(self, cluster: Cluster) -> tuple[model.Debt, ...]:
        """GB debts 1 and 2 (time-based, per-day recovery) and 3 (payment-based, a % of each
        top-up), as the meter reports them; those it leaves unset or at zero are left out."""
        pence = self.money.to_pence
        debts = []
        for number in (1, 2):
            amount = cluster.get(f"debt_amount{number}")
            if amount is not None and int(amount) > 0:
                debts.append(
                    model.Debt(
                        number=number,
                        pence=pence(int(amount)),
                        recovery_pence_per_day=pence(
                            _int(cluster.get(f"debt_recovery_amount{number}"))
                        ),
                    )
                )
        amount = cluster.get("debt_amount3")
        if amount is not None and int(amount) > 0:
            share = _int(cluster.get("debt_recovery_top_up_percentage3"))
            debts.append(
                model.Debt(
                    number=3,
                    pence=pence(int(amount)),
                    recovery_percent=Decimal(share) / PERCENT_HUNDREDTHS,
                )
            )
        return tuple(debts)

    # -- money scaling -------------------------------------------------------------------

    def _learn_scale(self, currency: int, trailing_byte: int) -> None:
        """Adopt the meter's own Currency and trailing digits; a change re-reads the balance."""
        scale = MoneyScale.from_trailing_byte(currency, trailing_byte, self.money_base)
        if scale == self.money:
            return
        self.money = scale
        snapshot = self.prepayment_snapshot()
        if snapshot is not None:
            self._emit(snapshot)

    def _on_price_attribute(self, event: Any) -> None:
        if event.attribute_name in GAS_FACTOR_ATTRS:
            self._read_gas_factors()
            return
        label = TIER_LABEL.fullmatch(event.attribute_name)
        if label is not None:
            self.schedule.attribute_labels[int(label.group(1))] = _text(event.value)
            self.emit_schedule()
            return
        if event.attribute_name in BLOCK_PERIOD_ATTRS:
            price = self.clusters[PRICE]
            start = price.get("start_of_block_period")
            if start is not None and int(start) not in (0, 0xFFFFFFFF):
                self.schedule.block_period(
                    from_zigbee_time(int(start)),
                    _int(price.get("block_period_duration")),
                    _int(price.get("block_period_duration_type")),
                )
                self.emit_schedule()
            return
        if event.attribute_name not in MONEY_SCALE_ATTRS:
            return
        price = self.clusters[PRICE]
        currency = price.get("currency")
        digits = price.get("price_trailing_digit")
        self._learn_scale(
            int(currency) if currency is not None else self.money.currency,
            int(digits) if digits is not None else self.money.trailing_byte,
        )

    def top_up_money(self, raw: int) -> Decimal:
        """A ConsumerTopUpResponse amount (TopUpValue, CreditRemaining) in exact pence."""
        return self.money.to_pence(int(raw))

    # -- server-to-client commands -------------------------------------------------------

    def emit_schedule(self) -> None:
        """The tariff schedule as now known (the facade passes on only a changed one)."""
        self._emit(self.schedule.build(self._now(), self.money))

    def on_command(self, cluster: Cluster, name: str, args: Any) -> None:
        now = self._now()
        if name in load_switches.COMMANDS:  # an auxiliary switch calendar, else a tariff's
            switches = self._aux.decode(name, args, now, cluster)
            if switches is not None:
                self._emit(switches)
            if int(getattr(args, "calendar_type", -1)) == load_switches.AUX_CALENDAR:
                return
        if name in SCHEDULE_COMMANDS:
            getattr(self.schedule, SCHEDULE_COMMANDS[name])(args)
        if name == "publish_price":
            published = self._price(now, args)
            if published.starts is None or published.starts <= now:
                # A scheduled price (GetScheduledPrices, or published ahead) belongs to the
                # schedule only: the price events say what is charged now.
                self._emit(published)
            if self.schedule.price(published, now):
                self.emit_schedule()
        elif name == "publish_block_period":
            start = int(args.block_period_start_time)
            self.schedule.block_period(
                from_zigbee_time(start) if start else now,
                int(args.block_period_duration),
                int(args.block_period_duration_type),
            )
            self.emit_schedule()
        elif name in SCHEDULE_COMMANDS and name != "publish_tariff_information":
            self.emit_schedule()
        elif name == "publish_tariff_information":
            self.emit_schedule()
            start = int(args.start_time)
            if start and from_zigbee_time(start) > now:
                return  # a future-dated tariff: today's price and standing charge stand
            # Kept for every later price, whichever of the two commands arrives first. The
            # command carries its own Currency and trailing digit; GB: 22465 @0x50 = 22.465p.
            scale = MoneyScale.from_trailing_byte(
                int(args.currency), int(args.price_trailing_digit), self.money_base
            )
            self._learn_scale(int(args.currency), int(args.price_trailing_digit))
            self._standing = scale.to_pence(int(args.standing_charge))
            self._tariff_label = _text(args.tariff_label)
            price = self._last_price
            if price is not None:
                self._last_price = model.Price(
                    time=now,
                    fuel=price.fuel,
                    pence_per_kwh=price.pence_per_kwh,
                    standing_charge_pence_per_day=self._standing,
                    tier=price.tier,
                    tier_label=price.tier_label,
                    tariff_label=self._tariff_label,
                    starts=price.starts,
                    ends=price.ends,
                    currency=price.currency,
                )
                self._emit(self._last_price)
        elif name == "publish_calorific_value":
            self.cv = units.calorific_value(
                int(args.calorific_value), int(args.calorific_value_trailing_digit)
            )
            self._update_gas_factor()
        elif name == "publish_conversion_factor":
            self.cf = units.conversion_factor(
                int(args.conversion_factor), int(args.conversion_factor_trailing_digit)
            )
            self._update_gas_factor()
        elif name == "display_message":
            control = int(args.message_control)
            start = int(args.start_time)
            starts = from_zigbee_time(start) if start else now
            duration = int(args.duration_in_minutes)
            self._emit(
                model.SupplierMessage(
                    time=now,
                    id=int(args.message_id),
                    text=str(args.message),
                    confirmation_required=bool(control & 0x80) or bool(control & 0x20),
                    importance=IMPORTANCE[(control >> 2) & 0x3],
                    starts=starts,
                    ends=None if duration == 0xFFFF else starts + timedelta(minutes=duration),
                )
            )
        elif name == "cancel_message":
            # The supplier withdrew it: the same id, ended now, so every screen lets it go.
            self._emit(
                model.SupplierMessage(
                    time=now,
                    id=int(getattr(args, "message_id", 0)),
                    text="",
                    ends=now,
                )
            )
        elif name == "load_control_event":
            start = int(args.start_time)
            starts = from_zigbee_time(start) if start else now
            ends = starts + timedelta(minutes=int(args.duration_in_minutes))
            self._emit(
                model.LoadControl(
                    time=now,
                    event_id=int(args.issuer_event_id),
                    load=_device_class_name(int(args.device_class)),
                    starts=starts,
                    ends=ends,
                    active=starts <= now < ends,
                )
            )
        elif name in supplier_events.COMMANDS:  # change of tenancy or of supplier
            event = supplier_events.from_command(name, args, now, self.fuel)
            if event is not None:
                self._emit(event)
        elif name in ("cancel_load_control_event", "cancel_all_load_control_events"):
            self._emit(
                model.LoadControl(
                    time=now,
                    event_id=int(getattr(args, "issuer_event_id", 0)),
                    load="",
                    starts=now,
                    ends=now,
                    active=False,
                )
            )

    def _price(self, now: datetime, args: Any) -> model.Price:
        digits_and_tier = int(args.price_trailing_digit_and_price_tier)
        # Bits 4-7 are the decimals of a price in Currency's base unit (GB: 9600 @0x51 is
        # £0.09600 = 9.6p per kWh, tier 1); bits 0-3 are the tier.
        scale = MoneyScale.from_trailing_byte(int(args.currency), digits_and_tier, self.money_base)
        self._learn_scale(int(args.currency), digits_and_tier & 0xF0)
        pence = scale.to_pence(int(args.price))
        self._check_money_base(pence)
        start = int(args.start_time)
        starts = from_zigbee_time(start) if start else now
        duration = int(args.duration_in_minutes)
        standing, tariff = self._standing, self._tariff_label
        # Tiers 16-48: ExtendedPriceTier n means tier 15 + n (SE 1.4 D.4.2.4.1.1, field 23;
        # se_clusters.md §2.2); 0 or absent, the nibble is the tier.
        extended = getattr(args, "extended_price_tier", None)
        tier = 15 + int(extended) if extended else digits_and_tier & 0x0F
        price = model.Price(
            time=now,
            fuel=self.fuel,
            pence_per_kwh=pence,
            standing_charge_pence_per_day=standing,
            tier=tier,
            tier_label=_text(args.rate_label),
            tariff_label=tariff,
            starts=starts,
            ends=None if duration == 0xFFFF else starts + timedelta(minutes=duration),
            currency=currency_label(int(args.currency)),
        )
        if starts <= now:  # a scheduled price (GetScheduledPrices) is not the one in force
            self._last_price = price
        return price

    def _check_money_base(self, pence: Decimal) -> None:
        """Say (once) when a unit price suggests this meter writes money in the other base.

        The base is not switched here: nothing on the HAN declares it. SE 1.4 puts a price "in
        the base unit of Currency" (ISO 4217: pounds, euros) with the decimal point placed by
        the trailing digit, so a meter that writes pence is simply out of step with the spec;
        Currency, the trailing digits and the formatting attributes read the same either way.
        A price range cannot decide it either: the two readings differ by 100 and a dynamic
        tariff's unit price goes to zero and below, so a guess would sooner or later show a
        household's money 100 times wrong. A pence-based meter is set up with
        `Backend(money_base=MoneyBase.MINOR)`; this only makes a wrong setting easy to spot.
        """
        if self._money_doubt_said:
            return
        low, high = PLAUSIBLE_PENCE_PER_KWH
        if pence > high or Decimal(0) < pence < low:
            self._money_doubt_said = True
            other = "pence" if self.money_base is MoneyBase.MAJOR else "pounds"
            LOGGER.warning(
                "%s's unit price reads as %sp per kWh, outside %s-%sp: if this meter writes "
                "money in %s, set money_base=%s",
                self.ieee,
                pence,
                low,
                high,
                other,
                "minor" if self.money_base is MoneyBase.MAJOR else "major",
            )

    def _read_gas_factors(self) -> None:
        """CF and CV from the proxy's Price attributes, once both halves of each are known."""
        price = self.clusters[PRICE]
        cf, cf_digits = (
            price.get("conversion_factor"),
            price.get("conversion_factor_trailing_digit"),
        )
        if cf is not None and cf_digits is not None:
            self.cf = units.conversion_factor(int(cf), int(cf_digits))
        cv, cv_digits = price.get("calorific_value"), price.get("calorific_value_trailing_digit")
        unit = price.get("calorific_value_unit")
        if unit is not None and int(unit) != units.CalorificValueUnit.MJ_PER_M3:
            LOGGER.warning(
                "%s gives its calorific value in MJ/kg; gas kWh cannot be shown", self.ieee
            )
            return
        if cv is not None and cv_digits is not None and int(cv) > 0:
            self.cv = units.calorific_value(int(cv), int(cv_digits))
        self._update_gas_factor()

    def _update_gas_factor(self) -> None:
        if self.fuel is model.Fuel.GAS and self.cv is not None:
            self.kwh_per_unit = units.gas_kwh_per_m3(self.cv, self.cf)
            if self._held:
                self._release_held()


class _CommandListener:
    """zigpy's legacy listener protocol: `cluster_command` for commands a meter publishes."""

    def __init__(self, adapter: MeterAdapter, cluster: Cluster) -> None:
        self._adapter = adapter
        self._cluster = cluster

    def cluster_command(self, tsn: int, command_id: int, args: Any) -> None:
        command = self._cluster.client_commands.get(command_id)
        if command is None:
            return
        try:
            self._adapter.on_command(self._cluster, command.name, args)
        except Exception:
            self._adapter.errors += 1
            LOGGER.exception("Could not translate %s from %s", command.name, self._adapter.ieee)

    def general_command(self, *args: Any) -> None:
        return None


def _text(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _device_class_name(mask: int) -> str:
    names = [name for bit, name in enumerate(DEVICE_CLASS_NAMES) if mask & (1 << bit)]
    return ", ".join(names) or "controlled load"

"""A simulated GB home: the scenario's physics driving virtual meters on the simulated radio.

Every 10 s of simulated time the ESME's registers advance and it reports; every 30 minutes
the gas meter wakes, pushes to the gas proxy and the proxy reports. Timeline events (price
changes, messages, top-ups, silences, link faults, a pulled dongle, load control) happen at
their moments. The home keeps running while the dongle is out: meters keep metering.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from device_backend import model
from device_backend.clock import SimulatedClock
from device_backend.simulator import scenario as sc
from device_backend.simulator.alcs import AlcsServer, off_windows
from device_backend.simulator.links import LinkState
from device_backend.simulator.meter_admin import MeterAdmin, Supplier
from device_backend.simulator.meters import VirtualESME, VirtualGasProxy, wire_money
from device_backend.simulator.pairing import PairingBench
from device_backend.simulator.prepayment import OriginatingDevice
from device_backend.zcl.ids import METERING, PREPAYMENT, TIME

LOGGER = logging.getLogger(__name__)

TICK_S = 10
HALF_HOUR = timedelta(minutes=30)
_ZIGBEE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # ZCL UTCTime counts seconds from here
AMBIENT_CODE = {model.AmbientLevel.LOW: 0, model.AmbientLevel.MEDIUM: 1, model.AmbientLevel.HIGH: 2}
SUPPLY_CODE = {model.SupplyState.OFF: 0, model.SupplyState.ARMED: 1, model.SupplyState.ON: 2}
HUB = "hub"
_WIRE_PENCE = Decimal("0.001")  # GB wire money: five decimals of a pound


def _ieee(meter_id: str) -> str:
    digits = meter_id.replace("-", "").replace(":", "").lower()
    return ":".join(digits[i : i + 2] for i in range(0, 16, 2))


def _payment_control(mode: model.PaymentMode) -> int:
    # bit0 disconnection enabled, bit1 prepayment enabled, bit2 credit management, bit4 credit display
    return 0x0017 if mode is model.PaymentMode.PREPAYMENT else 0x0004


class SimulatedHome:
    """One household's meters, physics and timeline, attached to whichever radio is current."""

    def __init__(self, scenario: sc.Scenario, clock: SimulatedClock) -> None:
        self.scenario = scenario
        self.clock = clock
        self.household = scenario.household(apply_timeline=False)
        self.accounts = {
            model.Fuel.ELECTRICITY: scenario.account(model.Fuel.ELECTRICITY, apply_timeline=False)
        }
        self.electricity = scenario.electricity_meter(
            self.household, self.accounts[model.Fuel.ELECTRICITY]
        )
        self.links = scenario.link_model()
        spec = scenario.electricity
        self.esme = VirtualESME(
            ieee=_ieee(spec.meter_id),
            nwk=0x1001,
            manufacturer="gb-smart-ihd simulator",
            model=f"ESME ({spec.variant})",
            account=self.accounts[model.Fuel.ELECTRICITY],
            label="electricity meter",
        )
        self.esme.on_account_change = lambda: self._publish_prepayment(model.Fuel.ELECTRICITY)
        self.esme.on_prepayment_read = lambda: self._update_prepayment(model.Fuel.ELECTRICITY)
        # Device Management and Events: the supplier, tenancy and the meter's event logs.
        self.admin = MeterAdmin(
            self.esme, lambda: self.accounts[model.Fuel.ELECTRICITY].supply_status
        )
        self.esme.on_top_up = lambda result, value: self.admin.top_up(
            self.clock.now(), result, value
        )
        self.alcs: AlcsServer | None = None
        if scenario.alcs:
            self.alcs = AlcsServer(self.esme, scenario.alcs, self.admin.logs.record)
            self._switch_loads_by_calendar(scenario)
        self.gas_meter = None
        self.gas_proxy: VirtualGasProxy | None = None
        if scenario.gas is not None:
            self.accounts[model.Fuel.GAS] = scenario.account(model.Fuel.GAS, apply_timeline=False)
            self.gas_meter = scenario.gas_meter(self.household, self.accounts[model.Fuel.GAS])
            self.gas_proxy = VirtualGasProxy(
                ieee=_ieee(scenario.gas.meter_id),
                nwk=0x2001,
                manufacturer="gb-smart-ihd simulator",
                model="Gas proxy (GSME)",
                label="gas meter",
                account=self.accounts[model.Fuel.GAS],
            )
            self.gas_proxy.set_gas_factors(
                scenario.gas.calorific_value, scenario.gas.conversion_factor
            )
            self.gas_proxy.on_account_change = lambda: self._publish_prepayment(model.Fuel.GAS)
            self.gas_proxy.on_prepayment_read = lambda: self._update_prepayment(model.Fuel.GAS)
        self.radio: Any = None
        self.backend: Any = None
        self._price_key: dict[model.Fuel, tuple[Any, ...]] = {}
        self._tariffs_key: dict[model.Fuel, tuple[Any, ...]] = {}
        self._block_period: tuple[datetime | None, list[Fraction]] = (None, [])
        self._timeline = sorted(scenario.timeline, key=lambda e: (e.at, e.index))
        self._silent_until: dict[model.Fuel, datetime] = {}
        self._dongle_back_at: datetime | None = None
        self.dongle_in = True  # the simulated USB stick, which outlives any one radio object
        self.dongle_nvram: Any = None  # what the stick remembers of its network across reconnects
        self.extra_devices: list[Any] = []  # e.g. devices waiting on a pairing bench
        self._half_hour_start = self._floor_half_hour(clock.now())
        self._half_hour_import = 0
        self._gas_half_hour_litres = 0
        self._last_prepayment: dict[model.Fuel, tuple[int, ...]] = {}
        self._next_prepayment_report = clock.now()
        self._next_summation_report = clock.now()
        self.tick_count = 0

    @classmethod
    def from_scenario(
        cls,
        name: str,
        *,
        speed: float | None = 1.0,
        seed: int | None = None,
        start: datetime | None = None,
    ) -> SimulatedHome:
        scenario = sc.load_scenario(name)
        if seed is not None or start is not None:
            import dataclasses

            scenario = dataclasses.replace(
                scenario,
                seed=seed if seed is not None else scenario.seed,
                start=start or scenario.start,
            )
        return cls(scenario, SimulatedClock(scenario.start, speed=speed))

    @property
    def meters(self) -> list[Any]:
        return [m for m in (self.esme, self.gas_proxy) if m is not None]

    # -- the radio ---------------------------------------------------------------------------

    def add_pairing_bench(self) -> PairingBench:
        """Devices waiting to be paired with their install codes (the installer's training)."""
        bench = PairingBench()
        bench.add_to(self)
        return bench

    def attach_to(self, radio: Any) -> None:
        """A (new) radio instance: our dongle plays the hub; the meters join it."""
        radio.clock = self.clock
        radio.dongle_present = self.dongle_in
        radio.nvram = self.dongle_nvram
        radio.on_nvram_written = self._remember_nvram
        self.radio = radio
        self._prime_prices(self.clock.now())
        for meter in self.meters:
            meter.joined = False
            radio.attach(meter, self._link_for(meter))
        for device in self.extra_devices:
            device.joined = False
            radio.attach(
                device,
                LinkState(lqi=getattr(device, "lqi", 200), rssi=getattr(device, "rssi", -62)),
            )

    def _remember_nvram(self, nvram: Any) -> None:
        self.dongle_nvram = nvram

    def replace_dongle(self) -> None:
        """A new, blank stick in place of the old one (which kept its network with it)."""
        self.dongle_nvram = None
        if self.radio is not None:
            self.radio.nvram = None

    def _position(self, meter: Any) -> str:
        if meter is self.esme:
            return self.scenario.electricity.position
        assert self.scenario.gas is not None
        return self.scenario.gas.position

    def _link_for(self, meter: Any) -> LinkState:
        sample = self.links.sample(HUB, self._position(meter), self.clock.now())
        return LinkState(lqi=sample.lqi, rssi=sample.rssi, loss=sample.loss, up=sample.loss < 0.95)

    def _refresh_links(self) -> None:
        if self.radio is None:
            return
        for meter in self.meters:
            self.radio.links[meter.nwk] = self._link_for(meter)

    def pull_dongle(self) -> None:
        """The engineer (or a cat) pulls the USB stick out."""
        self.dongle_in = False
        if self.radio is not None:
            self.radio.pull_dongle()

    def hang_dongle(self) -> None:
        """The stick's firmware wedges: it acknowledges frames but never answers."""
        if self.radio is not None:
            self.radio.hung = True

    def replug_dongle(self) -> None:
        self.dongle_in = True
        if self.radio is not None:
            self.radio.replug_dongle()

    # -- the main loop -----------------------------------------------------------------------

    def run_offline(self, until: datetime) -> None:
        """Let the home live up to `until` before any radio is attached: the meters meter and
        keep their logs (history, profile, balances) half-hour by half-hour, and nobody hears
        them. A display that then joins is new to a home with a past (issue 17: "a new display
        on a home that has run for 20 days")."""
        if self.radio is not None:
            raise RuntimeError("the home is on a radio already; it runs in simulated time")
        now = self.clock.now()
        while now < until:
            now = min(self._floor_half_hour(now) + HALF_HOUR, until)
            self.clock.jump_to(now)
            self.tick(now)

    async def run(self, backend: Any = None) -> None:
        self.backend = backend
        while True:
            # The ESME reports demand every tick: the scenario's electricity_demand interval.
            await self.clock.sleep(self.scenario.reporting.electricity_demand_s)
            try:
                self.tick(self.clock.now())
            except Exception:  # log loudly, keep the home alive
                LOGGER.exception("The simulated home failed a tick at %s", self.clock.now())

    def tick(self, now: datetime) -> None:
        self.tick_count += 1
        self._apply_timeline(now)
        self.admin.tick(now)
        if self.alcs is not None and not self.alcs.published:
            self.alcs.publish_schedule(now)  # once the meter is on the HAN, then on changes
        if self._dongle_back_at is not None and now >= self._dongle_back_at:
            self._dongle_back_at = None
            self.replug_dongle()
        if self.tick_count % 6 == 0:
            self._refresh_links()
        self._tick_electricity(now)
        if self._floor_half_hour(now) > self._half_hour_start:
            self._close_half_hour(now)

    def _silent(self, fuel: model.Fuel, now: datetime) -> bool:
        until = self._silent_until.get(fuel)
        return until is not None and now < until

    def _tick_electricity(self, now: datetime) -> None:
        meter, esme = self.electricity, self.esme
        meter.advance(now)
        demand = meter.demand_w(now)  # once: the ambient level is the same figure's band
        values: dict[str | int, Any] = {
            "current_summ_delivered": meter.import_wh,
            "instantaneous_demand": demand,
            "ambient_consumption_indicator": AMBIENT_CODE[meter.ambient.level(max(demand, 0))],
        }
        tiers = meter.tier_registers_wh
        for tier, wh in tiers.items():
            if 1 <= tier <= 48:
                values[0x0100 + 2 * (tier - 1)] = wh
        if meter.export:
            values["current_summ_received"] = meter.export_wh
        account = self.accounts[model.Fuel.ELECTRICITY]
        values["supply_status"] = account.supply_status
        esme.set_attributes(1, METERING, values)
        han_time = {"time": int((now - _ZIGBEE_EPOCH).total_seconds())}
        esme.set_attributes(1, TIME, han_time)
        if self.gas_proxy is not None:  # the gas proxy keeps the hub's time too
            self.gas_proxy.set_attributes(1, TIME, han_time)
        esme.silent = self._silent(model.Fuel.ELECTRICITY, now)
        report: list[str | int] = ["instantaneous_demand", "ambient_consumption_indicator"]
        if now >= self._next_summation_report:
            self._next_summation_report = now + timedelta(
                seconds=self.scenario.reporting.electricity_summation_s
            )
            report += ["current_summ_delivered", "supply_status"]
            if meter.export:
                report.append("current_summ_received")
        esme.report(1, METERING, report)
        self._maybe_publish_price(model.Fuel.ELECTRICITY, esme, now)
        if now >= self._next_prepayment_report:
            self._next_prepayment_report = now + timedelta(
                seconds=self.scenario.reporting.prepayment_s
            )
            self._publish_prepayment(model.Fuel.ELECTRICITY)

    def _publish_prepayment(self, fuel: model.Fuel = model.Fuel.ELECTRICITY) -> None:
        if fuel not in self.accounts:
            return
        meter = self._meter_for(fuel)
        values, supply = self._update_prepayment(fuel)
        key = (*tuple(values.values()), supply)
        if key != self._last_prepayment.get(fuel):
            self._last_prepayment[fuel] = key
            meter.report(1, PREPAYMENT, list(values))
            meter.report(1, METERING, ["supply_status"])

    def _update_prepayment(
        self, fuel: model.Fuel = model.Fuel.ELECTRICITY
    ) -> tuple[dict[str, int], int]:
        """The account brought up to this moment, written into its meter's registers (the
        ESME's own, or the gas proxy's copy of the GSME's: balance, debt and valve state)."""
        now = self.clock.now()
        account = self.accounts[fuel]
        meter = self._meter_for(fuel)
        snap = account.snapshot(now)
        # Money in GB wire units (pounds, five decimals: 1p = 1000), as a GB meter holds it.
        values: dict[str, int] = {
            "payment_control_configuration": _payment_control(snap.mode),
            "credit_remaining": wire_money(snap.credit_pence),
            "emergency_credit_remaining": wire_money(snap.emergency_credit_pence),
            "credit_status": int(snap.credit_status),
            "accumulated_debt": wire_money(snap.total_debt_pence),
            "low_credit_warning_level": wire_money(snap.low_credit_level_pence),
            "emergency_credit_limit_allowance": wire_money(snap.emergency_credit_limit_pence),
            "emergency_credit_threshold": wire_money(snap.emergency_credit_threshold_pence),
            "debt_recovery_amount1": wire_money(snap.debt_recovery_pence_per_day),
            "cut_off_value": wire_money(snap.cut_off_pence),
            # GB debts: 1 and 2 time-based, 3 payment-based (se_clusters.md §3.1).
            "debt_amount1": wire_money(snap.debt_pence),
            "debt_amount2": wire_money(snap.debt2_pence),
            "debt_recovery_amount2": wire_money(snap.debt2_recovery_pence_per_day),
            "debt_amount3": wire_money(snap.payment_debt_pence),
            "debt_recovery_top_up_percentage3": int(snap.payment_debt_recovery_percent * 100),
        }
        meter.set_attributes(1, PREPAYMENT, values)
        meter.set_attributes(1, METERING, {"supply_status": account.supply_status})
        return values, account.supply_status

    def _quote(self, fuel: model.Fuel, now: datetime) -> tuple[Any, Any, Any, Any]:
        account = self.accounts[fuel]
        schedule = account.schedule
        return (
            schedule.price_at(now, account.block_used_kwh),
            schedule.tariff_at(now),
            schedule,
            schedule.next_change_after(now),
        )

    def _prime_prices(self, now: datetime) -> None:
        """What each meter would answer to GetCurrentPrice before its first tick."""
        for fuel in self.accounts:
            quote, tariff, schedule, change = self._quote(fuel, now)
            meter = self._meter_for(fuel)
            meter.price = (
                quote.tier,
                quote.label,
                Decimal(quote.pence_per_kwh),
                change.at if change else None,
            )
            meter.standing_charge = schedule.standing_charge_at(now)
            meter.tariff_label = tariff.label
            meter.tiers_in_use = max(1, len(tariff.tiers))
            meter.current_tariff = tariff

    def _maybe_publish_price(self, fuel: model.Fuel, meter: Any, now: datetime) -> None:
        quote, tariff, schedule, change = self._quote(fuel, now)
        # The tariffs held (in force and future-dated) go out whole when they change: tariff
        # information, price matrix, block thresholds and calendar, before the price.
        held = (*tuple((id(t), s) for s, t in schedule.entries if s is None or s > now), id(tariff))
        if self._tariffs_key.get(fuel) != held:
            self._tariffs_key[fuel] = held
            meter.publish_tariffs(now)
        if tariff.has_blocks and fuel is model.Fuel.ELECTRICITY:
            self._block_registers(tariff, now)
        key = (quote.tier, quote.label, quote.pence_per_kwh, id(tariff))
        if self._price_key.get(fuel) == key:
            return
        self._price_key[fuel] = key
        meter.publish_price(
            now,
            quote.tier,
            quote.label,
            Decimal(quote.pence_per_kwh),
            change.at if change else None,
        )

    def _block_registers(self, tariff: Any, now: datetime) -> None:
        """CurrentNoTierBlockNSummationDelivered (Metering 0x0700+): the kWh used in each block
        so far this block period, whatever the tier, in Wh like the other summations."""
        account = self.accounts[model.Fuel.ELECTRICITY]
        period = tariff.block_period_start(now)
        used = account.block_used_kwh
        limits = [Fraction(limit) for limit in tariff.thresholds_kwh]
        bounds = [Fraction(0), *limits]
        per_block = [
            max(Fraction(0), min(used, upper) - lower)
            if upper is not None
            else max(Fraction(0), used - lower)
            for lower, upper in zip(bounds, [*limits, None], strict=True)
        ]
        if self._block_period == (period, per_block):
            return
        if self._block_period[0] != period:
            self.esme.publish_block_period(now, period, tariff.period)
        self._block_period = (period, per_block)
        self.esme.set_attributes(
            1,
            METERING,
            {0x0700 + n: int(kwh * 1000) for n, kwh in enumerate(per_block)},
        )

    def _close_half_hour(self, now: datetime) -> None:
        start = self._half_hour_start
        consumed = self.electricity.import_wh - self._half_hour_import
        self._half_hour_import = self.electricity.import_wh
        self.esme.profile.append((start, max(0, consumed)))
        self._half_hour_start = self._floor_half_hour(now)
        self._update_history(self.esme, lambda d: self.electricity.day_import_wh(d), now)
        self._update_cost_history(self.esme, model.Fuel.ELECTRICITY, now)
        if self.gas_meter is not None and self.gas_proxy is not None:
            self._tick_gas(now, start)

    def _tick_gas(self, now: datetime, start: datetime) -> None:
        assert self.gas_meter is not None and self.gas_proxy is not None
        gas, proxy = self.gas_meter, self.gas_proxy
        before = gas.volume_register
        gas.advance(now)
        proxy.profile.append((start, max(0, gas.volume_register - before)))
        litres_per_hour = (gas.volume_register - before) * 2
        proxy.set_attributes(
            1,
            METERING,
            {
                "current_summ_delivered": gas.volume_register,
                "instantaneous_demand": litres_per_hour,
                "remaining_battery_life_days": min(gas.battery.remaining_days(), 0xFFFF),
            },
        )
        self._update_history(proxy, lambda d: gas.daily_litres.get(d, 0), now)
        # The GPF's own kWh (at the CV and CF in force as the gas was measured, to the Wh) and
        # cost per day, week and month: what a GB display shows for gas rather than its own
        # conversion of the volume.
        self._update_history(
            proxy, lambda d: _whole(gas.daily_kwh.get(d, 0) * 1000), now, alternative=True
        )
        proxy.silent = self._silent(model.Fuel.GAS, now)
        gas.battery.transaction("report")
        proxy.report(
            1,
            METERING,
            ["current_summ_delivered", "instantaneous_demand", "remaining_battery_life_days"],
        )
        self._maybe_publish_price(model.Fuel.GAS, proxy, now)
        self._publish_prepayment(model.Fuel.GAS)  # the GSME's balance, with its readings
        # Its cost log, with the account brought up to this moment by the line above.
        self._update_cost_history(proxy, model.Fuel.GAS, now)
        if not getattr(self, "_gas_factors_sent", False):
            self._gas_factors_sent = True
            assert self.scenario.gas is not None
            proxy.publish_gas_factors(
                now, self.scenario.gas.calorific_value, self.scenario.gas.conversion_factor
            )

    def _update_cost_history(self, meter: Any, fuel: model.Fuel, now: datetime) -> None:
        """The meter's Prepayment cost log: energy and standing charge per UTC day, week and
        month, as its account charged them."""
        account = self.accounts[fuel]
        account.accrue(now)
        days, weeks, months = _history_lists(
            lambda d: wire_money(account.cost_for_day(d).quantize(_WIRE_PENCE, ROUND_HALF_UP)),
            now,
        )
        meter.set_cost_history(days, weeks, months)

    def _update_history(
        self, meter: Any, day_total: Any, now: datetime, *, alternative: bool = False
    ) -> None:
        days, weeks, months = _history_lists(day_total, now)
        meter.set_history(
            current_day=days[0],
            previous_days=days[1:],
            current_week=weeks[0],
            previous_weeks=weeks[1:],
            current_month=months[0],
            previous_months=months[1:],
            alternative=alternative,
        )

    @staticmethod
    def _floor_half_hour(moment: datetime) -> datetime:
        return moment.replace(minute=(moment.minute // 30) * 30, second=0, microsecond=0)

    # -- the timeline ------------------------------------------------------------------------

    def _apply_timeline(self, now: datetime) -> None:
        while self._timeline and self._timeline[0].at <= now:
            event = self._timeline.pop(0)
            try:
                self._apply(event, now)
            except Exception:  # one bad event must not stop the home
                LOGGER.exception("Could not apply timeline event %s", event.kind)

    def _meter_for(self, fuel: model.Fuel) -> Any:
        return (
            self.esme
            if fuel is model.Fuel.ELECTRICITY or self.gas_proxy is None
            else self.gas_proxy
        )

    def _apply(self, event: sc.TimelineEvent, now: datetime) -> None:
        if isinstance(event, sc.PriceChange):
            # Announced now; a future-dated one starts later and is published at once.
            self.accounts[event.fuel].schedule.change_at(event.effective, event.tariff)
            if event.fuel is model.Fuel.ELECTRICITY:
                self.admin.tariff_changed(now, future_dated=event.effective > now)
        elif isinstance(event, sc.ChangeOfSupplier):
            self.admin.change_of_supplier(
                now,
                event.takes_effect,
                Supplier(event.supplier, event.provider_id, event.contact),
            )
            if event.tariff is not None:
                self.accounts[model.Fuel.ELECTRICITY].schedule.change_at(
                    event.takes_effect, event.tariff
                )
                self.admin.tariff_changed(now, future_dated=event.takes_effect > now)
        elif isinstance(event, sc.ChangeOfTenancy):
            self.admin.change_of_tenancy(now, event.takes_effect, clear=event.clear_display_data)
        elif isinstance(event, sc.Tamper):
            self.admin.tamper(now)
        elif isinstance(event, sc.AlcsOverride) and self.alcs is not None:
            self.alcs.override(now, event.switch, event.on, event.until)
            for switch in self.scenario.alcs:
                if switch.number == event.switch and switch.load and not event.on:
                    until = event.until or now + self.scenario.duration
                    self.household.control_load(switch.load, now, until)
        elif isinstance(event, sc.SupplierMessage):
            self._meter_for(event.fuel).display_message(
                now, event.message_id, event.text, confirm=event.confirmation_required
            )
        elif isinstance(event, sc.TopUp):
            account = self.accounts.get(event.fuel)
            if account is not None:
                # The supplier's top-up arrives over the WAN; the meter applies it directly.
                # It goes into the meter's own top-up log too (Prepayment 0x0100...).
                result, value, _ = self._meter_for(event.fuel).apply_top_up(
                    event.utrn, now, int(event.source)
                )
                if event.fuel is model.Fuel.ELECTRICITY and event.source != OriginatingDevice.ESI:
                    self.admin.top_up(now, result, wire_money(value))  # entered in the home
                self._publish_prepayment(event.fuel)
        elif isinstance(event, sc.MeterSilent):
            self._silent_until[event.fuel] = now + event.duration
        elif isinstance(event, sc.DonglePulled):
            self.pull_dongle()
            self._dongle_back_at = now + event.duration
        elif isinstance(event, sc.LoadControl):
            for load in event.loads:
                self.household.control_load(load, event.start, event.end)
            self.esme.load_control_event(
                now,
                event.event_id,
                event.device_class,
                int(event.duration.total_seconds() // 60),
                start=event.start,
            )
        elif isinstance(event, sc.PaymentModeChange):
            account = self.accounts.get(event.fuel)
            if account is not None:
                account.set_payment_mode(event.mode, now, credit_pence=event.credit_pence)
                self._publish_prepayment(event.fuel)
        elif isinstance(event, sc.EmergencyCreditRequest):
            self.accounts[event.fuel].select_emergency_credit(now)
            self._publish_prepayment(event.fuel)
        elif isinstance(event, sc.SupplyEnableRequest):
            self.accounts[event.fuel].request_supply_on(now)
            self._publish_prepayment(event.fuel)
        elif (
            isinstance(event, sc.CalorificValueChange)
            and self.gas_meter is not None
            and self.gas_proxy
        ):
            self.gas_meter.set_calorific_value(event.calorific_value, now)
            assert self.scenario.gas is not None
            self.gas_proxy.publish_gas_factors(
                now,
                event.calorific_value,
                event.conversion_factor or self.scenario.gas.conversion_factor,
            )

    def _switch_loads_by_calendar(self, scenario: sc.Scenario) -> None:
        """A load on an ALCS is fed only while its calendar closes the switch."""
        start = scenario.start
        end = start + scenario.duration + timedelta(days=1)
        for switch in scenario.alcs:
            if switch.load:
                for off_from, off_to in off_windows(switch, start, end):
                    self.household.control_load(switch.load, off_from, off_to)

    # -- supplier helpers (ihd-cli utrn, tests, trials) --------------------------------------

    def issue_top_up(
        self, pence: int, fuel: model.Fuel = model.Fuel.ELECTRICITY, counter: int | None = None
    ) -> str:
        if counter is None:
            self._counter = getattr(self, "_counter", self.scenario.first_utrn_counter + 100) + 1
            counter = self._counter
        return self.scenario.issue_top_up(fuel, pence, counter % 1024)


# The meters' day logs keep 40 UTC days (electricity.py, gas.py, prepayment.py trim to that);
# older days read as nothing, so only these are asked for.
_LOGGED_DAYS = 41


def _history_lists(day_total: Any, now: datetime) -> tuple[list[int], list[int], list[int]]:
    """9 days, 6 weeks and 14 months of `day_total`, newest (the current one) first.

    GB meters keep their day logs on UTC days (GBCS 10.4: the GPF's Daily Gas Consumption Log
    is per UTC day), and the day totals here are UTC days too: one calendar, not two. Each
    logged day is asked for once and summed into its week and month (this runs every
    half-hour for each log, so it must not walk 14 months of days).
    """
    today = now.astimezone(UTC).date()
    daily = {
        today - timedelta(days=n): day_total(today - timedelta(days=n)) for n in range(_LOGGED_DAYS)
    }
    days = [daily[today - timedelta(days=n)] for n in range(0, 9)]
    monday = today - timedelta(days=today.weekday())
    weeks = [0] * 6
    months = [0] * 14
    for day, value in daily.items():
        if not value:
            continue
        week = (monday - (day - timedelta(days=day.weekday()))).days // 7
        if week < 6:
            weeks[week] += value
        month = (today.year - day.year) * 12 + today.month - day.month
        if month < 14:
            months[month] += value
    return days, weeks, months


def _whole(value: Any) -> int:
    """Round half up to a whole register unit (a meter's log holds integers)."""
    return int(Fraction(value) + Fraction(1, 2)) if value else 0

"""Scenario files (TOML): a GB home, its meters, tariffs, payment set-up and a timeline of events."""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from device_backend import limits
from device_backend.clock import LONDON
from device_backend.model import Fuel, PaymentMode
from device_backend.resources import asset_path
from device_backend.simulator.alcs import MAX_SWITCHES, AuxSwitch
from device_backend.simulator.electricity import AmbientThresholds, ElectricityMeter
from device_backend.simulator.gas import BatterySpec, GasBattery, GasMeter, RadioDuty
from device_backend.simulator.household import (
    CONTROLLABLE_LOADS,
    DEVICE_CLASS_LOADS,
    Household,
    HouseholdProfile,
    loads_for_device_class,
)
from device_backend.simulator.links import Geometry, LinkModel, Obstacle, Position
from device_backend.simulator.prepayment import (
    FriendlyCredit,
    OriginatingDevice,
    PrepaymentAccount,
    PrepaymentSettings,
)
from device_backend.simulator.tariff import (
    BLOCK_PERIODS,
    Block,
    BlockTariff,
    BlockTouTariff,
    SingleRateTariff,
    Tariff,
    TariffSchedule,
    Tier,
    TimeBand,
    TimeOfUseTariff,
    economy7,
    parse_clock_range,
)
from device_backend.simulator.tou_calendar import (
    DayProfile,
    Season,
    SpecialDay,
    TouCalendar,
    WeekProfile,
)
from device_backend.utrn import issue_utrn

__all__ = [
    "SCENARIO_DIR",
    "AlcsOverride",
    "CalorificValueChange",
    "ChangeOfSupplier",
    "ChangeOfTenancy",
    "DonglePulled",
    "ElectricitySpec",
    "EmergencyCreditRequest",
    "GasSpec",
    "LinkDegrade",
    "LoadControl",
    "MeterSilent",
    "PaymentModeChange",
    "PriceChange",
    "Reporting",
    "Scenario",
    "ScenarioError",
    "SupplierMessage",
    "SupplyEnableRequest",
    "Tamper",
    "TimelineEvent",
    "TopUp",
    "list_scenarios",
    "load_scenario",
    "parse_duration",
    "scenario_path",
]

# Package data: an installed wheel carries them (see device_backend/resources.py).
SCENARIO_DIR = asset_path("device_backend.simulator", "scenarios")

ELECTRICITY_VARIANTS = ("single", "tou", "economy7", "export")
_TARIFF_KINDS_FOR_VARIANT = {
    "single": ("single", "block"),
    "tou": ("tou", "block", "block_tou"),
    "economy7": ("economy7",),
    "export": ("single", "tou", "economy7", "block"),
}
_SOURCES = {
    "esi": OriginatingDevice.ESI,
    "remote": OriginatingDevice.ESI,
    "meter": OriginatingDevice.METER,
    "ihd": OriginatingDevice.IHD,
    "ppmid": OriginatingDevice.IHD,
}
_IMPORTANCE = ("low", "medium", "high", "critical")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; names the file, the field and what is wrong."""

    def __init__(self, file: Path | str, field_path: str, reason: str) -> None:
        self.file = str(file)
        self.field = field_path
        self.reason = reason
        where = f"{self.file}: {field_path}" if field_path else self.file
        super().__init__(f"{where}: {reason}")


# --- durations ----------------------------------------------------------------------------------

# The one duration syntax of every command and file (device_backend.limits): "90s", "30m",
# "1.5h", "1d", "1h30m"; the loader keeps its own name for it so callers need not change.
_DURATION = re.compile(r"^\d[\d.dhms ]*$")


def parse_duration(text: str) -> timedelta:
    """ "10s", "30m", "1.5h", "1d", or combined like "1h30m" (at most ten years)."""
    return limits.parse_duration(text)


# --- the scenario -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TimelineEvent:
    """Something that happens at `at` (UTC); `index` is its place in the file's timeline."""

    at: datetime
    index: int
    kind: ClassVar[str] = ""


@dataclass(frozen=True, kw_only=True)
class PriceChange(TimelineEvent):
    """A new tariff announced at `at` that applies from `starts` (a future-dated change when
    later than `at`: the meter publishes it at once, with its start time)."""

    fuel: Fuel
    tariff: Tariff
    starts: datetime | None = None
    kind: ClassVar[str] = "price_change"

    @property
    def effective(self) -> datetime:
        return self.at if self.starts is None else self.starts


@dataclass(frozen=True, kw_only=True)
class SupplierMessage(TimelineEvent):
    fuel: Fuel  # which meter carries it
    message_id: int
    text: str
    confirmation_required: bool = False
    importance: str = "low"
    duration: timedelta | None = None  # None: until replaced
    kind: ClassVar[str] = "supplier_message"


@dataclass(frozen=True, kw_only=True)
class TopUp(TimelineEvent):
    """A top-up the scenario issues itself: `utrn` is a real code for the fuel's meter."""

    fuel: Fuel
    value_pence: int
    source: OriginatingDevice
    counter: int
    utrn: str
    kind: ClassVar[str] = "top_up"


@dataclass(frozen=True, kw_only=True)
class MeterSilent(TimelineEvent):
    fuel: Fuel
    duration: timedelta
    kind: ClassVar[str] = "meter_silent"


@dataclass(frozen=True, kw_only=True)
class LinkDegrade(TimelineEvent):
    device: str  # a geometry position name
    duration: timedelta
    extra_attenuation_db: float = 0.0
    rssi: int | None = None
    lqi: int | None = None
    kind: ClassVar[str] = "link_degrade"


@dataclass(frozen=True, kw_only=True)
class DonglePulled(TimelineEvent):
    duration: timedelta
    kind: ClassVar[str] = "dongle_pulled"


@dataclass(frozen=True, kw_only=True)
class LoadControl(TimelineEvent):
    """A DRLC event sent at `at`, switching `loads` off from `start` for `duration`."""

    event_id: int
    device_class: int
    loads: tuple[str, ...]
    start: datetime
    duration: timedelta
    criticality: int = 1
    kind: ClassVar[str] = "load_control"

    @property
    def end(self) -> datetime:
        return self.start + self.duration


@dataclass(frozen=True, kw_only=True)
class PaymentModeChange(TimelineEvent):
    fuel: Fuel
    mode: PaymentMode
    credit_pence: int | None = None
    kind: ClassVar[str] = "payment_mode_change"


@dataclass(frozen=True, kw_only=True)
class EmergencyCreditRequest(TimelineEvent):
    fuel: Fuel
    kind: ClassVar[str] = "select_emergency_credit"


@dataclass(frozen=True, kw_only=True)
class SupplyEnableRequest(TimelineEvent):
    fuel: Fuel
    kind: ClassVar[str] = "enable_supply"


@dataclass(frozen=True, kw_only=True)
class CalorificValueChange(TimelineEvent):
    calorific_value: Decimal
    conversion_factor: Decimal | None = None
    kind: ClassVar[str] = "cv_change"


@dataclass(frozen=True, kw_only=True)
class ChangeOfTenancy(TimelineEvent):
    """Device Management PublishChangeOfTenancy, sent at `at` for a move on `takes_effect`."""

    takes_effect: datetime
    clear_display_data: bool = True  # ProposedTenancyChangeControl bit 9, ClearIHDDataConsumer
    kind: ClassVar[str] = "change_of_tenancy"


@dataclass(frozen=True, kw_only=True)
class ChangeOfSupplier(TimelineEvent):
    """PublishChangeOfSupplier at `at`; the new supplier and its tariff from `takes_effect`."""

    supplier: str
    provider_id: int
    contact: str
    takes_effect: datetime
    tariff: Tariff | None = None
    kind: ClassVar[str] = "change_of_supplier"


@dataclass(frozen=True, kw_only=True)
class AlcsOverride(TimelineEvent):
    """The supplier holds an auxiliary load control switch on or off until `until`."""

    switch: int
    on: bool
    until: datetime | None
    kind: ClassVar[str] = "alcs_override"


@dataclass(frozen=True, kw_only=True)
class Tamper(TimelineEvent):
    """Someone opens the meter: logged in its security log (GBCS 0x8F3F)."""

    kind: ClassVar[str] = "tamper"


_E = TypeVar("_E", bound=TimelineEvent)


@dataclass(frozen=True, kw_only=True)
class Reporting:
    """How often meters report (seconds)."""

    electricity_demand_s: int = 10
    electricity_summation_s: int = 60
    gas_summation_s: int = 1800
    prepayment_s: int = 60


@dataclass(frozen=True, kw_only=True)
class ElectricitySpec:
    variant: str
    meter_id: str
    position: str
    tariff: Tariff
    payment: PrepaymentSettings
    export_tariff: Tariff | None = None

    @property
    def exports(self) -> bool:
        return self.variant == "export"


@dataclass(frozen=True, kw_only=True)
class GasSpec:
    meter_id: str
    position: str
    tariff: Tariff
    payment: PrepaymentSettings
    calorific_value: Decimal
    conversion_factor: Decimal
    battery: BatterySpec
    radio: RadioDuty


@dataclass(frozen=True, kw_only=True)
class Scenario:
    name: str
    description: str
    path: Path
    seed: int
    start: datetime
    duration: timedelta
    home: HouseholdProfile
    geometry: Geometry
    electricity: ElectricitySpec
    gas: GasSpec | None
    utrn_key: bytes = field(repr=False)
    first_utrn_counter: int
    ambient: AmbientThresholds
    reporting: Reporting
    timeline: tuple[TimelineEvent, ...]
    # The ESME's auxiliary load control switches and their calendar ([alcs]); none by default.
    alcs: tuple[AuxSwitch, ...] = ()

    # Builders: each call gives fresh, independent simulation objects.

    def household(self, *, apply_timeline: bool = True) -> Household:
        """The home's load model; load-control events from the timeline already applied."""
        household = Household(self.seed, self.home)
        if apply_timeline:
            for event in self.events(LoadControl):
                for load in event.loads:
                    household.control_load(load, event.start, event.end)
        return household

    def tariff_schedule(self, fuel: Fuel, *, apply_timeline: bool = True) -> TariffSchedule:
        spec = self._spec(fuel)
        schedule = TariffSchedule(spec.tariff)
        if apply_timeline:
            changes = [(e.effective, e.tariff) for e in self.events(PriceChange) if e.fuel is fuel]
            # A new supplier's tariff, from the day it takes over, in time order with the rest.
            switches = [
                (e.takes_effect, e.tariff)
                for e in self.events(ChangeOfSupplier)
                if e.tariff is not None and fuel is Fuel.ELECTRICITY
            ]
            if switches:
                changes = sorted(changes + switches, key=lambda c: c[0])
            for when, tariff in changes:
                schedule.change_at(when, tariff)
        return schedule

    def account(self, fuel: Fuel, *, apply_timeline: bool = True) -> PrepaymentAccount:
        spec = self._spec(fuel)
        return PrepaymentAccount(
            spec.payment,
            self.tariff_schedule(fuel, apply_timeline=apply_timeline),
            self.start,
            fuel=fuel,
            meter_id=spec.meter_id,
            utrn_key=self.utrn_key,
        )

    def electricity_meter(
        self, household: Household | None = None, account: PrepaymentAccount | None = None
    ) -> ElectricityMeter:
        return ElectricityMeter(
            household or self.household(),
            account or self.account(Fuel.ELECTRICITY),
            self.start,
            export=self.electricity.exports,
            ambient=self.ambient,
        )

    def gas_meter(
        self, household: Household | None = None, account: PrepaymentAccount | None = None
    ) -> GasMeter:
        if self.gas is None:
            raise ValueError(f"scenario {self.name!r} has no gas meter")
        battery = GasBattery(self.gas.battery, self.start, self.gas.radio)
        return GasMeter(
            household or self.household(),
            self.start,
            account=account or self.account(Fuel.GAS),
            calorific_value=self.gas.calorific_value,
            conversion_factor=self.gas.conversion_factor,
            battery=battery,
        )

    def link_model(self) -> LinkModel:
        """Links from geometry, with the timeline's link_degrade events already scheduled."""
        model = LinkModel(self.geometry, self.seed)
        for event in self.events(LinkDegrade):
            model.degrade(
                event.device,
                event.at,
                event.duration,
                extra_db=event.extra_attenuation_db,
                rssi=event.rssi,
                lqi=event.lqi,
            )
        return model

    def issue_top_up(self, fuel: Fuel, value_pence: int, counter: int) -> str:
        """A valid UTRN for this scenario's meter (e.g. for a test or a GUI 'buy credit')."""
        return issue_utrn(self.utrn_key, counter, value_pence, self._spec(fuel).meter_id)

    def events(self, kind: type[_E]) -> list[_E]:
        return [e for e in self.timeline if isinstance(e, kind)]

    def _spec(self, fuel: Fuel) -> ElectricitySpec | GasSpec:
        if fuel is Fuel.GAS:
            if self.gas is None:
                raise ValueError(f"scenario {self.name!r} has no gas meter")
            return self.gas
        return self.electricity


# --- reading TOML with paths in every error -------------------------------------------------------

T = TypeVar("T")


class _Table:
    """A TOML table being read: every key must be consumed, every error names its path."""

    def __init__(self, file: Path, data: dict[str, Any], path: str) -> None:
        self.file = file
        self.data = data
        self.path = path
        self.used: set[str] = set()

    def sub(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, reason: str) -> ScenarioError:
        return ScenarioError(self.file, self.sub(key) if key else self.path, reason)

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                raise self.fail(key, "is required but missing")
            return None
        return self.data[key]

    def get(
        self,
        key: str,
        convert: Callable[[Any], T],
        default: T | None = None,
        *,
        required: bool = False,
    ) -> T:
        value = self.raw(key, required and default is None)
        if value is None:
            return default  # type: ignore[return-value]
        try:
            return convert(value)
        except (ValueError, TypeError) as exc:
            raise self.fail(key, str(exc)) from None

    def table(self, key: str, *, required: bool = False) -> _Table | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, got {_describe(value)}")
        return _Table(self.file, value, self.sub(key))

    def tables(self, key: str) -> list[_Table]:
        value = self.raw(key, False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"expected an array of tables, got {_describe(value)}")
        return [_Table(self.file, v, f"{self.sub(key)}[{i}]") for i, v in enumerate(value)]

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(unknown[0], "is not a known setting here (misspelt?)")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return f"{value!r}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"{value!r}" if isinstance(value, int | Decimal) else type(value).__name__


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {_describe(value)}")
    return value


def _text(value: Any) -> str:
    text = _str(value).strip()
    if not text:
        raise ValueError("must not be empty")
    return text


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {_describe(value)}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {_describe(value)}")
    return value


def _ranged(
    lo: float | Decimal, hi: float | Decimal, convert: Callable[[Any], T], unit: str = ""
) -> Callable[[Any], T]:
    def check(value: Any) -> T:
        result = convert(value)
        if not lo <= result <= hi:  # type: ignore[operator]
            raise ValueError(f"must be between {lo} and {hi}{unit}, got {result}")
        return result

    return check


def _decimal(value: Any) -> Decimal:
    # tomllib is called with parse_float=Decimal, so 24.57 arrives exactly as written, and
    # TOML's nan and inf arrive as Decimal NaN and Infinity: refused here, once, for every field.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"expected a number, got {_describe(value)}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"expected a finite number, got {value}")
    number = Decimal(value)
    if abs(number) > _LARGEST_NUMBER:
        raise ValueError(f"must be at most {_LARGEST_NUMBER:,} in size, got {number:.3E}")
    return number


# Prices and standing charges are published as uint32 with 3 trailing digits (meters.py's
# PRICE_DIGITS; SE 1.4 PublishPrice), so this is the most a scenario's money field can carry.
PRICE_PLACES = 3
MOST_PENCE_PRICE = Decimal(0xFFFFFFFF).scaleb(-PRICE_PLACES)
_LARGEST_NUMBER = 10**12


def _money(value: Any) -> Decimal:
    amount = _decimal(value)
    if not 0 <= amount <= MOST_PENCE_PRICE:
        raise ValueError(
            f"must be between 0 and {MOST_PENCE_PRICE} (a uint32 price in pence with "
            f"{PRICE_PLACES} decimals), got {amount}"
        )
    if limits.places(amount) > PRICE_PLACES:
        raise ValueError(f"has more than {PRICE_PLACES} decimal places: {amount}")
    return amount


# Credit, debt and their limits end up in Prepayment attributes of int32 (CreditRemaining,
# CutOffValue, AccumulatedDebt...) and uint32, scaled as a GB meter scales them: pounds with
# five decimals, so 1p is 1000 on the air and int32 holds at most £21,474.83. The meter adds
# several of them together; £5,000 keeps four such sums inside int32 and is far beyond any real
# account (GBCS test data's maximum credit is £250).
MOST_PENCE = 500_000


def _pence(value: Any) -> int:
    amount = _int(value)
    if not 0 <= amount <= MOST_PENCE:
        raise ValueError(
            f"expected whole pence, not negative and at most {MOST_PENCE} (£5,000: the "
            f"meter's int32 credit attributes hold sums of these), got {amount}"
        )
    return amount


def _signed_pence(value: Any) -> int:
    amount = _int(value)
    if not -MOST_PENCE <= amount <= MOST_PENCE:
        raise ValueError(
            f"expected whole pence from {-MOST_PENCE} to {MOST_PENCE} (the int32 "
            f"CutOffValue, with room for the sums it takes part in), got {amount}"
        )
    return amount


def _float(value: Any) -> float:
    return float(_decimal(value))


def _duration(value: Any) -> timedelta:
    if not isinstance(value, str):
        raise TypeError(f"expected {limits.DURATION_HELP}, got {_describe(value)}")
    return limits.positive_duration(value)


def _seconds(value: Any) -> int:
    return int(_duration(value).total_seconds())


def _clock_range(value: Any) -> tuple[time, time]:
    return parse_clock_range(_str(value))


def _clock_ranges(value: Any) -> list[tuple[time, time]]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise TypeError(f"expected clock ranges like ['16:00-19:00'], got {_describe(value)}")
    return [_clock_range(v) for v in value]


def _datetime(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"expected a date-time like 2026-01-12T06:00:00Z, got {value!r}"
            ) from None
    if isinstance(value, datetime):
        # A time without an offset is read as UK local time, as a household would write it.
        try:
            moment = value.replace(tzinfo=LONDON) if value.tzinfo is None else value
            return limits.moment_in_calendar(moment.astimezone(UTC))
        except OverflowError:
            raise ValueError(f"{value} is outside the calendar") from None
    raise ValueError(f"expected a date-time like 2026-01-12T06:00:00Z, got {_describe(value)}")


def _fuel(value: Any) -> Fuel:
    text = _str(value)
    try:
        return Fuel(text)
    except ValueError:
        raise ValueError(f"expected 'electricity' or 'gas', got {text!r}") from None


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _str(value)
        if text not in options:
            raise ValueError(f"expected one of {', '.join(repr(o) for o in options)}, got {text!r}")
        return text

    return check


def _eui64(value: Any) -> str:
    text = _text(value)
    digits = "".join(c for c in text if c not in " -:")
    if len(digits) != 16 or not all(c in "0123456789abcdefABCDEF" for c in digits):
        raise ValueError(f"expected an EUI-64 like '00-1A-2B-3C-4D-5E-6F-70', got {text!r}")
    return "-".join(digits[i : i + 2].upper() for i in range(0, 16, 2))


def _hex_key(value: Any) -> bytes:
    text = _text(value).replace(" ", "")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ValueError("expected the key as hexadecimal digits") from None
    if len(key) not in (16, 32):
        raise ValueError(f"expected 32 or 64 hex digits (a 128 or 256-bit key), got {len(text)}")
    return key


# --- sections -----------------------------------------------------------------------------------


def _read_home(table: _Table | None) -> HouseholdProfile:
    if table is None:
        return HouseholdProfile()
    defaults = HouseholdProfile()
    kw = 50.0
    profile: dict[str, Any] = dict(
        occupants=table.get("occupants", _ranged(1, 8, _int), defaults.occupants),
        base_load_w=table.get("base_load_w", _ranged(0, 2000, _int), defaults.base_load_w),
        fridge_w=table.get("fridge_w", _ranged(0, 1000, _int), defaults.fridge_w),
        works_from_home=table.get("works_from_home", _bool, defaults.works_from_home),
        electric_shower_kw=table.get(
            "electric_shower_kw", _ranged(0, 15, _float, " kW"), defaults.electric_shower_kw
        ),
        gas_hob=table.get("gas_hob", _bool, defaults.gas_hob),
        gas_heating=table.get("gas_heating", _bool, defaults.gas_heating),
        gas_hot_water=table.get("gas_hot_water", _bool, defaults.gas_hot_water),
        boiler_kw=table.get("boiler_kw", _ranged(5, kw, _float, " kW"), defaults.boiler_kw),
        heating_kw=table.get("heating_kw", _ranged(0, 30, _float, " kW"), defaults.heating_kw),
        solar_kwp=table.get("solar_kwp", _ranged(0, 20, _float, " kWp"), defaults.solar_kwp),
        ev_charger_kw=table.get(
            "ev_charger_kw", _ranged(0, 22, _float, " kW"), defaults.ev_charger_kw
        ),
        storage_heater_kw=table.get(
            "storage_heater_kw", _ranged(0, 20, _float, " kW"), defaults.storage_heater_kw
        ),
        latitude=table.get("latitude", _ranged(49.5, 61, _float, " degrees"), defaults.latitude),
        longitude=table.get("longitude", _ranged(-8.5, 2, _float, " degrees"), defaults.longitude),
    )
    table.done()
    return HouseholdProfile(**profile)


def _read_geometry(table: _Table) -> Geometry:
    positions_table = table.table("positions", required=True)
    assert positions_table is not None
    positions: list[Position] = []
    for name in positions_table.data:
        entry = positions_table.table(name)
        assert entry is not None
        positions.append(
            Position(
                name=name,
                x=entry.get("x", _ranged(-500, 500, _float, " m"), required=True),
                y=entry.get("y", _ranged(-500, 500, _float, " m"), required=True),
                floor=entry.get("floor", _ranged(-5, 50, _int), 0),
            )
        )
        entry.done()
    if not positions:
        raise positions_table.fail("", "needs at least one named position")
    names = {p.name for p in positions}
    obstacles: list[Obstacle] = []
    for entry in table.tables("obstacles"):
        kind = entry.get("kind", _text, "wall")
        attenuation = entry.get("attenuation_db", _ranged(0, 100, _float, " dB"), required=True)
        between = entry.get("between", _pair_of_names(names), None)
        segment = entry.get("segment", _segment, None)
        floor = entry.get("floor", _int, None)
        if (between is None) == (segment is None):
            raise entry.fail(
                "",
                "needs exactly one of 'between' (two positions) or 'segment' (two [x, y] points)",
            )
        obstacles.append(
            Obstacle(
                kind=kind, attenuation_db=attenuation, between=between, segment=segment, floor=floor
            )
        )
        entry.done()
    geometry = Geometry(
        positions=tuple(positions),
        obstacles=tuple(obstacles),
        floor_height_m=table.get("floor_height_m", _ranged(2, 6, _float, " m"), 2.7),
        floor_attenuation_db=table.get("floor_attenuation_db", _ranged(0, 60, _float, " dB"), 14.0),
        path_loss_exponent=table.get("path_loss_exponent", _ranged(1.6, 6, _float), 2.2),
        tx_power_dbm=table.get("tx_power_dbm", _ranged(-20, 20, _float, " dBm"), 3.0),
    )
    table.done()
    return geometry


def _pair_of_names(names: set[str]) -> Callable[[Any], tuple[str, str]]:
    def check(value: Any) -> tuple[str, str]:
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, str) for v in value)
        ):
            raise ValueError(
                f"expected two position names like ['esme', 'gsme'], got {_describe(value)}"
            )
        for name in value:
            if name not in names:
                raise ValueError(f"{name!r} is not a position; known: {', '.join(sorted(names))}")
        return value[0], value[1]

    return check


def _segment(value: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(p, list) and len(p) == 2 for p in value)
    )
    if not ok:
        raise ValueError(
            f"expected two [x, y] points like [[0, 0], [5, 0]], got {_describe(value)}"
        )
    (ax, ay), (bx, by) = ((_float(x), _float(y)) for x, y in value)
    return (ax, ay), (bx, by)


def _read_tariff(table: _Table) -> Tariff:
    kind = table.get(
        "kind", _choice(("single", "tou", "economy7", "block", "block_tou")), required=True
    )
    common: dict[str, Any] = {
        "label": table.get("label", _ranged_text(24), required=True),
        "standing_charge_pence_per_day": table.get("standing_charge", _money, required=True),
        "includes_vat": table.get("includes_vat", _bool, True),
    }
    try:
        if kind == "single":
            tariff: Tariff = SingleRateTariff(
                pence_per_kwh=table.get("price", _money, required=True),
                tier_label=table.get("tier_label", _ranged_text(12), "Standard"),
                **common,
            )
        elif kind == "economy7":
            night = table.get("night", _str, "00:30-07:30")
            table.get("night", _clock_range, None)  # validates the text with its path
            tariff = economy7(
                day_pence_per_kwh=table.get("day_price", _money, required=True),
                night_pence_per_kwh=table.get("night_price", _money, required=True),
                night=night,
                utc_clock=table.get("utc_clock", _bool, False),
                standing_charge_pence_per_day=common["standing_charge_pence_per_day"],
                label=common["label"],
                includes_vat=common["includes_vat"],
            )
        elif kind == "tou":
            tariff = _read_tou(table, common)
        elif kind == "block_tou":
            tariff = _read_block_tou(table, common)
        else:
            tariff = _read_block(table, common)
    except ValueError as exc:
        if isinstance(exc, ScenarioError):
            raise
        raise table.fail("", str(exc)) from None
    table.done()
    return tariff


def _ranged_text(octets: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _text(value)
        if len(text.encode("utf-8")) > octets:
            raise ValueError(
                f"must be at most {octets} characters (a ZSE label limit), got {text!r}"
            )
        return text

    return check


def _read_tou(
    table: _Table, common: dict[str, Any], *, block_prices: dict[int, list[Decimal]] | None = None
) -> TimeOfUseTariff:
    tiers: list[Tier] = []
    bands: list[TimeBand] = []
    weekend: list[TimeBand] = []
    any_weekend = False
    entries = table.tables("tiers")
    if not entries:
        raise table.fail("tiers", "a time-of-use tariff needs at least two tiers")
    if len(entries) > MOST_TOU_TIERS:
        raise table.fail(
            "tiers", f"a GB meter holds at most {MOST_TOU_TIERS} prices, got {len(entries)}"
        )
    for entry in entries:
        number = entry.get("tier", _ranged(1, 48, _int), required=True)
        if block_prices is not None:
            row = entry.get("prices", _money_list, required=True)
            block_prices[number] = row
            price = row[0]
        else:
            price = entry.get("price", _money, required=True)
        tiers.append(
            Tier(
                tier=number,
                label=entry.get("label", _ranged_text(12), required=True),
                pence_per_kwh=price,
            )
        )
        for start, end in entry.get("bands", _clock_ranges, None) or []:
            bands.append(TimeBand(start=start, end=end, tier=number))
        if entry.has("weekend_bands"):
            any_weekend = True
            for start, end in entry.get("weekend_bands", _clock_ranges, None) or []:
                weekend.append(TimeBand(start=start, end=end, tier=number))
        entry.done()
    numbers = [t.tier for t in tiers]
    if len(set(numbers)) != len(numbers):
        raise table.fail("tiers", f"tier numbers must be unique, got {numbers}")
    calendar_table = table.table("calendar")
    calendar = None
    if calendar_table is not None:
        if bands or any_weekend:
            raise calendar_table.fail(
                "", "give the tiers' bands or a calendar, not both (a calendar says when)"
            )
        calendar = _read_calendar(calendar_table, common["label"], set(numbers))
    default = table.get("default_tier", _int, None if calendar is None else numbers[0])
    if default is None:
        raise table.fail("default_tier", "is required but missing")
    if default not in numbers:
        raise table.fail("default_tier", f"must be one of the tiers {numbers}, got {default}")
    return TimeOfUseTariff(
        tier_list=tuple(tiers),
        bands=tuple(bands),
        default_tier=default,
        weekend_bands=tuple(weekend) if any_weekend else None,
        utc_clock=table.get("utc_clock", _bool, False),
        calendar=calendar,
        **common,
    )


# GB limits (SMETS2 section 5.13): 48 time-of-use prices; block tariffs of up to 4 prices per
# block set with 3 thresholds between them.
MOST_TOU_TIERS = 48
MOST_BLOCKS = 4
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _money_list(value: Any) -> list[Decimal]:
    if not isinstance(value, list) or not value:
        raise TypeError(f"expected a list of prices like [24.5, 30.1], got {_describe(value)}")
    if len(value) > MOST_BLOCKS:
        raise ValueError(f"a GB block set has at most {MOST_BLOCKS} prices, got {len(value)}")
    return [_money(v) for v in value]


def _month_day(value: Any) -> tuple[int, int]:
    text = _str(value).strip()
    parts = text.split("-")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"expected a month and day like '04-01' (every year), got {text!r}")
    month, day = int(parts[0]), int(parts[1])
    try:
        date(2024, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the year") from None
    return month, day


def _day_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date like 2026-12-24, got {_describe(value)}")


def _switches(tiers: set[int]) -> Callable[[Any], tuple[tuple[int, int], ...]]:
    def check(value: Any) -> tuple[tuple[int, int], ...]:
        if not isinstance(value, dict) or not value:
            raise TypeError(
                'expected switch times and tiers like { "00:00" = 1, "16:00" = 3 }, got '
                f"{_describe(value)}"
            )
        out = []
        for clock, tier in value.items():
            start, _ = parse_clock_range(f"{clock}-{clock}")
            number = _int(tier)
            if number not in tiers:
                raise ValueError(f"{clock} switches to tier {number}, not one of {sorted(tiers)}")
            out.append((start.hour * 60 + start.minute, number))
        out.sort()
        if out[0][0] != 0:
            raise ValueError("the first switch must be at 00:00 (which tier starts the day)")
        return tuple(out)

    return check


def _read_calendar(table: _Table, label: str, tiers: set[int]) -> TouCalendar:
    """Day profiles, week profiles, seasons and special days, each named by the others."""
    days: dict[str, DayProfile] = {}
    for entry in table.tables("day"):
        name = entry.get("name", _ranged_text(12), required=True)
        if name in days:
            raise entry.fail("name", f"day profile {name!r} is given twice")
        days[name] = DayProfile(
            day_id=len(days) + 1,
            name=name,
            switches=entry.get("switches", _switches(tiers), required=True),
        )
        entry.done()
    if not days:
        raise table.fail("day", "a calendar needs at least one day profile ([[...calendar.day]])")

    def day_ref(value: Any) -> int:
        text = _str(value)
        if text not in days:
            raise ValueError(f"names day profile {text!r}; the calendar has {sorted(days)}")
        return days[text].day_id

    weeks: dict[str, WeekProfile] = {}
    for entry in table.tables("week"):
        name = entry.get("name", _ranged_text(12), required=True)
        if name in weeks:
            raise entry.fail("name", f"week profile {name!r} is given twice")
        ids = tuple(entry.get(day, day_ref, required=True) for day in _WEEKDAYS)
        weeks[name] = WeekProfile(week_id=len(weeks) + 1, name=name, day_ids=ids)
        entry.done()
    if not weeks:  # every day the first day profile
        first = next(iter(days.values()))
        weeks["all"] = WeekProfile(week_id=1, name="all", day_ids=(first.day_id,) * 7)

    def week_ref(value: Any) -> int:
        text = _str(value)
        if text not in weeks:
            raise ValueError(f"names week profile {text!r}; the calendar has {sorted(weeks)}")
        return weeks[text].week_id

    seasons = []
    for entry in table.tables("season"):
        month, day = entry.get("starts", _month_day, required=True)
        seasons.append(
            Season(month=month, day=day, week_id=entry.get("week", week_ref, required=True))
        )
        entry.done()
    if not seasons:
        seasons.append(Season(month=1, day=1, week_id=next(iter(weeks.values())).week_id))
    special = []
    for entry in table.tables("special_day"):
        special.append(
            SpecialDay(
                day=entry.get("date", _day_date, required=True),
                day_id=entry.get("day", day_ref, required=True),
            )
        )
        entry.done()
    try:
        calendar = TouCalendar(
            name=table.get("name", _ranged_text(12), label.encode()[:12].decode("utf-8", "ignore")),
            day_profiles=tuple(days.values()),
            week_profiles=tuple(weeks.values()),
            seasons=tuple(seasons),
            special_days=tuple(special),
            bank_holiday_day_id=table.get("bank_holidays", day_ref, None),
        )
    except ValueError as exc:
        raise table.fail("", str(exc)) from None
    table.done()
    return calendar


def _read_block_tou(table: _Table, common: dict[str, Any]) -> BlockTouTariff:
    prices: dict[int, list[Decimal]] = {}
    tou = _read_tou(table, common, block_prices=prices)
    thresholds = table.get("thresholds_kwh", _thresholds, required=True)
    for number, row in prices.items():
        if len(row) != len(thresholds) + 1:
            raise table.fail(
                "tiers",
                f"tier {number} has {len(row)} block prices; {len(thresholds)} thresholds need "
                f"{len(thresholds) + 1}",
            )
    return BlockTouTariff(
        tou=tou,
        thresholds_kwh=thresholds,
        block_prices=tuple((n, tuple(r)) for n, r in sorted(prices.items())),
        period=table.get("period", _choice(tuple(sorted(BLOCK_PERIODS))), "month"),
        **common,
    )


def _thresholds(value: Any) -> tuple[Decimal, ...]:
    if not isinstance(value, list) or not value:
        raise TypeError(
            f"expected thresholds in kWh like [1000, 2000, 3000], got {_describe(value)}"
        )
    if len(value) > MOST_BLOCKS - 1:
        raise ValueError(
            f"a GB block set has at most {MOST_BLOCKS - 1} thresholds, got {len(value)}"
        )
    out = tuple(_money(v) for v in value)
    if any(b <= a for a, b in itertools.pairwise(out)) or out[0] <= 0:
        raise ValueError(f"thresholds must be above zero and increase, got {list(out)}")
    return out


def _read_block(table: _Table, common: dict[str, Any]) -> BlockTariff:
    blocks: list[Block] = []
    entries = table.tables("blocks")
    if not entries:
        raise table.fail("blocks", "a block tariff needs at least one block")
    if len(entries) > MOST_BLOCKS:
        raise table.fail(
            "blocks", f"a GB block set has at most {MOST_BLOCKS} prices, got {len(entries)}"
        )
    for i, entry in enumerate(entries):
        last = i == len(entries) - 1
        up_to = entry.get("up_to_kwh", _money, None)
        if last and up_to is not None:
            raise entry.fail("up_to_kwh", "the last block is open-ended: leave up_to_kwh out")
        if not last and up_to is None:
            raise entry.fail("up_to_kwh", "is required on every block but the last")
        blocks.append(
            Block(
                label=entry.get("label", _ranged_text(12), f"Block {i + 1}"),
                pence_per_kwh=entry.get("price", _money, required=True),
                up_to_kwh=up_to,
            )
        )
        entry.done()
    return BlockTariff(
        blocks=tuple(blocks),
        period=table.get("period", _choice(tuple(sorted(BLOCK_PERIODS))), "month"),
        **common,
    )


_PAYMENT_KEYS = {
    "start_credit_pence": ("start_credit_pence", _pence),
    "emergency_credit_limit_pence": ("emergency_credit_limit_pence", _pence),
    "emergency_credit_threshold_pence": ("emergency_credit_threshold_pence", _pence),
    "low_credit_level_pence": ("low_credit_level_pence", _pence),
    "max_credit_pence": ("max_credit_pence", _pence),
    "max_top_up_pence": ("max_top_up_pence", _pence),
    "cut_off_pence": ("cut_off_pence", _signed_pence),
    "accumulated_debt_pence": ("accumulated_debt_pence", _pence),
    "debt_pence": ("debt_pence", _pence),
    "debt_recovery_pence_per_day": ("debt_recovery_pence_per_day", _money),
    "debt2_pence": ("debt2_pence", _pence),
    "debt2_recovery_pence_per_day": ("debt2_recovery_pence_per_day", _money),
    "payment_debt_pence": ("payment_debt_pence", _pence),
    "payment_debt_recovery_percent": ("payment_debt_recovery_percent", _money),
    "debt_recovery_cap_pence_per_day": ("debt_recovery_cap_pence_per_day", _money),
    "suspend_debt_recovery_in_emergency": ("suspend_debt_recovery_in_emergency", _bool),
    "utrn_counter_cache": ("utrn_counter_cache", _ranged(1, 512, _int)),
    "keypad_lock_after": ("keypad_lock_after", _ranged(0, 100, _int)),
}


def _read_payment_values(table: _Table, base: dict[str, Any]) -> dict[str, Any]:
    values = dict(base)
    if table.has("mode"):
        values["mode"] = PaymentMode(table.get("mode", _choice(("credit", "prepayment"))))
    for key, (name, convert) in _PAYMENT_KEYS.items():
        if table.has(key):
            values[name] = table.get(key, convert)
    friendly = table.table("friendly_credit")
    if friendly is not None:
        values["friendly_credit"] = FriendlyCredit(
            enabled=friendly.get("enabled", _bool, True),
            windows=tuple(friendly.get("windows", _clock_ranges, [])),
            weekends=friendly.get("weekends", _bool, False),
            bank_holidays=friendly.get("bank_holidays", _bool, False),
        )
        friendly.done()
    return values


def _read_payment(table: _Table | None, has_gas: bool) -> dict[Fuel, PrepaymentSettings]:
    if table is None:
        return {Fuel.ELECTRICITY: PrepaymentSettings(), Fuel.GAS: PrepaymentSettings()}
    per_fuel = {fuel: table.table(fuel.value) for fuel in Fuel}
    base = _read_payment_values(table, {})
    out: dict[Fuel, PrepaymentSettings] = {}
    for fuel, sub in per_fuel.items():
        values = _read_payment_values(sub, base) if sub is not None else base
        if sub is not None:
            sub.done()
            if fuel is Fuel.GAS and not has_gas:
                raise sub.fail("", "this scenario has no gas meter")
        where = sub if sub is not None else table
        try:
            settings = PrepaymentSettings(**values)
        except ValueError as exc:
            raise where.fail("", str(exc)) from None
        if settings.emergency_credit_threshold_pence > settings.max_credit_pence:
            raise where.fail("emergency_credit_threshold_pence", "must not exceed max_credit_pence")
        if settings.start_credit_pence > settings.max_credit_pence:
            raise where.fail("start_credit_pence", "must not exceed max_credit_pence")
        out[fuel] = settings
    table.done()
    return out


def _half_hour_divisor(value: Any) -> int:
    seconds = _seconds(value)
    if seconds > 1800 or 1800 % seconds:
        raise ValueError(f"must divide 30 minutes exactly (e.g. 10s, 1m, 5m), got {value!r}")
    return seconds


def _read_reporting(table: _Table | None) -> Reporting:
    if table is None:
        return Reporting()
    defaults = Reporting()
    seconds = _ranged(1, 86_400, _seconds, " s")
    result = Reporting(
        # The home steps its physics at this interval, so it must divide the half hour the
        # meter's profile and history are kept in.
        electricity_demand_s=table.get(
            "electricity_demand", _half_hour_divisor, defaults.electricity_demand_s
        ),
        electricity_summation_s=table.get(
            "electricity_summation", seconds, defaults.electricity_summation_s
        ),
        gas_summation_s=table.get("gas_summation", seconds, defaults.gas_summation_s),
        prepayment_s=table.get("prepayment", seconds, defaults.prepayment_s),
    )
    table.done()
    return result


def _read_ambient(table: _Table | None) -> AmbientThresholds:
    if table is None:
        return AmbientThresholds()
    low = table.get("low_medium_w", _ranged(1, 100_000, _int), 1000)
    high = table.get("medium_high_w", _ranged(1, 100_000, _int), 3000)
    if high <= low:
        raise table.fail("medium_high_w", f"must be above low_medium_w ({low} W), got {high}")
    table.done()
    return AmbientThresholds(low_medium_w=low, medium_high_w=high)


# --- timeline -----------------------------------------------------------------------------------


class _Timeline:
    def __init__(
        self,
        file: Path,
        start: datetime,
        positions: set[str],
        has_gas: bool,
        variant: str,
        key: bytes,
        first_counter: int,
        meter_ids: dict[Fuel, str],
    ) -> None:
        self.file = file
        self.start = start
        self.positions = positions
        self.has_gas = has_gas
        self.variant = variant
        self.key = key
        self.meter_ids = meter_ids
        self.counters = dict.fromkeys(Fuel, first_counter)
        self.load_event_ids = 1

    def at(self, value: Any) -> datetime:
        if (
            isinstance(value, str)
            and _DURATION.match(value.strip().lstrip("+"))
            and value.strip("+ ")
        ):
            return limits.moment_in_calendar(self.start + parse_duration(value.strip().lstrip("+")))
        if isinstance(value, str) and not _looks_like_datetime(value):
            raise ValueError(
                f"expected an offset like '+30m' or '2h', or a date-time like "
                f"2026-01-12T18:00:00Z, got {value!r}"
            )
        moment = _datetime(value)
        if moment < self.start:
            raise ValueError(
                f"{moment.isoformat()} is before the scenario start {self.start.isoformat()}"
            )
        return moment

    def fuel(self, entry: _Table, default: Fuel = Fuel.ELECTRICITY) -> Fuel:
        fuel = entry.get("fuel", _fuel, default)
        if fuel is Fuel.GAS and not self.has_gas:
            raise entry.fail("fuel", "this scenario has no gas meter")
        return fuel

    def read(self, entry: _Table, index: int) -> TimelineEvent:
        kind = entry.get("type", _choice(tuple(_EVENT_KINDS)), required=True)
        at = entry.get("at", self.at, required=True)
        base = {"at": at, "index": index}
        reader: Callable[[_Table, dict[str, Any]], TimelineEvent] = getattr(self, f"_{kind}")
        event = reader(entry, base)
        entry.done()
        return event

    def _price_change(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        fuel = self.fuel(entry)
        table = entry.table("tariff", required=True)
        assert table is not None
        tariff = _read_tariff(table)
        if fuel is Fuel.ELECTRICITY:
            _check_variant(table, self.variant, tariff)
        starts = entry.get("starts", self.at, None)
        if starts is not None and starts < base["at"]:
            raise entry.fail("starts", "a tariff cannot start before it is announced (at)")
        return PriceChange(fuel=fuel, tariff=tariff, starts=starts, **base)

    def _supplier_message(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        text = entry.get("text", _ranged_text(116), required=True)
        # GCS07 uses the UTC time as the message id; a file may give its own.
        default_id = int((base["at"] - datetime(2000, 1, 1, tzinfo=UTC)).total_seconds())
        return SupplierMessage(
            fuel=self.fuel(entry),
            text=text,
            message_id=entry.get("id", _ranged(0, 0xFFFFFFFF, _int), default_id),
            confirmation_required=entry.get("confirmation_required", _bool, False),
            importance=entry.get("importance", _choice(_IMPORTANCE), "low"),
            duration=entry.get("duration", _duration, None),
            **base,
        )

    def _top_up(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        fuel = self.fuel(entry)
        if entry.has("pounds") == entry.has("pence"):
            raise entry.fail("", "give the amount as exactly one of 'pounds' or 'pence'")
        if entry.has("pounds"):
            pounds = entry.get("pounds", _money)
            if pounds != pounds.quantize(Decimal("0.01")):
                raise entry.fail("pounds", f"must be whole pence, got {pounds}")
            value = int(pounds * 100)
        else:
            value = entry.get("pence", _pence)
        if value <= 0:
            raise entry.fail("pounds" if entry.has("pounds") else "pence", "must be more than zero")
        source = entry.get("source", _choice(tuple(_SOURCES)), "esi")
        counter = self.counters[fuel]
        try:
            utrn = issue_utrn(self.key, counter, value, self.meter_ids[fuel])
        except ValueError as exc:
            raise entry.fail("pounds" if entry.has("pounds") else "pence", str(exc)) from None
        self.counters[fuel] = counter + 1
        return TopUp(
            fuel=fuel,
            value_pence=value,
            source=_SOURCES[source],
            counter=counter,
            utrn=utrn,
            **base,
        )

    def _meter_silent(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        return MeterSilent(
            fuel=self.fuel(entry), duration=entry.get("duration", _duration, required=True), **base
        )

    def _link_degrade(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        device = entry.get("device", _text, required=True)
        if device not in self.positions:
            raise entry.fail(
                "device",
                f"{device!r} is not a position; known: {', '.join(sorted(self.positions))}",
            )
        extra = entry.get("extra_attenuation_db", _ranged(0, 100, _float, " dB"), 0.0)
        rssi = entry.get("rssi", _ranged(-110, 10, _int, " dBm"), None)
        lqi = entry.get("lqi", _ranged(0, 255, _int), None)
        if not extra and rssi is None and lqi is None:
            raise entry.fail("", "needs at least one of extra_attenuation_db, rssi or lqi")
        return LinkDegrade(
            device=device,
            duration=entry.get("duration", _duration, required=True),
            extra_attenuation_db=extra,
            rssi=rssi,
            lqi=lqi,
            **base,
        )

    def _dongle_pulled(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        return DonglePulled(duration=entry.get("duration", _duration, required=True), **base)

    def _load_control(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        if entry.has("load") == entry.has("device_class"):
            raise entry.fail(
                "", "name the load (e.g. 'ev') or give a DRLC device_class bitmap, not both"
            )
        loads: tuple[str, ...]
        if entry.has("load"):
            load = entry.get("load", _choice(tuple(sorted(CONTROLLABLE_LOADS))))
            bit = next(b for b, names in DEVICE_CLASS_LOADS.items() if load in names)
            device_class, loads = 1 << bit, (load,)
        else:
            device_class = entry.get("device_class", _ranged(1, 0xFFFF, _int))
            loads = loads_for_device_class(device_class)
            if not loads:
                raise entry.fail(
                    "device_class", f"bitmap {device_class:#06x} switches no modelled load"
                )
        start = entry.get("start", self.at, base["at"])
        if start < base["at"]:
            raise entry.fail("start", "must not be before the event is sent ('at')")
        event_id = entry.get("event_id", _ranged(0, 0xFFFFFFFF, _int), self.load_event_ids)
        self.load_event_ids = max(self.load_event_ids, event_id) + 1
        return LoadControl(
            event_id=event_id,
            device_class=device_class,
            loads=loads,
            start=start,
            duration=entry.get("duration", _duration, required=True),
            criticality=entry.get("criticality", _ranged(1, 15, _int), 1),
            **base,
        )

    def _payment_mode_change(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        return PaymentModeChange(
            fuel=self.fuel(entry),
            mode=PaymentMode(entry.get("mode", _choice(("credit", "prepayment")), required=True)),
            credit_pence=entry.get("credit_pence", _pence, None),
            **base,
        )

    def _select_emergency_credit(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        return EmergencyCreditRequest(fuel=self.fuel(entry), **base)

    def _enable_supply(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        return SupplyEnableRequest(fuel=self.fuel(entry), **base)

    def _cv_change(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        if not self.has_gas:
            raise entry.fail("type", "this scenario has no gas meter")
        return CalorificValueChange(
            calorific_value=entry.get(
                "calorific_value",
                _ranged(Decimal(30), Decimal(50), _decimal, " MJ/m3"),
                required=True,
            ),
            conversion_factor=entry.get(
                "conversion_factor", _ranged(Decimal("0.95"), Decimal("1.05"), _decimal), None
            ),
            **base,
        )

    def _change_of_tenancy(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        takes_effect = entry.get("takes_effect", self.at, base["at"])
        if takes_effect < base["at"]:
            raise entry.fail("takes_effect", "must not be before the change is published ('at')")
        return ChangeOfTenancy(
            takes_effect=takes_effect,
            clear_display_data=entry.get("clear_display_data", _bool, True),
            **base,
        )

    def _change_of_supplier(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        takes_effect = entry.get("takes_effect", self.at, base["at"])
        if takes_effect < base["at"]:
            raise entry.fail("takes_effect", "must not be before the change is published ('at')")
        table = entry.table("tariff")
        tariff = None
        if table is not None:
            tariff = _read_tariff(table)
            _check_variant(table, self.variant, tariff)
        return ChangeOfSupplier(
            # SE 1.4 D.10: ProposedProviderName 16 octets, contact details 19.
            supplier=entry.get("supplier", _ranged_text(16), required=True),
            provider_id=entry.get("provider_id", _ranged(1, 0xFFFFFFFF, _int), 0x00000827),
            contact=entry.get("contact", _ranged_text(19), ""),
            takes_effect=takes_effect,
            tariff=tariff,
            **base,
        )

    def _alcs_override(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        until = entry.get("until", self.at, None)
        if until is not None and until <= base["at"]:
            raise entry.fail("until", "must be after the override starts ('at')")
        state = entry.get("state", _choice(("on", "off")), required=True)
        return AlcsOverride(
            switch=entry.get("switch", _ranged(1, MAX_SWITCHES, _int), 1),
            on=state == "on",
            until=until,
            **base,
        )

    def _tamper(self, entry: _Table, base: dict[str, Any]) -> TimelineEvent:
        return Tamper(**base)


_EVENT_KINDS = (
    "price_change",
    "supplier_message",
    "top_up",
    "meter_silent",
    "link_degrade",
    "dongle_pulled",
    "load_control",
    "payment_mode_change",
    "select_emergency_credit",
    "enable_supply",
    "cv_change",
    "change_of_tenancy",
    "change_of_supplier",
    "tamper",
    "alcs_override",
)


def _looks_like_datetime(text: str) -> bool:
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text.strip()))


def _check_variant(table: _Table, variant: str, tariff: Tariff) -> None:
    kinds = _TARIFF_KINDS_FOR_VARIANT[variant]
    if tariff.scheme not in kinds:
        raise table.fail(
            "kind",
            f"a {variant!r} electricity meter needs a "
            f"{' or '.join(repr(k) for k in kinds)} tariff, got {tariff.scheme!r}",
        )


# --- loading ------------------------------------------------------------------------------------


def scenario_path(name_or_path: str | Path) -> Path:
    """The file a scenario name ("economy7") or path stands for (it may not exist)."""
    text = str(name_or_path)
    candidate = Path(text)
    if candidate.suffix == ".toml" or "/" in text or "\\" in text or candidate.exists():
        return candidate
    return SCENARIO_DIR / f"{text}.toml"


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A shipped scenario by name ("economy7") or any TOML file by path, fully validated."""
    path = scenario_path(name_or_path)
    if not path.is_file():
        known = ", ".join(name for name, _ in list_scenarios())
        if not known:
            raise ScenarioError(
                path,
                "",
                f"no such scenario file, and no shipped scenarios in {SCENARIO_DIR}: "
                "the installation is incomplete (reinstall gb-smart-ihd)",
            )
        raise ScenarioError(path, "", f"no such scenario file (shipped scenarios: {known})")
    try:
        data = read_toml(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "", f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(path, "", f"cannot be read: {exc}") from None
    except ValueError as exc:
        raise ScenarioError(path, "", str(exc)) from None
    return _parse(path, data)


MAX_NESTING = 8  # a scenario's deepest value is a table in an array in a table: 4 levels
MAX_FILE_CHARS = 1_000_000


def read_toml(text: str, **options: Any) -> dict[str, Any]:
    """tomllib, with the nesting and size a scenario can need; ValueError past them.

    tomllib parses nested arrays and inline tables recursively: 100,000 `[` would end in a
    RecursionError (or a crash), so the depth is counted before parsing, as brackets outside
    strings and comments, and the file's size is bounded.
    """
    if len(text) > MAX_FILE_CHARS:
        raise ValueError(f"is longer than {MAX_FILE_CHARS:,} characters: not a scenario")
    if _deepest(text) > MAX_NESTING:
        raise ValueError(f"nests arrays or tables more than {MAX_NESTING} deep")
    try:
        return tomllib.loads(text, **options)
    except RecursionError:
        raise ValueError(f"nests arrays or tables more than {MAX_NESTING} deep") from None


def _deepest(text: str) -> int:
    """How deep [ and { nest in values (strings and comments skipped); headers count 1-2."""
    depth = deepest = 0
    quote = ""
    i = 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\" and quote in ('"', '"""'):
                i += 2
                continue
            if text.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
        elif char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            i += len(quote)
            continue
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
        i += 1
    return deepest


def _parse(path: Path, data: dict[str, Any]) -> Scenario:
    root = _Table(path, data, "")
    head = root.table("scenario", required=True)
    assert head is not None
    name = head.get("name", _text, path.stem)
    description = head.get("description", _text, required=True)
    if "\n" in description:
        raise head.fail("description", "must be one line")
    seed = head.get("seed", _ranged(0, 2**63 - 1, _int), required=True)
    start = head.get("start", _datetime, required=True)
    duration = head.get("duration", _duration, timedelta(days=7))
    head.done()

    home = _read_home(root.table("home"))
    geometry_table = root.table("geometry", required=True)
    assert geometry_table is not None
    geometry = _read_geometry(geometry_table)
    positions = {p.name for p in geometry.positions}

    meters = root.table("meters", required=True)
    assert meters is not None
    elec = meters.table("electricity", required=True)
    assert elec is not None
    gas_table = meters.table("gas")
    has_gas = gas_table is not None and gas_table.get("present", _bool, True)

    def position(table: _Table) -> str:
        name = table.get("position", _text, required=True)
        if name not in positions:
            raise table.fail(
                "position", f"{name!r} is not a position; known: {', '.join(sorted(positions))}"
            )
        return name

    tariffs = root.table("tariffs", required=True)
    assert tariffs is not None
    elec_tariff_table = tariffs.table("electricity", required=True)
    assert elec_tariff_table is not None
    electricity_tariff = _read_tariff(elec_tariff_table)
    export_table = tariffs.table("export")
    export_tariff = _read_tariff(export_table) if export_table is not None else None
    gas_tariff_table = tariffs.table("gas")
    if has_gas and gas_tariff_table is None:
        raise tariffs.fail("gas", "is required when the home has a gas meter")
    if not has_gas and gas_tariff_table is not None:
        raise tariffs.fail("gas", "given, but meters.gas is absent or not present")
    gas_tariff = _read_tariff(gas_tariff_table) if gas_tariff_table is not None else None
    if gas_tariff is not None and gas_tariff.scheme not in ("single", "block", "tou"):
        assert gas_tariff_table is not None  # a tariff was read from it
        raise gas_tariff_table.fail(
            "kind",
            f"a gas meter takes a single, block or tou tariff, got {gas_tariff.scheme!r}",
        )
    tariffs.done()

    variant = elec.get("variant", _choice(ELECTRICITY_VARIANTS), required=True)
    _check_variant(elec_tariff_table, variant, electricity_tariff)
    if export_tariff is not None and variant != "export":
        raise ScenarioError(
            path, "tariffs.export", "an export tariff needs meters.electricity.variant = 'export'"
        )
    payment = _read_payment(root.table("payment"), has_gas)
    electricity = ElectricitySpec(
        variant=variant,
        meter_id=elec.get("meter_id", _eui64, required=True),
        position=position(elec),
        tariff=electricity_tariff,
        payment=payment[Fuel.ELECTRICITY],
        export_tariff=export_tariff,
    )
    elec.done()

    reporting = _read_reporting(root.table("reporting"))
    gas: GasSpec | None = None
    if gas_table is not None and has_gas:
        assert gas_tariff is not None
        battery_table = gas_table.table("battery")
        battery = BatterySpec()
        if battery_table is not None:
            try:
                battery = BatterySpec(
                    capacity_mah=battery_table.get(
                        "capacity_mah", _ranged(100, 100_000, _int), 8500
                    ),
                    sleep_current_ua=battery_table.get(
                        "sleep_current_ua", _ranged(0, 1000, _decimal, " µA"), Decimal(12)
                    ),
                    used_at_start_mah=battery_table.get("used_at_start_mah", _pence, 0),
                    design_life_years=battery_table.get(
                        "design_life_years", _ranged(1, 30, _int), 15
                    ),
                )
            except ValueError as exc:
                raise battery_table.fail("", str(exc)) from None
            battery_table.done()
        radio_table = gas_table.table("radio")
        poll_s = 120
        replies = 1
        if radio_table is not None:
            poll_s = radio_table.get("poll_interval", _ranged(1, 86_400, _seconds, " s"), poll_s)
            replies = radio_table.get("replies_per_report", _ranged(0, 20, _int), replies)
            radio_table.done()
        gas = GasSpec(
            meter_id=gas_table.get("meter_id", _eui64, required=True),
            position=position(gas_table),
            tariff=gas_tariff,
            payment=payment[Fuel.GAS],
            calorific_value=gas_table.get(
                "calorific_value",
                _ranged(Decimal(30), Decimal(50), _decimal, " MJ/m3"),
                Decimal("39.5"),
            ),
            conversion_factor=gas_table.get(
                "conversion_factor",
                _ranged(Decimal("0.95"), Decimal("1.05"), _decimal),
                Decimal("1.02264"),
            ),
            battery=battery,
            radio=RadioDuty(
                poll_interval_s=poll_s,
                report_interval_s=reporting.gas_summation_s,
                replies_per_report=replies,
            ),
        )
    if gas_table is not None:
        gas_table.done()
    meters.done()

    utrn = root.table("utrn", required=True)
    assert utrn is not None
    key = utrn.get("key", _hex_key, required=True)
    first_counter = utrn.get("first_counter", _ranged(0, 1023, _int), 1)
    utrn.done()

    ambient = _read_ambient(root.table("ambient"))
    meter_ids = {Fuel.ELECTRICITY: electricity.meter_id}
    if gas is not None:
        meter_ids[Fuel.GAS] = gas.meter_id
    reader = _Timeline(
        path, start, positions, gas is not None, variant, key, first_counter, meter_ids
    )
    events = [reader.read(entry, i) for i, entry in enumerate(root.tables("timeline"))]
    events.sort(key=lambda e: (e.at, e.index))
    alcs = _read_alcs(root.table("alcs"))
    root.done()

    return Scenario(
        name=name,
        description=description,
        path=path,
        seed=seed,
        start=start,
        duration=duration,
        home=home,
        geometry=geometry,
        electricity=electricity,
        gas=gas,
        utrn_key=key,
        first_utrn_counter=first_counter,
        ambient=ambient,
        reporting=reporting,
        timeline=tuple(events),
        alcs=alcs,
    )


def _read_alcs(table: _Table | None) -> tuple[AuxSwitch, ...]:
    """[alcs] switches = [{ switch = 1, label = "Storage heater", on = ["00:30-07:30"],
    load = "storage_heating" }]: what each switch feeds and when its calendar closes it."""
    if table is None:
        return ()
    switches: list[AuxSwitch] = []
    for entry in table.tables("switches"):
        number = entry.get("switch", _ranged(1, MAX_SWITCHES, _int), required=True)
        if any(s.number == number for s in switches):
            raise entry.fail("switch", f"switch {number} is given twice")
        switches.append(
            AuxSwitch(
                number=number,
                label=entry.get("label", _ranged_text(23), f"Switch {number}"),
                on=tuple(entry.get("on", _clock_ranges, required=True)),
                load=entry.get("load", _choice(tuple(sorted(CONTROLLABLE_LOADS))), ""),
            )
        )
        entry.done()
    table.done()
    return tuple(switches)


def list_scenarios(directory: Path | None = None) -> list[tuple[str, str]]:
    """(name, one-line description) of each scenario file, by name; unreadable ones say why."""
    folder = directory or SCENARIO_DIR
    found: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            head = tomllib.loads(path.read_text(encoding="utf-8")).get("scenario", {})
            description = str(head.get("description", "")).strip() or "(no description)"
            found.append((str(head.get("name", path.stem)), description))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            found.append((path.stem, f"(cannot be read: {exc})"))
    return found

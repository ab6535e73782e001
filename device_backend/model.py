"""Domain types the GUIs see: frozen, keyword-only dataclasses with exact numbers.

Energy keeps the raw register and its scaling (value = raw x multiplier / divisor); money is
exact Decimal pence (hundredths of `currency`), decoded by the meter's own scaling
(device_backend.money): a GB balance of 1234567 at 0x50 is Decimal("1234.567") pence.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class Fuel(enum.StrEnum):
    ELECTRICITY = "electricity"
    GAS = "gas"


class ConnectionState(enum.StrEnum):
    CONNECTING = "connecting"
    ONLINE = "online"
    STALE = "stale"  # the dongle is fine but a meter has stopped reporting
    OFFLINE = "offline"  # the dongle or the network is unreachable
    DEGRADED = "degraded"  # online, but our own handling failed on some frames


class SupplyState(enum.StrEnum):
    OFF = "off"
    ARMED = "armed"
    ON = "on"


class AmbientLevel(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class PaymentMode(enum.StrEnum):
    CREDIT = "credit"
    PREPAYMENT = "prepayment"


class TopUpOutcome(enum.StrEnum):
    """ConsumerTopUpResponse ResultType, in words a household understands."""

    ACCEPTED = "accepted"
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    ERROR = "error"
    MAX_CREDIT = "max_credit"
    KEYPAD_LOCK = "keypad_lock"
    TOO_LARGE = "too_large"
    NOT_SENT = "not_sent"  # refused locally (length or check digit) or the meter did not answer


def scaled(raw: int, multiplier: int, divisor: int) -> Decimal:
    """A metering register in its unit of measure (kWh, kW, m3, m3/h)."""
    if divisor == 0:
        raise ValueError("a Metering divisor of 0 cannot be scaled")
    return Decimal(raw) * Decimal(multiplier) / Decimal(divisor)


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """Every domain event carries the UTC time it describes."""

    time: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class Demand(Event):
    """Instantaneous demand: kW for electricity (negative when exporting), m3/h for gas."""

    fuel: Fuel
    raw: int
    multiplier: int
    divisor: int
    kwh_per_unit: Decimal = Decimal(1)  # gas: m3/h -> kW with the published CV and CF
    device: str = ""

    @property
    def value(self) -> Decimal:
        return scaled(self.raw, self.multiplier, self.divisor)

    @property
    def kw(self) -> Decimal:
        return self.value * self.kwh_per_unit


@dataclass(frozen=True, kw_only=True, slots=True)
class Energy(Event):
    """Cumulative summation registers (kWh for electricity, m3 for gas before conversion)."""

    fuel: Fuel
    import_raw: int
    multiplier: int
    divisor: int
    export_raw: int | None = None
    kwh_per_unit: Decimal = Decimal(1)  # gas: the m3 -> kWh factor from CV and CF
    device: str = ""
    source: str = (
        "report"  # "profile": rebuilt from the meter's own half-hourly profile after a gap
    )

    @property
    def import_value(self) -> Decimal:
        return scaled(self.import_raw, self.multiplier, self.divisor)

    @property
    def import_kwh(self) -> Decimal:
        return self.import_value * self.kwh_per_unit

    @property
    def export_kwh(self) -> Decimal | None:
        if self.export_raw is None:
            return None
        return scaled(self.export_raw, self.multiplier, self.divisor) * self.kwh_per_unit


@dataclass(frozen=True, kw_only=True, slots=True)
class Price(Event):
    """The price in force for one fuel, from PublishPrice / PublishTariffInformation."""

    fuel: Fuel
    pence_per_kwh: Decimal
    standing_charge_pence_per_day: Decimal
    tier: int = 0
    tier_label: str = ""
    tariff_label: str = ""
    starts: datetime | None = None
    ends: datetime | None = None  # None: until changed
    includes_vat: bool = True
    currency: str = "GBP"  # money.currency_label: "GBP", "EUR" or "ISO 840"


@dataclass(frozen=True, kw_only=True, slots=True)
class Debt:
    """One of a GB meter's debts (Prepayment DebtAmount 1-3): 1 and 2 are time-based, each
    recovered at its own daily rate; 3 is payment-based, a percentage of each top-up."""

    number: int
    pence: Decimal
    recovery_pence_per_day: Decimal | None = None
    recovery_percent: Decimal | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Prepayment(Event):
    mode: PaymentMode
    fuel: Fuel = Fuel.ELECTRICITY
    credit_pence: Decimal  # signed: a GB Meter Balance goes below zero
    emergency_credit_pence: Decimal
    debt_pence: Decimal
    low_credit: bool = False
    emergency_credit_available: bool = False
    emergency_credit_selected: bool = False
    credit_exhausted: bool = False
    debt_recovery_pence_per_day: Decimal = Decimal(0)
    low_credit_level_pence: Decimal = Decimal(0)
    currency: str = "GBP"
    debts: tuple[Debt, ...] = ()  # those the meter reports, with their recovery


@dataclass(frozen=True, kw_only=True, slots=True)
class Supply(Event):
    state: SupplyState
    fuel: Fuel = Fuel.ELECTRICITY


@dataclass(frozen=True, kw_only=True, slots=True)
class Ambient(Event):
    level: AmbientLevel


@dataclass(frozen=True, kw_only=True, slots=True)
class SupplierMessage(Event):
    id: int
    text: str
    confirmation_required: bool = False
    importance: str = "low"
    starts: datetime | None = None
    ends: datetime | None = None
    confirmed: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadControl(Event):
    """A demand response event: which load is paused and until when (seed function E)."""

    event_id: int
    load: str
    starts: datetime
    ends: datetime
    active: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class TenancyChange(Event):
    """Device Management PublishChangeOfTenancy: a new household from `takes_effect`.

    `clear_display_data` is ProposedTenancyChangeControl bit 9 (ClearIHDDataConsumer): the
    supplier asks displays to clear the previous occupant's data. A display asks first.
    """

    takes_effect: datetime
    clear_display_data: bool
    issuer_event_id: int = 0
    fuel: Fuel = Fuel.ELECTRICITY


@dataclass(frozen=True, kw_only=True, slots=True)
class SupplierChange(Event):
    """Device Management PublishChangeOfSupplier: who supplies the home from `takes_effect`."""

    supplier: str
    takes_effect: datetime
    contact: str = ""
    provider_id: int = 0
    previous_provider_id: int = 0
    issuer_event_id: int = 0
    fuel: Fuel = Fuel.ELECTRICITY


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadSwitchCalendar(Event):
    """A GB meter's auxiliary load control switch calendar (Calendar type 0x04).

    `entries` are (minute after midnight, bitmap of the switches closed: bit 0 = switch 1),
    applying every day from `starts` until a later calendar starts; `labels[n-1]` names
    switch n (AuxSwitchNLabel). A calendar that holds one state all day with another due
    after it is a supplier's override (our reading; see README).
    """

    calendar_id: int
    name: str
    starts: datetime
    entries: tuple[tuple[int, int], ...]
    labels: tuple[str, ...] = ()
    local_time: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class TopUpResult(Event):
    outcome: TopUpOutcome
    fuel: Fuel = Fuel.ELECTRICITY
    value_pence: Decimal | None = None
    credit_pence: Decimal | None = None
    supply: SupplyState | None = None
    utrn_masked: str = ""
    currency: str = "GBP"

    @property
    def accepted(self) -> bool:
        return self.outcome is TopUpOutcome.ACCEPTED


@dataclass(frozen=True, kw_only=True, slots=True)
class MeterHistory(Event):
    """The meter's own consumption history (Metering 0x0401-0x045B), in kWh, newest first:
    index 0 is the current day/week/month so far. GB meters keep 8 days, 5 weeks, 13 months
    and close their days at UTC midnight."""

    fuel: Fuel
    days: tuple[Decimal, ...] = ()
    weeks: tuple[Decimal, ...] = ()
    months: tuple[Decimal, ...] = ()
    # The cost of each period as the meter published it (Prepayment 0x051C-0x055B), pence,
    # same indexing; empty when the meter keeps no cost history.
    day_costs: tuple[Decimal, ...] = ()
    week_costs: tuple[Decimal, ...] = ()
    month_costs: tuple[Decimal, ...] = ()
    currency: str = "GBP"
    # Where the kWh came from: "meter" (its own kWh: electricity, or a gas proxy's
    # alternative-unit log) or "converted" (a gas volume log times the meter's CF x CV / 3.6).
    kwh_source: str = "meter"


@dataclass(frozen=True, kw_only=True, slots=True)
class TopUpLog(Event):
    """A prepayment meter's own log of its last accepted top-ups (Prepayment 0x0100-0x0143:
    GB meters keep five), newest first, from whichever device or the supplier's WAN they came."""

    fuel: Fuel
    entries: tuple[tuple[datetime, Decimal], ...] = ()  # (when, amount in pence)
    currency: str = "GBP"


@dataclass(frozen=True, kw_only=True, slots=True)
class ClockCheck(Event):
    """The HAN's Time cluster against this computer's clock (offset = HAN minus host)."""

    han_time: datetime
    offset_s: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Connection(Event):
    state: ConnectionState
    reason: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class DeviceInfo:
    ieee: str
    nwk: int
    role: str  # ESME, GSME, IHD, PPMID, load switch, other
    model: str = ""
    manufacturer: str = ""
    firmware_version: int | None = None
    power_source: str = ""
    name: str = ""
    location: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class DeviceChange(Event):
    kind: str  # joined, interviewed, interview_failed, left
    device: DeviceInfo
    detail: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class LinkQuality(Event):
    ieee: str
    lqi: int | None
    rssi: int | None
    neighbours: tuple[tuple[str, int], ...] = field(default_factory=tuple)


# -- the tariff schedule: what a meter says about *when* each price applies ----------------
# Assembled by the back end from the Price cluster's PublishTariffInformation, PublishPrice-
# Matrix, PublishBlockThresholds, PublishTierLabels and (scheduled) PublishPrice, and the
# Calendar cluster's PublishCalendar/DayProfile/WeekProfile/Seasons/SpecialDays; read with
# device_backend.tariff_schedule.


class ChargingScheme(enum.StrEnum):
    """PublishTariffInformation's charging scheme nibble (SE 1.4 D.4.2.4.5)."""

    TOU = "tou"  # 0x0: time of use only
    BLOCK = "block"  # 0x1: blocks only
    BLOCK_TOU = "block_tou"  # 0x2/0x3: blocks within each time-of-use tier


class TimeReference(enum.StrEnum):
    """PublishCalendar's CalendarTimeReference (SE 1.4 D.9.2.4.1.1): which clock its day
    profiles' start times (minutes after midnight) and its dates are read on."""

    UTC = "utc"  # 0x00
    STANDARD = "standard"  # 0x01: local standard time all year (GB: GMT)
    LOCAL = "local"  # 0x02: local time, BST in summer


@dataclass(frozen=True, kw_only=True, slots=True)
class ZclDate:
    """A ZCL Date as a calendar sends it; None where the wire said 0xFF ("any")."""

    year: int | None = None  # the full year (the wire counts years since 1900)
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 1 = Monday .. 7 = Sunday

    def matches(self, day: date) -> bool:
        return (
            (self.year is None or self.year == day.year)
            and (self.month is None or self.month == day.month)
            and (self.day is None or self.day == day.day)
            and (self.weekday is None or self.weekday == day.isoweekday())
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class TierPrice:
    """One entry of a price matrix: tier 0 is "no tier" (block-only), block 1 the first
    block (a time-of-use-only tariff has only block 1)."""

    tier: int
    block: int
    pence_per_kwh: Decimal


@dataclass(frozen=True, kw_only=True, slots=True)
class BlockThresholds:
    """The kWh at which each next block starts; tier 0 = for every tier (or no tiers)."""

    tier: int
    kwh: tuple[Decimal, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class TariffPlan:
    """One tariff the meter holds, in force from `starts` (None: already in force)."""

    tariff_id: int
    event_id: int = 0
    label: str = ""
    starts: datetime | None = None
    scheme: ChargingScheme = ChargingScheme.TOU
    tier_count: int = 0
    threshold_count: int = 0
    standing_charge_pence_per_day: Decimal = Decimal(0)
    currency: str = "GBP"
    prices: tuple[TierPrice, ...] = ()
    thresholds: tuple[BlockThresholds, ...] = ()
    tier_labels: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class DayProfile:
    """A day's switch times: (minutes after midnight, price tier), earliest first."""

    day_id: int
    entries: tuple[tuple[int, int], ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class WeekProfile:
    """The day profile of each weekday, Monday first."""

    week_id: int
    days: tuple[int, int, int, int, int, int, int]


@dataclass(frozen=True, kw_only=True, slots=True)
class Season:
    starts: ZclDate
    week_id: int


@dataclass(frozen=True, kw_only=True, slots=True)
class SpecialDay:
    date: ZclDate
    day_id: int


@dataclass(frozen=True, kw_only=True, slots=True)
class RateCalendar:
    """A delivered-energy calendar: which tier applies when (Calendar cluster 0x0707)."""

    calendar_id: int
    event_id: int = 0
    name: str = ""
    starts: datetime | None = None
    time_reference: TimeReference = TimeReference.LOCAL
    days: tuple[DayProfile, ...] = ()
    weeks: tuple[WeekProfile, ...] = ()
    seasons: tuple[Season, ...] = ()
    special_days: tuple[SpecialDay, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class BlockPeriod:
    """The period over which block consumption accrues (Price StartOfBlockPeriod and
    BlockPeriodDuration, or PublishBlockPeriod), and what has been used in it so far."""

    starts: datetime | None = None  # None: the meter did not say (its blocks still count)
    ends: datetime | None = None
    # Metering CurrentBlockPeriodConsumptionDelivered, or the sum of the
    # CurrentNoTierBlockNSummationDelivered registers
    used_kwh: Decimal | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Schedule(Event):
    """Everything one meter has said about its prices over time."""

    fuel: Fuel
    tariffs: tuple[TariffPlan, ...] = ()
    calendars: tuple[RateCalendar, ...] = ()
    prices: tuple[Price, ...] = ()  # PublishPrice, current and scheduled, earliest first
    block_period: BlockPeriod | None = None

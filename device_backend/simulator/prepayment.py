"""A GB prepayment meter's accounts: credit, emergency credit, debt, friendly credit, top-ups."""

from __future__ import annotations

import bisect
import enum
from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from device_backend.clock import LONDON
from device_backend.model import (
    Fuel,
    PaymentMode,
    Prepayment,
    SupplyState,
    TopUpOutcome,
    TopUpResult,
)
from device_backend.simulator.tariff import (
    Tariff,
    TariffSchedule,
    as_fraction,
    is_bank_holiday,
    parse_clock_range,
)
from device_backend.utrn import UtrnError, decode_utrn, mask_utrn, validate_utrn, verify_mac

__all__ = [
    "SUPPLY_STATUS",
    "CreditStatus",
    "FriendlyCredit",
    "OriginatingDevice",
    "PrepaymentAccount",
    "PrepaymentSettings",
    "PrepaymentSnapshot",
    "ResultType",
    "TopUpRecord",
    "TopUpResponse",
]

SUPPLY_STATUS = {SupplyState.OFF: 0, SupplyState.ARMED: 1, SupplyState.ON: 2}
_MICROS_PER_DAY = 86_400 * 1_000_000
_LAZY_SPAN = timedelta(minutes=1)


class ResultType(enum.IntEnum):
    """ConsumerTopUpResponse ResultType (SE 0x0705 cmd 0x03)."""

    ACCEPTED = 0x00
    INVALID = 0x01
    DUPLICATE = 0x02
    ERROR = 0x03
    MAX_CREDIT = 0x04
    KEYPAD_LOCK = 0x05
    TOO_LARGE = 0x06
    ACCEPTED_SUPPLY_ENABLED = 0x10
    ACCEPTED_SUPPLY_DISABLED = 0x11
    ACCEPTED_SUPPLY_ARMED = 0x12

    @property
    def accepted(self) -> bool:
        return self in _ACCEPTED

    @property
    def outcome(self) -> TopUpOutcome:
        return _OUTCOMES[self]


_ACCEPTED = frozenset(
    {
        ResultType.ACCEPTED,
        ResultType.ACCEPTED_SUPPLY_ENABLED,
        ResultType.ACCEPTED_SUPPLY_DISABLED,
        ResultType.ACCEPTED_SUPPLY_ARMED,
    }
)
_OUTCOMES = {
    ResultType.ACCEPTED: TopUpOutcome.ACCEPTED,
    ResultType.ACCEPTED_SUPPLY_ENABLED: TopUpOutcome.ACCEPTED,
    ResultType.ACCEPTED_SUPPLY_DISABLED: TopUpOutcome.ACCEPTED,
    ResultType.ACCEPTED_SUPPLY_ARMED: TopUpOutcome.ACCEPTED,
    ResultType.INVALID: TopUpOutcome.INVALID,
    ResultType.DUPLICATE: TopUpOutcome.DUPLICATE,
    ResultType.ERROR: TopUpOutcome.ERROR,
    ResultType.MAX_CREDIT: TopUpOutcome.MAX_CREDIT,
    ResultType.KEYPAD_LOCK: TopUpOutcome.KEYPAD_LOCK,
    ResultType.TOO_LARGE: TopUpOutcome.TOO_LARGE,
}


class OriginatingDevice(enum.IntEnum):
    """Where a top-up or EC request came from (SE OriginatingDevice); a PPMID counts as IHD."""

    ESI = 0
    METER = 1
    IHD = 2


class CreditStatus(enum.IntFlag):
    """Prepayment 0x0003 CreditStatus bits."""

    NONE = 0
    CREDIT_OK = 0x01
    LOW_CREDIT = 0x02
    EC_ENABLED = 0x04
    EC_AVAILABLE = 0x08
    EC_SELECTED = 0x10
    EC_IN_USE = 0x20
    CREDIT_EXHAUSTED = 0x40


@dataclass(frozen=True, kw_only=True, slots=True)
class FriendlyCredit:
    """When the supply must not be cut: daily local clock windows, and optionally whole days."""

    enabled: bool = True
    windows: tuple[tuple[time, time], ...] = ((time(18, 0), time(8, 0)),)
    weekends: bool = False
    bank_holidays: bool = False

    @classmethod
    def from_text(
        cls,
        windows: list[str],
        *,
        enabled: bool = True,
        weekends: bool = False,
        bank_holidays: bool = False,
    ) -> FriendlyCredit:
        return cls(
            enabled=enabled,
            windows=tuple(parse_clock_range(w) for w in windows),
            weekends=weekends,
            bank_holidays=bank_holidays,
        )

    def active_at(self, t: datetime) -> bool:
        if not self.enabled:
            return False
        local = t.astimezone(LONDON)
        day = local.date()
        if self.weekends and day.weekday() >= 5:
            return True
        if self.bank_holidays and is_bank_holiday(day):
            return True
        minute = local.hour * 60 + local.minute
        for start, end in self.windows:
            first, last = start.hour * 60 + start.minute, end.hour * 60 + end.minute
            if first < last:
                if first <= minute < last:
                    return True
            elif minute >= first or minute < last:  # wraps midnight; "00:00-00:00" is all day
                return True
        return False

    def next_change_after(self, t: datetime) -> datetime | None:
        """The next moment friendly credit starts or stops (None: it never changes)."""
        if not self.enabled:
            return None
        current = self.active_at(t)
        local_day = t.astimezone(LONDON).date()
        for offset in range(9):
            day = local_day + timedelta(days=offset)
            clocks = {time(0, 0)} | {w[0] for w in self.windows} | {w[1] for w in self.windows}
            for clock in sorted(clocks):
                moment = datetime.combine(day, clock, tzinfo=LONDON).astimezone(UTC)
                if moment > t and self.active_at(moment) != current:
                    return moment
        return None


@dataclass(frozen=True, kw_only=True, slots=True)
class PrepaymentSettings:
    """How a meter's prepayment is configured (money in integer pence)."""

    mode: PaymentMode = PaymentMode.CREDIT
    start_credit_pence: int = 0
    emergency_credit_limit_pence: int = 1000
    emergency_credit_threshold_pence: int = 200
    low_credit_level_pence: int = 300
    max_credit_pence: int = 25_000  # the highest meter balance a top-up may bring
    max_top_up_pence: int = 10_000  # the largest single top-up
    cut_off_pence: int = 0
    accumulated_debt_pence: int = 0
    debt_pence: int = 0  # time-based debt 1
    debt_recovery_pence_per_day: Decimal = Decimal(0)
    # SMETS2 keeps two time-based debts, each with its own recovery rate, a payment-based debt
    # recovered as a percentage of each top-up, and a cap on time-based recovery
    # (DebtRecoveryRateCap; modelled per day, 0 = none). gb_domain.md §3, Prepayment row.
    debt2_pence: int = 0
    debt2_recovery_pence_per_day: Decimal = Decimal(0)
    payment_debt_pence: int = 0
    payment_debt_recovery_percent: Decimal = Decimal(0)
    debt_recovery_cap_pence_per_day: Decimal = Decimal(0)
    suspend_debt_recovery_in_emergency: bool = True
    friendly_credit: FriendlyCredit = FriendlyCredit()
    # How many recently used UTRN counters the meter remembers (see `UtrnCounterCache`).
    utrn_counter_cache: int = 100
    keypad_lock_after: int = 0  # consecutive invalid codes before the keypad locks (0: never)
    keypad_lock_s: int = 600

    def __post_init__(self) -> None:
        for name in (
            "start_credit_pence",
            "emergency_credit_limit_pence",
            "emergency_credit_threshold_pence",
            "low_credit_level_pence",
            "max_credit_pence",
            "max_top_up_pence",
            "accumulated_debt_pence",
            "debt_pence",
            "debt2_pence",
            "payment_debt_pence",
            "keypad_lock_after",
            "keypad_lock_s",
            "utrn_counter_cache",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    f"{name} must be a whole, non-negative number of pence, not {value!r}"
                )
        if not 1 <= self.utrn_counter_cache <= UtrnCounterCache.HALF_RANGE:
            raise ValueError(
                f"utrn_counter_cache must be 1-{UtrnCounterCache.HALF_RANGE}, "
                f"not {self.utrn_counter_cache}"
            )
        if isinstance(self.cut_off_pence, bool) or not isinstance(self.cut_off_pence, int):
            raise TypeError("cut_off_pence must be whole pence")
        if (
            not isinstance(self.debt_recovery_pence_per_day, Decimal | int)
            or self.debt_recovery_pence_per_day < 0
        ):
            raise ValueError("debt_recovery_pence_per_day must be a non-negative Decimal")
        for name in (
            "debt2_recovery_pence_per_day",
            "payment_debt_recovery_percent",
            "debt_recovery_cap_pence_per_day",
        ):
            value = getattr(self, name)
            if not isinstance(value, Decimal | int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a non-negative Decimal, not {value!r}")
        if self.payment_debt_recovery_percent > 100:
            raise ValueError("payment_debt_recovery_percent is at most 100")


class UtrnCounterCache:
    """The meter's bounded memory of used UTRN counters (GBCS UTRN counter checks).

    A UTRN carries only the low 10 bits of the supplier's UTRN counter. GBCS (v1.0 release note
    of 28 November 2014, Table 27, "Derivation of the UTRN Counter from the PTUT Truncated UTRN
    Counter") rebuilds the whole counter from the highest entry V of the meter's UTRN Counter
    Cache: p = V mod 1024, q = V - p, r = the truncated counter; s = r + 1024 if r < p - 512,
    r - 1024 if r > p + 512, else r; the counter is q + s. (Worked example there: V =
    2,458,896,167 and r = 812 give 2,458,896,172.)

    A counter is then fresh when it is not in the cache and, once the cache is full, above its
    lowest entry; an accepted counter is added and the lowest dropped. The cache is bounded
    (the issue's public SE prepayment implementation keeps 100; GBCS's own size was not read
    here, so it is a setting), so a meter accepts codes indefinitely, unlike a meter that
    remembers every counter and, after 1,024 top-ups, refuses every new code as a duplicate.
    """

    MODULUS = 1 << 10  # the PTUT carries 10 counter bits
    HALF_RANGE = MODULUS // 2

    def __init__(self, size: int = 100) -> None:
        self.size = size
        self._counters: list[int] = []  # ascending

    def __len__(self) -> int:
        return len(self._counters)

    def __contains__(self, counter: object) -> bool:
        return counter in self._counters

    def deduce(self, truncated: int) -> int:
        """The full counter for a PTUT's 10-bit counter (GBCS Table 27)."""
        if not self._counters:
            return truncated  # nothing to anchor on: the code's own counter
        highest = self._counters[-1]
        p = highest % self.MODULUS
        q = highest - p
        if truncated < p - self.HALF_RANGE:
            s = truncated + self.MODULUS
        elif truncated > p + self.HALF_RANGE:
            s = truncated - self.MODULUS
        else:
            s = truncated
        return q + s

    def fresh(self, counter: int) -> bool:
        if counter < 0 or counter in self._counters:
            return False
        return len(self._counters) < self.size or counter > self._counters[0]

    def add(self, counter: int) -> None:
        bisect.insort(self._counters, counter)
        while len(self._counters) > self.size:
            self._counters.pop(0)


@dataclass(frozen=True, kw_only=True, slots=True)
class TopUpRecord:
    time: datetime
    utrn_masked: str
    value_pence: int
    source: OriginatingDevice
    result: ResultType


@dataclass(frozen=True, kw_only=True, slots=True)
class TopUpResponse:
    """What ConsumerTopUpResponse carries, plus the supply state and masked code for logs."""

    time: datetime
    result: ResultType
    value_pence: int  # the code's value when accepted, else 0
    source: OriginatingDevice
    credit_remaining_pence: int
    supply: SupplyState
    utrn_masked: str

    @property
    def accepted(self) -> bool:
        return self.result.accepted

    def to_event(self) -> TopUpResult:
        return TopUpResult(
            time=self.time,
            outcome=self.result.outcome,
            value_pence=Decimal(self.value_pence)
            if self.accepted and self.value_pence is not None
            else None,
            credit_pence=Decimal(self.credit_remaining_pence),
            supply=self.supply,
            utrn_masked=self.utrn_masked,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class PrepaymentSnapshot:
    time: datetime
    fuel: Fuel
    mode: PaymentMode
    credit_pence: int
    emergency_credit_pence: int
    emergency_credit_limit_pence: int
    emergency_credit_threshold_pence: int
    accumulated_debt_pence: int
    debt_pence: int
    debt_recovery_pence_per_day: Decimal
    low_credit_level_pence: int
    cut_off_pence: int
    debt2_pence: int = 0
    debt2_recovery_pence_per_day: Decimal = Decimal(0)
    payment_debt_pence: int = 0
    payment_debt_recovery_percent: Decimal = Decimal(0)
    credit_status: CreditStatus
    supply: SupplyState
    friendly_credit_active: bool
    total_credit_added_pence: int
    cost_today_pence: Decimal

    @property
    def total_debt_pence(self) -> int:
        return (
            self.accumulated_debt_pence
            + self.debt_pence
            + self.debt2_pence
            + self.payment_debt_pence
        )

    @property
    def emergency_credit_used_pence(self) -> int:
        return self.emergency_credit_limit_pence - self.emergency_credit_pence

    def to_event(self) -> Prepayment:
        bits = self.credit_status
        return Prepayment(
            time=self.time,
            mode=self.mode,
            credit_pence=Decimal(self.credit_pence),
            emergency_credit_pence=Decimal(self.emergency_credit_pence),
            debt_pence=Decimal(self.total_debt_pence),
            low_credit=bool(bits & CreditStatus.LOW_CREDIT),
            emergency_credit_available=bool(bits & CreditStatus.EC_AVAILABLE),
            emergency_credit_selected=bool(bits & CreditStatus.EC_SELECTED),
            credit_exhausted=bool(bits & CreditStatus.CREDIT_EXHAUSTED),
            debt_recovery_pence_per_day=Decimal(int(self.debt_recovery_pence_per_day)),
            low_credit_level_pence=Decimal(self.low_credit_level_pence),
        )


def _whole(value: Fraction) -> int:
    return value.numerator // value.denominator


def _micros(start: datetime, end: datetime) -> int:
    return (end - start) // timedelta(microseconds=1)


class PrepaymentAccount:
    """One meter's money. Everything is charged exactly (Fraction) and taken in whole pence.

    Charges (energy and standing charge) accumulate in `pending`; each whole penny is taken
    from credit, then emergency credit (if selected), and whatever neither can pay becomes
    accumulated debt (friendly credit, or standing charges while the supply is armed). After
    any span of time, credit has fallen by exactly floor(total charges) plus debt recovered.
    Debt recovery accrues the same way in its own carry. In credit mode charges are only
    totalled (for bills and cost displays); credit, debt and supply are untouched.
    """

    def __init__(
        self,
        settings: PrepaymentSettings,
        tariff: TariffSchedule | Tariff,
        start: datetime,
        *,
        fuel: Fuel = Fuel.ELECTRICITY,
        meter_id: str = "",
        utrn_key: bytes = b"",
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("the account needs an aware start time")
        self.settings = settings
        self.schedule = tariff if isinstance(tariff, TariffSchedule) else TariffSchedule(tariff)
        self.fuel = fuel
        self.meter_id = meter_id
        self.utrn_key = bytes(utrn_key)
        self.mode = settings.mode
        self.friendly_credit = settings.friendly_credit
        self.credit_pence = settings.start_credit_pence
        self.ec_limit_pence = settings.emergency_credit_limit_pence
        self.ec_threshold_pence = settings.emergency_credit_threshold_pence
        self.ec_remaining_pence = self.ec_limit_pence
        self.ec_selected = False
        self.low_credit_level_pence = settings.low_credit_level_pence
        self.max_credit_pence = settings.max_credit_pence
        self.max_top_up_pence = settings.max_top_up_pence
        self.cut_off_pence = settings.cut_off_pence
        self.accumulated_debt_pence = settings.accumulated_debt_pence
        self.debt_pence = settings.debt_pence
        self.debt_rate = as_fraction(settings.debt_recovery_pence_per_day)
        self.debt2_pence = settings.debt2_pence
        self.debt2_rate = as_fraction(settings.debt2_recovery_pence_per_day)
        self.payment_debt_pence = settings.payment_debt_pence
        self.payment_debt_percent = as_fraction(settings.payment_debt_recovery_percent)
        self.debt_cap = as_fraction(settings.debt_recovery_cap_pence_per_day)
        self._pending_recovery2 = Fraction(0)
        self._recovered_on: dict[date, int] = {}  # time-based recovery per UTC day, for the cap
        self.supply = SupplyState.ON
        self.total_credit_added_pence = 0

        # Exact running totals; `pending` is what is owed but not yet taken as a whole penny.
        self.pending = Fraction(0)
        self._pending_recovery = Fraction(0)
        self.energy_charged = Fraction(0)
        self.standing_charged = Fraction(0)
        self.debt_recovered_pence = 0
        self._day_costs: dict[date, Fraction] = {}
        self._block_used = Fraction(0)
        self._block_start = self.schedule.block_period_start(start)

        self._now = start
        self._friendly_active = self.friendly_credit.active_at(start)
        self._friendly_until = self.friendly_credit.next_change_after(start)

        self.utrn_counters = UtrnCounterCache(settings.utrn_counter_cache)
        self._invalid_streak = 0
        self._locked_until: datetime | None = None
        self.top_up_log: list[TopUpRecord] = []
        self.attempts: deque[TopUpRecord] = deque(maxlen=100)
        self.alerts: deque[tuple[datetime, str]] = deque(maxlen=500)
        self._last_status = self.credit_status
        self._last_supply = self.supply

    # -- state --------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self._now

    @property
    def prepayment(self) -> bool:
        return self.mode is PaymentMode.PREPAYMENT

    @property
    def supply_on(self) -> bool:
        return self.supply is SupplyState.ON

    @property
    def friendly_credit_active(self) -> bool:
        return self._friendly_active

    @property
    def ec_in_use(self) -> bool:
        return (
            self.ec_selected
            and self.credit_pence <= 0
            and self.ec_remaining_pence < self.ec_limit_pence
        )

    def funds_available(self) -> bool:
        """Is there credit (or selected emergency credit) left above the cut-off?"""
        return self.credit_pence > self.cut_off_pence or (
            self.ec_selected and self.ec_remaining_pence > 0
        )

    @property
    def credit_status(self) -> CreditStatus:
        if not self.prepayment:
            return CreditStatus.CREDIT_OK
        bits = CreditStatus.NONE
        if self.credit_pence > self.low_credit_level_pence:
            bits |= CreditStatus.CREDIT_OK
        else:
            bits |= CreditStatus.LOW_CREDIT
        if self.ec_limit_pence > 0:
            bits |= CreditStatus.EC_ENABLED
            if (
                not self.ec_selected
                and self.ec_remaining_pence > 0
                and self.credit_pence < self.ec_threshold_pence
            ):
                bits |= CreditStatus.EC_AVAILABLE
        if self.ec_selected:
            bits |= CreditStatus.EC_SELECTED
            if self.ec_in_use:
                bits |= CreditStatus.EC_IN_USE
        if not self.funds_available():
            bits |= CreditStatus.CREDIT_EXHAUSTED
        return bits

    def cost_for_day(self, day: date) -> Decimal:
        """Energy and standing charge for one UTC day (the GB IHD day), in exact-ish pence."""
        value = self._day_costs.get(day, Fraction(0))
        return Decimal(value.numerator) / Decimal(value.denominator)

    @property
    def total_charged(self) -> Fraction:
        return self.energy_charged + self.standing_charged

    def snapshot(self, at: datetime | None = None) -> PrepaymentSnapshot:
        if at is not None:
            self.accrue(at)
        return PrepaymentSnapshot(
            time=self._now,
            fuel=self.fuel,
            mode=self.mode,
            credit_pence=self.credit_pence,
            emergency_credit_pence=self.ec_remaining_pence,
            emergency_credit_limit_pence=self.ec_limit_pence,
            emergency_credit_threshold_pence=self.ec_threshold_pence,
            accumulated_debt_pence=self.accumulated_debt_pence,
            debt_pence=self.debt_pence,
            debt_recovery_pence_per_day=Decimal(self.debt_rate.numerator)
            / self.debt_rate.denominator,
            low_credit_level_pence=self.low_credit_level_pence,
            cut_off_pence=self.cut_off_pence,
            debt2_pence=self.debt2_pence,
            debt2_recovery_pence_per_day=Decimal(self.debt2_rate.numerator)
            / self.debt2_rate.denominator,
            payment_debt_pence=self.payment_debt_pence,
            payment_debt_recovery_percent=Decimal(self.payment_debt_percent.numerator)
            / self.payment_debt_percent.denominator,
            credit_status=self.credit_status,
            supply=self.supply,
            friendly_credit_active=self._friendly_active,
            total_credit_added_pence=self.total_credit_added_pence,
            cost_today_pence=self.cost_for_day(self._now.astimezone(UTC).date()),
        )

    # -- time passing -------------------------------------------------------------------------

    def accrue(self, to: datetime, *, lazy: bool = False) -> None:
        """Charge standing charge and recover debt up to `to`, then decide the supply.

        `lazy` lets a meter stepping every few seconds batch this into whole minutes: the
        charges are exact whatever the batching, only the moment a penny is taken moves.
        """
        if to <= self._now or (lazy and to - self._now < _LAZY_SPAN):
            return
        cursor = self._now
        while cursor < to:
            seg_end = to
            if self._friendly_until is not None and self._friendly_until < seg_end:
                seg_end = self._friendly_until
            switches = self.schedule.switches_between(cursor, seg_end)
            if switches:
                seg_end = switches[0]
            # Split at UTC midnight so each day's cost holds exactly that day's charges.
            midnight = datetime.combine(
                cursor.astimezone(UTC).date() + timedelta(days=1), time(0), tzinfo=UTC
            )
            seg_end = min(seg_end, midnight)
            self._accrue_segment(cursor, seg_end)
            cursor = self._now = seg_end
            if self._friendly_until is not None and cursor >= self._friendly_until:
                self._friendly_active = self.friendly_credit.active_at(cursor)
                self._friendly_until = self.friendly_credit.next_change_after(cursor)
            self._settle(cursor)

    def _accrue_segment(self, start: datetime, end: datetime) -> None:
        micros = _micros(start, end)
        standing = Fraction(self.schedule.standing_charge_at(start)) * micros / _MICROS_PER_DAY
        self.standing_charged += standing
        self._charge(standing, start)
        if not self.prepayment:
            return
        if self.settings.suspend_debt_recovery_in_emergency and self.ec_in_use:
            return
        day = start.astimezone(UTC).date()
        # Time-based debt 1, then 2, each at its own rate; together never above the cap.
        self._pending_recovery, self.debt_pence = self._recover(
            self._pending_recovery, self.debt_pence, self.debt_rate, micros, day
        )
        self._pending_recovery2, self.debt2_pence = self._recover(
            self._pending_recovery2, self.debt2_pence, self.debt2_rate, micros, day
        )

    def _recover(
        self, pending: Fraction, debt: int, rate: Fraction, micros: int, day: date
    ) -> tuple[Fraction, int]:
        """One time-based debt's recovery over a span: (its carry, the debt left)."""
        if debt <= 0 or rate <= 0:
            return Fraction(0), debt
        pending += rate * micros / _MICROS_PER_DAY
        due = min(_whole(pending), debt)
        if due <= 0:
            return pending, debt
        pending -= due
        if self.debt_cap > 0:
            # The cap limits recovery; what it holds back is not owed later as extra.
            room = max(0, _whole(self.debt_cap) - self._recovered_on.get(day, 0))
            due = min(due, room)
        # What credit cannot cover is not collected at all: recovery waits for a top-up.
        taken = min(due, max(self.credit_pence, 0))
        self.credit_pence -= taken
        self.debt_recovered_pence += taken
        self._recovered_on[day] = self._recovered_on.get(day, 0) + taken
        if len(self._recovered_on) > 40:
            del self._recovered_on[min(self._recovered_on)]
        debt -= taken
        return (Fraction(0) if debt == 0 else pending), debt

    def _charge(self, amount: Fraction, at: datetime) -> None:
        day = at.astimezone(UTC).date()
        self._day_costs[day] = self._day_costs.get(day, Fraction(0)) + amount
        if len(self._day_costs) > 40:
            del self._day_costs[min(self._day_costs)]
        if not self.prepayment:
            return
        self.pending += amount
        whole = _whole(self.pending)
        if whole <= 0:
            return
        self.pending -= whole
        # SE 1.4 CutOffValue (0x0007, signed) is the balance below which the supply goes off, so
        # a negative cut-off lets Meter Balance run below zero down to it; only charges beyond
        # it (standing charges while the supply is off) become accumulated debt.
        from_credit = min(whole, max(self.credit_pence - min(self.cut_off_pence, 0), 0))
        self.credit_pence -= from_credit
        whole -= from_credit
        if whole and self.ec_selected:
            from_ec = min(whole, self.ec_remaining_pence)
            self.ec_remaining_pence -= from_ec
            whole -= from_ec
        self.accumulated_debt_pence += whole

    def _settle(self, at: datetime) -> None:
        """Disable the supply when nothing is left outside friendly credit; note changes.

        SMETS2 prepayment (gb_domain.md §3, Supply status): credit and emergency credit used
        up outside a friendly-credit (non-disablement) period *disables* the supply
        (SupplyStatus 0x00, off); only a later top-up arms it (`_arm_if_funded`), and only
        the household enables it (LocalChangeSupply).
        """
        if (
            self.prepayment
            and self.supply is SupplyState.ON
            and not self.funds_available()
            and not self._friendly_active
        ):
            self.supply = SupplyState.OFF
        status = self.credit_status
        if status != self._last_status:
            for flag in CreditStatus:
                if flag and status & flag and not self._last_status & flag:
                    self.alerts.append((at, (flag.name or "").lower()))
            self._last_status = status
        if self.supply is not self._last_supply:
            self.alerts.append((at, f"supply_{self.supply.value}"))
            self._last_supply = self.supply

    def charge_energy(
        self, start: datetime, end: datetime, kwh: int | Decimal | Fraction
    ) -> Fraction:
        """Charge `kwh` used over [start, end) at the tariff in force; returns the exact cost.

        Pass exact energy (Fraction(joules, 3_600_000) for electricity) so nothing is lost.
        """
        self.accrue(start, lazy=True)
        energy = as_fraction(kwh)
        if energy:
            block_start = self.schedule.block_period_start(start)
            if block_start != self._block_start:
                self._block_start = block_start
                self._block_used = Fraction(0)
            cost = self.schedule.cost_pence(start, end, energy, self._block_used)
            self._block_used += energy
            self.energy_charged += cost
            self._charge(cost, start)
            self._settle(start)
        else:
            cost = Fraction(0)
        self.accrue(end, lazy=True)
        return cost

    @property
    def block_used_kwh(self) -> Fraction:
        return self._block_used

    # -- consumer and supplier actions --------------------------------------------------------

    def select_emergency_credit(self, at: datetime) -> bool:
        """SelectAvailableEmergencyCredit: True when EC was offered and is now selected."""
        self.accrue(at)
        if not (self.prepayment and self.credit_status & CreditStatus.EC_AVAILABLE):
            return False
        self.ec_selected = True
        self._arm_if_funded()
        self._settle(at)
        return True

    def _arm_if_funded(self) -> None:
        """Credit back above the disablement threshold arms a disabled supply (0x00 -> 0x01)."""
        if self.prepayment and self.supply is SupplyState.OFF and self.funds_available():
            self.supply = SupplyState.ARMED

    def local_change_supply(
        self, at: datetime, proposed: SupplyState = SupplyState.ON
    ) -> SupplyState:
        """LocalChangeSupply: only enabling an *armed* supply is honoured (GBCS PECS03: "can
        only be successful when they are to enable supply"); a disabled one needs credit first."""
        self.accrue(at)
        enabling = proposed is SupplyState.ON and self.supply is SupplyState.ARMED
        if enabling and (not self.prepayment or self.funds_available()):
            self.supply = SupplyState.ON
        self._settle(at)
        return self.supply

    def set_supply(self, state: SupplyState, at: datetime) -> None:
        """A supplier's remote command (not a household's): may switch off or arm."""
        self.accrue(at)
        self.supply = state
        self._settle(at)

    def set_payment_mode(
        self, mode: PaymentMode, at: datetime, *, credit_pence: int | None = None
    ) -> None:
        """ChangePaymentMode. Credit carries over unless given; an armed supply stays armed."""
        self.accrue(at)
        self.mode = PaymentMode(mode)
        if credit_pence is not None:
            self.credit_pence = int(credit_pence)
        self.pending = Fraction(0)  # fractions charged under the old mode were billed there
        self._settle(at)

    def add_credit(self, pence: int, at: datetime) -> None:
        """A supplier's CreditAdjustment (incremental), outside the top-up limits."""
        self.accrue(at)
        self._apply_value(int(pence))
        self._arm_if_funded()
        self._settle(at)

    def _payment_debt_share(self, value: int) -> int:
        """What a top-up of `value` pays towards the payment-based debt (its percentage)."""
        if self.payment_debt_pence <= 0 or self.payment_debt_percent <= 0:
            return 0
        return min(_whole(value * self.payment_debt_percent / 100), self.payment_debt_pence)

    def _apply_value(self, value: int, *, top_up: bool = False) -> None:
        # SMETS2 allocation, as modelled here: a top-up first pays its percentage towards the
        # payment-based debt, then repays what was borrowed (accumulated debt from friendly
        # credit and standing charges, then emergency credit); the rest is Meter Balance.
        # (gb_domain.md §3; the order beyond "borrowing is repaid before balance" is [U].)
        if top_up:
            share = self._payment_debt_share(value)
            self.payment_debt_pence -= share
            self.debt_recovered_pence += share
            value -= share
        repay_debt = min(value, self.accumulated_debt_pence)
        self.accumulated_debt_pence -= repay_debt
        value -= repay_debt
        repay_ec = min(value, self.ec_limit_pence - self.ec_remaining_pence)
        self.ec_remaining_pence += repay_ec
        value -= repay_ec
        self.credit_pence += value
        if (
            self.ec_selected
            and self.ec_remaining_pence == self.ec_limit_pence
            and self.credit_pence >= self.ec_threshold_pence
        ):
            self.ec_selected = False

    def _projected_credit(self, value: int) -> int:
        owed = self.accumulated_debt_pence + (self.ec_limit_pence - self.ec_remaining_pence)
        value -= self._payment_debt_share(value)
        return self.credit_pence + max(0, value - owed)

    def consumer_top_up(
        self, utrn: str, at: datetime, source: OriginatingDevice = OriginatingDevice.IHD
    ) -> TopUpResponse:
        """ConsumerTopUp: check the code as a meter would and add its value if it passes."""
        self.accrue(at)
        source = OriginatingDevice(source)
        masked = mask_utrn(utrn)
        value = 0
        result: ResultType
        if self._locked_until is not None and at < self._locked_until:
            result = ResultType.KEYPAD_LOCK
        else:
            self._locked_until = None
            result, value, _digits, counter = self._check(utrn)
            if result is ResultType.INVALID:
                self._invalid_streak += 1
                limit = self.settings.keypad_lock_after
                if limit and self._invalid_streak >= limit:
                    self._locked_until = at + timedelta(seconds=self.settings.keypad_lock_s)
                    self._invalid_streak = 0
            else:
                self._invalid_streak = 0
            if result is ResultType.ACCEPTED:
                self.utrn_counters.add(counter)
                self._apply_value(value, top_up=True)
                self.total_credit_added_pence += value
                self._arm_if_funded()
                if self.supply is not SupplyState.ON:
                    # GB meters never reconnect by themselves: a top-up that lifts credit
                    # above the disablement threshold arms the supply (0x12) and the household
                    # enables it; one that does not leaves it disabled (0x11).
                    result = (
                        ResultType.ACCEPTED_SUPPLY_ARMED
                        if self.supply is SupplyState.ARMED
                        else ResultType.ACCEPTED_SUPPLY_DISABLED
                    )
        self._settle(at)
        record = TopUpRecord(
            time=at,
            utrn_masked=masked,
            value_pence=value if result.accepted else 0,
            source=source,
            result=result,
        )
        self.attempts.append(record)
        if result.accepted:
            self.top_up_log.append(record)
        return TopUpResponse(
            time=at,
            result=result,
            value_pence=record.value_pence,
            source=source,
            credit_remaining_pence=self.credit_pence,
            supply=self.supply,
            utrn_masked=masked,
        )

    # -- the shapes the virtual ESME/GSME speak (meters.PrepaymentAccount protocol) ------------

    def top_up(self, utrn: str, now: datetime, source: int) -> tuple[int, int, int]:
        """(ResultType, TopUpValue or -1 when refused, CreditRemaining) for ConsumerTopUpResponse."""
        try:
            origin = OriginatingDevice(source)
        except ValueError:
            origin = OriginatingDevice.IHD  # an unknown source byte must not stop the meter
        response = self.consumer_top_up(utrn, now, origin)
        value = response.value_pence if response.accepted else -1
        return int(response.result), value, response.credit_remaining_pence

    def request_supply_on(self, now: datetime) -> bool:
        """LocalChangeSupply(ON): True when the supply is now on."""
        return self.local_change_supply(now) is SupplyState.ON

    @property
    def supply_status(self) -> int:
        """Metering 0x0014 SupplyStatus: 0 off, 1 armed, 2 on."""
        return SUPPLY_STATUS[self.supply]

    def _check(self, utrn: str) -> tuple[ResultType, int, str, int]:
        try:
            digits = validate_utrn(utrn)
            fields = decode_utrn(digits)
        except UtrnError:
            return ResultType.INVALID, 0, "", -1
        if (
            not self.utrn_key
            or not self.meter_id
            or not verify_mac(self.utrn_key, self.meter_id, fields)
        ):
            return ResultType.INVALID, 0, digits, fields.counter
        counter = self.utrn_counters.deduce(fields.counter)
        if not self.utrn_counters.fresh(counter):
            return ResultType.DUPLICATE, 0, digits, counter
        if not self.prepayment:
            return ResultType.ERROR, 0, digits, counter
        value = fields.value_pence
        if value > self.max_top_up_pence:
            return ResultType.TOO_LARGE, 0, digits, counter
        if self._projected_credit(value) > self.max_credit_pence:
            return ResultType.MAX_CREDIT, 0, digits, counter
        return ResultType.ACCEPTED, value, digits, counter

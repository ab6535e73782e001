"""A GSME: volume register, CV and CF conversion to kWh, and a battery that radio traffic drains."""

from __future__ import annotations

import bisect
import enum
from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from device_backend.model import SupplyState
from device_backend.simulator.household import Household
from device_backend.simulator.prepayment import PrepaymentAccount
from device_backend.units import STANDARD_CONVERSION_FACTOR, gas_kwh

__all__ = [
    "UC_PER_MAH",
    "BatterySpec",
    "GasBattery",
    "GasMeter",
    "RadioDuty",
    "TransactionKind",
]

UC_PER_MAH = 3_600_000  # 1 mAh = 3.6 C
_FC_PER_UC = 1_000_000_000  # charge is kept in femtocoulombs: nA x µs, exact integers
_UINT16_MAX_DAYS = 0xFFFE  # 0xFFFF reads as "not known" to many clients
_DAYS_PER_YEAR = Fraction(36525, 100)
_MJ_PER_KWH = Fraction(36, 10)


class TransactionKind(enum.StrEnum):
    WAKE = "wake"  # wake and poll the parent (GPF) for queued commands
    REPORT = "report"  # push a reading
    REPLY = "reply"  # answer a read or command


@dataclass(frozen=True, kw_only=True, slots=True)
class BatterySpec:
    """A lithium primary cell and what each radio transaction costs it, in microcoulombs."""

    capacity_mah: int = 8500
    usable_fraction: Decimal = Decimal("0.9")  # cut-off voltage and self-discharge over 15 years
    sleep_current_ua: Decimal = Decimal(12)
    wake_uc: int = 3_600  # 1 µAh: ~30 mA for ~120 ms
    report_uc: int = 7_200
    reply_uc: int = 5_400
    design_life_years: int = 15
    used_at_start_mah: int = 0  # an older meter has already spent some

    def __post_init__(self) -> None:
        if self.capacity_mah <= 0 or not 0 < self.usable_fraction <= 1:
            raise ValueError("battery capacity must be positive and usable fraction in (0, 1]")
        if self.sleep_current_ua < 0 or min(self.wake_uc, self.report_uc, self.reply_uc) < 0:
            raise ValueError("battery drains cannot be negative")
        if not 0 <= self.used_at_start_mah < self.capacity_mah:
            raise ValueError("used_at_start_mah must be below the capacity")
        if (Decimal(self.sleep_current_ua) * 1000) % 1:
            raise ValueError("sleep_current_ua is kept to the nanoamp (3 decimal places)")

    @property
    def sleep_current_na(self) -> int:
        return int(Decimal(self.sleep_current_ua) * 1000)

    def cost_uc(self, kind: TransactionKind) -> int:
        return {
            TransactionKind.WAKE: self.wake_uc,
            TransactionKind.REPORT: self.report_uc,
            TransactionKind.REPLY: self.reply_uc,
        }[kind]

    @property
    def usable_uc(self) -> Fraction:
        return Fraction(self.capacity_mah * UC_PER_MAH) * Fraction(self.usable_fraction)


@dataclass(frozen=True, kw_only=True, slots=True)
class RadioDuty:
    """A GSME's scheduled radio life: poll the GPF, push readings, answer reads."""

    poll_interval_s: int = 120
    report_interval_s: int = 1800
    replies_per_report: int = 1

    def __post_init__(self) -> None:
        if self.poll_interval_s <= 0 or self.report_interval_s <= 0 or self.replies_per_report < 0:
            raise ValueError("radio intervals must be positive")

    def daily_uc(self, spec: BatterySpec) -> Fraction:
        """What this duty costs per day, sleep included."""
        per_day = Fraction(86_400)
        return (
            per_day * Fraction(spec.sleep_current_ua)
            + per_day / self.poll_interval_s * spec.wake_uc
            + per_day
            / self.report_interval_s
            * (spec.report_uc + self.replies_per_report * spec.reply_uc)
        )


def _epoch(t: datetime) -> int:
    return int((t - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(seconds=1))


class GasBattery:
    """Charge drawn from the cell: continuous sleep current plus a fixed cost per transaction."""

    def __init__(self, spec: BatterySpec, start: datetime, duty: RadioDuty | None = None) -> None:
        self.spec = spec
        self.duty = duty or RadioDuty()
        self._now = start
        self._sleep_na = spec.sleep_current_na
        self._used_fc = spec.used_at_start_mah * UC_PER_MAH * _FC_PER_UC
        self.transactions: dict[TransactionKind, int] = dict.fromkeys(TransactionKind, 0)
        # Hourly (time, used) checkpoints over a week give the recent drain rate.
        self._checkpoints: deque[tuple[datetime, int]] = deque([(start, self._used_fc)], maxlen=169)

    @property
    def now(self) -> datetime:
        return self._now

    def advance(self, to: datetime) -> None:
        if to <= self._now:
            return
        self._used_fc += self._sleep_na * ((to - self._now) // timedelta(microseconds=1))
        self._now = to
        if to - self._checkpoints[-1][0] >= timedelta(hours=1):
            self._checkpoints.append((to, self._used_fc))

    def transaction(self, kind: TransactionKind | str, count: int = 1) -> None:
        kind = TransactionKind(kind)
        self._used_fc += self.spec.cost_uc(kind) * count * _FC_PER_UC
        self.transactions[kind] += count

    def apply_duty(self, start: datetime, end: datetime, duty: RadioDuty | None = None) -> None:
        """Charge the scheduled polls, reports and replies falling in (start, end]."""
        duty = duty or self.duty
        a, b = _epoch(start), _epoch(end)
        polls = b // duty.poll_interval_s - a // duty.poll_interval_s
        reports = b // duty.report_interval_s - a // duty.report_interval_s
        self.transaction(TransactionKind.WAKE, polls)
        self.transaction(TransactionKind.REPORT, reports)
        self.transaction(TransactionKind.REPLY, reports * duty.replies_per_report)
        self.advance(end)

    @property
    def used_uc(self) -> Fraction:
        return Fraction(self._used_fc, _FC_PER_UC)

    @property
    def remaining_uc(self) -> Fraction:
        return max(Fraction(0), self.spec.usable_uc - self.used_uc)

    @property
    def remaining_mah(self) -> Decimal:
        value = self.remaining_uc / UC_PER_MAH
        return Decimal(value.numerator) / Decimal(value.denominator)

    def daily_drain_uc(self) -> Fraction:
        """Recent drain per day (over up to a week); the duty's nominal rate before an hour."""
        first_time, first_used = self._checkpoints[0]
        span = (self._now - first_time) // timedelta(microseconds=1)
        if span < 3_600_000_000:
            return self.duty.daily_uc(self.spec)
        return Fraction(self._used_fc - first_used, _FC_PER_UC) * 86_400_000_000 / span

    def remaining_days(self) -> int:
        """Metering 0x0205 RemainingBatteryLifeInDays (uint16)."""
        rate = self.daily_drain_uc()
        if rate <= 0:
            return _UINT16_MAX_DAYS
        return min(_UINT16_MAX_DAYS, int(self.remaining_uc / rate))

    def projected_life_years(self) -> Decimal:
        """Whole-cell life at the recent drain rate, to compare with the 15-year design life."""
        rate = self.daily_drain_uc()
        if rate <= 0:
            return Decimal(99)
        years = self.spec.usable_uc / rate / _DAYS_PER_YEAR
        return (Decimal(years.numerator) / Decimal(years.denominator)).quantize(Decimal("0.01"))

    @property
    def meets_design_life(self) -> bool:
        return self.projected_life_years() >= self.spec.design_life_years


class GasMeter:
    """Volume in litres (0.001 m3 register units); kWh at the CV and CF in force at each reading.

    The valve follows the prepayment supply state: no gas flows while it is armed or off.
    """

    def __init__(
        self,
        household: Household,
        start: datetime,
        *,
        account: PrepaymentAccount | None = None,
        calorific_value: Decimal = Decimal("39.5"),
        conversion_factor: Decimal = STANDARD_CONVERSION_FACTOR,
        battery: GasBattery | None = None,
        register_start_litres: int = 0,
    ) -> None:
        self.household = household
        self.account = account
        self.battery = battery or GasBattery(BatterySpec(), start)
        self._now = start
        self._ml = register_start_litres * 1000
        self.volume_register = register_start_litres  # CurrentSummationDelivered, 0.001 m3
        self._cv: list[tuple[datetime, Decimal]] = [(start, Decimal(calorific_value))]
        self._cf: list[tuple[datetime, Decimal]] = [(start, Decimal(conversion_factor))]
        self._change_times: list[datetime] = []
        self._per_litre: dict[tuple[Decimal, Decimal], Fraction] = {}
        self._energy = Fraction(0)  # kWh, exact
        self.daily_litres: dict[date, int] = {}
        self.daily_kwh: dict[date, Fraction] = {}  # exact, at the factors in force (UTC days)

    @property
    def now(self) -> datetime:
        return self._now

    @property
    def volume_m3(self) -> Decimal:
        return Decimal(self.volume_register) / 1000

    @property
    def energy_kwh(self) -> Decimal:
        return Decimal(self._energy.numerator) / Decimal(self._energy.denominator)

    @property
    def supply_on(self) -> bool:
        return self.account is None or self.account.supply is SupplyState.ON

    @staticmethod
    def _at(history: list[tuple[datetime, Decimal]], t: datetime) -> Decimal:
        if len(history) == 1 or t < history[1][0]:
            return history[0][1]
        index = bisect.bisect_right([when for when, _ in history], t) - 1
        return history[index][1]

    def _kwh_per_litre(self, t: datetime) -> Fraction:
        key = (self.calorific_value_at(t), self.conversion_factor_at(t))
        found = self._per_litre.get(key)
        if found is None:
            found = self._per_litre[key] = Fraction(key[0]) * Fraction(key[1]) / 1000 / _MJ_PER_KWH
        return found

    def calorific_value_at(self, t: datetime) -> Decimal:
        return self._at(self._cv, t)

    def conversion_factor_at(self, t: datetime) -> Decimal:
        return self._at(self._cf, t)

    def set_calorific_value(self, cv: Decimal, at: datetime) -> None:
        """PublishCalorificValue: applies to gas measured from `at` on."""
        if not Decimal(0) < cv < Decimal(100):
            raise ValueError(f"a calorific value of {cv} MJ/m3 is not plausible")
        self._cv = [e for e in self._cv if e[0] < at] + [(at, Decimal(cv))]
        self._reindex()

    def set_conversion_factor(self, cf: Decimal, at: datetime) -> None:
        if not Decimal("0.9") < cf < Decimal("1.1"):
            raise ValueError(f"a conversion factor of {cf} is not plausible")
        self._cf = [e for e in self._cf if e[0] < at] + [(at, Decimal(cf))]
        self._reindex()

    def _reindex(self) -> None:
        self._change_times = sorted({when for when, _ in (*self._cv[1:], *self._cf[1:])})

    def kwh_per_m3(self, t: datetime) -> Decimal:
        return gas_kwh(1, self.calorific_value_at(t), self.conversion_factor_at(t))

    def flow_m3_per_hour(self, t: datetime) -> Decimal:
        return self.household.gas_m3_per_hour(t) if self.supply_on else Decimal(0)

    def _changes_between(self, a: datetime, b: datetime) -> list[datetime]:
        times = self._change_times
        if not times or times[-1] <= a:
            return []
        return times[bisect.bisect_right(times, a) : bisect.bisect_left(times, b)]

    def advance(self, to: datetime) -> None:
        """Measure gas up to `to`, convert the new litres to kWh and charge the account."""
        if to <= self._now:
            return
        for cut in [*self._changes_between(self._now, to), to]:
            self._advance_segment(cut)
        self.battery.advance(to)

    def _advance_segment(self, to: datetime) -> None:
        start = self._now
        if self.account is not None:
            self.account.accrue(start, lazy=True)
        ml = self.household.gas_volume_ml(start, to) if self.supply_on else 0
        self._ml += ml
        register = self._ml // 1000
        litres = register - self.volume_register
        self.volume_register = register
        kwh = Fraction(0)
        if litres:
            day = start.astimezone(UTC).date()
            self.daily_litres[day] = self.daily_litres.get(day, 0) + litres
            if len(self.daily_litres) > 40:
                del self.daily_litres[min(self.daily_litres)]
            kwh = litres * self._kwh_per_litre(start)
            self._energy += kwh
            self.daily_kwh[day] = self.daily_kwh.get(day, Fraction(0)) + kwh
            if len(self.daily_kwh) > 40:
                del self.daily_kwh[min(self.daily_kwh)]
        if self.account is not None:
            self.account.charge_energy(start, to, kwh)
        self._now = to

"""An ESME's metrology: import/export and per-tier registers, demand, ambient level, charging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction

from device_backend.model import AmbientLevel, SupplyState
from device_backend.simulator.household import Household
from device_backend.simulator.prepayment import PrepaymentAccount

__all__ = ["AmbientThresholds", "ElectricityMeter"]

_J_PER_WH = 3600
_J_PER_KWH = 3_600_000


@dataclass(frozen=True, kw_only=True, slots=True)
class AmbientThresholds:
    """SMETS LowMediumPowerThreshold and MediumHighPowerThreshold (ECS34), in watts."""

    low_medium_w: int = 1000
    medium_high_w: int = 3000

    def __post_init__(self) -> None:
        if not 0 < self.low_medium_w < self.medium_high_w:
            raise ValueError("ambient thresholds must satisfy 0 < low/medium < medium/high")

    def level(self, watts: int) -> AmbientLevel:
        if watts >= self.medium_high_w:
            return AmbientLevel.HIGH
        if watts >= self.low_medium_w:
            return AmbientLevel.MEDIUM
        return AmbientLevel.LOW


class ElectricityMeter:
    """Registers kept in joules and read as whole Wh, so every split of time sums exactly.

    Import goes to the register of the tier in force (an interval crossing a tier change is
    split there). While the supply is not on the household draws nothing (and a solar
    inverter stops too). A meter without export registers ignores exported energy.
    """

    def __init__(
        self,
        household: Household,
        account: PrepaymentAccount,
        start: datetime,
        *,
        export: bool = False,
        ambient: AmbientThresholds | None = None,
    ) -> None:
        self.household = household
        self.account = account
        self.export = export
        self.ambient = ambient or AmbientThresholds()
        self._now = start
        self.import_j = 0
        self.export_j = 0
        self.tier_j: dict[int, int] = {t.tier: 0 for t in account.schedule.tariff_at(start).tiers}
        self.daily_import_j: dict[date, int] = {}
        self.daily_export_j: dict[date, int] = {}

    @property
    def now(self) -> datetime:
        return self._now

    @property
    def supply_on(self) -> bool:
        return self.account.supply is SupplyState.ON

    # -- registers (Wh, the ZSE summation with divisor 1000 gives kWh) ------------------------

    @property
    def import_wh(self) -> int:
        return self.import_j // _J_PER_WH

    @property
    def export_wh(self) -> int:
        return self.export_j // _J_PER_WH

    def tier_wh(self, tier: int) -> int:
        return self.tier_j.get(tier, 0) // _J_PER_WH

    @property
    def tier_registers_wh(self) -> dict[int, int]:
        return {tier: j // _J_PER_WH for tier, j in sorted(self.tier_j.items())}

    def day_import_wh(self, day: date) -> int:
        return self.daily_import_j.get(day, 0) // _J_PER_WH

    def day_export_wh(self, day: date) -> int:
        return self.daily_export_j.get(day, 0) // _J_PER_WH

    # -- instantaneous ----------------------------------------------------------------------

    def demand_w(self, t: datetime) -> int:
        """InstantaneousDemand in W: negative when exporting (export meters only)."""
        if not self.supply_on:
            return 0
        watts = self.household.electric_watts(t)
        return watts if self.export else max(watts, 0)

    def ambient_level(self, t: datetime) -> AmbientLevel:
        return self.ambient.level(max(self.demand_w(t), 0))

    def active_tier(self, t: datetime) -> int:
        return self.account.schedule.price_at(t, self.account.block_used_kwh).tier

    # -- time passing -----------------------------------------------------------------------

    def advance(self, to: datetime) -> None:
        """Meter the household up to `to` and charge the account for the imported energy."""
        cursor = self._now
        schedule = self.account.schedule
        while cursor < to:
            change = schedule.next_change_after(cursor)
            seg_end = to if change is None or change.at >= to else change.at
            self._segment(cursor, seg_end)
            cursor = seg_end
        self._now = max(self._now, to)

    def _segment(self, start: datetime, end: datetime) -> None:
        self.account.accrue(start, lazy=True)
        if self.supply_on:
            energy = self.household.electric_energy(start, end)
            imported, exported = energy.import_j, energy.export_j if self.export else 0
        else:
            imported = exported = 0
        tier = self.active_tier(start)
        self.import_j += imported
        self.export_j += exported
        self.tier_j[tier] = self.tier_j.get(tier, 0) + imported
        day = start.astimezone(UTC).date()
        self.daily_import_j[day] = self.daily_import_j.get(day, 0) + imported
        self.daily_export_j[day] = self.daily_export_j.get(day, 0) + exported
        if len(self.daily_import_j) > 40:
            oldest = min(self.daily_import_j)
            del self.daily_import_j[oldest]
            self.daily_export_j.pop(oldest, None)
        self.account.charge_energy(start, end, Fraction(imported, _J_PER_KWH))
        self._now = end

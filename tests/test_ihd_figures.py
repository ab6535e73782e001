"""One rounding rule per quantity on every screen, and a standing charge that accrues."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from device_backend import model
from device_backend.clock import LONDON
from device_backend.store.history import PeriodTotal as StorePeriod
from ihd_app.totals import StoreTotals, standing_accrued
from tests.support.display import START, Display

CHARGE = Decimal("53.35")  # pence a day
MIDNIGHT = datetime(2026, 1, 12, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("at", "share"),
    [
        (MIDNIGHT, Decimal(1) / 48),  # the first half-hour has begun
        (MIDNIGHT + timedelta(hours=8), Decimal(17) / 48),
        (MIDNIGHT + timedelta(hours=23, minutes=59), Decimal(1)),
    ],
)
def test_the_standing_charge_accrues_by_the_half_hour(at: datetime, share: Decimal) -> None:
    assert standing_accrued(CHARGE, MIDNIGHT, MIDNIGHT + timedelta(days=1), at) == CHARGE * share


def test_a_short_clock_change_day_shares_the_charge_over_46_half_hours() -> None:
    day = datetime(2026, 3, 29, tzinfo=LONDON)  # British Summer Time starts: 23 hours
    end = datetime(2026, 3, 30, tzinfo=LONDON)
    noon = datetime(2026, 3, 29, 12, tzinfo=LONDON)  # 11 hours after midnight, 22 slots done
    assert standing_accrued(CHARGE, day, end, noon) == CHARGE * 23 / 46
    assert standing_accrued(CHARGE, day, end, end - timedelta(minutes=1)) == CHARGE


class _Store:
    """Today so far as the store gives it: 4 kWh at 25p, and the whole day's standing charge."""

    def daily_totals(self, fuel: model.Fuel, days: int = 8) -> list[StorePeriod]:
        return [
            StorePeriod(
                fuel=fuel,
                start=MIDNIGHT,
                end=MIDNIGHT + timedelta(days=1),
                kwh=Decimal(4),
                export_kwh=Decimal(0),
                energy_cost_pence=Decimal(100),
                unpriced_kwh=Decimal(0),
                standing_charge_pence=CHARGE,
            )
        ]


def test_usage_at_eight_does_not_charge_the_whole_day() -> None:
    eight = MIDNIGHT + timedelta(hours=8)
    today = StoreTotals(_Store(), now=lambda: eight).totals(model.Fuel.ELECTRICITY, "day", 1)
    # 100p of energy and 17/48 of 53.35p (18.89p): 119p, not 153p.
    assert today[-1].cost_pence == 119
    assert StoreTotals(_Store()).totals(model.Fuel.ELECTRICITY, "day", 1)[-1].cost_pence == 153


def test_exported_energy_has_one_rounding_on_the_export_screen(display: Display) -> None:
    def energy(at: datetime, imported: int, exported: int) -> model.Energy:
        return model.Energy(
            time=at,
            fuel=model.Fuel.ELECTRICITY,
            import_raw=imported,
            multiplier=1,
            divisor=1000,
            export_raw=exported,
        )

    display.emit(energy(START, 1_000_000, 200_000))
    display.emit(energy(START + timedelta(hours=1), 1_000_310, 200_540))
    display.tap("tab-export")
    # A no-break space between each figure and its unit: they never wrap apart (issue 19).
    assert display.text("export-exported") == "Exported: 0.5\u00a0kWh"  # 0.54 kWh today
    assert display.text("export-bought") == "Bought: 0.3\u00a0kWh"  # 0.31 kWh
    assert display.text("export-register") == "Exported: 200.5\u00a0kWh"
    assert display.text("import-register") == "Bought: 1,000.3\u00a0kWh"

"""A new display on a home that has run for 20 days shows 8 days, 5 weeks and the months so far
within its first minute: the meters' own logs (Metering 0x0401-0x045B, the gas proxy's kWh set
at 0x0C01-0x0C5B, Prepayment cost 0x051C-0x055B) are read when each meter is adopted."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt

from device_backend.facade import Backend
from device_backend.simulator.meters import (
    ALTERNATIVE,
    COST_IDS,
    METERING,
    PREPAYMENT,
    PREVIOUS_DAY,
    PREVIOUS_DAYS,
    PREVIOUS_MONTHS,
)
from ihd_app import formatting
from tests.support.display import Display

FIRST_MINUTE = timedelta(minutes=1)


def _touch_bar(d: Display, index: int) -> None:
    chart = d.window.screens["history"].bars
    x, y = chart.bar_centre(index)

    async def touch() -> None:
        d.qtbot.mouseClick(
            chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y))
        )
        await asyncio.sleep(0)

    d.run(touch())


def _kwh(meter: Any, attribute: int) -> Decimal:
    return Decimal(int(meter.get_attribute(1, METERING, attribute))) / 1000  # Wh registers


def test_a_new_display_on_a_20_day_old_home_shows_its_history_in_its_first_minute(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    backend = Backend("sim:credit-dual-fuel", speed=None, seed=3)
    home = backend.home
    installed = home.clock.now() + timedelta(days=20)  # Sun 1 Feb 2026, 06:00 UTC
    home.run_offline(installed)  # twenty days of metering nobody was listening to
    d = Display(qtbot, loop, tmp_path / "display.json", backend)  # no history of its own
    try:
        d.run(backend.wait_for_meters(timeout=20))
        d.settle()
        assert backend.clock.now() - installed < FIRST_MINUTE
        esme, proxy = home.esme, home.gas_proxy
        d.tap("tab-history")
        history = d.state.history

        # 8 days, each the meter's own figure (today so far last).
        days = [PREVIOUS_DAYS[n] for n in range(7, 1, -1)] + [PREVIOUS_DAY, 0x0401]
        assert [bar.kwh for bar in history.bars] == [_kwh(esme, i) for i in days]
        assert all(bar.kwh > 0 for bar in history.bars)
        # Yesterday in words, with the meter's own cost for it (Prepayment cost log).
        yesterday_cost = Decimal(int(esme.get_attribute(1, PREPAYMENT, COST_IDS[1][1]))) / 1000
        _touch_bar(d, 6)
        assert d.text("history-readout") == (
            f"Sat 31 Jan: {formatting.kwh(_kwh(esme, PREVIOUS_DAY))}, "
            f"{formatting.pounds(yesterday_cost)}"
        )

        # 5 weeks: the home's three (from Monday 12 January) and two before it, empty.
        d.tap("history-weeks")
        assert [bar.kwh > 0 for bar in history.bars] == [False, False, True, True, True]

        # The months so far: December had nothing, January and February so far did.
        d.tap("history-months")
        assert len(history.bars) == 13
        assert history.bars[-2].kwh == _kwh(esme, PREVIOUS_MONTHS[1])
        assert history.bars[-2].kwh > 0
        assert history.bars[-1].kwh > 0
        assert history.bars[-3].kwh == 0

        # Gas from the gas proxy's own kWh log, not converted here.
        d.tap("history-days")
        d.tap("history-gas")
        assert history.bars[-2].kwh == _kwh(proxy, PREVIOUS_DAY + ALTERNATIVE)
        assert history.bars[-2].kwh > 0
    finally:
        d.close()

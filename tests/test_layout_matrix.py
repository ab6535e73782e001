"""Every screen in every state fits the panel: no page scroll bar, nothing cut off or elided.

The matrix is screens x states x languages x text sizes x panel sizes, sampled so that it runs
in well under a minute on two cores: every screen in every state in English and Welsh at
800x480 with normal text (the panel the display is made for, and where a household most
often meets an alert), and the busiest states at 150% and 200% text and on the 1024x600 and
1280x800 panels. A failure saves a screenshot of the broken screen (see SHOTS).
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from device_backend import model
from tests.support import tariffs
from tests.support.display import (
    PAGES,
    START,
    Display,
    feed_a_home,
    open_page,
    prepayment,
    price,
    write_settings,
)
from tests.support.layout import layout_problems, scroll_problems, touch_problems

# Where failing screens are saved: CI keeps this folder as an artefact.
SHOTS = Path(os.environ.get("IHD_LAYOUT_SHOTS", Path(__file__).parent.parent / "layout-failures"))


def _clear_alerts(d: Display) -> None:
    while d.state.alerts.current is not None:
        d.state.alerts.dismiss()


def _alerts_pending(d: Display) -> None:
    """Low credit, a message, a price rise and paused loads, all waiting on the status line."""
    d.emit(
        price(START, pence="27.00"),
        model.LoadControl(
            time=START,
            event_id=3,
            load="electric vehicle charger, water heater",
            starts=START,
            ends=START + timedelta(hours=2),
            active=True,
        ),
    )


def _credit_home(d: Display) -> None:
    d.emit(
        model.Prepayment(
            time=START,
            mode=model.PaymentMode.CREDIT,
            credit_pence=0,
            emergency_credit_pence=0,
            debt_pence=0,
            low_credit=False,
            emergency_credit_available=False,
            emergency_credit_selected=False,
        )
    )
    _clear_alerts(d)


def _connection(state: model.ConnectionState) -> Callable[[Display], None]:
    def apply(d: Display) -> None:
        d.emit(model.Connection(time=START, state=state, reason="No reply from the meter"))

    return apply


def _emergency(selected: bool) -> Callable[[Display], None]:
    def apply(d: Display) -> None:
        d.emit(prepayment(START, credit=0, selected=selected, low=True))

    return apply


def _supply(state: model.SupplyState) -> Callable[[Display], None]:
    def apply(d: Display) -> None:
        d.emit(prepayment(START, credit=0, low=True), model.Supply(time=START, state=state))

    return apply


def _urgent_message(d: Display) -> None:
    d.emit(
        model.SupplierMessage(
            time=START, id=8, text="Engineer visit on Friday morning.", importance="high"
        )
    )


def _credit_panel(d: Display) -> None:
    """A dual-fuel prepayment home on Now: the low-credit state, a line for each fuel's meter
    and the days left, in the credit card beside the figures."""
    from dataclasses import replace

    d.emit(replace(prepayment(START, credit=1280, low=True), fuel=model.Fuel.GAS))
    assert len(d.text("now-balance").splitlines()) == 2
    # The meters' top-up logs put a "Recent top-ups" button under the gas card on Balance.
    d.emit(model.TopUpLog(time=START, fuel=model.Fuel.GAS, entries=((START, Decimal(500)),)))


def _top_up_log(d: Display) -> None:
    """A dual-fuel prepayment home with nothing urgent: the meters' top-up logs put a "Recent
    top-ups" button under the gas card (it gives way to urgent actions, see credit-panel)."""
    from dataclasses import replace

    _clear_alerts(d)
    d.emit(
        prepayment(START, credit=2500, available=False),
        replace(prepayment(START, credit=2000, available=False), fuel=model.Fuel.GAS),
        model.TopUpLog(time=START, fuel=model.Fuel.GAS, entries=((START, Decimal(500)),)),
    )


def _night_rate(d: Display) -> None:
    """High use while the cheap night rate is in force: the sign explains itself."""
    d.emit(
        price(START, pence="9.80", tier=2, label="Night", starts=START),
        price(START, starts=START + timedelta(hours=7)),
    )
    _credit_panel(d)


def _budget(d: Display) -> None:
    """A weekly budget set, already over it: Now's line and bar, Usage's forecast."""
    d.state.settings.set_budget_period("week")
    assert d.state.budget.over()
    _credit_panel(d)


def _tariff_schedule(d: Display) -> None:
    """The busiest Prices page: a time-of-use calendar with today's and tomorrow's bands,
    holiday prices and a tariff announced for February."""
    d.emit(tariffs.current_price(START, "24.50", 2, "Standard"), tariffs.schedule(START))


def _block_and_48_rates(d: Display) -> None:
    """Block position for electricity, 48 half-hourly rates for gas (the widest bands)."""
    d.emit(
        tariffs.current_price(START, "21.00", 1, "Block 1", tariff="Block 2026"),
        tariffs.schedule(
            START, tariffs=(tariffs.BLOCK,), calendars=(), block_period=tariffs.YEAR_2026
        ),
        replace(tariffs.current_price(START, "16.25", 25, ""), fuel=model.Fuel.GAS),
        tariffs.schedule(
            START,
            tariffs=(tariffs.RATES_48,),
            calendars=(tariffs.CALENDAR_48,),
            fuel=model.Fuel.GAS,
        ),
    )


# Each state starts from feed_a_home (prepayment, Economy 7, gas, export, a message waiting).
STATES: dict[str, Callable[[Display], None]] = {
    "alerts-pending": _alerts_pending,
    "quiet": _clear_alerts,
    "credit-mode": _credit_home,
    "offline": _connection(model.ConnectionState.OFFLINE),
    "stale": _connection(model.ConnectionState.STALE),
    "emergency-offered": _emergency(False),
    "emergency-in-use": _emergency(True),
    "supply-off": _supply(model.SupplyState.OFF),
    "supply-armed": _supply(model.SupplyState.ARMED),
    "urgent-message": _urgent_message,
    "credit-panel": _credit_panel,
    "night-rate-high-use": _night_rate,
    "top-up-log": _top_up_log,
    "budget": _budget,
    "tariff-schedule": _tariff_schedule,
    "block-and-48-rates": _block_and_48_rates,
}

# At 150% and 200% text on an 800x480 panel (about nine and six lines under the status line)
# a page folds onto further views behind "More details" (widgets/folding.py): every view of
# every page is checked, as a person would reach it, by tapping "More details" to the last.
MAX_VIEWS = 8

# (state, language, text size, panel)
CASES = [(state, lang, "normal", (800, 480)) for state in STATES for lang in ("en", "cy")]
CASES += [
    (state, lang, size, (800, 480))
    for state in ("alerts-pending", "credit-panel", "budget", "top-up-log")
    for lang in ("en", "cy")
    for size in ("large", "largest")
]
CASES += [
    (state, lang, "normal", panel)
    for state in ("alerts-pending", "quiet")
    for lang in ("en", "cy")
    for panel in ((1024, 600), (1280, 800))
]
CASES += [("alerts-pending", "cy", "large", (1280, 800))]


def _case_id(case: tuple[str, str, str, tuple[int, int]]) -> str:
    state, lang, size, (w, h) = case
    return f"{state}-{lang}-{size}-{w}x{h}"


def _shoot(d: Display, case_id: str, page: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{case_id}-{page}.png"
    d.window.grab().save(str(path))
    return path


def _page_problems(d: Display) -> list[str]:
    return layout_problems(d.window) + touch_problems(d.window) + scroll_problems(d.window)


def _more_details(d: Display) -> QPushButton | None:
    """The page's "More details" button, if the page is folded and not on its last view."""
    shown = [
        b
        for b in d.window.findChildren(QPushButton)
        if b.objectName().endswith("-fold-more") and b.isVisible()
    ]
    assert len(shown) <= 1, [b.objectName() for b in shown]
    return shown[0] if shown else None


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_every_screen_fits(
    case: tuple[str, str, str, tuple[int, int]],
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    english_after: None,
) -> None:
    state, language, size, panel = case
    settings = write_settings(tmp_path / "display.json", text_size=size, language=language)
    d = Display(qtbot, loop, settings)
    try:
        d.window.resize(*panel)
        feed_a_home(d)
        STATES[state](d)
        # Only lists scroll (Messages, Settings, the Menu: their own scroll areas are marked
        # as lists), at every size; a page too tall for the panel folds instead.
        failed = {}
        for page in PAGES:
            open_page(d, page)
            popup = d.window.alerts.popup
            if popup.isVisible() and page != PAGES[0]:
                continue  # the popup is on top of every page alike: checked once, on Now
            for view in range(1, MAX_VIEWS + 1):
                where = page if view == 1 else f"{page} (view {view})"
                problems = _page_problems(d)
                if problems:
                    shot = _shoot(d, re.sub(r"[^\w-]", "_", _case_id(case)), f"{page}-{view}")
                    failed[where] = [*problems, f"screenshot: {shot}"]
                more = _more_details(d)
                if more is not None and size == "normal":
                    failed[where] = ["folds at normal text, where every page fits"]
                if more is None or popup.isVisible():
                    break
                d.tap(more.objectName())
                QApplication.processEvents()
            else:
                failed[page] = [f"still more details after {MAX_VIEWS} views"]
        assert (d.window.width(), d.window.height()) == panel
    finally:
        d.close()
    assert not failed, "\n".join(f"{page}: {p}" for page, ps in failed.items() for p in ps)

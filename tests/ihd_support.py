"""Old name of tests/support/display.py, kept for test modules written before the support package.

New tests import from tests.support.display and take their fixtures from conftest; remove this
module once nothing imports it.
"""

from tests.support.display import (
    PAGES,
    START,
    Display,
    FakeBackend,
    FakeClock,
    FakeTotals,
    demand,
    display,
    english_after,
    feed_a_home,
    model,
    open_page,
    prepayment,
    price,
    write_settings,
)
from tests.support.loops import loop

__all__ = [
    "PAGES",
    "START",
    "Display",
    "FakeBackend",
    "FakeClock",
    "FakeTotals",
    "demand",
    "display",
    "english_after",
    "feed_a_home",
    "loop",
    "model",
    "open_page",
    "prepayment",
    "price",
    "write_settings",
]

"""Soak (issue 10): the display and the back end live through a simulated month at full speed.

The real window (offscreen) on the simulated home, with its history store in tmp_path, wired
the way `ihd` wires them (ihd_app.main): store subscribed to the facade's events, the window's
DisplayState attached to the facade, totals from the store, the one-second tick running. The
simulated clock runs at speed "max" (discrete jumps) in steps of one simulated hour; after each
step the loop and Qt run, one screen is put on view (every screen, every History view and both
fuels in turn) and the whole window is rendered, so charts and labels repaint as time moves.

After a warm-up day, and then once a simulated day, the test samples (after gc.collect() and
malloc_trim, at a quiet moment between steps): resident memory, anonymous heap, open file
descriptors, asyncio tasks, live Python objects, SQLite's heap, the simulator's day cache and
the SQLite files' sizes. It asserts:

- nothing crashed and nothing was logged at ERROR (the app logs rather than raises);
- the store holds readings over the whole run, and the History screen's 8-day and 5-week bars
  show them;
- open fds and asyncio tasks are the same at the end as after the warm-up (slack below);
- resident memory is flat: two bounded caches that fill for weeks (SQLite's page cache and the
  simulator's cache of built days) are measured on their own and checked against their caps;
  the rest of resident memory grows less than GROWTH_LIMIT_MB after the warm-up, and less than
  SECOND_HALF_LIMIT_MB over the second half alone, which tells a cache still warming up in the
  first half from a leak (that grows in both).

SOAK_DAYS (default DEFAULT_DAYS; .ci/run sets 30) sets the simulated days, SOAK_SCENARIO the scenario (default
the facade's sim:credit-dual-fuel), SOAK_REPORT=path writes the figures as JSON; `-s` prints
them.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import json
import logging
import os
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from device_backend.simulator import household
from tests.support.probes import ReportCounter, heap_mb, rss_mb, trim_heap
from tests.support.wired import WiredDisplay, open_display

DEFAULT_DAYS = 7  # about 4 minutes; SOAK_DAYS=30 for the month (about 14 minutes)
SCENARIO = os.environ.get("SOAK_SCENARIO", "sim:credit-dual-fuel")
SEED = 20260112
WARM_UP = timedelta(days=1)
STEP = timedelta(hours=1)
# Two bounded caches fill for weeks and are measured apart, each checked against its cap:
# SQLite's page cache (the store sets cache_size = -4096, 4 MiB, and the file grows about
# 0.4 MB a simulated day) and the simulator's household, which keeps its last few simulated
# days of step arrays (about 0.55 MB a day; radio-side test scaffolding, not the display).
SQLITE_CAP_MB = 4.2 + 4.0  # the page cache, plus schema and prepared statements
SIM_CACHE_DAYS = household._DAY_CACHE
# Resident memory outside those caches, from the end of the warm-up day to the end of the run:
GROWTH_LIMIT_MB = 10.0
# ... and over the second half alone: a leak grows in both halves; a warming cache in the first.
SECOND_HALF_LIMIT_MB = 4.0
# A refresh or probe job of the back end may be in flight at the instant of a sample (they
# come and go every few simulated minutes); a leak would add one or more per simulated hour.
TASK_SLACK = 1
# fds: none. SQLite keeps its database, WAL and shm open; Qt and the loop theirs.
FD_SLACK = 0

# One screen per simulated hour, in turn: (screen, History view, History fuel).
VISITS: tuple[tuple[str, str | None, str | None], ...] = (
    ("now", None, None),
    ("usage", None, None),
    ("history", "days", "electricity"),
    ("history", "weeks", "electricity"),
    ("history", "months", "electricity"),
    ("history", "hour", "electricity"),
    ("history", "day", "electricity"),
    ("history", "days", "gas"),
    ("history", "day", "gas"),
    ("tariff", None, None),
    ("balance", None, None),
    ("balance-keypad", None, None),
    ("messages", None, None),
    ("export", None, None),
    ("settings", None, None),
    ("menu", None, None),
)


def _days() -> float:
    return float(os.environ.get("SOAK_DAYS", DEFAULT_DAYS))


# About 27-35 s of wall time per simulated day here (the "Last day" chart redraws thousands of
# points on every report while it is on view): `slow` says so, though the plain suite still runs it.
pytestmark = [
    pytest.mark.reliability,
    pytest.mark.slow,
    # Its own limit instead of the suite's 300 s: two minutes to start, a minute a simulated day
    # (twice the 27-35 s it takes here), so SOAK_DAYS=30 may run 32 minutes before it is called hung.
    pytest.mark.timeout(120 + 60 * _days()),
]


# -- measuring -------------------------------------------------------------------------------


def _sqlite_mb() -> float:
    """SQLite's own heap (page caches above all), from the library the sqlite3 module uses."""
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
    except OSError:  # statically linked into _sqlite3: not measurable this way
        return 0.0
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    return int(lib.sqlite3_memory_used()) / 1e6


def _sim_cache_mb(backend: Any) -> float:
    """The simulated household's cache of built days (numpy step arrays)."""
    days = getattr(getattr(getattr(backend, "home", None), "household", None), "_days", {})
    return (
        sum(
            getattr(day, name).nbytes
            for day in days.values()
            for name in type(day).__slots__
            if hasattr(getattr(day, name, None), "nbytes")
        )
        / 1e6
    )


@dataclass
class Sample:
    day: float
    wall_s: float
    rss_mb: float
    heap_mb: float
    sqlite_mb: float
    sim_cache_mb: float
    fds: int
    tasks: int
    objects: int
    db_bytes: int
    reports: int


@dataclass
class Soak:
    """What the month did, for the assertions and the report."""

    samples: list[Sample] = field(default_factory=list)
    events: Counter[str] = field(default_factory=Counter)
    drops: int = 0
    visits: int = 0
    peak_rss_mb: float = 0.0
    sim_days: list[Any] = field(default_factory=list)
    warnings: int = 0
    task_names: list[list[str]] = field(default_factory=list)
    fd_targets: list[list[str]] = field(default_factory=list)


def _fd_targets() -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the listing's own fd, closed by now
            continue
    return sorted(found)


# -- the display, as ihd_app.main builds it --------------------------------------------------


def _db_bytes(shown: WiredDisplay) -> int:
    return sum(p.stat().st_size for p in shown.folder.glob("history.db*"))


async def _visit(shown: WiredDisplay, visit: tuple[str, str | None, str | None]) -> None:
    """Put one screen on view as a tap would, let Qt run, and render the window."""
    from device_backend import model

    window = shown.window
    screen, view, fuel = visit
    if screen == "menu":
        window.show_menu()
    elif screen == "balance-keypad":
        window.show_screen("balance")
        window.screens["balance"].open_keypad()
    else:
        window.show_screen(screen)
    if view is not None and fuel is not None:
        history = shown.state.history
        history.set_fuel(model.Fuel(fuel))
        history.set_view(view)
    await asyncio.sleep(0.005)  # Qt's posted events and timers run while the loop waits
    window.grab()  # a full render of the window: every chart on view repaints


# -- the run ---------------------------------------------------------------------------------


async def _soak(folder: Path, days: float) -> tuple[Soak, WiredDisplay, float]:
    from device_backend import model

    soak = Soak()
    # NORMAL, as ihd_app.main opens a simulated home's throw-away history.
    shown = await open_display(folder, "NORMAL", SCENARIO, SEED)
    try:
        backend, clock = shown.backend, shown.backend.clock
        began = clock.now()

        def seen(event: Any) -> None:
            soak.events[type(event).__name__] += 1
            if (
                isinstance(event, model.Connection)
                and event.state is not model.ConnectionState.ONLINE
            ):
                soak.drops += 1

        backend.on_event(seen)
        counter = ReportCounter()
        counter.follow(backend.app)
        wall = time.perf_counter()
        end = began + timedelta(days=days)
        next_sample = began + WARM_UP
        while clock.now() < end:
            await backend.run_until(min(end, clock.now() + STEP))
            counter.follow(backend.app)  # a reconnect brings a new radio
            await _visit(shown, VISITS[soak.visits % len(VISITS)])
            soak.visits += 1
            soak.peak_rss_mb = max(soak.peak_rss_mb, rss_mb())
            if clock.now() >= next_sample or clock.now() >= end:
                trim_heap()
                soak.samples.append(
                    Sample(
                        day=(clock.now() - began) / timedelta(days=1),
                        wall_s=time.perf_counter() - wall,
                        rss_mb=rss_mb(),
                        heap_mb=heap_mb(),
                        sqlite_mb=_sqlite_mb(),
                        sim_cache_mb=_sim_cache_mb(backend),
                        fds=len(os.listdir("/proc/self/fd")),
                        tasks=len(asyncio.all_tasks()),
                        objects=len(gc.get_objects()),
                        db_bytes=_db_bytes(shown),
                        reports=counter.count,
                    )
                )
                soak.task_names.append(sorted(t.get_name() for t in asyncio.all_tasks()))
                soak.fd_targets.append(_fd_targets())
                next_sample += timedelta(days=1)
        soak.sim_days = list(getattr(getattr(backend.home, "household", None), "_days", {}))
        return soak, shown, time.perf_counter() - wall
    except BaseException:
        await shown.close()
        raise


def _outside(sample: Sample) -> float:
    return sample.rss_mb - sample.sqlite_mb - sample.sim_cache_mb


def _figures(soak: Soak, wall_s: float, days: float) -> dict[str, Any]:
    first, last = soak.samples[0], soak.samples[-1]
    middle = soak.samples[len(soak.samples) // 2]
    return {
        "scenario": SCENARIO,
        "simulated_days": round(last.day, 2),
        "wall_s": round(wall_s, 1),
        "wall_s_per_simulated_day": round(wall_s / max(last.day, 1e-9), 2),
        "metering_reports": last.reports,
        "backend_events": sum(soak.events.values()),
        "events_by_kind": dict(soak.events),
        "connection_drops": soak.drops,
        "screen_visits": soak.visits,
        "rss_mb_after_warm_up": round(first.rss_mb, 1),
        "rss_mb_middle": round(middle.rss_mb, 1),
        "rss_mb_end": round(last.rss_mb, 1),
        "rss_mb_peak": round(soak.peak_rss_mb, 1),
        "rss_growth_mb": round(last.rss_mb - first.rss_mb, 2),
        "rss_growth_first_half_mb": round(middle.rss_mb - first.rss_mb, 2),
        "rss_growth_second_half_mb": round(last.rss_mb - middle.rss_mb, 2),
        "heap_growth_mb": round(last.heap_mb - first.heap_mb, 2),
        "sqlite_mb_after_warm_up": round(first.sqlite_mb, 2),
        "sqlite_mb_end": round(last.sqlite_mb, 2),
        "sim_cache_mb_after_warm_up": round(first.sim_cache_mb, 2),
        "sim_cache_mb_end": round(last.sim_cache_mb, 2),
        "sim_cache_days_end": len(soak.sim_days),
        "rss_growth_outside_caches_mb": round(_outside(last) - _outside(first), 2),
        "outside_caches_first_half_mb": round(_outside(middle) - _outside(first), 2),
        "outside_caches_second_half_mb": round(_outside(last) - _outside(middle), 2),
        "log_warnings": soak.warnings,
        "max_rss_mb_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000, 1),
        "fds_after_warm_up": first.fds,
        "fds_end": last.fds,
        "fds_max": max(s.fds for s in soak.samples),
        "tasks_after_warm_up": first.tasks,
        "tasks_end": last.tasks,
        "tasks_max": max(s.tasks for s in soak.samples),
        "python_objects_after_warm_up": first.objects,
        "python_objects_end": last.objects,
        "db_mb_after_warm_up": round(first.db_bytes / 1e6, 2),
        "db_mb_end": round(last.db_bytes / 1e6, 2),
        "limits": {
            "growth_outside_caches_mb": GROWTH_LIMIT_MB,
            "second_half_outside_caches_mb": SECOND_HALF_LIMIT_MB,
            "sqlite_cap_mb": SQLITE_CAP_MB,
            "sim_cache_days": SIM_CACHE_DAYS,
            "task_slack": TASK_SLACK,
            "fd_slack": FD_SLACK,
        },
        "samples": [
            vars(s)
            | {
                "day": round(s.day, 2),
                "wall_s": round(s.wall_s, 1),
                "rss_mb": round(s.rss_mb, 2),
                "heap_mb": round(s.heap_mb, 2),
                "sqlite_mb": round(s.sqlite_mb, 2),
                "sim_cache_mb": round(s.sim_cache_mb, 2),
            }
            for s in soak.samples
        ],
    }


def _report(figures: dict[str, Any]) -> None:
    brief = {k: v for k, v in figures.items() if k not in ("samples", "events_by_kind")}
    print("\nsoak:", json.dumps(brief, indent=1))
    print(
        "soak samples (day, wall s, rss MB, heap MB, sqlite MB, sim cache MB, fds, tasks, objects,"
        " db bytes, reports):"
    )
    for s in figures["samples"]:
        print("  ", *s.values())
    path = os.environ.get("SOAK_REPORT")
    if path:
        Path(path).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


@pytest.fixture
def errors_logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    caplog.set_level(logging.WARNING)
    return caplog.records


def test_a_simulated_month_with_the_display_live(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    errors_logged: list[logging.LogRecord],
) -> None:
    from device_backend import model

    days = _days()
    assert days >= 2, "the soak needs a warm-up day and at least one day after it"
    soak, shown, wall_s = loop.run_until_complete(_soak(tmp_path, days))
    try:
        soak.warnings = sum(1 for r in errors_logged if r.levelno == logging.WARNING)
        figures = _figures(soak, wall_s, days)
        _report(figures)
        # -- the month is there: in the store and on the History screen ------------------------
        store, now = shown.store, shown.backend.clock.now()
        start = now - timedelta(days=days)
        for fuel in model.Fuel:
            series = store.series(fuel, start, now)
            assert len(series.times), f"no {fuel.value} readings stored"
            span_days = (series.times[-1] - series.times[0]) / 86400
            assert span_days >= days - 1.05, f"{fuel.value} readings span {span_days:.1f} days"
        history = shown.state.history
        shown.window.show_screen("history")
        for fuel in model.Fuel:
            history.set_fuel(fuel)
            history.set_view("days")
            used = [b for b in history.bars if b.kwh > 0]
            assert len(used) >= min(8, int(days)), history.bars
            history.set_view("weeks")
            used = [b for b in history.bars if b.kwh > 0]
            assert len(used) >= min(5, int(days // 7)), history.bars
            # The 13-month bars hold every day of the run: the same kWh as the daily totals.
            history.set_view("months")
            months = sum(b.kwh for b in history.bars)
            every_day = sum(b.kwh for b in store.daily_totals(fuel, days=int(days) + 2))
            assert every_day > 0, (months, every_day)
            assert abs(months - every_day) < Decimal("0.01"), (months, every_day)
        # -- nothing went wrong on the way -----------------------------------------------------
        bad = [r for r in errors_logged if r.levelno >= logging.ERROR]
        assert not bad, f"errors logged during the soak: {[r.getMessage() for r in bad][:5]}"
        assert figures["metering_reports"] > 0
        # -- no growth in fds or tasks -----------------------------------------------------------
        first, last = soak.samples[0], soak.samples[-1]
        assert last.fds <= first.fds + FD_SLACK, (
            f"open fds {first.fds} -> {last.fds}; new: "
            f"{sorted(set(soak.fd_targets[-1]) - set(soak.fd_targets[0]))}"
        )
        assert last.tasks <= first.tasks + TASK_SLACK, (
            f"asyncio tasks {first.tasks} -> {last.tasks}: "
            f"{Counter(soak.task_names[-1]) - Counter(soak.task_names[0])}"
        )
        # -- flat memory -------------------------------------------------------------------------
        assert figures["rss_growth_outside_caches_mb"] < GROWTH_LIMIT_MB, figures
        assert figures["outside_caches_second_half_mb"] < SECOND_HALF_LIMIT_MB, figures
        assert max(s.sqlite_mb for s in soak.samples) < SQLITE_CAP_MB, figures
        assert len(soak.sim_days) <= SIM_CACHE_DAYS, soak.sim_days
    finally:
        loop.run_until_complete(shown.close())

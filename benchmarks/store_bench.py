"""Store speed against baselines measured in the same run: ingest rate and history-query times.

store_ingest: `Store.add_many` of model events (10-second electricity register and demand, with
half-hourly gas) against raw `sqlite3.executemany` of the same rows, prebuilt as tuples, into a
table with the identical DDL and index, in one transaction, with the same pragmas.

history_query_*: the IHD's history screens on a database holding ten years of 10-second
electricity and 30-minute gas readings (quick mode: one year, said in the unit). That database
is built once into a cache file under /tmp by a fast path: numpy makes the register columns,
the raw rows go in a week at a time by one INSERT ... SELECT over json_each, and the rollups
and register baselines through the store's own `ingest.write_batches`, the very code `add_many`
runs after turning events into columns. The readings index is dropped during the build and made
again at the end, and the file has no journal while it is built (it is renamed into place only
when whole), which changes nothing stored. The build first checks, on two days of data, that
the fast path and `add_many` give identical tables.
Each query's baseline is the same question asked of the raw rows (GROUP BY over readings).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from device_backend.clock import SimulatedClock
from device_backend.model import Demand, Energy, Event, Fuel, Price
from device_backend.store import Store, ingest
from device_backend.store.codes import Kind
from device_backend.store.ingest import Column, ReadingBatch
from device_backend.store.schema import READINGS_DDL, READINGS_INDEX_DDL

CACHE_DIR = Path(tempfile.gettempdir()) / "gb-smart-ihd-bench"
START = datetime(2016, 6, 1, tzinfo=UTC)
GAS_FACTOR = Decimal("11.1868")
QUERY_TARGET_MS = 20.0
DATA_VERSION = 1  # bump when _Household, _prices or _fill change what the cache holds
Row = dict[str, Any]


def _row(
    name: str,
    value: float,
    unit: str,
    baseline: float | None,
    target: float | None,
    higher_is_better: bool,
    noise: float | None = None,
) -> Row:
    ratio = None if not baseline else value / baseline
    if target is None:
        met = None
    elif higher_is_better:
        met = (ratio or 0.0) >= target
    else:
        met = value <= target
    return {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 4),
        "ratio": None if ratio is None else round(ratio, 4),
        "target": target,
        "met": met,
        "direction": "at_least" if higher_is_better else "at_most",
        "noise": noise,
    }


def _ratio_noise(ours: list[float], base: list[float]) -> float | None:
    """The spread of a ratio's two terms over their repeats, as benchmarks.common.row gives it."""
    from benchmarks.common import relative_spread

    a, b = relative_spread(ours), relative_spread(base)
    return None if a is None or b is None else round((a**2 + b**2) ** 0.5, 4)


def _clean(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# -- ingest ---------------------------------------------------------------------------------


def _live_events(count: int) -> list[Event]:
    """What the facade delivers: register and demand every 10 s, gas every 30 minutes."""
    events: list[Event] = []
    t, raw, gas = START, 12_000_000, 4_000_000
    step = timedelta(seconds=10)
    for i in range(count // 2):
        raw += i % 4
        events.append(
            Energy(
                time=t,
                fuel=Fuel.ELECTRICITY,
                import_raw=raw,
                multiplier=1,
                divisor=1000,
                device="esme",
            )
        )
        events.append(
            Demand(
                time=t,
                fuel=Fuel.ELECTRICITY,
                raw=300 + i % 500,
                multiplier=1,
                divisor=1000,
                device="esme",
            )
        )
        if i % 180 == 0:
            gas += 40 + i % 7
            events.append(
                Energy(
                    time=t,
                    fuel=Fuel.GAS,
                    import_raw=gas,
                    multiplier=1,
                    divisor=1000,
                    kwh_per_unit=GAS_FACTOR,
                    device="gsme",
                )
            )
        t += step
    return events


def _as_rows(events: list[Event]) -> list[tuple[Any, ...]]:
    """The tuples the store writes for these events (ids 1/2 for the two meters' devices)."""
    rows = []
    for e in events:
        t = int(e.time.timestamp())
        if isinstance(e, Energy):
            gas = e.fuel is Fuel.GAS
            rows.append(
                (
                    t,
                    2 if gas else 1,
                    1,
                    e.import_raw,
                    1,
                    1000,
                    None,
                    "11.1868" if gas else None,
                    2 if gas else 1,
                )
            )
        elif isinstance(e, Demand):
            rows.append((t, 1, 0, e.raw, 1, 1000, None, None, 1))
    return rows


def _baseline_ingest(path: Path, rows: list[tuple[Any, ...]], synchronous: str) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", f"synchronous = {synchronous}", "cache_size = -16384"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(READINGS_DDL)
    conn.execute(READINGS_INDEX_DDL)
    began = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(ingest.READING_INSERT, rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed


def _store_ingest(path: Path, events: list[Event], synchronous: str) -> float:
    with Store.open(path, synchronous=synchronous) as store:  # type: ignore[arg-type]
        began = time.perf_counter()
        store.add_many(events)
        return time.perf_counter() - began


def ingest_rows(quick: bool) -> list[Row]:
    # Three interleaved repeats of a million: the ratios (0.68-0.74) sit far above their 0.5
    # target against a spread of 0.1-0.15; five took 40 s more of the full run.
    count, repeats = (200_000, 3) if quick else (1_000_000, 3)
    events = _live_events(count)
    rows = _as_rows(events)
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for sync in ("FULL", "NORMAL"):
            base, ours = [], []
            for n in range(repeats):
                a, b = Path(folder) / f"raw{n}{sync}.db", Path(folder) / f"store{n}{sync}.db"
                base.append(len(rows) / _baseline_ingest(a, rows, sync))
                ours.append(len(events) / _store_ingest(b, events, sync))
                _clean(a)
                _clean(b)
            name = "store_ingest" if sync == "FULL" else "store_ingest_synchronous_normal"
            out.append(
                _row(
                    name,
                    statistics.median(ours),
                    f"readings/s (median of {repeats}, {len(events)} events, synchronous={sync})",
                    statistics.median(base),
                    0.5,
                    higher_is_better=True,
                    noise=_ratio_noise(ours, base),
                )
            )
    return out


def single_add_rows(quick: bool) -> list[Row]:
    """Latency of one live event committed on its own, FULL against NORMAL (for the record)."""
    events = _live_events(400 if quick else 2000)
    medians = {}
    with tempfile.TemporaryDirectory() as folder:
        for sync in ("FULL", "NORMAL"):
            with Store.open(Path(folder) / f"{sync}.db", synchronous=sync) as store:
                times = []
                for event in events:
                    began = time.perf_counter()
                    store.add(event)
                    times.append((time.perf_counter() - began) * 1000)
            medians[sync] = statistics.median(times)
    return [
        _row(
            "store_add_one_event_full",
            medians["FULL"],
            "ms per committed event (median; baseline: synchronous=NORMAL)",
            medians["NORMAL"],
            None,
            higher_is_better=False,
        )
    ]


# -- the ten-year database --------------------------------------------------------------------


def _code_digest() -> str:
    """The cache is rebuilt whenever the code that decides what is stored changes."""
    folder = Path(ingest.__file__).parent
    digest = hashlib.sha256(str(DATA_VERSION).encode())
    for name in ("schema.py", "ingest.py", "rollup.py", "codes.py", "prices.py", "catalog.py"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


def _prices(years: int) -> list[Price]:
    out = []
    for year in range(years + 1):
        when = START.replace(year=START.year + year)
        out.append(
            Price(
                time=when,
                fuel=Fuel.ELECTRICITY,
                starts=when,
                pence_per_kwh=Decimal("14.5") + year,
                standing_charge_pence_per_day=Decimal("25.12") + 4 * year,
            )
        )
        out.append(
            Price(
                time=when,
                fuel=Fuel.GAS,
                starts=when,
                pence_per_kwh=Decimal("3.24") + year // 2,
                standing_charge_pence_per_day=Decimal("18.65") + 3 * year,
            )
        )
    return out


class _Household:
    """Deterministic registers: an evening-peaked load, a morning bump, and noise."""

    def __init__(self) -> None:
        self.elec_wh = 0.0
        self.gas_litres = 0.0

    def electricity(self, t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        hour = (t % 86400) / 3600.0
        kw = (
            0.22
            + 0.9 * np.exp(-(((hour - 18.5) / 2.2) ** 2))
            + 0.35 * np.exp(-(((hour - 7.5) / 1.2) ** 2))
        )
        kw = kw + rng.exponential(0.12, len(t))
        total = self.elec_wh + np.cumsum(kw * 10.0 / 3.6)
        self.elec_wh = float(total[-1])
        return 12_000_000 + np.floor(total).astype(np.int64)

    def gas(self, t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        season = 1.0 + 0.8 * np.cos((t / 86400.0 - 15) * 2 * np.pi / 365.25)
        litres = self.gas_litres + np.cumsum(season * rng.uniform(20, 70, len(t)))
        self.gas_litres = float(litres[-1])
        return 4_000_000 + np.floor(litres).astype(np.int64)


def _batch(
    store: Store,
    kind: Kind,
    fuel: int,
    device: str,
    t: np.ndarray,
    raw: np.ndarray,
    kwh_text: str | None,
) -> ReadingBatch:
    catalog = store._catalog  # the benchmark feeds the store's own column path
    now = int(t[-1])
    return ReadingBatch(
        kind=kind,
        t=t,
        raw=raw.tolist(),
        fuel=Column(single=fuel),
        device=Column(single=catalog.device_id(device, now)),
        scaling=Column(single=catalog.scaling_id(1, 1000, kwh_text or "1")),
        unit=Column(single=catalog.scaling_id(1, 1000, "1")),
        multiplier=Column(single=1),
        divisor=Column(single=1000),
        kwh_text=Column(single=kwh_text),
        export=None,
    )


class _RollupsOnly(ReadingBatch):
    """A batch whose raw rows write_batches leaves alone: _insert_regular has written them."""

    def rows(self) -> Iterable[tuple[Any, ...]]:
        return ()


def _insert_regular(conn: sqlite3.Connection, batch: ReadingBatch, step: int) -> None:
    """The batch's raw rows in one INSERT ... SELECT over json_each: a row costs SQLite's C
    loop, not a Python tuple bound through executemany (3x faster on this machine). Only for
    batches at a fixed interval whose other columns are single values, as _fill makes them."""
    start = int(batch.t[0])
    if not np.array_equal(batch.t, start + step * np.arange(len(batch), dtype=np.int64)):
        raise ValueError("_insert_regular takes readings at one fixed interval only")
    columns = (batch.fuel, batch.multiplier, batch.divisor, batch.kwh_text, batch.device)
    if batch.export is not None or any(c.values is not None for c in columns):
        raise ValueError("_insert_regular takes batches of single-valued columns only")
    conn.execute(
        "INSERT INTO readings (t, fuel, kind, raw, multiplier, divisor, export_raw, "
        "kwh_per_unit, device) SELECT ? + ? * key, ?, ?, value, ?, ?, NULL, ?, ? "
        "FROM json_each(?)",  # json_each walks the array in order: rowids follow t
        (
            start,
            step,
            batch.fuel.single,
            int(batch.kind),
            batch.multiplier.single,
            batch.divisor.single,
            batch.kwh_text.single,
            batch.device.single,
            json.dumps(batch.raw),
        ),
    )


def _fill(store: Store, days: int, progress: Callable[[int], None] | None = None) -> None:
    """Ten-second electricity and half-hourly gas, a week a time: the raw rows by
    _insert_regular, the rollups and register baselines by the store's own
    ingest.write_batches (check_fast_path compares the result with add_many's)."""
    home, t0 = _Household(), int(START.timestamp())
    for week in range(0, days, 7):
        span = min(7, days - week) * 86400
        rng = np.random.default_rng(week)
        start = t0 + week * 86400
        elec_t = np.arange(start, start + span, 10, dtype=np.int64)
        gas_t = np.arange(start, start + span, 1800, dtype=np.int64) + 7
        with store._transaction(len(elec_t)) as conn:
            batches = [
                (
                    10,
                    _batch(
                        store, Kind.ENERGY, 1, "esme", elec_t, home.electricity(elec_t, rng), None
                    ),
                ),
                (
                    1800,
                    _batch(store, Kind.ENERGY, 2, "gsme", gas_t, home.gas(gas_t, rng), "11.1868"),
                ),
            ]
            for step, batch in batches:
                _insert_regular(conn, batch, step)
            rollups = [
                _RollupsOnly(**{f.name: getattr(b, f.name) for f in fields(b)}) for _, b in batches
            ]
            ingest.write_batches(conn, store._catalog, rollups)
        if progress:
            progress(week)


def _events_for(store_path: Path, days: int) -> list[Event]:
    """The same data as model events, read back from a fast-path database."""
    with sqlite3.connect(store_path) as conn:
        rows = conn.execute(
            "SELECT t, fuel, raw FROM readings WHERE t < ? ORDER BY rowid",
            (int(START.timestamp()) + days * 86400,),
        ).fetchall()
    conn.close()
    return [
        Energy(
            time=datetime.fromtimestamp(t, UTC),
            fuel=Fuel.GAS if fuel == 2 else Fuel.ELECTRICITY,
            import_raw=raw,
            multiplier=1,
            divisor=1000,
            device="gsme" if fuel == 2 else "esme",
            kwh_per_unit=GAS_FACTOR if fuel == 2 else Decimal(1),
        )
        for t, fuel, raw in rows
    ]


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        out = {
            name: conn.execute(f"SELECT * FROM {name} ORDER BY 1, 2, 3").fetchall()
            for name in ("readings", "half_hourly", "daily", "daily_standing", "register_baselines")
        }
    conn.close()
    return out


def check_fast_path(days: int = 2) -> None:
    """Fail loudly if the fast build would hold anything other than what add_many stores."""
    with tempfile.TemporaryDirectory() as folder:
        fast, slow = Path(folder) / "fast.db", Path(folder) / "slow.db"
        clock = SimulatedClock(START, speed=None)
        with Store.open(fast, clock=clock) as store:
            store.add_many(_prices(1))
            _fill(store, days)
        with Store.open(slow, clock=clock) as store:
            store.add_many(_prices(1))
            store.add_many(_events_for(fast, days))
        if _tables(fast) != _tables(slow):
            raise AssertionError("the benchmark's fast build differs from Store.add_many")


def _yearly(log: Callable[[str], None], day: int, days: int) -> None:
    if day % 364 == 0:
        log(f"  day {day} of {days}")


def ten_year_db(years: int, log: Callable[[str], None]) -> Path:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"store-{years}y-{_code_digest()}.db"
    if path.exists():
        return path
    check_fast_path()
    building = path.with_name(path.name + ".building")
    _clean(building)
    days = round(years * 365.25)
    log(f"building {path} ({years} years, once) ...")
    began = time.perf_counter()
    with Store.open(building, clock=SimulatedClock(START, speed=None)) as store:
        # A throwaway build (renamed into place only when whole): speed over durability. No
        # journal, so each page is written once (WAL writes it twice: log, then checkpoint);
        # a big page cache, so the index is sorted in memory. The file goes back to WAL, as the
        # store keeps it, before it is used.
        for pragma in ("synchronous = OFF", "journal_mode = OFF", "cache_size = -262144"):
            store.db.execute(f"PRAGMA {pragma}")
        store.add_many(_prices(years))
        store.db.execute("DROP INDEX readings_by_time")
        _fill(store, days, lambda week: _yearly(log, week, days))
        filled = time.perf_counter()
        store.db.execute(READINGS_INDEX_DDL)
        store.db.execute("PRAGMA journal_mode = WAL")
        log(f"  rows in {filled - began:.0f} s, index in {time.perf_counter() - filled:.0f} s")
    building.rename(path)
    log(f"built in {time.perf_counter() - began:.0f} s")
    for stale in CACHE_DIR.glob(f"store-{years}y-*.db"):
        if stale != path:
            stale.unlink()
    return path


# -- queries ------------------------------------------------------------------------------------


def _median_ms(call: Callable[[], object], repeats: int) -> float:
    for _ in range(3):
        call()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def _raw_baseline_ms(store: Store, start: datetime, end: datetime) -> float:
    """The same totals straight from the raw rows: per-day max-min of the register."""
    sql = (
        "SELECT (t - ?) / 86400 AS d, max(raw) - min(raw) FROM readings "
        "WHERE fuel = 1 AND kind = 1 AND t >= ? AND t < ? GROUP BY d"
    )
    low, high = int(start.timestamp()), int(end.timestamp())
    began = time.perf_counter()
    store.db.execute(sql, (low, low, high)).fetchall()
    return (time.perf_counter() - began) * 1000


def query_rows(quick: bool, log: Callable[[str], None] = print) -> list[Row]:
    years = 1 if quick else 10
    path = ten_year_db(years, log)
    now = START + timedelta(days=round(years * 365.25)) - timedelta(hours=1)
    unit = f"ms (median; {years}-year db{' - quick mode' if quick else ''})"
    elec = Fuel.ELECTRICITY
    out = []
    opened = {}
    for check in ("quick", "auto"):
        began = time.perf_counter()
        store = Store.open(path, clock=SimulatedClock(now, speed=None), check=check)
        opened[check] = time.perf_counter() - began
        if check == "quick":
            store.close()
    with store:
        queries: list[tuple[str, Callable[[], object], timedelta]] = [
            ("history_query_8_days", lambda: store.daily_totals(elec, 8), timedelta(days=8)),
            ("history_query_5_weeks", lambda: store.weekly_totals(elec, 5), timedelta(weeks=5)),
            (
                "history_query_13_months",
                lambda: store.monthly_totals(elec, 13),
                timedelta(days=396),
            ),
            (
                "history_query_year",
                lambda: store.yearly_totals(elec, years),
                timedelta(days=365 * years),
            ),
            ("history_query_365_days", lambda: store.daily_totals(elec, 365), timedelta(days=365)),
            (
                "history_series_1_day_raw",
                lambda: store.series(elec, now - timedelta(days=1), now),
                timedelta(days=1),
            ),
            (
                "history_series_13_months",
                lambda: store.series(elec, now - timedelta(days=396), now),
                timedelta(days=396),
            ),
        ]
        for name, call, span in queries:
            value = _median_ms(call, 15 if quick else 41)
            baseline = _raw_baseline_ms(store, now - span, now)
            out.append(
                _row(
                    name,
                    value,
                    unit + "; baseline: GROUP BY over raw rows",
                    baseline,
                    QUERY_TARGET_MS,
                    higher_is_better=False,
                )
            )
        raw_rows = store.db.execute("SELECT max(rowid) FROM readings").fetchone()[0]
    size_mb = path.stat().st_size / 1e6
    out.append(
        _row(
            "store_open_default_check",
            opened["auto"],
            f"s to open ({size_mb:.0f} MB, "
            f"{raw_rows} raw rows; baseline: quick_check of the whole file)",
            opened["quick"],
            None,
            higher_is_better=False,
        )
    )
    return out


def run(quick: bool) -> list[Row]:
    return [*ingest_rows(quick), *single_add_rows(quick), *query_rows(quick, _log)]


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str]) -> None:
    rows = run(quick="--quick" in argv)
    if "--json" in argv:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        met = {True: "met", False: "NOT MET", None: "-"}[row["met"]]
        print(
            f"{row['name']:<34} {row['value']:>14} {row['unit']}\n"
            f"{'':<34} baseline {row['baseline']} ratio {row['ratio']} target {row['target']} {met}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])

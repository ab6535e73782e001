"""python -m benchmarks [--quick] [--json PATH] [--only GROUP ...] [--compare PREVIOUS.json [NEW.json]]."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, cast

from benchmarks.common import GROWTH_DEADLINE_ENV, ChildFailed, Row, report, row, run_child
from benchmarks.compare import compare, load


@dataclass(frozen=True)
class Group:
    """Benchmarks that run together in one child process; `rows` are what it promises to return."""

    module: str
    function: str
    # (name, unit, target or None when a figure is only reported, target is a ratio)
    rows: tuple[tuple[str, str, float | None, bool], ...]


GROUPS: dict[str, Group] = {
    "ihd_first_paint": Group(
        "benchmarks.display", "first_paint", (("ihd_first_paint", "s", 1.3, True),)
    ),
    "report_to_pixel": Group(
        "benchmarks.display", "report_to_pixel", (("report_to_pixel_p99", "ms", 50.0, False),)
    ),
    "stack_reports_per_s": Group(
        "benchmarks.stack", "reports_per_second", (("stack_reports_per_s", "reports/s", 0.8, True),)
    ),
    "store": Group(
        "benchmarks.store_bench",
        "run",
        (
            ("store_ingest", "readings/s", 0.5, True),
            ("history_query_8_days", "ms", 20.0, False),
            ("history_query_5_weeks", "ms", 20.0, False),
            ("history_query_13_months", "ms", 20.0, False),
            ("history_query_year", "ms", 20.0, False),
        ),
    ),
    "history_chart_year": Group(
        "benchmarks.display",
        "chart_year",
        (
            ("history_chart_year", "ms", 30.0, False),
            ("history_chart_year_update", "ms", 30.0, False),
            ("live_chart_report", "ms", 30.0, False),
        ),
    ),
    "sim_day_cpu": Group("benchmarks.stack", "sim_day_cpu", (("sim_day_cpu", "s", 1.15, True),)),
    "sim_profile_year": Group(
        "benchmarks.stack", "sim_profile_year", (("sim_profile_year", "s", 5.0, False),)
    ),
    "installer": Group(
        "benchmarks.installer",
        "run",
        (
            ("installer_first_paint", "s", 1.3, True),
            ("installer_network_map_50", "ms", 100.0, False),
        ),
    ),
    "bellows": Group(
        "benchmarks.bellows_bench",
        "run",
        (
            ("bellows_report_to_pixel_p99", "ms", 25.0, False),
            ("bellows_reports_per_s", "reports/s", None, False),  # reported with its baseline
        ),
    ),
    "ihd_rss": Group(
        "benchmarks.display",
        "memory",
        (
            ("ihd_rss_week", "MB", 1.25, True),
            ("ihd_rss_growth", "MB per 100,000 reports", 0.5, False),
        ),
    ),
}
FULL_RUN_GOAL_S = 15 * 60.0  # a full run must finish within this on two cores
RUN_END_S = 14 * 60.0  # ihd_rss's growth phase ends so that the run ends here, a minute spare


def growth_deadline(began_wall: float) -> float:
    """time.time() by which ihd_rss (the last group) should end: the run's end."""
    return began_wall + RUN_END_S


AT_LEAST = {
    "stack_reports_per_s",
    "store_ingest",
    "store_ingest_synchronous_normal",
    "bellows_reports_per_s",
}
GROUP_TIMEOUT_S = 5 * 3600.0


def _normalise(found: dict[str, Any]) -> Row:
    """Rows from benchmarks.store_bench carry no goal or notes; give them the same shape."""
    out = dict(found)
    if "goal" not in out:
        target = out.get("target")
        if target is None:
            out["goal"] = None
        elif out["name"] in AT_LEAST:
            out["goal"] = f"ratio >= {target:g}"
        else:
            out["goal"] = f"<= {target:g} ms"
    out.setdefault("notes", "")
    out.setdefault("direction", "at_least" if out["name"] in AT_LEAST else "at_most")
    out.setdefault("noise", None)
    return cast(Row, out)


def run_group(name: str, quick: bool) -> list[Row]:
    """One group in a fresh child process; a failure becomes its rows with no value, not met."""
    group = GROUPS[name]
    args = ["--child", name, *(["--quick"] if quick else [])]
    try:
        found = run_child("benchmarks", *args, timeout=GROUP_TIMEOUT_S, show_stderr=True)
    except (ChildFailed, OSError, TimeoutError) as exc:
        why = f"the run failed: {exc}"[:600]
        return [
            row(
                n,
                None,
                unit,
                target=target,
                on_ratio=ratio,
                direction="at_least" if n in AT_LEAST else "at_most",
                notes=why,
            )
            for n, unit, target, ratio in group.rows
        ]
    return [_normalise(r) for r in found]


def _child(name: str, quick: bool) -> None:
    group = GROUPS[name]
    function = cast(
        Callable[[bool], list[Row]], getattr(importlib.import_module(group.module), group.function)
    )
    report(function(quick))


# -- the machine ------------------------------------------------------------------------------


def _version(*distributions: str) -> str:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "zigpy": _version("zigpy"),
        "PySide6": _version("PySide6-Essentials", "PySide6_Essentials", "PySide6"),
        "pyqtgraph": _version("pyqtgraph"),
        "numpy": _version("numpy"),
        "qasync": _version("qasync"),
        "sqlite-utils": _version("sqlite-utils"),
        "SQLite": sqlite3.sqlite_version,
    }


# -- the table --------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(rows: list[Row], facts: dict[str, str], mode: str) -> str:
    header = (
        f"{mode} run, {facts['date']}: {facts['nproc']} x {facts['cpu']}, {facts['os']}; "
        f"Python {facts['python']}, zigpy {facts['zigpy']}, PySide6 {facts['PySide6']}, "
        f"pyqtgraph {facts['pyqtgraph']}, numpy {facts['numpy']}, qasync {facts['qasync']}, "
        f"sqlite-utils {facts['sqlite-utils']}, SQLite {facts['SQLite']}."
    )
    lines = [
        header,
        "",
        "| name | value | unit | baseline | ratio | target | met |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for r in rows:
        met = "-" if r["met"] is None else _cell(r["met"])
        lines.append(
            f"| {r['name']} | {_cell(r['value'])} | {r['unit']} | {_cell(r['baseline'])} "
            f"| {_cell(r['ratio'])} | {r['goal'] or '-'} | {met} |"
        )
    noted = [r for r in rows if r.get("notes")]
    if noted:
        lines.append("")
        lines.extend(f"- `{r['name']}`: {r['notes']}" for r in noted)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller runs, under a minute in all (figures are rougher)",
    )
    parser.add_argument(
        "--json", metavar="PATH", type=Path, help="also write the rows as a JSON list to PATH"
    )
    parser.add_argument(
        "--only", metavar="GROUP", nargs="+", choices=sorted(GROUPS), help="run only these groups"
    )
    parser.add_argument(
        "--compare",
        metavar="JSON",
        nargs="+",
        type=Path,
        help="PREVIOUS.json: run, then print each figure's change since that run and flag the "
        "ones that got worse by more than their noise (exit status 1 if any did); "
        "PREVIOUS.json NEW.json: compare two saved runs without running anything",
    )
    parser.add_argument("--child", metavar="GROUP", choices=sorted(GROUPS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.quick)
        return 0
    if args.compare and len(args.compare) > 2:
        parser.error("--compare takes PREVIOUS.json, or PREVIOUS.json NEW.json")
    if args.compare and len(args.compare) == 2:
        return _print_comparison(load(args.compare[0]), load(args.compare[1]))
    previous = load(args.compare[0]) if args.compare else None  # a bad file fails before the run
    chosen = args.only or list(GROUPS)
    facts = machine()
    rows: list[Row] = []
    began, began_wall = time.perf_counter(), time.time()
    # ihd_rss takes what is left of the run's time for its growth phase (60-600 s).
    os.environ[GROWTH_DEADLINE_ENV] = f"{growth_deadline(began_wall):.3f}"
    for number, name in enumerate(chosen, 1):
        elapsed = time.perf_counter() - began
        print(
            f"[{number}/{len(chosen)}] {name}: running ({elapsed:.0f} s into the run) ...",
            file=sys.stderr,
            flush=True,
        )
        start = time.perf_counter()
        found = run_group(name, args.quick)
        rows.extend(found)
        missed = sum(1 for r in found if r["met"] is False)
        print(
            f"[{number}/{len(chosen)}] {name}: done in {time.perf_counter() - start:.0f} s, "
            f"{len(found)} figures, {missed} not met",
            file=sys.stderr,
            flush=True,
        )
    print(table(rows, facts, "Quick" if args.quick else "Full"))
    print(
        f"\n{len(rows)} figures in {time.perf_counter() - began:.0f} s; "
        f"{sum(1 for r in rows if r['met'] is False)} targets not met."
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    if previous is not None:
        return _print_comparison(previous, cast(list[dict[str, Any]], rows))
    return 0


def _print_comparison(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> int:
    text, worse = compare(before, after)
    print("\nAgainst the previous run:\n\n" + text)
    if worse:
        print(f"\nWorse by more than their noise: {', '.join(worse)}")
        return 1
    print("\nNothing got worse by more than its noise.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Run against run: each figure's change since a saved --json, flagged if worse by more than its noise."""

# A figure is judged on what its target judges: the ratio to its same-run baseline when the
# target is a ratio (so a slower machine, or a busier one, moves both terms and not the figure),
# otherwise the value itself. A change counts as a regression only when it goes the wrong way
# (up for an "at most" figure, down for an "at least" one) by more than the noise of the two
# runs together: each run's noise is the spread of its own repeats (Row.noise), and the two are
# added in quadrature. A figure measured once has no spread to go by, so it gets DEFAULT_NOISE
# and the table says so.

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULT_NOISE = 0.10  # a figure without repeats: ten per cent, said in the table as "(assumed)"


def load(path: Path) -> list[dict[str, Any]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(rows, list):
        raise ValueError(f"{path} is not a list of benchmark rows (write one with --json)")
    return rows


def _judged(row: dict[str, Any]) -> tuple[str, float | None]:
    """Which figure the target judges, and its value: the ratio for a ratio target."""
    if str(row.get("goal") or "").startswith("ratio") or (
        row.get("goal") is None and row.get("ratio") is not None and row.get("target") is not None
    ):
        return "ratio", row.get("ratio")
    return "value", row.get("value")


def _direction(row: dict[str, Any]) -> str:
    direction = row.get("direction")
    if direction in ("at_most", "at_least"):
        return str(direction)
    return "at_least" if ">=" in str(row.get("goal") or "") else "at_most"  # an older file


def _noise(row: dict[str, Any]) -> float | None:
    noise = row.get("noise")
    return float(noise) if isinstance(noise, int | float) else None


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """A markdown table of every figure in both runs, and the names that regressed."""
    earlier = {r["name"]: r for r in before}
    lines = [
        "| name | judged | before | after | change | noise | verdict |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    worse: list[str] = []
    for new in after:
        name = new["name"]
        old = earlier.get(name)
        if old is None:
            lines.append(f"| {name} | - | - | {_num(new.get('value'))} | - | - | new |")
            continue
        kind, now = _judged(new)
        _, then = _judged(old)
        if now is None or then is None or then == 0:
            lines.append(f"| {name} | {kind} | {_num(then)} | {_num(now)} | - | - | not compared |")
            continue
        change = now / then - 1.0
        noises = [_noise(new), _noise(old)]
        assumed = any(n is None for n in noises)
        noise = sum((DEFAULT_NOISE if n is None else n) ** 2 for n in noises) ** 0.5
        wrong_way = change > 0 if _direction(new) == "at_most" else change < 0
        if abs(change) <= noise:
            verdict = "within noise"
        elif wrong_way:
            verdict = "**WORSE**"
            worse.append(name)
        else:
            verdict = "better"
        lines.append(
            f"| {name} | {kind} | {_num(then)} | {_num(now)} | {change:+.1%} "
            f"| {noise:.1%}{' (assumed)' if assumed else ''} | {verdict} |"
        )
    gone = [name for name in earlier if name not in {r["name"] for r in after}]
    if gone:
        lines.append("")
        lines.append("Not in this run: " + ", ".join(gone))
    return "\n".join(lines), worse


def _num(value: Any) -> str:
    if not isinstance(value, int | float):
        return "-"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"

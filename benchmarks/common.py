"""What every benchmark shares: the result row, medians and percentiles, child processes, memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, TypedDict

ROOT = Path(__file__).resolve().parent.parent
RESULT_MARK = "BENCH-RESULT "  # a child process prints its result on one line after this mark

Direction = Literal["at_most", "at_least"]


class Row(TypedDict):
    """One line of the table, and one object of the --json list."""

    name: str
    value: float | None
    unit: str
    baseline: float | None
    ratio: float | None
    target: float | None
    met: bool | None
    goal: str | None  # the target in words: "ratio >= 0.8", "<= 50 ms"
    notes: str


def row(
    name: str,
    value: float | None,
    unit: str,
    *,
    target: float | None,
    direction: Direction = "at_most",
    baseline: float | None = None,
    on_ratio: bool = False,
    notes: str = "",
) -> Row:
    """A result; `on_ratio` says the target applies to value / baseline rather than the value."""
    ratio = value / baseline if value is not None and baseline else None
    judged = ratio if on_ratio else value
    if target is None:
        met: bool | None = None
    elif judged is None:
        met = False  # not measured (or no baseline) never counts as met
    elif direction == "at_most":
        met = judged <= target
    else:
        met = judged >= target
    sign = "<=" if direction == "at_most" else ">="
    if target is None:
        goal = None
    elif on_ratio:
        goal = f"ratio {sign} {target:g}"
    else:
        goal = f"{sign} {target:g} {unit.split(' ')[0]}"
    return Row(
        name=name,
        value=_round(value),
        unit=unit,
        baseline=_round(baseline),
        ratio=_round(ratio),
        target=target,
        met=met,
        goal=goal,
        notes=notes,
    )


def not_measurable(
    name: str,
    unit: str,
    target: float,
    why: str,
    *,
    on_ratio: bool = False,
    direction: Direction = "at_most",
) -> Row:
    """A figure whose subject does not exist yet (or whose run failed): null, and not met."""
    return row(
        name,
        None,
        unit,
        target=target,
        direction=direction,
        on_ratio=on_ratio,
        notes=f"not measurable yet: {why}",
    )


def _round(value: float | None) -> float | None:
    if value is None:
        return None
    return float(f"{value:.4g}") if abs(value) < 1000 else round(value, 1)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method: always one of the samples."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n q / 100), at least 1
    return float(ordered[int(rank) - 1])


def child_env() -> dict[str, str]:
    """Headless Qt, every Qt user pinned to PySide6, and our packages importable."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_API"] = "pyside6"
    env["PYQTGRAPH_QT_LIB"] = "PySide6"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run_child(module: str, *args: str, timeout: float = 3600.0) -> Any:
    """Run `python -m module args` and return the JSON value it printed after RESULT_MARK."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    tail = (done.stderr or done.stdout).strip().splitlines()[-12:]
    raise ChildFailed(f"{module} {' '.join(args)} exited {done.returncode}: " + " | ".join(tail))


def report(value: Any) -> None:
    """Used by a child process: hand one JSON value back to run_child."""
    print(RESULT_MARK + json.dumps(value), flush=True)


class ChildFailed(RuntimeError):
    """A benchmark's child process ended without a result; the message has its last words."""

"""What every benchmark shares: the result row, medians and percentiles, child processes, memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
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
    direction: Direction  # which way is better for the judged figure (ratio or value)
    # The judged figure's noise as a fraction of it, from the spread of its repeats (and its
    # baseline's, for a ratio); None when it was measured once. --compare uses it.
    noise: float | None


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
    samples: Sequence[float] = (),
    baseline_samples: Sequence[float] = (),
) -> Row:
    """A result; `on_ratio` says the target applies to value / baseline rather than the value.

    `samples` (and `baseline_samples`) are the repeats the median came from: their spread is
    the figure's noise, which `--compare` weighs a change against.
    """
    noise = relative_spread(samples)
    if baseline_samples and noise is not None:
        base_noise = relative_spread(baseline_samples)
        if base_noise is not None:  # a ratio's noise: both of its terms' (added in quadrature)
            noise = (noise**2 + base_noise**2) ** 0.5
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
        direction=direction,
        noise=None if noise is None else round(noise, 4),
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


def relative_spread(values: Sequence[float]) -> float | None:
    """Half the range of the repeats over their median: how far one run may land from another.

    None for fewer than two repeats (no spread can be seen). Half the range rather than a
    standard deviation because there are three to fifteen repeats, too few for the latter.
    """
    if len(values) < 2:
        return None
    middle = median(values)
    if not middle:
        return None
    return (max(values) - min(values)) / (2 * abs(middle))


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method: always one of the samples."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n q / 100), at least 1
    return float(ordered[int(rank) - 1])


# Children keep their compiled bytecode here, out of the source tree. An installed program
# starts from bytecode (pip compiles it at install); a tree run with PYTHONDONTWRITEBYTECODE=1,
# as this machine's environment sets it, would compile every module of ours from source on
# every start, and the first-paint figures would time the compiler (about 0.3 s of ihd's).
# Python checks each cached file against its source's mtime and size, so an edit recompiles.
GROWTH_DEADLINE_ENV = "BENCH_GROWTH_DEADLINE"  # time.time() by which ihd_rss should end
PYCACHE = Path(tempfile.gettempdir()) / "gb-smart-ihd-bench" / "pycache"


def child_env() -> dict[str, str]:
    """Headless Qt, every Qt user pinned to PySide6, our packages importable, bytecode kept."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_API"] = "pyside6"
    env["PYQTGRAPH_QT_LIB"] = "PySide6"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run_child(module: str, *args: str, timeout: float = 3600.0, show_stderr: bool = False) -> Any:
    """Run `python -m module args` and return the JSON value it printed after RESULT_MARK.

    `show_stderr` passes the child's standard error through (its progress lines) instead of
    keeping it for the failure message.
    """
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=None if show_stderr else subprocess.PIPE,
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

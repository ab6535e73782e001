"""The benchmark harness runs one small benchmark and writes the JSON it promises (no timings judged)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {"name", "value", "unit", "baseline", "ratio", "target", "met"}


def test_one_benchmark_writes_a_json_list_of_results(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--only",
            "sim_profile_year",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "| sim_profile_year |" in done.stdout  # the printed table

    rows = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(rows, list)
    assert rows
    for row in rows:
        assert FIELDS <= set(row), f"{row.get('name')} lacks {FIELDS - set(row)}"
        assert isinstance(row["name"], str)
        assert isinstance(row["unit"], str)
        assert row["value"] is None or isinstance(row["value"], int | float)
        assert row["met"] in (True, False, None)
    profile = next(r for r in rows if r["name"] == "sim_profile_year")
    assert isinstance(profile["value"], int | float), profile["notes"]
    assert profile["target"] == 5.0
    assert isinstance(profile["met"], bool)


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _figure(name: str, judged: float, goal: str, direction: str, noise: float | None) -> dict:
    ratio = judged if goal.startswith("ratio") else None
    return {
        "name": name,
        "value": judged if ratio is None else judged * 2.0,
        "unit": "s",
        "baseline": None if ratio is None else 2.0,
        "ratio": ratio,
        "target": 1.0,
        "met": True,
        "goal": goal,
        "notes": "",
        "direction": direction,
        "noise": noise,
    }


def test_compare_flags_only_a_change_the_wrong_way_beyond_the_noise(tmp_path: Path) -> None:
    before = [
        _figure("first_paint", 1.00, "ratio <= 1.3", "at_most", 0.02),
        _figure("reports_per_s", 1.00, "ratio >= 0.8", "at_least", 0.02),
        _figure("query_ms", 5.00, "<= 20 ms", "at_most", 0.05),
        _figure("gone_figure", 1.00, "<= 20 ms", "at_most", 0.05),
    ]
    after = [
        _figure("first_paint", 1.20, "ratio <= 1.3", "at_most", 0.02),  # 20 % slower: worse
        _figure("reports_per_s", 1.20, "ratio >= 0.8", "at_least", 0.02),  # 20 % faster: better
        _figure("query_ms", 5.10, "<= 20 ms", "at_most", 0.05),  # 2 % against 7 %: noise
        _figure("new_figure", 3.0, "<= 20 ms", "at_most", None),
    ]
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(before), encoding="utf-8")
    new.write_text(json.dumps(after), encoding="utf-8")

    done = _run("--compare", str(old), str(new))

    assert done.returncode == 1, done.stderr
    lines = {line.split("|")[1].strip(): line for line in done.stdout.splitlines() if "|" in line}
    assert "**WORSE**" in lines["first_paint"]
    assert "+20.0%" in lines["first_paint"]
    assert "better" in lines["reports_per_s"]
    assert "within noise" in lines["query_ms"]
    assert "new" in lines["new_figure"]
    assert "Not in this run: gone_figure" in done.stdout
    assert "Worse by more than their noise: first_paint" in done.stdout

    same = _run("--compare", str(old), str(old))
    assert same.returncode == 0, same.stdout
    assert "Nothing got worse by more than its noise." in same.stdout


NEW_FIGURES = {
    # name: (target, judged on the ratio to a baseline measured in the same run)
    "sim_day_cpu": (1.15, True),
    "ihd_rss_week": (1.25, True),
    "ihd_rss_growth": (0.5, False),
    "installer_first_paint": (1.3, True),
    "installer_network_map_50": (100.0, False),
}


def test_the_new_and_rebased_figures_are_in_the_json_with_targets_and_met_flags(
    tmp_path: Path,
) -> None:
    out = tmp_path / "bench.json"
    done = _run(
        "--quick",
        "--only",
        "sim_day_cpu",
        "installer",
        "ihd_rss",
        "--json",
        str(out),
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert "[3/3] ihd_rss: done" in done.stderr  # a progress line per group
    rows = {r["name"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    for name, (target, on_ratio) in NEW_FIGURES.items():
        found = rows[name]
        assert isinstance(found["value"], int | float), found["notes"]
        assert found["target"] == target
        assert isinstance(found["met"], bool)
        assert found["goal"].startswith("ratio") is on_ratio
        if on_ratio:
            assert isinstance(found["baseline"], int | float)
            assert found["baseline"] > 0
            assert isinstance(found["noise"], int | float | None)
    assert "+/-" in rows["ihd_rss_growth"]["notes"]  # the slope's fit error is stated
    assert "reports" in rows["ihd_rss_growth"]["unit"]


def test_every_group_names_a_function_that_exists_and_the_bellows_rows_are_promised() -> None:
    # In a child, as the harness itself runs: tests do not import the benchmarks.
    check = (
        "import importlib, json\n"
        "from benchmarks.__main__ import GROUPS\n"
        "found = {}\n"
        "for name, group in GROUPS.items():\n"
        "    module = importlib.import_module(group.module)\n"
        "    found[name] = [callable(getattr(module, group.function, None)), group.rows]\n"
        "print(json.dumps(found))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    groups = json.loads(done.stdout)
    assert all(callable_ for callable_, _rows in groups.values())
    bellows = {r[0]: r for r in groups["bellows"][1]}
    assert bellows["bellows_report_to_pixel_p99"][1:] == ["ms", 25.0, False]
    assert bellows["bellows_reports_per_s"][1:] == ["reports/s", None, False]

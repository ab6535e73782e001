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
    assert isinstance(rows, list) and rows
    for row in rows:
        assert FIELDS <= set(row), f"{row.get('name')} lacks {FIELDS - set(row)}"
        assert isinstance(row["name"], str) and isinstance(row["unit"], str)
        assert row["value"] is None or isinstance(row["value"], int | float)
        assert row["met"] in (True, False, None)
    profile = next(r for r in rows if r["name"] == "sim_profile_year")
    assert isinstance(profile["value"], int | float), profile["notes"]
    assert profile["target"] == 5.0 and isinstance(profile["met"], bool)

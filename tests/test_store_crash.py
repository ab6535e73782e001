"""Crash safety: a writer killed with SIGKILL at random moments never loses a committed reading."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BATCH = 500
# 20 rounds in the default run; `IHD_CRASH_ROUNDS=200 pytest -m reliability` for the long one.
ROUNDS = int(os.environ.get("IHD_CRASH_ROUNDS", "20"))

# The child resumes from what is stored, commits a batch, then reports the total committed.
CHILD = f"""
import sys
from datetime import UTC, datetime, timedelta
from device_backend.model import Energy, Fuel
from device_backend.store import Store

T0 = datetime(2026, 3, 28, 12, tzinfo=UTC)
store = Store.open(sys.argv[1])
done = store.db.execute("SELECT count(*) FROM readings").fetchone()[0]
print("ready", done, flush=True)
while True:
    batch = [Energy(time=T0 + timedelta(seconds=10 * i), fuel=Fuel.ELECTRICITY, import_raw=i,
                    multiplier=1, divisor=1000, device="esme") for i in range(done, done + {BATCH})]
    store.add_many(batch)
    done += {BATCH}
    print(done, flush=True)
"""


def _committed(output: str) -> int:
    """The last complete count the child printed (a line cut short by the kill is ignored)."""
    counts = [int(line) for line in output.split("\n")[:-1] if line.strip().isdigit()]
    return max(counts, default=0)


@pytest.mark.reliability
def test_sigkill_never_loses_a_committed_reading(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    rng = random.Random(20260329)
    reported = 0
    for _ in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith("ready"), child.stderr.read() if child.stderr else first
        assert int(first.split()[1]) >= reported  # everything reported before is still there
        time.sleep(rng.uniform(0.0, 0.08))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        reported = max(reported, _committed(out))
        with sqlite3.connect(path) as conn:  # every round, not only the last
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM readings").fetchone()[0] >= reported
        conn.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raws = [row[0] for row in conn.execute("SELECT raw FROM readings ORDER BY raw")]
        steps, seen = conn.execute(
            "SELECT sum(import_raw), sum(energy_n) FROM half_hourly"
        ).fetchone()
    conn.close()
    assert reported > 0
    assert len(raws) >= reported
    assert raws == list(range(len(raws)))  # no gaps, no duplicates: whole batches only
    assert (seen, steps) == (len(raws), len(raws) - 1)  # rollups committed with their readings

"""The exact frames on the simulated air for a few simulated hours, as one digest per scenario.

Used by tests/test_sim_air_golden.py to prove that speed work on the simulator changed nothing
a meter puts on the air. Run as a script to print (or --write) the digests of the code on
PYTHONPATH, e.g. from a checkout without the change:

    PYTHONPATH=/work/main python tests/support/air_digest.py
    python tests/support/air_digest.py --write    # records tests/data/sim_air_digests.json
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
from datetime import timedelta
from pathlib import Path

# (scenario, simulated hours, seed): a credit dual-fuel home (the benchmark's) and a prepayment
# one low on credit (balance, debt and supply-state frames), each long enough to cross several
# tariff blocks and the half-hour profile boundaries.
CASES: tuple[tuple[str, int, int], ...] = (
    ("credit-dual-fuel", 3, 20260112),
    ("prepay-low-credit", 3, 7),
)
GOLDEN = Path(__file__).resolve().parent.parent / "data" / "sim_air_digests.json"


async def _digest(scenario: str, hours: int, seed: int) -> tuple[str, int, str, int]:
    """sha256 over every frame on the air (both ways) with its simulated time, and the count;
    the same over the domain events the facade made of them (what a display shows)."""
    from device_backend.facade import Backend

    backend = Backend(f"sim:{scenario}", speed=None, seed=seed)
    sha = hashlib.sha256()
    count = [0]
    events = hashlib.sha256()
    event_count = [0]

    def note(event: object) -> None:
        events.update(repr(event).encode() + b"\n")
        event_count[0] += 1

    def tap(direction, src, dst, profile, cluster, src_ep, data) -> None:
        stamp = backend.clock.now().isoformat()
        line = f"{stamp} {direction} {src:04x}>{dst:04x} {profile:04x}/{cluster:04x}:{src_ep} "
        sha.update(line.encode() + bytes(data) + b"\n")
        count[0] += 1

    await backend.start()
    try:
        await backend.wait_online(timeout=60)
        await backend.wait_for_meters(timeout=60)
        backend.app.taps.append(tap)  # from here on: what the meters say over simulated hours
        backend.on_event(note)
        await backend.run_until(backend.clock.now() + timedelta(hours=hours))
    finally:
        await backend.stop()
    return sha.hexdigest(), count[0], events.hexdigest(), event_count[0]


def digests() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for scenario, hours, seed in CASES:
        sha, frames, events_sha, events = asyncio.run(_digest(scenario, hours, seed))
        out[scenario] = {
            "hours": hours,
            "seed": seed,
            "frames": frames,
            "sha256": sha,
            "events": events,
            "events_sha256": events_sha,
        }
    return out


if __name__ == "__main__":
    found = digests()
    text = json.dumps(found, indent=2, sort_keys=True) + "\n"
    if "--write" in sys.argv:
        GOLDEN.write_text(text)
    print(text, end="")

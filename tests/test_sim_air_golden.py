"""The simulator's speed work changed nothing on the air.

tests/data/sim_air_digests.json was written by tests/support/air_digest.py from the simulator
as it was BEFORE it was optimised for the sim_day_cpu benchmark (issue 22): a sha256 over every
frame the simulated home and zigpy exchanged over three simulated hours of two scenarios, each
with its simulated time, direction, addresses, profile, cluster and APS payload bytes, and a
second over the domain events the facade made of them (what a display shows). The old
implementation is not importable at test time, so its output is kept as this digest, and the
optimised code must reproduce it byte for byte.

When a change is MEANT to alter what the meters send (new physics, a new attribute), regenerate
the file from that change and say so in the commit:
    python tests/support/air_digest.py --write
"""

from __future__ import annotations

import json

from tests.support.air_digest import GOLDEN, digests


def test_the_frames_on_the_air_are_those_of_the_unoptimised_simulator() -> None:
    recorded = json.loads(GOLDEN.read_text())
    assert digests() == recorded

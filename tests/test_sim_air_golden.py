"""What the simulated home puts on the air changes only when a change means it to.

tests/data/sim_air_digests.json was first written by tests/support/air_digest.py from the
simulator as it was BEFORE it was optimised for the sim_day_cpu benchmark (issue 22): a sha256 over every
frame the simulated home and zigpy exchanged over three simulated hours of two scenarios, each
with its simulated time, direction, addresses, profile, cluster and APS payload bytes, and a
second over the domain events the facade made of them (what a display shows). The old
implementation is not importable at test time, so its output is kept as this digest, and the
optimised code reproduced it byte for byte. It was rewritten once since, deliberately, when
issues 17, 18 and 20 landed (gas and top-up logs, tariff schedules asked for and published,
meters adopted when next heard), and the speed work was checked against that tree too.

When a change is MEANT to alter what the meters send (new physics, a new attribute), regenerate
the file from that change and say so in the commit:
    python tests/support/air_digest.py --write
"""

from __future__ import annotations

import json

from tests.support.air_digest import GOLDEN, digests


def test_the_frames_on_the_air_are_the_recorded_ones() -> None:
    recorded = json.loads(GOLDEN.read_text())
    assert digests() == recorded

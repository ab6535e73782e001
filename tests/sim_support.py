"""Old name of tests/support/sim.py, kept for test modules written before the support package.

New tests import from tests.support.sim; remove this module once nothing imports it.
"""

from tests.support.sim import Recorder, advance, run, started, with_backend

__all__ = ["Recorder", "advance", "run", "started", "with_backend"]

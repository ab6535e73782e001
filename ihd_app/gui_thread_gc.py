"""Python's cyclic garbage collector, run on the GUI thread only.

Left automatic, a collection runs in whichever thread happens to allocate at the wrong moment:
zigpy's database thread (aiosqlite), an executor worker, a virtual dongle in the same process.
A Qt object freed there (a widget or timer held in a reference cycle, as pyqtgraph's items are)
cannot stop its timers from another thread; the timer fires later on a deleted object and the
program dies with a segmentation fault (seen in the installer's tests over the virtual dongle:
QTimerInfoList::activateTimers -> QCoreApplication::notifyInternal2). pyqtgraph's
GarbageCollector turns automatic collection off and collects from a QTimer on the GUI thread.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collect_on_gui_thread(interval_s: float = 1.0) -> Iterator[None]:
    """While inside, garbage is collected only by a GUI-thread timer (Qt's loop must run)."""
    from pyqtgraph.util.garbage_collector import GarbageCollector

    was_enabled = gc.isenabled()
    collector = GarbageCollector(interval=interval_s)
    try:
        yield
    finally:
        collector.timer.stop()
        if was_enabled:
            gc.enable()

"""Measuring a running display: its memory, and the Metering reports that went over the air.

Shared by the soak test (tests/test_soak_month.py) and the benchmarks (benchmarks/display.py),
so that both count and weigh the same way. Nothing here imports pytest.
"""

from __future__ import annotations

import os
from typing import Any


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc), in MB of 10^6 bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def heap_mb() -> float:
    """Anonymous resident memory (malloc, Python's arenas), not mapped libraries or files."""
    total_kb = 0
    anonymous = False
    with open("/proc/self/smaps", encoding="ascii", errors="replace") as smaps:
        for line in smaps:
            if not line[0].isupper():  # a mapping's header: address range, perms, ..., path
                fields = line.split()
                anonymous = len(fields) < 6 or fields[5] in ("[heap]", "[stack]")
            elif anonymous and line.startswith("Rss:"):
                total_kb += int(line.split()[1])
    return total_kb / 1000


def sqlite_mb() -> float | None:
    """What SQLite holds from malloc now (sqlite3_memory_used: page caches, statements), in MB,
    for every connection in the process; None when the library cannot be reached."""
    import ctypes

    try:
        library = ctypes.CDLL("libsqlite3.so.0")  # the one the sqlite3 module has loaded
        used = library.sqlite3_memory_used
    except (OSError, AttributeError):
        return None
    used.restype = ctypes.c_int64
    return int(used()) / 1e6


def trim_heap() -> None:
    """Collect garbage and let glibc hand freed heap pages back, so RSS shows what is held."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the figures are a little higher, no more
        pass


class ReportCounter:
    """Counts Metering attribute reports the meters put on the simulated air (a radio tap)."""

    def __init__(self) -> None:
        self.count = 0
        self._radio: Any = None

    def follow(self, radio: Any) -> None:
        if radio is not self._radio and radio is not None:
            radio.taps.append(self)
            self._radio = radio

    def __call__(
        self,
        direction: str,
        src: int,
        dst: int,
        profile: int,
        cluster: int,
        src_ep: int,
        data: bytes,
    ) -> None:
        # ZCL frame control: frame type 0 (global command), not manufacturer specific (bit 2);
        # command 0x0A is Report Attributes (ZCL r8, 2.4.1 and table 2-3).
        general = len(data) >= 3 and not data[0] & 0x04 and data[0] & 0x03 == 0
        if direction == "rx" and cluster == 0x0702 and general and data[2] == 0x0A:
            self.count += 1

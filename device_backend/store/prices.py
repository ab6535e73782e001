"""Which price was in force when: a flat, non-overlapping timeline built from the prices table."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FOREVER = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class PriceRow:
    id: int
    starts: int
    ends: int | None
    micro_pence_per_kwh: int
    standing_micro_pence: int


@dataclass(frozen=True, slots=True)
class Segment:
    starts: int
    ends: int  # FOREVER when open-ended
    row: PriceRow


def flatten(rows: list[PriceRow]) -> list[Segment]:
    """Resolve overlaps: the latest start wins, and on equal starts the latest received (id)."""
    by_start = sorted(rows, key=lambda r: (r.starts, r.id))
    points = sorted({r.starts for r in rows} | {r.ends for r in rows if r.ends is not None})
    heap: list[tuple[int, int, PriceRow]] = []
    segments: list[Segment] = []
    pending = 0
    for i, point in enumerate(points):
        while pending < len(by_start) and by_start[pending].starts <= point:
            row = by_start[pending]
            heapq.heappush(heap, (-row.starts, -row.id, row))
            pending += 1
        # Expired rows are dropped lazily: only the winner on top has to be live.
        while heap and heap[0][2].ends is not None and heap[0][2].ends <= point:
            heapq.heappop(heap)
        if not heap:
            continue
        end = points[i + 1] if i + 1 < len(points) else FOREVER
        winner = heap[0][2]
        if segments and segments[-1].row is winner and segments[-1].ends == point:
            segments[-1] = Segment(segments[-1].starts, end, winner)
        else:
            segments.append(Segment(point, end, winner))
    return segments


class PriceTimeline:
    """Vectorised look-ups of the unit price and standing charge in force at given seconds."""

    def __init__(self, rows: list[PriceRow]) -> None:
        self.segments = flatten(rows)
        self._starts = np.array([s.starts for s in self.segments], dtype=np.int64)
        self._ends = np.array([s.ends for s in self.segments], dtype=np.int64)
        self._unit = np.array([s.row.micro_pence_per_kwh for s in self.segments], dtype=np.int64)

    def unit_prices(
        self, seconds: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Micro-pence per kWh at each moment, and whether any price was in force then."""
        if not self.segments:
            return np.zeros(len(seconds), dtype=np.int64), np.zeros(len(seconds), dtype=bool)
        index = np.searchsorted(self._starts, seconds, side="right") - 1
        clipped = np.maximum(index, 0)
        known = (index >= 0) & (seconds < self._ends[clipped])
        return np.where(known, self._unit[clipped], 0), known

    def row_at(self, second: int) -> PriceRow | None:
        index = int(np.searchsorted(self._starts, second, side="right")) - 1
        if index >= 0 and second < self.segments[index].ends:
            return self.segments[index].row
        return None

    def standing_for_day(self, start: int, end: int) -> int | None:
        """The standing charge in force at local midnight, else the first one starting that day."""
        row = self.row_at(start)
        if row is not None:
            return row.standing_micro_pence
        index = int(np.searchsorted(self._starts, start, side="left"))
        if index < len(self.segments) and self.segments[index].starts < end:
            return self.segments[index].row.standing_micro_pence
        return None

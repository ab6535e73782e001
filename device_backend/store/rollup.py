"""Rollup arithmetic in integers: register steps per half-hour, demand sums, local-day totals.

Consumption in a half-hour (or a local day) is the sum of the positive steps of each register
whose later reading falls in it, which telescopes to "last register minus the previous
period's last". A step backwards (meter replaced or reset) adds nothing and becomes the new
baseline; so does the first reading of a register, or one whose multiplier or divisor changed.
A step is counted in raw register units and booked under the scaling of its later reading, so
a new gas calorific value changes the kWh factor without breaking the register's baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from device_backend.store.codes import SLOT_SECONDS, Register, local_day

# Layout of one rollup entry; matches the order of SUM_COLUMNS + demand_max in the tables.
IMPORT, EXPORT, COST, UNPRICED, ENERGY_N, DEMAND_SUM, DEMAND_N, DEMAND_MAX = range(8)
SUM_COLUMNS = (
    "import_raw",
    "export_raw",
    "cost_units",
    "unpriced_raw",
    "energy_n",
    "demand_sum",
    "demand_n",
)

Ints = NDArray[np.int64]
Entry = list[int | None]
SlotKey = tuple[int, int, int]  # fuel, slot (UTC seconds), scaling
DayKey = tuple[int, str, int]  # fuel, local date, scaling
BaselineKey = tuple[int, int, int]  # device, fuel, register


@dataclass(frozen=True, slots=True)
class Baseline:
    unit: int  # scaling id of the register's (multiplier, divisor), kWh factor 1
    t: int
    raw: int


def new_entry() -> Entry:
    return [0, 0, 0, 0, 0, 0, 0, None]


def group_starts(*keys: Ints) -> NDArray[np.intp]:
    """Index where each run of equal keys begins, in arrays already sorted by those keys."""
    change = np.zeros(len(keys[0]), dtype=bool)
    if len(change):
        change[0] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(change)


def _order(last: Ints, keys: tuple[Ints, ...]) -> NDArray[np.intp] | None:
    """A stable sort by keys then `last`, or None when already in that order (the usual case)."""
    uniform = all(bool((key == key[0]).all()) for key in keys)
    if uniform and bool((last[1:] >= last[:-1]).all()):
        return None
    return np.lexsort((last, *reversed(keys)))


def _counts(starts: NDArray[np.intp], n: int) -> list[int]:
    return [int(count) for count in np.diff(np.append(starts, n))]


def add_register_steps(
    totals: dict[SlotKey, Entry],
    baselines: dict[BaselineKey, Baseline],
    register: Register,
    columns: tuple[Ints, Ints, Ints, Ints, Ints, Ints],
) -> int:
    """Add each register stream's steps to `totals`; returns readings older than a baseline.

    columns: t, raw, device, fuel, unit (the register's own scaling), scaling (with kWh factor).
    """
    t, raw, device, fuel, unit, scaling = columns
    if len(t) == 0:
        return 0
    order = _order(t, (device, fuel, unit))
    if order is not None:
        t, raw, device, fuel, unit, scaling = (column[order] for column in columns)
    starts = group_starts(device, fuel, unit)
    late = 0
    for a, b in zip(starts.tolist(), np.append(starts[1:], len(t)).tolist(), strict=True):
        key = (int(device[a]), int(fuel[a]), int(register))
        stream = (t[a:b], raw[a:b], scaling[a:b])
        late += _stream_steps(totals, baselines, key, int(unit[a]), stream)
    return late


def _stream_steps(
    totals: dict[SlotKey, Entry],
    baselines: dict[BaselineKey, Baseline],
    key: BaselineKey,
    unit: int,
    stream: tuple[Ints, Ints, Ints],
) -> int:
    t, raw, scaling = stream
    base = baselines.get(key)
    late = 0
    if base is not None and base.unit == unit:
        # Readings older than the baseline arrived late: kept raw, but their steps were
        # already counted between the readings either side of them.
        late = int(np.searchsorted(t, base.t, side="left"))
        t, raw, scaling = t[late:], raw[late:], scaling[late:]
    else:
        base = None
    if len(t) == 0:
        return late
    before = np.empty_like(raw)
    before[1:] = raw[:-1]
    before[0] = raw[0] if base is None else base.raw
    steps = np.maximum(raw - before, 0)
    baselines[key] = Baseline(unit, int(t[-1]), int(raw[-1]))
    slots = t - t % SLOT_SECONDS
    starts = group_starts(slots, scaling)
    sums = np.add.reduceat(steps, starts).tolist()
    column = IMPORT if key[2] == Register.IMPORT else EXPORT
    fuel = key[1]
    runs = zip(slots[starts].tolist(), scaling[starts].tolist(), strict=True)
    for (slot, booked), total, count in zip(runs, sums, _counts(starts, len(t)), strict=True):
        entry = totals.setdefault((fuel, slot, booked), new_entry())
        entry[column] += total
        if column == IMPORT:
            entry[ENERGY_N] += count  # type: ignore[operator]
    return late


def add_demand(totals: dict[SlotKey, Entry], t: Ints, raw: Ints, fuel: Ints, scaling: Ints) -> None:
    """Sum, count and peak of demand per half-hour, for average-kW charts over long ranges."""
    if len(t) == 0:
        return
    slots = t - t % SLOT_SECONDS
    order = _order(slots, (fuel, scaling))
    if order is not None:
        slots, raw, fuel, scaling = slots[order], raw[order], fuel[order], scaling[order]
    starts = group_starts(fuel, scaling, slots)
    sums = np.add.reduceat(raw, starts).tolist()
    peaks = np.maximum.reduceat(raw, starts).tolist()
    keys = zip(fuel[starts].tolist(), slots[starts].tolist(), scaling[starts].tolist(), strict=True)
    for key, total, count, peak in zip(keys, sums, _counts(starts, len(t)), peaks, strict=True):
        entry = totals.setdefault(key, new_entry())
        entry[DEMAND_SUM] += total
        entry[DEMAND_N] += count  # type: ignore[operator]
        old = entry[DEMAND_MAX]
        entry[DEMAND_MAX] = peak if old is None else max(old, peak)


def by_local_day(totals: dict[SlotKey, Entry]) -> dict[DayKey, Entry]:
    """Half-hour entries folded into Europe/London days (half-hours nest inside local days)."""
    days: dict[DayKey, Entry] = {}
    for (fuel, slot, scaling), entry in totals.items():
        day = days.setdefault((fuel, local_day(slot), scaling), new_entry())
        for column in range(DEMAND_MAX):
            day[column] += entry[column]  # type: ignore[operator]
        peak = entry[DEMAND_MAX]
        if peak is not None and (day[DEMAND_MAX] is None or peak > day[DEMAND_MAX]):  # type: ignore[operator]
            day[DEMAND_MAX] = peak
    return days

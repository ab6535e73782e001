"""A GB household's electricity, solar and gas use at 10 s resolution, exact and seed-deterministic."""

from __future__ import annotations

import math
import random
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from device_backend.clock import LONDON
from device_backend.simulator.tariff import is_bank_holiday

__all__ = [
    "CONTROLLABLE_LOADS",
    "DEVICE_CLASS_LOADS",
    "STEP_S",
    "ElectricEnergy",
    "Household",
    "HouseholdProfile",
    "Series",
    "loads_for_device_class",
    "sun_times",
]

STEP_S = 10  # power is constant over each 10 s step of the UTC grid

# DRLC DeviceClass bits (SE 0x0701) -> the household loads they switch.
DEVICE_CLASS_LOADS: dict[int, tuple[str, ...]] = {
    0: ("heating",),  # HVAC compressor / furnace: the gas boiler's space heating
    1: ("storage_heating",),  # strip / baseboard heat
    2: ("water_heater",),
    4: ("smart_appliances",),
    9: ("lighting",),
    10: ("ev",),
    11: ("solar",),
}
CONTROLLABLE_LOADS = frozenset(name for names in DEVICE_CLASS_LOADS.values() for name in names)

# Nominal kWh per m3 (CF 1.02264, CV 39.5 MJ/m3) only turns boiler kW into a gas flow; the
# meter converts volume back to kWh with whatever CV is published.
_NOMINAL_KWH_PER_M3 = 1.02264 * 39.5 / 3.6
_ML_PER_S_PER_W = 1e6 / 3600 / 1000 / _NOMINAL_KWH_PER_M3
_BOILER_EFFICIENCY = 0.89
# The meters walk forward in time, so today and yesterday (a tick across midnight) are all
# they need; any other day is rebuilt, identically, from its seed.
_DAY_CACHE = 3


def loads_for_device_class(device_class: int) -> tuple[str, ...]:
    """Household loads a DRLC DeviceClass bitmap addresses."""
    names: list[str] = []
    for bit, loads in DEVICE_CLASS_LOADS.items():
        if device_class & (1 << bit):
            names.extend(loads)
    return tuple(names)


@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdProfile:
    """Who lives here and what they own; physics, so floats are fine (money never is)."""

    occupants: int = 2
    base_load_w: int = 110
    fridge_w: int = 90
    works_from_home: bool = False
    electric_shower_kw: float = 0.0  # 0: showers use the gas combi boiler
    gas_hob: bool = False
    gas_heating: bool = True  # gas central heating in October-April
    gas_hot_water: bool = True  # a combi boiler heats water on demand
    boiler_kw: float = 24.0
    heating_kw: float = 4.5  # mean heat demand while the heating is on in mid-winter
    solar_kwp: float = 0.0
    ev_charger_kw: float = 0.0
    storage_heater_kw: float = 0.0
    latitude: float = 52.0
    longitude: float = -1.5

    def __post_init__(self) -> None:
        if not 1 <= self.occupants <= 8:
            raise ValueError(f"occupants must be 1-8, not {self.occupants}")
        for name in ("base_load_w", "fridge_w"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")
        for name in (
            "electric_shower_kw",
            "boiler_kw",
            "heating_kw",
            "solar_kwp",
            "ev_charger_kw",
            "storage_heater_kw",
        ):
            if not 0 <= getattr(self, name) <= 50:
                raise ValueError(f"{name} must be 0-50 kW, not {getattr(self, name)}")

    @property
    def has_gas(self) -> bool:
        return self.gas_heating or self.gas_hot_water or self.gas_hob


class ElectricEnergy(NamedTuple):
    """Energy over an interval in joules (W·s), so sums of sub-intervals are exact."""

    import_j: int
    export_j: int

    @property
    def import_wh(self) -> Decimal:
        return Decimal(self.import_j) / 3600

    @property
    def export_wh(self) -> Decimal:
        return Decimal(self.export_j) / 3600


class Series(NamedTuple):
    """Interval totals: `starts` are epoch seconds; energy in J, gas in mL."""

    starts: npt.NDArray[np.int64]
    import_j: npt.NDArray[np.int64]
    export_j: npt.NDArray[np.int64]
    gas_ml: npt.NDArray[np.int64]


def _epoch(t: datetime) -> int:
    if t.tzinfo is None:
        raise ValueError("household times must be timezone-aware")
    return math.floor(t.timestamp())


def _solar_terms(day: date) -> tuple[float, float]:
    """(declination rad, equation of time minutes) at local noon (NOAA approximation)."""
    gamma = 2 * math.pi / 365 * (day.timetuple().tm_yday - 1)
    eqtime = 229.18 * (
        0.000075
        + 0.001868 * math.cos(gamma)
        - 0.032077 * math.sin(gamma)
        - 0.014615 * math.cos(2 * gamma)
        - 0.040849 * math.sin(2 * gamma)
    )
    decl = (
        0.006918
        - 0.399912 * math.cos(gamma)
        + 0.070257 * math.sin(gamma)
        - 0.006758 * math.cos(2 * gamma)
        + 0.000907 * math.sin(2 * gamma)
        - 0.002697 * math.cos(3 * gamma)
        + 0.00148 * math.sin(3 * gamma)
    )
    return decl, eqtime


def sun_times(
    day: date, latitude: float = 52.0, longitude: float = -1.5
) -> tuple[datetime, datetime]:
    """Sunrise and sunset (UTC) for a date, to about a minute."""
    decl, eqtime = _solar_terms(day)
    phi = math.radians(latitude)
    cos_ha = math.cos(math.radians(90.833)) / (math.cos(phi) * math.cos(decl)) - math.tan(
        phi
    ) * math.tan(decl)
    ha = math.degrees(math.acos(max(-1.0, min(1.0, cos_ha))))
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    rise = 720 - 4 * (longitude + ha) - eqtime
    sets = 720 - 4 * (longitude - ha) - eqtime
    return midnight + timedelta(minutes=rise), midnight + timedelta(minutes=sets)


class _Day:
    """One local day's step arrays and their running sums (index i = energy before step i)."""

    __slots__ = (
        "_step",
        "_sums",
        "cum_export",
        "cum_gas",
        "cum_import",
        "end",
        "export_w",
        "gas_mlps",
        "import_w",
        "load_w",
        "n",
        "net_w",
        "pv_w",
        "start",
    )

    def __init__(
        self,
        start: int,
        n: int,
        load_w: npt.NDArray[np.int64],
        pv_w: npt.NDArray[np.int64],
        gas_mlps: npt.NDArray[np.int64],
    ) -> None:
        self.start = start
        self.n = n
        self.end = start + n * STEP_S
        self.load_w = load_w
        self.pv_w = pv_w
        self.gas_mlps = gas_mlps
        net = load_w - pv_w
        self.import_w = np.maximum(net, 0)
        self.export_w = np.maximum(-net, 0)
        zero = np.zeros(1, dtype=np.int64)
        self.cum_import = np.concatenate((zero, np.cumsum(self.import_w * STEP_S)))
        self.cum_export = np.concatenate((zero, np.cumsum(self.export_w * STEP_S)))
        self.cum_gas = np.concatenate((zero, np.cumsum(gas_mlps * STEP_S)))
        # The same figures as plain machine ints for the meters' every-ten-second reads: an
        # array.array item is a Python int at once, a numpy one a scalar object to convert.
        self.net_w = array("q", net.tolist())
        self._sums = tuple(array("q", a.tolist()) for a in (self.cum_import, self.cum_export))
        self._sums += (array("q", self.cum_gas.tolist()),)
        self._step = tuple(array("q", a.tolist()) for a in (self.import_w, self.export_w, gas_mlps))

    def upto(self, s: int) -> tuple[int, int, int]:
        """(import J, export J, gas mL) from the day's start to second `s` (start <= s <= end)."""
        offset = s - self.start
        i, r = divmod(offset, STEP_S)
        ci, cx, cg = self._sums
        if i >= self.n:
            return ci[-1], cx[-1], cg[-1]
        wi, wx, wg = self._step
        return ci[i] + wi[i] * r, cx[i] + wx[i] * r, cg[i] + wg[i] * r


class _Builder:
    """Lays one day's appliance events onto step arrays; local clock times in seconds."""

    def __init__(self, start: int, n: int, offset_start: int, offset_end: int) -> None:
        self.start = start
        self.n = n
        self.offset_start = offset_start
        self.shift = offset_end - offset_start
        # Local clock seconds at which the DST change happens (none: beyond the day).
        self.change_local = 10**9
        if self.shift:
            # GB changes at 01:00 UTC, which is 01:00 GMT (spring) or 02:00 BST (autumn).
            # Local midnight is 00:00 or 23:00 UTC the evening before; either way the change
            # is at 01:00 UTC on the local date. Local clock and elapsed time agree until then.
            change_utc = ((start + 3600) // 86400) * 86400 + 3600
            self.change_local = change_utc - start
        steps = np.arange(n, dtype=np.int64) * STEP_S
        local = steps.copy()
        if self.shift:
            local[steps >= self.change_local] += self.shift
        self.local_s = local  # local clock seconds since local midnight, per step
        self.components: dict[str, npt.NDArray[np.float64]] = {}

    def elapsed(self, local_s: float) -> int:
        """Seconds from the day's start to a local clock time (DST-aware, first occurrence)."""
        if local_s >= self.change_local:
            return int(local_s - self.shift)
        return int(local_s)

    def arr(self, name: str) -> npt.NDArray[np.float64]:
        found = self.components.get(name)
        if found is None:
            found = self.components[name] = np.zeros(self.n)
        return found

    def add(self, name: str, at_local_s: float, duration_s: float, watts: float) -> None:
        first = self.elapsed(at_local_s) // STEP_S
        last = math.ceil((self.elapsed(at_local_s) + duration_s) / STEP_S)
        first, last = max(first, 0), min(last, self.n)
        if first < last:
            self.arr(name)[first:last] += watts

    def cycle(
        self,
        name: str,
        at_local_s: float,
        duration_s: float,
        watts: float,
        period_s: float,
        duty: float,
    ) -> None:
        """A thermostat cycling on for `duty` of every `period_s` (ovens, boilers)."""
        on = max(STEP_S, period_s * duty)
        t = 0.0
        while t < duration_s:
            self.add(name, at_local_s + t, min(on, duration_s - t), watts)
            t += period_s


_H = 3600.0
_M = 60.0


class Household:
    """Deterministic household load: the same seed and profile give the same watts, always.

    Each local day is built from its own sub-seed, so day N never depends on days before it.
    Times are truncated to whole seconds; energies are integers (J for electricity, mL for
    gas), so any split of an interval sums exactly to the whole.
    """

    def __init__(self, seed: int, profile: HouseholdProfile | None = None) -> None:
        self.seed = int(seed)
        self.profile = profile or HouseholdProfile()
        self._days: OrderedDict[date, _Day] = OrderedDict()
        self._last: _Day | None = None
        self._controls: list[tuple[str, int, int]] = []

    # -- load control ---------------------------------------------------------------------

    def control_load(self, load: str, start: datetime, end: datetime) -> None:
        """Switch a controllable load off over [start, end) (a DRLC event); solar curtails."""
        if load not in CONTROLLABLE_LOADS:
            raise ValueError(
                f"{load!r} is not a controllable load; expected one of {sorted(CONTROLLABLE_LOADS)}"
            )
        s, e = _epoch(start), _epoch(end)
        if e <= s:
            return
        self._controls.append((load, s, e))
        self._forget(s, e)

    def clear_load_control(self, load: str | None = None) -> None:
        kept = [c for c in self._controls if load is not None and c[0] != load]
        self._controls = kept
        self._days.clear()
        self._last = None

    def _forget(self, s: int, e: int) -> None:
        for key in [k for k, d in self._days.items() if d.start < e and s < d.end]:
            del self._days[key]
        self._last = None

    # -- day lookup -----------------------------------------------------------------------

    def _day_at(self, s: int) -> _Day:
        last = self._last
        if last is not None and last.start <= s < last.end:
            return last
        day = self.day(datetime.fromtimestamp(s, LONDON).date())
        self._last = day
        return day

    def day(self, local_date: date) -> _Day:
        found = self._days.get(local_date)
        if found is not None:
            self._days.move_to_end(local_date)
            return found
        built = self._build(local_date)
        self._days[local_date] = built
        if len(self._days) > _DAY_CACHE:
            self._days.popitem(last=False)
        return built

    # -- point values ---------------------------------------------------------------------

    def _index(self, t: datetime) -> tuple[_Day, int]:
        s = _epoch(t)
        day = self._day_at(s)
        return day, (s - day.start) // STEP_S

    def load_watts(self, t: datetime) -> int:
        day, i = self._index(t)
        return int(day.load_w[i])

    def generation_watts(self, t: datetime) -> int:
        day, i = self._index(t)
        return int(day.pv_w[i])

    def electric_watts(self, t: datetime) -> int:
        """Net demand at the meter: import positive, export (solar surplus) negative."""
        day, i = self._index(t)
        return day.net_w[i]

    def gas_ml_per_second(self, t: datetime) -> int:
        day, i = self._index(t)
        return int(day.gas_mlps[i])

    def gas_m3_per_hour(self, t: datetime) -> Decimal:
        return Decimal(self.gas_ml_per_second(t)) * 3600 / 1_000_000

    # -- interval energy ------------------------------------------------------------------

    def _totals(self, a: int, b: int) -> tuple[int, int, int]:
        imp = exp = gas = 0
        s = a
        while s < b:
            day = self._day_at(s)
            e = min(b, day.end)
            i0, x0, g0 = day.upto(s)
            i1, x1, g1 = day.upto(e)
            imp += i1 - i0
            exp += x1 - x0
            gas += g1 - g0
            s = e
        return imp, exp, gas

    def electric_energy(self, start: datetime, end: datetime) -> ElectricEnergy:
        imp, exp, _ = self._totals(_epoch(start), _epoch(end))
        return ElectricEnergy(imp, exp)

    def gas_volume_ml(self, start: datetime, end: datetime) -> int:
        return self._totals(_epoch(start), _epoch(end))[2]

    def series(self, start: datetime, end: datetime, step_s: int = 1800) -> Series:
        """Vectorised interval totals over [start, end) in `step_s` intervals (a year in <1 s)."""
        a, b = _epoch(start), _epoch(end)
        if step_s <= 0 or (b - a) % step_s:
            raise ValueError("the span must be a whole number of positive steps")
        bounds = np.arange(a, b + 1, step_s, dtype=np.int64)
        cum = np.zeros((3, len(bounds)), dtype=np.int64)
        carried = np.zeros(3, dtype=np.int64)
        index = 0
        s = a
        while index < len(bounds):
            day = self._day_at(s)
            stop = int(np.searchsorted(bounds, day.end, side="left"))
            chunk = bounds[index:stop]
            if len(chunk):
                offset = chunk - day.start
                i, r = np.divmod(offset, STEP_S)
                for row, (total, rate) in enumerate(
                    (
                        (day.cum_import, day.import_w),
                        (day.cum_export, day.export_w),
                        (day.cum_gas, day.gas_mlps),
                    )
                ):
                    cum[row, index:stop] = carried[row] + total[i] + rate[i] * r
            carried += (day.cum_import[-1], day.cum_export[-1], day.cum_gas[-1])
            index = stop
            s = day.end
        diffs = np.diff(cum, axis=1)
        return Series(bounds[:-1], diffs[0], diffs[1], diffs[2])

    def sun_times(self, local_date: date) -> tuple[datetime, datetime]:
        return sun_times(local_date, self.profile.latitude, self.profile.longitude)

    # -- the model ------------------------------------------------------------------------

    def _build(self, local_date: date) -> _Day:
        midnight = datetime(local_date.year, local_date.month, local_date.day, tzinfo=LONDON)
        following = local_date + timedelta(days=1)
        next_midnight = datetime(following.year, following.month, following.day, tzinfo=LONDON)
        start = _epoch(midnight)
        n = (_epoch(next_midnight) - start) // STEP_S
        offset_start = int(midnight.utcoffset().total_seconds())  # type: ignore[union-attr]
        offset_end = int(next_midnight.utcoffset().total_seconds())  # type: ignore[union-attr]
        b = _Builder(start, n, offset_start, offset_end)
        # A string seed is hashed with SHA-512, so sub-seeds are stable across runs and hosts.
        rng = random.Random(f"household/{self.seed}/{local_date.isoformat()}")
        nrng = np.random.default_rng(rng.getrandbits(64))
        p = self.profile
        home_day = p.works_from_home or local_date.weekday() >= 5 or is_bank_holiday(local_date)
        season = _heating_season_factor(local_date) * rng.uniform(0.65, 1.3)

        wake = (rng.gauss(8.0, 0.6) if home_day else rng.gauss(6.6, 0.35)) * _H
        bed = (rng.gauss(23.3, 0.5) if home_day else rng.gauss(22.8, 0.45)) * _H
        leave = rng.gauss(8.2, 0.25) * _H
        back = rng.gauss(17.6, 0.6) * _H
        home = [(0.0, 24 * _H)] if home_day else [(0.0, leave), (back, 24 * _H)]

        self._always_on(b, rng, nrng)
        self._morning(b, rng, wake, home_day)
        if home_day:
            self._daytime(b, rng, wake, bed)
        dinner = self._evening(
            b, rng, back if not home_day else rng.gauss(17.8, 0.5) * _H, bed, home_day
        )
        self._laundry(b, rng, home_day, back, season)
        self._night(b, rng, season)
        decl, eqtime = _solar_terms(local_date)
        elevation = self._sun_elevation(b, decl, eqtime)
        sky = self._sky(local_date, rng, nrng, b.n)
        self._lighting(b, elevation, sky, home, wake, bed)
        if p.solar_kwp > 0:
            clear = np.clip(np.sin(elevation), 0.0, None) ** 1.15
            b.arr("solar")[:] = p.solar_kwp * 1000 * 0.82 * clear * sky
        if p.gas_heating and season > 0:
            self._space_heating(b, rng, season, wake, bed, home_day, leave, back)
        self._hot_water_draws(b, rng, wake, dinner)

        for load, s, e in self._controls:
            if s < b.start + n * STEP_S and b.start < e and load in b.components:
                first = max(0, (s - b.start) // STEP_S)
                last = min(n, -(-(e - b.start) // STEP_S))
                b.components[load][first:last] = 0.0
        electric = [v for k, v in b.components.items() if k not in ("solar", "gas", "heating")]
        load_w = (
            np.rint(np.sum(electric, axis=0)).astype(np.int64)
            if electric
            else np.zeros(n, np.int64)
        )
        pv_w = np.rint(b.components.get("solar", np.zeros(n))).astype(np.int64)
        gas_w = b.components.get("gas", np.zeros(n)) + b.components.get("heating", np.zeros(n))
        gas = np.rint(gas_w * _ML_PER_S_PER_W).astype(np.int64)
        return _Day(start, n, load_w, pv_w, gas)

    def _always_on(self, b: _Builder, rng: random.Random, nrng: np.random.Generator) -> None:
        p = self.profile
        # Standby drifts a little every quarter hour.
        quarters = -(-b.n // 90)
        drift = np.repeat(nrng.normal(1.0, 0.07, quarters), 90)[: b.n]
        b.arr("other")[:] += p.base_load_w * drift
        period = int(rng.uniform(38, 55) * _M) // STEP_S
        on = int(period * rng.uniform(0.3, 0.42))
        phase = rng.randrange(period)
        compressor = ((np.arange(b.n) + phase) % period) < on
        b.arr("other")[compressor] += p.fridge_w

    def _morning(self, b: _Builder, rng: random.Random, wake: float, home_day: bool) -> None:
        p = self.profile
        b.add("other", wake + rng.uniform(5, 20) * _M, rng.uniform(120, 200), 3000)  # kettle
        if rng.random() < 0.6:
            b.add("other", wake + rng.uniform(10, 30) * _M, 150, 900)  # toaster
        for _ in range(p.occupants):
            if rng.random() < 0.2:
                continue
            at = wake + rng.uniform(0, 60) * _M
            length = rng.uniform(5, 10) * _M
            if p.electric_shower_kw > 0:
                b.add("other", at, length, p.electric_shower_kw * 1000)
            elif p.gas_hot_water:
                b.add("gas", at, length, 21000 / _BOILER_EFFICIENCY)
            if rng.random() < 0.3:
                b.add("other", at + length + 2 * _M, 5 * _M, 1800)  # hair dryer
        if not home_day:
            b.add("other", wake, 90 * _M, 60 + 20 * p.occupants)  # radio, phones charging

    def _daytime(self, b: _Builder, rng: random.Random, wake: float, bed: float) -> None:
        p = self.profile
        t = wake + rng.uniform(100, 160) * _M
        while t < bed - 90 * _M:
            b.add("other", t, rng.uniform(120, 200), 3000)
            t += rng.uniform(80, 160) * _M
        lunch = rng.gauss(12.8, 0.4) * _H
        if rng.random() < 0.6:
            b.add("other", lunch, rng.uniform(2, 5) * _M, 850)  # microwave
        else:
            b.add("gas" if p.gas_hob else "other", lunch, 18 * _M, 2000 if p.gas_hob else 1500)
        if p.works_from_home:
            b.add("other", 9 * _H, 8 * _H, 90 + 40 * min(p.occupants, 2))
        if rng.random() < 0.4:
            b.add("other", rng.uniform(13, 16) * _H, rng.uniform(60, 150) * _M, 110)  # TV

    def _evening(
        self, b: _Builder, rng: random.Random, back: float, bed: float, home_day: bool
    ) -> float:
        p = self.profile
        start = back + rng.uniform(25, 70) * _M
        length = rng.uniform(40, 75) * _M
        b.add("other", start, 12 * _M, 2000)  # oven heating up
        b.cycle("other", start + 12 * _M, length - 12 * _M, 2000, 120, rng.uniform(0.4, 0.6))
        hob = rng.uniform(15, 25) * _M
        if p.gas_hob:
            b.add("gas", start + length - hob, hob, 2500)
        else:
            b.add("other", start + length - hob, hob, 1500)
        dinner_end = start + length + 25 * _M
        if not home_day:
            b.add("other", back + rng.uniform(2, 10) * _M, 170, 3000)  # kettle on arrival
        if rng.random() < 0.7:
            b.add("other", dinner_end + rng.uniform(10, 60) * _M, 160, 3000)
        b.add("other", dinner_end, max(0.0, bed - dinner_end), 110 + 30 * min(p.occupants, 3))
        if rng.random() < (0.6 if p.occupants >= 2 else 0.25):
            at = dinner_end + rng.uniform(0, 90) * _M
            b.add("smart_appliances", at, 20 * _M, 2000)
            b.add("smart_appliances", at + 20 * _M, 40 * _M, 150)
            b.add("smart_appliances", at + 60 * _M, 10 * _M, 2000)
            b.add("smart_appliances", at + 70 * _M, 20 * _M, 50)
        return dinner_end

    def _laundry(
        self, b: _Builder, rng: random.Random, home_day: bool, back: float, season: float
    ) -> None:
        p = self.profile
        if rng.random() >= min(0.85, 0.12 * p.occupants + (0.15 if home_day else 0.0)):
            return
        at = rng.uniform(9, 19) * _H if home_day else back + rng.uniform(30, 150) * _M
        b.add("smart_appliances", at, 15 * _M, 2000)
        b.add("smart_appliances", at + 15 * _M, 50 * _M, 250)
        b.add("smart_appliances", at + 65 * _M, 10 * _M, 500)
        if season > 0 and rng.random() < 0.4:
            b.add("smart_appliances", at + 80 * _M, 50 * _M, 2200)  # tumble dryer

    def _night(self, b: _Builder, rng: random.Random, season: float) -> None:
        p = self.profile
        if p.ev_charger_kw > 0 and rng.random() < 0.35:
            b.add("ev", 0.5 * _H, rng.uniform(1, 4) * _H, p.ev_charger_kw * 1000)
        if p.storage_heater_kw > 0 and season > 0:
            b.add(
                "storage_heating",
                0.5 * _H,
                min(7.0, max(1.0, 7 * season)) * _H,
                p.storage_heater_kw * 1000,
            )
        if not p.gas_hot_water and p.electric_shower_kw == 0:
            b.add("water_heater", 1 * _H, rng.uniform(60, 150) * _M, 3000)  # immersion

    def _sun_elevation(self, b: _Builder, decl: float, eqtime: float) -> npt.NDArray[np.float64]:
        p = self.profile
        utc_minutes = ((b.start % 86400) + np.arange(b.n) * STEP_S) / 60.0
        hour_angle = np.radians((utc_minutes + eqtime + 4 * p.longitude) / 4 - 180)
        phi = math.radians(p.latitude)
        sin_el = math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * np.cos(
            hour_angle
        )
        return np.arcsin(np.clip(sin_el, -1.0, 1.0))

    def _sky(
        self, local_date: date, rng: random.Random, nrng: np.random.Generator, n: int
    ) -> npt.NDArray[np.float64]:
        """Fraction of clear-sky sunshine reaching the panels: one weather type per day."""
        winter = _heating_season_factor(local_date) > 0
        roll = rng.random()
        overcast, clear = (0.5, 0.15) if winter else (0.3, 0.3)
        if roll < overcast:
            return np.full(n, rng.uniform(0.08, 0.3))
        if roll > 1 - clear:
            return np.full(n, rng.uniform(0.88, 1.0))
        # Broken cloud: sunny or shaded in two-minute spells.
        spells = -(-n // 12)
        sunny = nrng.random(spells) < rng.uniform(0.35, 0.75)
        level = np.where(sunny, nrng.uniform(0.85, 1.05, spells), nrng.uniform(0.2, 0.4, spells))
        return np.repeat(level, 12)[:n]

    def _lighting(
        self,
        b: _Builder,
        elevation: npt.NDArray[np.float64],
        sky: npt.NDArray[np.float64],
        home: list[tuple[float, float]],
        wake: float,
        bed: float,
    ) -> None:
        # Dull days need the lights on earlier; GB homes light up below ~6 degrees of sun.
        dark = elevation < np.radians(2 + 6 * (1 - sky))
        local = b.local_s
        awake = (local >= wake) & (local < bed)
        present = np.zeros(b.n, dtype=bool)
        for first, last in home:
            present |= (local >= first) & (local < last)
        watts = 60 + 45 * min(self.profile.occupants, 4)
        lights = b.arr("lighting")
        lights[dark & awake & present] += watts
        lights[dark & ~awake & present] += 8  # a landing light

    def _space_heating(
        self,
        b: _Builder,
        rng: random.Random,
        season: float,
        wake: float,
        bed: float,
        home_day: bool,
        leave: float,
        back: float,
    ) -> None:
        p = self.profile
        on_at = wake - rng.uniform(20, 40) * _M
        off_at = min(bed, 22.5 * _H)
        periods = [(on_at, off_at)] if home_day else [(on_at, leave), (back - 30 * _M, off_at)]
        demand = min(p.heating_kw * season, p.boiler_kw * 0.8) * 1000
        minimum = 0.3 * p.boiler_kw * 1000  # below its lowest modulation the boiler cycles
        for first, last in periods:
            if last <= first:
                continue
            warm_up = min(45 * _M, last - first)
            b.add(
                "heating",
                first,
                warm_up,
                min(2.2 * demand, p.boiler_kw * 1000) / _BOILER_EFFICIENCY,
            )
            rest = last - first - warm_up
            if rest <= 0:
                continue
            if demand >= minimum:
                b.add("heating", first + warm_up, rest, demand / _BOILER_EFFICIENCY)
            else:
                b.cycle(
                    "heating",
                    first + warm_up,
                    rest,
                    minimum / _BOILER_EFFICIENCY,
                    rng.uniform(9, 14) * _M,
                    demand / minimum,
                )

    def _hot_water_draws(
        self, b: _Builder, rng: random.Random, wake: float, dinner_end: float
    ) -> None:
        if not self.profile.gas_hot_water:
            return
        for _ in range(rng.randint(2, 4)):
            b.add("gas", wake + rng.uniform(0, 90) * _M, rng.uniform(20, 60), 15000)
        b.add("gas", dinner_end + rng.uniform(5, 40) * _M, rng.uniform(60, 150), 18000)


def _heating_season_factor(day: date) -> float:
    """0 from May to September; 0.25-1.0 from October to April, coldest mid-January."""
    if 5 <= day.month <= 9:
        return 0.0
    angle = 2 * math.pi * (day.timetuple().tm_yday - 15) / 365.25
    return 0.25 + 0.75 * (math.cos(angle) + 1) / 2

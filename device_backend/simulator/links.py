"""2.4 GHz HAN link quality from the home's geometry: RSSI, LQI and frame loss, seed-deterministic."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = [
    "Degradation",
    "Geometry",
    "LinkModel",
    "LinkSample",
    "LinkState",
    "Obstacle",
    "Position",
    "loss_probability",
    "lqi_from_rssi",
]


@dataclass
class LinkState:
    """One device's radio link to the coordinator, as the simulated radio applies it."""

    lqi: int = 230
    rssi: int = -55
    loss: float = 0.0  # probability a frame is lost
    latency_s: float = 0.02
    up: bool = True


# Free-space loss at 1 m for 2.44 GHz: 20·log10(4π·1 m / λ), λ = 0.1229 m.
_PATH_LOSS_1M_DB = 40.2


@dataclass(frozen=True, kw_only=True, slots=True)
class Position:
    name: str
    x: float  # metres
    y: float
    floor: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class Obstacle:
    """A wall, floor or cabinet: either between two named positions, or a wall segment in plan.

    A segment wall attenuates every link whose straight line crosses it on `floor` (any floor
    when None).
    """

    kind: str
    attenuation_db: float
    between: tuple[str, str] | None = None
    segment: tuple[tuple[float, float], tuple[float, float]] | None = None
    floor: int | None = None

    def __post_init__(self) -> None:
        if (self.between is None) == (self.segment is None):
            raise ValueError("an obstacle needs exactly one of `between` or `segment`")
        if not 0 <= self.attenuation_db <= 100:
            raise ValueError("attenuation must be 0-100 dB")


@dataclass(frozen=True, kw_only=True, slots=True)
class Geometry:
    positions: tuple[Position, ...]
    obstacles: tuple[Obstacle, ...] = ()
    floor_height_m: float = 2.7
    floor_attenuation_db: float = 14.0  # per floor crossed: concrete/timber with joists
    path_loss_exponent: float = 2.2  # indoors, with walls counted separately
    tx_power_dbm: float = 3.0  # GB HAN radios run 3-10 dBm; a comms hub often the most

    def __post_init__(self) -> None:
        names = [p.name for p in self.positions]
        if len(set(names)) != len(names):
            raise ValueError("position names must be unique")
        for obstacle in self.obstacles:
            for name in obstacle.between or ():
                if name not in names:
                    raise ValueError(f"obstacle {obstacle.kind!r} names unknown position {name!r}")

    def position(self, name: str) -> Position:
        for position in self.positions:
            if position.name == name:
                return position
        raise KeyError(f"no position called {name!r}; known: {[p.name for p in self.positions]}")


@dataclass(frozen=True, kw_only=True, slots=True)
class LinkSample:
    rssi: int  # dBm
    lqi: int  # 0-255
    loss: float  # probability a frame (after MAC retries) is lost


@dataclass(frozen=True, kw_only=True, slots=True)
class Degradation:
    """A temporary fault on every link of `device`: extra loss, or forced RSSI/LQI."""

    device: str
    start: datetime
    end: datetime
    extra_db: float = 0.0
    rssi: int | None = None
    lqi: int | None = None


def lqi_from_rssi(rssi: float, sensitivity_dbm: float = -100.0) -> int:
    """EmberZNet-like: 0 at sensitivity, saturating at 255 some 35 dB above it."""
    return max(0, min(255, round((rssi - sensitivity_dbm) * 255 / 35)))


def loss_probability(rssi: float, sensitivity_dbm: float = -100.0) -> float:
    """Frames start failing within ~6 dB of sensitivity; half are lost 4 dB above it."""
    return 1.0 / (1.0 + math.exp((rssi - (sensitivity_dbm + 4.0)) / 1.5))


def _crosses(
    p: tuple[float, float], q: tuple[float, float], a: tuple[float, float], b: tuple[float, float]
) -> bool:
    def orient(o: tuple[float, float], s: tuple[float, float], t: tuple[float, float]) -> float:
        return (s[0] - o[0]) * (t[1] - o[1]) - (s[1] - o[1]) * (t[0] - o[0])

    d1, d2 = orient(a, b, p), orient(a, b, q)
    d3, d4 = orient(p, q, a), orient(p, q, b)
    return d1 * d2 < 0 and d3 * d4 < 0


class LinkModel:
    """Log-distance path loss plus obstacles, a fixed per-link shadowing and per-minute fading."""

    def __init__(
        self,
        geometry: Geometry,
        seed: int,
        *,
        tx_power_dbm: float | None = None,
        sensitivity_dbm: float = -100.0,
        shadowing_db: float = 3.0,
        fading_db: float = 2.0,
    ) -> None:
        self.geometry = geometry
        self.seed = seed
        self.tx_power_dbm = geometry.tx_power_dbm if tx_power_dbm is None else tx_power_dbm
        self.sensitivity_dbm = sensitivity_dbm
        self.shadowing_db = shadowing_db
        self.fading_db = fading_db
        self.degradations: list[Degradation] = []
        self._mean: dict[tuple[str, str], float] = {}

    @staticmethod
    def _key(a: str, b: str) -> tuple[str, str]:
        return (a, b) if a <= b else (b, a)

    def distance_m(self, a: str, b: str) -> float:
        pa, pb = self.geometry.position(a), self.geometry.position(b)
        dz = (pa.floor - pb.floor) * self.geometry.floor_height_m
        return math.sqrt((pa.x - pb.x) ** 2 + (pa.y - pb.y) ** 2 + dz * dz)

    def obstacle_db(self, a: str, b: str) -> float:
        pa, pb = self.geometry.position(a), self.geometry.position(b)
        total = abs(pa.floor - pb.floor) * self.geometry.floor_attenuation_db
        pair = self._key(a, b)
        for obstacle in self.geometry.obstacles:
            if obstacle.between is not None:
                if self._key(*obstacle.between) == pair:
                    total += obstacle.attenuation_db
            elif obstacle.segment is not None:
                on_floor = obstacle.floor is None or obstacle.floor in (pa.floor, pb.floor)
                if on_floor and _crosses((pa.x, pa.y), (pb.x, pb.y), *obstacle.segment):
                    total += obstacle.attenuation_db
        return total

    def path_loss_db(self, a: str, b: str) -> float:
        distance = max(self.distance_m(a, b), 0.5)
        return (
            _PATH_LOSS_1M_DB
            + 10 * self.geometry.path_loss_exponent * math.log10(distance)
            + self.obstacle_db(a, b)
        )

    def mean_rssi(self, a: str, b: str) -> float:
        """Long-term RSSI: path loss plus this link's own shadowing (fixed for the seed)."""
        key = self._key(a, b)
        found = self._mean.get(key)
        if found is None:
            shadow = random.Random(f"link/{self.seed}/{key[0]}/{key[1]}").gauss(
                0, self.shadowing_db
            )
            found = self._mean[key] = self.tx_power_dbm - self.path_loss_db(a, b) + shadow
        return found

    def degrade(
        self,
        device: str,
        start: datetime,
        duration: timedelta,
        *,
        extra_db: float = 0.0,
        rssi: int | None = None,
        lqi: int | None = None,
    ) -> None:
        self.degradations.append(
            Degradation(
                device=device,
                start=start,
                end=start + duration,
                extra_db=extra_db,
                rssi=rssi,
                lqi=lqi,
            )
        )

    def sample(self, a: str, b: str, t: datetime) -> LinkSample:
        """The link as seen at `t` (fading changes once a minute; same inputs, same answer)."""
        key = self._key(a, b)
        minute = int((t.astimezone(UTC) - datetime(2000, 1, 1, tzinfo=UTC)).total_seconds() // 60)
        fade = random.Random(f"fade/{self.seed}/{key[0]}/{key[1]}/{minute}").gauss(
            0, self.fading_db
        )
        rssi = self.mean_rssi(a, b) + fade
        forced_rssi: int | None = None
        forced_lqi: int | None = None
        for d in self.degradations:
            if d.device in key and d.start <= t < d.end:
                rssi -= d.extra_db
                forced_rssi = d.rssi if d.rssi is not None else forced_rssi
                forced_lqi = d.lqi if d.lqi is not None else forced_lqi
        if forced_rssi is not None:
            rssi = forced_rssi
        lqi = forced_lqi if forced_lqi is not None else lqi_from_rssi(rssi, self.sensitivity_dbm)
        return LinkSample(
            rssi=round(rssi), lqi=lqi, loss=loss_probability(rssi, self.sensitivity_dbm)
        )

    def delivered(self, a: str, b: str, t: datetime, frame: int) -> bool:
        """Whether frame number `frame` at `t` gets through (deterministic for the seed)."""
        loss = self.sample(a, b, t).loss
        key = self._key(a, b)
        stamp = int(t.timestamp() * 1000)
        return (
            random.Random(f"frame/{self.seed}/{key[0]}/{key[1]}/{stamp}/{frame}").random() >= loss
        )

"""The HAN health check: is this meter set up so a display shows the right numbers on time?"""

from __future__ import annotations

import asyncio
import itertools
import math
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from device_backend import units
from device_backend.clock import from_zigbee_time
from device_backend.installer.access import RadioAccess
from device_backend.installer.inventory import role_of
from device_backend.installer.reports import ReportLog
from device_backend.installer.types import (
    CheckResult,
    HealthReport,
    InstallerError,
    Progress,
    no_progress,
)
from device_backend.zcl.ids import METERING, PRICE, TIME

MANDATORY = {
    "ESME": (
        "current_summ_delivered",
        "status",
        "unit_of_measure",
        "multiplier",
        "divisor",
        "summation_formatting",
        "demand_formatting",
        "metering_device_type",
        "instantaneous_demand",
    ),
    "GSME": (
        "current_summ_delivered",
        "status",
        "unit_of_measure",
        "multiplier",
        "divisor",
        "summation_formatting",
        "metering_device_type",
    ),
}
EXPECTED_UNITS = {"ESME": {0x00: "kWh"}, "GSME": {0x01: "m³", 0x02: "ft³ (imperial meter)"}}
MAX_DEMAND = {
    "ESME": Decimal(25),
    "GSME": Decimal(15),
}  # kW (100 A at 240 V); m³/h (G4 meter, generous)
MAX_REGISTER = {"ESME": Decimal(2_000_000), "GSME": Decimal(500_000)}  # a lifetime's kWh / m³
DEMAND_INTERVAL_S = 10
SUMMATION_INTERVAL_S = 1800
SLACK = 1.5  # a report may be late by half an interval before it counts as missed
CLOCK_TOLERANCE_S = 60
OBSERVE_S = 35  # simulated/meter seconds of reports to watch


def _attr_label(cluster: Any, name: str) -> str:
    definition = cluster.attributes_by_name.get(name)
    return f"{name} (0x{int(definition.id):04X})" if definition is not None else name


class _PriceListener:
    def __init__(self) -> None:
        self.price: Any = None
        self.arrived = asyncio.Event()

    def cluster_command(self, tsn: int, command_id: int, args: Any) -> None:
        if command_id == 0x00 and hasattr(args, "price"):  # PublishPrice
            self.price = args
            self.arrived.set()

    def general_command(self, *args: Any) -> None:
        return None


class HealthCheck:
    def __init__(self, access: RadioAccess, reports: ReportLog) -> None:
        self.access = access
        self.reports = reports

    async def run(
        self, ieee: str, engineer: str, progress: Progress = no_progress, observe_s: int = OBSERVE_S
    ) -> HealthReport:
        device = self.access.device(ieee)
        role = role_of(device)
        if role not in MANDATORY:
            raise InstallerError(f"The health check is for meters; {ieee} is a {role}.")
        metering = next(
            (
                ep.in_clusters[METERING]
                for epid, ep in device.endpoints.items()
                if epid and METERING in ep.in_clusters
            ),
            None,
        )
        if metering is None:
            raise InstallerError(f"{ieee} has no Metering cluster to check.")
        results: list[CheckResult] = []
        progress(0.05, "Reading the mandatory attributes...")
        values = await self._read(metering, [*list(MANDATORY[role]), "current_summ_received"])
        results.append(self._mandatory(metering, role, values))
        progress(0.2, "Checking unit, multiplier, divisor and formatting...")
        results.extend(self._scaling(metering, role, values))
        progress(0.3, f"Watching reports for {observe_s} s...")
        results.extend(await self._reporting(ieee, metering, role, observe_s, progress))
        progress(0.8, "Comparing the meter's clock with ours...")
        results.append(await self._clock(device))
        progress(0.9, "Asking the meter for its current price...")
        results.append(await self._price(device, role))
        progress(1.0, "Health check complete.")
        return HealthReport(
            ieee=ieee,
            role=role,
            model=device.model or "",
            time=self.access.clock.now(),
            engineer=engineer,
            results=tuple(results),
        )

    async def _read(self, cluster: Any, names: list[str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for start in range(0, len(names), 8):
            ok, _ = await self.access.guarded(
                f"reading {cluster.name}",
                cluster.read_attributes(names[start : start + 8], allow_cache=False),
            )
            values.update(ok)
        return values

    def _mandatory(self, cluster: Any, role: str, values: dict[str, Any]) -> CheckResult:
        missing = [n for n in MANDATORY[role] if values.get(n) is None]
        if missing:
            names = ", ".join(_attr_label(cluster, n) for n in missing)
            return CheckResult(
                "Mandatory attributes present",
                False,
                f"The meter does not answer for {names}: a display cannot show "
                "readings without them. Report the meter as faulty.",
                missing[0],
            )
        return CheckResult(
            "Mandatory attributes present",
            True,
            f"All {len(MANDATORY[role])} mandatory Metering attributes answered.",
        )

    def _scaling(self, cluster: Any, role: str, values: dict[str, Any]) -> list[CheckResult]:
        name = "Unit, multiplier, divisor and formatting plausible"
        unit = values.get("unit_of_measure")
        multiplier, divisor = values.get("multiplier"), values.get("divisor")
        if unit is None or multiplier is None or divisor is None:
            return [CheckResult(name, None, "Not checked: the scaling attributes did not answer.")]
        unit_code = int(unit) & 0x7F
        if unit_code not in EXPECTED_UNITS[role]:
            expected = " or ".join(EXPECTED_UNITS[role].values())
            return [
                CheckResult(
                    name,
                    False,
                    f"{_attr_label(cluster, 'unit_of_measure')} is 0x{int(unit):02X}; "
                    f"a GB {role} counts in {expected}.",
                    "unit_of_measure",
                )
            ]
        if int(multiplier) == 0:
            return [
                CheckResult(
                    name,
                    False,
                    f"{_attr_label(cluster, 'multiplier')} is 0: every reading would show as zero.",
                    "multiplier",
                )
            ]
        if int(divisor) == 0:
            return [
                CheckResult(
                    name,
                    False,
                    f"{_attr_label(cluster, 'divisor')} is 0: readings cannot be scaled.",
                    "divisor",
                )
            ]
        resolution = Decimal(int(multiplier)) / Decimal(int(divisor))
        unit_text = units.unit_name(int(unit))
        rate_text = units.unit_name(int(unit), rate=True)
        problems: list[tuple[str, str]] = []
        formatting = values.get("summation_formatting")
        if formatting is not None:
            digits = units.NumberFormatting.from_byte(int(formatting)).digits_right
            implied = Decimal(1).scaleb(-digits)
            if resolution != implied and resolution > 0:
                ratio = implied / resolution
                factor = _factor_words(ratio)
                scaling = (
                    f"{_attr_label(cluster, 'multiplier')} {int(multiplier)} / "
                    f"{_attr_label(cluster, 'divisor')} {int(divisor)}"
                )
                problems.append(
                    (
                        "divisor" if int(multiplier) == 1 else "multiplier",
                        (
                            f"{scaling} gives a register step of {resolution} {unit_text}, but "
                            f"{_attr_label(cluster, 'summation_formatting')} shows {digits} decimal "
                            f"place(s) (a step of {implied}): readings would be {factor}."
                        ),
                    )
                )
        demand = values.get("instantaneous_demand")
        if demand is not None:
            shown = abs(units.metering_value(int(demand), int(multiplier), int(divisor)))
            if shown > MAX_DEMAND[role]:
                problems.append(
                    (
                        "divisor",
                        (
                            f"instantaneous_demand reads {shown} {rate_text}, beyond any "
                            f"home's {MAX_DEMAND[role]} {rate_text}: "
                            f"{_attr_label(cluster, 'divisor')} {int(divisor)} looks wrong "
                            "(the x1000 or x100 error)."
                        ),
                    )
                )
        summation = values.get("current_summ_delivered")
        if summation is not None:
            total = units.metering_value(int(summation), int(multiplier), int(divisor))
            if total > MAX_REGISTER[role]:
                problems.append(
                    (
                        "divisor",
                        (
                            f"current_summ_delivered reads {total} {unit_text}, more than "
                            "a home uses in a lifetime: the divisor looks wrong."
                        ),
                    )
                )
        if problems:
            attribute = problems[0][0]
            return [CheckResult(name, False, " ".join(p for _, p in problems), attribute)]
        return [
            CheckResult(
                name,
                True,
                f"{unit_text}, multiplier {int(multiplier)}, divisor {int(divisor)}: "
                f"steps of {resolution} {unit_text}, matching the formatting; values plausible.",
            )
        ]

    async def _reporting(
        self, ieee: str, cluster: Any, role: str, observe_s: int, progress: Progress
    ) -> list[CheckResult]:
        clock = self.access.clock
        start = clock.now()
        end = start + timedelta(seconds=observe_s)
        speed = getattr(clock, "speed", 1.0)
        wall_limit = (observe_s / float(speed) if speed else 0) + 15.0
        loop = asyncio.get_running_loop()
        wall_end = loop.time() + wall_limit
        while clock.now() < end and loop.time() < wall_end:
            done = (clock.now() - start).total_seconds() / observe_s
            progress(
                0.3 + 0.5 * min(1.0, done),
                f"Watching reports: {int(done * observe_s)} of {observe_s} s...",
            )
            self.access.still_connected("the health check")
            await asyncio.sleep(0.05)
        now = clock.now()
        results = []
        if role == "ESME":
            times = [t for t in self.reports.of(ieee, METERING, 0x0400) if t >= start]
            results.append(
                _interval_check(
                    "Demand reported every 10 s",
                    times,
                    start,
                    now,
                    DEMAND_INTERVAL_S,
                    "instantaneous_demand",
                )
            )
        history = self.reports.of(ieee, METERING, 0x0000)
        watched = (now - self.reports.started).total_seconds()
        if watched < SUMMATION_INTERVAL_S * SLACK and len(history) < 2:
            results.append(
                CheckResult(
                    "Summations reported every 30 min",
                    None,
                    f"Not checked: the toolkit has listened for {int(watched // 60)} min; "
                    "it needs 45 min of reports (re-run the check later).",
                )
            )
        else:
            results.append(
                _interval_check(
                    "Summations reported every 30 min",
                    history,
                    self.reports.started,
                    now,
                    SUMMATION_INTERVAL_S,
                    "current_summ_delivered",
                )
            )
        return results

    async def _clock(self, device: Any) -> CheckResult:
        name = "Clock in step"
        time_cluster = next(
            (
                ep.in_clusters[TIME]
                for epid, ep in device.endpoints.items()
                if epid and TIME in ep.in_clusters
            ),
            None,
        )
        if time_cluster is None:
            return CheckResult(name, None, "Not checked: the meter has no Time cluster.")
        ok, _ = await self.access.guarded(
            "reading the meter's clock", time_cluster.read_attributes(["time"], allow_cache=False)
        )
        value = ok.get("time")
        if value is None or int(value) in (0, 0xFFFFFFFF):
            return CheckResult(
                name,
                False,
                "The meter's clock is not set: prices and history would be "
                "applied at the wrong times. Ask the supplier to resynchronise it.",
                "time",
            )
        meter_time = from_zigbee_time(int(value))
        ours = self.access.clock.now()
        offset = (meter_time - ours).total_seconds()
        if abs(offset) > CLOCK_TOLERANCE_S:
            direction = "ahead of" if offset > 0 else "behind"
            return CheckResult(
                name,
                False,
                f"The meter's clock is {_duration(abs(offset))} {direction} ours "
                f"(meter {meter_time:%Y-%m-%d %H:%M:%S} UTC). Time-of-use prices would switch "
                "at the wrong time: report it to the supplier.",
                "time",
            )
        return CheckResult(name, True, f"The meter's clock is within {int(abs(offset))} s of ours.")

    async def _price(self, device: Any, role: str) -> CheckResult:
        name = "Price and tariff consistent"
        price_cluster = next(
            (
                ep.in_clusters[PRICE]
                for epid, ep in device.endpoints.items()
                if epid and PRICE in ep.in_clusters
            ),
            None,
        )
        if price_cluster is None:
            return CheckResult(name, None, "Not checked: the meter has no Price cluster.")
        listener = _PriceListener()
        price_cluster.add_listener(listener)
        try:
            answer = await self.access.guarded(
                "asking for the current price", price_cluster.get_current_price(command_options=0)
            )
            if hasattr(answer, "price"):  # the PublishPrice carrying our request's sequence number
                listener.price = answer
                listener.arrived.set()
            try:
                async with asyncio.timeout(10):  # not wait_for, which can swallow a cancel on 3.11
                    await listener.arrived.wait()
            except TimeoutError:
                return CheckResult(
                    name,
                    False,
                    "The meter did not publish a price when asked "
                    "(GetCurrentPrice): a display would show no cost.",
                    "GetCurrentPrice",
                )
        finally:
            price_cluster.remove_listener(listener)
        ok, _ = await self.access.guarded(
            "reading the standing charge",
            price_cluster.read_attributes(["standing_charge"], allow_cache=False),
        )
        args = listener.price
        problems = []
        digits_tier = int(args.price_trailing_digit_and_price_tier)
        pence = units.decode_price(int(args.price), digits_tier)
        tier = digits_tier & 0x0F
        tiers_in_use = (int(args.number_of_price_tiers_and_register_tier) >> 4) & 0x0F
        if int(args.currency) != units.CURRENCY_GBP.code:
            problems.append(f"the currency is {int(args.currency)}, not pounds sterling (826)")
        if not Decimal(0) < pence < Decimal(150):
            problems.append(
                f"the unit price is {pence} p/kWh, outside 0-150 p/kWh (check its trailing digits)"
            )
        if tiers_in_use and tier > tiers_in_use:
            problems.append(
                f"the price is for tier {tier} but only {tiers_in_use} tier(s) are in use"
            )
        if int(args.unit_of_measure) & 0x7F != 0:
            problems.append("the price is not per kWh")
        standing = ok.get("standing_charge")
        if standing is not None and not 0 <= int(standing) / 1000 < 200:
            problems.append(
                f"the standing charge is {int(standing) / 1000} p/day, outside 0-200 p/day"
            )
        if problems:
            return CheckResult(name, False, "; ".join(problems).capitalize() + ".", "price")
        label = bytes(args.rate_label).decode("utf-8", "replace") if args.rate_label else ""
        standing_text = (
            f", standing charge {int(standing) / 1000:.2f} p/day" if standing is not None else ""
        )
        return CheckResult(
            name,
            True,
            f"{pence} p/kWh (tier {tier}{' ' + label if label else ''}) in pounds{standing_text}.",
        )


def _interval_check(
    name: str, times: list[datetime], start: datetime, now: datetime, interval: int, attribute: str
) -> CheckResult:
    limit = interval * SLACK
    if not times:
        return CheckResult(
            name,
            False,
            f"No {attribute} reports arrived: bind and configure reporting "
            "(Pairing page), then check the link quality.",
            attribute,
        )
    points = [start, *times, now] if times[0] > start else [*times, now]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(points)]
    worst = max(gaps) if gaps else 0.0
    if worst > limit:
        return CheckResult(
            name,
            False,
            f"{attribute} went {int(worst)} s without a report (configured "
            f"every {interval} s): reporting is not configured or frames are being lost.",
            attribute,
        )
    return CheckResult(
        name, True, f"{len(times)} {attribute} reports, at most {math.ceil(worst)} s apart."
    )


def _factor_words(ratio: Decimal) -> str:
    if ratio < 1:
        return f"{int(1 / ratio)} times too high (the x{int(1 / ratio)} error)"
    return f"{int(ratio)} times too low"


def _duration(seconds: float) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{int(seconds)} s"

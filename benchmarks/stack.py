"""Back-end speed on the simulator: reports per second through the stack, a day's CPU, a year's profile."""

# stack_reports_per_s puts the same pre-built Metering report frames into two applications in one
# process, in alternating rounds:
#   ours      the facade's radio (`Backend("sim:...").app`): the Smart Energy seam checks each
#             frame and lets zigpy parse it, our cluster definitions decode it, the MeterAdapter
#             turns it into domain events and the facade hands them to one listener;
#   baseline  a second simulated home's radio, set up without the facade (so no adapter, no
#             listener of ours anywhere), fed through zigpy's own
#             `ControllerApplication.packet_received` (the seam skipped) with the very same
#             bytes under the HA profile id, since zigpy 2.4.0 would drop an 0x0109 frame
#             unparsed and that would make the baseline do less work, not the same work.
# Both devices were interviewed the same way, so it is the same device with the same clusters.
# zigpy drops a frame identical to one seen in the last 10 s (simulated time here), so the frames
# of a round are all different and both clocks move on 11 s between rounds. Every frame is built
# before timing starts.

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from benchmarks.common import Row, median, row

SCENARIO = "sim:credit-dual-fuel"
SEED = 20260112
METERING = 0x0702
ESME_ENDPOINT = 1
SUMMATION_EVERY = 6  # the ESME adds its registers to every sixth 10-second report (once a minute)
DEBOUNCE_GAP = timedelta(seconds=11)


# -- frames -------------------------------------------------------------------------------------


def report_frames(
    count: int,
    *,
    nwk: int = 0x1001,
    profile: int = 0x0109,
    watts: Callable[[int], int] | None = None,
) -> list[Any]:
    """`count` distinct Metering reports as the simulated ESME sends them, as zigpy packets."""
    import zigpy.types as t

    from device_backend.simulator.devices import cluster_class
    from device_backend.simulator.zcl_io import attribute_report

    metering = cluster_class(METERING)
    packets = []
    register = 12_345_678
    for n in range(count):
        values: dict[str | int, Any] = {
            "instantaneous_demand": (watts or demand_watts)(n),
            "ambient_consumption_indicator": (n // 90) % 3,
        }
        if n % SUMMATION_EVERY == 0:
            register += 3
            values["current_summ_delivered"] = register
            values["supply_status"] = 2
        data = attribute_report(metering, values, tsn=n & 0xFF)
        packets.append(
            t.ZigbeePacket(
                src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=t.NWK(nwk)),
                src_ep=t.uint8_t(ESME_ENDPOINT),
                dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=t.NWK(0x0000)),
                dst_ep=t.uint8_t(1),
                profile_id=t.uint16_t(profile),
                cluster_id=t.uint16_t(METERING),
                data=t.SerializableBytes(data),
                lqi=t.uint8_t(220),
                rssi=t.int8s(-60),
            )
        )
    return packets


def demand_watts(n: int) -> int:
    """A household's demand, different for each of up to 14,000 reports in a row."""
    return 150 + n % 14_000


# -- the two applications -----------------------------------------------------------------------


async def _started_backend() -> Any:
    from device_backend.facade import Backend

    backend = Backend(SCENARIO, speed=None, seed=SEED)
    await backend.start()
    await backend.wait_online(timeout=60)
    await backend.wait_for_meters(timeout=60)
    return backend


async def _bare_application() -> tuple[Any, Any, Any]:
    """The simulated home's radio with its meters interviewed, and nothing of ours attached."""
    from device_backend.simulator.home import SimulatedHome
    from device_backend.simulator.radio import SimulatedRadio, radio_config

    home = SimulatedHome.from_scenario(SCENARIO.removeprefix("sim:"), speed=None, seed=SEED)
    app = SimulatedRadio(radio_config(SCENARIO))
    home.attach_to(app)
    await app.startup(auto_form=True)
    await app.join_virtual_devices()
    for _ in range(2000):  # zigpy interviews the meter over the (instant) simulated air
        device = app.devices.get(home.esme.ieee)
        if device is not None and device.is_initialized:
            return app, device, home.clock
        await asyncio.sleep(0.005)
    raise RuntimeError("the baseline's simulated meter was never interviewed")


def _plain_zigpy_receive(app: Any) -> Any:
    """zigpy's own packet_received on this application, past our Smart Energy seam."""
    import zigpy.application

    receive = zigpy.application.ControllerApplication.packet_received
    return lambda packet: receive(app, packet)


def _rate(deliver: Any, packets: list[Any]) -> float:
    gc.collect()
    began = time.perf_counter()
    for packet in packets:
        deliver(packet)
    return len(packets) / (time.perf_counter() - began)


async def _measure_rates(frames: int, rounds: int) -> tuple[list[float], list[float], int]:
    backend = await _started_backend()
    plain_app, plain_device, plain_clock = await _bare_application()
    events = [0]
    backend.on_event(lambda _event: events.__setitem__(0, events[0] + 1))
    ours_in = backend.app.packet_received
    plain_in = _plain_zigpy_receive(plain_app)
    ours: list[float] = []
    plain: list[float] = []
    try:
        ours_packets = report_frames(frames)
        plain_packets = report_frames(frames, profile=0x0104)
        for n in range(rounds + 1):  # round 0 warms up and is not counted
            await backend.run_until(backend.clock.now() + DEBOUNCE_GAP)
            await plain_clock.run_until(plain_clock.now() + DEBOUNCE_GAP)
            before = events[0]
            pair = [(ours_in, ours_packets, ours), (plain_in, plain_packets, plain)]
            for deliver, packets, out in pair if n % 2 == 0 else reversed(pair):
                rate = _rate(deliver, packets)
                if n:
                    out.append(rate)
            if events[0] - before < frames:
                raise RuntimeError(f"only {events[0] - before} events from {frames} reports")
        last = (
            plain_device.endpoints[ESME_ENDPOINT].in_clusters[METERING].get("instantaneous_demand")
        )
        if last != demand_watts(frames - 1):
            raise RuntimeError("the baseline application did not parse the reports")
        return ours, plain, int(backend.rejected_frames) + int(backend.app.rejected_total)
    finally:
        await backend.stop()
        await plain_app.shutdown()


def reports_per_second(quick: bool) -> list[Row]:
    frames, rounds = (1000, 3) if quick else (5000, 7)
    ours, plain, rejected = asyncio.run(_measure_rates(frames, rounds))
    if rejected:
        raise RuntimeError(f"{rejected} frames were rejected at the seam")
    return [
        row(
            "stack_reports_per_s",
            median(ours),
            f"reports/s (median of {rounds} rounds of {frames})",
            baseline=median(plain),
            target=0.8,
            direction="at_least",
            on_ratio=True,
            samples=ours,
            baseline_samples=plain,
            notes="baseline: the same frames into zigpy's ControllerApplication.packet_received "
            "with nothing of ours listening (HA profile id, seam skipped), same process, "
            "alternating rounds",
        )
    ]


# -- a simulated day, and zigpy's floor under it ---------------------------------------------
#
# sim_day_cpu is judged against its floor, measured in the same process in alternating runs:
#   ours   the facade on the simulated home at speed max for the span: the household, tariff and
#          prepayment physics, the simulated air, our Smart Energy seam, zigpy, our clusters, the
#          adapters and the facade with one listener;
#   floor  a second simulated home's radio with its meters interviewed and nothing of ours
#          attached (as for stack_reports_per_s), fed through zigpy's own
#          ControllerApplication.packet_received with the very packets the first run of ours put
#          in front of zigpy (recorded at the radio's delivery, so the same count and mix: reports,
#          responses, ZDO), no simulator physics, no seam, no facade. Smart Energy frames go in
#          under the HA profile id, since zigpy 2.4.0 drops an 0x0109 frame unparsed and the floor
#          would do less work, not the same work. zigpy's duplicate window is fed each frame's
#          recorded simulated time, so it drops exactly what it dropped in our run.
# The ratio is CPU time over CPU time; a busy machine slows both runs alike.


class _Recorder:
    """Wraps a simulated radio's delivery to note every packet put to zigpy, with its time."""

    def __init__(self) -> None:
        self.packets: list[tuple[float, Any]] = []
        self._radio: Any = None

    def follow(self, radio: Any) -> None:
        if radio is None or radio is self._radio:
            return
        self._radio = radio
        deliver = radio._deliver

        def noting(callback: Any, packet: Any, latency_s: float) -> None:
            if getattr(callback, "__name__", "") == "packet_received":
                self.packets.append((radio.clock.now().timestamp(), packet))
            deliver(callback, packet, latency_s)

        radio._deliver = noting


async def _day_cpu(span: timedelta, recorder: _Recorder | None) -> tuple[float, int]:
    backend = await _started_backend()
    events = [0]
    backend.on_event(lambda _event: events.__setitem__(0, events[0] + 1))
    try:
        if recorder is not None:
            recorder.follow(backend.app)
        gc.collect()
        began = time.process_time()
        await backend.run_until(backend.clock.now() + span)
        return time.process_time() - began, events[0]
    finally:
        await backend.stop()


class _ReplayTime:
    """Looks like an event loop to zigpy's Debouncer: the recorded time of the frame in hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def time(self) -> float:
        return self.now


def _as_floor_packet(packet: Any) -> Any:
    import zigpy.types as t

    if packet.profile_id != 0x0109:
        return packet
    return packet.replace(profile_id=t.uint16_t(0x0104))


async def _floor_cpu(recorded: list[tuple[float, Any]]) -> tuple[float, int]:
    """CPU seconds for zigpy alone to receive `recorded`, and how many frames it parsed."""
    app, _device, _clock = await _bare_application()
    try:
        clock = _ReplayTime()
        for device in app.devices.values():
            debouncer = getattr(device, "_packet_debouncer", None)
            if debouncer is not None:
                debouncer.__dict__["_loop"] = clock
                device._sim_clocked = True  # the radio must not put its own clock back
        receive = _plain_zigpy_receive(app)
        packets = [(when, _as_floor_packet(packet)) for when, packet in recorded]
        gc.collect()
        began = time.process_time()
        for when, packet in packets:
            clock.now = when
            receive(packet)
        await asyncio.sleep(0)  # anything zigpy scheduled from those frames runs in the figure
        await asyncio.sleep(0)
        return time.process_time() - began, len(packets)
    finally:
        await app.shutdown()


def sim_day_cpu(quick: bool) -> list[Row]:
    # Three alternating pairs: the ratio (1.5-1.9 so far) sits far from its 1.15 target against
    # a spread of about 0.2 between repeats, so two more pairs (30 s) would not change a verdict.
    span, runs = (timedelta(hours=6), 1) if quick else (timedelta(days=1), 3)
    scale = timedelta(days=1) / span
    recorder = _Recorder()
    _, events = asyncio.run(_day_cpu(span, recorder))  # warm-up, and the frames for the floor
    recorded = recorder.packets
    ours: list[float] = []
    floor: list[float] = []
    for n in range(runs):  # alternating, so the machine's load falls on both
        pair = [
            (lambda: asyncio.run(_day_cpu(span, None)), ours),
            (lambda: asyncio.run(_floor_cpu(recorded)), floor),
        ]
        for measure, out in pair if n % 2 == 0 else reversed(pair):
            out.append(measure()[0] * scale)
    how = f"median of {runs}" if not quick else "quick: 6 simulated hours x 4, one run each"
    profiles = sorted({hex(p.profile_id) for _, p in recorded})
    return [
        row(
            "sim_day_cpu",
            median(ours),
            f"s CPU per simulated day ({how})",
            baseline=median(floor),
            target=FLOOR_TARGET,
            on_ratio=True,
            samples=ours,
            baseline_samples=floor,
            notes=f"{SCENARIO} at speed max, the facade with one listener, no store; "
            f"{events} domain events per run; baseline (the floor): zigpy's "
            f"ControllerApplication.packet_received alone on the {len(recorded)} packets that "
            f"run put in front of zigpy (profiles {', '.join(profiles)}; Smart Energy ones "
            "under the HA id), with no simulator physics, seam or facade; runs alternate. "
            + OUR_SHARE,
        )
    ]


FLOOR_TARGET = 1.15
# Where ours over the floor goes, after the simulator's hot path was cut (issue 22, 2026-12-03;
# the frames on the air are byte-identical, tests/test_sim_air_golden.py). Timed per part
# (process CPU around each part, best of 6 runs of 2 simulated hours, 730 frames): zigpy's own
# receiving is the floor; the simulated meters' ten-second tick (household, tariff and the
# exact-Fraction prepayment charging, then building the report and the radio's packet) costs
# about 27 % of it; our adapters and facade about 11 %; the Smart Energy seam about 3 %; the
# asyncio loop and the simulated clock a few %. A tick alone went from a median 159-183 us to
# 79-117 us (9 x 180 ticks); the quick ratio from 1.70 to 1.51 (medians of 6 alternating runs
# at load 5-10 on 2 cores; 1.78 -> 1.62 over 4 after main's tariff work was merged in). The
# meters' tick alone is past the 15 % allowance, and on a real home it runs on the meters.
OUR_SHARE = (
    "Ours over the floor (per part, 2 simulated hours): the simulated meters' tick ~27 % of the "
    "floor, adapters and facade ~11 %, seam ~3 %, loop and clock a few %; the meters' share is "
    "work a real meter does, so the 1.15 target cannot be met while the figure includes the "
    "simulator (its hot path was already cut: quick ratio 1.70 -> 1.51)"
)


# -- a year of half-hour profile ----------------------------------------------------------------


def _year_of_profile(backend: Any) -> tuple[datetime, list[tuple[datetime, int]]]:
    """The household model's own half-hours for the year before now, in the ESME's Wh units."""
    home = backend.home
    now = backend.clock.now()
    end = now.replace(minute=(now.minute // 30) * 30, second=0, microsecond=0)
    start = end - timedelta(days=365)
    series = home.household.series(start, end, 1800)
    from datetime import UTC

    return end, [
        (datetime.fromtimestamp(int(s), UTC), int(j) // 3600)
        for s, j in zip(series.starts, series.import_j, strict=True)
    ]


async def _backfill_seconds(runs: int) -> tuple[list[float], int, int]:
    from device_backend import model

    backend = await _started_backend()
    try:
        end, intervals = _year_of_profile(backend)
        wanted = len(intervals)
        times, requests = [], 0
        for _ in range(runs):
            profile = backend.home.esme.profile
            profile.clear()
            profile.extend(intervals)
            gc.collect()
            began = time.perf_counter()
            got: list[tuple[datetime, int]] = []
            before, requests = end, 0
            while len(got) < wanted:
                batch = await backend.get_profile(
                    model.Fuel.ELECTRICITY, before, min(255, wanted - len(got))
                )
                requests += 1
                if not batch:
                    break
                got[:0] = batch
                before = batch[0][0]
            times.append(time.perf_counter() - began)
            if got != intervals:
                raise RuntimeError(
                    f"backfill returned {len(got)} intervals, not the {wanted} stored"
                )
        return times, wanted, requests
    finally:
        await backend.stop()


def sim_profile_year(quick: bool) -> list[Row]:
    runs = 1 if quick else 5
    times, intervals, requests = asyncio.run(_backfill_seconds(runs))
    return [
        row(
            "sim_profile_year",
            median(times),
            f"s wall (median of {runs})",
            target=5.0,
            samples=times,
            notes=f"{intervals} half-hours by {requests} GetProfile requests of up to 255 periods "
            "through the facade, zigpy and the simulated ESME; checked against what was stored",
        )
    ]

"""The real bellows stack on the virtual EZSP dongle: report to pixel, and reports per second.

Three processes, as on a real installation: the virtual dongle in one (`dongle`, as
`ihd-cli virtual-dongle` runs; a real stick is a processor of its own and does not share our
interpreter), the program under test in another (`pixel`: the display wired as `ihd` wires it;
`rate`: the facade alone), and the group's parent, which alternates them with the simulator
radio's own figures in the same run. The dongle's output is paced at 115,200 baud.

A report "leaves the virtual meter" when the NCP is handed it (`EzspNcp.frame_heard`); the
dongle notes that moment on the system's monotonic clock, which the display's paint watcher
reads too (perf_counter is CLOCK_MONOTONIC on Linux, one clock for every process), and from
there the report travels as an EZSP incomingMessageHandler over ASH, through bellows and zigpy,
to the facade, the store and the display.

    python -m benchmarks.bellows_bench [COUNT]     # prints both rows as JSON
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from benchmarks.common import (
    ROOT,
    Row,
    child_env,
    median,
    percentile,
    report,
    row,
    run_child,
)

BAUD = 115_200
REPORTS_PER_S = 10
NO_PAINT_S = 1.0
SCENARIO = "credit-dual-fuel"
WARM = 10  # reports before counting: the first paints of a new figure lay out the label


def _report(watts: int, tsn: int) -> bytes:
    from device_backend.simulator.devices import cluster_class
    from device_backend.simulator.zcl_io import attribute_report

    return attribute_report(cluster_class(0x0702), {"instantaneous_demand": watts}, tsn=tsn)


def _watts(n: int) -> int:
    """20 W apart, so every report changes the kW figure shown to two decimal places."""
    return 500 + 20 * (n % 400)


# -- the dongle's process -------------------------------------------------------------------------


async def _serve_dongle(path: str) -> None:
    """Run the virtual dongle; take `report N`, `burst N FIRST`, `times` and `quit` on stdin."""
    from device_backend.virtual_ncp import ash
    from device_backend.virtual_ncp.dongle import VirtualDongle

    # Real time: the home's own report every 10 s is one in a hundred of ours.
    dongle = VirtualDongle(SCENARIO, port=path, speed=1.0, seed=1)
    dongle.set_baud(BAUD)
    await dongle.start()
    esme = dongle.home.esme
    link = dongle.air.links[int(esme.nwk)]
    heard: list[float] = []
    sizes: list[int] = []
    send = dongle.ncp.send

    def send_and_size(payload: bytes) -> None:  # what one report costs on the line
        if len(sizes) < len(heard):
            sizes.append(len(ash.data_frame(0, 0, payload)))
        send(payload)

    dongle.ncp.send = send_and_size

    def hand(n: int) -> None:
        data = _report(_watts(n), n & 0xFF)
        heard.append(time.perf_counter())  # the report leaves the meter
        dongle.ncp.frame_heard(esme, link, 1, 0x0000, 1, 0x0702, 0x0109, data)

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    print(f"READY {dongle.path}", flush=True)
    try:
        while line := (await reader.readline()).decode().split():
            if line[0] == "report":
                hand(int(line[1]))
            elif line[0] == "burst":
                for n in range(int(line[2]), int(line[2]) + int(line[1])):
                    hand(n)
            elif line[0] == "times":
                print("TIMES " + json.dumps({"heard": heard, "bytes": sizes}), flush=True)
            elif line[0] == "quit":
                break
    finally:
        await dongle.stop()


class _Dongle:
    """The dongle's process, seen from the program under test."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bellows_bench", "dongle", str(path)],
            cwd=ROOT,
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.path = self._answer("READY")

    def _answer(self, mark: str) -> str:
        out: IO[str] | None = self.process.stdout
        assert out is not None
        for line in out:
            if line.startswith(mark + " "):
                return line[len(mark) + 1 :].strip()
        raise RuntimeError(f"the dongle's process ended (exit {self.process.wait()})")

    def tell(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def heard(self) -> dict[str, list[Any]]:
        """When each report left the meter, and its frame's bytes on the line."""
        self.tell("times")
        return dict(json.loads(self._answer("TIMES")))

    def close(self) -> None:
        try:
            self.tell("quit")
            self.process.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def _one_clock() -> None:
    info = time.get_clock_info("perf_counter")
    if "CLOCK_MONOTONIC" not in info.implementation:
        raise RuntimeError(
            f"perf_counter is {info.implementation}: not comparable across processes"
        )


# -- the program under test's process --------------------------------------------------------------


async def _pixel(count: int, folder: Path, dongle: _Dongle) -> dict[str, Any]:
    from benchmarks.display import open_display, paint_watch, power_label

    shown = await open_display(folder, "FULL", scenario=f"ezsp:{dongle.path}")
    try:
        label = power_label(shown.window)
        watch = paint_watch(label, asyncio.get_running_loop())
        label.installEventFilter(watch)
        painted_at: list[float | None] = []
        began = time.perf_counter()
        for n in range(count + WARM):
            await asyncio.sleep(max(0.0, began + n / REPORTS_PER_S - time.perf_counter()))
            painted = watch.arm()
            dongle.tell(f"report {n}")
            try:
                painted_at.append(await asyncio.wait_for(painted, NO_PAINT_S))
            except TimeoutError:
                painted_at.append(None)
        label.removeEventFilter(watch)
    finally:
        await shown.close()
    found = dongle.heard()
    heard = found["heard"]
    if len(heard) != len(painted_at):
        raise RuntimeError(f"{len(heard)} reports left the meter, {len(painted_at)} were sent")
    latencies = [
        NO_PAINT_S * 1000 if paint is None else (paint - left) * 1000
        for left, paint in list(zip(heard, painted_at, strict=True))[WARM:]
    ]
    return {"latencies": latencies, "bytes": median(found["bytes"])}


async def _rate(count: int, folder: Path, dongle: _Dongle) -> float:
    """Reports per second from the NCP to domain events at the facade, handed over back to back."""
    from device_backend import model
    from device_backend.facade import Backend

    backend = Backend(f"ezsp:{dongle.path}", zigpy_database=str(folder / "rate.db"))
    demands: list[float] = []
    backend.on_event(
        lambda e: demands.append(time.perf_counter()) if isinstance(e, model.Demand) else None
    )
    await backend.start()
    try:
        await backend.wait_online(60)
        await backend.wait_for_meters(60)
        await asyncio.sleep(1.0)
        demands.clear()
        dongle.tell(f"burst {count} 7")
        give_up = time.perf_counter() + 120
        while len(demands) < count:
            if time.perf_counter() > give_up:
                raise RuntimeError(f"only {len(demands)} of {count} reports arrived")
            await asyncio.sleep(0.005)
        first_left = dongle.heard()["heard"][0]
        return count / (demands[count - 1] - first_left)
    finally:
        await backend.stop()


def _child(kind: str, count: int) -> None:
    from benchmarks.display import _in_qt_loop

    _one_clock()
    with tempfile.TemporaryDirectory(prefix="bench-bellows-") as name:
        folder = Path(name)
        dongle = _Dongle(folder / "ttyNCP")
        try:
            if kind == "pixel":
                report(_in_qt_loop(lambda: _pixel(count, folder, dongle)))
            else:
                report(asyncio.run(_rate(count, folder, dongle)))
        finally:
            dongle.close()


# -- the group ---------------------------------------------------------------------------------


def measure(count: int, rate_count: int, runs: int) -> dict[str, Any]:
    """Our figures and the simulator radio's, in alternating runs of the same sizes."""
    from benchmarks.stack import _measure_rates

    p99s: list[float] = []
    p50s: list[float] = []
    sim_p99s: list[float] = []
    sim_p50s: list[float] = []
    rates: list[float] = []
    sim_rates: list[float] = []
    unpainted = worst = frame = 0.0
    for n in range(runs):

        def ours() -> None:
            nonlocal unpainted, worst, frame
            found = run_child("benchmarks.bellows_bench", "pixel", str(count))
            latencies, frame = found["latencies"], found["bytes"]
            p99s.append(percentile(latencies, 99))
            p50s.append(percentile(latencies, 50))
            worst = max(worst, max(latencies))
            unpainted += sum(1 for v in latencies if v >= NO_PAINT_S * 1000)
            rates.append(run_child("benchmarks.bellows_bench", "rate", str(rate_count)))

        def simulator() -> None:
            latencies = run_child("benchmarks.display", "pixel", str(count), "FULL")
            sim_p99s.append(percentile(latencies, 99))
            sim_p50s.append(percentile(latencies, 50))
            sim_rates.append(median(asyncio.run(_measure_rates(rate_count, 1))[0]))

        for step in (ours, simulator) if n % 2 == 0 else (simulator, ours):
            step()
    return {
        "p99s": p99s,
        "p50s": p50s,
        "sim_p99s": sim_p99s,
        "sim_p50s": sim_p50s,
        "rates": rates,
        "sim_rates": sim_rates,
        "unpainted": int(unpainted),
        "worst": worst,
        "frame": frame,
    }


def run(quick: bool, count: int | None = None) -> list[Row]:
    runs = 1 if quick else 3
    count = count or (60 if quick else 150)
    rate_count = 200 if quick else 500
    f = measure(count, rate_count, runs)
    frame = f["frame"]
    ceiling = BAUD / 10 / frame  # 8N1: ten bits a byte
    return [
        row(
            "bellows_report_to_pixel_p99",
            median(f["p99s"]),
            f"ms p99, report leaving the virtual meter to the kW figure painted, through ASH "
            f"at {BAUD:,} baud ({REPORTS_PER_S} reports/s; median over {runs} runs of {count})",
            baseline=median(f["sim_p99s"]),
            target=25.0,
            samples=f["p99s"],
            baseline_samples=f["sim_p99s"],
            notes=f"median p50 {median(f['p50s']):.1f} ms (simulator radio "
            f"{median(f['sim_p50s']):.1f} ms, ratio {median(f['p50s']) / median(f['sim_p50s']):.2f}"
            f"), worst {f['worst']:.1f} ms, {f['unpainted']} never painted; baseline: the "
            "simulator radio's report_to_pixel (at packet_received), same run, alternating; "
            "the dongle in its own process; bellows, zigpy, facade, store (FULL), Qt; a "
            f"report is {frame:.0f} bytes on the line, {1000 / ceiling:.1f} ms of it",
        ),
        row(
            "bellows_reports_per_s",
            median(f["rates"]),
            f"reports/s from the virtual NCP to facade events, handed over back to back "
            f"(median over {runs} runs of {rate_count}, ASH at {BAUD:,} baud)",
            baseline=median(f["sim_rates"]),
            target=None,
            direction="at_least",
            samples=f["rates"],
            baseline_samples=f["sim_rates"],
            notes="baseline: the same number of reports into the simulator radio's "
            "packet_received (stack_reports_per_s's own path), same run, alternating; "
            f"the line itself carries at most {ceiling:.0f} of these frames a second",
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "dongle":
        asyncio.run(_serve_dongle(sys.argv[2]))
    elif len(sys.argv) > 2 and sys.argv[1] in ("pixel", "rate"):
        _child(sys.argv[1], int(sys.argv[2]))
    else:
        size = int(sys.argv[1]) if len(sys.argv) > 1 else None
        print(json.dumps(run(size is not None and size < 100, size), default=str, indent=1))

"""The real bellows stack on the virtual EZSP dongle: report to pixel, and reports per second.

The dongle runs on its own event loop in a thread (as `ihd-cli virtual-dongle` would in its
own process); its output is paced at 115,200 baud. A report "leaves the virtual meter" when
the NCP is handed it (`EzspNcp.frame_heard`), and from there travels as an EZSP
incomingMessageHandler over ASH, through bellows and zigpy, to the facade and the display.

    python -m benchmarks.bellows_bench [COUNT]     # prints both figures as JSON
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import Row, median, percentile, row
from benchmarks.display import paint_watch, power_label

BAUD = 115_200
REPORTS_PER_S = 10
NO_PAINT_S = 1.0
SCENARIO = "credit-dual-fuel"


class _DongleThread:
    def __init__(self, port: str) -> None:
        from device_backend.virtual_ncp.dongle import VirtualDongle

        # Real time: the home's own report every 10 s is one in a hundred of ours.
        self.dongle = VirtualDongle(SCENARIO, port=port, speed=1.0, seed=1)
        self.dongle.set_baud(BAUD)
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self.dongle.start())
            ready.set()
            self.loop.run_forever()
            self.loop.run_until_complete(self.dongle.stop())
            self.loop.close()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(60)

    def call(self, function: Callable[[], Any]) -> Any:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.loop.call_soon_threadsafe(lambda: future.set_result(function()))
        return future.result(60)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(60)


def _report(watts: int, tsn: int) -> bytes:
    from device_backend.simulator.devices import cluster_class
    from device_backend.simulator.zcl_io import attribute_report

    return attribute_report(cluster_class(0x0702), {"instantaneous_demand": watts}, tsn=tsn)


def _hand_to_ncp(dongle: Any, data: bytes) -> None:
    esme = dongle.home.esme
    link = dongle.air.links[int(esme.nwk)]
    dongle.ncp.frame_heard(esme, link, 1, 0x0000, 1, 0x0702, 0x0109, data)


async def _pixel(count: int, folder: Path, ncp: _DongleThread) -> list[float]:
    from benchmarks.display import open_display

    shown = await open_display(folder, "FULL", scenario=f"ezsp:{ncp.dongle.path}")
    try:
        label = power_label(shown.window)
        loop = asyncio.get_running_loop()

        watch = paint_watch(label, loop)
        label.installEventFilter(watch)
        latencies: list[float] = []
        warm = 10
        began = time.perf_counter()
        for n in range(count + warm):
            await asyncio.sleep(max(0.0, began + n / REPORTS_PER_S - time.perf_counter()))
            painted = watch.arm()
            data = _report(500 + 20 * (n % 400), n & 0xFF)
            sent = time.perf_counter()
            ncp.loop.call_soon_threadsafe(_hand_to_ncp, ncp.dongle, data)
            try:
                latency = await asyncio.wait_for(painted, NO_PAINT_S) - sent
            except TimeoutError:
                latency = NO_PAINT_S
            if n >= warm:
                latencies.append(latency * 1000)
        label.removeEventFilter(watch)
        return latencies
    finally:
        await shown.close()


async def _rate(count: int, folder: Path, ncp: _DongleThread) -> float:
    """Reports per second from the NCP to domain events at the facade, back to back."""
    from device_backend import model
    from device_backend.facade import Backend

    backend = Backend(f"ezsp:{ncp.dongle.path}", zigpy_database=str(folder / "rate.db"))
    demands = [0]
    backend.on_event(
        lambda e: demands.__setitem__(0, demands[0] + 1) if isinstance(e, model.Demand) else None
    )
    await backend.start()
    try:
        await backend.wait_online(60)
        await backend.wait_for_meters(60)
        await asyncio.sleep(1.0)
        start_count = demands[0]
        began = time.perf_counter()
        for n in range(count):
            ncp.loop.call_soon_threadsafe(
                _hand_to_ncp, ncp.dongle, _report(600 + 20 * (n % 400), (n + 7) & 0xFF)
            )
        while demands[0] - start_count < count:
            if time.perf_counter() - began > 120:
                raise RuntimeError(f"only {demands[0] - start_count} of {count} reports arrived")
            await asyncio.sleep(0.005)
        return count / (time.perf_counter() - began)
    finally:
        await backend.stop()


def measure(count: int) -> dict[str, Any]:
    from benchmarks.display import _in_qt_loop
    from benchmarks.stack import _measure_rates

    with tempfile.TemporaryDirectory(prefix="bench-bellows-") as name:
        folder = Path(name)
        ncp = _DongleThread(str(folder / "ttyNCP"))
        try:
            latencies = _in_qt_loop(lambda: _pixel(count, folder, ncp))
        finally:
            ncp.stop()
        ncp = _DongleThread(str(folder / "ttyNCP2"))
        try:
            rate = asyncio.run(_rate(count, folder, ncp))
        finally:
            ncp.stop()
    simulator, _plain, _rejected = asyncio.run(_measure_rates(count, 1))
    return {"latencies": latencies, "rate": rate, "simulator_rate": median(simulator)}


def rows(count: int = 100) -> list[Row]:
    found = measure(count)
    latencies = found["latencies"]
    return [
        row(
            "bellows_report_to_pixel_p99",
            percentile(latencies, 99),
            f"ms p99, report handed to the virtual NCP to the figure painted, ASH at {BAUD} baud "
            f"({REPORTS_PER_S} reports/s, {count} reports)",
            target=25.0,
            notes=f"p50 {percentile(latencies, 50):.1f} ms, worst {max(latencies):.1f} ms; "
            "the dongle on its own loop in a thread; bellows, zigpy, facade, store (FULL), Qt",
        ),
        row(
            "bellows_reports_per_s",
            found["rate"],
            f"reports/s from the virtual NCP to facade events, back to back ({count} reports, "
            f"ASH at {BAUD} baud)",
            baseline=found["simulator_rate"],
            target=None,
            direction="at_least",
            notes="baseline: the same number of reports into the simulator radio's "
            "packet_received (stack_reports_per_s's own path), same run",
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 100), default=str, indent=1))

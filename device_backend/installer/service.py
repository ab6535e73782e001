"""The installer's facade: one object the engineer's screens use for every HAN operation."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import sqlite_utils

from device_backend.installer.access import RadioAccess
from device_backend.installer.capture import Capture
from device_backend.installer.clusters import ClusterTools
from device_backend.installer.diagnostics import (
    BatteryProjection,
    LinkHistory,
    project_battery,
    status_words,
)
from device_backend.installer.health import HealthCheck
from device_backend.installer.inventory import Inventory, Names, role_of
from device_backend.installer.meter_logs import MeterLogs
from device_backend.installer.network import NetworkTools
from device_backend.installer.ota import FirmwareTools
from device_backend.installer.pairing import Pairing
from device_backend.installer.reports import ReportLog
from device_backend.installer.topology import Topology
from device_backend.installer.types import InstallerError
from device_backend.zcl.ids import METERING

SAMPLE_S = 5.0  # wall seconds between link-quality samples


class InstallerService:
    def __init__(
        self, backend: Any, *, db: sqlite_utils.Database | None = None, bench: bool = True
    ) -> None:
        self.backend = backend
        self.access = RadioAccess(backend)
        self.names = Names(db)
        self.link_history = LinkHistory()
        self.reports = ReportLog(backend.clock.now)
        self.access.add_app_listener(self.reports)
        self.network = NetworkTools(self.access)
        self.pairing = Pairing(self.access)
        self.clusters = ClusterTools(self.access)
        self.inventory = Inventory(self.access, self.names)
        self.topology = Topology(self.access, self.link_history)
        self.health = HealthCheck(self.access, self.reports)
        self.capture = Capture(self.access)
        self.firmware = FirmwareTools(self.access)
        self.meter_logs = MeterLogs(self.access)  # event logs and event configuration
        self.bench: Any = None
        if bench and backend.home is not None:
            self.bench = backend.home.add_pairing_bench()
        self._tasks: list[asyncio.Task[Any]] = []
        self._battery: dict[str, list[tuple[Any, int]]] = {}

    @property
    def simulated(self) -> bool:
        return self.backend.home is not None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.bench is not None:
            self._tasks.append(
                loop.create_task(self.bench.run(self.backend.clock), name="pairing bench")
            )
        self._tasks.append(loop.create_task(self._sample_links(), name="link sampler"))

    async def stop(self) -> None:
        if self.capture.running:
            self.capture.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self.access.close()

    async def _sample_links(self) -> None:
        while True:
            self.access.watch_app()
            self.topology.sample()
            await asyncio.sleep(SAMPLE_S)

    # -- the simulator's hardware, for training --------------------------------------

    def bench_labels(self) -> list[Any]:
        return self.bench.labels() if self.bench is not None else []

    def pull_dongle(self) -> None:
        self._home().pull_dongle()

    def replug_dongle(self) -> None:
        self._home().replug_dongle()

    def swap_in_blank_dongle(self) -> None:
        """Training: the old stick is out and a new, blank one goes in its place."""
        home = self._home()
        home.pull_dongle()
        home.replace_dongle()
        home.replug_dongle()

    def _home(self) -> Any:
        if self.backend.home is None:
            raise InstallerError(
                "Only the simulator's dongle can be pulled from here: unplug a real one."
            )
        return self.backend.home

    # -- meter diagnostics -------------------------------------------------------------

    async def meter_status(self, ieee: str) -> list[str]:
        device = self.access.device(ieee)
        metering = _metering(device)
        ok, _ = await self.access.guarded(
            "reading the meter status",
            metering.read_attributes(["status", "metering_device_type"], allow_cache=False),
        )
        if ok.get("status") is None:
            raise InstallerError("The meter did not report its status bits.")
        gas = int(ok.get("metering_device_type") or 0) & 0x7F == 1
        return status_words(int(ok["status"]), gas=gas) or ["All clear: no status flags set."]

    async def battery(self, ieee: str) -> BatteryProjection:
        device = self.access.device(ieee)
        if role_of(device) != "GSME":
            raise InstallerError("Battery life applies to the gas meter: choose the GSME.")
        metering = _metering(device)
        ok, _ = await self.access.guarded(
            "reading the battery life",
            metering.read_attributes(["remaining_battery_life_days"], allow_cache=False),
        )
        days = ok.get("remaining_battery_life_days")
        now = self.backend.clock.now()
        history = self._battery.setdefault(ieee, [])
        if days is not None:
            history.append((now, int(days)))
        return project_battery(now, int(days) if days is not None else None, history)


def _metering(device: Any) -> Any:
    for epid, ep in device.endpoints.items():
        if epid and METERING in ep.in_clusters:
            return ep.in_clusters[METERING]
    raise InstallerError(f"{device.ieee} is not a meter (it has no Metering cluster).")

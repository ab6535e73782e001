"""Pair one device: open joining for it alone, follow its join and interview, then configure it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import zigpy.types as t

from device_backend.installer.access import RadioAccess
from device_backend.installer.install_codes import PairingCode
from device_backend.installer.types import InstallerError, PairingStep
from device_backend.zcl.ids import METERING, ON_OFF, PREPAYMENT, PRICE

DEFAULT_WINDOW_S = 180
INTERVIEW_TIMEOUT_S = 90.0
POLL_S = 0.1

# (cluster, attribute, min s, max s, reportable change): what GB displays need from a meter.
REPORTING: tuple[tuple[int, str, int, int, int], ...] = (
    (METERING, "instantaneous_demand", 5, 10, 1),  # electricity demand every 10 s
    (METERING, "current_summ_delivered", 30, 1800, 1),
    (METERING, "current_summ_received", 30, 1800, 1),
    (PREPAYMENT, "credit_remaining", 30, 1800, 1),
    (PREPAYMENT, "emergency_credit_remaining", 30, 1800, 1),
    (PREPAYMENT, "credit_status", 1, 1800, 1),
    (PRICE, "standing_charge", 30, 3600, 1),
    (ON_OFF, "on_off", 0, 600, 1),
)
GAS_SKIPS = {"instantaneous_demand"}  # a battery gas meter reports half-hourly, never every 10 s

StepCallback = Callable[[PairingStep], None]


class InterviewFailed(InstallerError):
    """The device joined but did not answer part of its interview; it can be retried."""

    def __init__(self, ieee: str, step: str, message: str) -> None:
        super().__init__(message)
        self.ieee = ieee
        self.step = step


class _Watcher:
    """zigpy application listener for one pairing: joins, interviews and their failures."""

    def __init__(self, ieee: t.EUI64) -> None:
        self.ieee = ieee
        self.joined = asyncio.Event()
        self.initialized = asyncio.Event()
        self.failed = asyncio.Event()

    def device_joined(self, device: Any) -> None:
        if device.ieee == self.ieee:
            self.joined.set()

    def device_initialized(self, device: Any) -> None:
        if device.ieee == self.ieee:
            self.initialized.set()

    def device_init_failure(self, device: Any) -> None:
        if device.ieee == self.ieee:
            self.failed.set()


def interview_stage(device: Any) -> tuple[str, float]:
    """Where zigpy's interview has got to, from what it already knows about the device."""
    if device.node_desc is None:
        return "node descriptor (what kind of node it is)", 0.1
    endpoints = [ep for epid, ep in device.endpoints.items() if epid != 0]
    if not endpoints:
        return "active endpoint list", 0.3
    from zigpy.endpoint import Status

    pending = [ep.endpoint_id for ep in endpoints if ep.status == Status.NEW]
    if pending:
        return f"simple descriptor of endpoint {pending[0]} (its clusters)", 0.5
    if device.model is None or device.manufacturer is None:
        return "model and manufacturer (Basic cluster)", 0.7
    return "firmware version (OTA cluster)", 0.9


class Pairing:
    def __init__(self, access: RadioAccess) -> None:
        self.access = access

    async def pair(
        self, code: PairingCode, on_step: StepCallback, *, window_s: int = DEFAULT_WINDOW_S
    ) -> Any:
        """Returns the zigpy device, interviewed and configured; raises with the step at fault."""
        app = self.access.app()
        ieee = t.EUI64.convert(code.ieee)
        if ieee in app.devices and app.devices[ieee].is_initialized:
            raise InstallerError(f"{code.ieee} is already on this network: see the Devices page.")
        watcher = _Watcher(ieee)
        app.add_listener(watcher)
        rejected_before = list(getattr(app, "rejected_joins", []))
        try:
            on_step(
                PairingStep("open joining", "running", "Opening joining for this device only...")
            )
            await self.access.guarded(
                "opening joining",
                app.permit_with_link_key(
                    node=ieee, link_key=t.KeyData(code.link_key), time_s=window_s
                ),
            )
            on_step(
                PairingStep(
                    "open joining", "done", f"Joining open for {code.ieee} only, {window_s} s."
                )
            )
            await self._await_join(app, watcher, ieee, window_s, on_step, rejected_before)
            device = app.get_device(ieee=ieee)
            await self._await_interview(device, watcher, on_step)
            await self.configure(device, on_step)
            return device
        finally:
            app.remove_listener(watcher)

    async def _await_join(
        self,
        app: Any,
        watcher: _Watcher,
        ieee: t.EUI64,
        window_s: int,
        on_step: StepCallback,
        rejected_before: list[Any],
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + window_s
        while not watcher.joined.is_set() and ieee not in app.devices:
            left = deadline - loop.time()
            rejected = list(getattr(app, "rejected_joins", []))
            if rejected.count(ieee) > rejected_before.count(ieee):
                await self._close_joining(app)
                raise InstallerError(
                    "The device tried to join but its key did not match: the install code entered is "
                    "not this device's. Check the label (EUI-64 and code belong together) and try again."
                )
            if left <= 0:
                await self._close_joining(app)
                raise InstallerError(
                    f"The device did not join within {window_s} s. Check it is powered and in pairing "
                    "mode, that the EUI-64 and install code are this device's, and that it is within "
                    "range; then try again."
                )
            on_step(
                PairingStep(
                    "join",
                    "running",
                    f"Waiting for the device to join: {int(left)} s left.",
                    1 - left / window_s,
                )
            )
            self.access.still_connected("pairing")
            await asyncio.sleep(POLL_S)
        on_step(PairingStep("join", "done", "The device joined the network."))

    async def _close_joining(self, app: Any) -> None:
        with contextlib.suppress(Exception):
            await app.permit(0)

    async def _await_interview(self, device: Any, watcher: _Watcher, on_step: StepCallback) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + INTERVIEW_TIMEOUT_S
        stage = ""
        while not watcher.initialized.is_set():  # zigpy signals it after model and OTA reads
            stage, fraction = interview_stage(device)
            if watcher.failed.is_set():
                on_step(PairingStep("interview", "failed", f"No answer while reading the {stage}."))
                raise InterviewFailed(
                    str(device.ieee),
                    stage,
                    f"The device joined but its interview failed at the {stage}. "
                    "Move closer or wait a moment, then press Retry interview.",
                )
            if loop.time() > deadline:
                raise InterviewFailed(
                    str(device.ieee),
                    stage,
                    f"The interview stalled at the {stage}. Press Retry interview.",
                )
            on_step(PairingStep("interview", "running", f"Reading the {stage}...", fraction))
            self.access.still_connected("the interview")
            await asyncio.sleep(POLL_S)
        on_step(
            PairingStep("interview", "done", f"Interviewed: {device.manufacturer} {device.model}.")
        )

    async def retry_interview(self, ieee: str, on_step: StepCallback) -> Any:
        device = self.access.device(ieee)
        app = self.access.app()
        watcher = _Watcher(device.ieee)
        app.add_listener(watcher)
        try:
            on_step(PairingStep("interview", "running", "Interviewing again..."))
            task = asyncio.ensure_future(device.initialize())
            try:
                await self._await_interview(device, watcher, on_step)
            finally:
                if not task.done():
                    task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await self.configure(device, on_step)
            return device
        finally:
            app.remove_listener(watcher)

    async def configure(self, device: Any, on_step: StepCallback) -> list[str]:
        """Bind the reporting clusters to the coordinator and set their reporting intervals."""
        notes: list[str] = []
        endpoints = [ep for epid, ep in device.endpoints.items() if epid != 0]
        wanted = [
            (ep, cid, attr, lo, hi, ch)
            for ep in endpoints
            for (cid, attr, lo, hi, ch) in REPORTING
            if cid in ep.in_clusters
        ]
        gas = any(
            int(ep.in_clusters[METERING].get("metering_device_type") or 0) & 0x7F == 1
            for ep in endpoints
            if METERING in ep.in_clusters
        )
        if not wanted:
            on_step(
                PairingStep(
                    "configure", "done", "Nothing to configure: the device reports nothing we use."
                )
            )
            return notes
        bound: set[tuple[int, int]] = set()
        for n, (ep, cid, attr, lo, hi, change) in enumerate(wanted, start=1):
            cluster = ep.in_clusters[cid]
            if gas and attr in GAS_SKIPS:
                continue
            if attr not in cluster.attributes_by_name:
                continue
            if (ep.endpoint_id, cid) not in bound:
                on_step(
                    PairingStep(
                        "configure", "running", f"Binding {cluster.name}...", n / len(wanted)
                    )
                )
                await self.access.guarded(f"binding {cluster.name}", cluster.bind())
                bound.add((ep.endpoint_id, cid))
            on_step(
                PairingStep(
                    "configure", "running", f"Reporting {attr} every {hi} s...", n / len(wanted)
                )
            )
            result = await self.access.guarded(
                f"configuring reporting of {attr}",
                cluster.configure_reporting(attr, lo, hi, change),
            )
            statuses = [int(s) for s in result.values()] if isinstance(result, dict) else []
            if statuses and any(statuses):
                notes.append(f"{attr}: not supported by this device")
        detail = "Bound and reporting configured."
        if notes:
            detail += " " + "; ".join(notes) + "."
        on_step(PairingStep("configure", "done", detail))
        return notes

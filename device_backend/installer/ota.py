"""Upgrade a device from a local OTA file through zigpy, with versions before and after."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from zigpy.zcl import foundation

from device_backend.installer.access import RadioAccess
from device_backend.installer.firmware import FirmwareError, ImageInfo, read_image, version_text
from device_backend.installer.types import FirmwareOutcome, InstallerError, Progress, no_progress
from device_backend.zcl.ids import OTA


def ota_client_cluster(device: Any) -> Any:
    for epid, ep in device.endpoints.items():
        if epid and OTA in ep.out_clusters:
            return ep.out_clusters[OTA]
    return None


class FirmwareTools:
    def __init__(self, access: RadioAccess) -> None:
        self.access = access

    def inspect(self, path: Path) -> ImageInfo:
        try:
            info, _ = read_image(Path(path))
        except FirmwareError as exc:
            raise InstallerError(str(exc)) from None
        return info

    async def current_version(self, ieee: str) -> int | None:
        device = self.access.device(ieee)
        cluster = ota_client_cluster(device)
        if cluster is None:
            return None
        ok, _ = await self.access.guarded(
            "reading the firmware version",
            cluster.read_attributes(["current_file_version"], allow_cache=False),
        )
        value = ok.get("current_file_version")
        return int(value) if value is not None else None

    async def update(
        self, ieee: str, path: Path, progress: Progress = no_progress
    ) -> FirmwareOutcome:
        try:
            info, image = read_image(Path(path))
        except FirmwareError as exc:
            raise InstallerError(str(exc)) from None
        device = self.access.device(ieee)
        if ota_client_cluster(device) is None:
            raise InstallerError(
                "This device has no OTA Upgrade client: its firmware cannot be updated "
                "over the HAN."
            )
        progress(0.0, "Reading the current firmware version...")
        before = await self.current_version(ieee)
        manufacturer = device.node_desc.manufacturer_code if device.node_desc is not None else None
        if manufacturer is not None and int(manufacturer) != info.manufacturer_id:
            raise InstallerError(
                f"The image is for manufacturer 0x{info.manufacturer_id:04X}, the device is "
                f"made by 0x{int(manufacturer):04X}: choose that manufacturer's image."
            )
        if before is not None and info.file_version <= before:
            raise InstallerError(
                f"The image is version {info.version_text}; the device already runs "
                f"{version_text(before)}. Choose a newer image."
            )

        def on_block(current: int, total: int, percent: float) -> None:
            progress(current / total, f"Sending the image: {current:,} of {total:,} bytes...")

        progress(0.0, "Offering the image to the device...")
        status = await self.access.guarded(
            "the firmware update", device.update_firmware(image, progress_callback=on_block)
        )
        if status is None:
            raise InstallerError(
                "An update of this device is already running: wait for it to finish."
            )
        if status != foundation.Status.SUCCESS:
            words = {
                foundation.Status.NO_IMAGE_AVAILABLE: "the device declined the image (wrong type or "
                "not newer than what it runs)",
                foundation.Status.INVALID_IMAGE: "the device found the "
                "image damaged or not meant for it",
                foundation.Status.TIMEOUT: "the device stopped "
                "asking for blocks (out of range or busy)",
                foundation.Status.ABORT: "the device aborted the download",
            }.get(status, f"status {getattr(status, 'name', status)}")
            after = await self._version_or_none(ieee)
            return FirmwareOutcome(
                ieee=ieee,
                before=version_text(before),
                after=version_text(after),
                succeeded=False,
                message=f"Update failed: {words}. The device still runs "
                f"{version_text(after)}; try again, closer to the device.",
            )
        progress(1.0, "Waiting for the device to restart on the new firmware...")
        after = await self._version_or_none(ieee)
        await self._readopt(ieee)
        ok = after == info.file_version
        message = (
            f"Updated from {version_text(before)} to {version_text(after)}."
            if ok
            else f"The device took the image but reports {version_text(after)}, not {info.version_text}: "
            "check it again after it restarts."
        )
        return FirmwareOutcome(
            ieee=ieee,
            before=version_text(before),
            after=version_text(after),
            succeeded=ok,
            message=message,
        )

    async def _version_or_none(self, ieee: str) -> int | None:
        try:
            return await self.current_version(ieee)
        except InstallerError:
            return None

    async def _readopt(self, ieee: str) -> None:
        """zigpy re-interviews after an upgrade and swaps in a new device object."""
        readopt = getattr(self.access.backend, "readopt", None)
        if readopt is not None:
            try:
                await readopt(ieee)
            except Exception:  # noqa: BLE001 - the update itself succeeded; live readings resume on rejoin
                await asyncio.sleep(0)

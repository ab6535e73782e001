"""The OTA Upgrade client side of a virtual device: fetch an image block by block, then switch.

zigpy's OTA server (the coordinator) offers an image after Image Notify; the device asks for
it with QueryNextImage, pulls it with ImageBlock requests, checks it and ends with UpgradeEnd.
On UpgradeEndResponse it "reboots" into the new version and reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import zigpy.types as t
from zigpy.zcl import foundation

from device_backend.simulator import zcl_io
from device_backend.zcl import cluster_class
from device_backend.zcl.ids import OTA as OTA_CLUSTER

BLOCK_SIZE = 48
IMAGE_TYPE = 0x0001
STATUS_DOWNLOAD_IN_PROGRESS, STATUS_DOWNLOAD_COMPLETE, STATUS_NORMAL = 1, 2, 0


@dataclass
class Download:
    endpoint: int
    server_ep: int
    file_version: int
    size: int
    data: bytearray = field(default_factory=bytearray)


class OtaHost(Protocol):
    """What the client needs of the node it runs on (VirtualDevice, simulator/devices.py).

    A protocol, not an import: the device owns its OTA client, and the client only uses it.
    """

    manufacturer_code: int
    firmware_version: int
    handlers: dict[tuple[int, str], Any]

    @property
    def endpoints(self) -> Mapping[int, Any]: ...  # EndpointSpec by endpoint number

    def next_tsn(self) -> int: ...

    def send(self, endpoint: int, cluster_id: int, data: bytes, *, dst_ep: int = 1) -> None: ...

    def set_attributes(
        self, endpoint: int, cluster_id: int, values: dict[str | int, Any]
    ) -> None: ...


class OtaClient:
    """Attached to one VirtualDevice; holds the download in progress, if any."""

    def __init__(self, device: OtaHost) -> None:
        self.device = device
        self.download: Download | None = None
        self.completed: list[int] = []  # versions installed, oldest first
        self.aborted = 0
        self.block_requests = 0
        device.handlers[(OTA_CLUSTER, "query_next_image_response")] = self._on_query_response
        device.handlers[(OTA_CLUSTER, "image_block_response")] = self._on_block
        device.handlers[(OTA_CLUSTER, "upgrade_end_response")] = self._on_end_response

    def _cls(self) -> Any:
        return cluster_class(OTA_CLUSTER)

    def _request(self, endpoint: int, server_ep: int, name: str, **fields: Any) -> None:
        frame = zcl_io.cluster_command(
            self._cls(),
            name,
            tsn=self.device.next_tsn(),
            direction=zcl_io.CLIENT_TO_SERVER,
            **fields,
        )
        self.device.send(endpoint, OTA_CLUSTER, frame, dst_ep=server_ep)

    def _on_query_response(self, parsed: zcl_io.ParsedZcl, packet: t.ZigbeePacket) -> None:
        args = parsed.args
        if int(args.status) != foundation.Status.SUCCESS or self.download is not None:
            return  # "no image available": stay on the current version
        if (
            int(args.manufacturer_code) != self.device.manufacturer_code
            or int(args.image_type) != IMAGE_TYPE
        ):
            return
        self.download = Download(
            endpoint=int(packet.dst_ep or 1),
            server_ep=int(packet.src_ep or 1),
            file_version=int(args.file_version),
            size=int(args.image_size),
        )
        self._set_status(STATUS_DOWNLOAD_IN_PROGRESS)
        self._next_block()

    def _next_block(self) -> None:
        download = self.download
        assert download is not None
        self.block_requests += 1
        self._request(
            download.endpoint,
            download.server_ep,
            "image_block",
            field_control=0,
            manufacturer_code=self.device.manufacturer_code,
            image_type=IMAGE_TYPE,
            file_version=download.file_version,
            file_offset=len(download.data),
            maximum_data_size=BLOCK_SIZE,
        )

    def _on_block(self, parsed: zcl_io.ParsedZcl, packet: t.ZigbeePacket) -> None:
        download = self.download
        if download is None:
            return
        args = parsed.args
        if int(args.status) != foundation.Status.SUCCESS:
            # The server gave up (or the engineer cancelled): forget the partial image.
            self.download = None
            self.aborted += 1
            self._set_status(STATUS_NORMAL)
            return
        if int(args.file_offset) != len(download.data):
            self._next_block()  # a repeated or out-of-order block: ask again from where we are
            return
        download.data += bytes(args.image_data)
        if len(download.data) < download.size:
            self._next_block()
            return
        self._set_status(STATUS_DOWNLOAD_COMPLETE)
        status = self._verify(bytes(download.data))
        self._request(
            download.endpoint,
            download.server_ep,
            "upgrade_end",
            status=status,
            manufacturer_code=self.device.manufacturer_code,
            image_type=IMAGE_TYPE,
            file_version=download.file_version,
        )
        if status != foundation.Status.SUCCESS:
            self.download = None
            self._set_status(STATUS_NORMAL)

    def _verify(self, data: bytes) -> foundation.Status:
        """A device checks the image it received before it agrees to run it."""
        from zigpy.ota.image import parse_ota_image

        assert self.download is not None
        try:
            image, rest = parse_ota_image(data)
            header = image.header
        except (ValueError, KeyError):
            return foundation.Status.INVALID_IMAGE
        if (
            rest
            or int(header.manufacturer_id) != self.device.manufacturer_code
            or int(header.file_version) != self.download.file_version
        ):
            return foundation.Status.INVALID_IMAGE
        return foundation.Status.SUCCESS

    def _on_end_response(self, parsed: zcl_io.ParsedZcl, packet: t.ZigbeePacket) -> None:
        download = self.download
        if download is None or int(parsed.args.file_version) != download.file_version:
            return
        self.download = None
        self.install(download.file_version, report_to_ep=download.server_ep)

    def install(self, version: int, report_to_ep: int = 1) -> None:
        """Run the new image: the version the device reports from now on."""
        device = self.device
        device.firmware_version = version
        self.completed.append(version)
        for endpoint, spec in device.endpoints.items():
            if OTA_CLUSTER in spec.out_clusters:
                device.set_attributes(
                    endpoint,
                    OTA_CLUSTER,
                    {"current_file_version": version, "image_upgrade_status": STATUS_NORMAL},
                )
                device.set_attributes(endpoint, 0x0000, {"sw_build_id": f"{version:08X}"})
                frame = zcl_io.attribute_report(
                    self._cls(),
                    {"current_file_version": version},
                    tsn=device.next_tsn(),
                    direction=zcl_io.CLIENT_TO_SERVER,
                )
                device.send(endpoint, OTA_CLUSTER, frame, dst_ep=report_to_ep)

    def _set_status(self, status: int) -> None:
        for endpoint, spec in self.device.endpoints.items():
            if OTA_CLUSTER in spec.out_clusters:
                self.device.set_attributes(endpoint, OTA_CLUSTER, {"image_upgrade_status": status})

"""OTA image files: read one and say what it is for, or make one (for training and tests)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zigpy.ota import OtaImageWithMetadata
from zigpy.ota.image import (
    ElementTagId,
    HeaderString,
    OTAImage,
    OTAImageHeader,
    SubElement,
    parse_ota_image,
)
from zigpy.ota.providers import LocalOtaImageMetadata

from device_backend.installer.types import InstallerError

HEADER_LENGTH = 56  # the fixed part of an OTA header, with none of the optional fields
MAX_IMAGE_BYTES = 16 * 1024 * 1024


class FirmwareError(InstallerError):
    """Why an image file cannot be used, in words for the engineer."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    path: Path
    manufacturer_id: int
    image_type: int
    file_version: int
    size: int
    description: str
    sha256: str

    @property
    def version_text(self) -> str:
        return version_text(self.file_version)


def version_text(version: int | None) -> str:
    return "unknown" if version is None else f"0x{version:08X}"


def build_image(
    *,
    manufacturer_id: int,
    image_type: int,
    file_version: int,
    payload: bytes,
    description: str = "gb-smart-ihd training image",
) -> bytes:
    """A well-formed ZCL OTA upgrade file holding `payload` as its upgrade image."""
    element = SubElement(tag_id=ElementTagId.UPGRADE_IMAGE, data=payload)
    size = HEADER_LENGTH + len(element.serialize())
    header = OTAImageHeader(
        upgrade_file_id=OTAImageHeader.MAGIC_VALUE,
        header_version=0x0100,
        header_length=HEADER_LENGTH,
        field_control=0,
        manufacturer_id=manufacturer_id,
        image_type=image_type,
        file_version=file_version,
        stack_version=0x0002,
        header_string=HeaderString(description[:32]),
        image_size=size,
    )
    return bytes(OTAImage(header=header, subelements=[element]).serialize())


def read_image(path: Path) -> tuple[ImageInfo, OtaImageWithMetadata]:
    """The file parsed by zigpy, with what it is for; refused with a reason if unusable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FirmwareError(f"There is no file at {path}.") from None
    except OSError as exc:
        raise FirmwareError(f"Could not read {path}: {exc.strerror}.") from None
    if not data:
        raise FirmwareError(f"{path.name} is empty.")
    if len(data) > MAX_IMAGE_BYTES:
        raise FirmwareError(f"{path.name} is {len(data)} bytes: too large for a meter's OTA image.")
    try:
        image, rest = parse_ota_image(data)
    except (ValueError, KeyError, IndexError):
        known = (
            data.startswith((OTAImageHeader.OTA_HEADER, b"NGIS"))
            or OTAImageHeader.OTA_HEADER in data[:256]
        )
        reason = "it is truncated or damaged" if known else "it is not a ZigBee OTA upgrade file"
        raise FirmwareError(f"{path.name} cannot be used: {reason}.") from None
    if rest:
        raise FirmwareError(
            f"{path.name} has {len(rest)} unexpected bytes after the image: it may be damaged."
        )
    header: Any = image.header
    info = ImageInfo(
        path=path,
        manufacturer_id=int(header.manufacturer_id),
        image_type=int(header.image_type),
        file_version=int(header.file_version),
        size=len(data),
        description=bytes(header.header_string).decode("utf-8", "replace").strip("\x00 "),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    metadata = LocalOtaImageMetadata(
        path=path,
        file_version=info.file_version,
        manufacturer_id=info.manufacturer_id,
        image_type=info.image_type,
        file_size=len(data),
        source="local file",
    )
    return info, OtaImageWithMetadata(metadata=metadata, firmware=image)

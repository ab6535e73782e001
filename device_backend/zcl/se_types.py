"""Wire types shared by the Smart Energy clusters, and helpers that build attribute tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import zigpy.types as t
from zigpy.zcl.foundation import (
    ZCL_CLUSTER_REVISION_ATTR,
    ZCL_REPORTING_STATUS_ATTR,
    BaseAttributeDefs,
    DataTypeId,
    ZCLAttributeDef,
)

# Octet strings whose maximum length the spec fixes. zigpy's LimitedLVBytes() makes a new
# class on every call, so each limit is made once here and shared.
Label12: Final = t.LimitedLVBytes(12)  # tier labels, rate label, debt labels
Label20: Final = t.LimitedLVBytes(20)  # payment references, message response, token carrier
Label24: Final = t.LimitedLVBytes(24)  # tariff label
Label25: Final = t.LimitedLVBytes(25)  # prepayment top-up code history


class ZCLCharString(t.CharacterString):
    """A ZCL character string (type 0x42) whose length prefix counts UTF-8 octets.

    zigpy 2.4.0's CharacterString prefixes the number of *characters*, which corrupts any
    message holding a non-ASCII character such as a pound sign; a supplier message like
    "Top up £5" must go out with a prefix of 10, not 9.
    """

    def serialize(self) -> bytes:
        if self.invalid:
            return bytes([0xFF])  # ZCL: a length of 0xFF marks an invalid string
        raw = self.encode("utf-8")
        if len(raw) >= 0xFF:
            raise ValueError(f"Character string is too long: {len(raw)} octets (max 254)")
        return bytes([len(raw)]) + raw


class TrailingDigit(t.IntStruct, t.uint8_t):
    """A ...TrailingDigit map8: implied decimal places in bits 4-7 (value / 10**digits).

    Like every zigpy IntStruct, a lone positional argument is the raw octet:
    TrailingDigit(0x20) and TrailingDigit(digits=2) are the same value.
    """

    reserved: t.uint4_t = t.StructField(default=0)
    digits: t.uint4_t


class DurationTimebase(t.enum4):
    """Unit of a block or billing period duration (bits 0-3 of its DurationType)."""

    Minutes = 0x0
    Days = 0x1
    Weeks = 0x2
    Months = 0x3


class DurationControl(t.enum4):
    """Where a period sits in its timebase (bits 4-7 of its DurationType)."""

    Start_Of_Timebase = 0x0
    End_Of_Timebase = 0x1
    Not_Specified = 0x2


class DurationType(t.IntStruct, t.uint8_t):
    """BlockPeriodDurationType / BillingPeriodDurationType map8: timebase and control nibbles."""

    timebase: DurationTimebase
    control: DurationControl


def add_attribute(defs: type[BaseAttributeDefs], name: str, attr: ZCLAttributeDef) -> None:
    """Add one definition to an AttributeDefs class, refusing a clash of id or name.

    zigpy keys its lookups by id and silently keeps only one definition per id, so a typo in
    a generated family would otherwise hide a real attribute; we fail at import instead.
    """
    if getattr(defs, name, None) is not None:
        raise TypeError(f"{defs.__qualname__}: duplicate attribute name {name!r}")
    # An id -> name index kept on the class itself (a leading underscore keeps it out of
    # zigpy's iteration), built once from whatever the class body already defined.
    index: dict[int, str] | None = defs.__dict__.get("_names_by_id")
    if index is None:
        index = {}
        for existing_name in dir(defs):
            existing = getattr(defs, existing_name)
            if isinstance(existing, ZCLAttributeDef):
                index[existing.id] = existing_name
        defs._names_by_id = index  # type: ignore[attr-defined]
    if attr.id in index:
        raise TypeError(
            f"{defs.__qualname__}: {name!r} reuses id 0x{attr.id:04X} of {index[attr.id]!r}"
        )
    index[attr.id] = name
    setattr(defs, name, attr)


def add_attributes(
    defs: type[BaseAttributeDefs],
    entries: Iterable[tuple[str, int, Any]],
    *,
    access: str = "r",
    zcl_type: DataTypeId | None = None,
) -> None:
    """Add a numbered family of attributes given as (name, id, type) triples."""
    for name, attr_id, attr_type in entries:
        add_attribute(
            defs,
            name,
            ZCLAttributeDef(id=attr_id, type=attr_type, access=access, zcl_type=zcl_type),
        )


def add_common_se_attributes(defs: type[BaseAttributeDefs]) -> None:
    """Attributes every SE cluster carries: ClusterRevision 0xFFFD, AttributeReportingStatus 0xFFFE.

    zigpy's shared definitions are reused so the names agree with its other clusters.
    """
    add_attribute(defs, "cluster_revision", ZCL_CLUSTER_REVISION_ATTR)
    add_attribute(defs, "reporting_status", ZCL_REPORTING_STATUS_ATTR)


MAP8: Final = DataTypeId.map8  # for IntStruct views of map8 attributes, which zigpy types as uint8

"""Device Management (0x0708) commands a meter publishes, as domain events.

PublishChangeOfTenancy and PublishChangeOfSupplier (SE 1.4 annex D.10; field layout in
device_backend.zcl.device_management) become `model.TenancyChange` and `model.SupplierChange`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from device_backend import model
from device_backend.clock import from_zigbee_time

# ProposedTenancyChangeControl bit 9, ClearIHDDataConsumer (Wireshark's mask 0x00000200).
CLEAR_IHD_DATA_CONSUMER = 1 << 9
COMMANDS = frozenset({"publish_change_of_tenancy", "publish_change_of_supplier"})


def _when(raw: Any, now: datetime) -> datetime:
    # SE: an implementation time of 0 means now, 0xFFFFFFFF "not set" (also taken as now).
    seconds = int(raw)
    return now if seconds in (0, 0xFFFFFFFF) else from_zigbee_time(seconds)


def _text(raw: Any) -> str:
    if isinstance(raw, bytes | bytearray):
        return bytes(raw).decode("utf-8", "replace").strip("\x00 ")
    return str(raw)


def from_command(name: str, args: Any, now: datetime, fuel: model.Fuel) -> model.Event | None:
    if name == "publish_change_of_tenancy":
        return model.TenancyChange(
            time=now,
            takes_effect=_when(args.implementation_date_time, now),
            clear_display_data=bool(
                int(args.proposed_tenancy_change_control) & CLEAR_IHD_DATA_CONSUMER
            ),
            issuer_event_id=int(args.issuer_event_id),
            fuel=fuel,
        )
    if name == "publish_change_of_supplier":
        return model.SupplierChange(
            time=now,
            supplier=_text(args.proposed_provider_name),
            contact=_text(args.proposed_provider_contact_details),
            takes_effect=_when(args.provider_change_implementation_time, now),
            provider_id=int(args.proposed_provider_id),
            previous_provider_id=int(args.current_provider_id),
            issuer_event_id=int(args.issuer_event_id),
            fuel=fuel,
        )
    return None

"""Browse any cluster's attributes with decoded values, write them, and send any command."""

from __future__ import annotations

import enum
from datetime import timedelta
from decimal import Decimal
from typing import Any

import zigpy.types as t
from zigpy.zcl import Cluster, foundation

from device_backend import units
from device_backend.clock import ZIGBEE_EPOCH
from device_backend.installer.access import RadioAccess
from device_backend.installer.types import (
    AttributeValue,
    ClusterRef,
    CommandSpec,
    FieldSpec,
    InstallerError,
)
from device_backend.money import GB_SCALE, MoneyScale
from device_backend.zcl.ids import METERING, PREPAYMENT, PRICE, TIME

READ_CHUNK = 8  # attributes per Read Attributes frame: keeps within one unfragmented APS frame
# Metering registers shown with the meter's own scaling and unit (summation vs demand unit).
SUMMATION_ATTRS = {
    "current_summ_delivered",
    "current_summ_received",
    "current_max_demand_delivered",
}
DEMAND_ATTRS = {"instantaneous_demand"}
PENCE_ATTRS = {
    "credit_remaining",
    "emergency_credit_remaining",
    "accumulated_debt",
    "low_credit_warning_level",
    "emergency_credit_limit_allowance",
    "emergency_credit_threshold",
    "cut_off_value",
    "debt_recovery_amount1",
}


def _type_name(kind: Any) -> str:
    return getattr(kind, "__name__", str(kind))


def _is_wire_form(kind: Any) -> bool:
    """Lists and structures (a calendar's schedule entries, a season's date) have no one-line
    text form, so an engineer types their octets as a frame carries them."""
    return (
        isinstance(kind, type)
        and issubclass(kind, t.List | t.Struct)
        and not issubclass(kind, int)  # a bit-field struct packed in an int is a number
    )


def _hint(kind: Any) -> str:
    if isinstance(kind, type) and issubclass(kind, enum.Flag):
        return "a number (bits: " + ", ".join(f"{m.name}={m.value}" for m in kind if m.name) + ")"
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return "one of: " + ", ".join(str(m.name) for m in kind)
    if isinstance(kind, type) and issubclass(kind, t.EUI64):
        return "EUI-64, e.g. 00:0d:6f:00:00:00:00:01"
    if isinstance(kind, type) and issubclass(kind, bytes | t.LVBytes):
        return "hex bytes, e.g. 01 02 0A"
    if _is_wire_form(kind):
        return "its ZCL octets in hex, e.g. 1E 00 02"
    if isinstance(kind, type) and issubclass(kind, str):
        return "text"
    if isinstance(kind, type) and issubclass(kind, bool):
        return "true or false"
    if isinstance(kind, type) and issubclass(kind, int):
        bits = getattr(kind, "_bits", None)
        signed = getattr(kind, "_signed", False)
        if bits:
            low, high = (
                (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
            )
            return f"a whole number {low} to {high} (or 0x hex)"
        return "a whole number"
    return _type_name(kind)


def parse_value(kind: Any, text: str) -> Any:
    """Typed text into the zigpy type a frame needs; ValueError says what was expected."""
    raw = text.strip()
    try:
        if isinstance(kind, type) and issubclass(kind, enum.Flag):
            return kind(int(raw, 0))
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            by_name = {str(m.name).lower(): m for m in kind}
            if raw.lower() in by_name:
                return by_name[raw.lower()]
            return kind(int(raw, 0))
        if isinstance(kind, type) and issubclass(kind, t.EUI64):
            return t.EUI64.convert(raw)
        if isinstance(kind, type) and issubclass(kind, bytes | t.LVBytes):
            return kind(bytes.fromhex(raw.replace(" ", "").replace(":", "")))
        if _is_wire_form(kind):
            value, rest = kind.deserialize(bytes.fromhex(raw.replace(" ", "").replace(":", "")))
            if rest:
                raise ValueError
            return value
        if isinstance(kind, type) and issubclass(kind, str):
            return kind(raw)
        if isinstance(kind, type) and issubclass(kind, bool):
            if raw.lower() not in ("true", "false", "1", "0", "on", "off"):
                raise ValueError
            return kind(raw.lower() in ("true", "1", "on"))
        if isinstance(kind, type) and issubclass(kind, int):
            return kind(int(raw, 0))
        return kind(raw)
    except (ValueError, TypeError, KeyError, OverflowError):
        raise ValueError(f"'{text}' is not {_hint(kind)}") from None


def _raw_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex(" ").upper()
    if isinstance(value, enum.Enum):
        return f"{int(value.value) if isinstance(value.value, int) else value.value}"
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and type(value) is not int
        and "bitmap" in type(value).__mro__[1].__name__.lower()
    ):
        return f"0x{int(value):02X}"
    if isinstance(value, int) and not isinstance(value, bool) and str(value) != str(int(value)):
        return f"0x{int(value):02X}"  # bitmaps and structs packed in an int print verbosely
    return str(value)


def _may_be_empty(field_def: Any) -> bool:
    return bool(field_def.optional or field_def.requires is not None)


class ClusterTools:
    def __init__(self, access: RadioAccess) -> None:
        self.access = access

    def clusters(self, ieee: str) -> list[ClusterRef]:
        device = self.access.device(ieee)
        refs = []
        for epid, ep in sorted(device.endpoints.items()):
            if epid == 0:
                continue
            for cid, cluster in sorted(ep.in_clusters.items()):
                refs.append(ClusterRef(epid, cid, cluster.name, True))
            for cid, cluster in sorted(ep.out_clusters.items()):
                refs.append(ClusterRef(epid, cid, cluster.name, False))
        return refs

    def cluster(self, ieee: str, ref: ClusterRef) -> Cluster:
        device = self.access.device(ieee)
        try:
            ep = device.endpoints[ref.endpoint]
            return (ep.in_clusters if ref.server else ep.out_clusters)[ref.cluster_id]
        except KeyError:
            raise InstallerError(
                f"{ieee} has no {ref.label}: it may have been re-interviewed."
            ) from None

    async def read_all(self, ieee: str, ref: ClusterRef) -> list[AttributeValue]:
        """Every attribute the device says it has (Discover Attributes), read and decoded."""
        cluster = self.cluster(ieee, ref)
        ids = await self._discover(cluster)
        if not ids:
            ids = sorted(a for a in cluster.attributes if a < 0xFFFD)
        if cluster.cluster_id == METERING:  # scaling first, so registers can be shown in units
            ids = sorted(
                set(ids) | {0x0300, 0x0301, 0x0302, 0x0303, 0x0304},
                key=lambda a: (a not in (0x0300, 0x0301, 0x0302, 0x0303, 0x0304), a),
            )
        values: dict[int, Any] = {}
        failed: dict[int, str] = {}
        for start in range(0, len(ids), READ_CHUNK):
            chunk = ids[start : start + READ_CHUNK]
            ok, bad = await self.access.guarded(
                f"reading {cluster.name}",
                cluster.read_attributes(list[Any](chunk), allow_cache=False),
            )
            values.update({int(k): v for k, v in ok.items()})
            failed.update({int(k): getattr(v, "name", str(v)) for k, v in bad.items()})
        rows = []
        for attr_id in ids:
            definition = cluster.attributes.get(attr_id)
            if definition is None:
                continue
            if attr_id in failed:
                if attr_id in (0x0300, 0x0301, 0x0302, 0x0303, 0x0304) and attr_id not in values:
                    continue
                rows.append(self._row(cluster, definition, None, "unsupported"))
            else:
                rows.append(self._row(cluster, definition, values.get(attr_id), "ok"))
        return rows

    async def _discover(self, cluster: Cluster) -> list[int]:
        try:
            response = await self.access.guarded(
                f"discovering {cluster.name}", cluster.discover_attributes(0, 0xF0)
            )
        except InstallerError:
            return []
        records = getattr(response, "attribute_info", None)
        if not records:
            return []
        return sorted(int(r.attrid) for r in records)

    def _row(self, cluster: Cluster, definition: Any, value: Any, status: str) -> AttributeValue:
        access = definition.access
        writable = access is not None and bool(access & foundation.ZCLAttributeAccess.Write)
        shown = (
            describe(cluster, definition.name, value)
            if status == "ok"
            else "not supported by the device"
        )
        return AttributeValue(
            attr_id=int(definition.id),
            name=definition.name,
            type_name=_type_name(definition.type),
            writable=writable,
            raw=_raw_text(value),
            shown=shown,
            status=status,
        )

    async def write(self, ieee: str, ref: ClusterRef, name: str, text: str) -> AttributeValue:
        cluster = self.cluster(ieee, ref)
        definition = cluster.attributes_by_name.get(name)
        if definition is None:
            raise InstallerError(f"{cluster.name} has no attribute called {name}.")
        try:
            value = parse_value(definition.type, text)
        except ValueError as exc:
            raise InstallerError(f"{name}: {exc}. Nothing was sent.") from None
        result = await self.access.guarded(
            f"writing {name}", cluster.write_attributes({name: value})
        )
        records = [r for group in result for r in (group if isinstance(group, list) else [group])]
        failures = [r for r in records if int(getattr(r, "status", 0)) != 0]
        if failures:
            status = foundation.Status(int(failures[0].status))
            words = {
                foundation.Status.READ_ONLY: "it is read-only",
                foundation.Status.UNSUPPORTED_ATTRIBUTE: "the device does not have it",
                foundation.Status.INVALID_VALUE: "the device refused the value",
            }.get(status, status.name)
            raise InstallerError(f"The device did not accept {name} = {text}: {words}.")
        ok, _ = await self.access.guarded(
            f"reading back {name}", cluster.read_attributes([name], allow_cache=False)
        )
        return self._row(cluster, definition, ok.get(name), "ok")

    def commands(self, ieee: str, ref: ClusterRef) -> list[CommandSpec]:
        cluster = self.cluster(ieee, ref)
        table = cluster.server_commands if ref.server else cluster.client_commands
        specs = []
        for command_id, command in sorted(table.items()):
            fields = tuple(
                # A field that only some layouts carry (`requires`) may be left empty too.
                FieldSpec(f.name, _type_name(f.type), _hint(f.type), _may_be_empty(f))
                for f in command.schema.fields
            )
            specs.append(CommandSpec(int(command_id), command.name, fields))
        return specs

    async def send(
        self, ieee: str, ref: ClusterRef, command_name: str, fields: dict[str, str]
    ) -> str:
        cluster = self.cluster(ieee, ref)
        table = cluster.server_commands if ref.server else cluster.client_commands
        found = [(cid, c) for cid, c in table.items() if c.name == command_name]
        if not found:
            raise InstallerError(f"{cluster.name} has no command called {command_name}.")
        command_id, command = found[0]
        kwargs: dict[str, Any] = {}
        for field_def in command.schema.fields:
            text = fields.get(field_def.name, "").strip()
            if not text:
                if _may_be_empty(field_def):
                    continue
                raise InstallerError(
                    f"Fill in {field_def.name} ({_hint(field_def.type)}). Nothing was sent."
                )
            try:
                kwargs[field_def.name] = parse_value(field_def.type, text)
            except ValueError as exc:
                raise InstallerError(f"{field_def.name}: {exc}. Nothing was sent.") from None
        if ref.server:
            response = await self.access.guarded(
                f"sending {command_name}", cluster.command(command_id, **kwargs)
            )
        else:
            response = await self.access.guarded(
                f"sending {command_name}", cluster.client_command(command_id, **kwargs)
            )
        return describe_response(response)


def describe_response(response: Any) -> str:
    if response is None:
        return "Sent (no reply expected)."
    status = getattr(response, "status", None)
    fields = getattr(response, "as_dict", None)
    if callable(fields):
        parts = ", ".join(f"{k}={_raw_text(v)}" for k, v in fields().items() if v is not None)
        if status is not None and set(fields()) <= {"command_id", "status"}:
            return f"The device answered: {getattr(status, 'name', status)}."
        return f"The device answered: {parts}."
    return f"The device answered: {response}."


def _money_scale(cluster: Cluster) -> MoneyScale:
    """The endpoint's Price Currency and PriceTrailingDigit as last read (GB: 826, 0x50),
    which scale Price and Prepayment money alike (se_clusters.md §2.6)."""
    endpoint = getattr(cluster, "endpoint", None)
    price = endpoint.in_clusters.get(PRICE) if endpoint is not None else None
    currency = price.get("currency") if price is not None else None
    digits = price.get("price_trailing_digit") if price is not None else None
    return MoneyScale.from_trailing_byte(
        int(currency) if currency is not None else GB_SCALE.currency,
        int(digits) if digits is not None else GB_SCALE.trailing_byte,
    )


def _money_text(pence: Decimal, scale: MoneyScale) -> str:
    if scale.code == "GBP":
        return units.format_pounds(units.round_pence(pence))
    return f"{units.round_to(pence / 100, 2)} {scale.code}"


def describe(cluster: Cluster, name: str, value: Any) -> str:
    """A value as an engineer wants to see it: units, scaling, words for codes and bits."""
    if value is None:
        return "(no value)"
    cid = cluster.cluster_id
    if cid == METERING and (name in SUMMATION_ATTRS or name in DEMAND_ATTRS):
        multiplier = cluster.get("multiplier") or 1
        divisor = cluster.get("divisor") or 0
        unit = cluster.get("unit_of_measure")
        fmt = cluster.get("demand_formatting" if name in DEMAND_ATTRS else "summation_formatting")
        if not divisor or unit is None:
            return f"{value} (raw; scaling not read)"
        amount = units.metering_value(int(value), int(multiplier), int(divisor))
        try:
            unit_text = units.unit_name(int(unit), rate=name in DEMAND_ATTRS)
        except ValueError:
            unit_text = f"unit 0x{int(unit):02X}"
        shown = units.format_reading(amount, int(fmt)) if fmt is not None else f"{amount}"
        return f"{shown} {unit_text}".strip()
    if cid == METERING and name == "status":
        from device_backend.installer.diagnostics import status_words

        device_type = cluster.get("metering_device_type") or 0
        return "; ".join(status_words(int(value), gas=int(device_type) & 0x7F == 1)) or "all clear"
    if cid == METERING and name.endswith("_formatting"):
        f = units.NumberFormatting.from_byte(int(value))
        return f"{f.digits_left} digits left, {f.digits_right} right of the point" + (
            ", leading zeros suppressed" if f.suppress_leading_zeros else ""
        )
    if cid == PREPAYMENT and name in PENCE_ATTRS:
        return _money_text(_money_scale(cluster).to_pence(int(value)), _money_scale(cluster))
    if cid == PRICE and name == "standing_charge":
        scale = _money_scale(cluster)
        pence = scale.to_pence(int(value))
        if scale.code != "GBP":
            return f"{pence / 100} {scale.code}/day"
        return f"{pence}p/day"
    if isinstance(value, t.UTCTime) or (
        cid == TIME and name in ("time", "local_time", "last_set_time")
    ):
        if int(value) in (0, 0xFFFFFFFF):
            return "not set"
        return (ZIGBEE_EPOCH + timedelta(seconds=int(value))).isoformat().replace("+00:00", "Z")
    if isinstance(value, enum.Flag):
        names = [m.name for m in type(value) if m.name and m in value and m.value]
        return ", ".join(names) if names else "none"
    if isinstance(value, enum.Enum):
        return str(value.name).replace("_", " ")
    if isinstance(value, bytes | bytearray):
        text = bytes(value)
        printable = text.decode("utf-8", "replace")
        return f"'{printable}'" if printable.isprintable() else text.hex(" ").upper()
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)

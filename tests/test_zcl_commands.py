"""Every command of the SE clusters, both directions: round trips and the validator's limits.

Sample arguments are built from each schema's own field types, so a command added later is
covered without editing this file.
"""

from __future__ import annotations

import enum
from types import SimpleNamespace
from typing import Any
from unittest.mock import MagicMock

import pytest
import zigpy.types as t
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zigpy.zcl import Cluster, foundation

from device_backend.zcl import (
    Calendar,
    DeviceManagement,
    Drlc,
    Events,
    MalformedFrameError,
    Messaging,
    Metering,
    Prepayment,
    Price,
    register_clusters,
    validate_frame,
)
from device_backend.zcl.profile import SMART_ENERGY_PROFILE_ID


@pytest.fixture(autouse=True, scope="module")
def _our_clusters_registered() -> None:
    register_clusters()  # as the facade does before zigpy sees a frame


CLUSTERS: list[type[Cluster]] = [
    Price,
    Drlc,
    Messaging,
    Prepayment,
    Metering,
    Calendar,
    DeviceManagement,
    Events,
]
S2C = foundation.Direction.Server_to_Client
C2S = foundation.Direction.Client_to_Server


def _all_commands() -> list[tuple[type[Cluster], foundation.Direction, foundation.ZCLCommandDef]]:
    out = []
    for cls in CLUSTERS:
        out += [(cls, S2C, c) for c in cls.ClientCommandDefs]
        out += [(cls, C2S, c) for c in cls.ServerCommandDefs]
    return out


ALL_COMMANDS = _all_commands()
IDS = [f"{cls.__name__}.{cmd.name}" for cls, _, cmd in ALL_COMMANDS]


def test_every_command_is_covered() -> None:
    # Price 15 + 17, DRLC 3 + 2, Messaging 4 + 3, Prepayment 5 + 12, Metering 14 + 15,
    # Calendar 6 + 6, Device Management 7 + 6, Events 3 + 2
    assert len(ALL_COMMANDS) == 120


# ---------------------------------------------------------------------------------------
# Strategies built from zigpy types
# ---------------------------------------------------------------------------------------


def _is_struct(typ: type) -> bool:
    return isinstance(typ, type) and issubclass(typ, t.Struct)


def strategy_for(typ: type) -> st.SearchStrategy[Any]:
    """Any valid value of a zigpy wire type (reserved enum values and bits included)."""
    if _is_struct(typ) and issubclass(typ, t.IntStruct):
        int_type = typ._int_type
        return st.integers(int_type.min_value, int_type.max_value).map(typ)
    if _is_struct(typ):
        return struct_values(typ)
    if issubclass(typ, t.FixedIntType):
        # Enums and bitmaps accept any value of their width (zigpy keeps unknown ones).
        return st.integers(typ.min_value, typ.max_value).map(typ)
    if issubclass(typ, t.CharacterString):
        text = st.text(
            alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
            max_size=40,
        )
        return text.filter(lambda s: len(s.encode("utf-8")) < 0xFF).map(typ)
    if issubclass(typ, t.LVBytes):
        return st.binary(max_size=getattr(typ, "_max_len", 30)).map(typ)
    if issubclass(typ, t.Bytes):
        return st.binary(min_size=1, max_size=50).map(typ)
    if issubclass(typ, t.List):
        return st.lists(strategy_for(typ._item_type), max_size=6).map(typ)
    raise NotImplementedError(typ)


class _CountProbe:
    """Records which fields a StructField `length` callback reads: those are counts."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def __getattr__(self, name: str) -> int:
        self.names.add(name)
        return 0


def _count_fields(struct: type[t.Struct]) -> set[str]:
    probe = _CountProbe()
    for field in struct.fields:
        if field.length is not None:
            try:
                field.length(probe)
            except AttributeError:
                pass  # a count nested in a bit field; a nibble is small anyway
    return probe.names


@st.composite
def struct_values(draw: st.DrawFn, struct: type[t.Struct]) -> t.Struct:
    return struct(**draw(field_values(struct)))


@st.composite
def field_values(draw: st.DrawFn, struct: type[t.Struct]) -> dict[str, Any]:
    """Values for a schema's fields honouring counts, `requires` and optional tails."""
    fields = list(struct.fields)
    counts = _count_fields(struct)
    optional = [i for i, f in enumerate(fields) if f.optional]
    cut = draw(st.integers(optional[0], len(fields))) if optional else len(fields)
    ns = SimpleNamespace(**{f.name: None for f in fields})
    values: dict[str, Any] = {}
    for i, field in enumerate(fields):
        if i >= cut or (field.requires is not None and not field.requires(ns)):
            value = None
        elif field.length is not None:
            n = field.length(ns)
            item = strategy_for(field.type._item_type)
            value = field.type(draw(st.lists(item, min_size=n, max_size=n)))
        elif field.name in counts:
            value = field.type(draw(st.integers(0, 6)))  # keep lists small
        else:
            value = draw(strategy_for(field.type))
        setattr(ns, field.name, value)
        values[field.name] = value
    return values


def sample_value(typ: type) -> Any:
    """One fixed, non-empty value of a zigpy type (count fields come out as 1)."""
    if _is_struct(typ) and issubclass(typ, t.IntStruct):
        return typ(0x11)  # both nibbles 1: e.g. tier 1 with one block threshold
    if _is_struct(typ):
        return typ(**sample_values(typ))
    if issubclass(typ, t.FixedIntType):
        return typ(1)
    if issubclass(typ, t.CharacterString):
        return typ("Hi £1")
    if issubclass(typ, t.LVBytes):
        return typ(b"ab")
    if issubclass(typ, t.Bytes):
        return typ(b"\x01\x02")
    if issubclass(typ, t.List):
        return typ([sample_value(typ._item_type)])
    raise NotImplementedError(typ)


def sample_values(struct: type[t.Struct]) -> dict[str, Any]:
    """Every field present (optional ones too), lists of one item."""
    ns = SimpleNamespace(**{f.name: None for f in struct.fields})
    values: dict[str, Any] = {}
    for field in struct.fields:
        if field.requires is not None and not field.requires(ns):
            value = None
        elif field.length is not None:
            item_type = field.type._item_type
            value = field.type([sample_value(item_type) for _ in range(field.length(ns))])
        else:
            value = sample_value(field.type)
        setattr(ns, field.name, value)
        values[field.name] = value
    return values


def frame(
    cluster_id: int, direction: foundation.Direction, command_id: int, payload: bytes
) -> t.ZigbeePacket:
    header = foundation.ZCLHeader.cluster(tsn=0x42, command_id=command_id, direction=direction)
    return t.ZigbeePacket(
        profile_id=SMART_ENERGY_PROFILE_ID,
        cluster_id=cluster_id,
        src_ep=1,
        dst_ep=1,
        data=t.SerializableBytes(header.serialize() + payload),
    )


# ---------------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cls", "direction", "command"), ALL_COMMANDS, ids=IDS)
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_round_trip(
    cls: type[Cluster],
    direction: foundation.Direction,
    command: foundation.ZCLCommandDef,
    data: st.DataObject,
) -> None:
    values = data.draw(field_values(command.schema))
    built = command.schema(**values)
    payload = built.serialize()

    parsed, rest = command.schema.deserialize(payload)
    assert rest == b""
    assert parsed == built
    assert parsed.serialize() == payload

    # The same bytes through zigpy's own dispatch, which picks the command by direction...
    packet = frame(cls.cluster_id, direction, command.id, payload)
    cluster = Cluster.from_id(MagicMock(), cls.cluster_id)
    header, via_zigpy = cluster.deserialize(packet.data.serialize())
    assert header.command_id == command.id
    assert type(via_zigpy) is command.schema
    assert via_zigpy == built
    # ...and through our validator, which must accept every well-formed frame.
    validate_frame(packet)


def test_round_trip_keeps_values() -> None:
    """A spot check that round trips compare field values, not just bytes."""
    schema = Prepayment.ClientCommandDefs.consumer_top_up_response.schema
    built = schema(result_type=0x10, top_up_value=-1, source_of_top_up=2, credit_remaining=-250)
    parsed, _ = schema.deserialize(built.serialize())
    assert parsed.result_type is Prepayment.ResultType.Accepted_Supply_Enabled
    assert parsed.top_up_value == -1
    assert parsed.credit_remaining == -250
    assert parsed.source_of_top_up is Prepayment.OriginatingDevice.In_Home_Display


# ---------------------------------------------------------------------------------------
# Validator: every command refuses a short or long frame
# ---------------------------------------------------------------------------------------


def _ends_in_greedy_bytes(command: foundation.ZCLCommandDef, values: dict[str, Any]) -> bool:
    present = [f for f in command.schema.fields if values[f.name] is not None]
    return bool(present) and issubclass(present[-1].type, t.Bytes)


def _mandatory_only(command: foundation.ZCLCommandDef) -> dict[str, Any]:
    values = sample_values(command.schema)
    for field in command.schema.fields:
        if field.optional:
            values[field.name] = None
    return values


# A last field that takes the rest of the frame (a signature, an opaque snapshot payload)
# can be neither too long nor cut short, and a command without fields cannot be truncated.
_CAN_OVERRUN = [
    p for p in ALL_COMMANDS if not _ends_in_greedy_bytes(p[2], sample_values(p[2].schema))
]
_CAN_TRUNCATE = [
    p
    for p in ALL_COMMANDS
    if p[2].schema(**_mandatory_only(p[2])).serialize()
    and not _ends_in_greedy_bytes(p[2], _mandatory_only(p[2]))
]


def test_validator_limits_cover_nearly_every_command() -> None:
    assert len(_CAN_OVERRUN) == len(ALL_COMMANDS) - 3  # report_event_status, publish_snapshot,
    # publish_prepay_snapshot (sampled with an opaque payload type)
    # 5 more than before issue 18: Calendar's get_calendar_cancellation and Device
    # Management's four Get requests have no payload to cut short.
    assert len(_CAN_TRUNCATE) == len(ALL_COMMANDS) - 12


@pytest.mark.parametrize(("cls", "direction", "command"), ALL_COMMANDS, ids=IDS)
def test_validator_accepts_a_full_frame(
    cls: type[Cluster], direction: foundation.Direction, command: foundation.ZCLCommandDef
) -> None:
    payload = command.schema(**sample_values(command.schema)).serialize()
    validate_frame(frame(cls.cluster_id, direction, command.id, payload))


@pytest.mark.parametrize(
    ("cls", "direction", "command"),
    _CAN_OVERRUN,
    ids=[f"{c.__name__}.{cmd.name}" for c, _, cmd in _CAN_OVERRUN],
)
def test_validator_rejects_one_octet_too_many(
    cls: type[Cluster], direction: foundation.Direction, command: foundation.ZCLCommandDef
) -> None:
    payload = command.schema(**sample_values(command.schema)).serialize()
    # 0xFF, not 0x00: where a list runs to the end of the frame, a 0x00 could be a complete
    # (empty) item, such as a block-threshold sub-payload declaring no thresholds.
    with pytest.raises(MalformedFrameError, match=command.name):
        validate_frame(frame(cls.cluster_id, direction, command.id, payload + b"\xff"))


@pytest.mark.parametrize(
    ("cls", "direction", "command"),
    _CAN_TRUNCATE,
    ids=[f"{c.__name__}.{cmd.name}" for c, _, cmd in _CAN_TRUNCATE],
)
def test_validator_rejects_truncation(
    cls: type[Cluster], direction: foundation.Direction, command: foundation.ZCLCommandDef
) -> None:
    # Only the mandatory fields, so the last octet belongs to a field that must be whole.
    payload = command.schema(**_mandatory_only(command)).serialize()
    with pytest.raises(MalformedFrameError, match=command.name):
        validate_frame(frame(cls.cluster_id, direction, command.id, payload[:-1]))


# ---------------------------------------------------------------------------------------
# Attribute values through ZCL's typed attribute records
# ---------------------------------------------------------------------------------------


def _distinct_attribute_types() -> dict[str, foundation.ZCLAttributeDef]:
    found: dict[tuple[type, int], foundation.ZCLAttributeDef] = {}
    for cls in CLUSTERS:
        for attr in cls.AttributeDefs:
            found.setdefault((attr.type, int(attr.zcl_type)), attr)
    for attr in Price.ClientAttributeDefs:
        found.setdefault((attr.type, int(attr.zcl_type)), attr)
    return {f"{a.name}:{a.type.__name__}": a for a in found.values()}


ATTRIBUTE_TYPES = _distinct_attribute_types()


def test_attribute_types_collected() -> None:
    assert len(ATTRIBUTE_TYPES) >= 25


@pytest.mark.parametrize("attr", ATTRIBUTE_TYPES.values(), ids=ATTRIBUTE_TYPES.keys())
@settings(max_examples=20, deadline=None, database=None)
@given(data=st.data())
def test_attribute_round_trip(attr: foundation.ZCLAttributeDef, data: st.DataObject) -> None:
    value = data.draw(strategy_for(attr.type))

    # As a write or report would carry it: id, ZCL type byte, value.
    record = foundation.Attribute(attrid=attr.id, value=foundation.TypeValue(attr.zcl_type, value))
    raw = record.serialize()
    assert raw[2] == attr.zcl_type
    parsed, rest = foundation.Attribute.deserialize(raw)
    assert rest == b""

    # As a read response carries it.
    read = foundation.ReadAttributeRecord(attr.id, foundation.Status.SUCCESS, record.value)
    read_parsed, rest = foundation.ReadAttributeRecord.deserialize(read.serialize())
    assert rest == b""

    # zigpy turns the generic decoded value back into the declared type the same way.
    for type_value in (parsed.value, read_parsed.value):
        converted = attr.type(type_value.value)
        assert converted == value
        assert type(converted) is attr.type
        if isinstance(value, enum.Enum):
            assert converted.name == value.name

"""The Smart Energy Events cluster (0x0709): a meter's event logs, read and cleared over the HAN.

Field order and types: ZigBee Smart Energy 1.4 (07-5356-21) annex D.11, checked against
Wireshark's dissector (epan/dissectors/packet-zbee-zcl-se.c, "(0x0709) EVENTS CLUSTER"). The
cluster has no attributes of its own. The Log ID octet at the front of PublishEvent and of each
PublishEventLog entry came with SE 1.2; Wireshark reads it only when set to SE 1.2 or later,
and we always expect it (GB meters are SE 1.2+). Wireshark shows Log IDs and the
ClearedEventsLogs bits as bare numbers, so their names here come from SE 1.4 alone.
"""

from __future__ import annotations

from typing import Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy as zigpy_se
from zigpy.zcl.foundation import BaseAttributeDefs, BaseCommandDefs, CommandSchema, ZCLCommandDef

from device_backend.zcl.se_types import add_common_se_attributes


class LogID(t.enum8):
    """Which event log (SE 1.4 table D-187); the GBCS logs are the ones a GB meter keeps."""

    All_Logs = 0x00
    Tamper_Log = 0x01
    Fault_Log = 0x02
    General_Event_Log = 0x03
    Security_Event_Log = 0x04
    Network_Event_Log = 0x05
    GBCS_General_Event_Log = 0x06
    GBCS_Security_Event_Log = 0x07


class LogIDNibble(t.enum4):
    """The same values as LogID, as the low nibble of GetEventLog's EventControl/LogID."""

    All_Logs = 0x0
    Tamper_Log = 0x1
    Fault_Log = 0x2
    General_Event_Log = 0x3
    Security_Event_Log = 0x4
    Network_Event_Log = 0x5
    GBCS_General_Event_Log = 0x6
    GBCS_Security_Event_Log = 0x7


class EventControlLogID(t.IntStruct, t.uint8_t):
    """GetEventLog's first octet: the log in bits 0-3, EventControl in bits 4-7.

    EventControl (SE 1.4 D.11.2.3.1): 0 asks for minimal information per event, 1 for the
    full information (event data included).
    """

    log_id: LogIDNibble
    event_control: t.uint4_t


class ClearedEventsLogs(t.bitmap8):
    """ClearEventLogResponse: which logs the server cleared (SE 1.4 D.11.2.4.3)."""

    All_Logs = 0x01
    Tamper_Log = 0x02
    Fault_Log = 0x04
    General_Event_Log = 0x08
    Security_Event_Log = 0x10
    Network_Event_Log = 0x20
    GBCS_General_Event_Log = 0x40
    GBCS_Security_Event_Log = 0x80


class NumberOfEventsLogPayloadControl(t.IntStruct, t.uint8_t):
    """PublishEventLog: bit 0 set = more matching events than this response holds; the number
    of events in this response in bits 4-7."""

    more_events: t.uint1_t
    reserved: t.uint3_t = t.StructField(default=0)
    number_of_events: t.uint4_t


class EventLogEntry(t.Struct):
    log_id: LogID
    event_id: t.uint16_t  # GB: the GBCS event/alert code
    event_time: t.UTCTime
    event_data: t.LVBytes  # octet string; its layout depends on the event id


class EventsAttributeDefs(BaseAttributeDefs):
    """Events defines no attributes of its own; only the ones every SE cluster has."""


add_common_se_attributes(EventsAttributeDefs)


class PublishEventLogSchema(CommandSchema):
    """PublishEventLog. The entries run to the end of the frame rather than to the count
    nibble: GBCS lets a response hold more events than the four bits can say (Wireshark reads
    up to 100 for that reason)."""

    total_number_of_matching_events: t.uint16_t
    command_index: t.uint8_t
    total_commands: t.uint8_t
    number_of_events_log_payload_control: NumberOfEventsLogPayloadControl
    log_payload: t.List[EventLogEntry]


class EventsServerCommandDefs(BaseCommandDefs):
    """Client -> server: an IHD or installer tool asking for, or clearing, an event log."""

    get_event_log: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "event_control_log_id": EventControlLogID,
            "event_id": t.uint16_t,  # 0x0000 = any event
            "start_time": t.UTCTime,
            "end_time": t.UTCTime,  # 0xFFFFFFFF = no end
            "number_of_events": t.uint8_t,  # 0 = as many as fit
            "event_offset": t.uint16_t,  # skip this many matches, newest first
        },
    )
    clear_event_log_request: Final = ZCLCommandDef(id=0x01, schema={"log_id": LogID})


class EventsClientCommandDefs(BaseCommandDefs):
    """Server -> client: events as they happen, log extracts and the clearing result."""

    publish_event: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "log_id": LogID,
            "event_id": t.uint16_t,
            "event_time": t.UTCTime,
            "event_control": t.bitmap8,  # how the client should report it (SE 1.4 D.11.2.4.1)
            "event_data": t.LVBytes,
        },
    )
    publish_event_log: Final = ZCLCommandDef(id=0x01, schema=PublishEventLogSchema)
    clear_event_log_response: Final = ZCLCommandDef(
        id=0x02, schema={"cleared_events_logs": ClearedEventsLogs}
    )


class Events(zigpy_se.Events):
    """Events 0x0709, ep_attribute "smartenergy_events" (inherited from zigpy's stub)."""

    _skip_registry = True  # zigpy uses it once device_backend.zcl.register_clusters() is called

    LogID: Final = LogID
    ClearedEventsLogs: Final = ClearedEventsLogs

    AttributeDefs = EventsAttributeDefs
    ServerCommandDefs = EventsServerCommandDefs
    ClientCommandDefs = EventsClientCommandDefs

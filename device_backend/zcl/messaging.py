"""The Smart Energy Messaging cluster (0x0703): supplier messages shown and confirmed on an IHD."""

from __future__ import annotations

from typing import Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy as zigpy_se
from zigpy.zcl.foundation import BaseAttributeDefs, BaseCommandDefs, ZCLCommandDef

from device_backend.zcl.se_types import Label20, ZCLCharString, add_common_se_attributes

#: Octets of message text that fit an unfragmented DisplayMessage (SE 1.4a D.5.2.3.1.1.1);
#: longer text needs APS fragmentation, which not every device supports.
UNFRAGMENTED_MESSAGE_BUDGET: Final = 59
#: MessageConfirmation's MessageResponse is at most this many octets.
MAX_MESSAGE_RESPONSE_OCTETS: Final = 20


class MessageTransmission(t.enum2):
    Normal = 0b00
    Normal_And_Anonymous_InterPAN = 0b01
    InterPAN_Only = 0b10  # deprecated; a receiver should reject it
    Reserved = 0b11


class MessageImportance(t.enum2):
    Low = 0b00
    Medium = 0b01
    High = 0b10
    Critical = 0b11


class MessageControl(t.IntStruct, t.uint8_t):
    """MessageControl map8. Two of its fields are 2-bit values, not flags, so it is a
    struct of bit fields rather than a bitmap: importance High is 0x08, Critical 0x0C."""

    transmission: MessageTransmission = t.StructField(default=MessageTransmission.Normal)
    importance: MessageImportance = t.StructField(default=MessageImportance.Low)  # bits 2-3
    reserved_4: t.uint1_t = t.StructField(default=0)
    enhanced_confirmation_required: t.uint1_t = t.StructField(default=0)  # bit 5, 0x20
    reserved_6: t.uint1_t = t.StructField(default=0)
    confirmation_required: t.uint1_t = t.StructField(default=0)  # bit 7, 0x80


class ExtendedMessageControl(t.bitmap8):
    Message_Confirmed = 0x01


class MessageConfirmationControl(t.bitmap8):
    No_Returned = 0x01
    Yes_Returned = 0x02


# DisplayMessage and DisplayProtectedMessage share one layout; the latter is shown only after
# the user authenticates on the device.
_DISPLAY_MESSAGE_SCHEMA: Final = {
    "message_id": t.uint32_t,  # a new id replaces the active message
    "message_control": MessageControl,
    "start_time": t.UTCTime,  # 0 = now
    "duration_in_minutes": t.uint16_t,  # 0xFFFF = until changed
    "message": ZCLCharString,
    "extended_message_control?": ExtendedMessageControl,  # SE 1.2, may be absent
}


class MessagingAttributeDefs(BaseAttributeDefs):
    """Messaging defines no attributes of its own; only the ones every SE cluster has."""


add_common_se_attributes(MessagingAttributeDefs)


class MessagingServerCommandDefs(BaseCommandDefs):
    """Client -> server: what an IHD sends back to the meter."""

    get_last_message: Final = ZCLCommandDef(id=0x00, schema={})  # answered by DisplayMessage
    message_confirmation: Final = ZCLCommandDef(
        id=0x01,
        schema={
            "message_id": t.uint32_t,
            "confirmation_time": t.UTCTime,
            # Both added in SE 1.2 at the end of the frame; an older client stops before them.
            "message_confirmation_control?": MessageConfirmationControl,
            "message_response?": Label20,
        },
    )
    get_message_cancellation: Final = ZCLCommandDef(
        id=0x02, schema={"earliest_implementation_time": t.UTCTime}
    )


class MessagingClientCommandDefs(BaseCommandDefs):
    """Server -> client: messages from the supplier, via the meter, to an IHD."""

    display_message: Final = ZCLCommandDef(id=0x00, schema=dict(_DISPLAY_MESSAGE_SCHEMA))
    cancel_message: Final = ZCLCommandDef(
        id=0x01,
        schema={
            "message_id": t.uint32_t,
            "message_control": MessageControl,  # deprecated, should be 0
        },
    )
    display_protected_message: Final = ZCLCommandDef(id=0x02, schema=dict(_DISPLAY_MESSAGE_SCHEMA))
    cancel_all_messages: Final = ZCLCommandDef(
        id=0x03, schema={"implementation_date_time": t.UTCTime}
    )


class Messaging(zigpy_se.Messaging):
    """Messaging 0x0703, ep_attribute "smartenergy_messaging" (inherited from zigpy's stub)."""

    _skip_registry = True  # zigpy uses it once device_backend.zcl.register_clusters() is called

    MessageControl: Final = MessageControl
    MessageImportance: Final = MessageImportance

    AttributeDefs = MessagingAttributeDefs
    ServerCommandDefs = MessagingServerCommandDefs
    ClientCommandDefs = MessagingClientCommandDefs

"""The Smart Energy Demand Response and Load Control cluster (0x0701)."""

from __future__ import annotations

from typing import Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy as zigpy_se
from zigpy.zcl.foundation import BaseAttributeDefs, BaseCommandDefs, ZCLAttributeDef, ZCLCommandDef

from device_backend.zcl.se_types import add_common_se_attributes


class DeviceClass(t.bitmap16):
    HVAC_Compressor_Or_Furnace = 0x0001
    Strip_Heaters_Baseboard_Heaters = 0x0002
    Water_Heater = 0x0004
    Pool_Pump_Spa_Jacuzzi = 0x0008
    Smart_Appliances = 0x0010
    Irrigation_Pump = 0x0020
    Managed_Commercial_Industrial_Loads = 0x0040
    Simple_Misc_Loads = 0x0080
    Exterior_Lighting = 0x0100
    Interior_Lighting = 0x0200
    Electric_Vehicle = 0x0400
    Generation_Systems = 0x0800


class CriticalityLevel(t.enum8):
    Green = 0x01
    Level_1 = 0x02
    Level_2 = 0x03
    Level_3 = 0x04
    Level_4 = 0x05
    Level_5 = 0x06
    Emergency = 0x07
    Planned_Outage = 0x08
    Service_Disconnect = 0x09
    Utility_Defined_1 = 0x0A
    Utility_Defined_2 = 0x0B
    Utility_Defined_3 = 0x0C
    Utility_Defined_4 = 0x0D
    Utility_Defined_5 = 0x0E
    Utility_Defined_6 = 0x0F


class EventControl(t.bitmap8):
    Randomize_Start_Time = 0x01
    Randomize_End_Time = 0x02


class CancelControl(t.bitmap8):
    Terminate_With_Randomization = 0x01


class EventStatus(t.enum8):
    Load_Control_Event_Command_Received = 0x01
    Event_Started = 0x02
    Event_Completed = 0x03
    User_Opted_Out = 0x04
    User_Opted_In = 0x05
    Event_Cancelled = 0x06
    Event_Superseded = 0x07
    Event_Partially_Completed_With_User_Opt_Out = 0x08
    Event_Partially_Completed_Due_To_User_Opt_In = 0x09
    Event_Completed_No_User_Participation_Previous_Opt_Out = 0x0A
    Rejected_Invalid_Opt_Out = 0xF6
    Rejected_Event_Not_Found = 0xF7
    Rejected_Invalid_Cancel_Command = 0xF8
    Rejected_Invalid_Cancel_Command_Invalid_Effective_Time = 0xF9
    Rejected_Event_Received_After_Expiration = 0xFB
    Rejected_Invalid_Cancel_Undefined_Event = 0xFD
    Load_Control_Event_Command_Rejected = 0xFE


class SignatureType(t.enum8):
    No_Signature = 0x00
    ECDSA = 0x01


class DrlcAttributeDefs(BaseAttributeDefs):
    """DRLC has no server attributes; these live on the load-control device, the DRLC
    *client*. With nothing on the server side to collide with, they can sit here."""

    utility_enrollment_group: Final = ZCLAttributeDef(
        id=0x0000, type=t.uint8_t, access="rw", mandatory=True
    )
    start_randomization_minutes: Final = ZCLAttributeDef(
        id=0x0001, type=t.uint8_t, access="rw", mandatory=True
    )  # default 0x1E
    duration_randomization_minutes: Final = ZCLAttributeDef(
        id=0x0002, type=t.uint8_t, access="rw", mandatory=True
    )
    device_class_value: Final = ZCLAttributeDef(
        id=0x0003, type=t.uint16_t, access="rw", mandatory=True
    )


add_common_se_attributes(DrlcAttributeDefs)


class DrlcServerCommandDefs(BaseCommandDefs):
    """Client -> server: a load-control device reporting back to the utility's server."""

    report_event_status: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "issuer_event_id": t.uint32_t,
            "event_status": EventStatus,
            "event_status_time": t.UTCTime,
            "criticality_level_applied": CriticalityLevel,
            # S1 types the applied set-points unsigned; they echo the event's signed
            # set-points (0.01 degC, 0x8000 unused), so signed it is (reference section 7).
            "cooling_temperature_set_point_applied": t.int16s,
            "heating_temperature_set_point_applied": t.int16s,
            "average_load_adjustment_percentage_applied": t.int8s,
            "duty_cycle_applied": t.uint8_t,
            "event_control": EventControl,
            "signature_type": SignatureType,
            # The rest of the frame (42 octets for ECDSA); absent with No_Signature.
            "signature?": t.Bytes,
        },
    )
    get_scheduled_events: Final = ZCLCommandDef(
        id=0x01,
        schema={
            "start_time": t.UTCTime,  # 0 = now
            "number_of_events": t.uint8_t,  # 0 = all
            "issuer_event_id?": t.uint32_t,  # added in SE 1.2b at the end of the frame
        },
    )


class DrlcClientCommandDefs(BaseCommandDefs):
    """Server -> client: events from the utility to load-control devices."""

    load_control_event: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "issuer_event_id": t.uint32_t,
            "device_class": DeviceClass,
            "utility_enrollment_group": t.uint8_t,
            "start_time": t.UTCTime,  # 0 = now
            "duration_in_minutes": t.uint16_t,
            "criticality_level": CriticalityLevel,
            "cooling_temperature_offset": t.uint8_t,  # 0.1 degC, 0xFF unused
            "heating_temperature_offset": t.uint8_t,  # 0.1 degC, 0xFF unused
            "cooling_temperature_set_point": t.int16s,  # 0.01 degC, -0x8000 unused
            "heating_temperature_set_point": t.int16s,  # 0.01 degC, -0x8000 unused
            "average_load_adjustment_percentage": t.int8s,  # -100..100, -0x80 unused
            "duty_cycle": t.uint8_t,  # 0..100 %, 0xFF unused
            "event_control": EventControl,
        },
    )
    cancel_load_control_event: Final = ZCLCommandDef(
        id=0x01,
        schema={
            "issuer_event_id": t.uint32_t,
            "device_class": DeviceClass,
            "utility_enrollment_group": t.uint8_t,
            "cancel_control": CancelControl,
            "effective_time": t.UTCTime,  # 0 = now
        },
    )
    cancel_all_load_control_events: Final = ZCLCommandDef(
        id=0x02, schema={"cancel_control": CancelControl}
    )


class Drlc(zigpy_se.Drlc):
    """Demand Response and Load Control 0x0701, ep_attribute "smartenergy_drlc" (inherited
    from zigpy's stub). Not part of the visible GB IHD/PPMID flows; kept for completeness."""

    _skip_registry = True  # zigpy uses it once device_backend.zcl.register_clusters() is called

    DeviceClass: Final = DeviceClass
    CriticalityLevel: Final = CriticalityLevel
    EventStatus: Final = EventStatus

    AttributeDefs = DrlcAttributeDefs
    ServerCommandDefs = DrlcServerCommandDefs
    ClientCommandDefs = DrlcClientCommandDefs

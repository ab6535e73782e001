"""The Smart Energy Device Management cluster (0x0708): supplier, tenancy and event settings.

What a GB household meets through it: a change of tenancy (the display may offer to wipe the
previous occupant's history) and a change of supplier. What an engineer meets: the site id,
the customer identification number (CIN) and which events the meter logs.

Field order and types: ZigBee Smart Energy 1.4 (07-5356-21) annex D.10, checked against
Wireshark's dissector (epan/dissectors/packet-zbee-zcl-se.c, "(0x0708) DEVICE_MANAGEMENT
CLUSTER"), which also gives the bit layouts of ProposedTenancyChangeControl and
EventConfiguration used here.

Not defined here: the client-side "event configuration" attributes (0x0100-0x07FF on the
client, one per event id, each an EventConfiguration map8); only the client's ProviderID and
ReceivedProviderID are.
"""

from __future__ import annotations

from typing import Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy as zigpy_se
from zigpy.zcl.foundation import (
    BaseAttributeDefs,
    BaseCommandDefs,
    CommandSchema,
    DataTypeId,
    ZCLAttributeDef,
    ZCLCommandDef,
)

from device_backend.zcl.events import LogID
from device_backend.zcl.price import TariffType
from device_backend.zcl.se_types import add_attributes, add_common_se_attributes

# Octet strings with a maximum length (SE 1.4 D.10.2.2).
ProviderName: Final = t.LimitedLVBytes(16)
ProviderContactDetails: Final = t.LimitedLVBytes(19)
SiteID: Final = t.LimitedLVBytes(32)
CustomerIDNumber: Final = t.LimitedLVBytes(24)


class ContactorState(t.enum2):
    Supply_Off = 0b00
    Supply_Off_Armed = 0b01
    Supply_On = 0b10
    Supply_Unchanged = 0b11


class ProposedTenancyChangeControl(t.IntStruct, t.uint32_t):
    """What the meter does at a change of tenancy (map32; bits from Wireshark's masks).

    GB: a display told to clear the consumer's IHD data (bit 9) asks the household first.
    """

    pre_snapshots: t.uint1_t
    post_snapshots: t.uint1_t
    reset_credit_register: t.uint1_t
    reset_debit_register: t.uint1_t
    reset_billing_period: t.uint1_t
    clear_tariff_plan: t.uint1_t
    clear_standing_charge: t.uint1_t
    block_historical_load_profile_information: t.uint1_t
    clear_historical_load_profile_information: t.uint1_t
    clear_ihd_data_consumer: t.uint1_t
    clear_ihd_data_supplier: t.uint1_t
    meter_contactor_state: ContactorState  # bits 11-12
    clear_transaction_log: t.uint1_t
    clear_prepayment_data: t.uint1_t
    reserved_15: t.uint1_t = t.StructField(default=0)
    reserved_16: t.uint16_t = t.StructField(default=0)


class WANStatus(t.enum8):
    Connection_To_WAN_Is_Not_Available = 0x00
    Connection_To_WAN_Is_Available = 0x01


class PasswordType(t.enum8):
    """Which of the meter's four service passwords (SE 1.4 table D-171)."""

    Password_1 = 0x01
    Password_2 = 0x02
    Password_3 = 0x03
    Password_4 = 0x04


class EventLogging(t.enum3):
    Do_Not_Log = 0x0
    Log_As_Tamper = 0x1
    Log_As_Fault = 0x2
    Log_As_General_Event = 0x3
    Log_As_Security_Event = 0x4
    Log_As_Network_Event = 0x5


class EventConfiguration(t.IntStruct, t.uint8_t):
    """How a meter treats one event: which log, and whom it tells (map8)."""

    logging: EventLogging  # bits 0-2
    push_event_to_wan: t.uint1_t  # 0x08
    push_event_to_han: t.uint1_t  # 0x10
    raise_alarm_zigbee: t.uint1_t  # 0x20
    raise_alarm_physical: t.uint1_t  # 0x40
    reserved: t.uint1_t = t.StructField(default=0)


class ConfigurationControl(t.enum8):
    """SetEventConfiguration: which events the new configuration applies to."""

    Apply_By_List = 0x00
    Apply_By_Event_Group = 0x01
    Apply_By_Log_Type = 0x02
    Apply_By_Configuration_Match = 0x03


class EventIDConfiguration(t.Struct):
    """One ReportEventConfiguration entry."""

    event_id: t.uint16_t
    event_configuration: EventConfiguration


class SetEventConfigurationSchema(CommandSchema):
    """SetEventConfiguration: the payload after configuration_control depends on it."""

    issuer_event_id: t.uint32_t
    start_date_time: t.UTCTime
    event_configuration: EventConfiguration
    configuration_control: ConfigurationControl
    number_of_events: t.uint8_t = t.StructField(
        requires=lambda s: s.configuration_control == ConfigurationControl.Apply_By_List
    )
    event_ids: t.List[t.uint16_t] = t.StructField(
        requires=lambda s: s.configuration_control == ConfigurationControl.Apply_By_List,
        length=lambda s: s.number_of_events,
    )
    event_group_id: t.uint16_t = t.StructField(
        requires=lambda s: s.configuration_control == ConfigurationControl.Apply_By_Event_Group
    )
    log_id: LogID = t.StructField(
        requires=lambda s: s.configuration_control == ConfigurationControl.Apply_By_Log_Type
    )
    configuration_value_match: EventConfiguration = t.StructField(
        requires=lambda s: (
            s.configuration_control == ConfigurationControl.Apply_By_Configuration_Match
        )
    )


# ---------------------------------------------------------------------------------------
# Attributes
# ---------------------------------------------------------------------------------------


class DeviceManagementAttributeDefs(BaseAttributeDefs):
    """Server attributes: supplier (0x01xx), tenancy (0x02xx), backhaul (0x03xx), HAN (0x04xx)."""

    change_of_tenancy_update_date_time: Final = ZCLAttributeDef(
        id=0x0200, type=t.UTCTime, access="r"
    )
    proposed_tenancy_change_control: Final = ZCLAttributeDef(
        id=0x0201, type=ProposedTenancyChangeControl, zcl_type=DataTypeId.map32, access="r"
    )
    wan_status: Final = ZCLAttributeDef(id=0x0300, type=WANStatus, access="r")
    # HAN Control set. uint32 as we read SE 1.4 [unverified]: Wireshark decodes attribute
    # values by the frame's own type octet, so it does not confirm the type.
    low_medium_threshold: Final = ZCLAttributeDef(id=0x0400, type=t.uint32_t, access="r")
    medium_high_threshold: Final = ZCLAttributeDef(id=0x0401, type=t.uint32_t, access="r")


def _supplier_set(prefix: str, first_id: int, proposed: bool) -> list[tuple[str, int, type]]:
    """One supplier block: id, name, contact details (and, for a proposed supplier, when
    the change happens and what it does). Ids from SE 1.4 / Wireshark."""
    entries: list[tuple[str, int, type]] = [
        (f"{prefix}provider_id", first_id, t.uint32_t),
        (f"{prefix}provider_name", first_id + 1, ProviderName),
    ]
    if proposed:
        entries += [
            (f"{prefix}provider_change_date_time", first_id + 2, t.UTCTime),
            (f"{prefix}provider_change_control", first_id + 3, t.bitmap32),
            (f"{prefix}provider_contact_details", first_id + 4, ProviderContactDetails),
        ]
    else:
        entries.append((f"{prefix}provider_contact_details", first_id + 2, ProviderContactDetails))
    return entries


add_attributes(
    DeviceManagementAttributeDefs,
    _supplier_set("", 0x0100, proposed=False)
    + _supplier_set("proposed_", 0x0110, proposed=True)
    + _supplier_set("received_", 0x0120, proposed=False)
    + _supplier_set("received_proposed_", 0x0130, proposed=True),
)
add_common_se_attributes(DeviceManagementAttributeDefs)


class DeviceManagementClientAttributeDefs(BaseAttributeDefs):
    """Attributes of the Device Management *client* (e.g. on an IHD), kept apart like
    Price's: they live on the other side of the cluster."""

    provider_id: Final = ZCLAttributeDef(id=0x0000, name="provider_id", type=t.uint32_t, access="r")
    received_provider_id: Final = ZCLAttributeDef(
        id=0x0010, name="received_provider_id", type=t.uint32_t, access="r"
    )


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


class DeviceManagementServerCommandDefs(BaseCommandDefs):
    """Client -> server: requests from an IHD or installer tool to the meter."""

    get_change_of_tenancy: Final = ZCLCommandDef(id=0x00, schema={})
    get_change_of_supplier: Final = ZCLCommandDef(id=0x01, schema={})
    request_new_password: Final = ZCLCommandDef(id=0x02, schema={"password_type": PasswordType})
    get_site_id: Final = ZCLCommandDef(id=0x03, schema={})
    # The answer to the server's GetEventConfiguration; entries run to the end of the frame.
    report_event_configuration: Final = ZCLCommandDef(
        id=0x04,
        schema={
            "command_index": t.uint8_t,
            "total_commands": t.uint8_t,
            "event_configuration_payload": t.List[EventIDConfiguration],
        },
    )
    get_cin: Final = ZCLCommandDef(id=0x05, schema={})


class DeviceManagementClientCommandDefs(BaseCommandDefs):
    """Server -> client: the meter telling HAN devices about suppliers, tenancy and settings."""

    publish_change_of_tenancy: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "tariff_type": TariffType,
            "implementation_date_time": t.UTCTime,
            "proposed_tenancy_change_control": ProposedTenancyChangeControl,
        },
    )
    publish_change_of_supplier: Final = ZCLCommandDef(
        id=0x01,
        schema={
            "current_provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "tariff_type": TariffType,
            "proposed_provider_id": t.uint32_t,
            "provider_change_implementation_time": t.UTCTime,
            # Wireshark shows it as a plain number; SE 1.4 reuses the tenancy bit meanings.
            "provider_change_control": t.bitmap32,
            "proposed_provider_name": ProviderName,
            "proposed_provider_contact_details": ProviderContactDetails,
        },
    )
    request_new_password_response: Final = ZCLCommandDef(
        id=0x02,
        schema={
            "issuer_event_id": t.uint32_t,
            "implementation_date_time": t.UTCTime,
            "duration_in_minutes": t.uint16_t,
            "password_type": PasswordType,
            "password": t.LVBytes,
        },
    )
    update_site_id: Final = ZCLCommandDef(
        id=0x03,
        schema={
            "issuer_event_id": t.uint32_t,
            "site_id_time": t.UTCTime,
            "provider_id": t.uint32_t,
            "site_id": SiteID,  # GB: the MPAN or MPRN
        },
    )
    set_event_configuration: Final = ZCLCommandDef(id=0x04, schema=SetEventConfigurationSchema)
    get_event_configuration: Final = ZCLCommandDef(id=0x05, schema={"event_id": t.uint16_t})
    update_cin: Final = ZCLCommandDef(
        id=0x06,
        schema={
            "issuer_event_id": t.uint32_t,
            "implementation_time": t.UTCTime,
            "provider_id": t.uint32_t,
            "customer_id_number": CustomerIDNumber,
        },
    )


class DeviceManagement(zigpy_se.DeviceManagement):
    """Device Management 0x0708, ep_attribute "smartenergy_device_management" (zigpy's)."""

    _skip_registry = True  # zigpy uses it once device_backend.zcl.register_clusters() is called

    ProposedTenancyChangeControl: Final = ProposedTenancyChangeControl
    EventConfiguration: Final = EventConfiguration
    ConfigurationControl: Final = ConfigurationControl
    PasswordType: Final = PasswordType

    AttributeDefs = DeviceManagementAttributeDefs
    ClientAttributeDefs = DeviceManagementClientAttributeDefs
    ServerCommandDefs = DeviceManagementServerCommandDefs
    ClientCommandDefs = DeviceManagementClientCommandDefs

"""The Smart Energy Calendar cluster (0x0707): *when* each price tier applies.

A GB gas tariff change (GBCS use cases GCS01a/b) publishes a calendar in five parts: the
calendar itself, its day profiles (a day's switch times and tiers), week profiles (a day
profile for each weekday), seasons (the date each week profile starts) and special days (bank
holidays and the like, each pointing at a day profile).

Field order and types: ZigBee Smart Energy 1.4 (07-5356-21) annex D.9, checked field by field
against Wireshark's dissector (epan/dissectors/packet-zbee-zcl-se.c, section "(0x0707) CALENDAR
CLUSTER"). Where they differ, what we chose is said at the field.
"""

from __future__ import annotations

from typing import Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy as zigpy_se
from zigpy.zcl.foundation import (
    BaseAttributeDefs,
    BaseCommandDefs,
    CommandSchema,
    ZCLCommandDef,
)

from device_backend.zcl.se_types import Label12, add_attributes, add_common_se_attributes

# AuxiliarySwitchNLabel: an octet string of at most 23 octets (SE 1.4 D.9.2.2.1).
Label23: Final = t.LimitedLVBytes(23)


class CalendarType(t.enum8):
    """What a calendar's schedule entries switch (SE 1.4 table D-149)."""

    Delivered = 0x00
    Received = 0x01
    Delivered_And_Received = 0x02
    Friendly_Credit = 0x03
    Auxiliary_Load_Switch = 0x04


#: Calendar types whose day schedule entries carry a price tier.
RATE_CALENDAR_TYPES: Final = (
    CalendarType.Delivered,
    CalendarType.Received,
    CalendarType.Delivered_And_Received,
)


class CalendarTimeReference(t.enum8):
    """Which clock a calendar's times follow; GB calendars use local time (BST in summer)."""

    UTC_Time = 0x00
    Standard_Time = 0x01
    Local_Time = 0x02


class AuxiliarySwitchState(t.bitmap8):
    """One bit per auxiliary load switch, set = on (SE 1.4 D.9.2.4.2.2)."""

    Switch_1 = 0x01
    Switch_2 = 0x02
    Switch_3 = 0x04
    Switch_4 = 0x08
    Switch_5 = 0x10
    Switch_6 = 0x20
    Switch_7 = 0x40
    Switch_8 = 0x80


# ---------------------------------------------------------------------------------------
# Repeated sub-payloads
# ---------------------------------------------------------------------------------------
# A day schedule entry is a start time (minutes after midnight) and one octet whose meaning
# depends on the calendar type of the PublishDayProfile carrying it.


class RateStartTime(t.Struct):
    """Delivered/received calendars: from start_time on, price_tier applies (tier 1 = 1)."""

    start_time: t.uint16_t  # minutes after midnight, 0..1439
    price_tier: t.uint8_t


class FriendlyCreditStartTime(t.Struct):
    start_time: t.uint16_t
    friendly_credit_enable: t.Bool


class AuxiliaryLoadStartTime(t.Struct):
    start_time: t.uint16_t
    auxiliary_load_switch_state: AuxiliarySwitchState


class SeasonEntry(t.Struct):
    """A season starts on a date and follows one week profile until the next season."""

    season_start_date: t.Date  # ZCL date: years since 1900, month, day, weekday (0xFF = any)
    week_id_ref: t.uint8_t


class SpecialDayEntry(t.Struct):
    """A date (e.g. a bank holiday) that follows a day profile instead of its week's."""

    special_day_date: t.Date
    day_id_ref: t.uint8_t


class PublishDayProfileSchema(CommandSchema):
    """PublishDayProfile: the entries' second octet depends on calendar_type.

    The entries run to the end of the frame: a day with many switch times is split over
    several commands (command_index of total_number_of_commands), so
    total_number_of_schedule_entries counts them across all parts, not in this frame
    (Wireshark reads the lesser of the count and what the frame holds). A calendar type
    SE 1.4 does not define is kept as raw bytes, as PublishPrepaySnapshot does.
    """

    provider_id: t.uint32_t
    issuer_event_id: t.uint32_t
    issuer_calendar_id: t.uint32_t
    day_id: t.uint8_t
    total_number_of_schedule_entries: t.uint8_t
    command_index: t.uint8_t
    total_number_of_commands: t.uint8_t
    calendar_type: CalendarType
    rate_entries: t.List[RateStartTime] = t.StructField(
        requires=lambda s: s.calendar_type in RATE_CALENDAR_TYPES
    )
    friendly_credit_entries: t.List[FriendlyCreditStartTime] = t.StructField(
        requires=lambda s: s.calendar_type == CalendarType.Friendly_Credit
    )
    auxiliary_load_entries: t.List[AuxiliaryLoadStartTime] = t.StructField(
        requires=lambda s: s.calendar_type == CalendarType.Auxiliary_Load_Switch
    )
    schedule_entries: t.Bytes = t.StructField(
        requires=lambda s: s.calendar_type is not None and s.calendar_type > 0x04
    )


# ---------------------------------------------------------------------------------------
# Attributes
# ---------------------------------------------------------------------------------------


class CalendarAttributeDefs(BaseAttributeDefs):
    """Server attributes: only the Auxiliary Switch Label set (0x0000-0x0007), added below."""


add_attributes(
    CalendarAttributeDefs,
    [(f"aux_switch{n}_label", 0x0000 + n - 1, Label23) for n in range(1, 9)],
    access="rw",  # SE 1.4: read/write, so a supplier can name the switches
)
add_common_se_attributes(CalendarAttributeDefs)


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


class CalendarServerCommandDefs(BaseCommandDefs):
    """Client -> server: an IHD asking the meter for its calendars."""

    get_calendar: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "earliest_start_time": t.UTCTime,  # 0 = now
            "min_issuer_event_id": t.uint32_t,  # 0xFFFFFFFF = any
            "number_of_calendars": t.uint8_t,  # 0 = all
            "calendar_type": CalendarType,  # 0xFF = any
            "provider_id": t.uint32_t,  # 0xFFFFFFFF = any
        },
    )
    get_day_profiles: Final = ZCLCommandDef(
        id=0x01,
        schema={
            "provider_id": t.uint32_t,
            "issuer_calendar_id": t.uint32_t,
            "start_day_id": t.uint8_t,
            "number_of_days": t.uint8_t,  # 0 = all from start_day_id
        },
    )
    get_week_profiles: Final = ZCLCommandDef(
        id=0x02,
        schema={
            "provider_id": t.uint32_t,
            "issuer_calendar_id": t.uint32_t,
            "start_week_id": t.uint8_t,
            "number_of_weeks": t.uint8_t,
        },
    )
    get_seasons: Final = ZCLCommandDef(
        id=0x03, schema={"provider_id": t.uint32_t, "issuer_calendar_id": t.uint32_t}
    )
    get_special_days: Final = ZCLCommandDef(
        id=0x04,
        schema={
            "start_time": t.UTCTime,
            "number_of_events": t.uint8_t,
            "calendar_type": CalendarType,
            "provider_id": t.uint32_t,
            "issuer_calendar_id": t.uint32_t,
        },
    )
    get_calendar_cancellation: Final = ZCLCommandDef(id=0x05, schema={})  # answered by 0x05


class CalendarClientCommandDefs(BaseCommandDefs):
    """Server -> client: the meter publishing its calendars."""

    publish_calendar: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "issuer_calendar_id": t.uint32_t,
            "start_time": t.UTCTime,  # 0 = now
            "calendar_type": CalendarType,
            "calendar_time_reference": CalendarTimeReference,
            "calendar_name": Label12,
            "number_of_seasons": t.uint8_t,
            "number_of_week_profiles": t.uint8_t,
            "number_of_day_profiles": t.uint8_t,
        },
    )
    publish_day_profile: Final = ZCLCommandDef(id=0x01, schema=PublishDayProfileSchema)
    publish_week_profile: Final = ZCLCommandDef(
        id=0x02,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "issuer_calendar_id": t.uint32_t,
            "week_id": t.uint8_t,
            "day_id_ref_monday": t.uint8_t,
            "day_id_ref_tuesday": t.uint8_t,
            "day_id_ref_wednesday": t.uint8_t,
            "day_id_ref_thursday": t.uint8_t,
            "day_id_ref_friday": t.uint8_t,
            "day_id_ref_saturday": t.uint8_t,
            "day_id_ref_sunday": t.uint8_t,
        },
    )
    publish_seasons: Final = ZCLCommandDef(
        id=0x03,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "issuer_calendar_id": t.uint32_t,
            "command_index": t.uint8_t,
            "total_number_of_commands": t.uint8_t,
            "season_entries": t.List[SeasonEntry],  # no count field: to the end of the frame
        },
    )
    publish_special_days: Final = ZCLCommandDef(
        id=0x04,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "issuer_calendar_id": t.uint32_t,
            "start_time": t.UTCTime,
            "calendar_type": CalendarType,
            # Counts the special days across all the command's parts, like a day profile's
            # total_number_of_schedule_entries, so the entries run to the end of the frame.
            "total_number_of_special_days": t.uint8_t,
            "command_index": t.uint8_t,
            "total_number_of_commands": t.uint8_t,
            "special_day_entries": t.List[SpecialDayEntry],
        },
    )
    cancel_calendar: Final = ZCLCommandDef(
        id=0x05,
        schema={
            "provider_id": t.uint32_t,
            "issuer_calendar_id": t.uint32_t,
            "calendar_type": CalendarType,
        },
    )


class Calendar(zigpy_se.Calendar):
    """Calendar 0x0707, ep_attribute "smartenergy_calendar" (inherited from zigpy's stub)."""

    _skip_registry = True  # zigpy uses it once device_backend.zcl.register_clusters() is called

    CalendarType: Final = CalendarType
    CalendarTimeReference: Final = CalendarTimeReference

    AttributeDefs = CalendarAttributeDefs
    ServerCommandDefs = CalendarServerCommandDefs
    ClientCommandDefs = CalendarClientCommandDefs

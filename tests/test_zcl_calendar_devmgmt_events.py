"""Calendar (0x0707), Device Management (0x0708) and Events (0x0709): byte-exact frames.

Every command of the three clusters, both directions, as a frame written out by hand from the
field tables of Smart Energy 1.4 annexes D.9-D.11 (field order checked against Wireshark's
packet-zbee-zcl-se.c); none of the bytes come from the code under test. Conventions as in
test_zcl_frames.py: little-endian, times in seconds since 2000-01-01 UTC (2024-01-01 00:00 =
0x2D24BD00, 07:30 = 0x2D252678, 2026-03-29 01:00 = 0x315B3610), header = frame control, TSN,
command id; 0x19 = server to client without default response, 0x01 = client to server.
ZCL dates are four octets: years since 1900, month, day of month, ISO weekday (1 = Monday).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import pytest
import zigpy.device
import zigpy.types as t
from zigpy.zcl import Cluster

from device_backend.installer.clusters import ClusterTools, parse_value
from device_backend.zcl import (
    SE_CLUSTERS,
    Calendar,
    DeviceManagement,
    Events,
    Metering,
    ids,
    register_clusters,
)
from device_backend.zcl.calendar import (
    CalendarType,
    FriendlyCreditStartTime,
    RateStartTime,
    SeasonEntry,
    SpecialDayEntry,
)
from device_backend.zcl.device_management import (
    ConfigurationControl,
    EventConfiguration,
    EventIDConfiguration,
    EventLogging,
    ProposedTenancyChangeControl,
)
from device_backend.zcl.events import ClearedEventsLogs, EventLogEntry, LogID
from device_backend.zcl.profile import SMART_ENERGY_PROFILE_ID
from tests.support.zcl_frames import C2S, S2C, T0, T1, check_frame, hexbytes


@pytest.fixture(autouse=True, scope="module")
def _our_clusters_registered() -> None:
    register_clusters()  # as the facade does before zigpy sees a frame


PROVIDER = 0x12345678
CALENDAR_ID = 7
T_BST = 0x315B3610  # 2026-03-29 01:00 UTC, when GB clocks go forward: a future-dated change


def date(year: int, month: int, day: int, weekday: int) -> t.Date:
    return t.Date(years_since_1900=year - 1900, month=month, day=day, day_of_week=weekday)


# ---------------------------------------------------------------------------------------
# Registration and ids
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "cluster_id", "ep_attribute"),
    [
        (Calendar, ids.CALENDAR, "smartenergy_calendar"),
        (DeviceManagement, ids.DEVICE_MANAGEMENT, "smartenergy_device_management"),
        (Events, ids.EVENTS, "smartenergy_events"),
    ],
)
def test_zigpy_builds_our_classes(cls: type[Cluster], cluster_id: int, ep_attribute: str) -> None:
    assert (cls.cluster_id, cls.ep_attribute) == (cluster_id, ep_attribute)
    assert SE_CLUSTERS[cluster_id] is cls
    assert type(Cluster.from_id(MagicMock(), cluster_id)) is cls
    assert ids.GB_SCHEDULE_AND_ADMIN_CLUSTERS == (0x0707, 0x0708, 0x0709)


def test_command_ids_and_counts() -> None:
    def names(defs: Any) -> dict[str, int]:
        return {c.name: c.id for c in defs}

    assert names(Calendar.ClientCommandDefs) == {
        "publish_calendar": 0,
        "publish_day_profile": 1,
        "publish_week_profile": 2,
        "publish_seasons": 3,
        "publish_special_days": 4,
        "cancel_calendar": 5,
    }
    assert names(Calendar.ServerCommandDefs) == {
        "get_calendar": 0,
        "get_day_profiles": 1,
        "get_week_profiles": 2,
        "get_seasons": 3,
        "get_special_days": 4,
        "get_calendar_cancellation": 5,
    }
    assert names(DeviceManagement.ClientCommandDefs) == {
        "publish_change_of_tenancy": 0,
        "publish_change_of_supplier": 1,
        "request_new_password_response": 2,
        "update_site_id": 3,
        "set_event_configuration": 4,
        "get_event_configuration": 5,
        "update_cin": 6,
    }
    assert names(DeviceManagement.ServerCommandDefs) == {
        "get_change_of_tenancy": 0,
        "get_change_of_supplier": 1,
        "request_new_password": 2,
        "get_site_id": 3,
        "report_event_configuration": 4,
        "get_cin": 5,
    }
    assert names(Events.ServerCommandDefs) == {"get_event_log": 0, "clear_event_log_request": 1}
    assert names(Events.ClientCommandDefs) == {
        "publish_event": 0,
        "publish_event_log": 1,
        "clear_event_log_response": 2,
    }


# ---------------------------------------------------------------------------------------
# Calendar, server to client
# ---------------------------------------------------------------------------------------


def test_publish_calendar() -> None:
    expected = hexbytes("""
    19 10 00        # header; PublishCalendar
    78 56 34 12     # ProviderId
    01 00 00 00     # IssuerEventId 1
    07 00 00 00     # IssuerCalendarId 7
    10 36 5B 31     # StartTime 2026-03-29 01:00 UTC
    00              # CalendarType: delivered
    02              # CalendarTimeReference: local time
    08 45 63 6F 6E 6F 6D 79 37  # CalendarName "Economy7"
    02              # NumberOfSeasons
    02              # NumberOfWeekProfiles
    03              # NumberOfDayProfiles
    """)
    parsed = check_frame(
        Calendar,
        Calendar.ClientCommandDefs.publish_calendar,
        S2C,
        expected,
        provider_id=PROVIDER,
        issuer_event_id=1,
        issuer_calendar_id=CALENDAR_ID,
        start_time=T_BST,
        calendar_type=CalendarType.Delivered,
        calendar_time_reference=Calendar.CalendarTimeReference.Local_Time,
        calendar_name=b"Economy7",
        number_of_seasons=2,
        number_of_week_profiles=2,
        number_of_day_profiles=3,
    )
    assert parsed.calendar_type is CalendarType.Delivered
    assert parsed.calendar_name == b"Economy7"


DAY_PROFILE_HEADER = """
78 56 34 12     # ProviderId
02 00 00 00     # IssuerEventId 2
07 00 00 00     # IssuerCalendarId 7
01              # DayId 1
03              # TotalNumberOfScheduleEntries 3
00              # CommandIndex 0
01              # TotalNumberOfCommands 1
"""
DAY_PROFILE_FIELDS: dict[str, Any] = dict(
    provider_id=PROVIDER,
    issuer_event_id=2,
    issuer_calendar_id=CALENDAR_ID,
    day_id=1,
    total_number_of_schedule_entries=3,
    command_index=0,
    total_number_of_commands=1,
)


def test_publish_day_profile_with_rate_start_times() -> None:
    # An Economy 7 day: tier 1 from midnight, tier 2 (night) 00:30-07:30, tier 1 again.
    expected = hexbytes(
        "19 11 01  # header; PublishDayProfile"
        + DAY_PROFILE_HEADER
        + """
        00              # CalendarType: delivered
        00 00 01        # 00:00 (minute 0), tier 1
        1E 00 02        # 00:30 (minute 30), tier 2
        C2 01 01        # 07:30 (minute 450 = 0x01C2), tier 1
        """
    )
    parsed = check_frame(
        Calendar,
        Calendar.ClientCommandDefs.publish_day_profile,
        S2C,
        expected,
        **DAY_PROFILE_FIELDS,
        calendar_type=CalendarType.Delivered,
        rate_entries=[
            RateStartTime(start_time=0, price_tier=1),
            RateStartTime(start_time=30, price_tier=2),
            RateStartTime(start_time=450, price_tier=1),
        ],
    )
    assert [e.start_time for e in parsed.rate_entries] == [0, 30, 450]
    assert parsed.friendly_credit_entries is None
    assert parsed.schedule_entries is None


def test_publish_day_profile_with_friendly_credit_times() -> None:
    expected = hexbytes(
        "19 12 01"
        + DAY_PROFILE_HEADER.replace("03              # Total", "02              # Total")
        + """
        03              # CalendarType: friendly credit
        00 00 00        # 00:00 friendly credit off
        F0 00 01        # 04:00 (minute 240 = 0xF0) friendly credit on
        """
    )
    fields = dict(DAY_PROFILE_FIELDS, total_number_of_schedule_entries=2)
    parsed = check_frame(
        Calendar,
        Calendar.ClientCommandDefs.publish_day_profile,
        S2C,
        expected,
        **fields,
        calendar_type=CalendarType.Friendly_Credit,
        friendly_credit_entries=[
            FriendlyCreditStartTime(start_time=0, friendly_credit_enable=False),
            FriendlyCreditStartTime(start_time=240, friendly_credit_enable=True),
        ],
    )
    assert parsed.friendly_credit_entries[1].friendly_credit_enable is t.Bool.true
    assert parsed.rate_entries is None


def test_publish_day_profile_with_auxiliary_switch_times() -> None:
    expected = hexbytes(
        "19 13 01"
        + DAY_PROFILE_HEADER.replace("03              # Total", "01              # Total")
        + """
        04              # CalendarType: auxiliary load switch
        A4 01 05        # 07:00 (minute 420 = 0x01A4): switches 1 and 3 on
        """
    )
    parsed = Calendar(MagicMock()).deserialize(expected)[1]
    assert parsed.calendar_type is CalendarType.Auxiliary_Load_Switch
    assert parsed.auxiliary_load_entries[0].start_time == 420
    state = parsed.auxiliary_load_entries[0].auxiliary_load_switch_state
    assert state == 0x05
    assert parsed.serialize() == expected[3:]


def test_publish_day_profile_of_an_unknown_calendar_type_keeps_the_octets() -> None:
    expected = hexbytes("19 14 01" + DAY_PROFILE_HEADER + "09  00 00 01 1E 00 02")
    parsed = Calendar(MagicMock()).deserialize(expected)[1]
    assert parsed.rate_entries is None
    assert parsed.schedule_entries == bytes.fromhex("000001 1E0002")
    assert parsed.serialize() == expected[3:]


def test_publish_week_profile() -> None:
    expected = hexbytes("""
    19 15 02        # header; PublishWeekProfile
    78 56 34 12     # ProviderId
    03 00 00 00     # IssuerEventId 3
    07 00 00 00     # IssuerCalendarId 7
    01              # WeekId 1
    01 01 01 01 01  # Monday..Friday: day profile 1
    02 02           # Saturday, Sunday: day profile 2
    """)
    check_frame(
        Calendar,
        Calendar.ClientCommandDefs.publish_week_profile,
        S2C,
        expected,
        provider_id=PROVIDER,
        issuer_event_id=3,
        issuer_calendar_id=CALENDAR_ID,
        week_id=1,
        day_id_ref_monday=1,
        day_id_ref_tuesday=1,
        day_id_ref_wednesday=1,
        day_id_ref_thursday=1,
        day_id_ref_friday=1,
        day_id_ref_saturday=2,
        day_id_ref_sunday=2,
    )


def test_publish_seasons() -> None:
    expected = hexbytes("""
    19 16 03        # header; PublishSeasons
    78 56 34 12     # ProviderId
    04 00 00 00     # IssuerEventId 4
    07 00 00 00     # IssuerCalendarId 7
    00              # CommandIndex
    01              # TotalNumberOfCommands
    7E 04 01 03 01  # 2026-04-01 (126 years after 1900, a Wednesday): week profile 1
    7E 0A 01 04 02  # 2026-10-01 (a Thursday): week profile 2
    """)
    parsed = check_frame(
        Calendar,
        Calendar.ClientCommandDefs.publish_seasons,
        S2C,
        expected,
        provider_id=PROVIDER,
        issuer_event_id=4,
        issuer_calendar_id=CALENDAR_ID,
        command_index=0,
        total_number_of_commands=1,
        season_entries=[
            SeasonEntry(season_start_date=date(2026, 4, 1, 3), week_id_ref=1),
            SeasonEntry(season_start_date=date(2026, 10, 1, 4), week_id_ref=2),
        ],
    )
    assert parsed.season_entries[1].season_start_date.year == 2026


def test_publish_special_days_england_and_wales_christmas_2026() -> None:
    expected = hexbytes("""
    19 17 04        # header; PublishSpecialDays
    78 56 34 12     # ProviderId
    05 00 00 00     # IssuerEventId 5
    07 00 00 00     # IssuerCalendarId 7
    00 BD 24 2D     # StartTime 2024-01-01 00:00
    00              # CalendarType: delivered
    02              # TotalNumberOfSpecialDays
    00              # CommandIndex
    01              # TotalNumberOfCommands
    7E 0C 19 05 03  # 2026-12-25, a Friday: day profile 3
    7E 0C 1C 01 03  # 2026-12-28, Monday (Boxing Day substitute): day profile 3
    """)
    parsed = check_frame(
        Calendar,
        Calendar.ClientCommandDefs.publish_special_days,
        S2C,
        expected,
        provider_id=PROVIDER,
        issuer_event_id=5,
        issuer_calendar_id=CALENDAR_ID,
        start_time=T0,
        calendar_type=CalendarType.Delivered,
        total_number_of_special_days=2,
        command_index=0,
        total_number_of_commands=1,
        special_day_entries=[
            SpecialDayEntry(special_day_date=date(2026, 12, 25, 5), day_id_ref=3),
            SpecialDayEntry(special_day_date=date(2026, 12, 28, 1), day_id_ref=3),
        ],
    )
    assert [e.special_day_date.day for e in parsed.special_day_entries] == [25, 28]


def test_cancel_calendar() -> None:
    expected = hexbytes("""
    19 18 05        # header; CancelCalendar
    78 56 34 12     # ProviderId
    07 00 00 00     # IssuerCalendarId 7
    00              # CalendarType: delivered
    """)
    check_frame(
        Calendar,
        Calendar.ClientCommandDefs.cancel_calendar,
        S2C,
        expected,
        provider_id=PROVIDER,
        issuer_calendar_id=CALENDAR_ID,
        calendar_type=CalendarType.Delivered,
    )


# ---------------------------------------------------------------------------------------
# Calendar, client to server
# ---------------------------------------------------------------------------------------


def test_get_calendar() -> None:
    expected = hexbytes("""
    01 20 00        # header: client to server; GetCalendar
    00 00 00 00     # EarliestStartTime 0 = now
    FF FF FF FF     # MinIssuerEventId: any
    00              # NumberOfCalendars 0 = all
    00              # CalendarType: delivered
    78 56 34 12     # ProviderId
    """)
    check_frame(
        Calendar,
        Calendar.ServerCommandDefs.get_calendar,
        C2S,
        expected,
        earliest_start_time=0,
        min_issuer_event_id=0xFFFFFFFF,
        number_of_calendars=0,
        calendar_type=CalendarType.Delivered,
        provider_id=PROVIDER,
    )


def test_get_day_profiles() -> None:
    expected = hexbytes("01 21 01  78 56 34 12  07 00 00 00  01  00")
    check_frame(
        Calendar,
        Calendar.ServerCommandDefs.get_day_profiles,
        C2S,
        expected,
        provider_id=PROVIDER,
        issuer_calendar_id=CALENDAR_ID,
        start_day_id=1,
        number_of_days=0,
    )


def test_get_week_profiles() -> None:
    expected = hexbytes("01 22 02  78 56 34 12  07 00 00 00  01  02")
    check_frame(
        Calendar,
        Calendar.ServerCommandDefs.get_week_profiles,
        C2S,
        expected,
        provider_id=PROVIDER,
        issuer_calendar_id=CALENDAR_ID,
        start_week_id=1,
        number_of_weeks=2,
    )


def test_get_seasons() -> None:
    expected = hexbytes("01 23 03  78 56 34 12  07 00 00 00")
    check_frame(
        Calendar,
        Calendar.ServerCommandDefs.get_seasons,
        C2S,
        expected,
        provider_id=PROVIDER,
        issuer_calendar_id=CALENDAR_ID,
    )


def test_get_special_days() -> None:
    expected = hexbytes("""
    01 24 04        # header; GetSpecialDays
    00 BD 24 2D     # StartTime 2024-01-01 00:00
    00              # NumberOfEvents 0 = all
    00              # CalendarType: delivered
    78 56 34 12     # ProviderId
    07 00 00 00     # IssuerCalendarId
    """)
    check_frame(
        Calendar,
        Calendar.ServerCommandDefs.get_special_days,
        C2S,
        expected,
        start_time=T0,
        number_of_events=0,
        calendar_type=CalendarType.Delivered,
        provider_id=PROVIDER,
        issuer_calendar_id=CALENDAR_ID,
    )


def test_get_calendar_cancellation_has_no_payload() -> None:
    check_frame(
        Calendar, Calendar.ServerCommandDefs.get_calendar_cancellation, C2S, hexbytes("01 25 05")
    )


# ---------------------------------------------------------------------------------------
# Device Management, server to client
# ---------------------------------------------------------------------------------------


def test_publish_change_of_tenancy() -> None:
    expected = hexbytes("""
    19 30 00        # header; PublishChangeOfTenancy
    78 56 34 12     # ProviderId
    10 00 00 00     # IssuerEventId 0x10
    00              # TariffType: delivered
    78 26 25 2D     # ImplementationDateTime 2024-01-01 07:30
    03 1A 00 00     # ProposedTenancyChangeControl 0x00001A03: pre- and post-snapshots (bits 0,
                    # 1), clear IHD data (consumer) (bit 9), contactor unchanged (bits 11-12 = 3)
    """)
    control = ProposedTenancyChangeControl(
        pre_snapshots=1,
        post_snapshots=1,
        reset_credit_register=0,
        reset_debit_register=0,
        reset_billing_period=0,
        clear_tariff_plan=0,
        clear_standing_charge=0,
        block_historical_load_profile_information=0,
        clear_historical_load_profile_information=0,
        clear_ihd_data_consumer=1,
        clear_ihd_data_supplier=0,
        meter_contactor_state=3,
        clear_transaction_log=0,
        clear_prepayment_data=0,
    )
    assert int(control) == 0x1A03
    parsed = check_frame(
        DeviceManagement,
        DeviceManagement.ClientCommandDefs.publish_change_of_tenancy,
        S2C,
        expected,
        provider_id=PROVIDER,
        issuer_event_id=0x10,
        tariff_type=0,
        implementation_date_time=T1,
        proposed_tenancy_change_control=control,
    )
    decoded = parsed.proposed_tenancy_change_control
    assert decoded.clear_ihd_data_consumer == 1
    assert decoded.clear_ihd_data_supplier == 0
    assert decoded.meter_contactor_state.name == "Supply_Unchanged"


def test_publish_change_of_supplier() -> None:
    expected = hexbytes("""
    19 31 01        # header; PublishChangeOfSupplier
    78 56 34 12     # CurrentProviderId
    11 00 00 00     # IssuerEventId
    00              # TariffType: delivered
    21 43 65 87     # ProposedProviderId 0x87654321
    78 26 25 2D     # ProviderChangeImplementationTime 2024-01-01 07:30
    00 00 00 00     # ProviderChangeControl
    05 4E 65 77 43 6F                          # ProposedProviderName "NewCo"
    0C 30 38 30 30 20 31 32 33 20 34 35 36     # ContactDetails "0800 123 456"
    """)
    check_frame(
        DeviceManagement,
        DeviceManagement.ClientCommandDefs.publish_change_of_supplier,
        S2C,
        expected,
        current_provider_id=PROVIDER,
        issuer_event_id=0x11,
        tariff_type=0,
        proposed_provider_id=0x87654321,
        provider_change_implementation_time=T1,
        provider_change_control=0,
        proposed_provider_name=b"NewCo",
        proposed_provider_contact_details=b"0800 123 456",
    )


def test_request_new_password_response() -> None:
    expected = hexbytes("""
    19 32 02        # header; RequestNewPasswordResponse
    12 00 00 00     # IssuerEventId
    00 BD 24 2D     # ImplementationDateTime
    3C 00           # DurationInMinutes 60
    01              # PasswordType: password 1
    04 31 32 33 34  # Password "1234"
    """)
    check_frame(
        DeviceManagement,
        DeviceManagement.ClientCommandDefs.request_new_password_response,
        S2C,
        expected,
        issuer_event_id=0x12,
        implementation_date_time=T0,
        duration_in_minutes=60,
        password_type=DeviceManagement.PasswordType.Password_1,
        password=b"1234",
    )


def test_update_site_id() -> None:
    expected = hexbytes("""
    19 33 03        # header; UpdateSiteID
    13 00 00 00     # IssuerEventId
    00 BD 24 2D     # SiteIdTime
    78 56 34 12     # ProviderId
    0D 31 32 30 30 30 31 32 33 34 35 36 37 38  # SiteID "1200012345678" (13-digit MPAN core)
    """)
    check_frame(
        DeviceManagement,
        DeviceManagement.ClientCommandDefs.update_site_id,
        S2C,
        expected,
        issuer_event_id=0x13,
        site_id_time=T0,
        provider_id=PROVIDER,
        site_id=b"1200012345678",
    )


SET_EVENT_CONFIGURATION_HEADER = """
19 34 04        # header; SetEventConfiguration
14 00 00 00     # IssuerEventId
00 BD 24 2D     # StartDateTime
11              # EventConfiguration: log as tamper (bits 0-2 = 1), push to HAN (0x10)
"""
TAMPER_TO_HAN = EventConfiguration(
    logging=EventLogging.Log_As_Tamper,
    push_event_to_wan=0,
    push_event_to_han=1,
    raise_alarm_zigbee=0,
    raise_alarm_physical=0,
)
SET_EVENT_CONFIGURATION_FIELDS: dict[str, Any] = dict(
    issuer_event_id=0x14, start_date_time=T0, event_configuration=TAMPER_TO_HAN
)


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        (
            "00  02  02 02  08 02",  # apply by list: 2 events, 0x0202 and 0x0208
            dict(
                configuration_control=ConfigurationControl.Apply_By_List,
                number_of_events=2,
                event_ids=[0x0202, 0x0208],
            ),
        ),
        (
            "01  00 02",  # apply by event group 0x0200 (metering events)
            dict(
                configuration_control=ConfigurationControl.Apply_By_Event_Group,
                event_group_id=0x0200,
            ),
        ),
        (
            "02  01",  # apply by log type: the tamper log
            dict(configuration_control=ConfigurationControl.Apply_By_Log_Type, log_id=1),
        ),
        (
            "03  11",  # apply to every event now configured 0x11
            dict(
                configuration_control=ConfigurationControl.Apply_By_Configuration_Match,
                configuration_value_match=TAMPER_TO_HAN,
            ),
        ),
    ],
    ids=["by-list", "by-event-group", "by-log-type", "by-configuration-match"],
)
def test_set_event_configuration(payload: str, fields: dict[str, Any]) -> None:
    expected = hexbytes(SET_EVENT_CONFIGURATION_HEADER + payload)
    parsed = check_frame(
        DeviceManagement,
        DeviceManagement.ClientCommandDefs.set_event_configuration,
        S2C,
        expected,
        **SET_EVENT_CONFIGURATION_FIELDS,
        **fields,
    )
    assert parsed.event_configuration.logging is EventLogging.Log_As_Tamper
    assert parsed.event_configuration.push_event_to_han == 1


def test_get_event_configuration() -> None:
    check_frame(
        DeviceManagement,
        DeviceManagement.ClientCommandDefs.get_event_configuration,
        S2C,
        hexbytes("19 35 05  08 02  # EventId 0x0208"),
        event_id=0x0208,
    )


def test_update_cin() -> None:
    expected = hexbytes("""
    19 36 06        # header; UpdateCIN
    15 00 00 00     # IssuerEventId
    00 BD 24 2D     # ImplementationTime
    78 56 34 12     # ProviderId
    04 30 30 30 31  # CustomerIdNumber "0001"
    """)
    check_frame(
        DeviceManagement,
        DeviceManagement.ClientCommandDefs.update_cin,
        S2C,
        expected,
        issuer_event_id=0x15,
        implementation_time=T0,
        provider_id=PROVIDER,
        customer_id_number=b"0001",
    )


# ---------------------------------------------------------------------------------------
# Device Management, client to server
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "frame"),
    [
        ("get_change_of_tenancy", "01 40 00"),
        ("get_change_of_supplier", "01 41 01"),
        ("get_site_id", "01 43 03"),
        ("get_cin", "01 45 05"),
    ],
)
def test_device_management_requests_without_payload(name: str, frame: str) -> None:
    check_frame(
        DeviceManagement, getattr(DeviceManagement.ServerCommandDefs, name), C2S, hexbytes(frame)
    )


def test_request_new_password() -> None:
    check_frame(
        DeviceManagement,
        DeviceManagement.ServerCommandDefs.request_new_password,
        C2S,
        hexbytes("01 42 02  02  # PasswordType: password 2"),
        password_type=DeviceManagement.PasswordType.Password_2,
    )


def test_report_event_configuration() -> None:
    expected = hexbytes("""
    01 44 04        # header; ReportEventConfiguration
    00              # CommandIndex
    01              # TotalCommands
    02 02 11        # event 0x0202: log as tamper, push to HAN
    08 02 03        # event 0x0208: log as general event, tell no one
    """)
    parsed = check_frame(
        DeviceManagement,
        DeviceManagement.ServerCommandDefs.report_event_configuration,
        C2S,
        expected,
        command_index=0,
        total_commands=1,
        event_configuration_payload=[
            EventIDConfiguration(event_id=0x0202, event_configuration=TAMPER_TO_HAN),
            EventIDConfiguration(event_id=0x0208, event_configuration=0x03),
        ],
    )
    second = parsed.event_configuration_payload[1].event_configuration
    assert second.logging is EventLogging.Log_As_General_Event
    assert second.push_event_to_han == 0


# ---------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------


def test_get_event_log() -> None:
    expected = hexbytes("""
    01 50 00        # header; GetEventLog
    16              # EventControl 1 (full information, bits 4-7) / LogID 6 (GBCS general)
    00 00           # EventId 0 = any
    00 BD 24 2D     # StartTime
    FF FF FF FF     # EndTime: no end
    00              # NumberOfEvents 0 = as many as fit
    00 00           # EventOffset
    """)
    parsed = check_frame(
        Events,
        Events.ServerCommandDefs.get_event_log,
        C2S,
        expected,
        event_control_log_id=0x16,
        event_id=0,
        start_time=T0,
        end_time=0xFFFFFFFF,
        number_of_events=0,
        event_offset=0,
    )
    assert parsed.event_control_log_id.log_id.name == "GBCS_General_Event_Log"
    assert parsed.event_control_log_id.event_control == 1


def test_clear_event_log_request() -> None:
    check_frame(
        Events,
        Events.ServerCommandDefs.clear_event_log_request,
        C2S,
        hexbytes("01 51 01  01  # LogID: tamper log"),
        log_id=LogID.Tamper_Log,
    )


def test_publish_event() -> None:
    expected = hexbytes("""
    19 52 00        # header; PublishEvent
    01              # LogID: tamper log
    08 02           # EventId 0x0208
    78 26 25 2D     # EventTime 2024-01-01 07:30
    00              # EventControl
    00              # EventData: empty octet string
    """)
    check_frame(
        Events,
        Events.ClientCommandDefs.publish_event,
        S2C,
        expected,
        log_id=LogID.Tamper_Log,
        event_id=0x0208,
        event_time=T1,
        event_control=0,
        event_data=b"",
    )


def test_publish_event_log() -> None:
    expected = hexbytes("""
    19 53 01        # header; PublishEventLog
    02 00           # TotalNumberOfMatchingEvents 2
    00              # CommandIndex
    01              # TotalCommands
    20              # 2 events here (bits 4-7), no more to come (bit 0 clear)
    01  08 02  00 BD 24 2D  00        # tamper log, event 0x0208, 2024-01-01 00:00, no data
    06  02 80  78 26 25 2D  02 AB CD  # GBCS general log, event 0x8002, 07:30, data AB CD
    """)
    parsed = check_frame(
        Events,
        Events.ClientCommandDefs.publish_event_log,
        S2C,
        expected,
        total_number_of_matching_events=2,
        command_index=0,
        total_commands=1,
        number_of_events_log_payload_control=0x20,
        log_payload=[
            EventLogEntry(log_id=LogID.Tamper_Log, event_id=0x0208, event_time=T0, event_data=b""),
            EventLogEntry(
                log_id=LogID.GBCS_General_Event_Log,
                event_id=0x8002,
                event_time=T1,
                event_data=b"\xab\xcd",
            ),
        ],
    )
    assert parsed.number_of_events_log_payload_control.number_of_events == 2
    assert parsed.number_of_events_log_payload_control.more_events == 0
    assert parsed.log_payload[1].event_data == b"\xab\xcd"


def test_clear_event_log_response() -> None:
    parsed = check_frame(
        Events,
        Events.ClientCommandDefs.clear_event_log_response,
        S2C,
        hexbytes("19 54 02  02  # ClearedEventsLogs: the tamper log"),
        cleared_events_logs=ClearedEventsLogs.Tamper_Log,
    )
    assert parsed.cleared_events_logs == ClearedEventsLogs.Tamper_Log


def test_every_command_of_the_three_clusters_has_a_frame_here() -> None:
    """A command added to a cluster later must get its hand-written frame in this file."""
    source = Path(__file__).read_text(encoding="utf-8")
    for cls in (Calendar, DeviceManagement, Events):
        for defs in (cls.ServerCommandDefs, cls.ClientCommandDefs):
            for command in defs:
                assert command.name in source, f"{cls.__name__}.{command.name} has no frame"


# ---------------------------------------------------------------------------------------
# Attributes
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "name", "attr_id", "zcl_type"),
    [
        (Calendar, "aux_switch1_label", 0x0000, 0x41),
        (Calendar, "aux_switch8_label", 0x0007, 0x41),
        (DeviceManagement, "provider_id", 0x0100, 0x23),
        (DeviceManagement, "provider_name", 0x0101, 0x41),
        (DeviceManagement, "provider_contact_details", 0x0102, 0x41),
        (DeviceManagement, "proposed_provider_id", 0x0110, 0x23),
        (DeviceManagement, "proposed_provider_name", 0x0111, 0x41),
        (DeviceManagement, "proposed_provider_change_date_time", 0x0112, 0xE2),
        (DeviceManagement, "proposed_provider_change_control", 0x0113, 0x1B),
        (DeviceManagement, "proposed_provider_contact_details", 0x0114, 0x41),
        (DeviceManagement, "received_provider_id", 0x0120, 0x23),
        (DeviceManagement, "received_provider_name", 0x0121, 0x41),
        (DeviceManagement, "received_provider_contact_details", 0x0122, 0x41),
        (DeviceManagement, "received_proposed_provider_id", 0x0130, 0x23),
        (DeviceManagement, "received_proposed_provider_name", 0x0131, 0x41),
        (DeviceManagement, "received_proposed_provider_change_date_time", 0x0132, 0xE2),
        (DeviceManagement, "received_proposed_provider_change_control", 0x0133, 0x1B),
        (DeviceManagement, "received_proposed_provider_contact_details", 0x0134, 0x41),
        (DeviceManagement, "change_of_tenancy_update_date_time", 0x0200, 0xE2),
        (DeviceManagement, "proposed_tenancy_change_control", 0x0201, 0x1B),
        (DeviceManagement, "wan_status", 0x0300, 0x30),
        (DeviceManagement, "low_medium_threshold", 0x0400, 0x23),
        (DeviceManagement, "medium_high_threshold", 0x0401, 0x23),
        (Metering, "supply_tamper_state", 0x0607, 0x30),
        (Metering, "supply_depletion_state", 0x0608, 0x30),
        (Metering, "current_no_tier_block1_summation_delivered", 0x0700, 0x25),
        (Metering, "current_no_tier_block16_summation_delivered", 0x070F, 0x25),
        (Metering, "uncontrolled_flow_threshold", 0x0B10, 0x21),
        (Metering, "uncontrolled_flow_threshold_unit_of_measure", 0x0B11, 0x30),
        (Metering, "uncontrolled_flow_multiplier", 0x0B12, 0x21),
        (Metering, "uncontrolled_flow_divisor", 0x0B13, 0x21),
        (Metering, "flow_stabilisation_period", 0x0B14, 0x20),
        (Metering, "flow_measurement_period", 0x0B15, 0x21),
    ],
)
def test_attribute(cls: type[Cluster], name: str, attr_id: int, zcl_type: int) -> None:
    attr = cls.attributes[attr_id]
    assert (attr.name, int(attr.zcl_type)) == (name, zcl_type)


def test_the_no_tier_blocks_are_all_sixteen() -> None:
    names = [Metering.attributes[0x0700 + k].name for k in range(16)]
    assert names == [f"current_no_tier_block{n}_summation_delivered" for n in range(1, 17)]


def test_a_report_of_the_new_metering_attributes_decodes_to_names() -> None:
    # GB block tariff: 1,000 kWh (1000000 Wh at divisor 1000) used in block 1 so far.
    frame = hexbytes("""
    18 01 0A            # global, server to client, no default response; Report Attributes
    00 07 25 40 42 0F 00 00 00   # 0x0700 uint48 1000000
    07 06 30 01                  # 0x0607 enum8 1: supply off/armed after a tamper
    10 0B 21 2C 01               # 0x0B10 uint16 300
    """)
    cluster = Cluster.from_id(MagicMock(), ids.METERING)
    _, report = cluster.deserialize(frame)
    values = {cluster.attributes[r.attrid].name: r.value.value for r in report.attribute_reports}
    assert values == {
        "current_no_tier_block1_summation_delivered": 1_000_000,
        "supply_tamper_state": 1,
        "uncontrolled_flow_threshold": 300,
    }
    assert Metering.SupplyControlState(values["supply_tamper_state"]).name == "Supply_Off_Armed"


def test_device_management_client_attributes_are_kept_apart() -> None:
    client = {a.id: a.name for a in DeviceManagement.ClientAttributeDefs}
    assert client == {0x0000: "provider_id", 0x0010: "received_provider_id"}
    assert 0x0000 not in DeviceManagement.attributes


# ---------------------------------------------------------------------------------------
# The installer's cluster browser and command sender
# ---------------------------------------------------------------------------------------


class _OneDevice:
    def __init__(self, device: zigpy.device.Device) -> None:
        self._device = device

    def device(self, ieee: str) -> zigpy.device.Device:
        return self._device


def _meter_with_the_new_clusters() -> zigpy.device.Device:
    device = zigpy.device.Device(MagicMock(), t.EUI64.convert("00:0d:6f:00:00:00:00:01"), 0x1234)
    endpoint = device.add_endpoint(1)
    endpoint.profile_id = SMART_ENERGY_PROFILE_ID
    for cluster_id in ids.GB_SCHEDULE_AND_ADMIN_CLUSTERS:
        endpoint.add_input_cluster(cluster_id)
    endpoint.add_output_cluster(ids.CALENDAR)  # as on an IHD: the calendar's client side
    return device


def test_the_installer_lists_the_new_clusters_and_their_commands() -> None:
    tools = ClusterTools(_OneDevice(_meter_with_the_new_clusters()))  # type: ignore[arg-type]
    refs = tools.clusters("00:0d:6f:00:00:00:00:01")
    assert [r.label for r in refs] == [
        "EP1 0x0707 Calendar (server)",
        "EP1 0x0708 DeviceManagement (server)",
        "EP1 0x0709 Events (server)",
        "EP1 0x0707 Calendar (client)",
    ]
    events = tools.commands("00:0d:6f:00:00:00:00:01", refs[2])
    assert [c.name for c in events] == ["get_event_log", "clear_event_log_request"]
    calendar_client_side = tools.commands("00:0d:6f:00:00:00:00:01", refs[3])
    day_profile = next(c for c in calendar_client_side if c.name == "publish_day_profile")
    optional = {f.name for f in day_profile.fields if f.optional}
    # Only one of the entry lists goes out, chosen by the calendar type.
    assert optional == {
        "rate_entries",
        "friendly_credit_entries",
        "auxiliary_load_entries",
        "schedule_entries",
    }
    rate = next(f for f in day_profile.fields if f.name == "rate_entries")
    assert "hex" in rate.hint


def test_schedule_entries_and_dates_are_typed_as_their_octets() -> None:
    entries = parse_value(t.List[RateStartTime], "00 00 01  1E 00 02")
    assert entries == [
        RateStartTime(start_time=0, price_tier=1),
        RateStartTime(start_time=30, price_tier=2),
    ]
    assert parse_value(t.Date, "7E 0C 19 05") == date(2026, 12, 25, 5)
    with pytest.raises(ValueError, match="octets"):
        parse_value(t.Date, "7E 0C 19")  # a date is four octets
    with pytest.raises(ValueError, match="octets"):
        parse_value(t.List[RateStartTime], "00 00 01 1E")  # a partial entry

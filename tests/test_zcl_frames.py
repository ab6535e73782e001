"""Byte-exact ZCL frames written out by hand from the field tables in se_clusters.md.

Each expected frame is a hex literal with one comment per field; none of it is produced by
the code under test. Multi-octet fields are little-endian. Times are UTC seconds since
2000-01-01: 2024-01-01 00:00 = 757382400 = 0x2D24BD00, 07:30 the same day = 0x2D252678.
Header octets: frame control, transaction sequence number, command id. Frame control 0x19
= cluster-specific (0x01) | server to client (0x08) | disable default response (0x10);
0x01 = cluster-specific, client to server, default response wanted.
"""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from zigpy.zcl import Cluster

from device_backend.zcl import (
    Drlc,
    MalformedFrameError,
    Messaging,
    Metering,
    Prepayment,
    Price,
    register_clusters,
    validate_frame,
)
from device_backend.zcl.prepayment import DebtCreditStatus
from device_backend.zcl.price import (
    PriceMatrixEntry,
    PriceTrailingDigitAndPriceTier,
    TierBlockThresholds,
    TierLabel,
)
from device_backend.zcl.se_types import TrailingDigit
from tests.support.zcl_frames import C2S, S2C, T0, T1, check_frame, hexbytes, packet


@pytest.fixture(autouse=True, scope="module")
def _our_clusters_registered() -> None:
    register_clusters()  # as the facade does before zigpy sees a frame


UTRN = b"73942983744751930738"


# ---------------------------------------------------------------------------------------
# Price
# ---------------------------------------------------------------------------------------

PUBLISH_PRICE_MANDATORY = """
19 2A 00        # header: server to client, no default response; TSN 0x2A; PublishPrice
78 56 34 12     # ProviderId 0x12345678
04 50 65 61 6B  # RateLabel: octet string, length 4, "Peak"
01 10 00 00     # IssuerEventId 0x00001001
00 BD 24 2D     # CurrentTime 2024-01-01 00:00
00              # UnitOfMeasure 0x00 kWh
3A 03           # Currency 826 (GBP)
21              # PriceTrailingDigitAndPriceTier: 2 decimals (bits 4-7), tier 1 (bits 0-3)
41              # NumberOfPriceTiersAndRegisterTier: 4 tiers, register tier 1
00 00 00 00     # StartTime 0 = now
FF FF           # DurationInMinutes 0xFFFF = until changed
3A 0B 00 00     # Price 2874 = 28.74 (pence per kWh)
"""

PUBLISH_PRICE_OPTIONAL = """
0A              # PriceRatio 1.0
00 05 00 00     # GenerationPrice 0x00000500
0B              # GenerationPriceRatio 1.1
23 01 00 00     # AlternateCostDelivered 0x00000123
02              # AlternateCostUnit kg CO2 per unit of measure
30              # AlternateCostTrailingDigit 3 decimals
03              # NumberOfBlockThresholds 3
01              # PriceControl: price acknowledgement required
02              # NumberOfGenerationTiers 2
01              # GenerationTier 1
00              # ExtendedNumberOfPriceTiers: use field 8
00              # ExtendedPriceTier: use field 7
00              # ExtendedRegisterTier: use field 8
"""

PUBLISH_PRICE_FIELDS = dict(
    provider_id=0x12345678,
    rate_label=b"Peak",
    issuer_event_id=0x1001,
    current_time=T0,
    unit_of_measure=0x00,
    currency=826,
    price_trailing_digit_and_price_tier=PriceTrailingDigitAndPriceTier(
        trailing_digit=2, price_tier=1
    ),
    number_of_price_tiers_and_register_tier=0x41,
    start_time=0,
    duration_in_minutes=0xFFFF,
    price=2874,
)

PUBLISH_PRICE_OPTIONAL_FIELDS = dict(
    price_ratio=0x0A,
    generation_price=0x500,
    generation_price_ratio=0x0B,
    alternate_cost_delivered=0x123,
    alternate_cost_unit=0x02,
    alternate_cost_trailing_digit=0x30,
    number_of_block_thresholds=3,
    price_control=0x01,
    number_of_generation_tiers=2,
    generation_tier=1,
    extended_number_of_price_tiers=0,
    extended_price_tier=0,
    extended_register_tier=0,
)


def test_publish_price_se10_form_without_optional_fields() -> None:
    expected = hexbytes(PUBLISH_PRICE_MANDATORY)
    assert len(expected) == 3 + 32  # 11 mandatory fields, 32 octets
    parsed = check_frame(
        Price, Price.ClientCommandDefs.publish_price, S2C, expected, **PUBLISH_PRICE_FIELDS
    )
    assert parsed.price_ratio is None
    assert parsed.extended_register_tier is None
    assert parsed.price_trailing_digit_and_price_tier.trailing_digit == 2
    assert parsed.price_trailing_digit_and_price_tier.price_tier == 1
    assert parsed.number_of_price_tiers_and_register_tier.number_of_price_tiers == 4
    assert parsed.number_of_price_tiers_and_register_tier.register_tier == 1
    assert parsed.rate_label == b"Peak"


def test_publish_price_with_all_optional_fields() -> None:
    expected = hexbytes(PUBLISH_PRICE_MANDATORY + PUBLISH_PRICE_OPTIONAL)
    # GBCS: "an additional 19 octets after Price"
    assert len(expected) == 3 + 32 + 19
    parsed = check_frame(
        Price,
        Price.ClientCommandDefs.publish_price,
        S2C,
        expected,
        **PUBLISH_PRICE_FIELDS,
        **PUBLISH_PRICE_OPTIONAL_FIELDS,
    )
    assert parsed.alternate_cost_trailing_digit.digits == 3
    assert parsed.price_control == Price.PriceControl.Price_Acknowledgement_Required


def test_publish_price_ending_after_generation_price() -> None:
    expected = hexbytes(
        PUBLISH_PRICE_MANDATORY
        + """
        0A              # PriceRatio 1.0
        00 05 00 00     # GenerationPrice 0x00000500, and the frame ends here
        """
    )
    parsed = check_frame(
        Price,
        Price.ClientCommandDefs.publish_price,
        S2C,
        expected,
        **PUBLISH_PRICE_FIELDS,
        price_ratio=0x0A,
        generation_price=0x500,
    )
    assert parsed.generation_price == 0x500
    assert parsed.generation_price_ratio is None


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_publish_price_cut_inside_an_optional_field_is_malformed(cut: int) -> None:
    frame = hexbytes(PUBLISH_PRICE_MANDATORY + "0A 00 05 00 00")
    # Dropping 1-3 octets leaves GenerationPrice partly present: not a valid stopping point.
    with pytest.raises(MalformedFrameError, match=r"Price \(0x0700\) publish_price"):
        validate_frame(packet(0x0700, frame[:-cut]))


def test_publish_price_cut_inside_mandatory_fields_is_malformed() -> None:
    frame = hexbytes(PUBLISH_PRICE_MANDATORY)
    for length in range(3, len(frame)):
        with pytest.raises(MalformedFrameError, match="publish_price"):
            validate_frame(packet(0x0700, frame[:length]))


def test_publish_tariff_information() -> None:
    expected = hexbytes(
        """
        19 07 04        # header: server to client, TSN 7, PublishTariffInformation
        01 00 00 00     # ProviderId 1
        02 00 00 00     # IssuerEventId 2
        03 00 00 00     # IssuerTariffId 3
        00 BD 24 2D     # StartTime 2024-01-01 00:00
        00              # TariffTypeChargingScheme: TOU (bits 4-7), delivered (bits 0-3)
        09 45 63 6F 6E 6F 6D 79 20 37   # TariffLabel, length 9, "Economy 7"
        02              # NumberOfPriceTiersInUse 2
        00              # NumberOfBlockThresholdsInUse 0
        00              # UnitOfMeasure kWh
        3A 03           # Currency 826 (GBP)
        20              # PriceTrailingDigit: 2 decimals in bits 4-7
        05 15 00 00     # StandingCharge 5381 = 53.81 (pence per day)
        FF              # TierBlockMode 0xFF not used
        01 00 00        # BlockThresholdMultiplier 1
        E8 03 00        # BlockThresholdDivisor 1000
        """
    )
    parsed = check_frame(
        Price,
        Price.ClientCommandDefs.publish_tariff_information,
        S2C,
        expected,
        provider_id=1,
        issuer_event_id=2,
        issuer_tariff_id=3,
        start_time=T0,
        tariff_type_charging_scheme=0x00,
        tariff_label=b"Economy 7",
        number_of_price_tiers_in_use=2,
        number_of_block_thresholds_in_use=0,
        unit_of_measure=0,
        currency=826,
        price_trailing_digit=0x20,
        standing_charge=5381,
        tier_block_mode=0xFF,
        block_threshold_multiplier=1,
        block_threshold_divisor=1000,
    )
    assert parsed.standing_charge == 5381
    assert parsed.price_trailing_digit.digits == 2
    assert parsed.tariff_type_charging_scheme.charging_scheme.name == "TOU"
    assert parsed.tier_block_mode.name == "Not_Used"


def test_publish_block_thresholds_follows_wiresharks_layout() -> None:
    expected = hexbytes(
        """
        19 08 06            # header: server to client, TSN 8, PublishBlockThresholds
        01 00 00 00         # ProviderId 1
        02 00 00 00         # IssuerEventId 2
        00 00 00 00         # StartTime now
        03 00 00 00         # IssuerTariffId 3
        00                  # CommandIndex 0
        01                  # NumberOfCommands 1
        00                  # SubPayloadControl: thresholds per TOU tier
        12                  # tier 1 (bits 4-7), 2 thresholds (bits 0-3)
        E8 03 00 00 00 00   #   threshold 1000
        D0 07 00 00 00 00   #   threshold 2000
        21                  # tier 2, 1 threshold
        B8 0B 00 00 00 00   #   threshold 3000
        """
    )
    parsed = check_frame(
        Price,
        Price.ClientCommandDefs.publish_block_thresholds,
        S2C,
        expected,
        provider_id=1,
        issuer_event_id=2,
        start_time=0,
        issuer_tariff_id=3,
        command_index=0,
        number_of_commands=1,
        sub_payload_control=0,
        block_threshold_sub_payload=[
            TierBlockThresholds(
                tier_number_of_block_thresholds=0x12, block_thresholds=[1000, 2000]
            ),
            TierBlockThresholds(tier_number_of_block_thresholds=0x21, block_thresholds=[3000]),
        ],
    )
    first, second = parsed.block_threshold_sub_payload
    assert first.tier_number_of_block_thresholds.tier == 1
    assert first.block_thresholds == [1000, 2000]
    assert second.tier_number_of_block_thresholds.tier == 2

    # The count nibble promises two thresholds for tier 2; only one follows.
    lying = expected[:-7] + bytes([0x22]) + expected[-6:]
    with pytest.raises(MalformedFrameError, match="publish_block_thresholds"):
        validate_frame(packet(0x0700, lying))


def test_publish_price_matrix() -> None:
    expected = hexbytes(
        """
        19 09 05        # header: server to client, TSN 9, PublishPriceMatrix
        01 00 00 00     # ProviderId 1
        02 00 00 00     # IssuerEventId 2
        00 00 00 00     # StartTime now
        03 00 00 00     # IssuerTariffId 3
        00              # CommandIndex 0
        01              # NumberOfCommands 1
        01              # SubPayloadControl: TOU based, so TierBlockId is the tier
        01              # TierBlockId: tier 1
        3A 0B 00 00     #   Price 2874
        02              # TierBlockId: tier 2
        F4 05 00 00     #   Price 1524
        """
    )
    parsed = check_frame(
        Price,
        Price.ClientCommandDefs.publish_price_matrix,
        S2C,
        expected,
        provider_id=1,
        issuer_event_id=2,
        start_time=0,
        issuer_tariff_id=3,
        command_index=0,
        number_of_commands=1,
        sub_payload_control=1,
        price_matrix_sub_payload=[
            PriceMatrixEntry(tier_block_id=1, price=2874),
            PriceMatrixEntry(tier_block_id=2, price=1524),
        ],
    )
    assert [e.price for e in parsed.price_matrix_sub_payload] == [2874, 1524]
    with pytest.raises(MalformedFrameError, match="publish_price_matrix"):
        validate_frame(packet(0x0700, expected + bytes([0x03, 0x00])))  # half an entry


def test_publish_tier_labels() -> None:
    expected = hexbytes(
        """
        19 0A 08                # header: server to client, TSN 10, PublishTierLabels
        01 00 00 00             # ProviderId 1
        02 00 00 00             # IssuerEventId 2
        03 00 00 00             # IssuerTariffId 3
        00                      # CommandIndex 0
        01                      # NumberOfCommands 1
        02                      # NumberOfLabels 2
        01 03 44 61 79          # TierId 1, label length 3 "Day"
        02 05 4E 69 67 68 74    # TierId 2, label length 5 "Night"
        """
    )
    check_frame(
        Price,
        Price.ClientCommandDefs.publish_tier_labels,
        S2C,
        expected,
        provider_id=1,
        issuer_event_id=2,
        issuer_tariff_id=3,
        command_index=0,
        number_of_commands=1,
        number_of_labels=2,
        tier_labels=[
            TierLabel(tier_id=1, tier_label=b"Day"),
            TierLabel(tier_id=2, tier_label=b"Night"),
        ],
    )
    with pytest.raises(MalformedFrameError, match="publish_tier_labels"):
        validate_frame(packet(0x0700, expected + bytes([0x03, 0x00])))  # a third, unannounced


def test_get_current_price() -> None:
    expected = hexbytes(
        """
        01 0B 00    # header: cluster-specific, client to server; TSN 11; GetCurrentPrice
        01          # CommandOptions: requestor Rx on when idle
        """
    )
    check_frame(Price, Price.ServerCommandDefs.get_current_price, C2S, expected, command_options=1)


# ---------------------------------------------------------------------------------------
# Prepayment
# ---------------------------------------------------------------------------------------


def test_consumer_top_up_carries_the_utrn_as_twenty_ascii_digits() -> None:
    expected = hexbytes(
        """
        01 0C 04        # header: client to server, TSN 12, ConsumerTopUp
        02              # OriginatingDevice 0x02 IHD
        14              # TopUpCode: octet string of 20 octets
        37 33 39 34 32 39 38 33 37 34   # "7394298374"
        34 37 35 31 39 33 30 37 33 38   # "4751930738"
        """
    )
    parsed = check_frame(
        Prepayment,
        Prepayment.ServerCommandDefs.consumer_top_up,
        C2S,
        expected,
        originating_device=Prepayment.OriginatingDevice.In_Home_Display,
        top_up_code=UTRN,
    )
    assert parsed.top_up_code == UTRN
    with pytest.raises(MalformedFrameError, match="consumer_top_up"):
        validate_frame(packet(0x0705, expected[:-1]))  # 19 of the 20 digits
    with pytest.raises(MalformedFrameError, match="consumer_top_up"):
        validate_frame(packet(0x0705, expected + b"9"))


def test_consumer_top_up_response_accepted() -> None:
    expected = hexbytes(
        """
        19 0C 03        # header: server to client, TSN 12, ConsumerTopUpResponse
        10              # ResultType: accepted, supply enabled
        96 00 00 00     # TopUpValue 150 (int32)
        02              # SourceOfTopUp: IHD
        06 FF FF FF     # CreditRemaining -250 (int32): still in debt after the top-up
        """
    )
    parsed = check_frame(
        Prepayment,
        Prepayment.ClientCommandDefs.consumer_top_up_response,
        S2C,
        expected,
        result_type=Prepayment.ResultType.Accepted_Supply_Enabled,
        top_up_value=150,
        source_of_top_up=Prepayment.OriginatingDevice.In_Home_Display,
        credit_remaining=-250,
    )
    assert parsed.credit_remaining == -250


def test_consumer_top_up_response_rejected_duplicate() -> None:
    expected = hexbytes(
        """
        19 0D 03        # header: server to client, TSN 13, ConsumerTopUpResponse
        02              # ResultType: rejected, duplicate top up
        FF FF FF FF     # TopUpValue -1: not accepted
        02              # SourceOfTopUp: IHD
        D2 04 00 00     # CreditRemaining 1234
        """
    )
    parsed = check_frame(
        Prepayment,
        Prepayment.ClientCommandDefs.consumer_top_up_response,
        S2C,
        expected,
        result_type=0x02,
        top_up_value=-1,
        source_of_top_up=0x02,
        credit_remaining=1234,
    )
    assert parsed.result_type is Prepayment.ResultType.Rejected_Duplicate_Top_Up


def test_select_available_emergency_credit() -> None:
    expected = hexbytes(
        """
        01 0E 00        # header: client to server, TSN 14, SelectAvailableEmergencyCredit
        78 26 25 2D     # CommandIssueDateTime 2024-01-01 07:30
        02              # OriginatingDevice: IHD
        """
    )
    check_frame(
        Prepayment,
        Prepayment.ServerCommandDefs.select_available_emergency_credit,
        C2S,
        expected,
        command_issue_date_time=T1,
        originating_device=2,
    )


def test_publish_prepay_snapshot_debt_credit_status() -> None:
    expected = hexbytes(
        """
        19 0F 01        # header: server to client, TSN 15, PublishPrepaySnapshot
        05 00 00 00     # SnapshotId 5
        00 BD 24 2D     # SnapshotTime 2024-01-01 00:00
        01              # TotalSnapshotsFound 1
        00              # CommandIndex 0
        01              # TotalNumberOfCommands 1
        01 00 00 00     # SnapshotCause: general
        00              # SnapshotPayloadType: Debt/Credit Status
        10 27 00 00     # AccumulatedDebt 10000
        64 00 00 00     # Type1DebtRemaining 100
        C8 00 00 00     # Type2DebtRemaining 200
        2C 01 00 00     # Type3DebtRemaining 300
        F4 01 00 00     # EmergencyCreditRemaining 500
        38 FF FF FF     # CreditRemaining -200
        """
    )
    parsed = check_frame(
        Prepayment,
        Prepayment.ClientCommandDefs.publish_prepay_snapshot,
        S2C,
        expected,
        snapshot_id=5,
        snapshot_time=T0,
        total_snapshots_found=1,
        command_index=0,
        total_number_of_commands=1,
        snapshot_cause=1,
        snapshot_payload_type=0,
        debt_credit_status=DebtCreditStatus(
            accumulated_debt=10000,
            type1_debt_remaining=100,
            type2_debt_remaining=200,
            type3_debt_remaining=300,
            emergency_credit_remaining=500,
            credit_remaining=-200,
        ),
    )
    assert parsed.debt_credit_status.credit_remaining == -200
    assert parsed.snapshot_payload is None
    with pytest.raises(MalformedFrameError, match="publish_prepay_snapshot"):
        validate_frame(packet(0x0705, expected[:-1]))


# ---------------------------------------------------------------------------------------
# Messaging
# ---------------------------------------------------------------------------------------

DISPLAY_MESSAGE = """
19 10 00        # header: server to client, TSN 16, DisplayMessage
07 00 00 00     # MessageId 7
88              # MessageControl: importance high (0x08), confirmation required (0x80)
00 00 00 00     # StartTime now
A0 05           # DurationInMinutes 1440
0B 54 6F 70 20 75 70 20 73 6F 6F 6E   # Message: character string of 11, "Top up soon"
"""


def test_display_message_without_extended_control() -> None:
    control = Messaging.MessageControl(
        importance=Messaging.MessageImportance.High, confirmation_required=1
    )
    parsed = check_frame(
        Messaging,
        Messaging.ClientCommandDefs.display_message,
        S2C,
        hexbytes(DISPLAY_MESSAGE),
        message_id=7,
        message_control=control,
        start_time=0,
        duration_in_minutes=1440,
        message="Top up soon",
    )
    assert parsed.message == "Top up soon"
    assert parsed.message_control.importance is Messaging.MessageImportance.High
    assert parsed.message_control.confirmation_required == 1
    assert parsed.extended_message_control is None


def test_display_message_with_extended_control() -> None:
    expected = hexbytes(DISPLAY_MESSAGE + "01   # ExtendedMessageControl: already confirmed")
    check_frame(
        Messaging,
        Messaging.ClientCommandDefs.display_message,
        S2C,
        expected,
        message_id=7,
        message_control=0x88,
        start_time=0,
        duration_in_minutes=1440,
        message="Top up soon",
        extended_message_control=0x01,
    )


def test_display_message_counts_utf8_octets_not_characters() -> None:
    expected = hexbytes(
        """
        19 11 00        # header: server to client, TSN 17, DisplayMessage
        08 00 00 00     # MessageId 8
        0C              # MessageControl: importance critical (bits 2-3 = 3)
        00 00 00 00     # StartTime now
        FF FF           # DurationInMinutes until changed
        03 C2 A3 35     # Message: 3 octets, "£5" (the pound sign is two octets in UTF-8)
        """
    )
    check_frame(
        Messaging,
        Messaging.ClientCommandDefs.display_message,
        S2C,
        expected,
        message_id=8,
        message_control=Messaging.MessageControl(importance=Messaging.MessageImportance.Critical),
        start_time=0,
        duration_in_minutes=0xFFFF,
        message="£5",
    )


def test_message_confirmation_with_optional_fields() -> None:
    expected = hexbytes(
        """
        01 12 01        # header: client to server, TSN 18, MessageConfirmation
        07 00 00 00     # MessageId 7
        78 26 25 2D     # ConfirmationTime 2024-01-01 07:30
        02              # MessageConfirmationControl: "yes" returned
        02 4F 4B        # MessageResponse: octet string of 2, "OK"
        """
    )
    check_frame(
        Messaging,
        Messaging.ServerCommandDefs.message_confirmation,
        C2S,
        expected,
        message_id=7,
        confirmation_time=T1,
        message_confirmation_control=0x02,
        message_response=b"OK",
    )


def test_message_confirmation_se10_form() -> None:
    expected = hexbytes(
        """
        01 13 01        # header: client to server, TSN 19, MessageConfirmation
        07 00 00 00     # MessageId 7
        78 26 25 2D     # ConfirmationTime 2024-01-01 07:30
        """
    )
    parsed = check_frame(
        Messaging,
        Messaging.ServerCommandDefs.message_confirmation,
        C2S,
        expected,
        message_id=7,
        confirmation_time=T1,
    )
    assert parsed.message_confirmation_control is None
    assert parsed.message_response is None


# ---------------------------------------------------------------------------------------
# DRLC
# ---------------------------------------------------------------------------------------


def test_load_control_event() -> None:
    expected = hexbytes(
        """
        19 14 00        # header: server to client, TSN 20, LoadControlEvent
        CD AB 00 00     # IssuerEventId 0xABCD
        04 00           # DeviceClass: water heater (bit 2)
        00              # UtilityEnrollmentGroup 0
        00 00 00 00     # StartTime now
        3C 00           # DurationInMinutes 60
        03              # CriticalityLevel 3 (level 2)
        FF              # CoolingTemperatureOffset unused
        FF              # HeatingTemperatureOffset unused
        00 80           # CoolingTemperatureSetPoint 0x8000 unused (int16 -32768)
        34 08           # HeatingTemperatureSetPoint 2100 = 21.00 degC
        EC              # AverageLoadAdjustmentPercentage -20 (int8)
        FF              # DutyCycle unused
        01              # EventControl: randomize start time
        """
    )
    parsed = check_frame(
        Drlc,
        Drlc.ClientCommandDefs.load_control_event,
        S2C,
        expected,
        issuer_event_id=0xABCD,
        device_class=Drlc.DeviceClass.Water_Heater,
        utility_enrollment_group=0,
        start_time=0,
        duration_in_minutes=60,
        criticality_level=Drlc.CriticalityLevel.Level_2,
        cooling_temperature_offset=0xFF,
        heating_temperature_offset=0xFF,
        cooling_temperature_set_point=-0x8000,
        heating_temperature_set_point=2100,
        average_load_adjustment_percentage=-20,
        duty_cycle=0xFF,
        event_control=0x01,
    )
    assert parsed.average_load_adjustment_percentage == -20
    assert parsed.cooling_temperature_set_point == -0x8000


def test_get_scheduled_events_with_and_without_issuer_event_id() -> None:
    short = hexbytes(
        """
        01 15 01        # header: client to server, TSN 21, GetScheduledEvents
        00 00 00 00     # StartTime now
        00              # NumberOfEvents: all
        """
    )
    check_frame(
        Drlc,
        Drlc.ServerCommandDefs.get_scheduled_events,
        C2S,
        short,
        start_time=0,
        number_of_events=0,
    )
    check_frame(
        Drlc,
        Drlc.ServerCommandDefs.get_scheduled_events,
        C2S,
        short + hexbytes("EF BE 00 00   # IssuerEventId 0xBEEF (SE 1.2b)"),
        start_time=0,
        number_of_events=0,
        issuer_event_id=0xBEEF,
    )


# ---------------------------------------------------------------------------------------
# Metering
# ---------------------------------------------------------------------------------------


def test_get_profile_response() -> None:
    expected = hexbytes(
        """
        19 16 00        # header: server to client, TSN 22, GetProfileResponse
        00 BD 24 2D     # EndTime 2024-01-01 00:00
        00              # Status: success
        02              # ProfileIntervalPeriod: 30 minutes
        03              # NumberOfPeriodsDelivered 3
        02 01 00        # interval 0x000102
        04 03 00        # interval 0x000304
        06 05 00        # interval 0x000506
        """
    )
    parsed = check_frame(
        Metering,
        Metering.ClientCommandDefs.get_profile_response,
        S2C,
        expected,
        end_time=T0,
        status=0,
        profile_interval_period=2,
        number_of_periods_delivered=3,
        intervals=[0x000102, 0x000304, 0x000506],
    )
    assert parsed.status is Metering.GetProfileStatus.Success
    assert parsed.profile_interval_period.name == "Minutes_30"
    with pytest.raises(MalformedFrameError, match="get_profile_response"):
        validate_frame(packet(0x0702, expected[:-1]))  # the third interval cut short
    with pytest.raises(MalformedFrameError, match="get_profile_response"):
        validate_frame(packet(0x0702, expected + bytes([8, 7, 0])))  # a fourth, uncounted


def test_get_profile() -> None:
    expected = hexbytes(
        """
        01 17 00        # header: client to server, TSN 23, GetProfile
        00              # IntervalChannel: consumption delivered
        00 BD 24 2D     # EndTime 2024-01-01 00:00
        30              # NumberOfPeriods 48
        """
    )
    check_frame(
        Metering,
        Metering.ServerCommandDefs.get_profile,
        C2S,
        expected,
        interval_channel=Metering.IntervalChannel.Consumption_Delivered,
        end_time=T0,
        number_of_periods=48,
    )


def test_local_change_supply_enable() -> None:
    expected = hexbytes(
        """
        01 18 0C        # header: client to server, TSN 24, LocalChangeSupply
        02              # ProposedSupplyStatus: supply on (GB PECS03)
        """
    )
    check_frame(
        Metering,
        Metering.ServerCommandDefs.local_change_supply,
        C2S,
        expected,
        proposed_supply_status=Metering.ProposedSupplyStatus.Supply_On,
    )


def test_display_message_with_an_invalid_string() -> None:
    expected = hexbytes(
        """
        19 19 00        # header: server to client, TSN 25, DisplayMessage
        09 00 00 00     # MessageId 9
        00              # MessageControl: normal, low importance
        00 00 00 00     # StartTime now
        01 00           # DurationInMinutes 1
        FF              # Message: length 0xFF marks an invalid string, no octets follow
        """
    )
    cluster = Cluster.from_id(MagicMock(), 0x0703)
    _, parsed = cluster.deserialize(expected)
    assert parsed.message.invalid
    assert parsed.serialize() == expected[3:]
    validate_frame(packet(0x0703, expected))


def test_trailing_digit_constructors_agree() -> None:
    assert TrailingDigit(0x20) == TrailingDigit(digits=2) == 0x20
    assert TrailingDigit(0x70).digits == 7

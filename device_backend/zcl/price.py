"""The Smart Energy Price cluster (0x0700): tariffs, prices, standing charge, CV and CF."""

from __future__ import annotations

from typing import Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy as zigpy_se
from zigpy.zcl.clusters.smartenergy import MeteringUnitofMeasure
from zigpy.zcl.foundation import (
    BaseAttributeDefs,
    BaseCommandDefs,
    CommandSchema,
    ZCLAttributeDef,
    ZCLCommandDef,
)

from device_backend.zcl.se_types import (
    MAP8,
    DurationType,
    Label12,
    Label20,
    Label24,
    TrailingDigit,
    add_attributes,
    add_common_se_attributes,
)

# ---------------------------------------------------------------------------------------
# Enumerations and bitmaps
# ---------------------------------------------------------------------------------------


class CommodityType(t.enum8):
    """CommodityType (0x0300): the same list as the metering device types 0x00-0x0F."""

    Electric = 0x00
    Gas = 0x01
    Water = 0x02
    Thermal = 0x03  # deprecated in SE 1.2
    Pressure = 0x04
    Heat = 0x05
    Cooling = 0x06
    Electric_Vehicle_Charging = 0x07
    PV_Generation = 0x08
    Wind_Turbine_Generation = 0x09
    Water_Turbine_Generation = 0x0A
    Micro_Generation = 0x0B
    Solar_Hot_Water_Generation = 0x0C
    Electric_Element_1 = 0x0D
    Electric_Element_2 = 0x0E
    Electric_Element_3 = 0x0F


class CalorificValueUnit(t.enum8):
    Megajoule_Per_Cubic_Metre = 0x01
    Megajoule_Per_Kilogram = 0x02


class TierBlockMode(t.enum8):
    Active_Block = 0x00
    Active_Block_Price_Tier = 0x01
    Active_Block_Price_Tier_Threshold = 0x02
    Not_Used = 0xFF


class TariffResolutionPeriod(t.enum8):
    Not_Defined = 0x00
    Block_Period = 0x01
    One_Day = 0x02


class CO2Unit(t.enum8):
    Kg_Per_kWh = 0x01
    Kg_Per_Gallon_Of_Gasoline = 0x02
    Kg_Per_Therm_Of_Natural_Gas = 0x03


class CreditPaymentStatus(t.enum8):
    Pending = 0x00
    Received_Paid = 0x01
    Overdue = 0x02
    Two_Payments_Overdue = 0x03
    Three_Payments_Overdue = 0x04


class PaymentDiscountPeriod(t.enum8):
    Current_Billing_Period = 0x00
    Current_Consolidated_Bill = 0x01
    One_Month = 0x02
    One_Quarter = 0x03
    One_Year = 0x04


class AlternateCostUnit(t.enum8):
    Kg_CO2_Per_Unit_Of_Measure = 0x02
    Not_Used = 0xFF


class TariffType(t.enum8):
    """TariffType: only bits 0-3 carry a value; the upper bits are reserved (zero)."""

    Delivered = 0x00
    Received = 0x01
    Delivered_And_Received = 0x02


class TariffTypeNibble(t.enum4):
    """The same values as TariffType, as the low nibble of TariffTypeChargingScheme."""

    Delivered = 0x0
    Received = 0x1
    Delivered_And_Received = 0x2


class ChargingScheme(t.enum4):
    TOU = 0x0
    Block = 0x1
    Block_TOU_Common_Thresholds = 0x2
    Block_TOU_Thresholds_Per_Tier = 0x3


class TariffTypeChargingScheme(t.IntStruct, t.uint8_t):
    """PublishTariffInformation map8: 0x00 = TOU delivered, 0x10 = Block delivered."""

    tariff_type: TariffTypeNibble
    charging_scheme: ChargingScheme


class PriceTrailingDigitAndPriceTier(t.IntStruct, t.uint8_t):
    """PublishPrice field 7: tier in bits 0-3 (0xF = tier 15 or see ExtendedPriceTier),
    implied decimal places of Price in bits 4-7."""

    price_tier: t.uint4_t
    trailing_digit: t.uint4_t


class NumberOfPriceTiersAndRegisterTier(t.IntStruct, t.uint8_t):
    """PublishPrice field 8: register tier (which CurrentTierNSummationDelivered accrues) in
    bits 0-3, number of price tiers in bits 4-7."""

    register_tier: t.uint4_t
    number_of_price_tiers: t.uint4_t


class PriceControl(t.bitmap8):
    Price_Acknowledgement_Required = 0x01
    Total_Tiers_Exceeds_15 = 0x02


class BlockPeriodControl(t.bitmap8):
    Price_Acknowledgement_Required = 0x01
    Repeating_Block = 0x02


class GetCurrentPriceOptions(t.bitmap8):
    Requestor_Rx_On_When_Idle = 0x01


class PriceMatrixSubPayloadControl(t.bitmap8):
    """Set: entries are TOU tier ids; clear: entries are tier (bits 4-7) / block (bits 0-3)."""

    TOU_Based = 0x01


class BlockThresholdSubPayloadControl(t.bitmap8):
    """Set: one threshold set applies to all TOU tiers (or block-only charging), so the tier
    nibble of each sub-payload is ignored."""

    Apply_To_All_TOU_Tiers = 0x01


class CPPPriceTier(t.enum8):
    CPP1 = 0x00
    CPP2 = 0x01


class CPPAuth(t.enum8):
    Pending = 0x00
    Accepted = 0x01
    Rejected = 0x02
    Forced = 0x03


class CurrencyChangeControl(t.bitmap32):
    Clear_Billing_Info = 0x00000001
    Convert_Billing_Info = 0x00000002
    Clear_Old_Consumption_Data = 0x00000004
    Convert_Old_Consumption_Data = 0x00000008


# ---------------------------------------------------------------------------------------
# Repeated sub-payloads
# ---------------------------------------------------------------------------------------


class PriceMatrixEntry(t.Struct):
    """One {TierBlockId, Price} pair of PublishPriceMatrix; they repeat to the frame's end."""

    tier_block_id: t.uint8_t
    price: t.uint32_t


class TierAndBlockThresholdCount(t.IntStruct, t.uint8_t):
    """First byte of a PublishBlockThresholds sub-payload (Wireshark's layout, as the
    reference's section 7 recommends): threshold count in bits 0-3, tier in bits 4-7."""

    number_of_block_thresholds: t.uint4_t
    tier: t.uint4_t


class TierBlockThresholds(t.Struct):
    """A tier's thresholds: the count nibble of the first byte says how many uint48 follow."""

    tier_number_of_block_thresholds: TierAndBlockThresholdCount
    block_thresholds: t.List[t.uint48_t] = t.StructField(
        length=lambda s: s.tier_number_of_block_thresholds.number_of_block_thresholds
    )


class TierLabel(t.Struct):
    tier_id: t.uint8_t
    tier_label: Label12


class PublishTierLabelsSchema(CommandSchema):
    """PublishTierLabels: NumberOfLabels counts the {TierId, TierLabel} pairs that follow."""

    provider_id: t.uint32_t
    issuer_event_id: t.uint32_t
    issuer_tariff_id: t.uint32_t
    command_index: t.uint8_t
    number_of_commands: t.uint8_t
    number_of_labels: t.uint8_t
    tier_labels: t.List[TierLabel] = t.StructField(length=lambda s: s.number_of_labels)


# ---------------------------------------------------------------------------------------
# Attributes
# ---------------------------------------------------------------------------------------


class PriceAttributeDefs(BaseAttributeDefs):
    """Server attributes. Numbered families (labels, thresholds, prices, credit payments and
    the 0x8000+ "Received" mirrors) are added below the class by id formula."""

    threshold_multiplier: Final = ZCLAttributeDef(id=0x0202, type=t.uint24_t, access="r")
    threshold_divisor: Final = ZCLAttributeDef(id=0x0203, type=t.uint24_t, access="r")
    commodity_type: Final = ZCLAttributeDef(id=0x0300, type=CommodityType, access="r")
    # Currency units per day (GB) with the PriceTrailingDigit scaling of prices.
    standing_charge: Final = ZCLAttributeDef(id=0x0301, type=t.uint32_t, access="r")
    # The spec's defaults (0x10000000 with 7 decimals) do not decode to 1.0: read it, never
    # assume it.
    conversion_factor: Final = ZCLAttributeDef(id=0x0302, type=t.uint32_t, access="r")
    conversion_factor_trailing_digit: Final = ZCLAttributeDef(
        id=0x0303, type=TrailingDigit, zcl_type=MAP8, access="r"
    )
    calorific_value: Final = ZCLAttributeDef(id=0x0304, type=t.uint32_t, access="r")
    calorific_value_unit: Final = ZCLAttributeDef(id=0x0305, type=CalorificValueUnit, access="r")
    calorific_value_trailing_digit: Final = ZCLAttributeDef(
        id=0x0306, type=TrailingDigit, zcl_type=MAP8, access="r"
    )
    cpp1_price: Final = ZCLAttributeDef(id=0x05FE, type=t.uint32_t, access="r")
    cpp2_price: Final = ZCLAttributeDef(id=0x05FF, type=t.uint32_t, access="r")
    unit_of_measure: Final = ZCLAttributeDef(id=0x0615, type=MeteringUnitofMeasure, access="r")
    currency: Final = ZCLAttributeDef(id=0x0616, type=t.uint16_t, access="r")  # ISO 4217
    price_trailing_digit: Final = ZCLAttributeDef(
        id=0x0617, type=TrailingDigit, zcl_type=MAP8, access="r"
    )
    credit_payment_due_date: Final = ZCLAttributeDef(id=0x0800, type=t.UTCTime, access="r")
    credit_payment_status: Final = ZCLAttributeDef(id=0x0801, type=CreditPaymentStatus, access="r")
    credit_payment_over_due_amount: Final = ZCLAttributeDef(id=0x0802, type=t.int32s, access="r")
    payment_discount: Final = ZCLAttributeDef(id=0x080A, type=t.int32s, access="r")
    payment_discount_period: Final = ZCLAttributeDef(
        id=0x080B, type=PaymentDiscountPeriod, access="r"
    )


# Received ("export") mirrors mostly sit at 0x8000 + the id of the delivered attribute. The
# reference gives only their range (0x8000-0x8704); the exceptions, ReceivedTariffResolution-
# Period at 0x8615 and ReceivedCO2/Unit/TrailingDigit at 0x8625-0x8627, and the absence of
# received tier-block thresholds, follow a second public listing of the SE 1.2 ids.
_RECEIVED = 0x8000


def _tier_labels(prefix: str, base: int) -> list[tuple[str, int, type]]:
    return [(f"{prefix}tier{n}_price_label", base + n - 1, Label12) for n in range(1, 49)]


def _block_thresholds(prefix: str, base: int) -> list[tuple[str, int, type]]:
    return [(f"{prefix}block{n}_threshold", base + n - 1, t.uint48_t) for n in range(1, 16)]


def _block_prices(prefix: str, base: int) -> list[tuple[str, int, type]]:
    entries = [(f"{prefix}no_tier_block{n}_price", base + n - 1, t.uint32_t) for n in range(1, 17)]
    entries += [
        (f"{prefix}tier{tier}_block{n}_price", base + 0x10 * tier + n - 1, t.uint32_t)
        for tier in range(1, 16)
        for n in range(1, 17)
    ]
    return entries


def _extended_price_tiers(prefix: str, base: int) -> list[tuple[str, int, type]]:
    # Tiers 16..48 at 0x050F..0x052F: ids 0x0500-0x050E are deliberately unused.
    return [(f"{prefix}price_tier{n}", base + n - 1, t.uint32_t) for n in range(16, 49)]


def _block_period(prefix: str, base: int) -> list[tuple[str, int, type]]:
    return [
        (f"{prefix}start_of_block_period", base + 0x00, t.UTCTime),
        (f"{prefix}block_period_duration", base + 0x01, t.uint24_t),
    ]


def _billing(prefix: str, base: int) -> list[tuple[str, int, type]]:
    return [
        (f"{prefix}current_billing_period_start", base + 0x00, t.UTCTime),
        (f"{prefix}current_billing_period_duration", base + 0x01, t.uint24_t),
        (f"{prefix}last_billing_period_start", base + 0x02, t.UTCTime),
        (f"{prefix}last_billing_period_duration", base + 0x03, t.uint24_t),
        (f"{prefix}last_billing_period_consolidated_bill", base + 0x04, t.uint32_t),
    ]


def _tariff_information(prefix: str, base: int) -> list[tuple[str, int, type]]:
    return [
        (f"{prefix}tariff_label", base + 0x10, Label24),
        (f"{prefix}number_of_price_tiers_in_use", base + 0x11, t.uint8_t),
        (f"{prefix}number_of_block_thresholds_in_use", base + 0x12, t.uint8_t),
        (f"{prefix}tier_block_mode", base + 0x13, TierBlockMode),
    ]


def _co2(prefix: str, base: int) -> list[tuple[str, int, type]]:
    return [(f"{prefix}co2", base, t.uint32_t), (f"{prefix}co2_unit", base + 1, CO2Unit)]


_defs = PriceAttributeDefs
# Tier labels are the one writable family: a client (e.g. an IHD) may rename tiers.
add_attributes(_defs, _tier_labels("", 0x0000), access="rw")
add_attributes(_defs, _block_thresholds("", 0x0100))
add_attributes(_defs, [("block_threshold_count", 0x010F, t.uint8_t)])
add_attributes(
    _defs,
    [
        (f"tier{tier}_block{n}_threshold", 0x0100 + 0x10 * tier + n - 1, t.uint48_t)
        for tier in range(1, 16)
        for n in range(1, 16)
    ],
)
add_attributes(
    _defs,
    [
        (f"tier{tier}_block_threshold_count", 0x010F + 0x10 * tier, t.uint8_t)
        for tier in range(1, 16)
    ],
)
add_attributes(_defs, _block_period("", 0x0200))
add_attributes(_defs, [("block_period_duration_type", 0x0204, DurationType)], zcl_type=MAP8)
add_attributes(_defs, _block_prices("", 0x0400))
add_attributes(_defs, _extended_price_tiers("", 0x0500))
add_attributes(_defs, _tariff_information("", 0x0600))
add_attributes(_defs, [("tariff_resolution_period", 0x0619, TariffResolutionPeriod)])
add_attributes(_defs, _co2("", 0x0620))
add_attributes(_defs, [("co2_trailing_digit", 0x0622, TrailingDigit)], zcl_type=MAP8)
add_attributes(_defs, _billing("", 0x0700))
for _k in range(1, 6):
    _base = 0x0810 + 0x10 * (_k - 1)
    add_attributes(
        _defs,
        [
            (f"credit_payment{_k}", _base, t.uint32_t),
            (f"credit_payment_date{_k}", _base + 1, t.UTCTime),
            (f"credit_payment_ref{_k}", _base + 2, Label20),
        ],
    )

add_attributes(_defs, _tier_labels("received_", _RECEIVED + 0x0000))
add_attributes(_defs, _block_thresholds("received_", _RECEIVED + 0x0100))
add_attributes(_defs, _block_period("received_", _RECEIVED + 0x0200))
add_attributes(
    _defs,
    [
        ("received_threshold_multiplier", _RECEIVED + 0x0202, t.uint24_t),
        ("received_threshold_divisor", _RECEIVED + 0x0203, t.uint24_t),
    ],
)
add_attributes(_defs, _block_prices("received_", _RECEIVED + 0x0400))
add_attributes(_defs, _extended_price_tiers("received_", _RECEIVED + 0x0500))
add_attributes(_defs, _tariff_information("received_", _RECEIVED + 0x0600))
add_attributes(
    _defs, [("received_tariff_resolution_period", _RECEIVED + 0x0615, TariffResolutionPeriod)]
)
add_attributes(_defs, _co2("received_", _RECEIVED + 0x0625))
add_attributes(
    _defs, [("received_co2_trailing_digit", _RECEIVED + 0x0627, TrailingDigit)], zcl_type=MAP8
)
add_attributes(_defs, _billing("received_", _RECEIVED + 0x0700))
add_common_se_attributes(_defs)
del _defs, _k, _base


class PriceClientAttributeDefs(BaseAttributeDefs):
    """Attributes of the Price *client* (e.g. on an IHD), kept apart on purpose.

    Their ids 0x0000-0x0002 collide with the server's Tier1..3PriceLabel, and zigpy holds one
    definition per id per cluster class, so they cannot live in Price.AttributeDefs. Use these
    definitions when serving reads of our own client-side cluster.
    """

    price_increase_randomize_minutes: Final = ZCLAttributeDef(
        id=0x0000, name="price_increase_randomize_minutes", type=t.uint8_t, access="rw"
    )  # default 5
    price_decrease_randomize_minutes: Final = ZCLAttributeDef(
        id=0x0001, name="price_decrease_randomize_minutes", type=t.uint8_t, access="rw"
    )  # default 15
    commodity_type: Final = ZCLAttributeDef(
        id=0x0002, name="commodity_type", type=CommodityType, access="r"
    )


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


class PriceServerCommandDefs(BaseCommandDefs):
    """Client -> server (frame direction bit 0): what an IHD sends to the meter's Price server."""

    get_current_price: Final = ZCLCommandDef(
        id=0x00, schema={"command_options": GetCurrentPriceOptions}
    )
    get_scheduled_prices: Final = ZCLCommandDef(
        id=0x01,
        schema={
            "start_time": t.UTCTime,  # 0 = now
            "number_of_events": t.uint8_t,  # 0 = all
        },
    )
    price_acknowledgement: Final = ZCLCommandDef(
        id=0x02,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "price_ack_time": t.UTCTime,
            "control": PriceControl,
        },
    )
    get_block_periods: Final = ZCLCommandDef(
        id=0x03,
        schema={
            "start_time": t.UTCTime,
            "number_of_events": t.uint8_t,
            # Added in SE 1.2 at the end of the frame; an SE 1.1 client omits it.
            "tariff_type?": TariffType,
        },
    )
    get_conversion_factor: Final = ZCLCommandDef(
        id=0x04,
        schema={
            "earliest_start_time": t.UTCTime,
            "min_issuer_event_id": t.uint32_t,
            "number_of_commands": t.uint8_t,
        },
    )
    get_calorific_value: Final = ZCLCommandDef(
        id=0x05,
        schema={
            "earliest_start_time": t.UTCTime,
            "min_issuer_event_id": t.uint32_t,
            "number_of_commands": t.uint8_t,
        },
    )
    get_tariff_information: Final = ZCLCommandDef(
        id=0x06,
        schema={
            "earliest_start_time": t.UTCTime,
            "min_issuer_event_id": t.uint32_t,
            "number_of_commands": t.uint8_t,
            "tariff_type": TariffType,
        },
    )
    get_price_matrix: Final = ZCLCommandDef(id=0x07, schema={"issuer_tariff_id": t.uint32_t})
    get_block_thresholds: Final = ZCLCommandDef(id=0x08, schema={"issuer_tariff_id": t.uint32_t})
    get_co2_value: Final = ZCLCommandDef(
        id=0x09,
        schema={
            "earliest_start_time": t.UTCTime,
            "min_issuer_event_id": t.uint32_t,
            "number_of_commands": t.uint8_t,
            "tariff_type": TariffType,
        },
    )
    get_tier_labels: Final = ZCLCommandDef(id=0x0A, schema={"issuer_tariff_id": t.uint32_t})
    get_billing_period: Final = ZCLCommandDef(
        id=0x0B,
        schema={
            "earliest_start_time": t.UTCTime,
            "min_issuer_event_id": t.uint32_t,
            "number_of_commands": t.uint8_t,
            "tariff_type": TariffType,
        },
    )
    get_consolidated_bill: Final = ZCLCommandDef(
        id=0x0C,
        schema={
            "earliest_start_time": t.UTCTime,
            "min_issuer_event_id": t.uint32_t,
            "number_of_commands": t.uint8_t,
            "tariff_type": TariffType,
        },
    )
    cpp_event_response: Final = ZCLCommandDef(
        id=0x0D, schema={"issuer_event_id": t.uint32_t, "cpp_auth": CPPAuth}
    )
    get_credit_payment: Final = ZCLCommandDef(
        id=0x0E, schema={"latest_end_time": t.UTCTime, "number_of_records": t.uint8_t}
    )
    get_currency_conversion_command: Final = ZCLCommandDef(id=0x0F, schema={})
    get_tariff_cancellation: Final = ZCLCommandDef(id=0x10, schema={})


class PriceClientCommandDefs(BaseCommandDefs):
    """Server -> client (frame direction bit 1): what the meter publishes to an IHD."""

    publish_price: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "provider_id": t.uint32_t,
            "rate_label": Label12,
            "issuer_event_id": t.uint32_t,  # a newer id supersedes
            "current_time": t.UTCTime,
            "unit_of_measure": MeteringUnitofMeasure,
            "currency": t.uint16_t,  # ISO 4217 numeric, 826 = GBP
            "price_trailing_digit_and_price_tier": PriceTrailingDigitAndPriceTier,
            "number_of_price_tiers_and_register_tier": NumberOfPriceTiersAndRegisterTier,
            "start_time": t.UTCTime,  # 0 = now
            "duration_in_minutes": t.uint16_t,  # 0xFFFF = until changed
            "price": t.uint32_t,
            # Everything below was added after SE 1.0, and GB meters may send it or not
            # (GBCS: "19 octets after Price ... should be ignored"), so a frame may end after
            # Price or after any later field.
            "price_ratio?": t.uint8_t,  # 0.1 steps; 0xFF = unused
            "generation_price?": t.uint32_t,  # 0xFFFFFFFF = unused
            "generation_price_ratio?": t.uint8_t,
            "alternate_cost_delivered?": t.uint32_t,
            "alternate_cost_unit?": AlternateCostUnit,
            "alternate_cost_trailing_digit?": TrailingDigit,
            "number_of_block_thresholds?": t.uint8_t,
            "price_control?": PriceControl,
            "number_of_generation_tiers?": t.uint8_t,
            # enum8 on the wire; the values are plain numbers, so they stay integers here:
            # 1..48 = CurrentTierNSummationReceived
            "generation_tier?": t.uint8_t,
            "extended_number_of_price_tiers?": t.uint8_t,  # 0 = use field 8; n = 15 + n tiers
            "extended_price_tier?": t.uint8_t,  # 0 = use field 7; n = tier 15 + n
            "extended_register_tier?": t.uint8_t,
        },
    )
    # The SE 1.1 form carried a NumberOfPriceTiersAndNumberOfBlockThresholds byte before the
    # control byte; SE 1.2 (which GB uses) removed it and appended the last three fields.
    publish_block_period: Final = ZCLCommandDef(
        id=0x01,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "block_period_start_time": t.UTCTime,
            "block_period_duration": t.uint24_t,
            "block_period_control": BlockPeriodControl,
            "block_period_duration_type": DurationType,
            "tariff_type": TariffType,
            "tariff_resolution_period": TariffResolutionPeriod,
        },
    )
    publish_conversion_factor: Final = ZCLCommandDef(
        id=0x02,
        schema={
            "issuer_event_id": t.uint32_t,
            "start_time": t.UTCTime,
            "conversion_factor": t.uint32_t,
            "conversion_factor_trailing_digit": TrailingDigit,
        },
    )
    publish_calorific_value: Final = ZCLCommandDef(
        id=0x03,
        schema={
            "issuer_event_id": t.uint32_t,
            "start_time": t.UTCTime,
            "calorific_value": t.uint32_t,
            "calorific_value_unit": CalorificValueUnit,
            "calorific_value_trailing_digit": TrailingDigit,
        },
    )
    publish_tariff_information: Final = ZCLCommandDef(
        id=0x04,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "issuer_tariff_id": t.uint32_t,
            "start_time": t.UTCTime,
            "tariff_type_charging_scheme": TariffTypeChargingScheme,
            "tariff_label": Label24,
            "number_of_price_tiers_in_use": t.uint8_t,
            "number_of_block_thresholds_in_use": t.uint8_t,
            "unit_of_measure": MeteringUnitofMeasure,
            "currency": t.uint16_t,
            "price_trailing_digit": TrailingDigit,
            "standing_charge": t.uint32_t,
            "tier_block_mode": TierBlockMode,
            "block_threshold_multiplier": t.uint24_t,
            "block_threshold_divisor": t.uint24_t,
        },
    )
    publish_price_matrix: Final = ZCLCommandDef(
        id=0x05,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "start_time": t.UTCTime,
            "issuer_tariff_id": t.uint32_t,
            "command_index": t.uint8_t,
            "number_of_commands": t.uint8_t,
            "sub_payload_control": PriceMatrixSubPayloadControl,
            # No count on the wire: the pairs run to the end of the frame.
            "price_matrix_sub_payload": t.List[PriceMatrixEntry],
        },
    )
    publish_block_thresholds: Final = ZCLCommandDef(
        id=0x06,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "start_time": t.UTCTime,
            "issuer_tariff_id": t.uint32_t,
            "command_index": t.uint8_t,
            "number_of_commands": t.uint8_t,
            "sub_payload_control": BlockThresholdSubPayloadControl,
            "block_threshold_sub_payload": t.List[TierBlockThresholds],  # to the end of the frame
        },
    )
    publish_co2_value: Final = ZCLCommandDef(
        id=0x07,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "start_time": t.UTCTime,
            "tariff_type": TariffType,
            "co2_value": t.uint32_t,
            "co2_value_unit": CO2Unit,
            "co2_value_trailing_digit": TrailingDigit,
        },
    )
    publish_tier_labels: Final = ZCLCommandDef(id=0x08, schema=PublishTierLabelsSchema)
    # BillingPeriodDuration: S1 models it as a map24 with unit bits; the others (and GB) use
    # a plain 24-bit count plus a separate DurationType byte, which we follow.
    publish_billing_period: Final = ZCLCommandDef(
        id=0x09,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "billing_period_start_time": t.UTCTime,
            "billing_period_duration": t.uint24_t,
            "billing_period_duration_type": DurationType,
            "tariff_type": TariffType,
        },
    )
    publish_consolidated_bill: Final = ZCLCommandDef(
        id=0x0A,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "billing_period_start_time": t.UTCTime,
            "billing_period_duration": t.uint24_t,
            "billing_period_duration_type": DurationType,
            "tariff_type": TariffType,
            "consolidated_bill": t.uint32_t,
            "currency": t.uint16_t,
            "bill_trailing_digit": TrailingDigit,
        },
    )
    publish_cpp_event: Final = ZCLCommandDef(
        id=0x0B,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "start_time": t.UTCTime,
            "duration_in_minutes": t.uint16_t,
            "tariff_type": TariffType,
            "cpp_price_tier": CPPPriceTier,
            "cpp_auth": CPPAuth,
        },
    )
    publish_credit_payment: Final = ZCLCommandDef(
        id=0x0C,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "credit_payment_due_date": t.UTCTime,
            # Signed, like the CreditPaymentOverDueAmount attribute it publishes.
            "credit_payment_over_due_amount": t.int32s,
            "credit_payment_status": CreditPaymentStatus,
            "credit_payment": t.uint32_t,
            "credit_payment_date": t.UTCTime,
            "credit_payment_ref": Label20,
        },
    )
    publish_currency_conversion: Final = ZCLCommandDef(
        id=0x0D,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "start_time": t.UTCTime,
            "old_currency": t.uint16_t,
            "new_currency": t.uint16_t,
            "conversion_factor": t.uint32_t,
            "conversion_factor_trailing_digit": TrailingDigit,
            "currency_change_control_flags": CurrencyChangeControl,
        },
    )
    cancel_tariff: Final = ZCLCommandDef(
        id=0x0E,
        schema={
            "provider_id": t.uint32_t,
            "issuer_tariff_id": t.uint32_t,
            "tariff_type": TariffType,
        },
    )


class Price(zigpy_se.Price):
    """Price 0x0700, ep_attribute "smartenergy_price" (both inherited from zigpy's stub, so
    code that checks for zigpy's Price class still matches ours)."""

    _skip_registry = True  # zigpy uses it once device_backend.zcl.register_clusters() is called

    CommodityType: Final = CommodityType
    TariffType: Final = TariffType
    PriceControl: Final = PriceControl
    TrailingDigit: Final = TrailingDigit

    AttributeDefs = PriceAttributeDefs
    ClientAttributeDefs = PriceClientAttributeDefs
    ServerCommandDefs = PriceServerCommandDefs
    ClientCommandDefs = PriceClientCommandDefs

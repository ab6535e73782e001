"""The Smart Energy Prepayment cluster (0x0705): credit, debt, emergency credit and top-ups."""

from __future__ import annotations

from typing import Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy as zigpy_se
from zigpy.zcl.clusters.smartenergy import MeteringUnitofMeasure, NumberFormatting
from zigpy.zcl.foundation import (
    BaseAttributeDefs,
    BaseCommandDefs,
    CommandSchema,
    ZCLAttributeDef,
    ZCLCommandDef,
)

from device_backend.zcl.se_types import (
    MAP8,
    Label12,
    Label20,
    Label25,
    add_attributes,
    add_common_se_attributes,
)

# Money amounts that can go below zero (credit, debt, top-up values, adjustments) are signed
# int32 throughout, following Wireshark and the GB parser rather than SiLabs' XML, which
# types some of them unsigned (reference section 7).

# ---------------------------------------------------------------------------------------
# Enumerations and bitmaps
# ---------------------------------------------------------------------------------------


class PaymentControlConfiguration(t.bitmap16):
    Disconnection_Enabled = 0x0001
    Prepayment_Enabled = 0x0002
    Credit_Management_Enabled = 0x0004
    Credit_Display_Enabled = 0x0010
    Account_Base = 0x0040  # set: the account is kept in units, not currency
    Contactor_Fitted = 0x0080
    Standing_Charge_Configuration = 0x0100
    Emergency_Standing_Charge_Configuration = 0x0200
    Debt_Configuration = 0x0400
    Emergency_Debt_Configuration = 0x0800


class CreditStatus(t.bitmap8):
    Credit_OK = 0x01
    Low_Credit = 0x02
    Emergency_Credit_Enabled = 0x04
    Emergency_Credit_Available = 0x08
    Emergency_Credit_Selected = 0x10
    Emergency_Credit_In_Use = 0x20
    Credit_Exhausted = 0x40


class OriginatingDevice(t.enum8):
    Energy_Service_Interface = 0x00
    Meter = 0x01
    In_Home_Display = 0x02


class ResultType(t.enum8):
    """ConsumerTopUpResponse ResultType."""

    Accepted = 0x00
    Rejected_Invalid_Top_Up = 0x01
    Rejected_Duplicate_Top_Up = 0x02
    Rejected_Error = 0x03
    Rejected_Max_Credit_Reached = 0x04
    Rejected_Keypad_Lock = 0x05
    Rejected_Top_Up_Value_Too_Large = 0x06
    Accepted_Supply_Enabled = 0x10
    Accepted_Supply_Disabled = 0x11
    Accepted_Supply_Armed = 0x12


class DebtRecoveryMethod(t.enum8):
    Time_Based = 0x00
    Percentage_Based = 0x01  # i.e. payment-based
    Catch_Up_Based = 0x02


class DebtRecoveryFrequency(t.enum8):
    Per_Hour = 0x00
    Per_Day = 0x01
    Per_Week = 0x02
    Per_Month = 0x03
    Per_Quarter = 0x04


class DebtAmountType(t.enum8):
    Type_1_Absolute = 0x00
    Type_1_Incremental = 0x01
    Type_2_Absolute = 0x02
    Type_2_Incremental = 0x03
    Type_3_Absolute = 0x04
    Type_3_Incremental = 0x05


class DebtType(t.enum8):
    Debt_1 = 0x00
    Debt_2 = 0x01
    Debt_3 = 0x02
    All_Debts = 0xFF  # only meaningful in GetDebtRepaymentLog


class CreditAdjustmentType(t.enum8):
    Credit_Incremental = 0x00
    Credit_Absolute = 0x01


class FriendlyCredit(t.bitmap8):
    Friendly_Credit_Enabled = 0x01


class PrepaySnapshotCause(t.bitmap32):
    General = 0x00000001
    Change_Of_Tariff_Information = 0x00000008
    Change_Of_Price_Matrix = 0x00000010
    Manually_Triggered_From_Client = 0x00000400
    Change_Of_Tenancy = 0x00001000
    Change_Of_Supplier = 0x00002000
    Change_Of_Meter_Mode = 0x00004000
    Top_Up_Addition = 0x00040000
    Debt_Credit_Addition = 0x00080000


class PrepaySnapshotPayloadType(t.enum8):
    Debt_Credit_Status = 0x00


class PrepaymentAlarmStatus(t.bitmap16):
    Low_Credit_Warning = 0x0001
    Top_Up_Code_Error = 0x0002
    Top_Up_Code_Already_Used = 0x0004
    Top_Up_Code_Invalid = 0x0008
    Friendly_Credit_In_Use = 0x0010
    Friendly_Credit_Period_End_Warning = 0x0020
    EC_Available = 0x0040
    Unauthorised_Energy_Use = 0x0080
    Disconnected_Supply_Due_To_Credit = 0x0100
    Disconnected_Supply_Due_To_Tamper = 0x0200
    Disconnected_Supply_Due_To_HES = 0x0400
    Physical_Attack = 0x0800
    Electronic_Attack = 0x1000
    Manufacturer_Alarm_A = 0x2000
    Manufacturer_Alarm_B = 0x4000


class PrepaymentAlarmCode(t.enum8):
    """Alarm codes a Prepayment server raises through the Alarms cluster (SE 1.4a D-139..142)."""

    Low_Credit = 0x00
    No_Credit = 0x01
    Credit_Exhausted = 0x02
    Emergency_Credit_Enabled = 0x03
    Emergency_Credit_Exhausted = 0x04
    IHD_Low_Credit_Warning = 0x05
    Event_Log_Cleared = 0x06
    Supply_On = 0x10
    Supply_Arm = 0x11
    Supply_Off = 0x12
    Disconnection_Failure = 0x13
    Disconnected_Due_To_Tamper = 0x14
    Disconnected_Due_To_Cut_Off_Value = 0x15
    Remote_Disconnected = 0x16
    Physical_Attack = 0x20
    Electronic_Attack = 0x21
    Discount_Applied = 0x22
    Credit_Adjustment = 0x23
    Credit_Adjustment_Fail = 0x24
    Debt_Adjustment = 0x25
    Debt_Adjustment_Fail = 0x26
    Mode_Change = 0x27
    Top_Up_Code_Error = 0x28
    Top_Up_Already_Used = 0x29
    Top_Up_Code_Invalid = 0x2A
    Friendly_Credit_In_Use = 0x2B
    Friendly_Credit_Period_End_Warning = 0x2C
    Friendly_Credit_Period_End = 0x2D
    Error_Reg_Clear = 0x30
    Alarm_Reg_Clear = 0x31
    Prepay_Cluster_Not_Found = 0x32
    Credit_To_Prepay = 0x41
    Prepay_To_Credit = 0x42
    Mode_Default = 0x43


# ---------------------------------------------------------------------------------------
# Repeated sub-payloads
# ---------------------------------------------------------------------------------------


class DebtCreditStatus(t.Struct):
    """The Debt/Credit Status snapshot payload (type 0x00), with its GB register names."""

    accumulated_debt: t.int32s  # SMETS Accumulated Debt Register
    type1_debt_remaining: t.uint32_t  # Time Debt Register 1
    type2_debt_remaining: t.uint32_t  # Time Debt Register 2
    type3_debt_remaining: t.uint32_t  # Payment Debt Register
    # The GB parser reads these two unsigned; the attributes they snapshot are int32.
    emergency_credit_remaining: t.int32s  # Emergency Credit Balance
    credit_remaining: t.int32s  # Meter Balance


class TopUpLogEntry(t.Struct):
    top_up_code: t.LVBytes
    top_up_amount: t.int32s
    top_up_time: t.UTCTime


class DebtLogEntry(t.Struct):
    collection_time: t.UTCTime
    amount_collected: t.int32s
    debt_type: DebtType
    outstanding_debt: t.uint32_t


class PublishPrepaySnapshotSchema(CommandSchema):
    """PublishPrepaySnapshot: the payload's layout depends on its type byte. The one type the
    spec defines (Debt/Credit Status) is decoded strictly; any other is kept as raw bytes."""

    snapshot_id: t.uint32_t
    snapshot_time: t.UTCTime
    total_snapshots_found: t.uint8_t
    command_index: t.uint8_t
    total_number_of_commands: t.uint8_t
    snapshot_cause: PrepaySnapshotCause
    snapshot_payload_type: PrepaySnapshotPayloadType
    debt_credit_status: DebtCreditStatus = t.StructField(
        requires=lambda s: s.snapshot_payload_type == PrepaySnapshotPayloadType.Debt_Credit_Status
    )
    snapshot_payload: t.Bytes = t.StructField(
        requires=lambda s: s.snapshot_payload_type != PrepaySnapshotPayloadType.Debt_Credit_Status
    )


# ---------------------------------------------------------------------------------------
# Attributes
# ---------------------------------------------------------------------------------------


class PrepaymentAttributeDefs(BaseAttributeDefs):
    """Server attributes; the numbered families (top-up history, debts and the cost history
    matching the Metering consumption history) are added below by id formula."""

    payment_control_configuration: Final = ZCLAttributeDef(
        id=0x0000, type=PaymentControlConfiguration, access="r", mandatory=True
    )
    # GB: the SMETS "Meter Balance".
    credit_remaining: Final = ZCLAttributeDef(id=0x0001, type=t.int32s, access="r")
    emergency_credit_remaining: Final = ZCLAttributeDef(id=0x0002, type=t.int32s, access="r")
    credit_status: Final = ZCLAttributeDef(id=0x0003, type=CreditStatus, access="r")
    credit_remaining_time_stamp: Final = ZCLAttributeDef(id=0x0004, type=t.UTCTime, access="r")
    accumulated_debt: Final = ZCLAttributeDef(id=0x0005, type=t.int32s, access="r")
    overall_debt_cap: Final = ZCLAttributeDef(id=0x0006, type=t.int32s, access="r")
    emergency_credit_limit_allowance: Final = ZCLAttributeDef(
        id=0x0010, type=t.uint32_t, access="r"
    )
    emergency_credit_threshold: Final = ZCLAttributeDef(id=0x0011, type=t.uint32_t, access="r")
    total_credit_added: Final = ZCLAttributeDef(id=0x0020, type=t.uint48_t, access="r")
    max_credit_limit: Final = ZCLAttributeDef(id=0x0021, type=t.uint32_t, access="r")
    max_credit_per_top_up: Final = ZCLAttributeDef(id=0x0022, type=t.uint32_t, access="r")
    friendly_credit_warning: Final = ZCLAttributeDef(id=0x0030, type=t.uint8_t, access="r")
    low_credit_warning_level: Final = ZCLAttributeDef(id=0x0031, type=t.uint32_t, access="r")
    # The consumer sets their own IHD warning level, hence writable.
    ihd_low_credit_warning_level: Final = ZCLAttributeDef(id=0x0032, type=t.uint32_t, access="rw")
    interrupt_suspend_time: Final = ZCLAttributeDef(id=0x0033, type=t.uint8_t, access="r")
    remaining_friendly_credit_time: Final = ZCLAttributeDef(id=0x0034, type=t.uint16_t, access="r")
    next_friendly_credit_period: Final = ZCLAttributeDef(id=0x0035, type=t.UTCTime, access="r")
    cut_off_value: Final = ZCLAttributeDef(id=0x0040, type=t.int32s, access="r")
    token_carrier_id: Final = ZCLAttributeDef(id=0x0080, type=Label20, access="rw")
    prepayment_alarm_status: Final = ZCLAttributeDef(
        id=0x0400, type=PrepaymentAlarmStatus, access="r"
    )
    prepay_generic_alarm_mask: Final = ZCLAttributeDef(id=0x0401, type=t.bitmap16, access="rw")
    prepay_switch_alarm_mask: Final = ZCLAttributeDef(id=0x0402, type=t.bitmap16, access="rw")
    prepay_event_alarm_mask: Final = ZCLAttributeDef(id=0x0403, type=t.bitmap16, access="rw")
    historical_cost_consumption_formatting: Final = ZCLAttributeDef(
        id=0x0500, type=NumberFormatting, zcl_type=MAP8, access="r"
    )
    consumption_unit_of_measurement: Final = ZCLAttributeDef(
        id=0x0501, type=MeteringUnitofMeasure, access="r"
    )
    # An enum8 whose values the reference could not verify, so no names are given.
    currency_scaling_factor: Final = ZCLAttributeDef(id=0x0502, type=t.enum8, access="r")
    currency: Final = ZCLAttributeDef(id=0x0503, type=t.uint16_t, access="r")
    current_day_cost_consumption_delivered: Final = ZCLAttributeDef(
        id=0x051C, type=t.uint48_t, access="r"
    )
    current_day_cost_consumption_received: Final = ZCLAttributeDef(
        id=0x051D, type=t.uint48_t, access="r"
    )
    current_week_cost_consumption_delivered: Final = ZCLAttributeDef(
        id=0x0530, type=t.uint48_t, access="r"
    )
    current_week_cost_consumption_received: Final = ZCLAttributeDef(
        id=0x0531, type=t.uint48_t, access="r"
    )
    current_month_cost_consumption_delivered: Final = ZCLAttributeDef(
        id=0x0540, type=t.uint48_t, access="r"
    )
    current_month_cost_consumption_received: Final = ZCLAttributeDef(
        id=0x0541, type=t.uint48_t, access="r"
    )
    historical_freeze_time: Final = ZCLAttributeDef(id=0x055C, type=t.uint16_t, access="r")


_defs = PrepaymentAttributeDefs
for _k in range(1, 6):  # the last five top-ups, newest first
    _base = 0x0100 + 0x10 * (_k - 1)
    add_attributes(
        _defs,
        [
            (f"top_up_date_time{_k}", _base, t.UTCTime),
            (f"top_up_amount{_k}", _base + 1, t.int32s),
            (f"originating_device{_k}", _base + 2, OriginatingDevice),
            (f"top_up_code{_k}", _base + 3, Label25),
        ],
    )
for _d in range(1, 4):  # GB: debts 1 and 2 are time-based, debt 3 payment-based
    _base = 0x0210 + 0x10 * (_d - 1)
    add_attributes(
        _defs,
        [
            (f"debt_label{_d}", _base, Label12),
            (f"debt_amount{_d}", _base + 1, t.uint32_t),
            (f"debt_recovery_method{_d}", _base + 2, DebtRecoveryMethod),
            (f"debt_recovery_start_time{_d}", _base + 3, t.UTCTime),
            (f"debt_recovery_collection_time{_d}", _base + 4, t.uint16_t),
            (f"debt_recovery_frequency{_d}", _base + 6, DebtRecoveryFrequency),
            (f"debt_recovery_amount{_d}", _base + 7, t.uint32_t),
            (f"debt_recovery_top_up_percentage{_d}", _base + 9, t.uint16_t),
        ],
    )


def _cost_history(period: str, first_id: int, count: int) -> list[tuple[str, int, type]]:
    """PreviousPeriodN cost pairs: delivered at first_id + 2(N-1), received one above."""
    entries: list[tuple[str, int, type]] = []
    for n in range(1, count + 1):
        attr_id = first_id + 2 * (n - 1)
        entries.append((f"previous_{period}{n}_cost_consumption_delivered", attr_id, t.uint48_t))
        entries.append((f"previous_{period}{n}_cost_consumption_received", attr_id + 1, t.uint48_t))
    return entries


# The GB IHD history depths: 8 days, 5 weeks, 13 months.
add_attributes(_defs, _cost_history("day", 0x051E, 8))
add_attributes(_defs, _cost_history("week", 0x0532, 5))
add_attributes(_defs, _cost_history("month", 0x0542, 13))
add_common_se_attributes(_defs)
del _defs, _k, _d, _base


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


class PrepaymentServerCommandDefs(BaseCommandDefs):
    """Client -> server: what a PPMID or IHD sends to the meter."""

    # SE 1.1 also carried SiteId and MeterSerialNumber; SE 1.2 removed them.
    select_available_emergency_credit: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "command_issue_date_time": t.UTCTime,
            "originating_device": OriginatingDevice,
        },
    )
    # 0x01 is reserved in SE 1.2.
    change_debt: Final = ZCLCommandDef(
        id=0x02,
        schema={
            "issuer_event_id": t.uint32_t,
            "debt_label": Label12,
            "debt_amount": t.int32s,
            "debt_recovery_method": DebtRecoveryMethod,
            "debt_amount_type": DebtAmountType,
            "debt_recovery_start_time": t.UTCTime,
            "debt_recovery_collection_time": t.uint16_t,
            "debt_recovery_frequency": DebtRecoveryFrequency,
            "debt_recovery_amount": t.uint32_t,
            "debt_recovery_balance_percentage": t.uint16_t,
        },
    )
    emergency_credit_setup: Final = ZCLCommandDef(
        id=0x03,
        schema={
            "issuer_event_id": t.uint32_t,
            "start_time": t.UTCTime,
            "emergency_credit_limit": t.uint32_t,
            "emergency_credit_threshold": t.uint32_t,
        },
    )
    # GB (PCS01 / PECS01): top_up_code is the 20-digit UTRN as 20 ASCII digit octets.
    consumer_top_up: Final = ZCLCommandDef(
        id=0x04,
        schema={
            "originating_device": OriginatingDevice,
            "top_up_code": t.LVBytes,
        },
    )
    credit_adjustment: Final = ZCLCommandDef(
        id=0x05,
        schema={
            "issuer_event_id": t.uint32_t,
            "start_time": t.UTCTime,
            "credit_adjustment_type": CreditAdjustmentType,
            "credit_adjustment_value": t.int32s,
        },
    )
    change_payment_mode: Final = ZCLCommandDef(
        id=0x06,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "implementation_date_time": t.UTCTime,
            "proposed_payment_control_configuration": PaymentControlConfiguration,
            "cut_off_value": t.int32s,
        },
    )
    get_prepay_snapshot: Final = ZCLCommandDef(
        id=0x07,
        schema={
            "earliest_start_time": t.UTCTime,
            "latest_end_time": t.UTCTime,
            "snapshot_offset": t.uint8_t,
            "snapshot_cause": PrepaySnapshotCause,
        },
    )
    get_top_up_log: Final = ZCLCommandDef(
        id=0x08, schema={"latest_end_time": t.UTCTime, "number_of_records": t.uint8_t}
    )
    set_low_credit_warning_level: Final = ZCLCommandDef(
        id=0x09, schema={"low_credit_warning_level": t.uint32_t}
    )
    get_debt_repayment_log: Final = ZCLCommandDef(
        id=0x0A,
        schema={
            "latest_end_time": t.UTCTime,
            "number_of_debts": t.uint8_t,
            "debt_type": DebtType,
        },
    )
    set_maximum_credit_limit: Final = ZCLCommandDef(
        id=0x0B,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "implementation_date_time": t.UTCTime,
            "maximum_credit_level": t.uint32_t,
            "maximum_credit_per_top_up": t.uint32_t,
        },
    )
    set_overall_debt_cap: Final = ZCLCommandDef(
        id=0x0C,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "implementation_date_time": t.UTCTime,
            "overall_debt_cap": t.uint32_t,
        },
    )


class PrepaymentClientCommandDefs(BaseCommandDefs):
    """Server -> client: the meter's answers to a PPMID or IHD."""

    publish_prepay_snapshot: Final = ZCLCommandDef(id=0x01, schema=PublishPrepaySnapshotSchema)
    change_payment_mode_response: Final = ZCLCommandDef(
        id=0x02,
        schema={
            "friendly_credit": FriendlyCredit,
            "friendly_credit_calendar_id": t.uint32_t,
            "emergency_credit_limit": t.uint32_t,
            "emergency_credit_threshold": t.uint32_t,
        },
    )
    consumer_top_up_response: Final = ZCLCommandDef(
        id=0x03,
        schema={
            "result_type": ResultType,
            "top_up_value": t.int32s,  # -1 when the top-up was not accepted
            "source_of_top_up": OriginatingDevice,
            "credit_remaining": t.int32s,
        },
    )
    publish_top_up_log: Final = ZCLCommandDef(
        id=0x05,
        schema={
            "command_index": t.uint8_t,
            "total_number_of_commands": t.uint8_t,
            "top_up_payload": t.List[TopUpLogEntry],  # to the end of the frame
        },
    )
    publish_debt_log: Final = ZCLCommandDef(
        id=0x06,
        schema={
            "command_index": t.uint8_t,
            "total_number_of_commands": t.uint8_t,
            "debt_payload": t.List[DebtLogEntry],  # to the end of the frame
        },
    )


class Prepayment(zigpy_se.Prepayment):
    """Prepayment 0x0705, ep_attribute "smartenergy_prepayment" (inherited from zigpy's stub)."""

    _skip_registry = True  # zigpy uses it once device_backend.zcl.register_clusters() is called

    CreditStatus: Final = CreditStatus
    ResultType: Final = ResultType
    OriginatingDevice: Final = OriginatingDevice
    PaymentControlConfiguration: Final = PaymentControlConfiguration

    AttributeDefs = PrepaymentAttributeDefs
    ServerCommandDefs = PrepaymentServerCommandDefs
    ClientCommandDefs = PrepaymentClientCommandDefs

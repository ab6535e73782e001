"""zigpy's Metering cluster (0x0702) completed with what a GB IHD needs and zigpy 2.4.0 lacks."""

from __future__ import annotations

from typing import Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy as zigpy_se
from zigpy.zcl.clusters.smartenergy import (
    AmbientConsumptionIndicator,
    MeteringUnitofMeasure,
    ProfileIntervalPeriod,
    SupplyStatus,
)
from zigpy.zcl.foundation import BaseAttributeDefs, CommandSchema, ZCLAttributeDef, ZCLCommandDef

from device_backend.zcl.se_types import (
    MAP8,
    TrailingDigit,
    add_attribute,
    add_attributes,
    add_common_se_attributes,
)

# zigpy names 0x0207 with a stray leading "i"; we define it under the right name and keep
# zigpy's as an alias, so code written against zigpy (quirks, ZHA) still finds it by its name.
MISSPELT_AMBIENT_NAME: Final = "iambient_consumption_indicator"
AMBIENT_NAME: Final = "ambient_consumption_indicator"


class _AliasingDefsMeta(type(BaseAttributeDefs)):  # type: ignore[misc]
    """zigpy's definitions metaclass, answering zigpy's misspelt name with our definition.

    Only a look-up that finds nothing reaches __getattr__, and dir() does not list the alias:
    iterating the definitions (zigpy does, to build its tables) still yields 0x0207 once.
    """

    def __getattr__(cls, name: str) -> ZCLAttributeDef:
        if name == MISSPELT_AMBIENT_NAME:
            return getattr(cls, AMBIENT_NAME)  # type: ignore[no-any-return]
        raise AttributeError(name)


class IntervalChannel(t.enum8):
    Consumption_Delivered = 0x00
    Consumption_Received = 0x01


class SupplyControlState(t.enum8):
    """SupplyTamperState / SupplyDepletionState: the supply state a meter moves to after a
    tamper or a depletion event (SE 1.4 D.3.2.2.7; GB gas meters arm the valve)."""

    Supply_Off = 0x00
    Supply_Off_Armed = 0x01
    Supply_On = 0x02
    Supply_Unchanged = 0x03


class GetProfileStatus(t.enum8):
    Success = 0x00
    Undefined_Interval_Channel_Requested = 0x01
    Interval_Channel_Not_Supported = 0x02
    Invalid_End_Time = 0x03
    More_Periods_Requested_Than_Can_Be_Returned = 0x04
    No_Intervals_Available_For_The_Requested_Time = 0x05


class ProposedSupplyStatus(t.enum8):
    """LocalChangeSupply values: a PPMID may only ask to arm or (GB PECS03) turn supply on."""

    Supply_Off_Armed = 0x01
    Supply_On = 0x02


class GetProfileResponseSchema(CommandSchema):
    """zigpy's layout, with the status and period typed as the enums they are on the wire."""

    end_time: t.UTCTime
    status: GetProfileStatus
    profile_interval_period: ProfileIntervalPeriod
    number_of_periods_delivered: t.uint8_t
    intervals: t.List[t.uint24_t] = t.StructField(length=lambda s: s.number_of_periods_delivered)


def _pairs(
    stem: str, first_id: int, numbers: range, value_type: type
) -> list[tuple[str, int, type]]:
    """Delivered/received pairs: delivered at first_id + 2k, received one above it.

    `stem` holds "{n}" where the period number goes, e.g. "previous_day{n}_consumption".
    """
    entries: list[tuple[str, int, type]] = []
    for k, n in enumerate(numbers):
        name = stem.format(n=n)
        entries.append((f"{name}_delivered", first_id + 2 * k, value_type))
        entries.append((f"{name}_received", first_id + 2 * k + 1, value_type))
    return entries


def _build_attribute_defs() -> type[BaseAttributeDefs]:
    """zigpy's Metering attributes minus the misspelt one, plus the GB additions.

    The class is rebuilt rather than subclassed: zigpy keeps one definition per id, so an
    inherited `iambient_consumption_indicator` next to ours at 0x0207 would make which one
    wins depend on name order. zigpy's name still resolves, as an alias (_AliasingDefsMeta and
    Metering.attributes_by_name).
    """
    defs = _AliasingDefsMeta("MeteringAttributeDefs", (BaseAttributeDefs,), {})
    for attr in zigpy_se.Metering.AttributeDefs:
        if attr.name != MISSPELT_AMBIENT_NAME:
            add_attribute(defs, attr.name, attr)

    add_attribute(
        defs,
        AMBIENT_NAME,
        ZCLAttributeDef(id=0x0207, type=AmbientConsumptionIndicator, access="r"),
    )
    # CurrentTierNSummationDelivered/Received for tiers 16..48 continue zigpy's 1..15 at
    # 0x0100 + 2(N-1), keeping zigpy's naming.
    add_attributes(defs, _pairs("current_tier{n}_summ", 0x011E, range(16, 49), t.uint48_t))

    # GB consumption history: 8 days, 5 weeks, 13 months (days 1 and "current" are zigpy's).
    add_attributes(defs, _pairs("previous_day{n}_consumption", 0x0420, range(2, 9), t.uint24_t))
    add_attributes(defs, _pairs("current_week_consumption", 0x0430, range(1), t.uint24_t))
    add_attributes(defs, _pairs("previous_week{n}_consumption", 0x0432, range(1, 6), t.uint24_t))
    add_attributes(defs, _pairs("current_month_consumption", 0x0440, range(1), t.uint32_t))
    add_attributes(defs, _pairs("previous_month{n}_consumption", 0x0442, range(1, 14), t.uint32_t))
    add_attributes(defs, [("historical_freeze_time", 0x045C, t.uint16_t)])
    add_attributes(defs, [("bill_delivered_trailing_digit", 0x0A04, TrailingDigit)], zcl_type=MAP8)

    # Issue 18: what GB test data reads and zigpy 2.4.0 lacks (SE 1.4 D.3.2.2.7, .2.8, .2.12;
    # ids as Wireshark's packet-zbee-zcl-se.c names them).
    add_attributes(
        defs,
        [
            ("supply_tamper_state", 0x0607, SupplyControlState),
            ("supply_depletion_state", 0x0608, SupplyControlState),
        ],
    )
    # Block tariffs without TOU: consumption in each block of the current block period.
    add_attributes(
        defs,
        [
            (f"current_no_tier_block{n}_summation_delivered", 0x0700 + n - 1, t.uint48_t)
            for n in range(1, 17)
        ],
    )
    # Gas: how a meter decides the flow is uncontrolled (and closes its valve).
    add_attributes(
        defs,
        [
            ("uncontrolled_flow_threshold", 0x0B10, t.uint16_t),
            ("uncontrolled_flow_threshold_unit_of_measure", 0x0B11, MeteringUnitofMeasure),
            ("uncontrolled_flow_multiplier", 0x0B12, t.uint16_t),
            ("uncontrolled_flow_divisor", 0x0B13, t.uint16_t),
            ("flow_stabilisation_period", 0x0B14, t.uint8_t),
            ("flow_measurement_period", 0x0B15, t.uint16_t),
        ],
    )

    # The same history in AlternativeUnitOfMeasure (0x0312), e.g. kWh for a gas meter
    # that measures m3: 0x0C00-0x0C5B mirror 0x0400-0x045B.
    add_attributes(defs, [("alternative_instantaneous_demand", 0x0C00, t.int24s)])
    add_attributes(
        defs,
        _pairs("current_day_alternative_consumption", 0x0C01, range(1), t.uint24_t)
        + _pairs("previous_day_alternative_consumption", 0x0C03, range(1), t.uint24_t)
        + _pairs(
            "current_alternative_partial_profile_interval_start_time", 0x0C05, range(1), t.UTCTime
        )
        + _pairs("current_alternative_partial_profile_interval_value", 0x0C07, range(1), t.uint24_t)
        + [
            ("current_day_alternative_max_pressure", 0x0C09, t.uint48_t),
            ("current_day_alternative_min_pressure", 0x0C0A, t.uint48_t),
            ("previous_day_alternative_max_pressure", 0x0C0B, t.uint48_t),
            ("previous_day_alternative_min_pressure", 0x0C0C, t.uint48_t),
            ("current_day_alternative_max_demand", 0x0C0D, t.int24s),
            ("previous_day_alternative_max_demand", 0x0C0E, t.int24s),
            ("current_month_alternative_max_demand", 0x0C0F, t.int24s),
            ("current_year_alternative_max_demand", 0x0C10, t.int24s),
        ]
        + _pairs("previous_day{n}_alternative_consumption", 0x0C20, range(2, 9), t.uint24_t)
        + _pairs("current_week_alternative_consumption", 0x0C30, range(1), t.uint24_t)
        + _pairs("previous_week{n}_alternative_consumption", 0x0C32, range(1, 6), t.uint24_t)
        + _pairs("current_month_alternative_consumption", 0x0C40, range(1), t.uint32_t)
        + _pairs("previous_month{n}_alternative_consumption", 0x0C42, range(1, 14), t.uint32_t),
    )
    add_common_se_attributes(defs)
    return defs


MeteringAttributeDefs: Final = _build_attribute_defs()


class MeteringServerCommandDefs(zigpy_se.Metering.ServerCommandDefs):
    """zigpy's client -> server commands; the two a GB IHD/PPMID sends are re-typed.

    Their wire layout already matched the reference; only plain uint8 fields become the enums
    they are, so values decode to names.
    """

    get_profile: Final = ZCLCommandDef(
        id=0x00,
        schema={
            "interval_channel": IntervalChannel,
            "end_time": t.UTCTime,
            "number_of_periods": t.uint8_t,
        },
    )
    # GB PECS03: a PPMID asking an ESME to enable supply sends Supply_On here.
    local_change_supply: Final = ZCLCommandDef(
        id=0x0C, schema={"proposed_supply_status": ProposedSupplyStatus}
    )


class MeteringClientCommandDefs(zigpy_se.Metering.ClientCommandDefs):
    """zigpy's server -> client commands, with the two answers to the above re-typed."""

    get_profile_response: Final = ZCLCommandDef(id=0x00, schema=GetProfileResponseSchema)
    supply_status_response: Final = ZCLCommandDef(
        id=0x0C,
        schema={
            "provider_id": t.uint32_t,
            "issuer_event_id": t.uint32_t,
            "implementation_date_time": t.UTCTime,
            "supply_status": SupplyStatus,
        },
    )


class Metering(zigpy_se.Metering):
    """Metering 0x0702, ep_attribute "smartenergy_metering" (inherited from zigpy)."""

    _skip_registry = True  # zigpy uses it once device_backend.zcl.register_clusters() is called

    IntervalChannel: Final = IntervalChannel
    SupplyControlState: Final = SupplyControlState
    GetProfileStatus: Final = GetProfileStatus
    ProposedSupplyStatus: Final = ProposedSupplyStatus

    AttributeDefs = MeteringAttributeDefs
    ServerCommandDefs = MeteringServerCommandDefs
    ClientCommandDefs = MeteringClientCommandDefs


# zigpy looks attributes up by name here (Cluster.find_attribute, read_attributes(["..."])).
Metering.attributes_by_name[MISSPELT_AMBIENT_NAME] = (
    Metering.AttributeDefs.ambient_consumption_indicator
)

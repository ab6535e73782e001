"""The SE cluster catalogue: registration with zigpy, ids and types from the reference."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from unittest.mock import MagicMock

import pytest
import zigpy.zcl.clusters
import zigpy.zcl.clusters.smartenergy as zigpy_se
from zigpy.zcl import Cluster
from zigpy.zcl.foundation import DataTypeId, ZCLAttributeAccess, ZCLAttributeDef

import device_backend.zcl as zcl
from device_backend.zcl import Drlc, Messaging, Metering, Prepayment, Price, ids
from device_backend.zcl.profile import SMART_ENERGY_PROFILE_ID

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="module")
def _our_clusters_registered() -> None:
    zcl.register_clusters()  # as the facade does before zigpy sees a frame


OURS = [
    (Price, 0x0700, "smartenergy_price"),
    (Drlc, 0x0701, "smartenergy_drlc"),
    (Metering, 0x0702, "smartenergy_metering"),
    (Messaging, 0x0703, "smartenergy_messaging"),
    (Prepayment, 0x0705, "smartenergy_prepayment"),
]


@pytest.mark.parametrize(("cls", "cluster_id", "ep_attribute"), OURS)
def test_zigpy_uses_our_classes(cls: type[Cluster], cluster_id: int, ep_attribute: str) -> None:
    assert cls.cluster_id == cluster_id
    assert cls.ep_attribute == ep_attribute
    assert Cluster._registry[cluster_id] is cls
    assert zigpy.zcl.clusters.CLUSTERS_BY_ID[cluster_id] is cls
    assert zigpy.zcl.clusters.CLUSTERS_BY_NAME[ep_attribute] is cls
    cluster = Cluster.from_id(MagicMock(), cluster_id)
    assert type(cluster) is cls
    # Subclassing zigpy's stubs keeps isinstance checks against zigpy's names working.
    assert isinstance(cluster, getattr(zigpy_se, cls.__name__))


def test_registering_restores_after_someone_else_registered() -> None:
    Cluster._registry[0x0700] = zigpy_se.Price
    zigpy.zcl.clusters.CLUSTERS_BY_ID[0x0700] = zigpy_se.Price
    zcl.register_clusters()
    assert Cluster._registry[0x0700] is Price
    assert zigpy.zcl.clusters.CLUSTERS_BY_ID[0x0700] is Price


def test_profile_id_is_re_exported() -> None:
    assert zcl.SMART_ENERGY_PROFILE_ID == SMART_ENERGY_PROFILE_ID == 0x0109


def test_the_ambient_attribute_has_its_right_name_and_zigpys_name_as_an_alias() -> None:
    defs = Metering.AttributeDefs
    assert defs.ambient_consumption_indicator.id == 0x0207
    assert Metering.attributes[0x0207].name == "ambient_consumption_indicator"
    assert Metering.find_attribute(0x0207).name == "ambient_consumption_indicator"
    assert Metering.AttributeDefs.ambient_consumption_indicator.type(2).name == "High_Energy_Usage"
    # zigpy's spelling finds the same definition, by attribute and by name ...
    assert defs.iambient_consumption_indicator is defs.ambient_consumption_indicator
    assert Metering.find_attribute("iambient_consumption_indicator").id == 0x0207
    # ... without a second definition at 0x0207 when zigpy walks the definitions.
    assert [a.name for a in defs if a.id == 0x0207] == ["ambient_consumption_indicator"]
    # zigpy's own class is left alone.
    assert zigpy_se.Metering.attributes[0x0207].name == "iambient_consumption_indicator"


def test_every_zigpy_metering_attribute_name_still_resolves() -> None:
    # Code written against zigpy (ZHA, quirks) names Metering attributes zigpy's way.
    names = [(a.name, a.id) for a in zigpy_se.Metering.AttributeDefs]
    assert len(names) > 100  # zigpy 2.4.0 defines 150-odd; an empty walk proves nothing
    for name, attr_id in names:
        assert getattr(Metering.AttributeDefs, name).id == attr_id, name
        assert Metering.find_attribute(name).id == attr_id, name
        assert Metering.attributes_by_name[name].id == attr_id, name


def test_importing_the_back_end_leaves_zigpy_alone_until_registered() -> None:
    code = (
        "import zigpy.zcl.clusters as c, zigpy.zcl.clusters.smartenergy as se\n"
        "from zigpy.zcl import Cluster\n"
        "import device_backend.facade, device_backend.simulator.home, device_backend.zcl as z\n"
        "import device_backend.installer.api, device_backend.survey.api\n"
        "ids = (0x0700, 0x0701, 0x0702, 0x0703, 0x0705)\n"
        "before = [Cluster._registry[i] is c.CLUSTERS_BY_ID[i] is getattr(se, z.SE_CLUSTERS[i]"
        ".__name__) for i in ids]\n"
        "z.register_clusters()\n"
        "after = [Cluster._registry[i] is c.CLUSTERS_BY_ID[i] is z.SE_CLUSTERS[i] for i in ids]\n"
        # A quirk subclassing ours is rebuilt by zigpy from its definitions: the alias must not
        # trip that (in a fresh process: zigpy's rebuild touches the parent's tables too).
        "class Quirked(z.Metering): pass\n"
        "print(all(before), all(after), Quirked.attributes[0x0207].name)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True True ambient_consumption_indicator"


def test_the_id_module_agrees_with_zigpy() -> None:
    import zigpy.profiles.zha
    import zigpy.zcl.clusters.general as general

    assert [c.cluster_id for c in (Price, Drlc, Metering, Messaging, Prepayment)] == list(
        ids.SMART_ENERGY_CLUSTERS
    )
    assert (general.Basic.cluster_id, general.Identify.cluster_id) == (ids.BASIC, ids.IDENTIFY)
    assert (general.OnOff.cluster_id, general.Time.cluster_id) == (ids.ON_OFF, ids.TIME)
    assert general.Ota.cluster_id == ids.OTA
    assert zigpy.profiles.zha.PROFILE_ID == ids.HOME_AUTOMATION_PROFILE
    assert SMART_ENERGY_PROFILE_ID == ids.SMART_ENERGY_PROFILE == 0x0109


@pytest.mark.parametrize(("cls", "_cluster_id", "_ep"), OURS)
def test_one_definition_per_id_and_name(cls: type[Cluster], _cluster_id: int, _ep: str) -> None:
    defs = list(cls.AttributeDefs)
    assert len({d.id for d in defs}) == len(defs)
    assert len({d.name for d in defs}) == len(defs)
    for d in defs:
        assert d.zcl_type != DataTypeId.unk, d.name
    for command_defs in (cls.ServerCommandDefs, cls.ClientCommandDefs):
        commands = list(command_defs)
        assert len({c.id for c in commands}) == len(commands)


def _attr(cls: type[Cluster], name: str) -> ZCLAttributeDef:
    return getattr(cls.AttributeDefs, name)


# (cluster, name, id, ZCL type id) rows taken from the reference tables.
REFERENCE_ATTRIBUTES = [
    (Price, "tier1_price_label", 0x0000, 0x41),
    (Price, "tier48_price_label", 0x002F, 0x41),
    (Price, "block1_threshold", 0x0100, 0x25),
    (Price, "block15_threshold", 0x010E, 0x25),
    (Price, "block_threshold_count", 0x010F, 0x20),
    (Price, "tier1_block1_threshold", 0x0110, 0x25),
    (Price, "tier15_block15_threshold", 0x01FE, 0x25),
    (Price, "tier1_block_threshold_count", 0x011F, 0x20),
    (Price, "tier15_block_threshold_count", 0x01FF, 0x20),
    (Price, "start_of_block_period", 0x0200, 0xE2),
    (Price, "block_period_duration", 0x0201, 0x22),
    (Price, "threshold_multiplier", 0x0202, 0x22),
    (Price, "threshold_divisor", 0x0203, 0x22),
    (Price, "block_period_duration_type", 0x0204, 0x18),
    (Price, "commodity_type", 0x0300, 0x30),
    (Price, "standing_charge", 0x0301, 0x23),
    (Price, "conversion_factor", 0x0302, 0x23),
    (Price, "conversion_factor_trailing_digit", 0x0303, 0x18),
    (Price, "calorific_value", 0x0304, 0x23),
    (Price, "calorific_value_unit", 0x0305, 0x30),
    (Price, "calorific_value_trailing_digit", 0x0306, 0x18),
    (Price, "no_tier_block1_price", 0x0400, 0x23),
    (Price, "no_tier_block16_price", 0x040F, 0x23),
    (Price, "tier1_block1_price", 0x0410, 0x23),
    (Price, "tier4_block1_price", 0x0440, 0x23),
    (Price, "tier15_block16_price", 0x04FF, 0x23),
    (Price, "price_tier16", 0x050F, 0x23),
    (Price, "price_tier48", 0x052F, 0x23),
    (Price, "cpp1_price", 0x05FE, 0x23),
    (Price, "cpp2_price", 0x05FF, 0x23),
    (Price, "tariff_label", 0x0610, 0x41),
    (Price, "number_of_price_tiers_in_use", 0x0611, 0x20),
    (Price, "number_of_block_thresholds_in_use", 0x0612, 0x20),
    (Price, "tier_block_mode", 0x0613, 0x30),
    (Price, "unit_of_measure", 0x0615, 0x30),
    (Price, "currency", 0x0616, 0x21),
    (Price, "price_trailing_digit", 0x0617, 0x18),
    (Price, "tariff_resolution_period", 0x0619, 0x30),
    (Price, "co2", 0x0620, 0x23),
    (Price, "co2_unit", 0x0621, 0x30),
    (Price, "co2_trailing_digit", 0x0622, 0x18),
    (Price, "current_billing_period_start", 0x0700, 0xE2),
    (Price, "current_billing_period_duration", 0x0701, 0x22),
    (Price, "last_billing_period_consolidated_bill", 0x0704, 0x23),
    (Price, "credit_payment_due_date", 0x0800, 0xE2),
    (Price, "credit_payment_status", 0x0801, 0x30),
    (Price, "credit_payment_over_due_amount", 0x0802, 0x2B),
    (Price, "payment_discount", 0x080A, 0x2B),
    (Price, "payment_discount_period", 0x080B, 0x30),
    (Price, "credit_payment1", 0x0810, 0x23),
    (Price, "credit_payment_date1", 0x0811, 0xE2),
    (Price, "credit_payment_ref1", 0x0812, 0x41),
    (Price, "credit_payment_ref5", 0x0852, 0x41),
    (Price, "received_tier1_price_label", 0x8000, 0x41),
    (Price, "received_block1_threshold", 0x8100, 0x25),
    (Price, "received_start_of_block_period", 0x8200, 0xE2),
    (Price, "received_no_tier_block1_price", 0x8400, 0x23),
    (Price, "received_tier15_block16_price", 0x84FF, 0x23),
    (Price, "received_price_tier16", 0x850F, 0x23),
    (Price, "received_tariff_label", 0x8610, 0x41),
    (Price, "received_last_billing_period_consolidated_bill", 0x8704, 0x23),
    (Price, "reporting_status", 0xFFFE, 0x30),
    (Prepayment, "payment_control_configuration", 0x0000, 0x19),
    (Prepayment, "credit_remaining", 0x0001, 0x2B),
    (Prepayment, "emergency_credit_remaining", 0x0002, 0x2B),
    (Prepayment, "credit_status", 0x0003, 0x18),
    (Prepayment, "credit_remaining_time_stamp", 0x0004, 0xE2),
    (Prepayment, "accumulated_debt", 0x0005, 0x2B),
    (Prepayment, "overall_debt_cap", 0x0006, 0x2B),
    (Prepayment, "emergency_credit_limit_allowance", 0x0010, 0x23),
    (Prepayment, "emergency_credit_threshold", 0x0011, 0x23),
    (Prepayment, "total_credit_added", 0x0020, 0x25),
    (Prepayment, "low_credit_warning_level", 0x0031, 0x23),
    (Prepayment, "ihd_low_credit_warning_level", 0x0032, 0x23),
    (Prepayment, "cut_off_value", 0x0040, 0x2B),
    (Prepayment, "token_carrier_id", 0x0080, 0x41),
    (Prepayment, "top_up_date_time1", 0x0100, 0xE2),
    (Prepayment, "top_up_amount1", 0x0101, 0x2B),
    (Prepayment, "originating_device1", 0x0102, 0x30),
    (Prepayment, "top_up_code1", 0x0103, 0x41),
    (Prepayment, "top_up_code5", 0x0143, 0x41),
    (Prepayment, "debt_label1", 0x0210, 0x41),
    (Prepayment, "debt_amount1", 0x0211, 0x23),
    (Prepayment, "debt_recovery_method1", 0x0212, 0x30),
    (Prepayment, "debt_recovery_start_time1", 0x0213, 0xE2),
    (Prepayment, "debt_recovery_collection_time1", 0x0214, 0x21),
    (Prepayment, "debt_recovery_frequency1", 0x0216, 0x30),
    (Prepayment, "debt_recovery_amount1", 0x0217, 0x23),
    (Prepayment, "debt_recovery_top_up_percentage1", 0x0219, 0x21),
    (Prepayment, "debt_recovery_top_up_percentage3", 0x0239, 0x21),
    (Prepayment, "prepayment_alarm_status", 0x0400, 0x19),
    (Prepayment, "prepay_event_alarm_mask", 0x0403, 0x19),
    (Prepayment, "historical_cost_consumption_formatting", 0x0500, 0x18),
    (Prepayment, "currency", 0x0503, 0x21),
    (Prepayment, "current_day_cost_consumption_delivered", 0x051C, 0x25),
    (Prepayment, "previous_day1_cost_consumption_delivered", 0x051E, 0x25),
    (Prepayment, "previous_day8_cost_consumption_received", 0x052D, 0x25),
    (Prepayment, "previous_week5_cost_consumption_received", 0x053B, 0x25),
    (Prepayment, "previous_month13_cost_consumption_received", 0x055B, 0x25),
    (Prepayment, "historical_freeze_time", 0x055C, 0x21),
    (Drlc, "utility_enrollment_group", 0x0000, 0x20),
    (Drlc, "start_randomization_minutes", 0x0001, 0x20),
    (Drlc, "duration_randomization_minutes", 0x0002, 0x20),
    (Drlc, "device_class_value", 0x0003, 0x21),
    (Metering, "current_summ_delivered", 0x0000, 0x25),
    (Metering, "current_tier15_summ_received", 0x011D, 0x25),
    (Metering, "current_tier16_summ_delivered", 0x011E, 0x25),
    (Metering, "current_tier16_summ_received", 0x011F, 0x25),
    (Metering, "current_tier48_summ_delivered", 0x015E, 0x25),
    (Metering, "current_tier48_summ_received", 0x015F, 0x25),
    (Metering, "instantaneous_demand", 0x0400, 0x2A),
    (Metering, "previous_day2_consumption_delivered", 0x0420, 0x22),
    (Metering, "previous_day2_consumption_received", 0x0421, 0x22),
    (Metering, "previous_day8_consumption_delivered", 0x042C, 0x22),
    (Metering, "previous_day8_consumption_received", 0x042D, 0x22),
    (Metering, "current_week_consumption_delivered", 0x0430, 0x22),
    (Metering, "current_week_consumption_received", 0x0431, 0x22),
    (Metering, "previous_week1_consumption_delivered", 0x0432, 0x22),
    (Metering, "previous_week5_consumption_delivered", 0x043A, 0x22),
    (Metering, "previous_week5_consumption_received", 0x043B, 0x22),
    (Metering, "current_month_consumption_delivered", 0x0440, 0x23),
    (Metering, "previous_month1_consumption_delivered", 0x0442, 0x23),
    (Metering, "previous_month13_consumption_delivered", 0x045A, 0x23),
    (Metering, "previous_month13_consumption_received", 0x045B, 0x23),
    (Metering, "historical_freeze_time", 0x045C, 0x21),
    (Metering, "bill_delivered_trailing_digit", 0x0A04, 0x18),
    (Metering, "alternative_instantaneous_demand", 0x0C00, 0x2A),
    (Metering, "current_day_alternative_consumption_delivered", 0x0C01, 0x22),
    (Metering, "current_alternative_partial_profile_interval_start_time_received", 0x0C06, 0xE2),
    (Metering, "current_year_alternative_max_demand", 0x0C10, 0x2A),
    (Metering, "previous_day2_alternative_consumption_delivered", 0x0C20, 0x22),
    (Metering, "current_week_alternative_consumption_delivered", 0x0C30, 0x22),
    (Metering, "previous_month13_alternative_consumption_received", 0x0C5B, 0x23),
]


@pytest.mark.parametrize(("cls", "name", "attr_id", "zcl_type"), REFERENCE_ATTRIBUTES)
def test_reference_attribute(cls: type[Cluster], name: str, attr_id: int, zcl_type: int) -> None:
    attr = _attr(cls, name)
    assert attr.id == attr_id
    assert attr.zcl_type == zcl_type
    assert cls.attributes[attr_id] is attr


def test_price_families_are_complete() -> None:
    names = Price.attributes_by_name
    assert all(f"tier{n}_price_label" in names for n in range(1, 49))
    assert all(f"received_tier{n}_price_label" in names for n in range(1, 49))
    assert all(f"price_tier{n}" in names for n in range(16, 49))
    assert not any(0x0500 <= i <= 0x050E for i in Price.attributes)
    assert sum(1 for n in names if n.startswith("tier") and n.endswith("_threshold")) == 225
    tier_block_prices = [n for n in names if n.startswith("tier") and n.endswith("_price")]
    assert len(tier_block_prices) == 240
    # Tier labels are client-writable; the rest of the server attributes are read-only.
    assert ZCLAttributeAccess.Write in Price.AttributeDefs.tier48_price_label.access
    assert ZCLAttributeAccess.Write not in Price.AttributeDefs.standing_charge.access
    assert ZCLAttributeAccess.Write not in Price.AttributeDefs.received_tier1_price_label.access


def test_price_client_attributes_are_kept_apart() -> None:
    client = Price.ClientAttributeDefs
    assert client.price_increase_randomize_minutes.id == 0x0000
    assert client.price_decrease_randomize_minutes.id == 0x0001
    assert client.commodity_type.id == 0x0002
    # The server's tier labels own those ids in Price.AttributeDefs.
    assert Price.attributes[0x0000].name == "tier1_price_label"


def test_metering_keeps_zigpy_commands_and_retypes_the_ihd_ones() -> None:
    server = {c.name: c.id for c in Metering.ServerCommandDefs}
    client = {c.name: c.id for c in Metering.ClientCommandDefs}
    assert server == {c.name: c.id for c in zigpy_se.Metering.ServerCommandDefs}
    assert client == {c.name: c.id for c in zigpy_se.Metering.ClientCommandDefs}
    assert server["get_profile"] == 0x00
    assert server["local_change_supply"] == 0x0C
    assert client["get_profile_response"] == 0x00
    assert client["supply_status_response"] == 0x0C
    fields = Metering.ServerCommandDefs.local_change_supply.schema.fields
    assert fields.proposed_supply_status.type is Metering.ProposedSupplyStatus


COMMAND_IDS = {
    (Price, "client"): {
        "publish_price": 0x00,
        "publish_block_period": 0x01,
        "publish_conversion_factor": 0x02,
        "publish_calorific_value": 0x03,
        "publish_tariff_information": 0x04,
        "publish_price_matrix": 0x05,
        "publish_block_thresholds": 0x06,
        "publish_co2_value": 0x07,
        "publish_tier_labels": 0x08,
        "publish_billing_period": 0x09,
        "publish_consolidated_bill": 0x0A,
        "publish_cpp_event": 0x0B,
        "publish_credit_payment": 0x0C,
        "publish_currency_conversion": 0x0D,
        "cancel_tariff": 0x0E,
    },
    (Price, "server"): {
        "get_current_price": 0x00,
        "get_scheduled_prices": 0x01,
        "price_acknowledgement": 0x02,
        "get_block_periods": 0x03,
        "get_conversion_factor": 0x04,
        "get_calorific_value": 0x05,
        "get_tariff_information": 0x06,
        "get_price_matrix": 0x07,
        "get_block_thresholds": 0x08,
        "get_co2_value": 0x09,
        "get_tier_labels": 0x0A,
        "get_billing_period": 0x0B,
        "get_consolidated_bill": 0x0C,
        "cpp_event_response": 0x0D,
        "get_credit_payment": 0x0E,
        "get_currency_conversion_command": 0x0F,
        "get_tariff_cancellation": 0x10,
    },
    (Drlc, "client"): {
        "load_control_event": 0x00,
        "cancel_load_control_event": 0x01,
        "cancel_all_load_control_events": 0x02,
    },
    (Drlc, "server"): {"report_event_status": 0x00, "get_scheduled_events": 0x01},
    (Messaging, "client"): {
        "display_message": 0x00,
        "cancel_message": 0x01,
        "display_protected_message": 0x02,
        "cancel_all_messages": 0x03,
    },
    (Messaging, "server"): {
        "get_last_message": 0x00,
        "message_confirmation": 0x01,
        "get_message_cancellation": 0x02,
    },
    (Prepayment, "client"): {
        "publish_prepay_snapshot": 0x01,
        "change_payment_mode_response": 0x02,
        "consumer_top_up_response": 0x03,
        "publish_top_up_log": 0x05,
        "publish_debt_log": 0x06,
    },
    (Prepayment, "server"): {
        "select_available_emergency_credit": 0x00,
        "change_debt": 0x02,
        "emergency_credit_setup": 0x03,
        "consumer_top_up": 0x04,
        "credit_adjustment": 0x05,
        "change_payment_mode": 0x06,
        "get_prepay_snapshot": 0x07,
        "get_top_up_log": 0x08,
        "set_low_credit_warning_level": 0x09,
        "get_debt_repayment_log": 0x0A,
        "set_maximum_credit_limit": 0x0B,
        "set_overall_debt_cap": 0x0C,
    },
}


@pytest.mark.parametrize(("key", "expected"), COMMAND_IDS.items(), ids=lambda v: str(v))
def test_command_ids(key: tuple[type[Cluster], str], expected: dict[str, int]) -> None:
    cls, side = key
    defs = cls.ClientCommandDefs if side == "client" else cls.ServerCommandDefs
    assert {c.name: c.id for c in defs} == expected


def test_optional_fields_are_trailing_only() -> None:
    """An optional field followed by a mandatory one could never be omitted on the wire."""
    for cls, _, _ in OURS:
        for defs in (cls.ServerCommandDefs, cls.ClientCommandDefs):
            for command in defs:
                flags = [bool(f.optional) for f in command.schema.fields]
                first = flags.index(True) if True in flags else len(flags)
                assert all(flags[first:]), command.name


def test_publish_price_optional_fields() -> None:
    fields = Price.ClientCommandDefs.publish_price.schema.fields
    assert [f.name for f in fields][:11] == [
        "provider_id",
        "rate_label",
        "issuer_event_id",
        "current_time",
        "unit_of_measure",
        "currency",
        "price_trailing_digit_and_price_tier",
        "number_of_price_tiers_and_register_tier",
        "start_time",
        "duration_in_minutes",
        "price",
    ]
    assert not any(f.optional for f in fields[:11])
    assert len(fields) == 24
    assert all(f.optional for f in fields[11:])

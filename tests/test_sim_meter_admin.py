"""The simulated ESME's Device Management and Events servers, through zigpy: what happens in
the home lands in its GBCS event logs; tenancy and supplier changes become domain events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from device_backend import model
from device_backend.simulator.meter_admin import MeterAdmin
from device_backend.simulator.scenario import ScenarioError, load_scenario
from device_backend.zcl.events import LogID
from tests.support.installer import on_service
from tests.support.scenarios import PREPAY_TOU
from tests.support.sim import advance, run, started

SWITCH = """
[[timeline]]
at = "+30m"
type = "tamper"

[[timeline]]
at = "+1h"
type = "change_of_tenancy"
takes_effect = "+2h"
clear_display_data = false

[[timeline]]
at = "+1h"
type = "change_of_supplier"
supplier = "Kestrel Power"
provider_id = 4242
contact = "0800 123 4567"
takes_effect = "+2h"
[timeline.tariff]
kind = "tou"
label = "Kestrel Fixed"
standing_charge = 49.00
default_tier = 1
tiers = [ { tier = 1, label = "Any time", price = 22.10 } ]
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "home.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_tenancy_and_supplier_changes_travel_as_zcl_and_the_tariff_follows(
    tmp_path: Path,
) -> None:
    path = _file(tmp_path, PREPAY_TOU.format(seed=3) + SWITCH)

    async def body() -> None:
        backend, recorder = await started(path)
        try:
            start = backend.clock.now()
            await advance(backend, timedelta(hours=2, minutes=1))
            (tenancy,) = recorder.of(model.TenancyChange)
            assert tenancy.takes_effect == start + timedelta(hours=2)
            assert tenancy.clear_display_data is False
            (supplier,) = recorder.of(model.SupplierChange)
            assert supplier.supplier == "Kestrel Power"
            assert supplier.provider_id == 4242
            assert supplier.previous_provider_id == 0x0826
            assert supplier.takes_effect == start + timedelta(hours=2)
            prices = recorder.of(model.Price)
            before = [p for p in prices if p.time < supplier.takes_effect]
            after = [p for p in prices if p.time >= supplier.takes_effect]
            assert "Test TOU" in {p.tariff_label for p in before}
            assert "Kestrel Fixed" not in {p.tariff_label for p in before}
            assert after[-1].tariff_label == "Kestrel Fixed"
            assert str(after[-1].pence_per_kwh) == "22.1"
            # The meter's Device Management attributes now name the new supplier.
            esme = backend.home.esme
            assert esme.get_attribute(1, 0x0708, "provider_name") == b"Kestrel Power"
            assert esme.get_attribute(1, 0x0708, "provider_id") == 4242
        finally:
            await backend.stop()

    run(body())


def test_top_ups_and_tamper_are_logged_and_read_over_the_han(tmp_path: Path) -> None:
    path = _file(tmp_path, PREPAY_TOU.format(seed=5))

    async def body(backend: Any, service: Any) -> None:
        home = backend.home
        await backend.run_until(backend.clock.now() + timedelta(minutes=10))
        utrn = home.issue_top_up(1000)
        result = await backend.top_up(utrn)
        assert result.accepted
        again = await backend.top_up(utrn)
        assert again.outcome is model.TopUpOutcome.DUPLICATE
        home.admin.tamper(backend.clock.now())
        await backend.run_until(backend.clock.now() + timedelta(minutes=1))
        rows = await service.meter_logs.read(str(home.esme.ieee))
        codes = [r.event_id for r in rows]
        # GBCS codes (Wireshark packet-gbcs-gbz.c): 0x810E credit added locally, 0x8F51
        # duplicate UTRN, 0x8F3F tamper; newest first.
        assert codes.index(0x8F3F) < codes.index(0x8F51) < codes.index(0x810E)
        added = rows[codes.index(0x810E)]
        # £10.00 in GB wire money (a pound to five decimals, se_clusters.md §2.6): 1,000,000,
        # int32 little-endian.
        assert added.data == "40 42 0F 00"
        assert added.log == "GBCS general event log"
        assert rows[codes.index(0x8F3F)].log == "GBCS security log"
        security = await service.meter_logs.read(str(home.esme.ieee), "Security log")
        assert [r.event_id for r in security] == [0x8F3F, 0x8F51]

    on_service(body, scenario=str(path), speed=None)


def test_supply_state_changes_are_logged() -> None:
    class Meter:
        def __init__(self) -> None:
            self.handlers: dict[Any, Any] = {}

        def set_attributes(self, *_: Any) -> None:
            return None

    status = [2]
    admin = MeterAdmin(Meter(), lambda: status[0])
    moment = datetime(2026, 1, 12, tzinfo=UTC)
    for minute, value in enumerate([2, 0, 0, 1, 2]):
        status[0] = value
        admin.tick(moment + timedelta(minutes=minute))
    found = admin.logs.matching(LogID.All_Logs, 0, None, None)
    # Off: 0x8F0F Credit Below Disablement Threshold; armed: 0x8F32 Supply Armed.
    assert [(e.event_id, e.time.minute) for e in found] == [(0x8F32, 3), (0x8F0F, 1)]


def test_a_supplier_change_must_not_take_effect_before_it_is_sent(tmp_path: Path) -> None:
    bad = SWITCH.replace(
        'takes_effect = "+2h"\n[timeline.tariff]', 'takes_effect = "+10m"\n[timeline.tariff]'
    )
    path = _file(tmp_path, PREPAY_TOU.format(seed=3) + bad)
    with pytest.raises(ScenarioError, match=r"timeline\[2\]\.takes_effect: must not be before"):
        load_scenario(path)


def test_the_jsonl_export_carries_tenancy_supplier_and_load_switches() -> None:
    from device_backend.cli import event_record, json_line

    moment = datetime(2026, 1, 12, 14, tzinfo=UTC)
    lines = [
        json_line(record)
        for record in (
            event_record(
                model.TenancyChange(time=moment, takes_effect=moment, clear_display_data=True)
            ),
            event_record(
                model.SupplierChange(
                    time=moment, supplier="Kestrel Power", provider_id=4242, takes_effect=moment
                )
            ),
            event_record(
                model.LoadSwitchCalendar(
                    time=moment,
                    calendar_id=1,
                    name="",
                    starts=moment,
                    entries=((0, 0), (30, 1)),
                    labels=("Storage heater", ""),
                )
            ),
        )
        if record is not None
    ]
    assert lines == [
        '{"time": "2026-01-12T14:00:00Z", "type": "tenancy", '
        '"takes_effect": "2026-01-12T14:00:00Z", "clear_display_data": true}',
        '{"time": "2026-01-12T14:00:00Z", "type": "supplier", "supplier": "Kestrel Power", '
        '"provider_id": 4242, "takes_effect": "2026-01-12T14:00:00Z"}',
        '{"time": "2026-01-12T14:00:00Z", "type": "load_switches", '
        '"starts": "2026-01-12T14:00:00Z", "labels": ["Storage heater"], '
        '"entries": [[0, 0], [30, 1]]}',
    ]


def test_the_jsonl_export_carries_the_meters_own_top_up_log() -> None:
    from device_backend.cli import event_record, json_line

    moment = datetime(2026, 1, 13, 18, tzinfo=UTC)
    log = model.TopUpLog(
        time=moment,
        fuel=model.Fuel.GAS,
        # GB meters keep pounds to five places: £20 is 2000 pence, £5.00125 is 500.125 pence.
        entries=((moment, Decimal(2000)), (moment - timedelta(days=3), Decimal("500.125"))),
    )
    record = event_record(log)
    assert record is not None
    assert json_line(record) == (
        '{"time": "2026-01-13T18:00:00Z", "type": "top_up_log", "fuel": "gas", "entries": '
        '[{"time": "2026-01-13T18:00:00Z", "value_pence": 2000}, '
        '{"time": "2026-01-10T18:00:00Z", "value_pence": 500.125}], "currency": "GBP"}'
    )

"""A gas valve is opened at the gas meter, not from the display.

GB gives a HAN device two prepayment actions on a GSME, top-up (PCS01) and emergency credit
(PCS02); "request enable supply" (PECS03, Metering LocalChangeSupply) is an ESME use case
(se_clusters.md §3.4). The GSME enables its valve on its own user interface after checking for
uncontrolled flow (SMETS Uncontrolled Gas Flow Rate, SECMP0023). So the gas proxy refuses
LocalChangeSupply, and the display tells the household to press the button on the gas meter.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from zigpy.zcl import foundation

from device_backend import model
from device_backend.translate import METERING
from tests.support.display import START, Display, prepayment
from tests.support.sim import run, with_backend


def test_the_gas_proxy_refuses_local_change_supply_over_the_han() -> None:
    async def body(backend: Any, events: Any) -> tuple[Any, Any]:
        gas = next(a for a in backend.adapters.values() if a.fuel is model.Fuel.GAS)
        electricity = next(a for a in backend.adapters.values() if a.fuel is model.Fuel.ELECTRICITY)
        refused = await gas.clusters[METERING].local_change_supply(proposed_supply_status=2)
        accepted = await electricity.clusters[METERING].local_change_supply(
            proposed_supply_status=2
        )
        return refused, accepted

    refused, accepted = run(with_backend("prepay-low-credit", body))
    assert refused.status == foundation.Status.UNSUP_CLUSTER_COMMAND
    assert accepted.status != foundation.Status.UNSUP_CLUSTER_COMMAND


def test_an_armed_gas_valve_is_restored_at_the_meter_not_on_screen(display: Display) -> None:
    display.emit(
        prepayment(START),
        replace(prepayment(START, credit=800), fuel=model.Fuel.GAS),
        model.Supply(time=START, state=model.SupplyState.ON),
        model.Supply(time=START, state=model.SupplyState.ARMED, fuel=model.Fuel.GAS),
    )
    display.tap("tab-balance")
    assert display.text("balance-gas-supply") == (
        "Gas valve: ready – press the button on your gas meter to turn it back on"
    )
    # Restore supply is the electricity meter's (LocalChangeSupply to the ESME): not offered.
    assert not display.window.screens["balance"].restore.isVisible()

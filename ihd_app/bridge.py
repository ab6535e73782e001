"""The thin Qt adapter: back-end domain events in, one Qt signal per event kind out."""

# The back end runs on the same qasync loop as Qt, so its callbacks already arrive on the GUI
# thread; this adapter only turns them into signals, with no threads and no queueing.

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

from device_backend.api import model


class EventSource(Protocol):
    def on_event(self, callback: Callable[[model.Event], None]) -> Callable[[], None]: ...


class EventBridge(QObject):
    demand = Signal(object)
    energy = Signal(object)
    price = Signal(object)
    prepayment = Signal(object)
    supply = Signal(object)
    ambient = Signal(object)
    message = Signal(object)
    load_control = Signal(object)
    top_up = Signal(object)
    connection = Signal(object)
    device_change = Signal(object)
    clock_check = Signal(object)
    meter_history = Signal(object)
    top_up_log = Signal(object)
    link_quality = Signal(object)
    schedule = Signal(object)  # model.Schedule
    tenancy = Signal(object)  # model.TenancyChange
    supplier = Signal(object)  # model.SupplierChange
    load_switches = Signal(object)  # model.LoadSwitchCalendar
    # Every event, before its own signal: an observer (the trial log) sees the cause before
    # any alert the view-models raise because of it.
    observed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = None
        self._routes: dict[type[model.Event], SignalInstance] = {
            model.Demand: self.demand,
            model.Energy: self.energy,
            model.Price: self.price,
            model.Prepayment: self.prepayment,
            model.Supply: self.supply,
            model.Ambient: self.ambient,
            model.SupplierMessage: self.message,
            model.LoadControl: self.load_control,
            model.TopUpResult: self.top_up,
            model.Connection: self.connection,
            model.DeviceChange: self.device_change,
            model.ClockCheck: self.clock_check,
            model.MeterHistory: self.meter_history,
            model.TopUpLog: self.top_up_log,
            model.LinkQuality: self.link_quality,
            model.Schedule: self.schedule,
            model.TenancyChange: self.tenancy,
            model.SupplierChange: self.supplier,
            model.LoadSwitchCalendar: self.load_switches,
        }

    def attach(self, source: EventSource) -> None:
        self.detach()
        self._unsubscribe = source.on_event(self.publish)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def publish(self, event: model.Event) -> None:
        """Re-emit one event; kinds the display does not use are dropped."""
        signal = self._routes.get(type(event))
        if signal is not None:
            self.observed.emit(event)
            signal.emit(event)

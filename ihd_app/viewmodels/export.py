"""Solar homes: what was exported and bought today, and the power flowing out right now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QObject

from device_backend.api import local_day_start, model
from ihd_app import formatting
from ihd_app.viewmodels.base import Now, ViewModel


@dataclass(frozen=True, slots=True)
class DayStart:
    day: datetime  # local midnight, as UTC
    seen: datetime  # the first reading of that day this display received
    import_kwh: Decimal
    export_kwh: Decimal


class ExportViewModel(ViewModel):
    def __init__(self, now: Now, parent: QObject | None = None) -> None:
        super().__init__(now, parent)
        self.energy: model.Energy | None = None
        self.demand: model.Demand | None = None
        self._day_start: DayStart | None = None

    def on_energy(self, event: model.Energy) -> None:
        if event.fuel is not model.Fuel.ELECTRICITY:
            return
        self.energy = event
        export = event.export_kwh
        if export is not None:
            day = local_day_start(event.time)
            if self._day_start is None or self._day_start.day != day:
                # Registers count up for ever: today's figures are differences from the first
                # reading of the local day this display saw.
                self._day_start = DayStart(day, event.time, event.import_kwh, export)
        self.changed.emit()

    def on_demand(self, event: model.Demand) -> None:
        if event.fuel is model.Fuel.ELECTRICITY:
            self.demand = event
            self.changed.emit()

    @property
    def has_export(self) -> bool:
        return self.energy is not None and self.energy.export_kwh is not None

    def flow_text(self) -> str:
        if self.demand is None:
            return self.tr("Waiting for the meter…")
        power = self.demand.value
        if power < 0:
            return self.tr("Sending {power} to the grid").format(power=formatting.kw(-power))
        return self.tr("Buying {power} from the grid").format(power=formatting.kw(power))

    def today(self) -> tuple[str, str] | None:
        """(exported today, bought today) since this display saw the day's first reading."""
        if self.energy is None or self._day_start is None or self.energy.export_kwh is None:
            return None
        exported = self.energy.export_kwh - self._day_start.export_kwh
        bought = self.energy.import_kwh - self._day_start.import_kwh
        return formatting.kwh(exported), formatting.kwh(bought)

    def registers(self) -> tuple[str, str] | None:
        if self.energy is None or self.energy.export_kwh is None:
            return None
        return formatting.kwh(self.energy.export_kwh), formatting.kwh(self.energy.import_kwh)

    def today_from(self) -> str:
        if self._day_start is None:
            return ""
        return formatting.clock_time(self._day_start.seen)

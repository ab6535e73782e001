"""Every view-model of the display, fed from the bridge's signals and ticked by one timer."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from device_backend.api import model
from ihd_app.bridge import EventBridge
from ihd_app.session import Session
from ihd_app.settings import SettingsFile
from ihd_app.totals import TotalsSource
from ihd_app.viewmodels.alerts import AlertsViewModel
from ihd_app.viewmodels.balance import BalanceViewModel
from ihd_app.viewmodels.budget import BudgetViewModel
from ihd_app.viewmodels.export import ExportViewModel
from ihd_app.viewmodels.history import HistoryViewModel
from ihd_app.viewmodels.household import HouseholdViewModel
from ihd_app.viewmodels.load_switches import LoadSwitchViewModel
from ihd_app.viewmodels.loadcontrol import LoadControlViewModel
from ihd_app.viewmodels.messages import MessagesViewModel
from ihd_app.viewmodels.meters import MeterSet
from ihd_app.viewmodels.now import NowViewModel
from ihd_app.viewmodels.prices import PriceBook
from ihd_app.viewmodels.settings import SettingsViewModel
from ihd_app.viewmodels.tariff import TariffViewModel
from ihd_app.viewmodels.usage import UsageViewModel

TICK_MS = 1000


class DisplayState(QObject):
    def __init__(self, settings_file: SettingsFile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = EventBridge(self)
        self.session = Session(self.bridge, self)
        now = self.session.now
        self.prices = PriceBook()
        self.meters = MeterSet()
        self.settings = SettingsViewModel(now, settings_file, self)
        self.now = NowViewModel(now, self.prices, self.meters, self)
        self.usage = UsageViewModel(now, self.prices, self.meters, self)
        self.budget = BudgetViewModel(now, self.settings, self)
        self.history = HistoryViewModel(now, self)
        self.tariff = TariffViewModel(now, self.prices, self.meters, self)
        # The keypad's pause after refused codes is kept with the settings, through restarts.
        self.balance = BalanceViewModel(
            now, self.session, self.prices, self, guard_store=self.settings
        )
        self.messages = MessagesViewModel(now, self.session, self)
        self.load_control = LoadControlViewModel(now, self)  # DRLC: non-GB SE meters
        self.load_switches = LoadSwitchViewModel(now, self)  # GB: the meter's ALCS calendars
        self.export = ExportViewModel(now, self)
        self.alerts = AlertsViewModel(now, self)
        self.household = HouseholdViewModel(now, self.session, self)  # tenancy and supplier
        self._connect()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)

    def _connect(self) -> None:
        b = self.bridge
        # Meters first too: a screen redrawn on "online" should already know there is no gas.
        b.connection.connect(self._list_meters)
        b.device_change.connect(self._meter_changed)
        # The price book is shared: fill it before any view-model redraws from it.
        b.price.connect(self.prices.add)
        b.price.connect(self.now.on_price)
        b.price.connect(self.tariff.on_price)
        b.schedule.connect(self.tariff.on_schedule)
        b.price.connect(lambda _: self.usage.changed.emit())
        b.demand.connect(self.now.on_demand)
        b.demand.connect(self.history.on_demand)
        b.demand.connect(self.export.on_demand)
        b.energy.connect(self.now.on_energy)
        b.energy.connect(self.usage.on_energy)
        b.energy.connect(self.budget.on_energy)
        b.energy.connect(self.history.on_energy)
        b.energy.connect(self.export.on_energy)
        b.ambient.connect(self.now.on_ambient)
        b.connection.connect(self.now.on_connection)
        b.prepayment.connect(self.balance.on_prepayment)
        b.prepayment.connect(self.now.on_prepayment)
        b.clock_check.connect(self.now.on_clock_check)
        b.link_quality.connect(self.now.on_link_quality)
        b.meter_history.connect(self.history.on_meter_history)
        b.meter_history.connect(self.usage.on_meter_history)
        b.supply.connect(self.balance.on_supply)
        b.top_up.connect(self.balance.on_top_up)
        b.top_up_log.connect(self.balance.on_top_up_log)
        b.message.connect(self.messages.on_message)
        b.load_control.connect(self.load_control.on_load_control)
        b.load_switches.connect(self.load_switches.on_calendar)
        b.prepayment.connect(self.alerts.on_prepayment)
        b.supply.connect(self.alerts.on_supply)
        b.message.connect(self.alerts.on_message)
        b.price.connect(self.alerts.on_price)
        b.price.connect(self.household.on_price)
        b.tenancy.connect(self.household.on_tenancy)
        b.supplier.connect(self.household.on_supplier)
        self.household.wiped.connect(self.usage.refresh)
        self.household.wiped.connect(self.history.refresh)

    def _list_meters(self, event: model.Connection) -> None:
        backend = self.session.backend
        if event.state is model.ConnectionState.ONLINE and backend is not None:
            self.meters.update({d.role for d in backend.devices()})
            self._meters_changed()

    def _meter_changed(self, event: model.DeviceChange) -> None:
        if event.kind == "interviewed":
            self.meters.add(event.device.role)
            self._meters_changed()

    def _meters_changed(self) -> None:
        for vm in (self.now, self.usage, self.tariff):
            vm.changed.emit()

    def set_source(self, source: TotalsSource | None) -> None:
        self.usage.set_source(source)
        self.budget.set_source(source)
        self.history.set_source(source)
        self.balance.set_source(source)

    def start_ticking(self) -> None:
        self._timer.start()

    def stop_ticking(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        for vm in (
            self.now,
            self.load_control,
            self.load_switches,
            self.messages,
            self.history,
            self.balance,
            self.alerts,
            self.budget,
            self.tariff,
        ):
            vm.tick()

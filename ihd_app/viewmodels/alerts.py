"""Alerts for the household: low or no credit, supply off, a new message, a price rise."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QObject, Signal

from device_backend.api import model
from ihd_app import formatting
from ihd_app.viewmodels.base import Now, ViewModel


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # low_credit, credit_exhausted, supply_off, message, price_rise
    key: str  # one alert per key at a time: a repeat of the same condition is not new
    raised: datetime
    screen: str  # where "Show me" goes
    severity: str  # "warning" or "alert"
    params: dict[str, str] = field(default_factory=dict)


class AlertsViewModel(ViewModel):
    """Raises an alert when a condition starts; it goes when dismissed or when the condition ends.

    The words are made when shown (`text`), so an alert raised in English reads in Welsh
    after the language changes.
    """

    raised = Signal(object)  # Alert
    dismissed = Signal(object, str)  # Alert, how: dismissed, show, resolved

    def __init__(self, now: Now, parent: QObject | None = None) -> None:
        super().__init__(now, parent)
        self.queue: list[Alert] = []
        self._prepayment: model.Prepayment | None = None
        self._supply: model.SupplyState | None = None
        self._seen_messages: set[int] = set()
        # Messages waiting for their start time, and when each shown message's alert ends.
        self._pending_messages: dict[int, model.SupplierMessage] = {}
        self._message_ends: dict[str, datetime] = {}
        self._prices: dict[tuple[model.Fuel, int], model.Price] = {}

    # -- what is on view -----------------------------------------------------------------------

    @property
    def current(self) -> Alert | None:
        """The first urgent alert waiting, else the oldest: no supply comes before a message."""
        return next(
            (a for a in self.queue if self.urgent(a)), self.queue[0] if self.queue else None
        )

    def text(self, alert: Alert) -> str:
        p = alert.params
        if alert.kind == "low_credit":
            return self.tr("Low credit: {amount} left. Please top up soon.").format(
                amount=formatting.pounds(int(p["pence"]))
            )
        if alert.kind == "credit_exhausted":
            return self.tr("Your credit has run out. Top up to keep your supply on.")
        if alert.kind == "supply_off":
            if p.get("credit_out"):
                return self.tr(
                    "Your credit has run out and your electricity supply is off. "
                    "Top up to restore it."
                )
            return self.tr("Your electricity supply is off. Top up to restore it.")
        if alert.kind == "message":
            if alert.severity == "alert":
                return self.tr("Urgent message from your supplier.")
            return self.tr("New message from your supplier.")
        if alert.kind == "price_rise":
            fuel = self.tr("Gas") if p.get("fuel") == "gas" else self.tr("Electricity")
            return self.tr("{fuel} price going up: {price} from {when}.").format(
                fuel=fuel,
                price=formatting.unit_price(Decimal(p["pence"])),
                when=formatting.when_label(datetime.fromisoformat(p["starts"]), self.now()),
            )
        return alert.kind

    def short_text(self, alert: Alert) -> str:
        """A few words for the status line's badge; `text` is the whole sentence."""
        return {
            "low_credit": self.tr("Low credit"),
            "credit_exhausted": self.tr("No credit"),
            "supply_off": self.tr("Supply off"),
            "message": self.tr("New message"),
            "price_rise": self.tr("Price rise"),
        }.get(alert.kind, alert.kind)

    @staticmethod
    def urgent(alert: Alert) -> bool:
        """What cannot wait on a badge: no supply, no credit, or a message the supplier marked
        high or critical (SE 1.4 Messaging, Message Control importance bits)."""
        if alert.kind in ("supply_off", "credit_exhausted"):
            return True
        return alert.kind == "message" and alert.params.get("importance") in ("high", "critical")

    def message_ids(self) -> set[int]:
        """The supplier messages with an alert still waiting."""
        return {int(a.key.removeprefix("message-")) for a in self.queue if a.kind == "message"}

    def read_messages(self) -> None:
        """The household opened Messages: the message alerts have done their job."""
        read = [a for a in self.queue if a.kind == "message"]
        for alert in read:
            self.queue.remove(alert)
            self.dismissed.emit(alert, "show")
        if read:
            self.changed.emit()

    def show_label(self, alert: Alert) -> str:
        return {
            "balance": self.tr("Top up"),
            "messages": self.tr("Read it"),
            "tariff": self.tr("See prices"),
        }.get(alert.screen, self.tr("Show me"))

    # -- raising and clearing ------------------------------------------------------------------

    def _raise(self, alert: Alert, *, first: bool = False) -> None:
        if any(a.key == alert.key for a in self.queue):
            return
        if first:
            # Ahead of every warning, even one on view (it comes back after); behind alerts.
            place = next((i for i, a in enumerate(self.queue) if a.severity != "alert"), None)
            self.queue.insert(len(self.queue) if place is None else place, alert)
        else:
            self.queue.append(alert)
        self.raised.emit(alert)
        self.changed.emit()

    def _mark_supply(self, *, credit_out: bool) -> None:
        """Say (or stop saying) in the supply-off alert waiting that the credit has run out."""
        for i, alert in enumerate(self.queue):
            if alert.key == "supply":
                params = {"credit_out": "1"} if credit_out else {}
                if alert.params != params:
                    self.queue[i] = replace(alert, params=params)
                    self.changed.emit()

    def _resolve(self, key: str) -> None:
        for alert in [a for a in self.queue if a.key == key]:
            self.queue.remove(alert)
            self.dismissed.emit(alert, "resolved")
        self.changed.emit()

    def dismiss(self, how: str = "dismissed") -> Alert | None:
        """The household answered the alert on view ("dismissed" or "show")."""
        alert = self.current
        if alert is None:
            return None
        self.queue.remove(alert)
        self.dismissed.emit(alert, how)
        self.changed.emit()
        return alert

    # -- events --------------------------------------------------------------------------------

    def on_prepayment(self, event: model.Prepayment) -> None:
        if event.fuel is not model.Fuel.ELECTRICITY:
            return
        before = self._prepayment
        self._prepayment = event
        prepay = event.mode is model.PaymentMode.PREPAYMENT
        exhausted = prepay and event.credit_exhausted
        low = prepay and event.low_credit and not exhausted
        was_exhausted = before is not None and before.credit_exhausted
        was_low = before is not None and before.low_credit and not was_exhausted
        if low and not was_low:
            self._raise(
                Alert(
                    "low_credit",
                    "credit",
                    event.time,
                    "balance",
                    "warning",
                    {"pence": str(event.credit_pence)},
                )
            )
        if exhausted and not was_exhausted:
            self._resolve("credit")
            if self._supply is model.SupplyState.OFF:
                # Off already: one popup says both, never a second in turn.
                self._mark_supply(credit_out=True)
            else:
                self._raise(Alert("credit_exhausted", "credit-out", event.time, "balance", "alert"))
        if not low and was_low:
            self._resolve("credit")
        if not exhausted and was_exhausted:
            self._resolve("credit-out")
            self._mark_supply(credit_out=False)

    def on_supply(self, event: model.Supply) -> None:
        if event.fuel is not model.Fuel.ELECTRICITY:
            return
        before, self._supply = self._supply, event.state
        if event.state is model.SupplyState.OFF and before is not model.SupplyState.OFF:
            # No credit and no supply are one thing to the household, the second the result
            # of the first: the supply alert takes the credit one's place and says both.
            credit_out = any(a.key == "credit-out" for a in self.queue)
            if credit_out:
                self._resolve("credit-out")
            params = {"credit_out": "1"} if credit_out else {}
            self._raise(Alert("supply_off", "supply", event.time, "balance", "alert", params))
        elif event.state is not model.SupplyState.OFF and before is model.SupplyState.OFF:
            self._resolve("supply")

    def on_message(self, event: model.SupplierMessage) -> None:
        """Importance and duration as the meter sent them (Messaging MessageControl bits 2-3,
        StartTime, DurationInMinutes): a high or critical message is an alert put first, a
        message waits for its start, and its alert goes when it ends or is cancelled."""
        key = f"message-{event.id}"
        now = self.now()
        if event.ends is not None and event.ends <= now:
            self._pending_messages.pop(event.id, None)
            self._resolve(key)  # ended, or cancelled by the supplier
            return
        if event.id in self._seen_messages:
            return
        self._seen_messages.add(event.id)
        if event.confirmed:
            return
        if event.starts is not None and event.starts > now:
            self._pending_messages[event.id] = event
            return
        self._raise_message(event)

    def _raise_message(self, event: model.SupplierMessage) -> None:
        key = f"message-{event.id}"
        urgent = event.importance in ("high", "critical")
        if event.ends is not None:
            self._message_ends[key] = event.ends
        self._raise(
            Alert(
                "message",
                key,
                event.time,
                "messages",
                "alert" if urgent else "warning",
                {"importance": event.importance},
            ),
            first=urgent,
        )

    def tick(self) -> None:
        now = self.now()
        for key, ends in list(self._message_ends.items()):
            if ends <= now:
                del self._message_ends[key]
                self._resolve(key)
        for message_id, message in list(self._pending_messages.items()):
            if message.starts is not None and message.starts <= now:
                del self._pending_messages[message_id]
                self._raise_message(message)
        super().tick()

    def on_price(self, event: model.Price) -> None:
        """A higher unit price for the same fuel and rate; a day/night switch is not a rise."""
        key = (event.fuel, event.tier)
        before = self._prices.get(key)
        self._prices[key] = event
        if before is None or event.pence_per_kwh <= before.pence_per_kwh:
            return
        starts = event.starts or event.time
        self._raise(
            Alert(
                "price_rise",
                f"price-{event.fuel.value}-{event.tier}-{event.pence_per_kwh}",
                event.time,
                "tariff",
                "warning",
                {
                    "fuel": event.fuel.value,
                    "pence": str(event.pence_per_kwh),
                    "starts": starts.isoformat(),
                },
            )
        )

"""A change of tenancy or of supplier, announced by the meter (Device Management 0x0708).

Change of tenancy: when the supplier asks displays to clear the consumer's data (the
ClearIHDDataConsumer bit), the display asks whether to wipe the household's history, and only
an installer PIN lets it; it then uses the store's own change-of-tenancy wipe. Change of
supplier: the new supplier's name, and its tariff once the meter publishes the new prices.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from device_backend.api import model
from ihd_app import formatting
from ihd_app.session import Session
from ihd_app.viewmodels.base import Now, ViewModel


class HouseholdViewModel(ViewModel):
    wiped = Signal()  # the history is gone: every figure drawn from it is redrawn

    def __init__(self, now: Now, session: Session, parent: QObject | None = None) -> None:
        super().__init__(now, parent)
        self.session = session
        self.tenancy: model.TenancyChange | None = None  # waiting for an answer
        self.supplier: model.SupplierChange | None = None  # on view until read
        self._seen: set[tuple[str, int]] = set()
        self._price: model.Price | None = None
        self.outcome = ""  # what the wipe did, in words, for the prompt to say

    # -- events ----------------------------------------------------------------------------

    def on_tenancy(self, event: model.TenancyChange) -> None:
        key = ("tenancy", event.issuer_event_id)
        if key in self._seen or not event.clear_display_data:
            return  # a repeat (e.g. an answer to GetChangeOfTenancy), or nothing to clear
        self._seen.add(key)
        self.tenancy = event
        self.outcome = ""
        self.changed.emit()

    def on_supplier(self, event: model.SupplierChange) -> None:
        key = ("supplier", event.issuer_event_id)
        if key in self._seen:
            return
        self._seen.add(key)
        self.supplier = event
        self.changed.emit()

    def on_price(self, event: model.Price) -> None:
        if event.fuel is not model.Fuel.ELECTRICITY:
            return
        self._price = event
        if self.supplier is not None:
            self.changed.emit()  # the new supplier's tariff may just have arrived

    # -- change of tenancy -----------------------------------------------------------------

    def tenancy_text(self) -> str:
        event = self.tenancy
        if event is None:
            return ""
        return self.tr(
            "Your energy supplier says a new household lives here from {when}. "
            "Clear the previous household's energy history from this display? "
            "An installer PIN is needed."
        ).format(when=formatting.when_label(event.takes_effect, self.now()))

    def keep_history(self) -> None:
        """The household said no (or gave up at the PIN): nothing is wiped."""
        self.tenancy = None
        self.outcome = ""
        self.changed.emit()

    def wipe_history(self) -> bool:
        """Only after the PIN was accepted: the store's change-of-tenancy wipe."""
        store = getattr(self.session.backend, "store", None)
        if store is None:
            self.outcome = self.tr("This display keeps no history, so there was nothing to clear.")
            self.tenancy = None
            self.changed.emit()
            return False
        try:
            recorder = getattr(self.session.backend, "recorder", None)
            if recorder is not None:
                recorder.flush()  # nothing of the old household left waiting to be written
            store.wipe_household(who="installer")
        except Exception as exc:  # noqa: BLE001 - the reason goes on screen, the prompt stays
            self.outcome = self.tr("The history could not be cleared: {reason}").format(
                reason=str(exc)
            )
            self.changed.emit()
            return False
        self.tenancy = None
        self.outcome = self.tr("The previous household's history has been cleared.")
        self.wiped.emit()
        self.changed.emit()
        return True

    def done(self) -> None:
        self.outcome = ""
        self.changed.emit()

    # -- change of supplier ----------------------------------------------------------------

    def supplier_text(self) -> str:
        event = self.supplier
        if event is None:
            return ""
        now = self.now()
        if event.takes_effect > now:
            words = self.tr("Your electricity supplier is changing to {name} on {when}.").format(
                name=event.supplier, when=formatting.when_label(event.takes_effect, now)
            )
        else:
            words = self.tr("Your electricity supplier is now {name}.").format(name=event.supplier)
        price = self._price
        if price is not None and price.time >= event.takes_effect:
            words += " " + self.tr(
                "Your tariff: {tariff}, {price}, standing charge {standing} a day."
            ).format(
                tariff=price.tariff_label or price.tier_label,
                price=formatting.unit_price(price.pence_per_kwh),
                standing=formatting.pence_amount(price.standing_charge_pence_per_day),
            )
        else:
            words += " " + self.tr("Its prices will show here when your meter receives them.")
        if event.contact:
            words += " " + self.tr("Contact: {contact}").format(
                contact=event.contact.replace(" ", "\u00a0")  # a phone number on one line
            )
        return words

    def supplier_read(self) -> None:
        self.supplier = None
        self.changed.emit()

    @property
    def showing(self) -> str:
        """What the prompt has to show: "tenancy", "outcome", "supplier" or ""."""
        if self.tenancy is not None:
            return "tenancy"
        if self.outcome:
            return "outcome"
        if self.supplier is not None:
            return "supplier"
        return ""

"""The Balance screen: prepayment credit, emergency credit, debt, supply, and the top-up keypad."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal

from device_backend.api import energy_cost_pence, json_pence, model
from ihd_app import formatting
from ihd_app.plural import counted
from ihd_app.session import Session
from ihd_app.totals import TotalsSource
from ihd_app.viewmodels.base import Now, ViewModel
from ihd_app.viewmodels.keypad import (
    REFUSALS_BEFORE_PAUSE,
    WARN_WHEN_LEFT,
    GuardStore,
    TopUpGuard,
    UtrnEntry,
    countdown,
)
from ihd_app.viewmodels.prices import PriceBook

LOGGER = logging.getLogger(__name__)
RECENT_DAYS = 7
# The meter's answers that count towards pausing the keypad (see viewmodels.keypad for why).
REFUSALS = {model.TopUpOutcome.INVALID, model.TopUpOutcome.DUPLICATE}


@dataclass(frozen=True, slots=True)
class Feedback:
    kind: str  # "info", "success", "error"
    text: str


class BalanceViewModel(ViewModel):
    # For the trial log; a code's digits never travel with them.
    top_up_attempted = Signal(str, int)  # "sent" or why it was refused here; digits entered
    top_up_answered = Signal(str, dict)  # the meter's outcome (or "failed"), and its figures

    def __init__(
        self,
        now: Now,
        session: Session,
        prices: PriceBook,
        parent: QObject | None = None,
        guard_store: GuardStore | None = None,
    ) -> None:
        super().__init__(now, parent)
        self.session = session
        self.prices = prices
        self.source: TotalsSource | None = None
        self.prepayment: model.Prepayment | None = None
        self.supply: model.SupplyState | None = None
        # A dual-fuel prepayment home: the GSME's balance and valve reach the HAN through the
        # gas proxy's Prepayment cluster and SupplyStatus; a top-up code is for one meter.
        self.gas: model.Prepayment | None = None
        self.gas_supply: model.SupplyState | None = None
        self.fuel = model.Fuel.ELECTRICITY  # which meter the keypad's code goes to
        self.top_up_logs: dict[model.Fuel, model.TopUpLog] = {}  # each meter's own record
        self.entry = UtrnEntry()
        self.feedback: Feedback | None = None
        self.sending = False
        self.emergency_feedback: Feedback | None = None
        self.supply_feedback: Feedback | None = None
        self.sent_codes = 0  # how many codes went to the meter: a local refusal never counts
        self.guard = TopUpGuard(guard_store)
        self._was_paused = False

    def tick(self) -> None:
        paused = self.paused_until() is not None
        if self._was_paused and not paused:
            self.feedback = Feedback("info", self.tr("You can enter a top-up code again."))
        self._was_paused = paused
        super().tick()

    # -- events ----------------------------------------------------------------------------

    def set_source(self, source: TotalsSource | None) -> None:
        self.source = source
        self.changed.emit()

    def on_prepayment(self, event: model.Prepayment) -> None:
        if event.fuel is model.Fuel.GAS:
            self.gas = event
        else:
            self.prepayment = event
        self.changed.emit()

    def on_supply(self, event: model.Supply) -> None:
        if event.fuel is model.Fuel.GAS:
            self.gas_supply = event.state
        else:
            self.supply = event.state
        self.changed.emit()

    def on_top_up(self, event: model.TopUpResult) -> None:
        gas = event.fuel is model.Fuel.GAS
        account = self.gas if gas else self.prepayment
        if event.credit_pence is not None and account is not None:
            # Show the meter's new balance at once; the full prepayment state follows.
            account = replace(account, credit_pence=event.credit_pence)
            if gas:
                self.gas = account
            else:
                self.prepayment = account
        if event.supply is not None:
            if gas:
                self.gas_supply = event.supply
            else:
                self.supply = event.supply
        self.changed.emit()

    def on_top_up_log(self, event: model.TopUpLog) -> None:
        self.top_up_logs[event.fuel] = event
        self.changed.emit()

    # -- the meters' top-up logs -----------------------------------------------------------

    @property
    def has_top_up_history(self) -> bool:
        return any(log.entries for log in self.top_up_logs.values())

    def top_up_history(self) -> list[str]:
        """Each meter's own record of its last top-ups, newest first, saying which meter: in a
        dual-fuel home the gas and electricity balances are topped up separately."""
        names = {model.Fuel.ELECTRICITY: self.tr("Electricity"), model.Fuel.GAS: self.tr("Gas")}
        rows = sorted(
            (
                (when, fuel, amount, log.currency)
                for fuel, log in self.top_up_logs.items()
                for when, amount in log.entries
            ),
            key=lambda row: row[0],
            reverse=True,
        )
        return [
            self.tr("{day} {time} · {fuel} · {amount}").format(
                day=formatting.day_label(when),
                time=formatting.clock_time(when),
                fuel=names[fuel],
                amount=formatting.pounds(amount, currency),
            )
            for when, fuel, amount, currency in rows
        ]

    # -- gas (dual-fuel prepayment) ---------------------------------------------------------

    @property
    def gas_prepay(self) -> bool:
        return self.gas is not None and self.gas.mode is model.PaymentMode.PREPAYMENT

    def choose_fuel(self, fuel: model.Fuel) -> None:
        self.fuel = fuel
        self.feedback = None
        self.changed.emit()

    def gas_text(self) -> str:
        g = self.gas
        if g is None:
            return ""
        parts = [formatting.pounds(g.credit_pence, g.currency)]
        if g.emergency_credit_selected:
            parts.append(
                self.tr("emergency credit in use: {amount} left").format(
                    amount=formatting.pounds(g.emergency_credit_pence, g.currency)
                )
            )
        elif g.emergency_credit_available:
            parts.append(
                self.tr("emergency credit {amount} available").format(
                    amount=formatting.pounds(g.emergency_credit_pence, g.currency)
                )
            )
        if g.debt_pence > 0:
            parts.append(
                self.tr("debt {amount}").format(amount=formatting.pounds(g.debt_pence, g.currency))
            )
        return " · ".join(parts)

    def gas_supply_text(self) -> str:
        # GB gas meters are re-enabled at the meter itself, never from a display: the HAN has
        # no use case for it (a PPMID may only top up a GSME, PCS01, or start its emergency
        # credit, PCS02; "request enable supply" PECS03 is for the ESME; se_clusters.md §3.4),
        # and the GSME's own user interface enables the valve after checking for uncontrolled
        # flow (SMETS Uncontrolled Gas Flow Rate, SECMP0023). gb_domain.md §4, an npower manual.
        return {
            model.SupplyState.ON: self.tr("Gas valve: open"),
            model.SupplyState.ARMED: self.tr(
                "Gas valve: ready – press the button on your gas meter to turn it back on"
            ),
            model.SupplyState.OFF: self.tr("Gas valve: closed – top up your gas to restore it"),
            None: self.tr("Gas valve: not known yet"),
        }[self.gas_supply]

    def chosen_credit_text(self) -> str:
        """The balance of the meter the keypad's code goes to."""
        g = self.gas
        if self.fuel is model.Fuel.GAS and g is not None and self.gas_prepay:
            return formatting.pounds(g.credit_pence, g.currency)
        return self.credit_text()

    def fuel_prompt(self) -> str:
        if self.fuel is model.Fuel.GAS:
            return self.tr("This code is for: Gas")
        return self.tr("This code is for: Electricity")

    # -- state in words --------------------------------------------------------------------

    @property
    def known(self) -> bool:
        return self.prepayment is not None

    @property
    def prepay(self) -> bool:
        return self.prepayment is not None and self.prepayment.mode is model.PaymentMode.PREPAYMENT

    def credit_text(self) -> str:
        return (
            formatting.pounds(self.prepayment.credit_pence, self.prepayment.currency)
            if self.prepayment
            else ""
        )

    def emergency_text(self) -> str:
        p = self.prepayment
        if p is None:
            return ""
        if p.emergency_credit_selected:
            return self.tr("In use: {amount} left").format(
                amount=formatting.pounds(p.emergency_credit_pence, p.currency)
            )
        if p.emergency_credit_available:
            return self.tr("{amount} available").format(
                amount=formatting.pounds(p.emergency_credit_pence, p.currency)
            )
        return self.tr("Not available now")

    @property
    def emergency_offered(self) -> bool:
        p = self.prepayment
        return bool(p and p.emergency_credit_available and not p.emergency_credit_selected)

    def debt_text(self) -> str:
        p = self.prepayment
        if p is None or p.debt_pence <= 0:
            return self.tr("No debt")
        if p.debts:
            # Each of the meter's debts with its own recovery (SMETS2: two time-based at their
            # own daily rates, one payment-based as a share of each top-up).
            parts = []
            for debt in p.debts:
                amount = formatting.pounds(debt.pence, p.currency)
                if debt.recovery_percent is not None:
                    parts.append(
                        self.tr("{amount} repaid from {percent} of each top-up").format(
                            amount=amount, percent=f"{formatting.number(debt.recovery_percent)}%"
                        )
                    )
                else:
                    parts.append(
                        self.tr("{amount} repaid at {rate} a day").format(
                            amount=amount,
                            rate=formatting.money_rate(debt.recovery_pence_per_day or Decimal(0)),
                        )
                    )
            return formatting.pounds(p.debt_pence, p.currency) + " (" + "; ".join(parts) + ")"
        rate = ""
        if p.debt_recovery_pence_per_day:
            rate = self.tr(", repaid at {amount} a day").format(
                amount=formatting.money_rate(Decimal(p.debt_recovery_pence_per_day))
            )
        return formatting.pounds(p.debt_pence, p.currency) + rate

    def days_left_text(self) -> str:
        """How long the credit lasts at this home's recent use: one sentence for an
        electricity-only home, both fuels in one line for a dual-fuel prepayment home."""
        p = self.prepayment
        if p is None:
            return ""
        electricity = self._days_left(model.Fuel.ELECTRICITY, p)
        if not self.gas_prepay or self.gas is None:
            if electricity is None:
                return self.tr("Days left: not known yet")
            if electricity < 1:
                return self.tr("Less than a day of credit left at your recent use")
            return counted(
                self.tr(
                    "{n, plural, one {About # day of credit left at your recent use}"
                    " other {About # days of credit left at your recent use}}"
                ),
                int(electricity),
            )
        gas = self._days_left(model.Fuel.GAS, self.gas)
        if electricity is None and gas is None:
            return self.tr("Days left: not known yet")
        return self.tr("Days left: {electricity}, {gas}").format(
            electricity=self._fuel_days(
                electricity,
                self.tr("electricity not known yet"),
                self.tr("electricity less than a day"),
                self.tr(
                    "{n, plural, one {electricity about # day} other {electricity about # days}}"
                ),
            ),
            gas=self._fuel_days(
                gas,
                self.tr("gas not known yet"),
                self.tr("gas less than a day"),
                self.tr("{n, plural, one {gas about # day} other {gas about # days}}"),
            ),
        )

    @staticmethod
    def _fuel_days(days: Decimal | None, unknown: str, short: str, counted_words: str) -> str:
        if days is None:
            return unknown
        return short if days < 1 else counted(counted_words, int(days))

    def _days_left(self, fuel: model.Fuel, account: model.Prepayment) -> Decimal | None:
        """Days the meter's credit (and emergency credit in use) lasts at the recent daily
        cost; None until a day's cost is known."""
        daily = self._recent_daily_cost(fuel, account)
        if daily is None or daily <= 0:
            return None
        available = account.credit_pence + (
            account.emergency_credit_pence if account.emergency_credit_selected else 0
        )
        return max(Decimal(0), Decimal(available)) / daily

    def _recent_daily_cost(self, fuel: model.Fuel, account: model.Prepayment) -> Decimal | None:
        """Average cost of recent whole days of this fuel, plus the daily debt repayment its
        meter takes."""
        if self.source is None:
            return None
        try:
            days = self.source.totals(fuel, "day", RECENT_DAYS + 1)[:-1]
        except Exception:  # without history the estimate is just "not known yet"
            LOGGER.exception("Could not read recent daily costs")
            return None
        price = self.prices.current(fuel, self.now())
        costs: list[Decimal] = []
        for day in days:
            if day.cost_pence is not None and not day.unpriced_kwh:
                costs.append(Decimal(day.cost_pence))
            elif day.kwh > 0 and price is not None:
                # The store could not price the day: estimate it at today's price.
                costs.append(
                    energy_cost_pence(day.kwh, price.pence_per_kwh)
                    + price.standing_charge_pence_per_day
                )
        if not costs:
            return None
        return sum(costs, Decimal(0)) / len(costs) + account.debt_recovery_pence_per_day

    def low_credit_alert(self) -> str | None:
        p = self.prepayment
        if p is None or not self.prepay:
            return None
        if p.credit_exhausted:
            return self.tr("Your credit has run out. Top up to keep your supply on.")
        if p.low_credit:
            return self.tr("Low credit: please top up soon.")
        return None

    def supply_text(self) -> str:
        return {
            model.SupplyState.ON: self.tr("Supply: on"),
            model.SupplyState.ARMED: self.tr("Supply: ready to restore – press Restore supply"),
            model.SupplyState.OFF: self.tr("Supply: off – top up to restore it"),
            None: self.tr("Supply: not known yet"),
        }[self.supply]

    @property
    def can_restore(self) -> bool:
        return self.supply is model.SupplyState.ARMED

    # -- keypad ----------------------------------------------------------------------------

    def paused_until(self) -> datetime | None:
        """While entry is paused after refused codes, when it opens again; else None."""
        return self.guard.paused_until(self.now())

    def paused_caption(self) -> str | None:
        """A short line for the overview, so nobody has to open the keypad to find out."""
        until = self.paused_until()
        if until is None:
            return None
        return self.tr("Top-up paused until {time}").format(time=formatting.clock_time(until))

    def pause_text(self) -> str | None:
        """Why entry is paused and when it opens, with a countdown that the tick keeps live."""
        until = self.paused_until()
        if until is None:
            return None
        why = counted(
            self.tr(
                "{n, plural, one {Top-up is paused because # code was not accepted. This stops "
                "anyone guessing codes. You can try again at {time} (in {wait}).} other {Top-up "
                "is paused because # codes were not accepted. This stops anyone guessing codes. "
                "You can try again at {time} (in {wait}).}}"
            ),
            REFUSALS_BEFORE_PAUSE,
            time=formatting.clock_time(until),
            wait=countdown(until - self.now()),
        )
        help_ = self.tr("If you are sure your code is right, please call your energy supplier.")
        return f"{why} {help_}"

    def press(self, digit: str) -> None:
        if self.sending or self.paused_until() is not None:
            return
        if self.entry.press(digit):
            self.feedback = None
            if self.entry.complete:
                problem = self.entry.problem()
                self.feedback = (
                    Feedback("error", problem)
                    if problem
                    else Feedback(
                        "info", self.tr("Code complete. Press Top up to send it to your meter.")
                    )
                )
        self.changed.emit()

    def delete(self) -> None:
        if not self.sending:
            self.entry.delete()
            self.feedback = None
            self.changed.emit()

    def clear(self) -> None:
        if not self.sending:
            self.entry.clear()
            self.feedback = None
            self.changed.emit()

    @property
    def can_send(self) -> bool:
        return self.entry.complete and not self.sending and self.paused_until() is None

    def send(self) -> bool:
        """Check the code here first; only a code with the right length and check digit is sent."""
        if self.sending:
            return False
        if self.paused_until() is not None:
            self.top_up_attempted.emit("refused: paused", len(self.entry.digits))
            self.changed.emit()
            return False
        problem = self.entry.problem()
        if problem is not None:
            self.feedback = Feedback("error", problem)
            self.top_up_attempted.emit(
                f"refused: {self.entry.problem_kind()}", len(self.entry.digits)
            )
            self.changed.emit()
            return False
        code = self.entry.digits
        gas = self.gas_prepay and self.fuel is model.Fuel.GAS

        def top_up(backend: Any) -> Any:
            # The fuel only when it is gas, so a back end that knows one meter still works.
            return backend.top_up(code, model.Fuel.GAS) if gas else backend.top_up(code)

        if not self.session.submit(top_up, self._top_up_done, self._top_up_failed):
            self.top_up_attempted.emit("refused: not connected", len(code))
            self.feedback = Feedback(
                "error",
                self.tr(
                    "Not connected to the meter yet. Your code has not been used; try again shortly."
                ),
            )
            self.changed.emit()
            return False
        self.sent_codes += 1
        self.top_up_attempted.emit("sent", len(code))
        self.sending = True
        self.feedback = Feedback("info", self.tr("Sending your code to the meter…"))
        self.changed.emit()
        return True

    def _top_up_done(self, result: model.TopUpResult) -> None:
        self.top_up_answered.emit(
            result.outcome.value,
            {
                "value_pence": json_pence(result.value_pence),
                "credit_pence": json_pence(result.credit_pence),
            },
        )
        self.sending = False
        self.feedback = self.outcome_feedback(result)
        if result.accepted:
            self.entry.clear()
            self.guard.accepted()
        elif result.outcome in REFUSALS:
            self._count_refusal()
        self.changed.emit()

    def _count_refusal(self) -> None:
        now = self.now()
        pause = self.guard.refused(now)
        if pause is not None:
            LOGGER.info(
                "Top-up entry paused for %s after %d refused codes", pause, REFUSALS_BEFORE_PAUSE
            )
            # Nothing to send for the length of the pause; the person starts again after it.
            self.entry.clear()
            self._was_paused = True
            return
        left = self.guard.refusals_left(now)
        if left <= WARN_WHEN_LEFT and self.feedback is not None:
            self.feedback = Feedback(
                self.feedback.kind,
                self.feedback.text
                + " "
                + self.tr("Tries left before top-up pauses: {n}.").format(n=left),
            )

    def _top_up_failed(self, error: BaseException) -> None:
        self.top_up_answered.emit("failed", {"error": type(error).__name__})
        self.sending = False
        reason = str(error) if str(error) else type(error).__name__
        if isinstance(error, TimeoutError):
            reason = self.tr("The meter did not answer.")
        self.feedback = Feedback(
            "error",
            self.tr(
                "The top-up did not go through: {reason} Your code has not been used; please try again."
            ).format(reason=reason),
        )
        self.changed.emit()

    def outcome_feedback(self, result: model.TopUpResult) -> Feedback:
        balance = ""
        if result.credit_pence is not None:
            balance = " " + self.tr("Your balance is {amount}.").format(
                amount=formatting.pounds(result.credit_pence, result.currency)
            )
        outcome = result.outcome
        if outcome is model.TopUpOutcome.ACCEPTED:
            added = (
                formatting.pounds(result.value_pence, result.currency)
                if result.value_pence is not None
                else ""
            )
            return Feedback(
                "success", self.tr("Accepted: {amount} added.").format(amount=added) + balance
            )
        invalid = self.tr("This code is not valid for your meter.")
        if self.gas_prepay:
            # A UTRN is bound to one meter (its MAC); only that meter can tell, so say which
            # one refused it and how to send it to the other.
            invalid = (
                self.tr(
                    "This code is not valid for your gas meter. If it is an electricity top-up, "
                    "choose Electricity and send it again."
                )
                if result.fuel is model.Fuel.GAS
                else self.tr(
                    "This code is not valid for your electricity meter. If it is a gas top-up, "
                    "choose Gas and send it again."
                )
            )
        words = {
            model.TopUpOutcome.DUPLICATE: self.tr("This code has already been used."),
            model.TopUpOutcome.INVALID: invalid,
            model.TopUpOutcome.MAX_CREDIT: self.tr(
                "Not added: your balance would go over the most this meter can hold."
            ),
            model.TopUpOutcome.KEYPAD_LOCK: self.tr(
                "The meter has locked top-ups after too many wrong codes. Please try later."
            ),
            model.TopUpOutcome.TOO_LARGE: self.tr("This top-up is larger than your meter accepts."),
            model.TopUpOutcome.NOT_SENT: self.tr("The code was not sent to the meter."),
        }
        return Feedback(
            "error",
            words.get(outcome, self.tr("The meter could not add this top-up. Please try again."))
            + balance,
        )

    # -- emergency credit and supply -------------------------------------------------------

    def select_emergency_credit(self) -> None:
        def done(accepted: bool) -> None:
            self.emergency_feedback = (
                Feedback("success", self.tr("Emergency credit is now in use."))
                if accepted
                else Feedback("error", self.tr("The meter did not start emergency credit."))
            )
            self.changed.emit()

        def failed(error: BaseException) -> None:
            self.emergency_feedback = Feedback(
                "error",
                self.tr("Could not reach the meter to start emergency credit. Please try again."),
            )
            self.changed.emit()

        if self.session.submit(lambda backend: backend.select_emergency_credit(), done, failed):
            self.emergency_feedback = Feedback("info", self.tr("Asking the meter…"))
        else:
            self.emergency_feedback = Feedback("error", self.tr("Not connected to the meter yet."))
        self.changed.emit()

    def restore_supply(self) -> None:
        def done(state: model.SupplyState | None) -> None:
            if state is not None:
                self.supply = state
            self.supply_feedback = (
                Feedback("success", self.tr("Your supply is back on."))
                if state is model.SupplyState.ON
                else Feedback(
                    "error",
                    self.tr(
                        "The meter did not restore the supply. Check your credit and try again."
                    ),
                )
            )
            self.changed.emit()

        def failed(error: BaseException) -> None:
            self.supply_feedback = Feedback(
                "error", self.tr("Could not reach the meter. Please try again.")
            )
            self.changed.emit()

        if self.session.submit(lambda backend: backend.request_supply_enable(), done, failed):
            self.supply_feedback = Feedback(
                "info", self.tr("Asking the meter to restore your supply…")
            )
        else:
            self.supply_feedback = Feedback("error", self.tr("Not connected to the meter yet."))
        self.changed.emit()

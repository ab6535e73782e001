"""Figures and times as a household reads them: local London time, ages, kW, cost per hour."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from device_backend.clock import LONDON
from device_backend.units import energy_cost_pence, format_kwh, format_pounds, round_pence, round_to

_CONTEXT = "Formatting"


def tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


def clock_time(moment: datetime) -> str:
    """ "14:32" in London time."""
    return local(moment).strftime("%H:%M")


def day_label(moment: datetime) -> str:
    """ "Tue 12 Nov" in London time."""
    when = local(moment)
    return f"{when:%a} {when.day} {when:%b}"


def month_label(moment: datetime) -> str:
    when = local(moment)
    return f"{when:%b %Y}"


def when_label(moment: datetime, now: datetime) -> str:
    """A time today as "14:32"; another day as "Tue 12 Nov 14:32"."""
    if local(moment).date() == local(now).date():
        return clock_time(moment)
    return f"{day_label(moment)} {clock_time(moment)}"


def age(since: datetime, now: datetime) -> str:
    """How old a figure is, in the largest units that matter: "12 s", "4 min", "2 h 5 min"."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return tr("{n} s").format(n=seconds)
    minutes = seconds // 60
    if minutes < 60:
        return tr("{n} min").format(n=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return tr("{h} h {m} min").format(h=hours, m=minutes)
    return tr("{n} days").format(n=hours // 24)


def kw(value: Decimal) -> str:
    """Power to two places: "1.23 kW"."""
    return f"{round_to(value, 2):,f} kW"


def kwh(value: Decimal, places: int = 2) -> str:
    return format_kwh(value, places)


def pounds(pence: int) -> str:
    return format_pounds(pence)


def money_rate(pence: Decimal) -> str:
    """A cost in whole pence when under a pound ("34p"), else pounds ("£1.23")."""
    whole = round_pence(pence)
    if abs(whole) < 100:
        return f"{whole}p"
    return format_pounds(whole)


def cost_per_hour(kw_now: Decimal, pence_per_kwh: Decimal) -> Decimal:
    """Pence per hour at this power: kW x p/kWh (one hour at this rate uses kW x 1 h kWh)."""
    return energy_cost_pence(kw_now, pence_per_kwh)


def unit_price(pence_per_kwh: Decimal) -> str:
    """ "24.50p per kWh"."""
    return tr("{price}p per kWh").format(price=f"{round_to(pence_per_kwh, 2):f}")


def pence_amount(pence: Decimal) -> str:
    """ "53.35p"."""
    return f"{round_to(pence, 2):f}p"

"""Figures and times as a household reads them: London time, ages, kW and cost, in its language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QLocale

from device_backend.api import LONDON, currency_symbol, energy_cost_pence, round_pence, round_to
from ihd_app.plural import counted

_locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def set_locale(locale: QLocale) -> None:
    """Day and month names and number separators follow this locale (set with the language)."""
    global _locale
    _locale = locale


def current_locale() -> QLocale:
    return _locale


def local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


# -- numbers: exact Decimal arithmetic, only the separators come from the locale ---------------


def number(value: Decimal | int, places: int = 0) -> str:
    """ "1,234.50" in English; the locale's own group and decimal marks elsewhere."""
    rounded = round_to(Decimal(value), places)
    text = f"{rounded:,.{places}f}"
    group, point = _locale.groupSeparator(), _locale.decimalPoint()
    # Through a placeholder so that swapping "," and "." (as many locales do) cannot collide.
    return text.replace(",", "\0").replace(".", point).replace("\0", group)


def number_text(value: float | Decimal) -> str:
    """A setting like 1.5 as written, with the locale's decimal mark: "1.5", "2"."""
    exact = Decimal(str(value)).normalize()
    exponent = exact.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number(exact, places)


def kw(value: Decimal) -> str:
    """Power to two places: "1.23 kW"."""
    return f"{number(value, 2)} kW"


KWH_PLACES = 1  # energy: one rule on every screen (today, a bar, a meter register)


def kwh(value: Decimal) -> str:
    """Energy to one place, wherever it is shown: "0.5 kWh", never "0.54 kWh" beside it."""
    return f"{number(value, KWH_PLACES)} kWh"


def pounds(pence: int | Decimal, currency: str = "GBP") -> str:
    """ "£12.34", "-£0.50", "£1,234.56"; exact Decimal pence round half away from zero.

    Another currency is shown in its own units, never as pounds: "€12.34", or "12.34 ISO 840"
    for a Currency code we have no symbol for.
    """
    amount = round_to(Decimal(pence), 0) / 100
    sign = "-" if amount < 0 else ""
    text = number(abs(amount), 2)
    if currency == "GBP":
        return f"{sign}£{text}"
    symbol = currency_symbol(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def money_rate(pence: Decimal) -> str:
    """A cost in whole pence when under a pound ("34p"), else pounds ("£1.23")."""
    whole = round_pence(pence)
    if abs(whole) < 100:
        return pence_text(number(whole))
    return pounds(whole)


def pence_text(amount: str) -> str:
    """ "34p"; Welsh writes pence (ceiniogau) as "34c"."""
    return QCoreApplication.translate("Formatting", "{amount}p").format(amount=amount)


def cost_per_hour(kw_now: Decimal, pence_per_kwh: Decimal) -> Decimal:
    """Pence per hour at this power: kW x p/kWh (one hour at this rate uses kW x 1 h kWh)."""
    return energy_cost_pence(kw_now, pence_per_kwh)


def unit_price(pence_per_kwh: Decimal) -> str:
    """ "24.50p per kWh"."""
    return QCoreApplication.translate("Formatting", "{price}p per kWh").format(
        price=number(pence_per_kwh, 2)
    )


def pence_amount(pence: Decimal) -> str:
    """ "53.35p"."""
    return pence_text(number(pence, 2))


def percent(value: int) -> str:
    return f"{number(value)}%"


# -- dates and times ----------------------------------------------------------------------------


def clock_time(moment: datetime) -> str:
    """ "14:32" in London time (the 24-hour clock, as GB displays and Welsh both use)."""
    return local(moment).strftime("%H:%M")


def short_day_name(moment: datetime) -> str:
    return _locale.dayName(local(moment).isoweekday(), QLocale.FormatType.ShortFormat)


def short_month_name(moment: datetime) -> str:
    """The month's short name, or its whole name where the short one is also a day's: in Welsh
    "Maw" is both Mawrth (March) and dydd Mawrth (Tuesday), so March is written "Mawrth"."""
    month = local(moment).month
    short = _locale.monthName(month, QLocale.FormatType.ShortFormat)
    days = {_locale.dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8)}
    return _locale.monthName(month, QLocale.FormatType.LongFormat) if short in days else short


def day_label(moment: datetime) -> str:
    """ "Tue 12 Nov" in London time, "Maw 12 Tach" in Welsh."""
    when = local(moment)
    return f"{short_day_name(when)} {when.day} {short_month_name(when)}"


def day_and_month(moment: datetime) -> str:
    """ "05 Jan": a week's first day, for chart labels."""
    when = local(moment)
    return f"{when.day:02d} {short_month_name(when)}"


def day_and_long_month(day: date) -> str:
    """ "31 January", "31 Ionawr": a day written out, where a short name could mislead."""
    return f"{day.day} {_locale.monthName(day.month, QLocale.FormatType.LongFormat)}"


def month_label(moment: datetime) -> str:
    when = local(moment)
    return f"{short_month_name(when)} {when.year}"


def when_label(moment: datetime, now: datetime) -> str:
    """A time today as "14:32"; another day as "Tue 12 Nov 14:32"."""
    if local(moment).date() == local(now).date():
        return clock_time(moment)
    return f"{day_label(moment)} {clock_time(moment)}"


def age(since: datetime, now: datetime) -> str:
    """How old a figure is, in the largest units that matter: "12 s", "4 min", "2 h 5 min"."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return QCoreApplication.translate("Formatting", "{n} s").format(n=seconds)
    minutes = seconds // 60
    if minutes < 60:
        return QCoreApplication.translate("Formatting", "{n} min").format(n=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return QCoreApplication.translate("Formatting", "{h} h {m} min").format(h=hours, m=minutes)
    return counted(
        QCoreApplication.translate("Formatting", "{n, plural, one {# day} other {# days}}"),
        hours // 24,
    )

"""The low-volume events: prices, prepayment, top-ups, supplier messages, devices and the log."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from device_backend import model
from device_backend.store import ingest
from device_backend.store.catalog import Catalog
from device_backend.store.codes import FUEL_BY_CODE, decimal_text, epoch, fuel_code, to_micro, utc
from device_backend.store.privacy import masked_utrn, scrub
from device_backend.units import round_pence


def _time(moment: datetime | None) -> int | None:
    return None if moment is None else epoch(moment)


def log(conn: sqlite3.Connection, t: int, who: str, what: str, detail: str = "") -> None:
    conn.execute(
        "INSERT INTO event_log (t, who, what, detail) VALUES (?, ?, ?, ?)",
        (t, scrub(who), scrub(what), scrub(detail)),
    )


def add_price(conn: sqlite3.Connection, catalog: Catalog, price: model.Price, now: int) -> bool:
    """Keep a price unless it repeats the one in force (meters re-publish every few minutes)."""
    fuel = fuel_code(price.fuel)
    starts = epoch(price.starts or price.time)
    ends = _time(price.ends)
    if ends is not None and ends <= starts:
        raise ValueError(f"a price must end after it starts ({price.ends} <= {price.starts})")
    values = (
        decimal_text(price.pence_per_kwh),
        decimal_text(price.standing_charge_pence_per_day),
        price.tier,
        price.tier_label,
        price.tariff_label,
        int(price.includes_vat),
    )
    current = catalog.timeline(fuel).row_at(starts)
    if current is not None:
        same = conn.execute(
            "SELECT pence_per_kwh, standing_pence_per_day, tier, tier_label, tariff_label, "
            "includes_vat, ends FROM prices WHERE id = ?",
            (current.id,),
        ).fetchone()
        covered = same[6] is None or (ends is not None and same[6] >= ends)
        if tuple(same[:6]) == values and covered:
            return False
    conn.execute(
        "INSERT INTO prices (fuel, starts, ends, pence_per_kwh, micro_pence_per_kwh, "
        "standing_pence_per_day, standing_micro_pence, tier, tier_label, tariff_label, "
        "includes_vat, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            fuel,
            starts,
            ends,
            values[0],
            to_micro(price.pence_per_kwh),
            values[1],
            to_micro(price.standing_charge_pence_per_day),
            *values[2:],
            now,
        ),
    )
    catalog.forget_prices(fuel)
    ingest.reprice(conn, catalog, fuel, starts, ends)
    return True


def price_at(
    conn: sqlite3.Connection, catalog: Catalog, fuel: model.Fuel, moment: datetime
) -> model.Price | None:
    row = catalog.timeline(fuel_code(fuel)).row_at(epoch(moment))
    if row is None:
        return None
    found = conn.execute(
        "SELECT received, starts, ends, pence_per_kwh, standing_pence_per_day, tier, tier_label, "
        "tariff_label, includes_vat FROM prices WHERE id = ?",
        (row.id,),
    ).fetchone()
    received, starts, ends, pence, standing, tier, tier_label, tariff_label, vat = found
    return model.Price(
        time=utc(received),
        fuel=fuel,
        pence_per_kwh=Decimal(pence),
        standing_charge_pence_per_day=Decimal(standing),
        tier=tier,
        tier_label=tier_label,
        tariff_label=tariff_label,
        starts=utc(starts),
        ends=None if ends is None else utc(ends),
        includes_vat=bool(vat),
    )


PREPAYMENT_FIELDS = (
    "mode",
    "credit_pence",
    "emergency_credit_pence",
    "debt_pence",
    "low_credit",
    "emergency_credit_available",
    "emergency_credit_selected",
    "credit_exhausted",
    "debt_recovery_pence_per_day",
    "low_credit_level_pence",
)
PREPAYMENT_FLAGS = (
    "low_credit",
    "emergency_credit_available",
    "emergency_credit_selected",
    "credit_exhausted",
)


def _whole_pence(value: object) -> object:
    """Money is stored in whole pence: a GB meter's balance has five decimals of a pound
    (Decimal("1234.567") pence), which the display shows to the penny; the live event keeps it
    exact. Rounded half away from zero, as everywhere else (units.round_pence)."""
    return round_pence(value) if isinstance(value, Decimal) else value


def prepayment_values(state: model.Prepayment) -> tuple[object, ...]:
    return tuple(
        int(v)
        if isinstance(v, bool)
        else (str(v) if isinstance(v, model.PaymentMode) else _whole_pence(v))
        for v in (getattr(state, name) for name in PREPAYMENT_FIELDS)
    )


def latest_prepayment_values(
    conn: sqlite3.Connection, fuel: model.Fuel = model.Fuel.ELECTRICITY
) -> tuple[object, ...] | None:
    row = conn.execute(
        f"SELECT {', '.join(PREPAYMENT_FIELDS)} FROM prepayment WHERE fuel = ? "
        "ORDER BY t DESC, id DESC LIMIT 1",
        (fuel_code(fuel),),
    ).fetchone()
    return None if row is None else tuple(row)


def add_prepayment(conn: sqlite3.Connection, state: model.Prepayment) -> None:
    conn.execute(
        f"INSERT INTO prepayment (t, fuel, {', '.join(PREPAYMENT_FIELDS)}) "
        f"VALUES ({', '.join('?' * (len(PREPAYMENT_FIELDS) + 2))})",
        (epoch(state.time), fuel_code(state.fuel), *prepayment_values(state)),
    )


def add_topup(conn: sqlite3.Connection, result: model.TopUpResult) -> None:
    t = epoch(result.time)
    conn.execute(
        "INSERT INTO topups (t, fuel, outcome, value_pence, credit_pence, supply, utrn_masked) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            t,
            fuel_code(result.fuel),
            str(result.outcome),
            _whole_pence(result.value_pence),
            _whole_pence(result.credit_pence),
            None if result.supply is None else str(result.supply),
            masked_utrn(result.utrn_masked),
        ),
    )
    value = "" if result.value_pence is None else f" {result.value_pence}p"
    log(conn, t, "householder", f"top-up {result.outcome}", f"{result.fuel}{value}")


def add_message(conn: sqlite3.Connection, message: model.SupplierMessage) -> None:
    """A re-sent message updates its text and times but never un-confirms it; a cancellation
    (no text, ended now) only ends it."""
    conn.execute(
        "INSERT INTO messages (id, received, text, confirmation_required, importance, starts, "
        "ends, confirmed, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET "
        "text = CASE WHEN excluded.text = '' THEN messages.text ELSE excluded.text END, "
        "confirmation_required = excluded.confirmation_required, "
        "importance = excluded.importance, starts = coalesce(excluded.starts, messages.starts), "
        "ends = excluded.ends, "
        "confirmed = max(confirmed, excluded.confirmed), "
        "confirmed_at = coalesce(confirmed_at, excluded.confirmed_at)",
        (
            message.id,
            epoch(message.time),
            message.text,
            int(message.confirmation_required),
            message.importance,
            _time(message.starts),
            _time(message.ends),
            int(message.confirmed),
            epoch(message.time) if message.confirmed else None,
        ),
    )


def add_device_change(
    conn: sqlite3.Connection, catalog: Catalog, change: model.DeviceChange
) -> None:
    info, t = change.device, epoch(change.time)
    device = catalog.device_id(info.ieee, t)
    conn.execute(
        "UPDATE devices SET nwk = ?, role = ?, model = ?, manufacturer = ?, firmware_version = ?, "
        "power_source = ?, name = ?, location = ?, last_seen = max(last_seen, ?) WHERE id = ?",
        (
            info.nwk,
            info.role,
            info.model,
            info.manufacturer,
            info.firmware_version,
            info.power_source,
            info.name,
            info.location,
            t,
            device,
        ),
    )
    log(
        conn,
        t,
        "network",
        f"device {change.kind}",
        f"{info.ieee} {info.role} {change.detail}".strip(),
    )


def log_event(conn: sqlite3.Connection, event: model.Event) -> bool:
    """Connection, supply and load-control changes go to the event log; others are not kept."""
    t = epoch(event.time)
    if isinstance(event, model.Connection):
        log(conn, t, "network", f"connection {event.state}", event.reason)
    elif isinstance(event, model.Supply):
        log(conn, t, "meter", f"{event.fuel} supply {event.state}")
    elif isinstance(event, model.LoadControl):
        state = "active" if event.active else "ended"
        log(
            conn,
            t,
            "supplier",
            f"load control {event.event_id} {state}",
            f"{event.load} {event.starts.isoformat()} to {event.ends.isoformat()}",
        )
    else:
        return False  # ambient level and link quality are live state, not history
    return True


@dataclass(frozen=True, slots=True)
class AuditEntry:
    time: datetime
    who: str
    what: str
    detail: str


def audit_log(conn: sqlite3.Connection, limit: int) -> list[AuditEntry]:
    rows = conn.execute(
        "SELECT t, who, what, detail FROM event_log ORDER BY t DESC, id DESC LIMIT ?", (limit,)
    )
    return [AuditEntry(utc(t), who, what, detail) for t, who, what, detail in rows]


def latest_prepayment(
    conn: sqlite3.Connection, fuel: model.Fuel = model.Fuel.ELECTRICITY
) -> model.Prepayment | None:
    row = conn.execute(
        f"SELECT t, {', '.join(PREPAYMENT_FIELDS)} FROM prepayment WHERE fuel = ? "
        "ORDER BY t DESC, id DESC LIMIT 1",
        (fuel_code(fuel),),
    ).fetchone()
    if row is None:
        return None
    values = dict(zip(PREPAYMENT_FIELDS, row[1:], strict=True))
    values.update({k: bool(values[k]) for k in PREPAYMENT_FLAGS})
    values["mode"] = model.PaymentMode(values["mode"])
    return model.Prepayment(time=utc(row[0]), fuel=model.Fuel(fuel), **values)


def topups(
    conn: sqlite3.Connection, limit: int, fuel: model.Fuel | None = None
) -> list[model.TopUpResult]:
    """Newest first; one meter's, or both fuels' together when `fuel` is None."""
    where, args = ("", ()) if fuel is None else ("WHERE fuel = ? ", (fuel_code(fuel),))
    rows = conn.execute(
        "SELECT t, fuel, outcome, value_pence, credit_pence, supply, utrn_masked FROM topups "
        f"{where}ORDER BY t DESC, id DESC LIMIT ?",
        (*args, limit),
    )
    return [
        model.TopUpResult(
            time=utc(t),
            fuel=FUEL_BY_CODE[code],
            outcome=model.TopUpOutcome(outcome),
            value_pence=value,
            credit_pence=credit,
            supply=None if supply is None else model.SupplyState(supply),
            utrn_masked=masked,
        )
        for t, code, outcome, value, credit, supply, masked in rows
    ]


def messages(conn: sqlite3.Connection) -> list[model.SupplierMessage]:
    rows = conn.execute(
        "SELECT id, received, text, confirmation_required, importance, starts, ends, confirmed "
        "FROM messages ORDER BY received DESC, id DESC"
    )
    return [
        model.SupplierMessage(
            id=i,
            time=utc(t),
            text=text,
            confirmation_required=bool(required),
            importance=importance,
            starts=None if s is None else utc(s),
            ends=None if e is None else utc(e),
            confirmed=bool(done),
        )
        for i, t, text, required, importance, s, e, done in rows
    ]


def devices(conn: sqlite3.Connection) -> list[model.DeviceInfo]:
    # Rows with no nwk were only named by readings; the network has not reported them.
    rows = conn.execute(
        "SELECT ieee, nwk, role, model, manufacturer, firmware_version, power_source, name, "
        "location FROM devices WHERE nwk IS NOT NULL ORDER BY id"
    )
    names = (
        "ieee",
        "nwk",
        "role",
        "model",
        "manufacturer",
        "firmware_version",
        "power_source",
        "name",
        "location",
    )
    return [model.DeviceInfo(**dict(zip(names, row, strict=True))) for row in rows]

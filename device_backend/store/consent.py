"""The household's consent to export consumption data finer than daily totals.

GB's Data Access and Privacy Framework (suppliers' licence condition 47) lets consumption for
a day or longer be taken without opt-in, but data for shorter periods - half-hourly, and the
raw readings finer still - only with the household's explicit consent for a stated purpose,
which they may withdraw at any time. A consent here records who gave it (the bill payer's name
as typed), the purpose in words, the finest data it covers, when, and until when.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from device_backend.store.codes import epoch, utc
from device_backend.store.errors import ConsentInputError
from device_backend.text import control_problem, escaped

# The finest data each consent granularity allows; finer consent covers coarser data.
GRANULARITIES = ("half_hourly", "readings")
_COVERED_BY = {"half_hourly": ("half_hourly", "readings"), "readings": ("readings",)}
NEEDS_CONSENT = frozenset(_COVERED_BY)  # export kinds; "daily" needs none
WORDS = {
    "half_hourly": "half-hourly data",
    "readings": "raw readings (every few seconds) and half-hourly data",
    "daily": "daily totals",
}
_KIND_WORDS = {"half_hourly": "Half-hourly data", "readings": "Raw readings"}
_LONGEST_TEXT = 500
_COLUMNS = "id, granted_by, purpose, granularity, granted_at, expires_at, withdrawn_at"


@dataclass(frozen=True, slots=True)
class Consent:
    id: int
    granted_by: str
    purpose: str
    granularity: str  # "half_hourly" or "readings"
    granted_at: datetime
    expires_at: datetime | None
    withdrawn_at: datetime | None

    def covers(self, kind: str) -> bool:
        return self.granularity in _COVERED_BY.get(kind, ())

    def in_force(self, now: datetime) -> bool:
        return (
            self.withdrawn_at is None
            and self.granted_at <= now
            and (self.expires_at is None or now < self.expires_at)
        )

    def describe(self) -> str:
        expiry = "no expiry" if self.expires_at is None else f"expires {_day(self.expires_at)}"
        text = (
            f"consent {self.id}: {WORDS[self.granularity]} for '{escaped(self.purpose)}', "
            f"granted by {escaped(self.granted_by)} on {_day(self.granted_at)}, {expiry}"
        )
        if self.withdrawn_at is not None:
            text += f", withdrawn {_day(self.withdrawn_at)}"
        return text


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _consent(row: Any) -> Consent:
    ident, granted_by, purpose, granularity, granted, expires, withdrawn = row
    return Consent(
        id=ident,
        granted_by=granted_by,
        purpose=purpose,
        granularity=granularity,
        granted_at=utc(granted),
        expires_at=None if expires is None else utc(expires),
        withdrawn_at=None if withdrawn is None else utc(withdrawn),
    )


def checked(
    granted_by: str, purpose: str, granularity: str, expires: datetime | None, now: datetime
) -> tuple[str, str, str, int | None]:
    """The values to store, or ConsentInputError listing everything that is wrong."""
    name, reason = (granted_by or "").strip(), (purpose or "").strip()
    problems = []
    if not name:
        problems.append("the bill payer's name is empty: type the name of the person consenting")
    if not reason:
        problems.append("the purpose is empty: say in words what the data will be used for")
    for text, what in ((name, "the bill payer's name"), (reason, "the purpose")):
        problem = control_problem(text, what)
        if problem:
            problems.append(problem)
    if len(name) > _LONGEST_TEXT or len(reason) > _LONGEST_TEXT:
        problems.append(f"the name and the purpose must each be at most {_LONGEST_TEXT} characters")
    if granularity not in GRANULARITIES:
        problems.append(
            f"unknown granularity {granularity!r}: use half_hourly, or readings for raw readings"
        )
    if expires is not None:
        if expires.tzinfo is None:
            problems.append("the expiry must be a timezone-aware time, not a naive one")
        elif expires <= now:
            problems.append(f"the expiry {_day(expires)} is already past: give a later date")
    if problems:
        raise ConsentInputError("Consent not recorded: " + "; ".join(problems) + ".")
    return name, reason, granularity, None if expires is None else epoch(expires)


def grant(
    conn: sqlite3.Connection,
    now: datetime,
    granted_by: str,
    purpose: str,
    granularity: str,
    expires: datetime | None,
) -> Consent:
    name, reason, granularity, expires_at = checked(granted_by, purpose, granularity, expires, now)
    cursor = conn.execute(
        "INSERT INTO consents (granted_by, purpose, granularity, granted_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (name, reason, granularity, epoch(now), expires_at),
    )
    return by_id(conn, int(cursor.lastrowid or 0))


def by_id(conn: sqlite3.Connection, consent_id: int) -> Consent:
    row = conn.execute(f"SELECT {_COLUMNS} FROM consents WHERE id = ?", (consent_id,)).fetchone()
    return _consent(row)


def all_consents(conn: sqlite3.Connection) -> list[Consent]:
    """Every consent ever recorded, newest first."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM consents ORDER BY granted_at DESC, id DESC")
    return [_consent(row) for row in rows]


def in_force(conn: sqlite3.Connection, now: datetime) -> list[Consent]:
    """The consents in force at `now`, newest first."""
    t = epoch(now)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM consents WHERE withdrawn_at IS NULL AND granted_at <= ? "
        "AND (expires_at IS NULL OR expires_at > ?) ORDER BY granted_at DESC, id DESC",
        (t, t),
    )
    return [_consent(row) for row in rows]


def active(conn: sqlite3.Connection, now: datetime, kind: str) -> Consent | None:
    """The newest consent in force that covers an export of `kind`."""
    return next((c for c in in_force(conn, now) if c.covers(kind)), None)


def withdraw(conn: sqlite3.Connection, now: datetime, consent_id: int | None) -> list[Consent]:
    """Withdraw one consent in force, or all of them (None); returns those withdrawn."""
    current = in_force(conn, now)
    chosen = [c for c in current if consent_id is None or c.id == consent_id]
    for consent in chosen:
        conn.execute("UPDATE consents SET withdrawn_at = ? WHERE id = ?", (epoch(now), consent.id))
    return [by_id(conn, c.id) for c in chosen]


def refusal(conn: sqlite3.Connection, now: datetime, kind: str) -> str:
    """Why an export of `kind` is refused, and what to do: in words a householder can follow."""
    needed = "half_hourly" if kind == "half_hourly" else "readings"
    message = (
        f"{_KIND_WORDS[kind]} can only be exported with the household's consent. "
        f'Record it first with: ihd-cli consent grant --name "BILL PAYER\'S NAME" '
        f'--purpose "WHAT IT IS FOR" --covers {needed} (or Store.grant_consent).'
    )
    current = in_force(conn, now)
    latest = all_consents(conn)[:1]
    if current:
        message += f" The consent in force covers {WORDS[current[0].granularity]} only."
    elif latest and latest[0].withdrawn_at is not None:
        message += f" The last consent was withdrawn on {_day(latest[0].withdrawn_at)}."
    elif latest and latest[0].expires_at is not None and latest[0].expires_at <= now:
        message += f" The last consent expired on {_day(latest[0].expires_at)}."
    return message + " Daily totals can be exported without consent."

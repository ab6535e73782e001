"""The trial log: a small SQLite file of sessions and timed interactions, wiped without trace."""

# Its own file, not the history store's: a participant's data must be removable completely
# without touching a household's meter history, and exported without it.

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from device_backend.api import DatabaseFileError, Recipe, open_private
from device_backend.api import private_dir as make_private_dir

PARTICIPANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
PIN_MIN, PIN_MAX = 4, 8
_ITERATIONS = 120_000
FILE_NAME = "trials.db"

# The documented columns of an export, in order; README.md's "Usability trials" repeats them.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("session_id", "random identifier of the session (not derived from the participant)"),
    ("participant_id", "the researcher's participant code, e.g. P07"),
    ("seq", "1, 2, 3 ... in the order things happened"),
    ("wall_time", "real date and time, UTC, ISO 8601 with milliseconds"),
    ("elapsed_s", "seconds since the session started (a steady clock)"),
    ("display_time", "the display's clock, UTC (a simulated home runs its own)"),
    ("event", "what happened: see the event list in session.json"),
    ("screen", "the screen on view when it happened"),
    ("target", "the control or alert concerned (object name or alert kind)"),
    ("value", "the event's main value: words on a control, an outcome, a setting"),
    ("duration_s", "for screen_left and alert_dismissed: how long it was on view"),
    ("detail", "JSON with anything else the event carries"),
)

EVENTS: dict[str, str] = {
    "session_started": "the researcher started the session (value: variant name)",
    "session_resumed": "the display restarted after a fault and carried on",
    "session_ended": "the session ended (value: why)",
    "screen_viewed": "a screen came into view (target: the screen)",
    "screen_left": "a screen went out of view (duration_s: how long it was shown)",
    "tap": "a touch or click on a control (target: its name; value: its words)",
    "key": "a key or switch press that operated a control",
    "focus": "keyboard or switch focus moved to a control",
    "setting_changed": "the participant changed a setting (target: which; value: to what)",
    "alert_shown": "an alert appeared (target: its kind; value: its words)",
    "alert_sound": "an alert was sounded",
    "alert_dismissed": "an alert went away (value: dismissed, show, resolved or replaced)",
    "top_up_attempt": "a top-up code was sent or refused here (value: sent or the reason)",
    "top_up_outcome": "the meter's answer (value: accepted, duplicate, invalid, ...)",
    "meter_event": "the home changed: price, message, credit, supply (target: which)",
    "locked_exit": "someone tried to leave trial mode without the researcher PIN",
}


def _v1_tables(conn: sqlite3.Connection) -> None:
    """The first schema; IF NOT EXISTS so logs made before versioning are adopted as they are."""
    conn.execute("CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, participant TEXT, "
        "scenario TEXT, variant TEXT, variant_detail TEXT, script_name TEXT, script_text TEXT, "
        "language TEXT, started TEXT, ended TEXT, end_reason TEXT, settings TEXT)"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS idx_sessions_participant ON sessions (participant)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, session_id TEXT, "
        "participant_id TEXT, seq INTEGER, wall_time TEXT, elapsed_s FLOAT, display_time TEXT, "
        "event TEXT, screen TEXT, target TEXT, value TEXT, duration_s FLOAT, detail TEXT)"
    )
    conn.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS idx_events_session_id_seq ON events (session_id, seq)"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS idx_events_participant_id ON events (participant_id)")


_RECIPE = Recipe(what="trial log", migrations=(_v1_tables,))


class TrialError(ValueError):
    """A trial request that cannot be carried out; the message says why and what to do."""


def check_participant(participant: str) -> str:
    """A participant code: letters, digits, - and _, up to 32; no names or other personal data."""
    if not PARTICIPANT.fullmatch(participant or ""):
        raise TrialError(
            f"'{participant}' is not a participant code: use 1 to 32 letters, digits, - or _ "
            "(for example P07), and no names or other personal details"
        )
    return participant


def utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: str
    participant: str
    scenario: str
    variant: str
    variant_detail: dict[str, Any]
    script_name: str
    script_text: str
    started: str
    ended: str | None
    end_reason: str
    language: str


class TrialStore:
    """Sessions, their events and the researcher PIN, in `data_dir()/trials.db` (or `path`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            # FULL: an interaction logged is an interaction kept; secure_delete for the wipe.
            self._conn, _ = open_private(path, _RECIPE)
        except DatabaseFileError as error:
            raise TrialError(str(error)) from None
        self.db = sqlite_utils.Database(self._conn, execute_plugins=False)
        self._seq: dict[str, int] = {}

    @classmethod
    def open_default(cls) -> TrialStore:
        from device_backend.api import data_dir

        return cls(data_dir() / FILE_NAME)

    def close(self) -> None:
        self._conn.close()

    # -- researcher PIN ------------------------------------------------------------------------

    def set_researcher_pin(self, pin: str) -> None:
        if not (PIN_MIN <= len(pin) <= PIN_MAX and pin.isascii() and pin.isdigit()):
            raise TrialError(f"a researcher PIN is {PIN_MIN} to {PIN_MAX} digits")
        salt = secrets.token_bytes(16)
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, _ITERATIONS).hex()
        self.db.table("config").upsert(
            {"key": "researcher_pin", "value": f"{salt.hex()}:{digest}"}, pk="key"
        )

    @property
    def researcher_pin_set(self) -> bool:
        return self._config("researcher_pin") is not None

    def researcher_pin_matches(self, pin: str) -> bool:
        stored = self._config("researcher_pin")
        if stored is None or not pin.isascii() or not pin.isdigit():
            return False
        salt, digest = stored.split(":")
        candidate = hashlib.pbkdf2_hmac(
            "sha256", pin.encode("ascii"), bytes.fromhex(salt), _ITERATIONS
        ).hex()
        return hmac.compare_digest(candidate, digest)

    def _config(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM config WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    # -- sessions ------------------------------------------------------------------------------

    def start_session(
        self,
        participant: str,
        *,
        scenario: str,
        variant: str,
        variant_detail: dict[str, Any],
        script_name: str = "",
        script_text: str = "",
        language: str = "",
        started: datetime | None = None,
    ) -> str:
        check_participant(participant)
        session_id = uuid.uuid4().hex[:16]
        self.db.table("sessions").insert(
            {
                "id": session_id,
                "participant": participant,
                "scenario": scenario,
                "variant": variant,
                "variant_detail": json.dumps(variant_detail, sort_keys=True),
                "script_name": script_name,
                "script_text": script_text,
                "language": language,
                "started": utc_text(started or datetime.now(UTC)),
                "ended": None,
                "end_reason": "",
                "settings": "",
            }
        )
        return session_id

    def end_session(self, session_id: str, reason: str, when: datetime | None = None) -> None:
        self.db.table("sessions").update(
            session_id, {"ended": utc_text(when or datetime.now(UTC)), "end_reason": reason}
        )

    def session(self, session_id: str) -> SessionInfo:
        row = self._conn.execute(
            "SELECT id, participant, scenario, variant, variant_detail, script_name, "
            "script_text, started, ended, end_reason, language FROM sessions WHERE id = ?",
            (session_id,),
        ).fetchone()
        if row is None:
            raise TrialError(f"no trial session {session_id}")
        return SessionInfo(
            id=row[0],
            participant=row[1],
            scenario=row[2],
            variant=row[3],
            variant_detail=json.loads(row[4] or "{}"),
            script_name=row[5] or "",
            script_text=row[6] or "",
            started=row[7],
            ended=row[8],
            end_reason=row[9] or "",
            language=row[10] or "",
        )

    def sessions_of(self, participant: str) -> list[SessionInfo]:
        ids = [
            r[0]
            for r in self._conn.execute(
                "SELECT id FROM sessions WHERE participant = ? ORDER BY started, id",
                (participant,),
            )
        ]
        return [self.session(i) for i in ids]

    def participants(self) -> list[str]:
        return [
            r[0] for r in self._conn.execute("SELECT DISTINCT participant FROM sessions ORDER BY 1")
        ]

    def open_session(self, participant: str) -> SessionInfo | None:
        """The participant's latest session if it never ended (the display stopped mid-way)."""
        found = [s for s in self.sessions_of(participant) if s.ended is None]
        return found[-1] if found else None

    def save_settings(self, session_id: str, settings: dict[str, Any]) -> None:
        self.db.table("sessions").update(
            session_id, {"settings": json.dumps(settings, sort_keys=True)}
        )

    def load_settings(self, session_id: str) -> dict[str, Any] | None:
        row = self._conn.execute(
            "SELECT settings FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None or not row[0]:
            return None
        loaded = json.loads(row[0])
        return loaded if isinstance(loaded, dict) else None

    # -- events --------------------------------------------------------------------------------

    def log(
        self,
        session_id: str,
        participant: str,
        event: str,
        *,
        wall_time: datetime,
        elapsed_s: float,
        display_time: datetime | None,
        screen: str = "",
        target: str = "",
        value: str = "",
        duration_s: float | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int:
        if session_id not in self._seq:
            row = self._conn.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = ?", (session_id,)
            ).fetchone()
            self._seq[session_id] = int(row[0])
        self._seq[session_id] += 1
        seq = self._seq[session_id]
        self.db.table("events").insert(
            {
                "session_id": session_id,
                "participant_id": participant,
                "seq": seq,
                "wall_time": utc_text(wall_time),
                "elapsed_s": round(elapsed_s, 3),
                "display_time": utc_text(display_time) if display_time else "",
                "event": event,
                "screen": screen,
                "target": target,
                "value": value,
                "duration_s": round(duration_s, 3) if duration_s is not None else None,
                "detail": json.dumps(detail, sort_keys=True, ensure_ascii=False) if detail else "",
            }
        )
        return seq

    def events(self, session_id: str) -> Iterator[dict[str, Any]]:
        names = [c for c, _ in COLUMNS]
        cursor = self._conn.execute(
            f"SELECT {', '.join(names)} FROM events WHERE session_id = ? ORDER BY seq",
            (session_id,),
        )
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    # -- export --------------------------------------------------------------------------------

    def export(self, participant: str, folder: Path) -> list[Path]:
        """A folder per session of `participant`: events.csv, events.jsonl and session.json."""
        check_participant(participant)
        sessions = self.sessions_of(participant)
        if not sessions:
            raise TrialError(f"there is no trial data for participant {participant}")
        if folder.exists() and not folder.is_dir():
            raise TrialError(f"{folder} is a file, not a folder: give --to a folder to export into")
        bundles = []
        for info in sessions:
            bundle = folder / bundle_name(participant, info.started, info.id)
            # Written beside, then renamed into place: an export cut short (Ctrl-C, a full disk)
            # leaves no half-written session folder, and an earlier export stays until replaced.
            # Both folders are the researcher's only (0700), their files 0600.
            private_dir(folder)
            partial = folder / f".{bundle.name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            private_dir(partial)
            try:
                self._write_bundle(partial, info)
                if bundle.exists():
                    shutil.rmtree(bundle)
                os.replace(partial, bundle)
            finally:
                shutil.rmtree(partial, ignore_errors=True)
            bundles.append(bundle)
        return bundles

    def _write_bundle(self, bundle: Path, info: SessionInfo) -> None:
        """One session's files: events.csv, events.jsonl and session.json."""
        rows = list(self.events(info.id))
        _write_csv(bundle / "events.csv", rows)
        with _private_open(bundle / "events.jsonl") as handle:
            for row in rows:
                record = dict(row)
                record["detail"] = json.loads(row["detail"]) if row["detail"] else {}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        manifest = {
            "session_id": info.id,
            "participant_id": info.participant,
            "scenario": info.scenario,
            "script": info.script_name,
            "script_text": info.script_text,
            "variant": info.variant,
            "variant_detail": info.variant_detail,
            "language": info.language,
            "started": info.started,
            "ended": info.ended,
            "end_reason": info.end_reason,
            "event_count": len(rows),
            "columns": dict(COLUMNS),
            "events": EVENTS,
        }
        with _private_open(bundle / "session.json") as handle:
            handle.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")

    # -- wipe ----------------------------------------------------------------------------------

    def wipe(self, participant: str) -> int:
        """Delete every session and event of `participant` and scrub the file and its WAL.

        Deleted rows are zeroed (secure_delete), VACUUM rebuilds the file without their pages,
        and a TRUNCATE checkpoint empties the WAL, which would otherwise still hold old pages.
        Returns how many sessions went.
        """
        check_participant(participant)
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM sessions WHERE participant = ?", (participant,)
                )
            ]
            conn.execute("DELETE FROM events WHERE participant_id = ?", (participant,))
            conn.execute("DELETE FROM sessions WHERE participant = ?", (participant,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        for session_id in ids:
            self._seq.pop(session_id, None)
        conn.execute("VACUUM")
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise TrialError(
                f"{participant}'s data was deleted, but another program (a running display?) "
                "still has the trial log open, so old pages may remain in its WAL file; close "
                "it and wipe again"
            )
        return len(ids)

    def session_ids(self, participant: str) -> list[str]:
        return [s.id for s in self.sessions_of(participant)]


def bundle_name(participant: str, started: str, session_id: str) -> str:
    return f"{participant}_{started[:10]}_{session_id}"


def is_bundle_of(name: str, participant: str) -> bool:
    """Exactly this participant's export folder: KWAB's wipe must not take KWAB_07's."""
    return (
        re.fullmatch(re.escape(participant) + r"_\d{4}-\d{2}-\d{2}_[0-9a-f]{16}", name) is not None
    )


def private_dir(folder: Path) -> None:
    """An export folder of a participant's data is the researcher's only (0700)."""
    try:
        make_private_dir(folder)
    except OSError as error:
        raise TrialError(f"cannot create {folder}: {error.strerror or error}") from None


def _private_open(path: Path, newline: str | None = None) -> Any:
    """Write a file 0600 from its first byte (an existing one is truncated, and stays its mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline=newline)


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with _private_open(path, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c for c, _ in COLUMNS])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})

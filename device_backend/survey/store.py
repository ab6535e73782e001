"""Surveys in SQLite (WAL, synchronous FULL): every keystroke, sample and photo committed at once."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import sqlite_utils

from device_backend import paths, sqlite_file
from device_backend.survey import fields as f
from device_backend.survey.codec import (
    parse_time,
    recommendation_from_dict,
    recommendation_to_dict,
    time_text,
)
from device_backend.survey.model import FieldEntry, Photo, Recommendation, Sample, Survey
from device_backend.survey.validate import FieldError, check, mask_secrets

APP_NAME = paths.APP_NAME
DB_NAME = "surveys.db"
MAX_PHOTO_BYTES = 25 * 1024 * 1024
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)

_SCHEMA = [
    """CREATE TABLE surveys (
        id TEXT PRIMARY KEY, engineer TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'draft', completed TEXT, copied_from TEXT,
        recommendation TEXT) STRICT""",
    """CREATE TABLE fields (
        survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE, name TEXT NOT NULL,
        text TEXT NOT NULL, value TEXT, error TEXT NOT NULL DEFAULT '', changed TEXT NOT NULL,
        PRIMARY KEY (survey_id, name)) STRICT, WITHOUT ROWID""",
    """CREATE TABLE samples (
        id INTEGER PRIMARY KEY, survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        time TEXT NOT NULL, peer TEXT NOT NULL, position TEXT NOT NULL, answered INTEGER NOT NULL,
        rssi_dbm INTEGER, lqi INTEGER, source TEXT NOT NULL DEFAULT '') STRICT""",
    "CREATE INDEX samples_by_survey ON samples (survey_id, id)",
    """CREATE TABLE photos (
        id INTEGER PRIMARY KEY, survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        filename TEXT NOT NULL, media_type TEXT NOT NULL, data BLOB NOT NULL,
        sha256 TEXT NOT NULL, caption TEXT NOT NULL DEFAULT '', added TEXT NOT NULL) STRICT""",
]
# Version 2: how each sample was taken (a sleepy gas meter is listened to, not probed).
# Samples already stored were all probes, so the default keeps their meaning.
_SCHEMA_V2 = [
    "ALTER TABLE samples ADD COLUMN method TEXT NOT NULL DEFAULT 'probe'",
]
_MIGRATIONS = (_SCHEMA, _SCHEMA_V2)  # step n takes a file from user_version n to n + 1
SCHEMA_VERSION = len(_MIGRATIONS)


class SurveyStoreError(Exception):
    """A survey operation that cannot be done; the message says why and what to do."""


class SurveyLocked(SurveyStoreError):
    """A completed survey is read-only until it is reopened."""


class PhotoError(SurveyStoreError):
    """A photograph that cannot be attached."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SurveySummary:
    id: str
    title: str
    engineer: str
    status: str
    updated: datetime
    outcome: str


def default_path() -> Path:
    return paths.data_file(DB_NAME, create_dir=False)


def _step(statements: list[str]) -> sqlite_file.Migration:
    def run(conn: sqlite3.Connection) -> None:
        for statement in statements:
            conn.execute(statement)

    return run


_RECIPE = sqlite_file.Recipe(
    what="survey file", migrations=tuple(_step(step) for step in _MIGRATIONS), foreign_keys=True
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def image_type(data: bytes) -> str | None:
    for magic, media_type in _IMAGE_MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


class SurveyStore:
    """One SQLite file of surveys. Each change is its own committed transaction."""

    def __init__(self, conn: sqlite3.Connection, path: Path, now: Callable[[], datetime]) -> None:
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.path = path
        self._now = now

    @classmethod
    def open(
        cls, path: Path | str | None = None, *, now: Callable[[], datetime] = _utc_now
    ) -> SurveyStore:
        where = Path(path) if path is not None else default_path()
        try:
            # FULL: a flat battery straight after a keystroke must not lose it.
            conn, _ = sqlite_file.open_private(where, _RECIPE)
        except sqlite_file.SchemaTooNew:
            raise SurveyStoreError(
                f"{where} was written by a newer version of the toolkit; it was left untouched"
            ) from None
        except sqlite_file.DatabaseFileError as error:
            raise SurveyStoreError(f"cannot open the survey file {where}: {error}") from error
        return cls(conn, where, now)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def now(self) -> datetime:
        return self._now().astimezone(UTC)

    # -- surveys ---------------------------------------------------------------------------

    def create(
        self, engineer: str, *, copied_from: str | None = None, texts: dict[str, str] | None = None
    ) -> Survey:
        survey_id = uuid.uuid4().hex
        stamp = time_text(self.now())
        wanted = {s.name: s.default for s in f.FIELDS if s.default}
        wanted.update(texts or {})
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO surveys (id, engineer, created, updated, copied_from) "
                "VALUES (?, ?, ?, ?, ?)",
                (survey_id, engineer, stamp, stamp, copied_from),
            )
            for name, text in wanted.items():
                self._write_field(conn, survey_id, name, text, stamp)
        return self.get(survey_id)

    def duplicate(self, survey_id: str, engineer: str) -> Survey:
        """A new draft for the next flat in the block: the building's facts, none of its own."""
        source = self.get(survey_id)
        texts = {name: source.text(name) for name in f.BLOCK_FIELDS if source.text(name)}
        return self.create(engineer, copied_from=survey_id, texts=texts)

    def get(self, survey_id: str) -> Survey:
        rows = list(self.db.query("SELECT * FROM surveys WHERE id = ?", [survey_id]))
        if not rows:
            raise SurveyStoreError(f"no survey with id {survey_id}")
        row = rows[0]
        entries = {
            r["name"]: FieldEntry(
                name=r["name"],
                text=r["text"],
                value=r["value"],
                error=r["error"],
                changed=parse_time(r["changed"]),
            )
            for r in self.db.query(
                "SELECT * FROM fields WHERE survey_id = ? ORDER BY name", [survey_id]
            )
        }
        samples = tuple(
            Sample(
                time=parse_time(r["time"]) or self.now(),
                peer=r["peer"],
                position=r["position"],
                answered=bool(r["answered"]),
                rssi_dbm=r["rssi_dbm"],
                lqi=r["lqi"],
                source=r["source"],
                method=r["method"],
            )
            for r in self.db.query(
                "SELECT * FROM samples WHERE survey_id = ? ORDER BY id", [survey_id]
            )
        )
        photos = tuple(
            Photo(
                id=r["id"],
                filename=r["filename"],
                media_type=r["media_type"],
                data=r["data"],
                sha256=r["sha256"],
                caption=r["caption"],
                added=parse_time(r["added"]),
            )
            for r in self.db.query(
                "SELECT * FROM photos WHERE survey_id = ? ORDER BY id", [survey_id]
            )
        )
        recommendation = (
            recommendation_from_dict(json.loads(row["recommendation"]))
            if row["recommendation"]
            else None
        )
        return Survey(
            id=row["id"],
            engineer=row["engineer"],
            created=parse_time(row["created"]) or self.now(),
            updated=parse_time(row["updated"]) or self.now(),
            status=row["status"],
            completed=parse_time(row["completed"]),
            copied_from=row["copied_from"],
            entries=MappingProxyType(entries),
            samples=samples,
            photos=photos,
            recommendation=recommendation,
        )

    def find(self, search: str = "") -> list[SurveySummary]:
        """Surveys newest first; `search` matches any field's text, the engineer or the id."""
        sql = "SELECT * FROM surveys"
        params: list[str] = []
        if search.strip():
            like = f"%{search.strip()}%"
            sql += (
                " WHERE engineer LIKE ? OR id LIKE ? OR id IN "
                "(SELECT survey_id FROM fields WHERE text LIKE ?)"
            )
            params = [like, like, like]
        out = []
        for row in self.db.query(sql + " ORDER BY updated DESC, id", params):
            texts = {
                r["name"]: r["value"]
                for r in self.db.query(
                    "SELECT name, value FROM fields WHERE survey_id = ? AND name IN "
                    "('job.address', 'job.postcode')",
                    [row["id"]],
                )
            }
            title = ", ".join(t for t in (texts.get("job.address"), texts.get("job.postcode")) if t)
            outcome = ""
            if row["recommendation"]:
                outcome = json.loads(row["recommendation"]).get("title", "")
            out.append(
                SurveySummary(
                    id=row["id"],
                    title=title or "(no address yet)",
                    engineer=row["engineer"],
                    status=row["status"],
                    updated=parse_time(row["updated"]) or self.now(),
                    outcome=outcome,
                )
            )
        return out

    def delete(self, survey_id: str) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM surveys WHERE id = ?", (survey_id,))

    # -- fields ----------------------------------------------------------------------------

    def set_field(self, survey_id: str, name: str, text: str) -> FieldEntry:
        """Keep `text` as typed; accept it as the value only if valid (else `error` says why)."""
        f.spec(name)  # an unknown name is a programming error: KeyError names it
        stamp = time_text(self.now())
        with self._tx() as conn:
            self._editable(conn, survey_id)
            entry = self._write_field(conn, survey_id, name, text, stamp)
            conn.execute("UPDATE surveys SET updated = ? WHERE id = ?", (stamp, survey_id))
        return entry

    def _write_field(
        self,
        conn: sqlite3.Connection,
        survey_id: str,
        name: str,
        text: str,
        stamp: str | None,
        *,
        fallback: str | None = None,
    ) -> FieldEntry:
        spec = f.spec(name)
        previous = conn.execute(
            "SELECT value FROM fields WHERE survey_id = ? AND name = ?", (survey_id, name)
        ).fetchone()
        try:
            value, error = check(spec, text), ""
        except FieldError as refused:
            # Refused: the last good value stays; the typed text is kept so nothing is lost,
            # except an install code or key typed into free text, which is never stored.
            value, error = (previous[0] if previous else fallback), str(refused)
            if spec.kind in ("text", "notes"):
                text = mask_secrets(text)
            if value is not None:
                try:
                    value = check(spec, value)
                except FieldError:
                    value = None  # a file's "last good value" that is not good is not kept
        conn.execute(
            "INSERT INTO fields (survey_id, name, text, value, error, changed) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (survey_id, name) DO UPDATE SET "
            "text = excluded.text, value = excluded.value, error = excluded.error, "
            "changed = excluded.changed",
            (survey_id, name, text, value, error, stamp),
        )
        return FieldEntry(name=name, text=text, value=value, error=error, changed=parse_time(stamp))

    def _editable(self, conn: sqlite3.Connection, survey_id: str) -> None:
        row = conn.execute("SELECT status FROM surveys WHERE id = ?", (survey_id,)).fetchone()
        if row is None:
            raise SurveyStoreError(f"no survey with id {survey_id}")
        if row[0] == "complete":
            raise SurveyLocked("This survey is complete; reopen it to change it.")

    # -- walk-test samples -------------------------------------------------------------------

    def add_sample(self, survey_id: str, sample: Sample) -> None:
        with self._tx() as conn:
            self._editable(conn, survey_id)
            conn.execute(
                "INSERT INTO samples (survey_id, time, peer, position, answered, rssi_dbm, lqi, "
                "source, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    survey_id,
                    time_text(sample.time),
                    sample.peer,
                    sample.position,
                    int(sample.answered),
                    sample.rssi_dbm,
                    sample.lqi,
                    sample.source,
                    sample.method,
                ),
            )
            conn.execute(
                "UPDATE surveys SET updated = ? WHERE id = ?", (time_text(self.now()), survey_id)
            )

    def clear_samples(
        self, survey_id: str, peer: str | None = None, position: str | None = None
    ) -> int:
        """Forget samples (all, or one link's) before measuring again; returns how many went."""
        with self._tx() as conn:
            self._editable(conn, survey_id)
            if peer is None or position is None:
                cursor = conn.execute("DELETE FROM samples WHERE survey_id = ?", (survey_id,))
            else:
                cursor = conn.execute(
                    "DELETE FROM samples WHERE survey_id = ? AND ((peer = ? AND position = ?) OR "
                    "(peer = ? AND position = ?))",
                    (survey_id, peer, position, position, peer),
                )
            conn.execute(
                "UPDATE surveys SET updated = ? WHERE id = ?", (time_text(self.now()), survey_id)
            )
            return cursor.rowcount

    # -- photographs -------------------------------------------------------------------------

    def add_photo(self, survey_id: str, filename: str, data: bytes, caption: str = "") -> Photo:
        media_type = image_type(data)
        if media_type is None:
            raise PhotoError(
                f"{filename} is not a photograph this toolkit can read "
                "(JPEG, PNG, GIF, BMP or WebP)."
            )
        if len(data) > MAX_PHOTO_BYTES:
            raise PhotoError(
                f"{filename} is {len(data) // (1024 * 1024)} MB; the limit is "
                f"{MAX_PHOTO_BYTES // (1024 * 1024)} MB. Save a smaller copy."
            )
        stamp = time_text(self.now())
        digest = hashlib.sha256(data).hexdigest()
        caption = mask_secrets(caption)  # a caption is free text: no install code or key in it
        with self._tx() as conn:
            self._editable(conn, survey_id)
            cursor = conn.execute(
                "INSERT INTO photos (survey_id, filename, media_type, data, sha256, caption, added) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (survey_id, filename, media_type, data, digest, caption, stamp),
            )
            conn.execute("UPDATE surveys SET updated = ? WHERE id = ?", (stamp, survey_id))
        assert cursor.lastrowid is not None
        return Photo(
            id=cursor.lastrowid,
            filename=filename,
            media_type=media_type,
            data=data,
            sha256=digest,
            caption=caption,
            added=parse_time(stamp),
        )

    def add_photo_file(self, survey_id: str, path: Path | str) -> Photo:
        where = Path(path)
        try:
            data = where.read_bytes()
        except OSError as error:
            raise PhotoError(f"cannot read {where}: {error.strerror or error}") from error
        return self.add_photo(survey_id, where.name, data)

    def set_photo_caption(self, survey_id: str, photo_id: int, caption: str) -> None:
        caption = mask_secrets(caption)  # free text: no install code or key in it
        with self._tx() as conn:
            self._editable(conn, survey_id)
            conn.execute(
                "UPDATE photos SET caption = ? WHERE survey_id = ? AND id = ?",
                (caption, survey_id, photo_id),
            )

    def remove_photo(self, survey_id: str, photo_id: int) -> None:
        with self._tx() as conn:
            self._editable(conn, survey_id)
            conn.execute("DELETE FROM photos WHERE survey_id = ? AND id = ?", (survey_id, photo_id))

    # -- completion --------------------------------------------------------------------------

    def complete(self, survey_id: str, recommendation: Recommendation) -> Survey:
        """Freeze the survey with its recommendation; refused while anything is missing."""
        survey = self.get(survey_id)
        problems = survey.problems()
        if not recommendation.complete:
            problems.append(recommendation.title)
        if problems:
            raise SurveyStoreError("The survey cannot be completed yet:\n" + "\n".join(problems))
        stamp = time_text(self.now())
        with self._tx() as conn:
            self._editable(conn, survey_id)
            conn.execute(
                "UPDATE surveys SET status = 'complete', completed = ?, updated = ?, "
                "recommendation = ? WHERE id = ?",
                (stamp, stamp, json.dumps(recommendation_to_dict(recommendation)), survey_id),
            )
        return self.get(survey_id)

    def reopen(self, survey_id: str) -> Survey:
        stamp = time_text(self.now())
        with self._tx() as conn:
            conn.execute(
                "UPDATE surveys SET status = 'draft', completed = NULL, updated = ?, "
                "recommendation = NULL WHERE id = ?",
                (stamp, survey_id),
            )
        return self.get(survey_id)

    # -- import ------------------------------------------------------------------------------

    def insert(self, survey: Survey) -> Survey:
        """Add a survey read from a file; a clash of ids gets a fresh id, never an overwrite."""
        exists = self.conn.execute("SELECT 1 FROM surveys WHERE id = ?", (survey.id,)).fetchone()
        survey_id = uuid.uuid4().hex if exists else survey.id
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO surveys (id, engineer, created, updated, status, completed, "
                "copied_from, recommendation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    survey_id,
                    survey.engineer,
                    time_text(survey.created),
                    time_text(survey.updated),
                    survey.status,
                    time_text(survey.completed),
                    survey.copied_from,
                    json.dumps(recommendation_to_dict(survey.recommendation))
                    if survey.recommendation
                    else None,
                ),
            )
            for name, entry in survey.entries.items():
                f.spec(name)  # an unknown field in a file is refused, not silently kept
                self._write_field(
                    conn,
                    survey_id,
                    name,
                    entry.text,
                    time_text(entry.changed or survey.updated),
                    fallback=entry.value,
                )
            for sample in survey.samples:
                conn.execute(
                    "INSERT INTO samples (survey_id, time, peer, position, answered, rssi_dbm, "
                    "lqi, source, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        survey_id,
                        time_text(sample.time),
                        sample.peer,
                        sample.position,
                        int(sample.answered),
                        sample.rssi_dbm,
                        sample.lqi,
                        sample.source,
                        sample.method,
                    ),
                )
            for photo in survey.photos:
                if hashlib.sha256(photo.data).hexdigest() != photo.sha256:
                    raise PhotoError(f"photograph {photo.filename} is damaged (checksum differs)")
                conn.execute(
                    "INSERT INTO photos (survey_id, filename, media_type, data, sha256, caption, "
                    "added) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        survey_id,
                        photo.filename,
                        photo.media_type,
                        photo.data,
                        photo.sha256,
                        mask_secrets(photo.caption),
                        time_text(photo.added or survey.updated),
                    ),
                )
        return self.get(survey_id)

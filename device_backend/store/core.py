"""The Store: one SQLite file (WAL) holding a home's readings, rollups, tariffs and records."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import sqlite_utils

from device_backend import model, sqlite_file
from device_backend.clock import Clock, local_day_start
from device_backend.store import consent, files, ingest, records, schema
from device_backend.store.catalog import Catalog
from device_backend.store.codes import FUEL_CODE, Kind, epoch, local_date, local_midnight, utc
from device_backend.store.consent import Consent
from device_backend.store.errors import (
    ConsentRequiredError,
    DatabaseDamagedError,
    NewerSchemaError,
    StorageFullError,
    StoreError,
    WipeIncompleteError,
)
from device_backend.store.export import HEADERS, Exporter
from device_backend.store.history import Bucket, History, PeriodTotal, Series, recent_span
from device_backend.store.records import AuditEntry
from device_backend.store.schema import Migration, schema_version

LOGGER = logging.getLogger(__name__)
Synchronous = Literal["FULL", "NORMAL"]
Check = Literal["auto", "quick", "full", "off"]

# Everything that describes the household rather than the property and its meters.
HOUSEHOLD_TABLES = (
    "readings",
    "half_hourly",
    "daily",
    "daily_standing",
    "register_baselines",
    "prices",
    "prepayment",
    "topups",
    "messages",
    "event_log",
    "consents",  # the bill payer's name and their consent belong to this household only
)
_EXPORTED = {
    "readings": "raw readings exported",
    "half_hourly": "half-hourly data exported",
    "daily": "daily totals exported",
}
_RETENTION_CHUNK = 50_000  # rows per transaction, so the WAL stays small while deleting


def _recipe(synchronous: Synchronous) -> sqlite_file.Recipe:
    if synchronous not in ("FULL", "NORMAL"):
        raise ValueError("synchronous must be FULL or NORMAL (WAL mode is never run unsynced)")
    return sqlite_file.Recipe(
        what="history database",
        migrations=tuple(_on_connection(step) for step in schema.MIGRATIONS),
        synchronous=synchronous,
        # 4 MiB cache: the history screens read small rollup tables and the OS caches the file;
        # a display switched on for years should not carry a bigger private cache than it needs.
        extra_pragmas=("journal_size_limit = 67108864", "cache_size = -4096"),
    )


def _on_connection(step: Migration) -> sqlite_file.Migration:
    def run(conn: sqlite3.Connection) -> None:
        step(sqlite_utils.Database(conn, execute_plugins=False))

    return run


def _connect(
    path: Path, synchronous: Synchronous, check: Check, mode: sqlite_file.Mode = "create"
) -> sqlite3.Connection:
    try:
        conn, _ = sqlite_file.open_private(
            path, _recipe(synchronous), mode=mode, check=check, check_skip=files.auto_skip
        )
    except sqlite_file.SchemaTooNew as error:
        raise NewerSchemaError(str(error)) from None
    except sqlite_file.CorruptDatabase:
        raise
    except sqlite_file.DatabaseFileError as error:
        raise StoreError(str(error)) from None
    return conn


def _is_full(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) == sqlite3.SQLITE_FULL


class Store:
    """Ingest model events and answer history questions. One writer connection, one thread.

    Every write is one transaction, committed before the call returns. With the default
    synchronous=FULL the WAL is flushed to disk at each commit, so a committed reading survives
    a crash or a power cut. NORMAL survives a crash of this process too (the WAL is already in
    the OS's hands) but may lose the last commits to a power cut; measured here, one event per
    commit costs about 0.33 ms with FULL against 0.14 ms with NORMAL, and batch ingest the same
    either way, so FULL is the default.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        clock: Clock | None = None,
        recovered_from: Path | None = None,
    ) -> None:
        self.path = path
        self.recovered_from = recovered_from  # where an unreadable database was moved, if one was
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self._conn = conn
        self._clock = clock or Clock()
        self._catalog = Catalog(conn)
        self._history = History(conn, self._catalog)
        self._data_version = -1
        # The last stored balance of each meter, read from the file when first needed.
        self._last_prepayment: dict[model.Fuel, tuple[object, ...] | None] = {}

    # -- opening and closing ----------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        synchronous: Synchronous = "FULL",
        check: Check = "auto",
        mode: sqlite_file.Mode = "create",
    ) -> Store:
        """Open (creating if needed) the database; an unreadable one is moved aside, not lost.

        `path` None: `history.db` in the data folder (created 0700; the file is 0600).
        `check`: "auto" (quick_check; above 256 MB every table but the raw readings), "quick"
        (PRAGMA quick_check of the whole file), "full" (integrity_check) or "off".
        `mode`: "create"; "existing" (the file must exist; migrated); "read_only" (never
        created, migrated or written). Only "create" moves an unreadable file aside: the other
        modes raise CorruptDatabase and leave it where it is.
        """
        target = files.default_path() if path is None else Path(path)
        if mode == "create" and path is None:
            files.prepare_directory(target.parent)
        recovered = None
        try:
            conn = _connect(target, synchronous, check, mode)
        except files.CorruptDatabase as error:
            if mode != "create":
                raise
            LOGGER.warning("History database unreadable (%s)", error)
            recovered = files.move_aside(target)
            conn = _connect(target, synchronous, "off")
        return cls(conn, target, clock=clock, recovered_from=recovered)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return schema_version(self.db)

    # -- transactions -----------------------------------------------------------------------

    def _notice_other_writers(self) -> None:
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:  # another connection committed: caches may be stale
            self._forget()
            self._data_version = version

    def _forget(self) -> None:
        self._catalog.forget()
        self._last_prepayment = {}

    @contextmanager
    def _transaction(self, pending: int) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; a full disk becomes StorageFullError, all rolled back."""
        self._notice_other_writers()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException as error:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            self._forget()  # caches may hold rows that were just rolled back
            if _is_full(error):
                raise StorageFullError(
                    f"The history store is full ({error}): {pending} new event(s) were not "
                    "saved. Everything saved before is intact. Free disk space, or keep less raw "
                    "history with apply_retention(keep_raw_days=...), then try again.",
                    lost=pending,
                ) from error
            if files.is_corruption(error):
                raise DatabaseDamagedError(
                    f"The history database {self.path} is damaged ({error}); nothing new was "
                    "saved. Close the store and open it again with check='quick': the damaged "
                    "file is then moved aside (not deleted) and a new one started.",
                ) from error
            raise

    # -- ingest -----------------------------------------------------------------------------

    def add(self, event: model.Event) -> bool:
        """Store one event; False for kinds that are live state only (ambient, link quality)."""
        return self.add_many((event,)) == 1

    def add_many(self, events: Iterable[model.Event]) -> int:
        """Store a batch in one transaction; returns how many events were kept."""
        batch = events if isinstance(events, list) else list(events)
        if not batch:
            return 0
        groups = _by_class(batch)
        now = epoch(self._clock.now())
        with self._transaction(len(batch)) as conn:
            # Prices first, so readings in the same batch are costed at them.
            kept = sum(
                records.add_price(conn, self._catalog, p, now) for p in groups.pop(model.Price, ())
            )
            readings = [
                ingest.batch_from_events(items, self._catalog, now)
                for cls in (model.Energy, model.Demand)
                if (items := groups.pop(cls, None))
            ]
            if readings:
                late = ingest.write_batches(conn, self._catalog, readings)
                kept += sum(len(r) for r in readings)
                if late:
                    LOGGER.info(
                        "%d register reading(s) arrived out of order: kept raw, not "
                        "re-counted in the rollups",
                        late,
                    )
            for items in groups.values():
                kept += sum(self._add_record(conn, event) for event in items)
        return kept

    def _add_record(self, conn: sqlite3.Connection, event: model.Event) -> bool:
        if isinstance(event, model.Prepayment):
            return self._add_prepayment(conn, event)
        if isinstance(event, model.TopUpResult):
            records.add_topup(conn, event)
        elif isinstance(event, model.SupplierMessage):
            records.add_message(conn, event)
        elif isinstance(event, model.DeviceChange):
            records.add_device_change(conn, self._catalog, event)
        else:
            return records.log_event(conn, event)
        return True

    def _add_prepayment(self, conn: sqlite3.Connection, state: model.Prepayment) -> bool:
        """Only changes are kept: the meter is polled far more often than the balance moves."""
        # Each meter's balance is compared with its own last row (a dual-fuel home has two).
        fuel = state.fuel
        if fuel not in self._last_prepayment:
            self._last_prepayment[fuel] = records.latest_prepayment_values(conn, fuel)
        values = records.prepayment_values(state)
        if values == self._last_prepayment[fuel]:
            return False
        records.add_prepayment(conn, state)
        self._last_prepayment[fuel] = values
        return True

    def audit(self, who: str, what: str, detail: str = "") -> None:
        """Note who did what (installer, householder, system); long codes are starred out."""
        now = epoch(self._clock.now())
        with self._transaction(1) as conn:
            records.log(conn, now, who, what, detail)

    def confirm_message(self, message_id: int, who: str = "householder") -> bool:
        now = epoch(self._clock.now())
        with self._transaction(1) as conn:
            changed = conn.execute(
                "UPDATE messages SET confirmed = 1, confirmed_at = coalesce(confirmed_at, ?) "
                "WHERE id = ?",
                (now, message_id),
            ).rowcount
            if changed:
                records.log(conn, now, who, "message confirmed", str(message_id))
        return bool(changed)

    # -- history ----------------------------------------------------------------------------

    def period_totals(
        self, fuel: model.Fuel, start: datetime, end: datetime, bucket: Bucket | str = Bucket.DAY
    ) -> list[PeriodTotal]:
        return self._history.period_totals(fuel, start, end, Bucket(bucket))

    def _recent(self, fuel: model.Fuel, count: int, bucket: Bucket) -> list[PeriodTotal]:
        """The last `count` whole local buckets, the current (partial) one last."""
        if count < 1:
            return []
        first, stop = recent_span(local_date(self._clock.now()), count, bucket)
        return self._history.period_totals(
            fuel, local_midnight(first), local_midnight(stop), bucket
        )

    def daily_totals(self, fuel: model.Fuel, days: int = 8) -> list[PeriodTotal]:
        return self._recent(fuel, days, Bucket.DAY)

    def weekly_totals(self, fuel: model.Fuel, weeks: int = 5) -> list[PeriodTotal]:
        """Weeks start on Monday."""
        return self._recent(fuel, weeks, Bucket.WEEK)

    def monthly_totals(self, fuel: model.Fuel, months: int = 13) -> list[PeriodTotal]:
        return self._recent(fuel, months, Bucket.MONTH)

    def yearly_totals(self, fuel: model.Fuel, years: int = 10) -> list[PeriodTotal]:
        return self._recent(fuel, years, Bucket.YEAR)

    def series(
        self, fuel: model.Fuel, start: datetime, end: datetime, resolution: str = "auto"
    ) -> Series:
        return self._history.series(fuel, start, end, resolution)

    # -- records ----------------------------------------------------------------------------

    def price_at(self, fuel: model.Fuel, moment: datetime) -> model.Price | None:
        self._notice_other_writers()
        return records.price_at(self._conn, self._catalog, fuel, moment)

    def latest_prepayment(
        self, fuel: model.Fuel = model.Fuel.ELECTRICITY
    ) -> model.Prepayment | None:
        return records.latest_prepayment(self._conn, fuel)

    def topups(self, limit: int = 50, fuel: model.Fuel | None = None) -> list[model.TopUpResult]:
        """Newest first, both meters' unless `fuel` is given; each UTRN only as its masked
        last four digits."""
        return records.topups(self._conn, limit, fuel)

    def messages(self) -> list[model.SupplierMessage]:
        return records.messages(self._conn)

    def devices(self) -> list[model.DeviceInfo]:
        """Devices the network reported (joined or interviewed), oldest first."""
        return records.devices(self._conn)

    def audit_log(self, limit: int = 200) -> list[AuditEntry]:
        """Who did what and when, newest first."""
        return records.audit_log(self._conn, limit)

    # -- housekeeping -----------------------------------------------------------------------

    def apply_retention(self, keep_raw_days: int, who: str = "system") -> int:
        """Delete raw readings before local midnight `keep_raw_days` ago; rollups stay.

        Freed pages are reused by later ingest, so this also clears a StorageFullError.
        """
        if keep_raw_days < 0:
            raise ValueError("keep_raw_days cannot be negative")
        cutoff = epoch(local_day_start(self._clock.now() - timedelta(days=keep_raw_days)))
        deleted = 0
        for fuel in FUEL_CODE.values():
            for kind in Kind:
                deleted += self._delete_raw_before(fuel, kind, cutoff)
        self.audit(who, "raw readings removed", f"{deleted} older than {utc(cutoff).isoformat()}")
        return deleted

    def _delete_raw_before(self, fuel: int, kind: Kind, cutoff: int) -> int:
        deleted = 0
        while True:
            with self._transaction(0) as conn:
                count = conn.execute(
                    "DELETE FROM readings WHERE rowid IN (SELECT rowid FROM readings "
                    "WHERE fuel = ? AND kind = ? AND t < ? LIMIT ?)",
                    (fuel, int(kind), cutoff, _RETENTION_CHUNK),
                ).rowcount
            deleted += count
            if count < _RETENTION_CHUNK:
                return deleted

    def export_csv(
        self,
        path: str | os.PathLike[str],
        fuel: model.Fuel,
        start: datetime,
        end: datetime,
        kind: str = "half_hourly",
        who: str = "householder",
        on_rows: Callable[[int], None] | None = None,
    ) -> int:
        """readings, half_hourly or daily rows in [start, end) as CSV; returns the row count.

        `on_rows(count)` hears how many rows are written, every few thousand (for a progress
        line).

        Daily totals need no consent: GB's Data Access and Privacy Framework (suppliers' licence
        condition 47) allows consumption for a day or longer without opt-in. Half-hourly data,
        and the raw readings finer still, need the household's explicit consent, so "half_hourly"
        needs a consent in force covering half-hourly (or finer) data and "readings" one covering
        raw readings; without it ConsentRequiredError says what to record, and no file is
        written (one already at `path` is left as it was). Every export goes in the audit log,
        one finer than daily naming the consent it relied on. The file is created 0600.
        """
        if kind not in HEADERS:
            raise ValueError(f"unknown export kind {kind!r}: use one of {', '.join(HEADERS)}")
        target, fuel = Path(path), model.Fuel(fuel)
        low, high = epoch(start), epoch(end)
        now = self._clock.now()
        relied_on: Consent | None = None
        self._notice_other_writers()
        # One read snapshot: the consent checked is the one in force for the rows written.
        self._conn.execute("BEGIN")
        try:
            if kind in consent.NEEDS_CONSENT:
                relied_on = consent.active(self._conn, now, kind)
                if relied_on is None:
                    raise ConsentRequiredError(consent.refusal(self._conn, now, kind))
            count = Exporter(self._conn, self._catalog).write(
                target, fuel, low, high, kind, on_rows
            )
        finally:
            if self._conn.in_transaction:
                self._conn.execute("COMMIT")  # read only: nothing to keep or undo
        span = f"{fuel.value} {utc(low).isoformat()} to {utc(high).isoformat()}"
        detail = f"{span}, {count} rows to {target}"
        if relied_on is not None:
            detail += f"; relied on {relied_on.describe()}"
        try:
            self.audit(who, _EXPORTED[kind], detail)
        except BaseException:
            target.unlink(missing_ok=True)  # an export the audit log cannot show is not left
            raise
        return count

    # -- consent ----------------------------------------------------------------------------

    def grant_consent(
        self,
        granted_by: str,
        purpose: str,
        granularity: str = "half_hourly",
        expires: datetime | None = None,
        who: str = "householder",
    ) -> Consent:
        """Record the household's consent to export data finer than daily totals.

        `granted_by`: the bill payer's name as typed; `purpose`: what the data is for, in
        words; `granularity`: "half_hourly", or "readings" (raw readings, and half-hourly data
        too); `expires`: an aware time after now, or None. Bad input raises ConsentInputError
        (a ValueError) naming every problem, and nothing is stored. Audited with the grant.
        """
        now = self._clock.now()
        consent.checked(granted_by, purpose, granularity, expires, now)  # before any lock
        with self._transaction(1) as conn:
            granted = consent.grant(conn, now, granted_by, purpose, granularity, expires)
            records.log(conn, epoch(now), who, "consent granted", granted.describe())
        return granted

    def withdraw_consent(
        self, consent_id: int | None = None, who: str = "householder"
    ) -> list[Consent]:
        """Withdraw one consent in force (by id), or all of them; returns those withdrawn.

        Exports that needed it are refused from now on. Each withdrawal is audited.
        """
        now = self._clock.now()
        with self._transaction(1) as conn:
            withdrawn = consent.withdraw(conn, now, consent_id)
            for item in withdrawn:
                records.log(conn, epoch(now), who, "consent withdrawn", item.describe())
        return withdrawn

    def active_consent(self, kind: str = "half_hourly") -> Consent | None:
        """The newest consent in force covering an export of `kind` (half_hourly or readings)."""
        self._notice_other_writers()
        return consent.active(self._conn, self._clock.now(), kind)

    def consents_in_force(self) -> list[Consent]:
        """The consents in force now (not withdrawn, not expired), newest first."""
        self._notice_other_writers()
        return consent.in_force(self._conn, self._clock.now())

    def consents(self) -> list[Consent]:
        """Every consent recorded for this household, withdrawn and expired ones too, newest first."""
        self._notice_other_writers()
        return consent.all_consents(self._conn)

    def backup_to(
        self, path: str | os.PathLike[str], *, verify: bool = True, who: str = "system"
    ) -> Path:
        """Copy a consistent snapshot with SQLite's online backup, into a single 0600 file.

        It reads through its own connection, in one step, so it sees one snapshot while
        other connections keep committing. A copy of every reading is a disclosure too, so it
        goes in the audit log, like an export.
        """
        target = files.backup(self.path, Path(path), verify=verify)
        self.audit(who, "backup made", f"whole history database copied to {target}")
        return target

    def wipe_household(self, who: str = "installer") -> None:
        """Change of tenancy: delete the household's data and leave no trace of it in the files.

        Devices (the property's meters) stay, without their names and locations. Deleted pages
        are zeroed (secure_delete), VACUUM rebuilds the file, and the WAL is truncated to zero.
        """
        with self._transaction(0) as conn:
            for table in HOUSEHOLD_TABLES:
                conn.execute(f"DELETE FROM {table}")
            conn.execute("UPDATE devices SET name = '', location = ''")
        try:
            self._conn.execute("VACUUM")
        except sqlite3.OperationalError as error:
            if _is_full(error):
                raise StorageFullError(
                    "Household data was deleted, but VACUUM needs free space about the size of "
                    "the database to scrub the file; free some space and wipe again.",
                    lost=0,
                ) from error
            raise
        busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise WipeIncompleteError(
                "Household data was deleted, but another program still has the history database "
                "open, so its old pages may remain in the WAL file; close it and wipe again."
            )
        self.audit(who, "household data wiped")


def _by_class(events: Sequence[model.Event]) -> dict[type, list[Any]]:
    first = type(events[0])
    if list(map(type, events)).count(first) == len(events):
        return {first: list(events)}
    groups: dict[type, list[Any]] = {}
    for event in events:
        groups.setdefault(type(event), []).append(event)
    return groups

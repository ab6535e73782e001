"""One recipe to open, migrate and protect a private SQLite file, used by all four databases.

The history store, the survey store, the installer's database and the trial log each hold one
household's, participant's or engineer's data, so each opens the same way:

- the path must be a regular file (or not exist yet): a directory, FIFO, device or anything
  that is not an SQLite database is refused before anything is touched;
- a file created here is 0600 from its first byte (and SQLite gives its -wal/-shm the same
  mode); a file that was already there is never chmodded, only reported if it is open;
- WAL, a busy timeout and the synchronous level are set, secure_delete where asked;
- the schema version lives in PRAGMA user_version; each migration step runs in one transaction
  with its version bump, and a version newer than the program's is refused untouched;
- `mode="read_only"` opens through SQLite's read-only URI: it never creates, renames or
  migrates anything, and reports a file that needs a migration instead.
"""

from __future__ import annotations

import logging
import sqlite3
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from device_backend import paths

LOGGER = logging.getLogger(__name__)

Mode = Literal["create", "existing", "read_only"]
Migration = Callable[[sqlite3.Connection], None]
SQLITE_MAGIC = b"SQLite format 3\x00"
_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


class DatabaseFileError(Exception):
    """A database file that cannot be used as asked; the message names it and says why."""


class NotADatabase(DatabaseFileError):
    """The path is a folder, a FIFO, a device, or a file that is not an SQLite database."""


class CorruptDatabase(NotADatabase):
    """The file claims to be SQLite but is damaged."""


class MissingDatabase(DatabaseFileError):
    """There is no file where an existing database was expected."""


class SchemaTooNew(DatabaseFileError):
    """Written by a newer program: left exactly as found."""


class SchemaTooOld(DatabaseFileError):
    """A read-only command found a file that needs migrating; it does not migrate it."""


@dataclass(frozen=True)
class Recipe:
    """How one kind of database is opened: its name in messages and its migration steps."""

    what: str  # "history database", "survey file" ...
    migrations: Sequence[Migration]
    synchronous: Literal["FULL", "NORMAL"] = "FULL"
    secure_delete: bool = True
    foreign_keys: bool = False
    extra_pragmas: tuple[str, ...] = field(default=())

    @property
    def version(self) -> int:
        return len(self.migrations)


def is_corruption(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _CORRUPT_CODES


def examine(path: Path, what: str) -> bool:
    """True if a regular file exists at `path`; False if nothing does; refuses anything else."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise NotADatabase(f"cannot use {path} as the {what}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise NotADatabase(f"{path} is a folder, not a {what}: give the path of a file")
    if not stat.S_ISREG(info.st_mode):
        raise NotADatabase(f"{path} is not a regular file (a pipe or a device?): not a {what}")
    return True


def check_header(path: Path, what: str, *, allow_empty: bool) -> None:
    """An empty file may become a new database; anything else must start with SQLite's magic.

    Read rather than trusting the size: files under /proc report 0 bytes but are not empty.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as error:
        raise NotADatabase(f"cannot read {path}: {error.strerror or error}") from None
    if not head:
        if not allow_empty:
            raise NotADatabase(f"{path} is empty: it is not a {what}")
        return
    if not head.startswith(SQLITE_MAGIC) or len(head) < 512:  # a page is 512 bytes at least
        raise CorruptDatabase(f"{path} is not an SQLite database, so not a {what}")


def quoted(name: str) -> str:
    """An SQL string literal: a table name with a quote in it cannot break the statement."""
    return "'" + name.replace("'", "''") + "'"


def check_integrity(conn: sqlite3.Connection, level: str, skip: tuple[str, ...] = ()) -> None:
    """quick_check (or integrity_check for "full") of the file, or of each table but `skip`."""
    if level == "off":
        return
    if skip:
        names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        checks = [f"quick_check({quoted(n)})" for (n,) in names if n not in skip]
    else:
        checks = ["integrity_check" if level == "full" else "quick_check"]
    for check in checks:
        result = [row[0] for row in conn.execute(f"PRAGMA {check}")]
        if result != ["ok"]:
            raise CorruptDatabase(f"{check} failed: {'; '.join(map(str, result[:3]))}")


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, recipe: Recipe, path: Path) -> int:
    """Apply the missing steps in order, each with its version bump in one transaction."""
    current = schema_version(conn)
    if current > recipe.version:
        raise SchemaTooNew(
            f"the {recipe.what} {path} is at schema version {current}, newer than this "
            f"program's {recipe.version}; it has been left untouched - update the program to use it"
        )
    for version in range(current, recipe.version):
        conn.execute("BEGIN IMMEDIATE")
        try:
            recipe.migrations[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return recipe.version


def open_private(
    path: Path,
    recipe: Recipe,
    *,
    mode: Mode = "create",
    check: str = "off",
    check_skip: Callable[[int], tuple[str, ...]] | None = None,
) -> tuple[sqlite3.Connection, bool]:
    """Open `path` by the recipe; returns the connection and whether the file was created here.

    `mode`: "create" makes the folder (0700) and file (0600) if missing and migrates;
    "existing" refuses a missing file but migrates; "read_only" neither creates nor migrates.
    `check`: "off", "quick", "full" or "auto"; `check_skip(size)` names tables "auto" skips.
    """
    path = Path(path)
    exists = examine(path, recipe.what)
    created = False
    if not exists:
        if mode != "create":
            raise MissingDatabase(f"there is no {recipe.what} at {path}")
        try:
            if not path.parent.is_dir():
                paths.private_dir(path.parent)
            created = paths.create_private(path)
        except OSError as error:
            raise DatabaseFileError(
                f"cannot create the {recipe.what} {path}: {error.strerror or error}"
            ) from None
    else:
        check_header(path, recipe.what, allow_empty=mode == "create")
        paths.warn_if_open(path)
    if mode == "read_only":
        conn = sqlite3.connect(_read_only_uri(path), uri=True, isolation_level=None)
    else:
        conn = sqlite3.connect(path, isolation_level=None)  # we issue BEGIN/COMMIT ourselves
    try:
        _configure(conn, path, recipe, mode)
        size = path.stat().st_size
        skip = check_skip(size) if (check == "auto" and check_skip is not None) else ()
        check_integrity(conn, "quick" if check == "auto" else check, skip)
        version = schema_version(conn)
        if mode == "read_only":
            if version > recipe.version:
                migrate(conn, recipe, path)  # raises SchemaTooNew
            if version < recipe.version:
                raise SchemaTooOld(
                    f"the {recipe.what} {path} is at schema version {version}, older than this "
                    f"program's {recipe.version}; this command only reads, so it was left as it "
                    "is - open it once with the program that records into it to upgrade it"
                )
        else:
            migrate(conn, recipe, path)
    except BaseException as error:
        conn.close()
        if created:
            remove_created(path)  # a refused open leaves nothing behind
        if isinstance(error, sqlite3.DatabaseError):
            if is_corruption(error):
                raise CorruptDatabase(f"{path} is damaged: {error}") from error
            raise DatabaseFileError(f"cannot open the {recipe.what} {path}: {error}") from error
        raise
    return conn, created


def _read_only_uri(path: Path) -> str:
    """SQLite's read-only URI; immutable when no other connection has the file open.

    Even read-only, SQLite makes a -wal and -shm beside a WAL database it opens; a command that
    only reads must not leave files behind. With neither there, no connection has the file
    open (the last to close removes them), so it is opened as immutable and nothing is created.
    A writer that starts in the same instant is the price: a read-only command is a snapshot.
    """
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if not any(Path(f"{path}{side}").exists() for side in ("-wal", "-shm", "-journal")):
        uri += "&immutable=1"
    return uri


def _configure(conn: sqlite3.Connection, path: Path, recipe: Recipe, mode: Mode) -> None:
    conn.execute("PRAGMA busy_timeout = 5000")
    if recipe.foreign_keys:
        conn.execute("PRAGMA foreign_keys = ON")
    if mode == "read_only":
        return
    if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
        raise DatabaseFileError(
            f"{path} cannot use write-ahead logging (is it on a network share?): keep the "
            f"{recipe.what} on a local disk"
        )
    conn.execute(f"PRAGMA synchronous = {recipe.synchronous}")
    if recipe.secure_delete:
        conn.execute("PRAGMA secure_delete = ON")  # deleted rows are zeroed, not left in free pages
    for pragma in recipe.extra_pragmas:
        conn.execute(f"PRAGMA {pragma}")


def remove_created(path: Path) -> None:
    """Undo a file created by a failed open, so a refused command leaves nothing behind."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


__all__ = [
    "CorruptDatabase",
    "DatabaseFileError",
    "MissingDatabase",
    "NotADatabase",
    "Recipe",
    "SchemaTooNew",
    "SchemaTooOld",
    "check_integrity",
    "examine",
    "is_corruption",
    "open_private",
    "quoted",
    "remove_created",
    "schema_version",
]

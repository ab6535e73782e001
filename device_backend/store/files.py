"""Where the database lives, who may read it, and setting a corrupt one aside."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

APP_NAME = "gb-smart-ihd"
DB_NAME = "history.db"
SIDE_FILES = ("-wal", "-shm")  # SQLite's companions; they move with the database
_SQLITE_MAGIC = b"SQLite format 3\x00"
AUTO_WHOLE_FILE_BYTES = 256 * 1024 * 1024  # about 0.9 s of quick_check on these machines
_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

LOGGER = logging.getLogger(__name__)


class CorruptDatabase(Exception):
    """Raised inside open when the file is not a usable SQLite database."""


def default_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / DB_NAME


def prepare_directory(directory: Path, *, private: bool) -> None:
    """Create the folder 0700; our own default folder is also tightened if it exists looser."""
    created = not directory.exists()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if created or private:
        os.chmod(directory, 0o700)  # mkdir's mode is filtered by the umask


def create_private_file(path: Path) -> None:
    """The database holds a household's habits: readable by its owner only (0600)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)


def is_corruption(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _CORRUPT_CODES


def check_header(path: Path) -> None:
    """An empty file is a new database; anything else must start with SQLite's magic."""
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as handle:
        if handle.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC or size < 512:
            raise CorruptDatabase("the file is not an SQLite database")


def check_integrity(conn: sqlite3.Connection, level: str, size: int = 0) -> None:
    """quick or full checks the whole file; auto does so up to AUTO_WHOLE_FILE_BYTES.

    Above that, auto checks every table but the raw readings: PRAGMA quick_check takes about
    3.3 s per GB, and a 10-year file of raw 10-second rows (1.4 GB) is the part that can be
    rebuilt least and matters least, its history being kept in the rollups.
    """
    if level == "off":
        return
    if level == "auto" and size > AUTO_WHOLE_FILE_BYTES:
        names = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'readings'"
        )
        checks = [f'quick_check("{name}")' for (name,) in names.fetchall()]
    else:
        checks = ["integrity_check" if level == "full" else "quick_check"]
    for check in checks:
        result = [row[0] for row in conn.execute(f"PRAGMA {check}")]
        if result != ["ok"]:
            raise CorruptDatabase(f"{check} failed: {'; '.join(result[:3])}")


def move_aside(path: Path) -> Path:
    """Rename the database and its -wal/-shm with a UTC stamp; returns the database's new path.

    The names keep SQLite's pairing (X.db, X.db-wal), so the set can still be opened for
    recovery; nothing is deleted.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    os.replace(path, target)
    for suffix in SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    LOGGER.warning(
        "The history database %s was unreadable and was moved to %s; a new one was started",
        path,
        target,
    )
    return target


def backup(source: Path, target: Path, *, verify: bool) -> Path:
    """Online backup into `target` (atomically replaced): one step, so one consistent snapshot."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, Path(f"{partial}-journal")):
        leftover.unlink(missing_ok=True)
    create_private_file(partial)
    reader = sqlite3.connect(source, isolation_level=None)
    writer = sqlite3.connect(partial, isolation_level=None)
    try:
        reader.execute("PRAGMA busy_timeout = 5000")
        reader.backup(writer)  # pages=-1: the whole copy inside one read transaction
        writer.execute("PRAGMA journal_mode = DELETE")  # a self-contained single file
        if verify:
            check_integrity(writer, "quick")
    finally:
        writer.close()
        reader.close()
    os.replace(partial, target)
    return target

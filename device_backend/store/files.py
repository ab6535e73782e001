"""Where the database lives, who may read it, and setting a corrupt one aside."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

from device_backend import paths, sqlite_file
from device_backend.sqlite_file import CorruptDatabase, is_corruption

APP_NAME = paths.APP_NAME
DB_NAME = "history.db"
SIDE_FILES = ("-wal", "-shm")  # SQLite's companions; they move with the database
AUTO_WHOLE_FILE_BYTES = 256 * 1024 * 1024  # about 0.9 s of quick_check on these machines

LOGGER = logging.getLogger(__name__)

__all__ = ["CorruptDatabase", "is_corruption"]


def default_path(*, create_dir: bool = False) -> Path:
    """history.db in the data folder (IHD_DATA_DIR overrides it)."""
    return paths.data_file(DB_NAME, create_dir=create_dir)


def prepare_directory(directory: Path, *, private: bool = True) -> None:
    """Create the folder 0700 if missing; an existing one is reported if open, never changed."""
    paths.private_dir(directory)


def create_private_file(path: Path) -> None:
    """A file of our own making (a backup, a partial): readable by its owner only (0600)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)


def check_header(path: Path) -> None:
    """An empty file is a new database; anything else must start with SQLite's magic."""
    sqlite_file.check_header(path, "history database", allow_empty=True)


def auto_skip(size: int) -> tuple[str, ...]:
    """Above AUTO_WHOLE_FILE_BYTES the "auto" check leaves out the raw readings.

    PRAGMA quick_check takes about 3.3 s per GB, and a 10-year file of raw 10-second rows
    (1.4 GB) is the part that can be rebuilt least and matters least, its history being kept in
    the rollups.
    """
    return ("readings",) if size > AUTO_WHOLE_FILE_BYTES else ()


def check_integrity(conn: sqlite3.Connection, level: str, size: int = 0) -> None:
    """quick or full checks the whole file; auto does so up to AUTO_WHOLE_FILE_BYTES."""
    skip = auto_skip(size) if level == "auto" else ()
    sqlite_file.check_integrity(conn, "quick" if level == "auto" else level, skip)


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

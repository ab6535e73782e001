"""The installer's own SQLite file (engineers, audit log, device names): private to its owner."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from device_backend import paths, sqlite_file

DB_NAME = "installer.db"


def default_directory() -> Path:
    return paths.data_dir(create=False) / "installer"


def _v1_tables(conn: sqlite3.Connection) -> None:
    """The first schema; IF NOT EXISTS so files made before versioning are adopted as they are."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS engineers (username TEXT PRIMARY KEY, display_name TEXT, "
        "salt BLOB, hash BLOB, n INTEGER, r INTEGER, p INTEGER, created TEXT, failures INTEGER, "
        "locked_until TEXT)"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, time TEXT, engineer TEXT, "
        "action TEXT, detail TEXT, outcome TEXT)"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS device_names (ieee TEXT PRIMARY KEY, name TEXT, location TEXT)"
    )


RECIPE = sqlite_file.Recipe(what="installer database", migrations=(_v1_tables,))


def open_database(directory: Path | None = None) -> sqlite_utils.Database:
    """The folder is made 0700 and the file 0600: it holds password hashes and the audit log."""
    folder = directory or default_directory()
    paths.private_dir(folder)
    conn, _ = sqlite_file.open_private(folder / DB_NAME, RECIPE)
    return sqlite_utils.Database(conn)

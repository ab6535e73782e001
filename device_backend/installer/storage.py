"""The installer's own SQLite file (engineers, audit log, device names): private to its owner."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import sqlite_utils

from device_backend.store.files import APP_NAME, create_private_file, prepare_directory

DB_NAME = "installer.db"


def default_directory() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / "installer"


def open_database(directory: Path | None = None) -> sqlite_utils.Database:
    """The folder is made 0700 and the file 0600: it holds password hashes and the audit log."""
    folder = directory or default_directory()
    prepare_directory(folder, private=True)
    path = folder / DB_NAME
    create_private_file(path)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    for side in ("-wal", "-shm"):
        companion = Path(f"{path}{side}")
        if companion.exists():
            os.chmod(companion, 0o600)
    _migrate(db)
    return db


def _migrate(db: sqlite_utils.Database) -> None:
    if "engineers" not in db.table_names():
        db.table("engineers").create(
            {
                "username": str,
                "display_name": str,
                "salt": bytes,
                "hash": bytes,
                "n": int,
                "r": int,
                "p": int,
                "created": str,
                "failures": int,
                "locked_until": str,
            },
            pk="username",
        )
    if "audit" not in db.table_names():
        db.table("audit").create(
            {"id": int, "time": str, "engineer": str, "action": str, "detail": str, "outcome": str},
            pk="id",
        )
    if "device_names" not in db.table_names():
        db.table("device_names").create({"ieee": str, "name": str, "location": str}, pk="ieee")

"""Where the applications keep their files: one private data directory, shared by both apps.

The zigpy network database holds the network key and link keys in plain JSON, so it lives in
a 0700 directory and is 0600 itself; the same goes for the history store.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

APP_NAME = "gb-smart-ihd"


def data_dir() -> Path:
    """The private data directory (IHD_DATA_DIR overrides the platform default), made 0700."""
    override = os.environ.get("IHD_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def zigpy_database(target: str) -> Path:
    """The zigpy device/network database for a radio, shared by the display and the installer."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", target).strip("-") or "radio"
    return data_dir() / f"zigbee-{slug}.db"


def create_private(path: Path) -> None:
    """Create an empty 0600 file if there is none, so a secret is never written world-readable.

    SQLite gives its -wal and -shm files the mode of the database file, so they start private too.
    """
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    make_private(path)


def make_private(path: Path) -> None:
    """0600 for a file holding secrets (and its SQLite companions), if it exists."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if candidate.exists():
            os.chmod(candidate, 0o600)

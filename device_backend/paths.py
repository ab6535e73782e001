"""Where the applications keep their files: one private data folder, shared by all three programs.

Every store and file goes through here (the history, survey, installer and trial databases, the
zigpy network database, the UTRN counters, the kiosk note, the display's settings), so
`IHD_DATA_DIR` moves all of them at once.

The zigpy network database holds the network key and link keys in plain JSON, so it lives in
a 0700 folder and is 0600 itself; the same goes for every household's or engineer's data. Only
what the programs create is given those modes: a folder or file that was already there (a
shared folder named in `IHD_DATA_DIR`, a database given with `--db`) is never chmodded, since
that could lock others out of it or strip its setgid bit. If it is open to others, a warning
says so and the owner decides.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path

APP_NAME = "gb-smart-ihd"
ENV_VAR = "IHD_DATA_DIR"
UTRN_COUNTERS = "utrn-counters.json"  # the supplier tool's counters (simulator/utrn_counter.py)

LOGGER = logging.getLogger(__name__)
_WARNED: set[Path] = set()  # each open path is reported once per run, not at every use


def data_dir(*, create: bool = True) -> Path:
    """The private data folder (IHD_DATA_DIR overrides the platform default).

    Created 0700 when missing (unless `create` is False: a read-only command makes nothing).
    """
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME))
    if create:
        private_dir(path)
    return path


def data_file(name: str, *, create_dir: bool = True) -> Path:
    """A file in the data folder; the folder is created (0700) unless `create_dir` is False."""
    return data_dir(create=create_dir) / name


def config_file(name: str) -> Path:
    """The display's settings: in the data folder when IHD_DATA_DIR is set, else the config one."""
    if os.environ.get(ENV_VAR):
        return data_file(name, create_dir=False)  # made (0700) when the settings are saved
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / name


def private_dir(path: Path) -> bool:
    """Make the folder 0700 if it does not exist; report (not change) an existing open one.

    Returns True when it was created here.
    """
    if path.is_dir():
        warn_if_open(path)
        return False
    missing = [path, *(p for p in path.parents if not p.exists())]
    for folder in reversed(missing):  # every folder made here is private, parents included
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made by someone else in the meantime: theirs, left as it is
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    return True


def warn_if_open(path: Path) -> bool:
    """Log a warning when group or others may read or write `path`; True if they may."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return False
    if mode & 0o077:
        if path in _WARNED:
            return True
        _WARNED.add(path)
        LOGGER.warning(
            "%s is open to other users (mode %o): it was not created by this program, so it "
            "is left as it is; make it private (chmod go-rwx) if it holds nobody else's data",
            path,
            mode,
        )
        return True
    return False


def zigpy_database(target: str) -> Path:
    """The zigpy device/network database for a radio, shared by the display and the installer."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", target).strip("-") or "radio"
    return data_dir() / f"zigbee-{slug}.db"


def create_private(path: Path) -> bool:
    """Create an empty 0600 file if there is none, so a secret is never written world-readable.

    SQLite gives its -wal and -shm files the mode of the database file, so they start private
    too. An existing file is left as it is (a warning if it is open). True when created here.
    """
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        warn_if_open(path)
        return False
    os.chmod(path, 0o600)  # the umask cannot loosen 0600, but a odd filesystem might
    return True


def make_private(path: Path) -> None:
    """0600 for a file this program created and its SQLite companions, if they exist."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if candidate.exists():
            os.chmod(candidate, 0o600)

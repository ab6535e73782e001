"""Where a command may write its output: never over a file the programs keep their data in.

An output path that resolves to the database a command reads (or its -wal/-shm), the display's
own databases, its settings or the supplier's counters is refused before anything is read or
written; an existing unrelated file is kept unless the person asks for it to be replaced.
"""

from __future__ import annotations

from pathlib import Path

from device_backend import paths


def owned_files(database: Path | None) -> list[Path]:
    """Files an ihd-cli command reads or owns: an output path must never be one of them."""
    data = paths.data_dir(create=False)
    owned = []
    if database is not None:
        owned += [Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    for name in ("history.db", "trials.db", "surveys.db", "installer/installer.db"):
        owned += [Path(f"{data / name}{suffix}") for suffix in ("", "-wal", "-shm")]
    owned += [Path(f"{p}{suffix}") for p in data.glob("zigbee-*.db") for suffix in ("", "-wal")]
    owned += [data / paths.UTRN_COUNTERS, paths.config_file("display.json")]
    return owned


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve() or one.samefile(other)
    except OSError:
        return False


def output_refusal(target: Path, database: Path | None, *, force: bool) -> str | None:
    """Why `target` must not be written, or None: checked before anything is read or opened."""
    for owned in owned_files(database):
        if _same_file(target, owned):
            return (
                f"--out {target} is {owned.name}, a file this program keeps its data in; "
                "choose another name (nothing was written)"
            )
    if target.is_dir():
        return f"--out {target} is a folder: give a file name for the CSV"
    if not target.parent.is_dir():
        return f"cannot write {target}: there is no folder {target.parent}"
    if target.exists() and not target.is_file():
        return f"--out {target} is not a regular file (a device or a pipe?): give a file name"
    if target.exists() and not force:
        return f"{target} already exists: choose another name, or add --force to replace it"
    return None

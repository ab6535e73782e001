"""What a network backup holds: zigpy's open coordinator backup, inside our envelope or plain.

zigpy's "open coordinator backup" JSON (metadata.format "zigpy/open-coordinator-backup") is what
zigpy-cli's `radio ... backup` writes and ZHA offers for download, and what either restores. We
keep exactly that, made and read by zigpy's own NetworkBackup.as_open_coordinator_json() and
NetworkBackup.from_dict(), inside our passphrase-sealed envelope (backup_crypto) with a little
of our own (who made it, the devices' models). A plain, unencrypted copy holds the network key
and link keys in clear text, so it is only written when asked for in so many words.

Our document, version 2:
    {"format": BACKUP_FORMAT, "version": 2, "created": ISO time, "engineer": name,
     "open_coordinator_backup": {...}, "devices": [{"ieee", "nwk", "model"}, ...]}
Version 1 held zigpy's internal NetworkBackup.as_dict() under "zigpy"; it is still read.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import zigpy.backups

from device_backend.installer import backup_crypto
from device_backend.installer.backup_crypto import BackupError
from device_backend.store.files import create_private_file

BACKUP_FORMAT = "gb-smart-ihd network backup"
VERSION = 2
OPEN_FORMAT = "zigpy/open-coordinator-backup"
PLAIN_WARNING = (
    "An unencrypted backup holds the network key and every link key in plain text: anyone "
    "with the file can join and read the HAN. Export it only to hand it to zigpy-cli or ZHA, "
    "keep it off shared drives, and delete it once used."
)


def make_document(
    snapshot: zigpy.backups.NetworkBackup,
    devices: list[dict[str, Any]],
    engineer: str,
    created: str,
) -> dict[str, Any]:
    return {
        "format": BACKUP_FORMAT,
        "version": VERSION,
        "created": created,
        "engineer": engineer,
        "open_coordinator_backup": snapshot.as_open_coordinator_json(),
        "devices": devices,
    }


def is_open_backup(obj: Any) -> bool:
    """A plain open coordinator backup, as zigpy-cli or ZHA write it."""
    metadata = obj.get("metadata") if isinstance(obj, dict) else None
    return isinstance(metadata, dict) and metadata.get("format") == OPEN_FORMAT


def read_file(path: Path, passphrase: str) -> dict[str, Any]:
    """Our sealed backup (opened with the passphrase) or a plain open coordinator backup.

    A plain one is wrapped as a document of ours without devices' models.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise BackupError(f"There is no file at {path}.") from None
    except OSError as exc:
        raise BackupError(f"Could not read {path}: {exc.strerror}.") from None
    if data.startswith(backup_crypto.MAGIC):
        return backup_crypto.open_sealed(data, passphrase)
    try:
        plain = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        plain = None
    if not is_open_backup(plain):
        raise BackupError(
            "This is neither a network backup made by this toolkit nor a zigpy open "
            "coordinator backup (from zigpy-cli or ZHA), or it is empty."
        )
    devices = plain.get("devices")
    return {
        "format": OPEN_FORMAT,
        "open_coordinator_backup": plain,
        "devices": devices if isinstance(devices, list) else [],
    }


def snapshot_of(document: dict[str, Any]) -> zigpy.backups.NetworkBackup:
    """The network in a document, through zigpy's own reader; complete or BackupError."""
    if document.get("format") == BACKUP_FORMAT and "open_coordinator_backup" in document:
        source = document["open_coordinator_backup"]
    elif document.get("format") == BACKUP_FORMAT and "zigpy" in document:  # version 1
        source = document["zigpy"]
    elif document.get("format") == OPEN_FORMAT:
        source = document["open_coordinator_backup"]
    else:
        raise BackupError("The file decrypted but is not a network backup.")
    try:
        snapshot = zigpy.backups.NetworkBackup.from_dict(source)
    except (KeyError, ValueError, TypeError, AttributeError, AssertionError):
        raise BackupError("The backup's network settings are incomplete or damaged.") from None
    if not snapshot.is_complete():
        raise BackupError(
            "The backup lacks the channel, PAN ID or network key: it cannot recreate the network."
        )
    return snapshot


def write_plain(path: Path, snapshot: zigpy.backups.NetworkBackup) -> Path:
    """The open coordinator backup as plain JSON: 0600, complete or not there at all."""
    path = Path(path)
    temporary = path.with_name(path.name + ".part")
    text = json.dumps(snapshot.as_open_coordinator_json(), indent=4)
    try:
        create_private_file(temporary)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise BackupError(
            f"Could not save the backup to {path}: {exc.strerror or exc}. Choose a "
            "folder that exists and that you may write to."
        ) from None
    return path

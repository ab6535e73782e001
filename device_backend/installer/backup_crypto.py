"""Network backups at rest: a passphrase, scrypt, then AES-256-GCM; the header is authenticated."""

from __future__ import annotations

import contextlib
import json
import os
import struct
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from device_backend.installer.types import InstallerError
from device_backend.store.files import create_private_file

MAGIC = b"GBHANBK1"
MIN_PASSPHRASE = 12
# n=2^15 costs about 0.1 s and 32 MiB here: cheap once, expensive for a guesser.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_MAXMEM = 128 * 1024 * 1024
_HEADER = struct.Struct(">8sIBB16s12s")  # magic, n, r, p, salt, nonce


class BackupError(InstallerError):
    """Why a backup could not be written or read, and what to try."""


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    import hashlib

    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32
    )


def _sane_cost(n: int, r: int, p: int) -> bool:
    """scrypt's own rules (n a power of two above 1; r, p at least 1) within our memory limit.

    The header is authenticated only after the key is made, so its cost is checked first: a
    crafted n=0, n=3 or a many-GiB cost must be a damaged backup, not a crash or a stall.
    """
    power_of_two = n >= 2 and n & (n - 1) == 0
    within = 1 <= r <= 32 and 1 <= p <= 16 and n <= 2**20 and 128 * r * n * 2 <= _MAXMEM
    return power_of_two and within


def check_passphrase(passphrase: str, confirm: str | None = None) -> None:
    if confirm is not None and passphrase != confirm:
        raise BackupError("The two passphrases differ: type the same one twice.")
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"Use a passphrase of at least {MIN_PASSPHRASE} characters; without it "
            "the backup cannot be opened, so note it in your job sheet's safe place."
        )


def seal(document: dict[str, Any], passphrase: str) -> bytes:
    check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    header = _HEADER.pack(MAGIC, SCRYPT_N, SCRYPT_R, SCRYPT_P, salt, nonce)
    key = _key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    body = json.dumps(document, sort_keys=True).encode("utf-8")
    return header + AESGCM(key).encrypt(nonce, body, header)


def open_sealed(data: bytes, passphrase: str) -> dict[str, Any]:
    if len(data) < _HEADER.size + 16 or not data.startswith(MAGIC):
        raise BackupError("This is not a network backup made by this toolkit (or it is empty).")
    _magic, n, r, p, salt, nonce = _HEADER.unpack(data[: _HEADER.size])
    if not _sane_cost(n, r, p):
        raise BackupError("The backup's header asks for an unreasonable key cost: it is damaged.")
    try:
        body = AESGCM(_key(passphrase, salt, n, r, p)).decrypt(
            nonce, data[_HEADER.size :], data[: _HEADER.size]
        )
    except (InvalidTag, ValueError):  # ValueError: scrypt refused the header's parameters
        raise BackupError("Wrong passphrase, or the file has been changed or damaged.") from None
    try:
        document = json.loads(body)
    except ValueError:
        raise BackupError("The backup decrypted but its contents are not readable.") from None
    if not isinstance(document, dict):
        raise BackupError("The backup decrypted but its contents are not a network backup.")
    return document


def write_sealed(path: Path, document: dict[str, Any], passphrase: str) -> Path:
    data = seal(document, passphrase)
    path = Path(path)
    temporary = path.with_name(path.name + ".part")
    try:
        create_private_file(temporary)
        temporary.write_bytes(data)
        os.replace(temporary, path)  # a cancelled or failed write never leaves half a backup
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise BackupError(
            f"Could not save the backup to {path}: {exc.strerror or exc}. Choose a "
            "folder that exists and that you may write to."
        ) from None
    return path


def read_sealed(path: Path, passphrase: str) -> dict[str, Any]:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise BackupError(f"There is no file at {path}.") from None
    except OSError as exc:
        raise BackupError(f"Could not read {path}: {exc.strerror}.") from None
    return open_sealed(data, passphrase)

"""Engineer accounts: scrypt-salted password hashes, no default password, lockout on guessing."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

MIN_PASSWORD = 10
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
# scrypt cost: about 50 ms a check here, enough to make guessing a stolen file slow.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class SignInError(Exception):
    """Why a sign-in or a new account was refused, in words for the engineer."""


@dataclass(frozen=True, slots=True)
class Engineer:
    username: str
    display_name: str


def _hash(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )


class Accounts:
    """The engineers who may use this laptop's toolkit."""

    def __init__(
        self, db: sqlite_utils.Database, now: Callable[[], datetime] | None = None
    ) -> None:
        self._db = db
        self._now = now or (lambda: datetime.now(UTC))

    def any(self) -> bool:
        return self._db.table("engineers").count > 0

    def create(self, username: str, display_name: str, password: str, confirm: str) -> Engineer:
        name = username.strip().lower()
        if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
            raise SignInError("Choose a user name of letters and digits (dots, dashes allowed).")
        if self._exists(name):
            raise SignInError(f"There is already an engineer called '{name}'.")
        if password != confirm:
            raise SignInError("The two passwords differ: type the same one twice.")
        if len(password) < MIN_PASSWORD:
            raise SignInError(f"Use a password of at least {MIN_PASSWORD} characters.")
        if password.lower() in (name, "password123", "installer1", "0123456789"):
            raise SignInError("That password is too easy to guess: choose another.")
        salt = os.urandom(16)
        self._db.table("engineers").insert(
            {
                "username": name,
                "display_name": display_name.strip() or name,
                "salt": salt,
                "hash": _hash(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P),
                "n": SCRYPT_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "created": self._now().isoformat(),
                "failures": 0,
                "locked_until": "",
            }
        )
        return Engineer(username=name, display_name=display_name.strip() or name)

    def _exists(self, name: str) -> bool:
        return bool(list(self._db.table("engineers").rows_where("username = ?", [name])))

    def sign_in(self, username: str, password: str) -> Engineer:
        name = username.strip().lower()
        rows = list(self._db.table("engineers").rows_where("username = ?", [name]))
        now = self._now()
        if not rows:
            # Same cost as a real check, so timing does not reveal which names exist.
            _hash(password, b"0" * 16, SCRYPT_N, SCRYPT_R, SCRYPT_P)
            raise SignInError("Unknown user name or wrong password.")
        row = rows[0]
        if row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
            until = datetime.fromisoformat(row["locked_until"])
            minutes = max(1, int((until - now).total_seconds() // 60) + 1)
            raise SignInError(
                f"Too many wrong passwords: this account is locked for {minutes} more "
                "minute(s). Ask your team leader if you have forgotten it."
            )
        given = _hash(password, row["salt"], row["n"], row["r"], row["p"])
        table = self._db.table("engineers")
        if not hmac.compare_digest(given, row["hash"]):
            failures = int(row["failures"]) + 1
            locked = ""
            if failures >= MAX_FAILURES:
                locked, failures = (now + LOCKOUT).isoformat(), 0
            table.update(name, {"failures": failures, "locked_until": locked})
            if locked:
                raise SignInError(
                    f"Wrong password {MAX_FAILURES} times: this account is locked for "
                    f"{int(LOCKOUT.total_seconds() // 60)} minutes."
                )
            left = MAX_FAILURES - failures
            raise SignInError(
                f"Unknown user name or wrong password ({left} tries left before lock-out)."
            )
        table.update(name, {"failures": 0, "locked_until": ""})
        return Engineer(username=name, display_name=row["display_name"])

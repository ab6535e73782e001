"""Engineer accounts: scrypt-salted password hashes, no default password, lockout on guessing."""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from device_backend.text import control_problem

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


# One message for every refused sign-in: an unknown name, a wrong password and a locked account
# look the same (and take the same time), so trying names tells a guesser nothing.
REFUSED = (
    f"Unknown user name or wrong password. After {MAX_FAILURES} wrong passwords an account is "
    f"locked for {int(LOCKOUT.total_seconds() // 60)} minutes; ask your team leader if you "
    "have forgotten yours."
)
_DUMMY_SALT = b"0" * 16

# NCSC password guidance: length over complexity rules, and a deny-list of the passwords
# guessed first. These are the commonest of ten characters or more in public breach lists,
# plus keyboard runs; the checks below also refuse one repeated character or a short repeated
# pattern, and the user's own name.
_COMMON = frozenset(
    {
        "password123",
        "password1234",
        "passwordpassword",
        "installer1",
        "installer123",
        "0123456789",
        "1234567890",
        "12345678910",
        "123456789a",
        "qwertyuiop",
        "qwertyuiop123",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "asdfghjkl1",
        "iloveyou123",
        "letmein123",
        "welcome123",
        "changeme123",
        "administrator",
        "abcdefghij",
        "abc1234567",
    }
)
MAX_PASSWORD = 1024  # long passphrases welcome; past this it is a paste gone wrong


def normal_name(username: str) -> str:
    """NFKC, case-folded and trimmed: full-width letters, "Alice" and "alice" are one engineer."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def password_problem(password: str, name: str) -> str | None:
    """Why a new password is refused, in words, or None if it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return f"Use a password of at least {MIN_PASSWORD} characters (a few words work well)."
    if len(password) > MAX_PASSWORD:
        return f"Use a password of at most {MAX_PASSWORD} characters."
    folded = unicodedata.normalize("NFKC", password).casefold()
    compact = "".join(folded.split())
    repeats = any(
        compact == compact[:n] * (len(compact) // n) + compact[: len(compact) % n]
        for n in range(1, 4)
    )
    if folded in _COMMON or compact in _COMMON or repeats or (name and name in folded):
        return "That password is too easy to guess: choose another (a few unrelated words)."
    return None


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
        name = normal_name(username)
        if (
            not name
            or len(name) > 64
            or not name.replace(".", "").replace("-", "").replace("_", "").isalnum()
        ):
            raise SignInError("Choose a user name of letters and digits (dots, dashes allowed).")
        if self._exists(name):
            raise SignInError(f"There is already an engineer called '{name}'.")
        if password != confirm:
            raise SignInError("The two passwords differ: type the same one twice.")
        problem = password_problem(password, name)
        if problem:
            raise SignInError(problem)
        shown = display_name.strip()
        if control_problem(shown, "the name"):
            raise SignInError("Type the name as plain text on one line.")
        salt = os.urandom(16)
        self._db.table("engineers").insert(
            {
                "username": name,
                "display_name": shown or name,
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
        return Engineer(username=name, display_name=shown or name)

    def _exists(self, name: str) -> bool:
        return bool(list(self._db.table("engineers").rows_where("username = ?", [name])))

    def sign_in(self, username: str, password: str) -> Engineer:
        """The engineer, or SignInError(REFUSED) for any failure, locked accounts included.

        The attempt is counted before the password is checked, in one write transaction
        (BEGIN IMMEDIATE) that also reads the count and the lock: parallel tries from many
        processes queue on it, so no more than MAX_FAILURES are ever checked before the lock.
        A correct password then clears the count.
        """
        name = normal_name(username)
        row = self._reserve_attempt(name)
        if row is None:
            # Same cost as a real check, so timing does not reveal which names exist.
            _hash(password, _DUMMY_SALT, SCRYPT_N, SCRYPT_R, SCRYPT_P)
            raise SignInError(REFUSED)
        given = _hash(password, row["salt"], row["n"], row["r"], row["p"])
        if not hmac.compare_digest(given, row["hash"]):
            raise SignInError(REFUSED)
        self._db.conn.execute(
            "UPDATE engineers SET failures = 0, locked_until = '' WHERE username = ?", (name,)
        )
        self._commit()
        return Engineer(username=name, display_name=row["display_name"])

    def _reserve_attempt(self, name: str) -> dict[str, Any] | None:
        """Count one attempt atomically; the row to check against, or None (unknown, locked)."""
        conn = self._db.conn
        now = self._now()
        conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = conn.execute("SELECT * FROM engineers WHERE username = ?", (name,))
            found = cursor.fetchone()
            if found is None:
                conn.execute("COMMIT")
                return None
            row = dict(zip([c[0] for c in cursor.description], found, strict=True))
            until = row["locked_until"]
            if until and datetime.fromisoformat(until) > now:
                conn.execute("COMMIT")
                return None
            failures = int(row["failures"] or 0) + 1
            locked = (now + LOCKOUT).isoformat() if failures >= MAX_FAILURES else ""
            conn.execute(
                "UPDATE engineers SET failures = ?, locked_until = ? WHERE username = ?",
                (0 if locked else failures, locked, name),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return row

    def _commit(self) -> None:
        if self._db.conn.in_transaction:  # a connection opened without autocommit
            self._db.conn.execute("COMMIT")

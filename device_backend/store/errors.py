"""Errors the store raises, each naming the cause and what to do about it."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for history-store failures."""


class StorageFullError(StoreError):
    """The disk (or the database's page limit) is full; nothing from the failed write was kept."""

    def __init__(self, message: str, *, lost: int) -> None:
        super().__init__(message)
        self.lost = lost  # events in the refused write; the caller still holds them


class NewerSchemaError(StoreError):
    """The database was written by a newer program; it is left exactly as found."""


class WipeIncompleteError(StoreError):
    """The WAL could not be emptied because another connection is still reading it."""


class DatabaseDamagedError(StoreError):
    """SQLite found a damaged page while in use; reopening sets the file aside and starts anew."""


class ConsentInputError(StoreError, ValueError):
    """A consent could not be recorded as given (no name, no purpose, an expiry already past)."""


class ConsentRequiredError(StoreError):
    """An export finer than daily totals was refused: no consent in force covers it."""

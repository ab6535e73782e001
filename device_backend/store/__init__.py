"""The history store: SQLite (WAL) through sqlite-utils, with rollups kept current on ingest."""

from device_backend.store.consent import Consent
from device_backend.store.core import Store
from device_backend.store.errors import (
    ConsentInputError,
    ConsentRequiredError,
    DatabaseDamagedError,
    NewerSchemaError,
    StorageFullError,
    StoreError,
    WipeIncompleteError,
)
from device_backend.store.history import Bucket, PeriodTotal, Series
from device_backend.store.records import AuditEntry

__all__ = [
    "AuditEntry",
    "Bucket",
    "Consent",
    "ConsentInputError",
    "ConsentRequiredError",
    "DatabaseDamagedError",
    "NewerSchemaError",
    "PeriodTotal",
    "Series",
    "StorageFullError",
    "Store",
    "StoreError",
    "WipeIncompleteError",
]

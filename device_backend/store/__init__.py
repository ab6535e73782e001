"""The history store: SQLite (WAL) through sqlite-utils, with rollups kept current on ingest."""

from device_backend.store.core import Store
from device_backend.store.errors import (
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
    "DatabaseDamagedError",
    "NewerSchemaError",
    "PeriodTotal",
    "Series",
    "StorageFullError",
    "Store",
    "StoreError",
    "WipeIncompleteError",
]

"""The store's tables and their versioned migrations (PRAGMA user_version counts the steps)."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from device_backend.store.errors import NewerSchemaError

# Raw samples. fuel: 1 electricity, 2 gas; kind: 0 demand, 1 energy (cumulative register).
# Small integer codes keep a 10-second row at about 20 bytes; kwh_per_unit is NULL when 1.
READINGS_DDL = """
CREATE TABLE readings (
    t INTEGER NOT NULL,             -- UTC seconds since 1970
    fuel INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    raw INTEGER NOT NULL,           -- import register, or demand
    multiplier INTEGER NOT NULL,
    divisor INTEGER NOT NULL,
    export_raw INTEGER,             -- export register where the meter has one
    kwh_per_unit TEXT,              -- gas: exact Decimal m3 -> kWh factor
    device INTEGER NOT NULL         -- devices.id
) STRICT
"""
READINGS_INDEX_DDL = "CREATE INDEX readings_by_time ON readings (fuel, kind, t)"

# Rollup sums are integers in the raw units of one scaling (scalings.id), never floats:
#   kWh = raw x multiplier / divisor x kwh_per_unit
#   cost_units / 1e6 x multiplier / divisor x kwh_per_unit = pence (price held in micro-pence)
_ROLLUP_COLUMNS = """
    scaling INTEGER NOT NULL,
    import_raw INTEGER NOT NULL DEFAULT 0,   -- consumption: positive register steps only
    export_raw INTEGER NOT NULL DEFAULT 0,
    cost_units INTEGER NOT NULL DEFAULT 0,   -- sum of step x price(micro-pence/kWh)
    unpriced_raw INTEGER NOT NULL DEFAULT 0, -- consumption with no price in force
    energy_n INTEGER NOT NULL DEFAULT 0,     -- register readings seen
    demand_sum INTEGER NOT NULL DEFAULT 0,
    demand_n INTEGER NOT NULL DEFAULT 0,
    demand_max INTEGER
"""

_V1 = [
    """
    CREATE TABLE devices (
        id INTEGER PRIMARY KEY,
        ieee TEXT NOT NULL UNIQUE,
        nwk INTEGER,
        role TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        manufacturer TEXT NOT NULL DEFAULT '',
        firmware_version INTEGER,
        power_source TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '',
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    ) STRICT
    """,
    """
    CREATE TABLE scalings (
        id INTEGER PRIMARY KEY,
        multiplier INTEGER NOT NULL,
        divisor INTEGER NOT NULL CHECK (divisor <> 0),
        kwh_per_unit TEXT NOT NULL,
        UNIQUE (multiplier, divisor, kwh_per_unit)
    ) STRICT
    """,
    READINGS_DDL,
    READINGS_INDEX_DDL,
    """
    CREATE TABLE register_baselines (
        device INTEGER NOT NULL,
        fuel INTEGER NOT NULL,
        register INTEGER NOT NULL,   -- 0 import, 1 export
        unit INTEGER NOT NULL,       -- scalings.id of its multiplier and divisor (factor 1)
        t INTEGER NOT NULL,
        raw INTEGER NOT NULL,
        PRIMARY KEY (device, fuel, register)
    ) STRICT, WITHOUT ROWID
    """,
    f"""
    CREATE TABLE half_hourly (
        fuel INTEGER NOT NULL,
        slot INTEGER NOT NULL,       -- UTC seconds of the half-hour's start
        {_ROLLUP_COLUMNS},
        PRIMARY KEY (fuel, slot, scaling)
    ) STRICT, WITHOUT ROWID
    """,
    f"""
    CREATE TABLE daily (
        fuel INTEGER NOT NULL,
        day TEXT NOT NULL,           -- Europe/London date YYYY-MM-DD (23, 24 or 25 hours)
        starts INTEGER NOT NULL,     -- UTC seconds of its local midnight
        ends INTEGER NOT NULL,       -- UTC seconds of the next local midnight
        {_ROLLUP_COLUMNS},
        PRIMARY KEY (fuel, day, scaling)
    ) STRICT, WITHOUT ROWID
    """,
    """
    CREATE TABLE daily_standing (
        fuel INTEGER NOT NULL,
        day TEXT NOT NULL,
        standing_micro_pence INTEGER NOT NULL,
        PRIMARY KEY (fuel, day)
    ) STRICT, WITHOUT ROWID
    """,
    """
    CREATE TABLE prices (
        id INTEGER PRIMARY KEY,
        fuel INTEGER NOT NULL,
        starts INTEGER NOT NULL,
        ends INTEGER,                -- NULL: until replaced
        pence_per_kwh TEXT NOT NULL, -- exact Decimal as published
        micro_pence_per_kwh INTEGER NOT NULL,
        standing_pence_per_day TEXT NOT NULL,
        standing_micro_pence INTEGER NOT NULL,
        tier INTEGER NOT NULL DEFAULT 0,
        tier_label TEXT NOT NULL DEFAULT '',
        tariff_label TEXT NOT NULL DEFAULT '',
        includes_vat INTEGER NOT NULL DEFAULT 1,
        received INTEGER NOT NULL
    ) STRICT
    """,
    "CREATE INDEX prices_by_start ON prices (fuel, starts)",
    """
    CREATE TABLE prepayment (
        id INTEGER PRIMARY KEY,
        t INTEGER NOT NULL,
        mode TEXT NOT NULL,
        credit_pence INTEGER NOT NULL,
        emergency_credit_pence INTEGER NOT NULL,
        debt_pence INTEGER NOT NULL,
        low_credit INTEGER NOT NULL,
        emergency_credit_available INTEGER NOT NULL,
        emergency_credit_selected INTEGER NOT NULL,
        credit_exhausted INTEGER NOT NULL,
        debt_recovery_pence_per_day INTEGER NOT NULL,
        low_credit_level_pence INTEGER NOT NULL
    ) STRICT
    """,
    "CREATE INDEX prepayment_by_time ON prepayment (t)",
    """
    CREATE TABLE topups (
        id INTEGER PRIMARY KEY,
        t INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        value_pence INTEGER,
        credit_pence INTEGER,
        supply TEXT,
        utrn_masked TEXT NOT NULL    -- never the whole code: at most its last four digits
    ) STRICT
    """,
    """
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,      -- the supplier's message id
        received INTEGER NOT NULL,
        text TEXT NOT NULL,
        confirmation_required INTEGER NOT NULL,
        importance TEXT NOT NULL,
        starts INTEGER,
        ends INTEGER,
        confirmed INTEGER NOT NULL DEFAULT 0,
        confirmed_at INTEGER
    ) STRICT
    """,
    """
    CREATE TABLE event_log (
        id INTEGER PRIMARY KEY,
        t INTEGER NOT NULL,
        who TEXT NOT NULL,
        what TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    ) STRICT
    """,
    "CREATE INDEX event_log_by_time ON event_log (t)",
]


def _v1_initial(db: sqlite_utils.Database) -> None:
    for statement in _V1:
        db.execute(statement)


# The household's consent to export data finer than daily totals (see store/consent.py).
# granularity: 'half_hourly' covers half-hourly rollups; 'readings' the raw ~10 s readings,
# and half-hourly data too (finer consent covers coarser). Times are UTC seconds.
CONSENTS_DDL = """
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    granted_by TEXT NOT NULL CHECK (trim(granted_by) <> ''),  -- the bill payer's name as typed
    purpose TEXT NOT NULL CHECK (trim(purpose) <> ''),
    granularity TEXT NOT NULL CHECK (granularity IN ('half_hourly', 'readings')),
    granted_at INTEGER NOT NULL,
    expires_at INTEGER CHECK (expires_at IS NULL OR expires_at > granted_at),
    withdrawn_at INTEGER
) STRICT
"""


def _v2_consents(db: sqlite_utils.Database) -> None:
    db.execute(CONSENTS_DDL)


# A dual-fuel prepayment home has two balances and two top-up logs (the gas meter's reaches the
# HAN through the gas proxy). Rows written before this step are the electricity meter's: until
# then a gas balance was never stored and every top-up went through the electricity log.
# fuel uses the store's codes (codes.FUEL_CODE: 1 electricity, 2 gas).
_V3 = [
    "ALTER TABLE prepayment ADD COLUMN fuel INTEGER NOT NULL DEFAULT 1 CHECK (fuel IN (1, 2))",
    "ALTER TABLE topups ADD COLUMN fuel INTEGER NOT NULL DEFAULT 1 CHECK (fuel IN (1, 2))",
    "DROP INDEX prepayment_by_time",
    "CREATE INDEX prepayment_by_fuel_time ON prepayment (fuel, t)",
]


def _v3_fuel(db: sqlite_utils.Database) -> None:
    for statement in _V3:
        db.execute(statement)


Migration = Callable[[sqlite_utils.Database], None]

# One function per step; MIGRATIONS[n] takes a database from version n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (_v1_initial, _v2_consents, _v3_fuel)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the missing steps in order, each with its version bump in one transaction."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"the history database is at schema version {current}, newer than this program's "
            f"{SCHEMA_VERSION}; it has been left untouched - update the program to use it"
        )
    for version in range(current, SCHEMA_VERSION):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](db)
            db.conn.execute(f"PRAGMA user_version = {version + 1}")
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION

"""The store's file: where it lives, schema steps, corruption, a full disk, backup and wipe."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from device_backend.clock import SimulatedClock
from device_backend.model import (
    Connection,
    ConnectionState,
    DeviceChange,
    DeviceInfo,
    Energy,
    Fuel,
    LoadControl,
    Price,
    SupplierMessage,
    TopUpOutcome,
    TopUpResult,
)
from device_backend.store import NewerSchemaError, StorageFullError, Store, schema
from device_backend.store.schema import SCHEMA_VERSION

T0 = datetime(2026, 4, 1, tzinfo=UTC)


def _energy(i: int, *, device: str = "esme") -> Energy:
    return Energy(
        time=T0 + timedelta(seconds=10 * i),
        fuel=Fuel.ELECTRICITY,
        import_raw=1000 + i,
        multiplier=1,
        divisor=1000,
        device=device,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        names = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    conn.close()
    return names


@pytest.mark.security
def test_default_location_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with Store.open() as store:
        store.add(_energy(0))
        assert store.path == tmp_path / "data" / "gb-smart-ihd" / "history.db"
        assert _mode(store.path.parent) == 0o700
        for suffix in ("", "-wal", "-shm"):
            assert _mode(Path(f"{store.path}{suffix}")) == 0o600, suffix
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migrations_from_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    path.touch()
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.recovered_from is None
        assert {
            "readings",
            "half_hourly",
            "daily",
            "prices",
            "topups",
            "messages",
            "devices",
            "event_log",
            "prepayment",
        } <= set(store.db.table_names())


def test_migration_steps_run_in_order_and_a_failed_step_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.db"
    Store.open(path).close()

    def add_surveys(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE surveys (id INTEGER PRIMARY KEY, notes TEXT)")

    def broken(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("step failed")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, add_surveys, broken))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    with pytest.raises(RuntimeError, match="step failed"):
        Store.open(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()
    assert "surveys" in _tables(path)
    assert "half_done" not in _tables(path)


def test_a_database_from_a_newer_program_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer"):
        Store.open(path)
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*corrupt*")) == []


@pytest.mark.reliability
def test_garbage_is_moved_aside_with_its_side_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "history.db"
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    Path(f"{path}-wal").write_bytes(b"wal junk")
    Path(f"{path}-shm").write_bytes(b"shm junk")
    with Store.open(path) as store:
        moved = store.recovered_from
        assert moved is not None
        assert moved.name.startswith("history.db.corrupt-")
        assert moved.read_bytes() == garbage
        assert Path(f"{moved}-wal").read_bytes() == b"wal junk"
        assert Path(f"{moved}-shm").read_bytes() == b"shm junk"
        store.add(_energy(1))
        assert store.db.execute("SELECT count(*) FROM readings").fetchone()[0] == 1
    assert "moved to" in caplog.text
    assert len(list(tmp_path.glob("history.db.corrupt-*"))) == 3  # all kept: nothing deleted


@pytest.mark.reliability
def test_a_malformed_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with Store.open(path) as store:
        store.add_many([_energy(i) for i in range(20_000)])
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = store.db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    middle = (len(data) // page_size // 2) * page_size
    data[middle : middle + page_size] = b"\xa5" * page_size  # one b-tree page scribbled over
    path.write_bytes(bytes(data))
    with Store.open(path) as store:
        assert store.recovered_from is not None
        assert store.db.execute("SELECT count(*) FROM readings").fetchone()[0] == 0


@pytest.mark.reliability
def test_storage_full_is_reported_then_retention_frees_space(tmp_path: Path) -> None:
    now = T0 + timedelta(days=30)
    with Store.open(tmp_path / "history.db", clock=SimulatedClock(now, speed=None)) as store:
        store.add_many([_energy(i) for i in range(200_000)])  # 23 days of 10-second readings
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 20}")
        before = store.db.execute(
            "SELECT count(*), sum(energy_n) FROM readings, "
            "(SELECT sum(energy_n) AS energy_n FROM daily)"
        ).fetchone()
        batch = [_energy(i) for i in range(200_000, 210_000)]
        with pytest.raises(StorageFullError, match="full") as caught:
            store.add_many(batch)
        assert caught.value.lost == len(batch)
        assert "apply_retention" in str(caught.value)
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert (
            store.db.execute(
                "SELECT count(*), sum(energy_n) FROM readings, "
                "(SELECT sum(energy_n) AS energy_n FROM daily)"
            ).fetchone()
            == before
        )
        removed = store.apply_retention(keep_raw_days=10)
        assert removed > 100_000
        assert store.add_many(batch) == len(batch)
        days = store.period_totals(Fuel.ELECTRICITY, T0, now)
        assert sum(d.kwh for d in days) == Decimal(209_999) / 1000  # rollups kept whole


@pytest.mark.reliability
def test_backup_while_ingest_continues_restores_to_a_readable_db(tmp_path: Path) -> None:
    path, copies = tmp_path / "history.db", []
    Store.open(path).close()
    done, started = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def ingest() -> None:
        try:
            with Store.open(path) as writer:
                i = 0
                while not done.is_set() and i < 2_000_000:
                    writer.add_many([_energy(n) for n in range(i, i + 2000)])
                    i += 2000
                    started.set()
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            failures.append(error)
            started.set()

    worker = threading.Thread(target=ingest)
    worker.start()
    try:
        started.wait(timeout=60)
        with Store.open(path) as store:
            for n in range(3):
                copies.append(store.backup_to(tmp_path / "backups" / f"copy{n}.db"))
    finally:
        done.set()
        worker.join()
    assert not failures
    for copy in copies:
        assert _mode(copy) == 0o600
        with Store.open(copy, check="full") as restored:
            assert restored.recovered_from is None
            count, energy_n = restored.db.execute(
                "SELECT (SELECT count(*) FROM readings), (SELECT sum(energy_n) FROM half_hourly)"
            ).fetchone()
            assert count > 0
            assert count == energy_n
            assert count % 2000 == 0


@pytest.mark.security
def test_wipe_leaves_no_trace_in_the_files(tmp_path: Path) -> None:
    marker = "ZQXJ-household-marker"
    path = tmp_path / "history.db"
    with Store.open(path) as store:
        store.add_many([_energy(i) for i in range(50_000)])
        store.add_many(
            [
                SupplierMessage(time=T0, id=1, text=f"Dear {marker}"),
                Price(
                    time=T0,
                    fuel=Fuel.ELECTRICITY,
                    pence_per_kwh=Decimal(20),
                    standing_charge_pence_per_day=Decimal(50),
                    tariff_label=marker,
                ),
                Connection(time=T0, state=ConnectionState.ONLINE, reason=marker),
                LoadControl(time=T0, event_id=3, load=marker, starts=T0, ends=T0, active=True),
                DeviceChange(
                    time=T0,
                    kind="joined",
                    device=DeviceInfo(
                        ieee="00:11", nwk=1, role="IHD", name=marker, location=marker
                    ),
                ),
                TopUpResult(
                    time=T0,
                    outcome=TopUpOutcome.ACCEPTED,
                    value_pence=100,
                    utrn_masked="12345678901234567890",
                ),
            ]
        )
        store.audit("installer", "note", marker)
        store.grant_consent(f"Bill Payer {marker}", f"Advice for {marker}", "readings")
        store.export_csv(path.with_name("hh.csv"), Fuel.ELECTRICITY, T0, T0 + timedelta(days=1))
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert any(marker.encode() in f.read_bytes() for f in files if f.exists())
        store.wipe_household()
        for table in (
            "readings",
            "half_hourly",
            "daily",
            "prices",
            "messages",
            "topups",
            "consents",
        ):
            assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert [e.what for e in store.audit_log()] == ["household data wiped"]
        assert [d.ieee for d in store.devices()] == ["00:11"]  # the property's meters stay
        assert store.consents() == []
        assert store.active_consent("half_hourly") is None
        for f in files:
            if f.exists():
                assert marker.encode() not in f.read_bytes(), f.name
                assert b"7890" not in f.read_bytes(), f.name
        store.add(_energy(1))  # and the store carries on

"""Half-hourly and raw-reading exports need the household's consent; daily totals do not."""

from __future__ import annotations

import csv
import io
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from device_backend.cli import EXIT_BAD_INPUT, EXIT_NO_CONSENT
from device_backend.cli import main as cli_main
from device_backend.clock import Clock
from device_backend.model import Energy, Fuel
from device_backend.store import (
    ConsentInputError,
    ConsentRequiredError,
    Store,
    schema,
)

pytestmark = pytest.mark.security

T0 = datetime(2026, 4, 1, tzinfo=UTC)
DAY_END = T0 + timedelta(days=1)
ELEC = Fuel.ELECTRICITY


class ManualClock(Clock):
    """A clock the test moves by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def _energy(i: int) -> Energy:
    return Energy(
        time=T0 + timedelta(minutes=10 * i),
        fuel=ELEC,
        import_raw=1000 + 7 * i,
        multiplier=1,
        divisor=1000,
        device="esme",
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(DAY_END + timedelta(hours=1))


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[Store]:
    opened = Store.open(tmp_path / "history.db", clock=clock)
    opened.add_many([_energy(i) for i in range(6 * 24)])  # a day, every 10 minutes
    yield opened
    opened.close()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _export(store: Store, path: Path, kind: str) -> int:
    return store.export_csv(path, ELEC, T0, DAY_END, kind=kind)


@pytest.mark.parametrize("kind", ["half_hourly", "readings"])
def test_export_finer_than_daily_is_refused_without_consent_and_writes_no_file(
    store: Store, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out" / "usage.csv"
    out.parent.mkdir()
    with pytest.raises(ConsentRequiredError) as refused:
        _export(store, out, kind)
    message = str(refused.value)
    assert "can only be exported with the household's consent" in message
    assert "ihd-cli consent grant" in message
    assert "Daily totals" in message
    assert list(out.parent.iterdir()) == []  # no file, no empty file, no partial file
    assert [e.what for e in store.audit_log()] == []


def test_a_refused_export_leaves_an_existing_file_as_it_was(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "usage.csv"
    out.write_text("the householder's own notes\n", encoding="utf-8")
    with pytest.raises(ConsentRequiredError):
        _export(store, out, "half_hourly")
    assert out.read_text(encoding="utf-8") == "the householder's own notes\n"


def test_half_hourly_export_with_consent_is_written_and_audited_naming_the_consent(
    store: Store, tmp_path: Path
) -> None:
    granted = store.grant_consent("Ann Smith", "Energy advice visit from Warm Homes")
    assert store.active_consent("half_hourly") == granted
    out = tmp_path / "usage.csv"
    assert _export(store, out, "half_hourly") == 48
    assert len(_rows(out)) == 48
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # personal data: private to its owner
    exported, recorded = store.audit_log()[:2]
    assert recorded.what == "consent granted"
    assert "Ann Smith" in recorded.detail
    assert exported.what == "half-hourly data exported"
    assert f"relied on consent {granted.id}:" in exported.detail
    assert "Ann Smith" in exported.detail
    assert "Energy advice visit" in exported.detail
    assert "48 rows" in exported.detail


def test_withdrawing_consent_stops_further_exports(store: Store, tmp_path: Path) -> None:
    granted = store.grant_consent("Ann Smith", "Tariff comparison", "readings")
    _export(store, tmp_path / "before.csv", "half_hourly")
    withdrawn = store.withdraw_consent()
    assert [c.id for c in withdrawn] == [granted.id]
    assert withdrawn[0].withdrawn_at is not None
    assert store.active_consent("half_hourly") is None
    for kind in ("half_hourly", "readings"):
        with pytest.raises(ConsentRequiredError, match="withdrawn"):
            _export(store, tmp_path / f"after-{kind}.csv", kind)
        assert not (tmp_path / f"after-{kind}.csv").exists()
    assert store.audit_log()[0].what == "consent withdrawn"
    assert store.withdraw_consent() == []  # nothing left in force: nothing changes
    assert [c.withdrawn_at is not None for c in store.consents()] == [True]


def test_one_consent_can_be_withdrawn_by_its_id(store: Store) -> None:
    first = store.grant_consent("Ann Smith", "Energy advice")
    second = store.grant_consent("Ann Smith", "Solar sizing", "readings")
    assert [c.id for c in store.withdraw_consent(second.id)] == [second.id]
    assert store.active_consent("readings") is None
    assert store.active_consent("half_hourly") == first


def test_an_expired_consent_no_longer_covers_exports(
    store: Store, clock: ManualClock, tmp_path: Path
) -> None:
    store.grant_consent("Ann Smith", "Energy advice", expires=clock.moment + timedelta(days=30))
    _export(store, tmp_path / "in-time.csv", "half_hourly")
    clock.moment += timedelta(days=30)
    with pytest.raises(ConsentRequiredError, match="expired"):
        _export(store, tmp_path / "late.csv", "half_hourly")
    assert not (tmp_path / "late.csv").exists()


def test_half_hourly_consent_does_not_cover_raw_readings(store: Store, tmp_path: Path) -> None:
    store.grant_consent("Ann Smith", "Energy advice", "half_hourly")
    with pytest.raises(ConsentRequiredError, match="covers half-hourly data only"):
        _export(store, tmp_path / "raw.csv", "readings")
    assert not (tmp_path / "raw.csv").exists()
    store.grant_consent("Ann Smith", "Appliance study", "readings")
    assert _export(store, tmp_path / "raw.csv", "readings") == 6 * 24


def test_daily_totals_export_without_consent(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "daily.csv"
    assert store.consents() == []
    assert _export(store, out, "daily") == 1
    assert _rows(out)[0]["local_date"] == "2026-04-01"
    entry = store.audit_log()[0]
    assert entry.what == "daily totals exported"
    assert "relied on" not in entry.detail


@pytest.mark.parametrize(
    ("name", "purpose", "granularity", "expires", "problem"),
    [
        ("", "Energy advice", "half_hourly", None, "name is empty"),
        ("   ", "Energy advice", "half_hourly", None, "name is empty"),
        ("Ann Smith", "", "half_hourly", None, "purpose is empty"),
        ("Ann Smith", " \t", "half_hourly", None, "purpose is empty"),
        ("Ann Smith", "Energy advice", "hourly", None, "unknown granularity"),
        ("Ann Smith", "Energy advice", "half_hourly", T0, "already past"),
        ("Ann Smith", "Energy advice", "half_hourly", datetime(2030, 1, 1), "timezone-aware"),  # noqa: DTZ001
    ],
)
def test_bad_consent_is_refused_with_a_reason_and_nothing_is_stored(
    store: Store, name: str, purpose: str, granularity: str, expires: datetime | None, problem: str
) -> None:
    with pytest.raises(ConsentInputError, match=problem) as refused:
        store.grant_consent(name, purpose, granularity, expires)
    assert str(refused.value).startswith("Consent not recorded:")
    assert isinstance(refused.value, ValueError)
    assert store.consents() == []
    assert store.audit_log() == []


def test_every_problem_is_named_at_once(store: Store) -> None:
    with pytest.raises(ConsentInputError) as refused:
        store.grant_consent("", "", "half_hourly", T0)
    message = str(refused.value)
    assert "name is empty" in message
    assert "purpose is empty" in message
    assert "already past" in message


def test_a_version_1_database_migrates_and_keeps_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: ManualClock
) -> None:
    path = tmp_path / "history.db"
    with monkeypatch.context() as old_program:
        old_program.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        old_program.setattr(schema, "SCHEMA_VERSION", 1)
        with Store.open(path, clock=clock) as old:
            old.add_many([_energy(i) for i in range(6 * 24)])
            old.audit("installer", "commissioned")
            assert old.schema_version == 1
            assert "consents" not in old.db.table_names()
    with Store.open(path, clock=clock) as store:
        assert store.schema_version == schema.SCHEMA_VERSION >= 2
        assert "consents" in store.db.table_names()
        assert store.consents() == []
        assert store.db.execute("SELECT count(*) FROM readings").fetchone()[0] == 6 * 24
        assert [e.what for e in store.audit_log()] == ["commissioned"]
        with pytest.raises(ConsentRequiredError):
            _export(store, tmp_path / "hh.csv", "half_hourly")
        store.grant_consent("Ann Smith", "Energy advice")
        assert _export(store, tmp_path / "hh.csv", "half_hourly") == 48


def test_the_consents_table_refuses_blank_rows_written_around_the_store(tmp_path: Path) -> None:
    """The schema holds the same line as grant_consent for anything writing to the file."""
    path = tmp_path / "history.db"
    Store.open(path).close()
    db = sqlite_utils.Database(path)
    with pytest.raises(Exception, match="CHECK constraint failed"):
        db.execute(
            "INSERT INTO consents (granted_by, purpose, granularity, granted_at) "
            "VALUES ('  ', 'x', 'half_hourly', 0)"
        )
    db.close()


# -- the command line ---------------------------------------------------------------------


def _cli(*argv: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    code = cli_main([str(a) for a in argv], out=out)
    return code, out.getvalue()


def test_cli_consent_and_export_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "history.db"
    with Store.open(db) as seeded:
        seeded.add_many([_energy(i) for i in range(6 * 24)])
    span = ("--fuel", "electricity", "--from", "2026-04-01", "--to", "2026-04-01")
    half_hourly = tmp_path / "hh.csv"

    code, _ = _cli("export", "--db", db, *span, "--kind", "half_hourly", "--out", half_hourly)
    assert code == EXIT_NO_CONSENT
    assert not half_hourly.exists()
    assert "can only be exported with the household's consent" in capsys.readouterr().err

    code, said = _cli("consent", "show", "--db", db)
    assert code == 0
    assert said.startswith("No consent in force")

    code, said = _cli(
        "consent",
        "grant",
        "--db",
        db,
        "--name",
        "Ann Smith",
        "--purpose",
        "Energy advice visit",
        "--expires",
        "2099-12-31",
    )
    assert code == 0
    assert "granted by Ann Smith" in said
    assert "expires 2100-01-01" in said

    code, said = _cli("consent", "show", "--db", db)
    assert code == 0
    assert said.startswith("In force: consent 1: half-hourly data")

    code, said = _cli("export", "--db", db, *span, "--kind", "half_hourly", "--out", half_hourly)
    # The UK local day: 2026-04-01 BST runs 23:00Z to 23:00Z, so 46 of the 48 stored slots.
    assert code == 0
    assert "Wrote 46 half-hourly row(s)" in said
    assert len(_rows(half_hourly)) == 46
    assert _rows(half_hourly)[0]["local_start"] == "2026-04-01T01:00:00+01:00"

    code, said = _cli("consent", "withdraw", "--db", db)
    assert code == 0
    assert said.startswith("Withdrawn consent 1")
    again = tmp_path / "again.csv"
    code, _ = _cli("export", "--db", db, *span, "--kind", "half_hourly", "--out", again)
    assert code == EXIT_NO_CONSENT
    assert not again.exists()
    assert "withdrawn" in capsys.readouterr().err

    daily = tmp_path / "daily.csv"
    code, said = _cli("export", "--db", db, *span, "--out", daily)  # daily is the default
    assert code == 0
    assert "Wrote 1 daily row(s)" in said

    code, said = _cli("consent", "show", "--db", db, "--all")
    assert said.startswith("No consent in force")
    assert "Ended: consent 1" in said
    with Store.open(db) as store:
        assert [e.what for e in store.audit_log()] == [
            "daily totals exported",
            "consent withdrawn",
            "half-hourly data exported",
            "consent granted",
        ]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("consent", "grant", "--name", " ", "--purpose", "x"), "name is empty"),
        (
            ("consent", "grant", "--name", "A", "--purpose", "x", "--expires", "2020-01-01"),
            "already past",
        ),
        (
            (
                "export",
                "--fuel",
                "gas",
                "--from",
                "2026-04-02",
                "--to",
                "2026-04-01",
                "--out",
                "x.csv",
            ),
            "is before --from",
        ),
        (
            (
                "export",
                "--fuel",
                "gas",
                "--from",
                "2026-04-01",
                "--to",
                "2026-04-01",
                "--out",
                "missing-folder/x.csv",
            ),
            "there is no folder",
        ),
    ],
)
def test_cli_bad_input_gets_a_message_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    says: str,
) -> None:
    db = tmp_path / "history.db"
    Store.open(db).close()
    monkeypatch.chdir(tmp_path)
    code, _ = _cli(*argv, "--db", db)
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT
    assert says in err
    assert "Traceback" not in err
    with Store.open(db) as store:
        assert store.consents() == []
        assert store.audit_log() == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("history.db")) == []


def test_cli_refuses_a_database_that_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.db"
    code, _ = _cli("consent", "show", "--db", missing)
    assert code == EXIT_BAD_INPUT
    assert "no history database" in capsys.readouterr().err
    assert not missing.exists()  # not created by asking


def test_cli_bad_date_is_an_argparse_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _cli(
            "export",
            "--db",
            tmp_path / "h.db",
            "--fuel",
            "gas",
            "--from",
            "2026-13-01",
            "--to",
            "2026-12-01",
            "--out",
            tmp_path / "x.csv",
        )
    assert exited.value.code == 2
    assert "is not a date: use YYYY-MM-DD" in capsys.readouterr().err


def test_refused_export_as_a_program_exits_3_without_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "history.db"
    Store.open(db).close()
    out = tmp_path / "hh.csv"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "device_backend.cli",
            "export",
            "--db",
            str(db),
            "--fuel",
            "electricity",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--kind",
            "readings",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == EXIT_NO_CONSENT, run.stderr
    assert "Raw readings can only be exported with the household's consent" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_a_long_export_says_how_many_rows_it_has_written(
    tmp_path: Path, clock: ManualClock
) -> None:
    with Store.open(tmp_path / "long.db", clock=clock) as store:
        store.add_many([_energy(i) for i in range(12_000)])  # readings every 10 minutes, 83 days
        store.grant_consent("Ann Smith", "Tariff comparison", "readings")
        heard: list[int] = []
        rows = store.export_csv(
            tmp_path / "all.csv",
            ELEC,
            T0,
            T0 + timedelta(days=90),
            kind="readings",
            on_rows=heard.append,
        )
    assert rows == 12_000
    assert heard == [5000, 10_000]  # every 5,000 rows, for a progress line

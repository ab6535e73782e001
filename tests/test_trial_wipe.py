"""Wiping a participant leaves no trace of them in the trial log's db, WAL or shared memory."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ihd_app.kiosk import KioskState, state_path
from ihd_app.main import main
from ihd_app.trial.manage import default_export_dir, wipe_participant
from ihd_app.trial.store import FILE_NAME, TrialError, TrialStore

WIPED = "PX-7731"  # distinctive bytes to look for
KEPT = "P02"
NOTE = "participant said: Mrs Example of 7731 Lane"  # free text a researcher might log


@pytest.fixture
def data(tmp_path: Path, monkeypatch: Any) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("IHD_DATA_DIR", str(folder))
    return folder


def _session(store: TrialStore, participant: str, events: int = 40) -> str:
    session = store.start_session(
        participant,
        scenario="prepay-low-credit",
        variant="pounds-first",
        variant_detail={"home": "pounds", "participant": participant},
        script_name=f"{participant}-script.toml",
        script_text=f"# written for {participant}\n",
    )
    now = datetime(2026, 1, 12, 18, 0, tzinfo=UTC)
    for i in range(events):
        store.log(
            session,
            participant,
            "tap",
            wall_time=now,
            elapsed_s=float(i),
            display_time=now,
            screen="balance",
            target=f"{participant}-button",
            value=f"{participant} pressed {i}",
            detail={"note": f"{NOTE} {participant}", "who": participant},
        )
    store.save_settings(session, {"text_size": "largest", "who": participant})
    return session


def _files(folder: Path) -> list[Path]:
    base = folder / FILE_NAME
    return [p for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists()]


def _traces(folder: Path, *needles: str) -> list[str]:
    found = []
    for path in _files(folder):
        content = path.read_bytes()
        for needle in needles:
            for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                if encoded in content:
                    found.append(f"{needle!r} in {path.name}")
    return found


def test_wiping_removes_every_trace_from_the_db_and_its_wal(data: Path) -> None:
    store = TrialStore.open_default()  # open throughout, as a running display's would be
    wiped_sessions = [_session(store, WIPED), _session(store, WIPED, events=5)]
    _session(store, KEPT)
    store.export(WIPED, default_export_dir())
    KioskState(state_path()).write("balance", wiped_sessions[0])
    # Before: the participant is in the files (the WAL holds the newest pages).
    assert _traces(data, WIPED)

    assert wipe_participant(store, WIPED) == 2

    needles = (WIPED, *wiped_sessions, f"{NOTE} {WIPED}", f"{WIPED}-script.toml")
    assert _traces(data, *needles) == []
    wal = Path(f"{data / FILE_NAME}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # TRUNCATE checkpoint
    assert not list(default_export_dir().glob(f"{WIPED}_*"))
    assert KioskState(state_path()).read() == {}
    # Everyone else's data is whole, and the log carries on.
    assert store.sessions_of(WIPED) == []
    kept = store.sessions_of(KEPT)
    assert len(kept) == 1
    assert len(list(store.events(kept[0].id))) == 40
    assert _traces(data, KEPT)
    _session(store, "P03", events=1)
    store.close()


def test_wiping_from_the_command_line(data: Path, capsys: Any) -> None:
    store = TrialStore.open_default()
    _session(store, WIPED)
    _session(store, KEPT)
    store.close()
    assert main(["--trial-wipe", WIPED]) == 0
    assert "wiped PX-7731 (1 session)" in capsys.readouterr().out
    assert _traces(data, WIPED) == []
    with pytest.raises(SystemExit) as refused:  # checked as the option is read
        main(["--trial-wipe", "not a code!"])
    assert refused.value.code == 2
    assert "is not a participant code" in capsys.readouterr().err


def test_a_wipe_that_cannot_scrub_the_wal_says_so(data: Path) -> None:
    store = TrialStore.open_default()
    _session(store, WIPED)
    _session(store, KEPT)
    # Another program reading the log holds a snapshot, so the WAL cannot be emptied.
    reader = sqlite3.connect(data / FILE_NAME)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM events").fetchone()
    try:
        with pytest.raises(TrialError, match="still has the trial log open"):
            store.wipe(WIPED)
    finally:
        reader.close()
    assert store.sessions_of(WIPED) == []  # the rows went; wiping again scrubs the rest
    store.wipe(WIPED)
    assert _traces(data, WIPED) == []
    store.close()

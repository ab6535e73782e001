"""The survey store keeps every keystroke, refuses bad values without losing good ones, and finds surveys."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from device_backend.survey import fields as f
from device_backend.survey import store as store_module
from device_backend.survey.model import Reason, Recommendation, Sample
from device_backend.survey.store import PhotoError, SurveyLocked, SurveyStore, SurveyStoreError

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201e2215bc10000000049454e44ae426082"
)
T0 = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SurveyStore:
    opened = SurveyStore.open(tmp_path / "surveys.db", now=lambda: T0)
    yield opened
    opened.close()


def test_every_change_is_committed_where_another_connection_sees_it(store: SurveyStore) -> None:
    survey = store.create("jo")
    store.set_field(survey.id, "job.address", "Flat 1, Quarry")
    with sqlite3.connect(store.path) as other:
        row = other.execute(
            "SELECT text FROM fields WHERE survey_id = ? AND name = ?", (survey.id, "job.address")
        ).fetchone()
    other.close()
    assert row == ("Flat 1, Quarry",)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_refused_value_keeps_the_last_good_one_and_the_typed_text(store: SurveyStore) -> None:
    survey = store.create("jo")
    store.set_field(survey.id, "supply.mpan", "1412345678901")
    entry = store.set_field(survey.id, "supply.mpan", "1412345678902")
    assert entry.error
    assert "check digit" in entry.error
    again = store.get(survey.id)
    assert again.value("supply.mpan") == "1412345678901"
    assert again.text("supply.mpan") == "1412345678902"  # what was typed is not lost
    assert any("MPAN" in p and "check digit" in p for p in again.problems())


def test_clearing_a_field_clears_its_value(store: SurveyStore) -> None:
    survey = store.create("jo")
    store.set_field(survey.id, "property.floors", "3")
    store.set_field(survey.id, "property.floors", "")
    assert store.get(survey.id).value("property.floors") is None


def test_walk_test_names_start_as_the_role_names(store: SurveyStore) -> None:
    survey = store.create("jo")
    assert [survey.position_name(r) for r in f.ROLES] == ["esme", "gsme", "hub", "ihd"]


def test_completion_is_refused_with_every_missing_field_named(store: SurveyStore) -> None:
    survey = store.create("jo")
    found = Recommendation(
        outcome="standard", title="Standard installation", reasons=(), rules_source="test"
    )
    with pytest.raises(SurveyStoreError) as caught:
        store.complete(survey.id, found)
    message = str(caught.value)
    assert "MPAN: required." in message
    assert "Postcode: required." in message
    assert store.get(survey.id).status == "draft"


def test_no_gas_means_no_mprn_or_gas_meter_needed(store: SurveyStore) -> None:
    survey = store.create("jo")
    store.set_field(survey.id, "supply.gas_present", "no")
    problems = store.get(survey.id).field_problems()
    assert "supply.mprn" not in problems
    assert "pos.gsme.location" not in problems
    assert "supply.mpan" in problems


def test_a_completed_survey_is_read_only_until_reopened(store: SurveyStore) -> None:
    survey = store.create("jo")
    for spec in f.FIELDS:
        if spec.required != "never":
            store.set_field(survey.id, spec.name, _valid(spec))
    found = Recommendation(
        outcome="standard",
        title="Standard installation",
        reasons=(Reason(rule="x", outcome="standard", text="ok", evidence=()),),
        rules_source="test",
    )
    done = store.complete(survey.id, found)
    assert done.status == "complete"
    assert done.recommendation == found
    with pytest.raises(SurveyLocked, match="reopen"):
        store.set_field(survey.id, "job.address", "elsewhere")
    assert store.reopen(survey.id).status == "draft"
    store.set_field(survey.id, "job.address", "elsewhere")


def _valid(spec: f.FieldSpec) -> str:
    examples = {
        "mpan": "1412345678901",
        "mprn": "1234567",
        "postcode": "BD24 9AA",
        "int": "1",
        "decimal": "5",
        "text": "somewhere",
        "notes": "fine",
    }
    if spec.kind == "choice":
        return spec.choices[0]
    if spec.kind == "position_name":
        return spec.name.split(".")[1]
    if spec.low is not None:
        return str(spec.low)
    return examples[spec.kind]


def test_duplicate_for_the_next_flat_keeps_the_building_not_the_dwelling(
    store: SurveyStore,
) -> None:
    first = store.create("jo")
    for name, text in {
        "job.address": "Quarry Court",
        "property.type": "flat or maisonette",
        "property.dwellings": "24",
        "supply.mpan": "1412345678901",
        "wan.signal_dbm": "-97",
        "property.dwelling_floor": "3",
    }.items():
        store.set_field(first.id, name, text)
    store.add_sample(
        first.id, Sample(time=T0, peer="hub", position="esme", answered=True, rssi_dbm=-40, lqi=255)
    )
    second = store.duplicate(first.id, "sam")
    assert second.id != first.id
    assert second.copied_from == first.id
    assert second.engineer == "sam"
    assert second.value("property.dwellings") == "24"
    assert second.value("wan.signal_dbm") == "-97"
    assert second.value("supply.mpan") is None
    assert second.value("property.dwelling_floor") is None
    assert second.samples == ()
    assert second.position_name("hub") == "hub"


def test_surveys_are_listed_newest_first_and_searched(tmp_path: Path) -> None:
    moments = iter(datetime(2026, 2, 2, 8, m, tzinfo=UTC) for m in range(60))
    store = SurveyStore.open(tmp_path / "s.db", now=lambda: next(moments))
    a = store.create("jo")
    store.set_field(a.id, "job.postcode", "BD24 9AA")
    b = store.create("sam")
    store.set_field(b.id, "supply.mpan", "2312345678900")
    assert [s.id for s in store.find()] == [b.id, a.id]
    assert [s.id for s in store.find("bd24")] == [a.id]
    assert [s.id for s in store.find("23123")] == [b.id]
    assert [s.id for s in store.find("sam")] == [b.id]
    assert store.find("nowhere") == []
    store.close()


def test_photographs_are_kept_in_the_survey_and_bad_files_refused(
    store: SurveyStore, tmp_path: Path
) -> None:
    survey = store.create("jo")
    picture = tmp_path / "meter.png"
    picture.write_bytes(PNG_1X1)
    photo = store.add_photo_file(survey.id, picture)
    picture.unlink()  # the survey holds its own copy
    kept = store.get(survey.id).photos
    assert [(p.filename, p.media_type, p.data) for p in kept] == [
        ("meter.png", "image/png", PNG_1X1)
    ]
    store.set_photo_caption(survey.id, photo.id, "gas meter box")
    assert store.get(survey.id).photos[0].caption == "gas meter box"
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    with pytest.raises(PhotoError, match=r"notes.txt is not a photograph"):
        store.add_photo_file(survey.id, notes)
    with pytest.raises(PhotoError, match="cannot read"):
        store.add_photo_file(survey.id, tmp_path / "missing.jpg")


def test_a_newer_survey_file_is_refused_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SurveyStore.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SurveyStoreError, match="newer version"):
        SurveyStore.open(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(SurveyStoreError, match="cannot open the survey file"):
        SurveyStore.open(path)
    assert path.read_text().startswith("this is not sqlite")


def test_a_survey_file_from_before_sample_methods_opens_with_its_surveys_kept(
    tmp_path: Path,
) -> None:
    """Schema 1 -> 2 adds how each sample was taken; the samples already there were probes."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        for statement in store_module._SCHEMA:  # schema 1, exactly as it shipped
            old.execute(statement)
        old.execute("PRAGMA user_version = 1")
        old.execute(
            "INSERT INTO surveys (id, engineer, created, updated) VALUES "
            "('s1', 'jo', '2026-01-05T09:00:00Z', '2026-01-05T09:30:00Z')"
        )
        old.execute(
            "INSERT INTO fields (survey_id, name, text, value, changed) VALUES "
            "('s1', 'job.postcode', 'BD24 9AA', 'BD24 9AA', '2026-01-05T09:01:00Z')"
        )
        old.execute(
            "INSERT INTO samples (survey_id, time, peer, position, answered, rssi_dbm, lqi) "
            "VALUES ('s1', '2026-01-05T09:10:00Z', 'hub', 'gsme', 1, -88, 40)"
        )
    old.close()
    opened = SurveyStore.open(path, now=lambda: T0)
    try:
        assert opened.conn.execute("PRAGMA user_version").fetchone()[0] == 2
        survey = opened.get("s1")
        assert survey.value("job.postcode") == "BD24 9AA"
        assert [(s.position, s.rssi_dbm, s.method) for s in survey.samples] == [
            ("gsme", -88, "probe")
        ]
        # The new fields need no column of their own: they are stored like every other field.
        opened.set_field("s1", "property.alt_han_reference", "AHC-0042")
        opened.set_field("s1", "pos.gsme.height_m", "0.4")
        again = opened.get("s1")
        assert again.value("property.alt_han_reference") == "AHC-0042"
        assert again.value("pos.gsme.height_m") == "0.4"
    finally:
        opened.close()

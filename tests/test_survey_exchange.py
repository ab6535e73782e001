"""Survey files: one survey's CSV and JSON round-trip; many surveys export as one row each."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from device_backend.survey import fields as f
from device_backend.survey.exchange import (
    SurveyFileError,
    patch_csv,
    read_survey_csv,
    read_survey_file,
    read_survey_json,
    survey_csv,
    survey_json,
    write_text,
)
from device_backend.survey.model import Reason, Recommendation, Sample, Survey
from device_backend.survey.rules import load_rules
from device_backend.survey.store import SurveyStore

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


def rich_survey(store: SurveyStore) -> Survey:
    """Fields (one refused, one formula-like), probes answered and lost, a photo, a result."""
    survey = store.create("jo.engineer")
    for name, text in {
        "job.address": '=HYPERLINK("x"), Flat 3, Quarry Court',
        "job.postcode": "bd24 9aa",
        "supply.mpan": "1412345678901",
        "property.type": "flat or maisonette",
        "wan.signal_dbm": "-97.5",
        "outcome.notes": "Meter box door rusted shut.\nUse the side gate.",
        "property.materials": "-foil-backed board",
    }.items():
        store.set_field(survey.id, name, text)
    store.set_field(survey.id, "supply.mpan", "1412345678902")  # refused: last good one stays
    for i, rssi in enumerate([-91, None, -95]):
        store.add_sample(
            survey.id,
            Sample(
                time=T0 + timedelta(seconds=10 * i),
                peer="hub",
                position="gsme",
                answered=rssi is not None,
                rssi_dbm=rssi,
                lqi=None if rssi is None else 40,
                source="simulated home difficult-property",
            ),
        )
    photo = store.add_photo(survey.id, "gas box.png", PNG_1X1)
    store.set_photo_caption(survey.id, photo.id, "Gas meter box, far gable")
    return store.get(survey.id)


def same(a: Survey, b: Survey) -> bool:
    """Equal apart from photograph row ids, which belong to the database they live in."""

    def strip(s: Survey) -> Survey:
        from dataclasses import replace

        return replace(s, photos=tuple(replace(p, id=0) for p in s.photos))

    return strip(a) == strip(b)


def test_a_surveys_csv_round_trips_exactly(store: SurveyStore, tmp_path: Path) -> None:
    original = rich_survey(store)
    text = survey_csv(original)
    assert read_survey_csv(text) == read_survey_csv(survey_csv(read_survey_csv(text)))
    assert same(read_survey_csv(text), original)
    # And through a file into another laptop's store.
    path = tmp_path / "survey.csv"
    write_text(path, text)
    other = SurveyStore.open(tmp_path / "other.db", now=lambda: T0)
    imported = other.insert(read_survey_file(path))
    assert same(imported, original)
    assert imported.text("supply.mpan") == "1412345678902"
    assert imported.value("supply.mpan") == "1412345678901"
    other.close()


def test_a_completed_surveys_recommendation_survives_the_round_trip(store: SurveyStore) -> None:
    survey = rich_survey(store)
    found = Recommendation(
        outcome="alt_han",
        title="Needs HAN range extension (Alt HAN)",
        reasons=(
            Reason(
                rule="han-too-weak",
                outcome="alt_han",
                text="weak",
                evidence=("median RSSI -95 dBm",),
            ),
        ),
        rules_source="survey_rules.toml",
        made=T0,
    )
    store.conn.execute("UPDATE surveys SET status = 'complete' WHERE id = ?", (survey.id,))
    from dataclasses import replace

    done = replace(store.get(survey.id), recommendation=found, completed=T0)
    assert same(read_survey_csv(survey_csv(done)), done)
    assert same(read_survey_json(survey_json(done)), done)


def test_spreadsheet_formulas_are_defused_in_the_csv(store: SurveyStore) -> None:
    rows = list(csv.DictReader(io.StringIO(survey_csv(rich_survey(store)))))
    address = next(r for r in rows if r["name"] == "job.address")
    assert address["text"].startswith("'=HYPERLINK")
    signal = next(r for r in rows if r["name"] == "wan.signal_dbm")
    assert signal["text"] == "-97.5"  # negative numbers stay numbers


def test_the_json_report_round_trips_and_explains_each_link(store: SurveyStore) -> None:
    original = rich_survey(store)
    text = survey_json(original, load_rules())
    data = json.loads(text)
    gas = next(link for link in data["links"] if link["link"] == "hub-gsme")
    assert (gas["samples"], gas["answered"], gas["median_rssi_dbm"]) == (3, 2, "-93")
    assert data["draft_recommendation"]["outcome"] == "incomplete"
    assert same(read_survey_json(text), original)


def test_the_json_and_csv_hold_no_keys_or_install_codes(store: SurveyStore) -> None:
    text = survey_json(rich_survey(store), load_rules()) + survey_csv(rich_survey(store))
    for word in ("install_code", "link_key", "network_key", "install code:"):
        assert word not in text.lower()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("record,name\nfield,x\n", "not a survey CSV"),
        (
            (
                "record,name,text,value,time,peer,position,answered,rssi_dbm,lqi,source,caption,"
                "media_type,sha256\nsample,,,,yesterday,hub,esme,1,,,,,,\n"
            ),
            "row 2",
        ),
    ],
)
def test_a_damaged_csv_is_refused_naming_the_row(text: str, words: str) -> None:
    with pytest.raises(SurveyFileError, match=words):
        read_survey_csv(text, name="job.csv")


def test_a_json_file_that_is_not_a_survey_is_refused() -> None:
    with pytest.raises(SurveyFileError, match="not a survey file"):
        read_survey_json('{"format": "something else"}', name="x.json")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from([s.name for s in f.FIELDS]),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
        max_size=8,
    )
)
def test_any_typed_text_round_trips_through_csv(store: SurveyStore, texts: dict[str, str]) -> None:
    survey = store.create("jo")
    for name, text in texts.items():
        store.set_field(survey.id, name, text)
    saved = store.get(survey.id)
    assert read_survey_csv(survey_csv(saved)) == saved


def test_many_surveys_export_as_one_row_each_to_count_by_type_and_cause(store: SurveyStore) -> None:
    rules = load_rules()
    good = [-50, -51, -52] * 4  # 12 probes: the walk test's count, above its minimum of 10
    cases = [
        (
            "flat or maisonette",
            {"hub-esme": good, "hub-gsme": [-95, -96, -94] * 4, "hub-ihd": good},
        ),
        (
            "flat or maisonette",
            {"hub-esme": good, "hub-gsme": [-93, -92, -97] * 4, "hub-ihd": good},
        ),
        (
            "flat or maisonette",
            {"hub-esme": good, "hub-gsme": good, "hub-ihd": [-84, -85, -83] * 4},
        ),
        ("terraced house", {"hub-esme": good, "hub-gsme": good, "hub-ihd": good}),
        ("terraced house", {"hub-esme": good, "hub-gsme": [None] * 12, "hub-ihd": good}),
        ("terraced house", {"hub-esme": good, "hub-gsme": good, "hub-ihd": [None] * 12}),
    ]
    surveys = []
    for kind, links in cases:
        survey = store.create("jo")
        for name, text in {
            "property.type": kind,
            "property.alt_han_present": "no",
            "wan.signal_dbm": "-90",
            "wan.signal_measure": "RSSI",
            "wan.aerial": "internal",
            "wan.install_and_leave": "no",
        }.items():
            store.set_field(survey.id, name, text)
        for key, values in links.items():
            peer, position = key.split("-")
            for rssi in values:
                store.add_sample(
                    survey.id,
                    Sample(
                        time=T0,
                        peer=peer,
                        position=position,
                        answered=rssi is not None,
                        rssi_dbm=rssi,
                        lqi=None if rssi is None else 100,
                    ),
                )
        surveys.append(store.get(survey.id))
    rows = list(csv.DictReader(io.StringIO(patch_csv(surveys, rules))))
    assert len(rows) == 6
    by_type_and_outcome = Counter((r["property_type"], r["outcome"]) for r in rows)
    assert by_type_and_outcome == {
        ("flat or maisonette", "alt_han"): 2,
        ("flat or maisonette", "dual_band"): 1,
        ("terraced house", "standard"): 1,
        ("terraced house", "abort_han"): 1,
        ("terraced house", "ihd_failed"): 1,
    }
    causes = Counter(r["causes"] for r in rows)
    assert causes["han-too-weak"] == 2
    assert causes["han-no-link"] == 1
    assert rows[0]["hub_gsme_median_rssi_dbm"] == "-95"
    assert rows[0]["hub_gsme_samples"] == "12"
    assert "job_address" not in rows[0]  # counting needs no addresses
    # The industry's own words for an abort, and the IHD install status beside each outcome.
    aborted, ihd_failed, standard = rows[4], rows[5], rows[3]
    assert aborted["abort_reason"] == "Unable to Establish HAN - Meter Not Installed"
    assert aborted["ihd_status"] == ""
    assert aborted["hub_gsme_outcome"] == "abort_han"
    assert (ihd_failed["ihd_status"], ihd_failed["ihd_status_text"]) == ("F", "Failed")
    assert ihd_failed["abort_reason"] == ""
    assert ihd_failed["hub_ihd_outcome"] == "ihd_failed"
    assert (standard["ihd_status"], standard["hub_esme_outcome"]) == ("I", "standard")
    assert rows[2]["dual_band_devices"] == "hub;ihd"


def test_listened_samples_round_trip_and_an_older_csv_without_methods_still_imports(
    store: SurveyStore,
) -> None:
    survey = store.create("jo")
    store.add_sample(
        survey.id,
        Sample(
            time=T0,
            peer="hub",
            position="gsme",
            answered=True,
            rssi_dbm=-80,
            lqi=90,
            method="listen",
        ),
    )
    saved = store.get(survey.id)
    text = survey_csv(saved)
    assert read_survey_csv(text) == saved
    links = {x["link"]: x for x in json.loads(survey_json(saved, load_rules()))["links"]}
    assert links["hub-gsme"]["method"] == "listen"
    assert links["hub-esme"]["method"] == "probe"
    # Written before samples said how they were taken: the last column is missing.
    rows = list(csv.reader(io.StringIO(text)))
    older = io.StringIO()
    csv.writer(older).writerows(row[:-1] for row in rows)
    imported = read_survey_csv(older.getvalue())
    assert [s.method for s in imported.samples] == ["probe"]

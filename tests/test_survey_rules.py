"""The recommendation rules: the shipped file, its outcomes with cited evidence, and bad rule files."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from device_backend.simulator.home import SimulatedHome
from device_backend.survey.model import Sample, Survey
from device_backend.survey.rules import DEFAULT_RULES, RulesError, describe, evaluate, load_rules
from device_backend.survey.store import SurveyStore
from device_backend.survey.walk import SimulatedLinkSource, default_points, run_walk_test

T0 = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
WAN_OK = {"wan.signal_dbm": "-90", "wan.install_and_leave": "no"}


@pytest.fixture
def store(tmp_path: Path) -> SurveyStore:
    opened = SurveyStore.open(tmp_path / "surveys.db", now=lambda: T0)
    yield opened
    opened.close()


def surveyed(store: SurveyStore, scenario: str, fields: dict[str, str] | None = None) -> Survey:
    """A survey whose walk test was taken on the scenario's simulated home."""
    survey = store.create("jo")
    for name, text in {**WAN_OK, **(fields or {})}.items():
        store.set_field(survey.id, name, text)
    rules = load_rules()
    home = SimulatedHome.from_scenario(scenario, speed=None)
    source = SimulatedLinkSource.from_home(home)
    points = default_points(store.get(survey.id), rules)
    asyncio.run(
        run_walk_test(source, points, rules.walk_test, lambda s: store.add_sample(survey.id, s))
    )
    return store.get(survey.id)


def with_samples(
    store: SurveyStore, links: dict[str, list[int | None]], fields: dict[str, str] | None = None
) -> Survey:
    """A survey with hand-made probes: an RSSI each, or None for a probe not answered."""
    survey = store.create("jo")
    for name, text in {**WAN_OK, **(fields or {})}.items():
        store.set_field(survey.id, name, text)
    moment = T0
    for key, values in links.items():
        peer, position = key.split("-")
        for rssi in values:
            store.add_sample(
                survey.id,
                Sample(
                    time=moment,
                    peer=peer,
                    position=position,
                    answered=rssi is not None,
                    rssi_dbm=rssi,
                    lqi=None if rssi is None else max(0, min(255, (rssi + 100) * 7)),
                ),
            )
            moment += timedelta(seconds=10)
    return store.get(survey.id)


GOOD = [-50, -52, -51]


def test_the_shipped_rules_load_and_read_as_sentences() -> None:
    rules = load_rules()
    assert rules.path == DEFAULT_RULES and "sha256" in rules.source
    ids = [r.id for r in rules.rules]
    assert {"wan-none", "han-no-link", "han-too-weak", "han-marginal"} <= set(ids)
    sentence = describe(next(r for r in rules.rules if r.id == "han-too-weak"), rules)
    assert "median RSSI is below -88 dBm" in sentence and "Alt HAN" in sentence


def test_the_difficult_property_needs_alt_han_because_of_the_gas_meter_link(
    store: SurveyStore,
) -> None:
    found = evaluate(load_rules(), surveyed(store, "difficult-property"))
    assert found.outcome == "alt_han"
    assert found.title == "Needs HAN range extension (Alt HAN)"
    first = found.reasons[0]
    assert first.rule == "han-too-weak" and "Gas meter" in first.text
    # The evidence quotes the measured median, the threshold and the probes behind it.
    assert any("Gas meter: median RSSI" in e and "is below -88 dBm" in e for e in first.evidence)
    assert any("probes answered" in e for e in first.evidence)


def test_a_house_with_good_links_gets_a_standard_installation(store: SurveyStore) -> None:
    found = evaluate(load_rules(), surveyed(store, "credit-dual-fuel"))
    assert found.outcome == "standard" and found.title == "Standard installation"
    assert len(found.reasons[0].evidence) == 3  # each required link's measurements cited


def test_a_marginal_link_suggests_a_dual_band_hub(store: SurveyStore) -> None:
    survey = with_samples(store, {"hub-esme": GOOD, "hub-gsme": [-84, -83, -85], "hub-ihd": GOOD})
    found = evaluate(load_rules(), survey)
    assert found.outcome == "dual_band" and "868 MHz" in found.title
    assert found.reasons[0].rule == "han-marginal"


def test_a_link_that_does_not_answer_aborts_with_the_industry_reason(store: SurveyStore) -> None:
    survey = with_samples(
        store, {"hub-esme": GOOD, "hub-gsme": [None, None, None, -99], "hub-ihd": GOOD}
    )
    found = evaluate(load_rules(), survey)
    assert found.outcome == "abort_han"
    assert found.title.startswith("Abort: Unable to Establish HAN")
    assert any("probes answered 25% is below 50%" in e for e in found.reasons[0].evidence)


def test_no_wan_signal_aborts_unless_install_and_leave(store: SurveyStore) -> None:
    links = {"hub-esme": GOOD, "hub-gsme": GOOD, "hub-ihd": GOOD}
    weak = {"wan.signal_dbm": "-121", "wan.install_and_leave": "no"}
    found = evaluate(load_rules(), with_samples(store, links, weak))
    assert found.outcome == "abort_wan" and "Unable to Establish WAN" in found.title
    assert found.reasons[0].evidence == (
        "WAN signal at the hub -121 dBm is below -115 dBm",
        "Install and Leave no is no",
    )
    leave = evaluate(
        load_rules(), with_samples(store, links, {**weak, "wan.install_and_leave": "yes"})
    )
    assert leave.outcome == "standard" and leave.reasons[0].rule == "wan-install-and-leave"


def test_without_measurements_there_is_no_recommendation_yet(store: SurveyStore) -> None:
    survey = with_samples(store, {"hub-esme": GOOD})
    found = evaluate(load_rules(), survey)
    assert found.outcome == "incomplete" and not found.complete
    assert [r.text for r in found.reasons] == [
        "Measure Communications hub \u2194 Gas meter.",
        "Measure Communications hub \u2194 In-home display spot.",
    ]


def test_no_gas_supply_means_the_gas_link_is_not_required(store: SurveyStore) -> None:
    survey = with_samples(store, {"hub-esme": GOOD, "hub-ihd": GOOD}, {"supply.gas_present": "no"})
    assert evaluate(load_rules(), survey).outcome == "standard"


def test_an_edited_rules_file_changes_the_recommendation(
    store: SurveyStore, tmp_path: Path
) -> None:
    survey = with_samples(store, {"hub-esme": GOOD, "hub-gsme": [-84, -83, -85], "hub-ihd": GOOD})
    stricter = tmp_path / "strict.toml"
    stricter.write_text(DEFAULT_RULES.read_text().replace("below = -88", "below = -82"))
    found = evaluate(load_rules(stricter), survey)
    assert found.outcome == "alt_han" and "strict.toml" in found.rules_source


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            "[[rules]]\nid = 'x'\noutcome = 'maybe'\nreason = 'r'\nwhen = [{fact = 'samples', below = 1}]",
            "rule 'x': outcome must be one of",
        ),
        (
            "[[rules]]\nid = 'x'\noutcome = 'alt_han'\nreason = 'r'\nwhen = [{fact = 'colour', below = 1}]",
            "unknown link fact 'colour'",
        ),
        (
            "[[rules]]\nid = 'x'\noutcome = 'alt_han'\nreason = 'r'\nwhen = [{fact = 'samples', near = 1}]",
            "unknown operator 'near'",
        ),
        (
            (
                "[[rules]]\nid = 'x'\noutcome = 'alt_han'\nscope = 'survey'\nreason = 'r'\n"
                "when = [{fact = 'property.type', below = 3}]"
            ),
            "compares a number field with a number",
        ),
        ("[[rules]]\noutcome = 'alt_han'", "rule 1: needs an id"),
        ("[walk_test]\nrequired_links = ['hub-fridge']", "required_links"),
        ("this is = = not toml", "not valid TOML"),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_file_and_the_rule(
    tmp_path: Path, body: str, words: str
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(body)
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    assert "mine.toml" in str(caught.value) and words in str(caught.value)


def test_a_missing_rules_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read the rules file"):
        load_rules(tmp_path / "absent.toml")

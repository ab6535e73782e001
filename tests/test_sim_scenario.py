"""Scenario files: every shipped one loads and runs; bad ones say which file, field and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from device_backend.model import Fuel, PaymentMode
from device_backend.simulator.links import Geometry, LinkModel, Obstacle, Position, lqi_from_rssi
from device_backend.simulator.prepayment import ResultType
from device_backend.simulator.scenario import (
    SCENARIO_DIR,
    LinkDegrade,
    LoadControl,
    ScenarioError,
    TopUp,
    list_scenarios,
    load_scenario,
    parse_duration,
)

SHIPPED = [
    "credit-dual-fuel",
    "prepay-low-credit",
    "solar-export",
    "economy7",
    "difficult-property",
    "gas-battery-stress",
    "future-tariff-change",
    "block-tariff",
    "tou-48-rate",
]


def test_every_required_scenario_is_shipped_and_listed() -> None:
    listed = dict(list_scenarios())
    for name in SHIPPED:
        assert name in listed
        assert listed[name]
        assert "\n" not in listed[name]
    assert set(listed) == {p.stem for p in SCENARIO_DIR.glob("*.toml")}


@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIO_DIR.glob("*.toml")))
def test_every_shipped_scenario_loads_and_runs_an_hour(name: str) -> None:
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.start.tzinfo is UTC
    home = scenario.household()
    meter = scenario.electricity_meter(home)
    gas = scenario.gas_meter(home) if scenario.gas is not None else None
    end = scenario.start + timedelta(hours=1)
    t = scenario.start
    while t < end:
        t += timedelta(seconds=10)
        meter.advance(t)
        if gas is not None:
            gas.advance(t)
    assert meter.import_j >= 0
    links = scenario.link_model()
    for position in scenario.geometry.positions:
        if position.name != scenario.electricity.position:
            sample = links.sample(scenario.electricity.position, position.name, scenario.start)
            assert -120 < sample.rssi < 0
            assert 0 <= sample.lqi <= 255


def test_default_scenario_is_credit_mode_dual_fuel_time_of_use() -> None:
    scenario = load_scenario("credit-dual-fuel")
    assert scenario.electricity.payment.mode is PaymentMode.CREDIT
    assert scenario.gas is not None
    assert scenario.electricity.tariff.scheme == "tou"
    assert len(scenario.electricity.tariff.tiers) == 3


def test_prepay_scenario_top_up_is_a_real_code_for_its_meter() -> None:
    scenario = load_scenario("prepay-low-credit")
    top_ups = scenario.events(TopUp)
    assert len(top_ups) == 1
    assert top_ups[0].value_pence == 2000
    acct = scenario.account(Fuel.ELECTRICITY)
    assert acct.mode is PaymentMode.PREPAYMENT
    response = acct.consumer_top_up(top_ups[0].utrn, top_ups[0].at, top_ups[0].source)
    assert response.accepted
    assert acct.consumer_top_up(top_ups[0].utrn, top_ups[0].at).result is ResultType.DUPLICATE
    # The gas meter has its own key check: the electricity code is not valid there.
    assert (
        scenario.account(Fuel.GAS).consumer_top_up(top_ups[0].utrn, top_ups[0].at).result
        is ResultType.INVALID
    )


def test_prepay_scenario_runs_low_and_offers_emergency_credit_before_the_top_up() -> None:
    scenario = load_scenario("prepay-low-credit")
    acct = scenario.account(Fuel.ELECTRICITY)
    meter = scenario.electricity_meter(account=acct)
    top_up = scenario.events(TopUp)[0]
    t = scenario.start
    while t < top_up.at:
        t += timedelta(minutes=1)
        meter.advance(t)
    seen = {name for _, name in acct.alerts}
    assert {"low_credit", "ec_available"} <= seen


def test_load_control_and_link_events_are_applied_by_the_builders() -> None:
    solar = load_scenario("solar-export")
    event = solar.events(LoadControl)[0]
    assert event.loads == ("solar",)
    assert event.device_class == 1 << 11
    home = solar.household()
    assert home.electric_energy(event.start, event.end).export_j == 0
    difficult = load_scenario("difficult-property")
    degrade = difficult.events(LinkDegrade)[0]
    links = difficult.link_model()
    during = links.sample("hub", degrade.device, degrade.at + timedelta(minutes=1))
    after = links.sample(
        "hub", degrade.device, degrade.at + degrade.duration + timedelta(minutes=1)
    )
    assert links.mean_rssi("hub", degrade.device) - 8 - 10 < during.rssi < after.rssi + 10


def test_difficult_property_links_are_weaker_than_the_default_home() -> None:
    easy = load_scenario("credit-dual-fuel").link_model()
    hard = load_scenario("difficult-property").link_model()
    assert hard.mean_rssi("hub", "gsme") < easy.mean_rssi("hub", "gsme") - 20
    assert hard.sample("hub", "gsme", datetime(2026, 2, 2, 9, tzinfo=UTC)).loss > 0.01


def test_link_model_is_deterministic_and_respects_walls() -> None:
    geometry = Geometry(
        positions=(
            Position(name="a", x=0, y=0),
            Position(name="b", x=10, y=0),
            Position(name="c", x=0, y=10),
        ),
        obstacles=(Obstacle(kind="wall", attenuation_db=15, segment=((5, -5), (5, 5))),),
    )
    one, two = LinkModel(geometry, 1), LinkModel(geometry, 1)
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert one.sample("a", "b", t) == two.sample("a", "b", t)
    assert one.obstacle_db("a", "b") == 15
    assert one.obstacle_db("a", "c") == 0
    assert [one.delivered("a", "b", t, i) for i in range(50)] == [
        two.delivered("a", "b", t, i) for i in range(50)
    ]
    assert LinkModel(geometry, 2).mean_rssi("a", "b") != one.mean_rssi("a", "b")
    assert lqi_from_rssi(-60) == 255
    assert lqi_from_rssi(-105) == 0


@pytest.mark.parametrize(
    ("text", "expected"), [("10s", 10), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("1h30m", 5400)]
)
def test_durations(text: str, expected: int) -> None:
    assert parse_duration(text).total_seconds() == expected


# --- bad files -----------------------------------------------------------------------------------

BASE = (SCENARIO_DIR / "credit-dual-fuel.toml").read_text(encoding="utf-8")
EXTRA_TIMELINE = """
[[timeline]]
at = "+1h"
type = "dongle_pulled"
duration = "5m"

[[timeline]]
at = "{at}"
type = "meter_silent"
fuel = "gas"
duration = "30m"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "field", "reason"),
    [
        (
            lambda s: s + EXTRA_TIMELINE.format(at="soon"),
            "timeline[3].at",
            "expected an offset like '+30m' or '2h'",
        ),
        (
            lambda s: s + EXTRA_TIMELINE.format(at="2025-01-01T00:00:00Z"),
            "timeline[3].at",
            "is before the scenario start",
        ),
        (
            lambda s: s.replace('duration = "7d"', 'duration = "a week"'),
            "scenario.duration",
            "'a week' is not a duration like 90s, 30m, 1.5h, 2d or 1h30m",
        ),
        (lambda s: s.replace("seed = 20260112\n", ""), "scenario.seed", "is required but missing"),
        (
            lambda s: s.replace("price = 6.30", 'price = "cheap"'),
            "tariffs.gas.price",
            "expected a number, got 'cheap'",
        ),
        (
            lambda s: s.replace('variant = "tou"', 'variant = "economy7"'),
            "tariffs.electricity.kind",
            "needs a 'economy7' tariff, got 'tou'",
        ),
        (
            lambda s: s.replace("occupants = 3", "ocupants = 3"),
            "home.ocupants",
            "is not a known setting",
        ),
        (
            lambda s: s.replace('position = "gsme"', 'position = "garage"'),
            "meters.gas.position",
            "'garage' is not a position",
        ),
        (
            lambda s: s.replace('bands = ["16:00-19:00"]', 'bands = ["4pm-7pm"]'),
            "tariffs.electricity.tiers[2].bands",
            "expected a clock range like '16:00-19:00'",
        ),
        (
            lambda s: s.replace('key = "5f1c2e8a9b3d4f60718293a4b5c6d7e8"', 'key = "xyz"'),
            "utrn.key",
            "hexadecimal",
        ),
        (
            lambda s: s.replace('meter_id = "00-1A-2B-3C-00-00-E1-01"', 'meter_id = "E1"'),
            "meters.electricity.meter_id",
            "expected an EUI-64",
        ),
        (
            lambda s: s.replace("medium_high_w = 3000", "medium_high_w = 500"),
            "ambient.medium_high_w",
            "must be above low_medium_w",
        ),
        (
            lambda s: s + '\n[[timeline]]\nat = "+1h"\ntype = "top_up"\npounds = 10.005\n',
            "timeline[2].pounds",
            "must be whole pence",
        ),
        (
            lambda s: (
                s + '\n[[timeline]]\nat = "+1h"\ntype = "link_degrade"\ndevice = "loft"\nlqi = 10\n'
                'duration = "1h"\n'
            ),
            "timeline[2].device",
            "'loft' is not a position",
        ),
        (
            lambda s: s + '\n[[timeline]]\nat = "+1h"\ntype = "teleport"\n',
            "timeline[2].type",
            "expected one of",
        ),
        (
            lambda s: s.replace('mode = "credit"', 'mode = "credit"\nstart_credit_pence = -5'),
            "payment.start_credit_pence",
            "not negative",
        ),
    ],
)
def test_bad_scenario_names_file_field_and_reason(
    tmp_path: Path, edit, field: str, reason: str
) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, edit(BASE))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert str(path) in message
    assert f": {field}: " in message, message
    assert reason in message, message
    assert caught.value.field == field


def test_broken_toml_and_missing_files_name_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[scenario\nname = 1")
    with pytest.raises(ScenarioError, match="not valid TOML") as caught:
        load_scenario(path)
    assert str(path) in str(caught.value)
    with pytest.raises(ScenarioError, match=r"no such scenario file.*credit-dual-fuel"):
        load_scenario("no-such-scenario")


def test_listing_reports_unreadable_files_instead_of_failing(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text('[scenario]\ndescription = "Fine"\n', encoding="utf-8")
    (tmp_path / "bad.toml").write_text("[scenario", encoding="utf-8")
    listed = dict(list_scenarios(tmp_path))
    assert listed["good"] == "Fine"
    assert listed["bad"].startswith("(cannot be read")


def test_same_scenario_same_simulation() -> None:
    first = load_scenario("credit-dual-fuel")
    second = load_scenario("credit-dual-fuel")
    assert first == second
    end = first.start + timedelta(hours=6)
    series = [
        s.household().series(first.start, end, 600).import_j.tolist() for s in (first, second)
    ]
    assert series[0] == series[1]

"""The simulated home through the whole zigpy stack: every figure read here arrived as ZCL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from io import StringIO
from pathlib import Path

import pytest

from device_backend import model
from device_backend.cli import event_record, json_line
from device_backend.cli import main as cli_main
from device_backend.facade import Backend
from device_backend.utrn import UtrnError, validate_utrn
from tests.support.scenarios import ARMING, PREPAY_TOU
from tests.support.sim import Recorder, advance, run, with_backend

START_OF_TEST = datetime(2026, 1, 12, 6, 0, tzinfo=UTC)

PRICES = {1: Decimal("17.45"), 2: Decimal("24.50"), 3: Decimal("36.80")}


def tier_at_hour(hour: float) -> int:
    return 1 if hour < 7 else 3 if 16 <= hour < 19 else 2


@pytest.fixture
def prepay_tou(tmp_path: Path) -> Path:
    path = tmp_path / "test-prepay-tou.toml"
    path.write_text(PREPAY_TOU.format(seed=31), encoding="utf-8")
    return path


def test_a_day_of_credit_matches_half_hourly_energy_at_tier_prices_to_the_penny(
    prepay_tou: Path,
) -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        start = backend.clock.now()
        end = await advance(backend, timedelta(days=1))
        await backend.refresh()
        profile = await backend.get_profile(model.Fuel.ELECTRICITY, end, 48)  # GetProfile over ZCL
        assert len(profile) == 48
        assert profile[0][0] == start
        energy_cost = Fraction(0)
        for begins, wh in profile:
            hour = (begins - start).total_seconds() / 3600
            energy_cost += Fraction(wh, 1000) * Fraction(PRICES[tier_at_hour(hour)])
        charges = energy_cost + Fraction(Decimal("53.80"))
        expected = 5000 - (charges.numerator // charges.denominator) - 35
        prepayment = backend.latest_of(model.Prepayment)
        assert prepayment.mode is model.PaymentMode.PREPAYMENT
        assert prepayment.credit_pence == expected
        assert prepayment.debt_pence == 2000 - 35
        energy = events.last(model.Energy, model.Fuel.ELECTRICITY)
        assert energy.import_raw == sum(wh for _, wh in profile)
        assert 300 < 5000 - expected < 900  # a plausible winter day, so the test means something

    run(with_backend(prepay_tou, body))


def test_gas_kwh_follows_the_published_calorific_value_and_conversion_factor() -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        await advance(backend, timedelta(hours=6))
        gas = events.last(model.Energy, model.Fuel.GAS)
        m3 = Decimal(gas.import_raw) / 1000
        assert gas.import_raw > 0
        expected = m3 * Decimal("1.02264") * Decimal("39.5") / Decimal("3.6")
        assert abs(gas.import_kwh - expected) < Decimal("0.000001")

    run(with_backend("credit-dual-fuel", body))


def _utrn(scenario: str, pence: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("IHD_DATA_DIR", str(tmp_path))
    out = StringIO()
    assert cli_main(["utrn", "--scenario", scenario, "--pence", str(pence)], out=out) == 0
    return out.getvalue().strip()


def test_a_supplier_utrn_is_accepted_once_then_refused_as_a_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _utrn("prepay-low-credit", 1500, tmp_path, monkeypatch)
    assert len(code.replace(" ", "")) == 20

    async def body(backend: Backend, events: Recorder) -> None:
        before = backend.latest_of(model.Prepayment).credit_pence
        first = await backend.top_up(code)
        assert first.outcome is model.TopUpOutcome.ACCEPTED
        assert first.value_pence == 1500
        assert (
            first.credit_pence == before + 1500 or first.credit_pence > before
        )  # debt/EC repaid first
        second = await backend.top_up(code)
        assert second.outcome is model.TopUpOutcome.DUPLICATE
        assert "7394" not in second.utrn_masked  # only the last four digits are ever kept

    run(with_backend("prepay-low-credit", body))


def test_a_code_with_a_good_check_digit_but_the_wrong_mac_is_invalid() -> None:
    from device_backend.utrn import issue_utrn

    forged = issue_utrn(b"not the supplier's key", 300, 1000, "00-1A-2B-3C-00-00-E1-02")
    validate_utrn(forged)  # passes every local check

    async def body(backend: Backend, events: Recorder) -> None:
        result = await backend.top_up(forged)
        assert result.outcome is model.TopUpOutcome.INVALID

    run(with_backend("prepay-low-credit", body))


def test_a_wrong_check_digit_is_refused_before_anything_is_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _utrn("prepay-low-credit", 500, tmp_path, monkeypatch).replace(" ", "")
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)

    async def body(backend: Backend, events: Recorder) -> None:
        sent: list[int] = []
        backend.app.taps.append(
            lambda d, s, dst, p, cluster, ep, data: sent.append(cluster) if d == "tx" else None
        )
        with pytest.raises(UtrnError):
            await backend.top_up(wrong)
        assert 0x0705 not in sent
        assert events.last(model.TopUpResult).outcome is model.TopUpOutcome.NOT_SENT

    run(with_backend("prepay-low-credit", body))


def test_supply_is_disabled_when_credit_runs_out_armed_by_a_top_up_and_on_by_request(
    tmp_path: Path,
) -> None:
    path = tmp_path / "test-arming.toml"
    path.write_text(ARMING.format(seed=5), encoding="utf-8")
    from device_backend.simulator.scenario import load_scenario

    scenario = load_scenario(path)
    code = scenario.issue_top_up(model.Fuel.ELECTRICITY, 2000, 500)

    async def body(backend: Backend, events: Recorder) -> None:
        await advance(backend, timedelta(hours=14))
        assert (
            backend.latest_of(model.Supply, model.Fuel.ELECTRICITY).state is model.SupplyState.OFF
        )
        # Asking for supply with no credit does nothing.
        assert await backend.request_supply_enable() is model.SupplyState.OFF
        result = await backend.top_up(code)
        assert result.outcome is model.TopUpOutcome.ACCEPTED
        assert (
            result.supply is model.SupplyState.ARMED
        )  # credit is back, but the household must ask
        await advance(backend, timedelta(minutes=5))
        assert (
            backend.latest_of(model.Supply, model.Fuel.ELECTRICITY).state is model.SupplyState.ARMED
        )
        assert await backend.request_supply_enable() is model.SupplyState.ON
        assert backend.latest_of(model.Supply, model.Fuel.ELECTRICITY).state is model.SupplyState.ON

    run(with_backend(path, body))


def _jsonl(*args: str) -> list[dict[str, object]]:
    out = StringIO()
    assert cli_main(["simulate", "--jsonl", "--speed", "max", *args], out=out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_same_seed_gives_the_same_output_and_another_seed_does_not() -> None:
    first = _jsonl("--scenario", "credit-dual-fuel", "--for", "2h", "--seed", "7")
    again = _jsonl("--scenario", "credit-dual-fuel", "--for", "2h", "--seed", "7")
    other = _jsonl("--scenario", "credit-dual-fuel", "--for", "2h", "--seed", "8")
    assert first == again
    assert first != other
    types = {record["type"] for record in first}
    assert {"demand", "energy", "price", "connection", "ambient"} <= types
    demand = [r for r in first if r["type"] == "demand" and r["fuel"] == "electricity"]
    assert len(demand) >= 2 * 360  # one report every 10 s
    for record in first:
        assert str(record["time"]).endswith("Z")


def test_jsonl_money_and_energy_are_the_exact_decimals_of_the_events() -> None:
    # Four places of pence and more digits than a float holds: both must arrive unchanged.
    price = model.Price(
        time=START_OF_TEST,
        fuel=model.Fuel.ELECTRICITY,
        pence_per_kwh=Decimal("24.3456"),
        standing_charge_pence_per_day=Decimal("53.123456789012345678"),
        tier=1,
        tier_label="Day",
    )
    line = json_line(event_record(price) or {})
    assert '"pence_per_kwh": 24.3456,' in line
    record = json.loads(line, parse_float=Decimal)
    assert record["pence_per_kwh"] == Decimal("24.3456")
    assert record["standing_charge_pence_per_day"] == Decimal("53.123456789012345678")
    assert json.loads(line)["tier_label"] == "Day"  # still plain JSON for any reader
    with pytest.raises(ValueError, match="JSON cannot hold"):
        json_line({"kw": Decimal("NaN")})


def test_solar_export_reports_negative_demand_and_an_export_register() -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        await advance(backend, timedelta(hours=12))  # the scenario starts at night; noon follows
        demands = [e.kw for e in events.of(model.Demand, model.Fuel.ELECTRICITY)]
        assert min(demands) < 0 < max(demands)
        energy = events.last(model.Energy, model.Fuel.ELECTRICITY)
        assert energy.export_kwh is not None
        assert energy.export_kwh > 0

    run(with_backend("solar-export", body))


def test_economy7_publishes_both_rates_through_the_price_cluster() -> None:
    async def body(backend: Backend, events: Recorder) -> None:
        await advance(backend, timedelta(days=1))
        labels = {(p.tier, p.tier_label) for p in events.of(model.Price, model.Fuel.ELECTRICITY)}
        assert len({tier for tier, _ in labels}) == 2

    run(with_backend("economy7", body))

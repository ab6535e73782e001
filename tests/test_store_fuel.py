"""Balances and top-ups are kept per meter: a dual-fuel prepayment home has two of each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from device_backend.clock import SimulatedClock
from device_backend.model import Fuel, PaymentMode, Prepayment, TopUpOutcome, TopUpResult
from device_backend.store import Store, schema

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _balance(fuel: Fuel, pence: str, minutes: int = 0) -> Prepayment:
    return Prepayment(
        time=T0 + timedelta(minutes=minutes),
        fuel=fuel,
        mode=PaymentMode.PREPAYMENT,
        credit_pence=Decimal(pence),
        emergency_credit_pence=Decimal(500),
        debt_pence=Decimal(0),
    )


def _top_up(fuel: Fuel, pence: int, code: str, minutes: int = 0) -> TopUpResult:
    return TopUpResult(
        time=T0 + timedelta(minutes=minutes),
        outcome=TopUpOutcome.ACCEPTED,
        fuel=fuel,
        value_pence=Decimal(pence),
        credit_pence=Decimal(pence),
        utrn_masked=code,
    )


def test_a_version_2_database_keeps_its_rows_as_the_electricity_meters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.db"
    clock = SimulatedClock(T0, speed=None)
    with monkeypatch.context() as old_program:
        old_program.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
        old_program.setattr(schema, "SCHEMA_VERSION", 2)
        with Store.open(path, clock=clock) as old:
            assert old.schema_version == 2
            assert "fuel" not in old.db["topups"].columns_dict
            # What the previous program wrote: the electricity balance and one top-up.
            old.db.execute(
                "INSERT INTO prepayment (t, mode, credit_pence, emergency_credit_pence, "
                "debt_pence, low_credit, emergency_credit_available, "
                "emergency_credit_selected, credit_exhausted, debt_recovery_pence_per_day, "
                "low_credit_level_pence) VALUES (?, 'prepayment', 1234, 500, 0, 0, 0, 0, 0, 0, 0)",
                (int(T0.timestamp()),),
            )
            old.db.execute(
                "INSERT INTO topups (t, outcome, value_pence, credit_pence, supply, utrn_masked) "
                "VALUES (?, 'accepted', 1000, 1234, NULL, '**** **** **** **** 1111')",
                (int(T0.timestamp()),),
            )
            old.db.conn.commit()
    with Store.open(path, clock=clock) as store:
        assert store.schema_version == schema.SCHEMA_VERSION >= 3
        kept = store.latest_prepayment(Fuel.ELECTRICITY)
        assert kept is not None
        assert (kept.fuel, kept.credit_pence) == (Fuel.ELECTRICITY, 1234)
        assert store.latest_prepayment(Fuel.GAS) is None
        [old_top_up] = store.topups()
        assert (old_top_up.fuel, old_top_up.value_pence) == (Fuel.ELECTRICITY, 1000)
        # The unchanged electricity balance is still recognised as unchanged after the step.
        assert store.add(_balance(Fuel.ELECTRICITY, "1234", minutes=1)) == 0
        # And the gas meter now has a balance and a log of its own.
        assert store.add(_balance(Fuel.GAS, "2125.4", minutes=2)) == 1
        gas = store.latest_prepayment(Fuel.GAS)
        assert gas is not None
        assert (gas.fuel, gas.credit_pence) == (Fuel.GAS, 2125)  # stored to the whole penny
        assert store.latest_prepayment().credit_pence == 1234  # type: ignore[union-attr]


def test_each_meter_keeps_its_own_balance_and_top_up_log(tmp_path: Path) -> None:
    clock = SimulatedClock(T0, speed=None)
    with Store.open(tmp_path / "history.db", clock=clock) as store:
        kept = store.add_many(
            [
                _balance(Fuel.ELECTRICITY, "1000"),
                _balance(Fuel.GAS, "800"),
                # Alternating reports of two unchanged balances are not changes.
                _balance(Fuel.ELECTRICITY, "1000", minutes=1),
                _balance(Fuel.GAS, "800", minutes=1),
                _balance(Fuel.GAS, "790", minutes=30),
                _top_up(Fuel.ELECTRICITY, 1500, "1111", minutes=40),
                _top_up(Fuel.GAS, 2000, "2222", minutes=41),
            ]
        )
        assert kept == 5
        assert store.latest_prepayment(Fuel.GAS).credit_pence == 790  # type: ignore[union-attr]
        assert store.latest_prepayment(Fuel.ELECTRICITY).credit_pence == 1000  # type: ignore[union-attr]
        both = store.topups()
        assert [(t.fuel, t.value_pence) for t in both] == [
            (Fuel.GAS, 2000),
            (Fuel.ELECTRICITY, 1500),
        ]
        assert [t.value_pence for t in store.topups(fuel=Fuel.GAS)] == [2000]
        assert [t.value_pence for t in store.topups(fuel=Fuel.ELECTRICITY)] == [1500]
        assert [(e.what, e.detail) for e in store.audit_log()[:2]] == [
            ("top-up accepted", "gas 2000p"),
            ("top-up accepted", "electricity 1500p"),
        ]

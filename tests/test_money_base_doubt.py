"""A pence-based meter is not detected (nothing on the HAN declares the base unit; see
MeterAdapter._check_money_base), but a price that reads 100 times off is named in the log."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal as D
from typing import Any

import pytest

from device_backend import model
from device_backend.money import MoneyBase
from device_backend.simulator import zcl_io
from device_backend.translate import PRICE, MeterAdapter
from device_backend.zcl import cluster_class
from tests.support.fake_cluster import FakeCluster

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)


def _publish(price: int, digits: int) -> bytes:
    return zcl_io.cluster_command(
        cluster_class(PRICE),
        "publish_price",
        tsn=1,
        direction=zcl_io.SERVER_TO_CLIENT,
        provider_id=1,
        rate_label=b"Standard",
        issuer_event_id=2,
        current_time=0,
        unit_of_measure=0,
        currency=826,
        price_trailing_digit_and_price_tier=(digits << 4) | 1,
        number_of_price_tiers_and_register_tier=0x11,
        start_time=0,
        duration_in_minutes=0xFFFF,
        price=price,
    )


def _shown(price: int, digits: int, base: MoneyBase) -> tuple[model.Price, Any]:
    events: list[model.Event] = []
    cluster = FakeCluster(PRICE, {})
    adapter = MeterAdapter(
        ieee="00:11:22:33:44:55:66:99",
        fuel=model.Fuel.ELECTRICITY,
        clusters={PRICE: cluster},  # type: ignore[dict-item]
        emit=events.append,
        now=lambda: NOW,
        money_base=base,
    )
    adapter.on_command(cluster, "publish_price", cluster.command("", _publish(price, digits)))
    return [e for e in events if isinstance(e, model.Price)][-1], adapter


@pytest.mark.parametrize(
    ("price", "digits", "base", "pence", "doubted"),
    [
        (9600, 5, MoneyBase.MAJOR, D("9.6"), False),  # GBCS test data: £0.09600
        (2486, 2, MoneyBase.MAJOR, D(2486), True),  # a pence meter read as pounds: £24.86/kWh
        (2486, 2, MoneyBase.MINOR, D("24.86"), False),  # the same meter, set up right
        (9600, 5, MoneyBase.MINOR, D("0.096"), True),  # a GB meter set up as pence
        (0, 5, MoneyBase.MAJOR, D(0), False),  # a free half-hour on a dynamic tariff
    ],
)
def test_a_price_100_times_off_is_named_in_the_log_and_still_shown_as_published(
    caplog: pytest.LogCaptureFixture,
    price: int,
    digits: int,
    base: MoneyBase,
    pence: D,
    doubted: bool,
) -> None:
    with caplog.at_level(logging.WARNING, logger="device_backend.translate"):
        shown, _adapter = _shown(price, digits, base)
    assert shown.pence_per_kwh == pence
    said = [r.getMessage() for r in caplog.records if "money_base=" in r.getMessage()]
    assert bool(said) is doubted

"""`ihd-cli replay`: a HAN capture through the display's own translation gives the live events."""

from __future__ import annotations

import json
import struct
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from device_backend import model
from device_backend.cli import main
from device_backend.installer.pcap import Frame, PcapWriter
from device_backend.replay import LINKTYPE_NO_FCS, read_pcap, replay
from tests.support.sim import advance, run, with_backend

KEY = bytes.fromhex("0123456789abcdef0123456789abcdef")


def _capture(path: Path, hours: int = 2) -> list[model.Event]:
    """A simulated prepayment home's traffic written as the installer's capture writes it."""

    async def body(backend: Any, events: Any) -> list[model.Event]:
        writer = PcapWriter(path, pan_id=0x1A62)

        def tap(
            direction: str, src: int, dst: int, profile: int, cluster: int, ep: int, payload: bytes
        ) -> None:
            writer.write(
                Frame(
                    backend.clock.now(),
                    src,
                    dst,
                    profile,
                    cluster,
                    ep,
                    0 if ep == 0 else 1,
                    bytes(payload),
                )
            )

        backend.app.taps.append(tap)
        for ieee in list(backend.adapters):  # a display adopting its meters, on the record
            await backend.readopt(ieee)
        await advance(backend, timedelta(hours=hours))
        writer.close()
        return list(events.events)

    return run(with_backend("prepay-low-credit", body))


def _money(events: list[Any]) -> tuple[list[Any], list[Any]]:
    prices = [
        (e.fuel, e.pence_per_kwh, e.standing_charge_pence_per_day, e.tier, e.currency)
        for e in events
        if isinstance(e, model.Price)
    ]
    balances = [
        (e.fuel, e.credit_pence, e.emergency_credit_pence, e.debt_pence)
        for e in events
        if isinstance(e, model.Prepayment)
    ]
    return prices, balances


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[model.Event]]:
    path = tmp_path_factory.mktemp("replay") / "day.pcap"
    return path, _capture(path)


def test_a_replay_gives_the_live_price_standing_charge_and_balances(
    captured: tuple[Path, list[model.Event]],
) -> None:
    path, live = captured
    replayed: list[model.Event] = []
    problems: list[tuple[int, str]] = []
    frames = replay(path, replayed.append, lambda n, why: problems.append((n, why)))
    assert frames > 100
    assert problems == []
    live_prices, live_balances = _money(live)
    prices, balances = _money(replayed)
    assert set(prices) == set(live_prices)
    assert (model.Fuel.ELECTRICITY, Decimal("24.86"), Decimal("54.2"), 1, "GBP") in prices
    # Every balance the live display saw after it first read the meter is in the replay.
    assert set(live_balances) <= set(balances) | {live_balances[0]}
    assert {fuel for fuel, *_ in balances} == {model.Fuel.ELECTRICITY, model.Fuel.GAS}


def test_the_cli_prints_jsonl_and_reports_a_bad_frame_by_number(
    captured: tuple[Path, list[model.Event]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = captured
    broken = tmp_path / "broken.pcap"
    data = bytearray(path.read_bytes())
    # Frame 1: keep its MAC/NWK/APS headers, cut the ZCL short (a truncated capture).
    length = struct.unpack_from("<I", data, 24 + 8)[0]
    first = data[24 + 16 : 24 + 16 + length]
    bad = bytes(first[: 9 + 8 + 8]) + b"\x18"  # MAC 9, NWK 8, APS 8, then one byte of ZCL
    record = struct.pack("<IIII", 0, 0, len(bad), len(bad)) + bad
    broken.write_bytes(bytes(data[:24]) + record + bytes(data[24:]))
    out = StringIO()
    assert main(["replay", str(broken), "--jsonl"], out=out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert any(r["type"] == "price" and r["currency"] == "GBP" for r in lines)
    assert "frame 1: " in capsys.readouterr().err


def test_nwk_secured_frames_are_read_with_the_network_key(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESCCM

    from device_backend.installer.pcap import aps_header, mac_header

    # A Price PublishPrice from 0x1001 (9600 @0x51, Currency 826), NWK-secured at level 5.
    zcl = (
        bytes.fromhex("1901 00")
        + struct.pack("<I", 1)
        + b"\x08Standard"
        + struct.pack("<IIBHBBIHI", 2, 0, 0, 826, 0x51, 0x11, 0, 0xFFFF, 9600)
    )
    aps = aps_header(1, 1, 0x0700, 0x0109, 1) + zcl
    source_ieee = bytes.fromhex("0102030405060708")
    nwk = struct.pack("<HHHBB", 0x0208 | 0x1000, 0x0000, 0x1001, 30, 7) + source_ieee
    # Key id 1 (network key), no extended nonce (the NWK header carries the IEEE), key seq 0.
    aux = bytes([0x08]) + struct.pack("<I", 99) + bytes([0])
    patched = bytes([0x0D]) + aux[1:]  # the MIC covers security level 5, sent as 0
    nonce = source_ieee + struct.pack("<I", 99) + bytes([0x0D])
    sealed = AESCCM(KEY, tag_length=4).encrypt(nonce, aps, nwk + patched)
    frame = mac_header(1, 0x1A62, 0x0000, 0x1001) + nwk + aux + sealed
    path = tmp_path / "secured.pcap"
    header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_NO_FCS)
    path.write_bytes(header + struct.pack("<IIII", 1, 0, len(frame), len(frame)) + frame)
    assert [f.number for f in read_pcap(path)] == [1]

    problems: list[str] = []
    assert replay(path, lambda e: None, lambda n, why: problems.append(why)) == 1
    assert problems == ["NWK-secured: give --network-key to decrypt it"]
    events: list[model.Event] = []
    replay(path, events.append, lambda n, why: problems.append(why), KEY)
    assert len(problems) == 1
    price = next(e for e in events if isinstance(e, model.Price))
    assert price.pence_per_kwh == Decimal("9.6")
    wrong: list[str] = []
    replay(path, lambda e: None, lambda n, why: wrong.append(why), bytes(16))
    assert wrong == ["NWK MIC check failed: wrong network key?"]

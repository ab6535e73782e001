"""Hypothesis throws malformed and adversarial ZCL at the radio's inbound seam.

Nothing may escape `packet_received`, the next valid frame must still be handled, and no
event may carry an impossible value. Examples per run: FUZZ_EXAMPLES (5,000 by default; the
README documents a longer run).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
import zigpy.types as t
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from device_backend import model
from device_backend.facade import Backend
from device_backend.translate import MAX_ELECTRIC_KW, MAX_GAS_M3_PER_H
from tests.support.sim import Recorder, started

pytestmark = pytest.mark.reliability
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5000"))
SE_CLUSTERS = [0x0700, 0x0701, 0x0702, 0x0703, 0x0705]
ZCL_TYPES = [
    0x10,
    0x18,
    0x19,
    0x20,
    0x21,
    0x22,
    0x23,
    0x25,
    0x28,
    0x29,
    0x2A,
    0x2B,
    0x30,
    0x41,
    0x42,
    0xE2,
    0x48,
    0x4C,
]


@pytest.fixture
def home(
    backend_loop: asyncio.AbstractEventLoop,
) -> Iterator[tuple[asyncio.AbstractEventLoop, Backend, Recorder]]:
    backend, recorder = backend_loop.run_until_complete(started("prepay-low-credit"))
    yield backend_loop, backend, recorder
    backend_loop.run_until_complete(backend.stop())


def _attribute_records() -> st.SearchStrategy[bytes]:
    record = st.tuples(
        st.integers(0, 0xFFFF), st.sampled_from(ZCL_TYPES), st.binary(max_size=9)
    ).map(lambda r: r[0].to_bytes(2, "little") + bytes([r[1]]) + r[2])
    return st.lists(record, max_size=4).map(b"".join)


def _frames() -> st.SearchStrategy[tuple[int, bytes]]:
    frame_control = st.sampled_from(
        [0x00, 0x01, 0x08, 0x09, 0x10, 0x18, 0x19, 0x04, 0x0C, 0x1D, 0x02, 0xFF]
    )
    command = st.one_of(
        st.integers(0, 0x12), st.sampled_from([0x01, 0x0A, 0x0B]), st.integers(0, 255)
    )
    payload = st.one_of(st.binary(max_size=64), _attribute_records())
    header = st.tuples(frame_control, st.integers(0, 255), command).map(bytes)
    truncated = st.binary(max_size=3)
    data = st.one_of(st.tuples(header, payload).map(b"".join), truncated)
    return st.tuples(st.sampled_from(SE_CLUSTERS), data)


def _packet(backend: Backend, cluster: int, data: bytes, *, gas: bool = False) -> t.ZigbeePacket:
    meter = backend.home.gas_proxy if gas else backend.home.esme
    return t.ZigbeePacket(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=meter.nwk),
        src_ep=1,
        dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
        dst_ep=1,
        profile_id=0x0109,
        cluster_id=cluster,
        data=t.SerializableBytes(data),
        lqi=180,
        rssi=-70,
    )


async def _receive(backend: Backend, packet: t.ZigbeePacket) -> None:
    backend.app.packet_received(packet)  # must not raise, whatever the bytes
    await asyncio.sleep(0)


def test_adversarial_frames_never_escape_and_never_yield_impossible_values(
    home: tuple[asyncio.AbstractEventLoop, Backend, Recorder],
) -> None:
    loop, backend, recorder = home
    delivered = {"n": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(frame=_frames(), gas=st.booleans())
    def deliver(frame: tuple[int, bytes], gas: bool) -> None:
        cluster, data = frame
        loop.run_until_complete(_receive(backend, _packet(backend, cluster, data, gas=gas)))
        delivered["n"] += 1

    deliver()
    assert delivered["n"] >= min(EXAMPLES, 1000)

    # The next valid report (1.234 kW) is processed as normal.
    good = bytes([0x18, 0x42, 0x0A, 0x00, 0x04, 0x2A, 0xD2, 0x04, 0x00])
    loop.run_until_complete(_receive(backend, _packet(backend, 0x0702, good)))
    assert recorder.last(model.Demand, model.Fuel.ELECTRICITY).kw == Decimal("1.234")

    for event in recorder.events:
        if isinstance(event, model.Demand):
            limit = MAX_ELECTRIC_KW if event.fuel is model.Fuel.ELECTRICITY else MAX_GAS_M3_PER_H
            assert abs(event.value) <= limit
        elif isinstance(event, model.Energy):
            assert event.import_raw >= 0
            assert (event.export_raw or 0) >= 0
    # The simulated home is still healthy afterwards.
    before = len(recorder.of(model.Demand))
    loop.run_until_complete(backend.run_until(backend.clock.now() + timedelta(minutes=1)))
    assert len(recorder.of(model.Demand)) > before

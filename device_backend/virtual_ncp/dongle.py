"""A virtual EZSP dongle: a simulated GB home behind an emulated NCP, reached over ASH.

`VirtualDongle` wires the pieces: the scenario's `SimulatedHome` (meters, physics, timeline,
clock) attached to a `VirtualAir`, the `EzspNcp` behaviour, our `NcpLink` (ASH) and a port.
It also offers the faults: a pulled stick, a mute or wedged NCP, corrupted frames and NAKs at
a rate, a reset in the middle of a session and 115,200 baud pacing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Any

from device_backend.simulator.home import SimulatedHome
from device_backend.virtual_ncp import ash
from device_backend.virtual_ncp.air import VirtualAir
from device_backend.virtual_ncp.ncp import DEFAULT_VERSION, EzspNcp, NcpMemory
from device_backend.virtual_ncp.ports import Port, PtyPort, TcpPort

LOGGER = logging.getLogger(__name__)


def make_port(spec: str | None, feed: Any) -> Port:
    """`pty` (or None), a path for a stable link to a pty, or `tcp:HOST:PORT`."""
    if spec is None or spec == "pty":
        return PtyPort(feed)
    if spec.startswith("tcp:"):
        _, host, port = spec.split(":", 2)
        return TcpPort(feed, host or "127.0.0.1", int(port))
    return PtyPort(feed, spec)


class VirtualDongle:
    def __init__(
        self,
        scenario: str = "credit-dual-fuel",
        *,
        port: str | None = None,
        ezsp_version: int = DEFAULT_VERSION,
        speed: float | None = 1.0,
        seed: int | None = None,
        start: datetime | None = None,
        home: SimulatedHome | None = None,
        pairing_bench: bool = False,
    ) -> None:
        self.home = home or SimulatedHome.from_scenario(
            scenario, speed=speed, seed=seed, start=start
        )
        self.air = VirtualAir()
        self.memory = NcpMemory()
        self.port = make_port(port, self._feed)
        self.link = ash.NcpLink(self.port.write, self._ezsp_frame, self._ncp_reset)
        self.ncp = EzspNcp(self.air, self.link.send, version=ezsp_version, memory=self.memory)
        self.air.on_pull = self.pull
        self.air.on_replug = self.replug
        self.home.attach_to(self.air)
        self.bench: Any = None
        if pairing_bench:  # uncommissioned devices with install codes, waiting to be paired
            from device_backend.simulator.pairing import PairingBench

            self.bench = PairingBench()
            self.bench.add_to(self.home)
        self._home_task: asyncio.Task[None] | None = None
        self._bench_task: asyncio.Task[None] | None = None
        self.present = False

    @property
    def path(self) -> str:
        return self.port.path

    async def start(self) -> str:
        await self.port.open()
        self.present = True
        loop = asyncio.get_running_loop()
        self._home_task = loop.create_task(self.home.run(), name="virtual dongle home")
        if self.bench is not None:
            self._bench_task = loop.create_task(self.bench.run(self.home.clock), name="bench")
        return self.path

    async def stop(self) -> None:
        for task in (self._home_task, self._bench_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self.ncp.close()
        self.link.close()
        if self.present:
            self.port.close()
            self.present = False

    # -- wiring ------------------------------------------------------------------------------

    def _feed(self, data: bytes) -> None:
        self.link.feed(data)

    def _ezsp_frame(self, frame: bytes) -> None:
        self.ncp.receive(frame)

    def _ncp_reset(self) -> None:
        """The chip restarts: EZSP state is lost, the network is down until networkInit.
        The meters stay members of the network (they keep its key and their addresses); what
        they send while the coordinator is down is lost."""
        self.ncp.close()
        self.ncp.reset()

    # -- faults ------------------------------------------------------------------------------

    def pull(self) -> None:
        """The stick is pulled out: the port vanishes, the NCP loses power."""
        if not self.present:
            return
        self.present = False
        self.port.close()
        self.link.close()
        self._ncp_reset()

    def replug(self) -> None:
        asyncio.get_running_loop().create_task(self.plug_in())

    async def plug_in(self) -> None:
        if self.present:
            return
        await self.port.open()
        self.present = True

    def reset_mid_session(self, code: int = ash.RESET_WATCHDOG) -> None:
        """The NCP resets by itself (a watchdog, an assert) and says so with RSTACK."""
        self.link.reset(code)

    def set_mute(self, mute: bool) -> None:
        """No ASH at all: the port stays open but the NCP never answers or acknowledges."""
        self.link.faults.mute = mute

    def set_wedged(self, wedged: bool) -> None:
        """ASH still acknowledges every frame, but EZSP never answers a command."""
        self.ncp.wedged = wedged

    def set_error_rates(self, *, corrupt: float = 0.0, nak: float = 0.0) -> None:
        self.link.faults.corrupt_rate = corrupt
        self.link.faults.nak_rate = nak

    def set_baud(self, baud: int | None) -> None:
        self.link.faults.baud = baud

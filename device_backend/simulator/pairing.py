"""A pairing bench for training: devices not yet on the HAN, each with an install code label.

They join only when the coordinator opens joining for their EUI-64 with the link key their
own install code derives (zigpy's AES-MMO hash); a wrong key leaves them outside. Bench
meters report what the installer configured (Configure Reporting), on the simulated clock.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

import zigpy.zdo.types as zdo_t

from device_backend.link_keys import format_code, make_install_code
from device_backend.simulator import zcl_io
from device_backend.simulator.devices import EndpointSpec, VirtualDevice
from device_backend.simulator.links import LinkState
from device_backend.simulator.meters import VirtualESME
from device_backend.zcl.ids import (
    BASIC,
    DRLC,
    IDENTIFY,
    MESSAGING,
    METERING,
    ON_OFF,
    OTA,
    PREPAYMENT,
    PRICE,
    TIME,
)
from device_backend.zcl.ids import SMART_ENERGY_PROFILE as SE_PROFILE

LOGGER = logging.getLogger(__name__)

IHD_DEVICE, LOAD_CONTROL_DEVICE = 0x0507, 0x0508
REPORT_TICK_S = 10


def install_code_for(ieee: str) -> bytes:
    """A stable 16-byte code plus CRC, as a manufacturer would print on this device."""
    return make_install_code(hashlib.sha256(f"gb-smart-ihd bench {ieee}".encode()).digest()[:16])


@dataclass(frozen=True, slots=True)
class Label:
    """What is printed on the device: for the training screen, never for a log."""

    name: str
    ieee: str
    install_code: str
    qr_text: str


class InterviewFault(VirtualDevice):
    """A device whose first endpoint query fails, as a marginal link or busy stack can."""

    def __init__(self, *, failures: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.failures_left = failures

    def _receive_zdo(self, cluster_id: int, data: bytes) -> None:
        if cluster_id == zdo_t.ZDOCmd.Active_EP_req and self.failures_left > 0:
            self.failures_left -= 1
            tsn, _ = zcl_io.parse_zdo(cluster_id, data)
            self._zdo_reply(zdo_t.ZDOCmd.Active_EP_rsp, tsn, zdo_t.Status.TIMEOUT, self.nwk, [])
            return
        super()._receive_zdo(cluster_id, data)


def _metering_attributes(device: VirtualDevice, *, divisor: int = 1000) -> None:
    device.set_attributes(
        1,
        METERING,
        {
            "current_summ_delivered": 1_234_567,
            "status": 0,
            "unit_of_measure": 0,
            "multiplier": 1,
            "divisor": divisor,
            "summation_formatting": 0x33,
            "demand_formatting": 0x33,
            "metering_device_type": 0,
            "instantaneous_demand": 420,
        },
    )


class PairingBench:
    """The uncommissioned devices in a training home, and their reporting loop."""

    def __init__(self) -> None:
        def ieee(n: int) -> str:
            return f"00:1e:5e:09:02:b0:00:{n:02x}"

        esme = VirtualESME(
            account=None,
            ieee=ieee(0x11),
            nwk=0x3011,
            manufacturer="gb-smart-ihd bench",
            model="ESME (replacement)",
            label="replacement electricity meter",
        )
        esme.set_attributes(
            1, METERING, {"current_summ_delivered": 2_345_678, "instantaneous_demand": 560}
        )
        esme.set_attributes(1, PRICE, {"standing_charge": 53_350})
        ihd = VirtualDevice(
            ieee=ieee(0x12),
            nwk=0x3012,
            manufacturer="gb-smart-ihd bench",
            model="IHD (consumer display)",
            endpoints=[
                EndpointSpec(
                    1,
                    SE_PROFILE,
                    IHD_DEVICE,
                    [BASIC, IDENTIFY],
                    [TIME, PRICE, METERING, MESSAGING, PREPAYMENT, OTA],
                )
            ],
            label="in-home display",
        )
        plug = VirtualDevice(
            ieee=ieee(0x13),
            nwk=0x3013,
            manufacturer="gb-smart-ihd bench",
            model="Load switch (immersion)",
            endpoints=[
                EndpointSpec(
                    1,
                    SE_PROFILE,
                    LOAD_CONTROL_DEVICE,
                    [BASIC, IDENTIFY, ON_OFF, METERING],
                    [DRLC, OTA],
                )
            ],
            label="load switch",
        )
        plug.set_attributes(1, ON_OFF, {"on_off": 1})
        _metering_attributes(plug)
        flaky = InterviewFault(
            ieee=ieee(0x14),
            nwk=0x3014,
            manufacturer="gb-smart-ihd bench",
            model="IHD (flaky radio)",
            endpoints=[
                EndpointSpec(
                    1, SE_PROFILE, IHD_DEVICE, [BASIC, IDENTIFY], [TIME, PRICE, METERING, OTA]
                )
            ],
            label="in-home display with a poor link",
        )
        self.devices: list[VirtualDevice] = [esme, ihd, plug, flaky]
        for device in self.devices:
            device.install_code = install_code_for(str(device.ieee))
        self._last_report: dict[tuple[int, int, int], float] = {}

    def labels(self) -> list[Label]:
        out = []
        for device in self.devices:
            code = device.install_code or b""
            compact = str(device.ieee).replace(":", "").upper()
            out.append(
                Label(
                    name=device.label,
                    ieee=str(device.ieee),
                    install_code=format_code(code),
                    qr_text=f"Z:{compact}$I:{code.hex().upper()}",
                )
            )
        return out

    def add_to(self, home: Any) -> None:
        for device in self.devices:
            if device not in home.extra_devices:
                home.extra_devices.append(device)
                if home.radio is not None:  # the radio already running hears it from now on
                    home.radio.attach(device, LinkState(lqi=190, rssi=-66))

    async def run(self, clock: Any) -> None:
        """Send the reports each joined bench device was configured to send."""
        while True:
            await clock.sleep(REPORT_TICK_S)
            now = clock.now().timestamp()
            for device in self.devices:
                if not device.joined:
                    continue
                due: dict[tuple[int, int], list[int]] = {}
                for (endpoint, cluster_id, attrid), (_low, high) in list(device.reporting.items()):
                    last = self._last_report.get((int(device.nwk), cluster_id, attrid), 0.0)
                    if high and high != 0xFFFF and now - last >= high:
                        due.setdefault((endpoint, cluster_id), []).append(attrid)
                        self._last_report[(int(device.nwk), cluster_id, attrid)] = now
                for (endpoint, cluster_id), ids in due.items():
                    try:
                        device.report(endpoint, cluster_id, list(ids))
                    except Exception:
                        LOGGER.exception("Bench device %s could not report", device.label)


def start(bench: PairingBench, clock: Any) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(bench.run(clock), name="pairing bench")

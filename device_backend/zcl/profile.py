"""The Smart Energy profile seam: make 0x0109 frames parse through zigpy, and catch bad ones.

zigpy 2.4.0 hands any frame whose profile is not ZHA or ZLL to
`Device.custom_profile_packet_received`, which only logs it, so Smart Energy replies to our
own reads time out and meter reports vanish. ZCL itself is profile-independent (the header,
the cluster and its commands are the same bytes), so at the radio's one inbound seam we let
zigpy see SE frames under the HA profile id. Outbound frames keep the endpoint's own profile
(0x0109 for SE endpoints), so the air traffic is unchanged.

The same seam is our boundary for malformed input: an exception out of zigpy's parsing (too
short, a declared type that disagrees with the attribute) is caught here, logged once per kind
at error level and counted, and the next frame is processed as normal.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

import zigpy.device
import zigpy.profiles.zha
import zigpy.types as t
from zigpy.application import ControllerApplication
from zigpy.zcl import foundation

from device_backend.zcl.ids import SMART_ENERGY_PROFILE

SMART_ENERGY_PROFILE_ID = SMART_ENERGY_PROFILE
_ZDO_ENDPOINT = 0
# Our coordinator is the home's IHD/CAD: an SE In-Home Display (SE 1.4 device id 0x0507), a
# client of the meters' SE clusters, a server of Basic, Identify, Time and OTA (the same
# endpoint the simulator's coordinator describes in simulator/radio.py).
IHD_DEVICE_TYPE = 0x0507
IHD_SERVER_CLUSTERS = [0x0000, 0x0003, 0x000A, 0x0019]
IHD_CLIENT_CLUSTERS = [0x0700, 0x0701, 0x0702, 0x0703, 0x0705, 0x0019]

LOGGER = logging.getLogger(__name__)

FrameValidator = Callable[[t.ZigbeePacket], None]


# zigpy's ZigbeePacket is a plain dataclass without __post_init__, so a shallow copy with one
# field changed is exactly what `packet.replace` gives, without dataclasses.replace calling
# __init__ over its twenty fields for every frame a meter sends.
_PLAIN_PACKET = not hasattr(t.ZigbeePacket, "__post_init__")


def _under_ha_profile(packet: t.ZigbeePacket) -> t.ZigbeePacket:
    if not _PLAIN_PACKET or type(packet) is not t.ZigbeePacket:
        return packet.replace(profile_id=zigpy.profiles.zha.PROFILE_ID)
    copy = object.__new__(t.ZigbeePacket)
    copy.__dict__.update(packet.__dict__)
    copy.profile_id = zigpy.profiles.zha.PROFILE_ID
    return copy


class SmartEnergyProfileMixin:
    """Mix in before a zigpy ControllerApplication subclass (a radio library's, or ours)."""

    #: an optional strict check run on SE-profile ZCL frames before zigpy sees them; it raises
    #: ValueError with a message naming the cluster, the command and what is wrong.
    frame_validator: FrameValidator | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rejected_frames: Counter[str] = Counter()
        self.last_rejection: str = ""

    def packet_received(self, packet: t.ZigbeePacket) -> None:
        if (
            packet.profile_id == SMART_ENERGY_PROFILE_ID
            and packet.src_ep != _ZDO_ENDPOINT
            and packet.dst_ep != _ZDO_ENDPOINT
        ):
            try:
                if self.frame_validator is not None:
                    self.frame_validator(packet)
            except (ValueError, KeyError, TypeError) as exc:
                self._reject(packet, exc)
                return
            packet = _under_ha_profile(packet)
            self._release_answered_request(packet)
        try:
            super().packet_received(packet)  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - the boundary: nothing may kill the loop
            self._reject(packet, exc)

    def _release_answered_request(self, packet: t.ZigbeePacket) -> None:
        """Let the further answers to one request through to the cluster's listeners.

        A Smart Energy Get is answered by several commands carrying the request's TSN
        (GetScheduledPrices: a PublishPrice per period; GetDayProfiles, GetTariffInformation,
        GetCalendar: one per profile, tariff or calendar; a long one in parts). zigpy resolves
        the request with the first, but keeps it pending until the requester resumes, and
        meanwhile drops the others as "probably duplicate" (zigpy 2.4.0,
        Device._maybe_match_response). Once a request has its answer, the rest are treated
        as what they are: commands the meter published.
        """
        try:
            device = self.get_device(nwk=packet.src.address)  # type: ignore[attr-defined]
        except KeyError:
            return
        if not device._requests:
            return  # nothing asked of this device: the usual case, kept cheap
        data = packet.data.serialize()
        # ZCL header (ZCL 07-5123 2.4.1): frame control, [manufacturer code], TSN, command.
        if len(data) < 3:
            return
        control = data[0]
        tsn_at = 3 if control & 0x04 else 1
        if len(data) <= tsn_at:
            return
        key = zigpy.device.ResponseKey(
            endpoint_id=packet.src_ep,
            cluster_id=packet.cluster_id,
            direction=foundation.Direction(bool(control & 0x08)),
            tsn=data[tsn_at],
        )
        pending = device._requests.get(key)
        if pending is not None and pending.done():
            device._requests.pop(key, None)

    async def add_endpoint(self, descriptor: Any) -> None:
        """zigpy registers endpoint 1 on a real stick as a ZHA IAS controller; a Smart Energy
        IHD's endpoint 1 is an SE In-Home Display, so that is what the NCP is told (and what
        it answers to Simple_Desc_req). Found by running bellows against the virtual dongle."""
        if descriptor.endpoint == 1 and descriptor.profile == zigpy.profiles.zha.PROFILE_ID:
            descriptor = descriptor.replace(
                profile=SMART_ENERGY_PROFILE_ID,
                device_type=IHD_DEVICE_TYPE,
                input_clusters=IHD_SERVER_CLUSTERS,
                output_clusters=IHD_CLIENT_CLUSTERS,
            )
        await super().add_endpoint(descriptor)  # type: ignore[misc]

    def _reject(self, packet: t.ZigbeePacket, exc: BaseException) -> None:
        kind = f"cluster 0x{packet.cluster_id:04X}: {type(exc).__name__}"
        first = kind not in self.rejected_frames
        self.rejected_frames[kind] += 1
        self.last_rejection = f"{kind}: {exc}"
        if first:  # once per kind, so a noisy device cannot flood the log
            LOGGER.error("Dropped a malformed frame from %s (%s): %s", packet.src, kind, exc)
        else:
            LOGGER.debug("Dropped another malformed frame (%s): %s", kind, exc)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected_frames.values())


_wrapped: dict[type, type] = {}


def with_smart_energy_profile(
    app_class: type[ControllerApplication],
) -> type[ControllerApplication]:
    """The same radio class, receiving Smart Energy frames and guarded at its inbound seam."""
    if issubclass(app_class, SmartEnergyProfileMixin):
        return app_class
    if app_class not in _wrapped:
        from device_backend.zcl.validate import validate_frame

        _wrapped[app_class] = type(
            f"SmartEnergy{app_class.__name__}",
            (SmartEnergyProfileMixin, app_class),
            {"frame_validator": staticmethod(validate_frame)},
        )
    return _wrapped[app_class]

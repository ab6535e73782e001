"""The NCP's behaviour: what it answers to each EZSP command, in what order, with which status.

Follows Silicon Labs UG100 (EZSP reference guide) where it states the behaviour: `version`
first, configuration only before the network is up, `networkInit`/`formNetwork` answered
with a status and then a `stackStatusHandler(NETWORK_UP)` callback, `sendUnicast` answered at
once with a status and an APS sequence and later confirmed by `messageSentHandler`, incoming
APS frames passed up as `incomingMessageHandler`, ZDO requests addressed to the coordinator
answered by the stack itself, `startScan` results as `energyScanResultHandler` then
`scanCompleteHandler`. What it does not emulate is listed in the README.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import bellows.types as bt
import zigpy.types as t
import zigpy.zdo.types as zdo_t

from device_backend.simulator import zcl_io
from device_backend.simulator.devices import COORDINATOR_NWK, VirtualDevice
from device_backend.simulator.radio import LinkState
from device_backend.virtual_ncp import frames
from device_backend.virtual_ncp.air import VirtualAir, neighbour

LOGGER = logging.getLogger(__name__)

NCP_IEEE = t.EUI64.convert("00:0d:6f:00:0b:20:20:01")
SUPPORTED_VERSIONS = (13, 14, 16, 17, 18, 19)
DEFAULT_VERSION = 13
# What EmberZNet release each protocol version shipped with (stackVersion, build).
STACK_VERSIONS = {13: (7, 4, 4), 14: (8, 0, 2), 16: (8, 1, 0), 17: (8, 2, 0), 18: (8, 2, 2)}
STACK_TYPE_MESH = 2
JOIN_DELAY_S = 0.5  # a commissioned meter rejoins this long after the network comes up
OK = bt.sl_Status.OK
COUNTER_TYPES = list(bt.EmberCounterType)


@dataclass
class NcpMemory:
    """What the stick keeps across resets and a pulled cable (its NVM3 tokens)."""

    eui64: t.EUI64 = NCP_IEEE
    parameters: Any = None  # bellows EmberNetworkParameters once a network is formed
    network_key: bytes = b""
    network_key_seq: int = 0
    tc_link_key: bytes = b"ZigBeeAlliance09"
    nwk_frame_counter: int = 0
    aps_frame_counter: int = 0
    link_keys: dict[t.EUI64, bytes] = field(default_factory=dict)
    joined: set[t.EUI64] = field(default_factory=set)  # devices that hold the network key


@dataclass
class Counters:
    values: list[int] = field(default_factory=lambda: [0] * len(COUNTER_TYPES))

    def bump(self, name: str) -> None:
        index = COUNTER_TYPES.index(bt.EmberCounterType[name])
        self.values[index] = min(self.values[index] + 1, 0xFFFF)


class EzspNcp:
    """One EZSP protocol endpoint; `send` carries encoded frames to the ASH link."""

    def __init__(
        self,
        air: VirtualAir,
        send: Callable[[bytes], None],
        *,
        version: int = DEFAULT_VERSION,
        memory: NcpMemory | None = None,
    ) -> None:
        if version not in SUPPORTED_VERSIONS:
            raise ValueError(
                f"EZSP protocol {version} is not emulated; "
                f"choose one of {', '.join(map(str, SUPPORTED_VERSIONS))}"
            )
        self.air = air
        self.send = send
        self.version = version
        self.memory = memory or NcpMemory()
        self.wedged = False  # the firmware takes frames and never answers (set by a fault)
        self.commands_seen: list[str] = []
        # (sender, APS counter, cluster, payload) of every frame passed up to the host
        self.passed_up: deque[tuple[int, int, int, bytes]] = deque(maxlen=100_000)
        self._aps_counters: dict[int, int] = {}  # each sender's APS counter, as heard
        self.permit_durations: list[int] = []  # every permitJoining, 0 closing
        self.unhandled: list[str] = []  # commands answered with invalidCommand
        air.heard = self.frame_heard
        self.reset()

    # -- volatile state: lost on every reset --------------------------------------------------

    def reset(self) -> None:
        self.wedged = False  # a reset is what cures wedged firmware
        self.negotiated = False
        self.extended = False
        self.network_up = False
        self.endpoints: dict[int, tuple[int, int, int, list[int], list[int]]] = {}
        self.config: dict[int, int] = {}
        self.values: dict[int, bytes] = {}
        self.policies: dict[int, int] = {}
        self.transient_keys: dict[t.EUI64, bytes] = {}
        self.permit_until = 0.0
        self.aps_sequence = 0
        self.last_sequence = 0
        self.extended_timeouts: dict[t.EUI64, bool] = {}
        self.address_table: dict[int, tuple[t.EUI64, int]] = {}
        self.multicast: dict[int, Any] = {}
        self.counters = Counters()
        self.manufacturer_code = 0x1049
        self._join_tasks: list[asyncio.TimerHandle] = []

    def close(self) -> None:
        for handle in self._join_tasks:
            handle.cancel()
        self._join_tasks.clear()

    # -- frames from the host ----------------------------------------------------------------

    def receive(self, frame: bytes) -> None:
        if self.wedged:
            return
        try:
            header, payload = frames.parse_header(frame)
        except ValueError:
            LOGGER.debug("Unreadable EZSP frame %s", frame.hex())
            return
        self.last_sequence = header.sequence
        if header.frame_id == frames.VERSION_FRAME_ID:
            self._version(header, payload)
            return
        if not self.negotiated:
            self._invalid(header, bt.EzspStatus.ERROR_VERSION_NOT_SET)
            return
        name = frames.names_by_id(self.version).get(header.frame_id)
        handler = getattr(self, f"cmd_{name}", None) if name else None
        if name is None or handler is None:
            self.unhandled.append(name or f"0x{header.frame_id:04X}")
            LOGGER.info("EZSP command %s is not emulated", name or header.frame_id)
            self._invalid(header, bt.EzspStatus.ERROR_INVALID_FRAME_ID)
            return
        self.commands_seen.append(name)
        try:
            args = frames.decode_parameters(self.version, name, payload)
        except (ValueError, KeyError):
            self._invalid(header, bt.EzspStatus.ERROR_INVALID_PARAMETER)
            return
        after: list[Callable[[], None]] = []
        result = handler(args, after)
        self._respond(header, name, result)
        for action in after:  # callbacks the command causes follow its response
            action()

    def _version(self, header: frames.Header, payload: bytes) -> None:
        desired = payload[0] if payload else 0
        major, minor, patch = STACK_VERSIONS.get(self.version, (8, 2, 2))
        stack_version = major << 12 | minor << 8 | patch << 4
        body = bytes((self.version, STACK_TYPE_MESH)) + stack_version.to_bytes(2, "little")
        # UG100: the NCP answers with its own protocol version; only a version command that
        # asks for exactly that version makes the session usable.
        self.negotiated = desired == self.version
        self.extended = header.extended
        self.send(
            frames.header_bytes(
                header.sequence, frames.VERSION_FRAME_ID, extended=header.extended, callback=False
            )
            + body
        )

    def _invalid(self, header: frames.Header, status: bt.EzspStatus) -> None:
        frame_id = frames.commands(self.version)["invalidCommand"][0]
        status_value = frames.encode_parameters(self.version, "invalidCommand", {"status": status})
        self.send(
            frames.header_bytes(header.sequence, frame_id, extended=header.extended, callback=False)
            + status_value
        )

    def _respond(self, header: frames.Header, name: str, result: dict[str, Any]) -> None:
        frame_id = frames.commands(self.version)[name][0]
        self.send(
            frames.header_bytes(header.sequence, frame_id, extended=self.extended, callback=False)
            + frames.encode_parameters(self.version, name, result)
        )

    def callback(self, name: str, **values: Any) -> None:
        if self.wedged:
            return
        frame_id = frames.commands(self.version)[name][0]
        self.send(
            frames.header_bytes(self.last_sequence, frame_id, extended=self.extended, callback=True)
            + frames.encode_parameters(self.version, name, values)
        )

    # -- configuration -----------------------------------------------------------------------

    def cmd_nop(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {}

    def cmd_getValue(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        value_id = args["valueId"]
        if value_id == bt.EzspValueId.VALUE_VERSION_INFO:
            major, minor, patch = STACK_VERSIONS.get(self.version, (8, 2, 2))
            value = (0x0190).to_bytes(2, "little") + bytes((major, minor, patch, 0))  # build 400
        elif value_id == bt.EzspValueId.VALUE_FREE_BUFFERS:
            value = bytes((0xF0,))
        elif value_id in self.values:
            value = self.values[value_id]
        else:
            return {"status": bt.EzspStatus.ERROR_INVALID_ID, "value": b""}
        return {"status": OK, "value": value}

    def cmd_setValue(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        value_id, value = args["valueId"], bytes(args["value"])
        if value_id == bt.EzspValueId.VALUE_NWK_FRAME_COUNTER:
            self.memory.nwk_frame_counter = int.from_bytes(value, "little")
        elif value_id == bt.EzspValueId.VALUE_APS_FRAME_COUNTER:
            self.memory.aps_frame_counter = int.from_bytes(value, "little")
        self.values[value_id] = value
        return {"status": OK}

    def cmd_getConfigurationValue(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        config_id = args["configId"]
        defaults = {
            bt.EzspConfigId.CONFIG_SECURITY_LEVEL: 5,
            bt.EzspConfigId.CONFIG_KEY_TABLE_SIZE: 4,
            bt.EzspConfigId.CONFIG_ADDRESS_TABLE_SIZE: 8,
            bt.EzspConfigId.CONFIG_MULTICAST_TABLE_SIZE: 8,
            bt.EzspConfigId.CONFIG_ROUTE_TABLE_SIZE: 16,
            bt.EzspConfigId.CONFIG_PACKET_BUFFER_COUNT: 75,
        }
        value = self.config.get(config_id, defaults.get(config_id, 0))
        return {"status": OK, "value": value}

    def cmd_setConfigurationValue(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        # UG100: configuration can only be changed before the network is initialised.
        if self.network_up:
            return {"status": bt.EzspStatus.ERROR_INVALID_CALL}
        self.config[args["configId"]] = int(args["value"])
        return {"status": OK}

    def cmd_setPolicy(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        self.policies[args["policyId"]] = int(args["decisionId"])
        return {"status": OK}

    def cmd_addEndpoint(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        endpoint = int(args["endpoint"])
        # UG100: endpoints are added before networkInit, each once.
        if self.network_up or endpoint in self.endpoints:
            return {"status": bt.EzspStatus.ERROR_INVALID_CALL}
        # Both lists arrive back to back after their two counts; bellows's table types the
        # first as "the rest of the frame", so split them by the counts, as the NCP does.
        clusters = [int(c) for c in args["inputClusterList"]] + [
            int(c) for c in args["outputClusterList"]
        ]
        ins = int(args["inputClusterCount"])
        outs = int(args["outputClusterCount"])
        if len(clusters) != ins + outs:
            return {"status": bt.EzspStatus.ERROR_INVALID_VALUE}
        self.endpoints[endpoint] = (
            int(args["profileId"]),
            int(args["deviceId"]),
            int(args["deviceVersion"]),
            clusters[:ins],
            clusters[ins:],
        )
        return {"status": OK}

    def cmd_getMfgToken(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        token = args["tokenId"]
        values = {
            bt.EzspMfgTokenId.MFG_STRING: b"gb-smart-ihd".ljust(16, b"\xff"),
            bt.EzspMfgTokenId.MFG_BOARD_NAME: b"Virtual NCP".ljust(16, b"\xff"),
            bt.EzspMfgTokenId.MFG_CUSTOM_EUI_64: b"\xff" * 8,
        }
        return {"tokenData": values.get(token, b"\xff" * 2)}

    def cmd_getTokenData(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"status": bt.sl_Status.NOT_FOUND}  # no NV3 tokens are exposed

    def cmd_setTokenData(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"status": bt.sl_Status.NOT_FOUND}

    def cmd_customFrame(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        # No XNCP extensions: stock EmberZNet answers custom frames with an error.
        return {"status": bt.sl_Status.INVALID_STATE, "reply": b""}

    def cmd_setConcentrator(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"status": OK}

    def cmd_setSourceRouteDiscoveryMode(
        self, args: dict[str, Any], after: list[Any]
    ) -> dict[str, Any]:
        return {"remainingTime": 0}

    def cmd_setManufacturerCode(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        self.manufacturer_code = int(args["code"])
        return {"status": OK}

    def cmd_setRadioPower(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        if self.memory.parameters is not None:
            self.memory.parameters = self.memory.parameters.replace(
                radioTxPower=int(args["power"]) & 0xFF
            )
        return {"status": OK}

    def cmd_setTxPowerMode(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"status": OK}

    def cmd_readCounters(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"values": bt.List[bt.uint16_t](self.counters.values)}

    def cmd_readAndClearCounters(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        values = bt.List[bt.uint16_t](self.counters.values)
        self.counters = Counters()
        return {"values": values}

    # -- the network -------------------------------------------------------------------------

    def cmd_networkState(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        status = (
            bt.EmberNetworkStatus.JOINED_NETWORK
            if self.network_up
            else bt.EmberNetworkStatus.NO_NETWORK
        )
        return {"status": status}

    def cmd_networkInit(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        if self.memory.parameters is None:
            return {"status": bt.sl_Status.NOT_JOINED}
        if self.network_up:
            return {"status": bt.sl_Status.INVALID_STATE}
        after.append(self._network_came_up)
        return {"status": OK}

    def cmd_formNetwork(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        if self.network_up:
            return {"status": bt.sl_Status.INVALID_STATE}
        self.memory.parameters = args["parameters"]
        self.memory.joined.clear()
        for device in self.air.virtual_devices.values():
            device.joined = False  # members of the old network, if any, are not of this one
        after.append(self._network_came_up)
        return {"status": OK}

    def _network_came_up(self) -> None:
        self.network_up = True
        self.air.extended_pan_id = t.ExtendedPanId(self.memory.parameters.extendedPanId)
        self.callback("stackStatusHandler", status=bt.sl_Status.NETWORK_UP)
        self._schedule_rejoins()

    def cmd_leaveNetwork(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        if not self.network_up:
            return {"status": bt.sl_Status.INVALID_STATE}
        self.network_up = False
        self.memory.parameters = None
        self.memory.joined.clear()
        for device in self.air.virtual_devices.values():
            device.joined = False
        after.append(lambda: self.callback("stackStatusHandler", status=bt.sl_Status.NETWORK_DOWN))
        return {"status": OK}

    def cmd_tokenFactoryReset(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        eui64 = self.memory.eui64
        self.memory = NcpMemory(eui64=eui64)
        return {}

    def cmd_getNetworkParameters(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        parameters = self.memory.parameters
        if not self.network_up or parameters is None:
            return {
                "status": bt.sl_Status.NOT_JOINED,
                "nodeType": bt.EmberNodeType.UNKNOWN_DEVICE,
                "parameters": bt.EmberNetworkParameters(
                    extendedPanId=bt.ExtendedPanId.convert("00:00:00:00:00:00:00:00"),
                    panId=0xFFFF,
                    radioTxPower=0,
                    radioChannel=0,
                    joinMethod=bt.EmberJoinMethod.USE_MAC_ASSOCIATION,
                    nwkManagerId=0,
                    nwkUpdateId=0,
                    channels=bt.Channels.NO_CHANNELS,
                ),
            }
        return {"status": OK, "nodeType": bt.EmberNodeType.COORDINATOR, "parameters": parameters}

    def cmd_getNodeId(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"nodeId": COORDINATOR_NWK if self.network_up else 0xFFFE}

    def cmd_getEui64(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"eui64": self.memory.eui64}

    def cmd_permitJoining(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        self.permit_durations.append(int(args["duration"]))
        self.permit_until = loop.time() + int(args["duration"])
        after.append(self._admit_waiting_devices)
        return {"status": OK}

    def cmd_startScan(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        channels = list(t.Channels(int(args["channelMask"])))
        if args["scanType"] == bt.EzspNetworkScanType.ENERGY_SCAN:
            after.append(lambda: self._energy_scan(channels))
        else:  # an active scan hears no other network here
            after.append(lambda: self.callback("scanCompleteHandler", channel=0, status=OK))
        return {"status": OK}

    def _energy_scan(self, channels: list[int]) -> None:
        for channel in channels:
            # The same interference the simulator's coordinator reports, as RSSI in dBm.
            energy = self.air.energy_by_channel.get(channel, 20 + (channel * 37) % 60)
            rssi = -90 + round(energy * 80 / 255)
            self.callback("energyScanResultHandler", channel=channel, maxRssiValue=rssi)
        self.callback("scanCompleteHandler", channel=0, status=OK)

    # -- security ----------------------------------------------------------------------------

    def cmd_setInitialSecurityState(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        state = args["state"]
        self.memory.network_key = bytes(state.networkKey)
        self.memory.network_key_seq = int(state.networkKeySequenceNumber)
        self.memory.tc_link_key = bytes(state.preconfiguredKey)
        return {"status": OK}

    def cmd_getCurrentSecurityState(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        bitmask = (
            bt.EmberCurrentSecurityBitmask.GLOBAL_LINK_KEY
            | bt.EmberCurrentSecurityBitmask.HAVE_TRUST_CENTER_LINK_KEY
        )
        state = bt.EmberCurrentSecurityState(
            bitmask=bitmask, trustCenterLongAddress=self.memory.eui64
        )
        return {"status": OK if self.network_up else bt.sl_Status.NOT_JOINED, "state": state}

    def cmd_exportKey(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        context = args["context"]
        kind = context.core_key_type
        if kind == bt.SecurityManagerKeyType.NETWORK:
            key = self.memory.network_key
        elif kind == bt.SecurityManagerKeyType.TC_LINK:
            key = self.memory.tc_link_key
        else:
            key = b""
        if len(key) != 16:
            return {
                "status": bt.sl_Status.NOT_FOUND,
                "key": bt.KeyData(bytes(16)),
                "context": context,
            }
        return {"status": OK, "key": bt.KeyData(key), "context": context}

    def cmd_getNetworkKeyInfo(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        info = bt.SecurityManagerNetworkKeyInfo(
            network_key_set=len(self.memory.network_key) == 16,
            alternate_network_key_set=False,
            network_key_sequence_number=self.memory.network_key_seq,
            alt_network_key_sequence_number=0,
            network_key_frame_counter=self.memory.nwk_frame_counter,
        )
        return {"status": OK, "network_key_info": info}

    def cmd_importTransientKey(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        self.transient_keys[args["eui64"]] = bytes(args["plaintext_key"])
        return {"status": OK}

    def cmd_clearTransientLinkKeys(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        self.transient_keys.clear()
        return {}

    def cmd_clearKeyTable(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        self.memory.link_keys.clear()
        return {"status": OK}

    def cmd_importLinkKey(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        self.memory.link_keys[args["address"]] = bytes(args["key"])
        return {"status": OK}

    def cmd_exportLinkKeyByIndex(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        entries = list(self.memory.link_keys.items())
        index = int(args["index"])
        context = bt.SecurityManagerContextV13(
            core_key_type=bt.SecurityManagerKeyType.APP_LINK,
            key_index=index,
            derived_type=bt.SecurityManagerDerivedKeyTypeV13.NONE,
            eui64=entries[index][0] if index < len(entries) else t.EUI64(bytes(8)),
            multi_network_index=0,
            flags=bt.SecurityManagerContextFlags.NONE,
            psa_key_alg_permission=0,
        )
        metadata = bt.SecurityManagerAPSKeyMetadata(
            bitmask=0, outgoing_frame_counter=0, incoming_frame_counter=0, ttl_in_seconds=0
        )
        if index >= len(entries):
            return {
                "status": bt.sl_Status.NOT_FOUND,
                "eui64": t.EUI64(bytes(8)),
                "context": context,
                "plaintext_key": bt.KeyData(bytes(16)),
                "key_data": metadata,
            }
        eui64, key = entries[index]
        return {
            "status": OK,
            "eui64": eui64,
            "context": context,
            "plaintext_key": bt.KeyData(key),
            "key_data": metadata,
        }

    def cmd_findKeyTableEntry(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        keys = list(self.memory.link_keys)
        return {"index": keys.index(args["address"]) if args["address"] in keys else 0xFF}

    def cmd_eraseKeyTableEntry(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        keys = list(self.memory.link_keys)
        index = int(args["index"])
        if index < len(keys):
            del self.memory.link_keys[keys[index]]
        return {"status": OK}

    # -- tables ------------------------------------------------------------------------------

    def cmd_getChildData(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {
            "status": bt.sl_Status.NOT_JOINED,
            "child_data": bt.EmberChildDataV10(
                eui64=t.EUI64(bytes(8)),
                type=bt.EmberNodeType.UNKNOWN_DEVICE,
                id=0xFFFF,
                phy=0,
                power=0,
                timeout=0,
                timeout_remaining=0,
            ),
        }

    def cmd_setChildData(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"status": OK}

    def cmd_getAddressTableInfo(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        entry = self.address_table.get(int(args["index"]))
        if entry is None:
            return {"status": bt.sl_Status.NOT_FOUND, "nwk": 0xFFFF, "eui64": t.EUI64(bytes(8))}
        return {"status": OK, "nwk": entry[1], "eui64": entry[0]}

    def cmd_getAddressTableRemoteNodeId(
        self, args: dict[str, Any], after: list[Any]
    ) -> dict[str, Any]:
        entry = self.address_table.get(int(args["addressTableIndex"]))
        return {"nodeId": 0xFFFF if entry is None else entry[1]}  # 0xFFFF: EMBER_NULL_NODE_ID

    def cmd_getAddressTableRemoteEui64(
        self, args: dict[str, Any], after: list[Any]
    ) -> dict[str, Any]:
        entry = self.address_table.get(int(args["addressTableIndex"]))
        return {"eui64": t.EUI64(bytes(8)) if entry is None else entry[0]}

    def cmd_replaceAddressTableEntry(
        self, args: dict[str, Any], after: list[Any]
    ) -> dict[str, Any]:
        index = int(args["addressTableIndex"])
        old_eui64, old_nwk = self.address_table.get(index, (t.EUI64(bytes(8)), 0xFFFF))
        self.address_table[index] = (args["newEui64"], int(args["newId"]))
        old_timeout = self.extended_timeouts.get(old_eui64, False)
        self.extended_timeouts[args["newEui64"]] = bool(args["newExtendedTimeout"])
        return {
            "status": OK,
            "oldEui64": old_eui64,
            "oldId": old_nwk,
            "oldExtendedTimeout": old_timeout,
        }

    def cmd_getExtendedTimeout(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        extended = self.extended_timeouts.get(args["remoteEui64"], False)
        # EZSP 14 turned the Boolean answer into a status: OK for extended, FAIL for normal.
        return {"extendedTimeout": extended, "status": OK if extended else bt.sl_Status.FAIL}

    def cmd_setExtendedTimeout(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        self.extended_timeouts[args["remoteEui64"]] = bool(args["extendedTimeout"])
        return {"status": OK}

    def cmd_lookupNodeIdByEui64(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        device = self.air.device_by_ieee(args["eui64"])
        if device is None or not device.joined:
            return {"status": bt.sl_Status.NOT_FOUND, "nodeId": 0xFFFF}
        return {"status": OK, "nodeId": int(device.nwk)}

    def cmd_lookupEui64ByNodeId(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        device = self.air.device(int(args["nodeId"]))
        if device is None or not device.joined:
            return {"status": bt.sl_Status.NOT_FOUND, "eui64": t.EUI64(bytes(8))}
        return {"status": OK, "eui64": device.ieee}

    def cmd_getMulticastTableEntry(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        entry = self.multicast.get(int(args["index"])) or bt.EmberMulticastTableEntry(
            multicastId=0, endpoint=0, networkIndex=0
        )
        return {"status": OK, "value": entry}

    def cmd_setMulticastTableEntry(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        self.multicast[int(args["index"])] = args["value"]
        return {"status": OK}

    def cmd_neighborCount(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"value": len(self._neighbours())}

    def _neighbours(self) -> list[VirtualDevice]:
        return [d for d in self.air.virtual_devices.values() if d.joined and d.mains_powered]

    def cmd_getNeighbor(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        neighbours = self._neighbours()
        index = int(args["index"])
        if index >= len(neighbours):
            entry = bt.EmberNeighborTableEntry(
                shortId=0xFFFF, averageLqi=0, inCost=0, outCost=0, age=0, longId=t.EUI64(bytes(8))
            )
            return {"status": bt.sl_Status.NOT_FOUND, "value": entry}
        device = neighbours[index]
        lqi = self.air.links[int(device.nwk)].lqi
        entry = bt.EmberNeighborTableEntry(
            shortId=int(device.nwk), averageLqi=lqi, inCost=1, outCost=1, age=3, longId=device.ieee
        )
        return {"status": OK, "value": entry}

    def cmd_setSourceRoute(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"status": OK}

    def cmd_gpSinkTableClearAll(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {}

    def cmd_gpClearProxyTable(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {}

    def cmd_removeDevice(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        device = self.air.device_by_ieee(args["targetLong"])
        if device is not None:
            device.joined = False
            self.memory.joined.discard(device.ieee)
        return {"status": OK}

    # -- messages ----------------------------------------------------------------------------

    def _next_aps_sequence(self) -> int:
        self.aps_sequence = (self.aps_sequence + 1) & 0xFF
        return self.aps_sequence

    def cmd_sendUnicast(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        nwk = int(_pick(args, "nwk", "indexOrDestination"))
        aps = _pick(args, "aps_frame", "apsFrame")
        tag = int(_pick(args, "message_tag", "messageTag"))
        message = bytes(_pick(args, "message", "messageContents"))
        if not self.network_up:
            return {"status": bt.sl_Status.NETWORK_DOWN, "sequence": 0}
        sequence = self._next_aps_sequence()
        aps = aps.replace(sequence=sequence)
        self.counters.bump("COUNTER_APS_DATA_TX_UNICAST_SUCCESS")
        after.append(lambda: self._unicast(nwk, aps, tag, message))
        return {"status": OK, "sequence": sequence}

    def _unicast(self, nwk: int, aps: Any, tag: int, message: bytes) -> None:
        message_type = bt.EmberOutgoingMessageType.OUTGOING_DIRECT
        if nwk == COORDINATOR_NWK:
            status = OK
            self._to_ourselves(aps, message)
        else:
            device = self.air.device(nwk)
            link = self.air.links.get(nwk)
            lost = link is not None and link.loss and self.air.rng.random() < link.loss
            if device is None or link is None or not device.joined or not link.up or lost:
                status = bt.sl_Status.ZIGBEE_DELIVERY_FAILED
            else:
                status = OK
                self.air.deliver(device, _packet(aps, COORDINATOR_NWK, nwk, message))
        self.callback(
            "messageSentHandler",
            status=status,
            message_type=message_type,
            nwk=nwk,
            aps_frame=aps,
            message_tag=tag,
            message=message,
        )

    def cmd_sendBroadcast(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        destination = int(args["destination"])
        aps = _pick(args, "aps_frame", "apsFrame")
        tag = int(_pick(args, "message_tag", "messageTag"))
        message = bytes(_pick(args, "message", "messageContents"))
        if not self.network_up:
            return {"status": bt.sl_Status.NETWORK_DOWN, "sequence": 0}
        sequence = self._next_aps_sequence()
        aps = aps.replace(sequence=sequence)
        after.append(lambda: self._broadcast(destination, aps, tag, message))
        return {"status": OK, "sequence": sequence}

    def _broadcast(self, destination: int, aps: Any, tag: int, message: bytes) -> None:
        for device in list(self.air.virtual_devices.values()):
            if device.joined and self.air.links[int(device.nwk)].up:
                self.air.deliver(device, _packet(aps, COORDINATOR_NWK, destination, message))
        if aps.profileId == 0 and aps.clusterId == zdo_t.ZDOCmd.Mgmt_Permit_Joining_req:
            duration = message[1] if len(message) > 1 else 0
            self.permit_until = asyncio.get_running_loop().time() + duration
            self._admit_waiting_devices()
        self.callback(
            "messageSentHandler",
            status=OK,
            message_type=bt.EmberOutgoingMessageType.OUTGOING_BROADCAST,
            nwk=destination,
            aps_frame=aps,
            message_tag=tag,
            message=message,
        )

    def cmd_sendMulticast(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"status": OK, "sequence": self._next_aps_sequence()}

    def cmd_sendReply(self, args: dict[str, Any], after: list[Any]) -> dict[str, Any]:
        return {"status": OK}

    def frame_heard(
        self,
        device: VirtualDevice,
        link: LinkState,
        src_ep: int,
        dst_nwk: int,
        dst_ep: int,
        cluster_id: int,
        profile: int,
        data: bytes,
    ) -> None:
        """A meter's frame reaches the stick: passed up unless the network is down."""
        if not self.network_up:
            return
        broadcast = cluster_id == zdo_t.ZDOCmd.Device_annce and src_ep == 0
        aps = bt.EmberApsFrame(
            profileId=profile,
            clusterId=cluster_id,
            sourceEndpoint=src_ep,
            destinationEndpoint=dst_ep,
            options=bt.EmberApsOption.APS_OPTION_NONE,
            groupId=0,
            sequence=self._aps_counter(int(device.nwk)),
        )
        self.counters.bump(
            "COUNTER_MAC_RX_BROADCAST" if broadcast else "COUNTER_APS_DATA_RX_UNICAST"
        )
        self.passed_up.append((int(device.nwk), int(aps.sequence), cluster_id, data))
        self.callback(
            "incomingMessageHandler",
            message_type=(
                bt.EmberIncomingMessageType.INCOMING_BROADCAST
                if broadcast
                else bt.EmberIncomingMessageType.INCOMING_UNICAST
            ),
            aps_frame=aps,
            nwk=int(device.nwk),
            eui64=device.ieee,
            binding_index=0xFF,
            address_index=0xFF,
            lqi=link.lqi,
            rssi=link.rssi,
            timestamp=0,
            message=data,
        )

    def _aps_counter(self, nwk: int) -> int:
        counter = (self._aps_counters.get(nwk, 0) + 1) & 0xFF
        self._aps_counters[nwk] = counter
        return counter

    # -- the coordinator's own ZDO -----------------------------------------------------------

    def _to_ourselves(self, aps: Any, message: bytes) -> None:
        """A unicast to our own node id. ZDO requests the stack supports are answered by the
        stack; the request itself goes up to the host when the application ZDO flags ask for
        it (bellows sets both: supported requests seen, unsupported ones handled by the host).
        Anything else loops back to the host as an incoming message from node 0x0000."""
        flags = self.config.get(bt.EzspConfigId.CONFIG_APPLICATION_ZDO_FLAGS, 0)
        if aps.profileId == 0 and aps.destinationEndpoint == 0:
            answered = self._answer_own_zdo(aps, message)
            if not (flags & (0x01 if answered else 0x02)):
                return
        self._loop_back(aps, message)

    def _loop_back(self, aps: Any, message: bytes) -> None:
        asyncio.get_running_loop().call_soon(
            lambda: self.callback(
                "incomingMessageHandler",
                message_type=bt.EmberIncomingMessageType.INCOMING_UNICAST,
                aps_frame=aps,
                nwk=COORDINATOR_NWK,
                eui64=self.memory.eui64,
                binding_index=0xFF,
                address_index=0xFF,
                lqi=255,
                rssi=0,
                timestamp=0,
                message=message,
            )
        )

    def _answer_own_zdo(self, aps: Any, message: bytes) -> bool:
        """ZDO requests to the coordinator are answered by the stack, not the host."""
        cmd = zdo_t.ZDOCmd
        ok = zdo_t.Status.SUCCESS
        try:
            command = cmd(aps.clusterId)
            tsn, args = zcl_io.parse_zdo(command, message)
        except (ValueError, KeyError):
            return False
        reply: tuple[Any, ...] | None = None
        if command == cmd.Node_Desc_req:
            reply = (cmd.Node_Desc_rsp, ok, COORDINATOR_NWK, self._node_descriptor())
        elif command == cmd.Active_EP_req:
            reply = (cmd.Active_EP_rsp, ok, COORDINATOR_NWK, sorted(self.endpoints))
        elif command == cmd.Simple_Desc_req:
            spec = self.endpoints.get(args[1])
            if spec is None:
                reply = (cmd.Simple_Desc_rsp, zdo_t.Status.NOT_ACTIVE, COORDINATOR_NWK, None)
            else:
                profile, device_type, device_version, ins, outs = spec
                reply = (
                    cmd.Simple_Desc_rsp,
                    ok,
                    COORDINATOR_NWK,
                    zdo_t.SizePrefixedSimpleDescriptor(
                        endpoint=args[1],
                        profile=profile,
                        device_type=device_type,
                        device_version=device_version,
                        input_clusters=ins,
                        output_clusters=outs,
                    ),
                )
        elif command == cmd.IEEE_addr_req:
            reply = (cmd.IEEE_addr_rsp, ok, self.memory.eui64, COORDINATOR_NWK, 0, 0, [])
        elif command == cmd.NWK_addr_req:
            reply = (cmd.NWK_addr_rsp, ok, self.memory.eui64, COORDINATOR_NWK, 0, 0, [])
        elif command == cmd.Mgmt_Lqi_req:
            table = [
                neighbour(d, self.air.links[int(d.nwk)].lqi, self.air.extended_pan_id)
                for d in self.air.virtual_devices.values()
                if d.joined
            ]
            start = args[0]
            reply = (
                cmd.Mgmt_Lqi_rsp,
                ok,
                zdo_t.Neighbors(
                    Entries=len(table), StartIndex=start, NeighborTableList=table[start : start + 3]
                ),
            )
        elif command == cmd.Mgmt_Rtg_req:
            reply = (
                cmd.Mgmt_Rtg_rsp,
                ok,
                zdo_t.Routes(Entries=0, StartIndex=args[0], RoutingTableList=[]),
            )
        elif command == cmd.Mgmt_NWK_Update_req:
            channels = list(args[0].ScanChannels)
            energies = [self.air.energy_by_channel.get(c, 20 + (c * 37) % 60) for c in channels]
            reply = (
                cmd.Mgmt_NWK_Update_rsp,
                ok,
                t.Channels.from_channel_list(channels),  # type: ignore[misc]
                16,
                0,
                energies,
            )
        if reply is None:
            return False
        response_cmd, *fields = reply
        data = zcl_io.zdo_frame(response_cmd, tsn, *fields)
        aps_reply = bt.EmberApsFrame(
            profileId=0,
            clusterId=int(response_cmd),
            sourceEndpoint=0,
            destinationEndpoint=0,
            options=bt.EmberApsOption.APS_OPTION_NONE,
            groupId=0,
            sequence=self._next_aps_sequence(),
        )
        self._loop_back(aps_reply, data)
        return True

    def _node_descriptor(self) -> zdo_t.NodeDescriptor:
        flags = zdo_t.NodeDescriptor.MACCapabilityFlags
        return zdo_t.NodeDescriptor(
            logical_type=zdo_t.LogicalType.Coordinator,
            complex_descriptor_available=0,
            user_descriptor_available=0,
            reserved=0,
            aps_flags=0,
            frequency_band=zdo_t.NodeDescriptor.FrequencyBand.Freq2400MHz,
            mac_capability_flags=flags.AllocateAddress
            | flags.RxOnWhenIdle
            | flags.MainsPowered
            | flags.FullFunctionDevice
            | flags.AlternatePanCoordinator,
            manufacturer_code=self.manufacturer_code,
            maximum_buffer_size=82,
            maximum_incoming_transfer_size=128,
            server_mask=0x0040 | 0x0001,  # network manager, primary trust centre
            maximum_outgoing_transfer_size=128,
            descriptor_capability_field=zdo_t.NodeDescriptor.DescriptorCapability.NONE,
        )

    # -- joining -----------------------------------------------------------------------------

    def _schedule_rejoins(self) -> None:
        """Meters commissioned on this network (or on the home's own HAN before) rejoin."""
        loop = asyncio.get_running_loop()
        for device in list(self.air.virtual_devices.values()):
            if device.joined and device.ieee in self.memory.joined:
                continue  # still on this network: nothing to announce
            if device.install_code is None or device.ieee in self.memory.joined:
                handle = loop.call_later(JOIN_DELAY_S, self._join, device, True)
                self._join_tasks.append(handle)

    def _admit_waiting_devices(self) -> None:
        """A device with an install code joins only while joining is open and only if the
        transient key the host imported for it is the one its install code hashes to."""
        from device_backend.link_keys import link_key_matches

        loop = asyncio.get_running_loop()
        if loop.time() > self.permit_until:
            return
        for device in list(self.air.virtual_devices.values()):
            if device.joined or device.install_code is None:
                continue
            key = self.transient_keys.get(device.ieee)
            if key is None or not link_key_matches(device.install_code, key):
                continue
            handle = loop.call_later(JOIN_DELAY_S, self._join, device, False)
            self._join_tasks.append(handle)

    def _join(self, device: VirtualDevice, rejoin: bool) -> None:
        if not self.network_up or device.joined:
            return
        device.joined = True
        device.network_key = self.memory.network_key
        self.memory.joined.add(device.ieee)
        self.callback(
            "trustCenterJoinHandler",
            newNodeId=int(device.nwk),
            newNodeEui64=device.ieee,
            status=(
                bt.EmberDeviceUpdate.STANDARD_SECURITY_SECURED_REJOIN
                if rejoin
                else bt.EmberDeviceUpdate.STANDARD_SECURITY_UNSECURED_JOIN
            ),
            policyDecision=(
                bt.EmberJoinDecision.NO_ACTION
                if rejoin
                else bt.EmberJoinDecision.USE_PRECONFIGURED_KEY
            ),
            parentOfNewNodeId=COORDINATOR_NWK,
        )
        device.announce()


def _pick(args: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in args:
            return args[name]
    raise KeyError(names[0])


def _packet(aps: Any, src: int, dst: int, message: bytes) -> t.ZigbeePacket:
    broadcast = dst >= 0xFFF8
    return t.ZigbeePacket(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=t.NWK(src)),
        src_ep=aps.sourceEndpoint,
        dst=t.AddrModeAddress(
            addr_mode=t.AddrMode.Broadcast if broadcast else t.AddrMode.NWK,
            address=t.BroadcastAddress(dst) if broadcast else t.NWK(dst),
        ),
        dst_ep=aps.destinationEndpoint,
        tsn=aps.sequence,
        profile_id=aps.profileId,
        cluster_id=aps.clusterId,
        data=t.SerializableBytes(message),
    )


def random_key() -> bytes:
    return os.urandom(16)

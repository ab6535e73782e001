"""Form, inspect, retune, back up and restore the HAN the dongle coordinates."""

from __future__ import annotations

import asyncio
import logging
import os
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import zigpy.backups
import zigpy.state
import zigpy.types as t
import zigpy.zdo.types as zdo_t

from device_backend import model
from device_backend.installer import backup_crypto, backup_format
from device_backend.installer.access import RadioAccess
from device_backend.installer.types import InstallerError, NetworkSummary, Progress, no_progress

LOGGER = logging.getLogger(__name__)
CHANNELS = range(11, 27)
BACKUP_FORMAT = backup_format.BACKUP_FORMAT
RESTART_TIMEOUT_S = 60.0


def _key(key: t.KeyData, partner: Any = None) -> zigpy.state.Key:
    fields: dict[str, Any] = {
        "key": key,
        "tx_counter": t.uint32_t(0),
        "rx_counter": t.uint32_t(0),
        "seq": t.uint8_t(0),
    }
    if partner is not None:
        fields["partner_ieee"] = partner
    return zigpy.state.Key(**fields)


class NetworkTools:
    def __init__(self, access: RadioAccess) -> None:
        self.access = access

    def summary(self) -> NetworkSummary:
        app = self.access.app()
        info = app.state.network_info
        return NetworkSummary(
            channel=int(info.channel),
            pan_id=int(info.pan_id),
            extended_pan_id=str(info.extended_pan_id),
            coordinator_ieee=str(app.state.node_info.ieee),
            nwk_update_id=int(info.nwk_update_id),
            devices=sum(1 for d in app.devices.values() if d.nwk != 0),
        )

    async def energy_scan(self, progress: Progress = no_progress) -> dict[int, int]:
        """Energy on each 2.4 GHz channel, 0-255 (higher is busier): Wi-Fi shows up here."""
        app = self.access.app()
        progress(None, "Scanning channels 11-26 for interference...")
        result = await self.access.guarded(
            "the energy scan",
            app.energy_scan(
                channels=t.Channels.from_channel_list(list(CHANNELS)),  # type: ignore[misc]
                duration_exp=4,
                count=1,
            ),
        )
        progress(1.0, "Scan complete.")
        return {int(ch): int(energy) for ch, energy in result.items()}

    @staticmethod
    def quietest(energies: dict[int, int]) -> int:
        """The quietest channel, preferring 15, 20 and 25 (between the usual Wi-Fi channels)."""
        return min(energies, key=lambda ch: (energies[ch] - (10 if ch in (15, 20, 25) else 0), ch))

    async def form(self, channel: int, progress: Progress = no_progress) -> NetworkSummary:
        """A brand-new HAN on `channel`: new PAN IDs and network key; devices must pair again."""
        if channel not in CHANNELS:
            raise InstallerError(
                f"Channel {channel} is not a 2.4 GHz ZigBee channel: choose 11 to 26."
            )
        app = self.access.app()
        progress(0.1, f"Writing new network settings (channel {channel}) to the dongle...")
        network_info = zigpy.state.NetworkInfo(
            extended_pan_id=t.ExtendedPanId(os.urandom(8)),
            pan_id=t.PanId(random.SystemRandom().randint(1, 0xFFF0)),
            nwk_update_id=t.uint8_t(0),
            nwk_manager_id=t.NWK(0),
            channel=t.uint8_t(channel),
            channel_mask=t.Channels.from_channel_list([channel]),  # type: ignore[misc]
            security_level=t.uint8_t(5),
            network_key=_key(t.KeyData(os.urandom(16))),
            # The well-known trust centre key: joining itself is protected by install codes.
            tc_link_key=_key(t.KeyData(b"ZigBeeAlliance09"), partner=app.state.node_info.ieee),
            children=[],
            key_table=[],
            nwk_addresses={},
            stack_specific={},
        )
        node_info = zigpy.state.NodeInfo(
            nwk=t.NWK(0), ieee=app.state.node_info.ieee, logical_type=zdo_t.LogicalType.Coordinator
        )
        await self.access.guarded(
            "forming the network",
            app.write_network_info(network_info=network_info, node_info=node_info),
        )
        await self.restart("New network formed; restarting the radio.", progress)
        return self.summary()

    async def change_channel(
        self, channel: int, progress: Progress = no_progress
    ) -> NetworkSummary:
        if channel not in CHANNELS:
            raise InstallerError(
                f"Channel {channel} is not a 2.4 GHz ZigBee channel: choose 11 to 26."
            )
        app = self.access.app()
        if int(app.state.network_info.channel) == channel:
            raise InstallerError(f"The network is already on channel {channel}.")
        progress(None, f"Telling every device to move to channel {channel}...")
        # Fewer repeats on the simulator, whose devices cannot miss a broadcast.
        repeats = 2 if getattr(self.access.backend.target, "simulated", False) else 5
        await self.access.guarded(
            "the channel change", app.move_network_to_channel(channel, num_broadcasts=repeats)
        )
        progress(1.0, f"The network is now on channel {channel}.")
        return self.summary()

    async def restart(self, reason: str, progress: Progress = no_progress) -> None:
        """Restart the radio stack so zigpy loads what was written to the dongle."""
        backend = self.access.backend
        went_down, came_up = asyncio.Event(), asyncio.Event()

        def watch(event: model.Event) -> None:
            if isinstance(event, model.Connection):
                if event.state is model.ConnectionState.OFFLINE:
                    went_down.set()
                elif event.state is model.ConnectionState.ONLINE and went_down.is_set():
                    came_up.set()

        unsubscribe = backend.on_event(watch)
        try:
            progress(0.5, "Restarting the radio with the new settings...")
            backend.connection_lost(reason)
            try:
                async with asyncio.timeout(RESTART_TIMEOUT_S):  # not wait_for (3.11 cancel race)
                    await came_up.wait()
            except TimeoutError:
                raise InstallerError(
                    "The radio did not come back after the restart: "
                    f"{backend.connection.reason or 'no reason given'}. Unplug the "
                    "dongle, plug it back in and check the network page."
                ) from None
        finally:
            unsubscribe()
        progress(1.0, "The radio is back online.")

    # -- backup and restore -----------------------------------------------------------

    async def backup(
        self,
        path: Path,
        passphrase: str,
        confirm: str,
        engineer: str,
        progress: Progress = no_progress,
    ) -> Path:
        backup_crypto.check_passphrase(passphrase, confirm)
        progress(0.2, "Reading the network settings and keys from the dongle...")
        snapshot, devices = await self._snapshot()
        document = backup_format.make_document(
            snapshot, devices, engineer, datetime.now(UTC).isoformat()
        )
        progress(0.6, "Encrypting the backup...")

        def seal() -> Path:  # a closure, so no executor's debug log prints the passphrase or keys
            return backup_crypto.write_sealed(Path(path), document, passphrase)

        written = await asyncio.get_running_loop().run_in_executor(None, seal)
        progress(1.0, f"Backup saved to {written.name}.")
        return written

    async def export_open_backup(
        self, path: Path, *, plain_text_keys: bool, progress: Progress = no_progress
    ) -> Path:
        """zigpy's open coordinator backup as plain JSON, for zigpy-cli or ZHA to restore.

        It holds the keys in clear text: refused unless `plain_text_keys` says the engineer
        has read backup_format.PLAIN_WARNING and wants it anyway.
        """
        if not plain_text_keys:
            raise backup_crypto.BackupError(backup_format.PLAIN_WARNING)
        progress(0.2, "Reading the network settings and keys from the dongle...")
        snapshot, _devices = await self._snapshot()

        def write() -> Path:  # as in backup(): no executor log holds the keys
            return backup_format.write_plain(Path(path), snapshot)

        written = await asyncio.get_running_loop().run_in_executor(None, write)
        LOGGER.warning("Wrote an UNENCRYPTED network backup (keys in plain text) to %s", written)
        progress(1.0, f"Unencrypted backup saved to {written.name}: delete it once used.")
        return written

    async def _snapshot(self) -> tuple[zigpy.backups.NetworkBackup, list[dict[str, Any]]]:
        app = self.access.app()
        snapshot = await self.access.guarded(
            "the backup", app.backups.create_backup(load_devices=True)
        )
        # Some radios hand back the coordinator's address as a plain int, which zigpy's JSON drops.
        snapshot = snapshot.replace(
            node_info=snapshot.node_info.replace(nwk=t.NWK(int(snapshot.node_info.nwk)))
        )
        # ... and other fields as plain ints, which the open coordinator format cannot
        # serialise: a pass through zigpy's own dict form gives every field its zigpy type.
        snapshot = zigpy.backups.NetworkBackup.from_dict(snapshot.as_dict())
        devices = [
            {"ieee": str(d.ieee), "nwk": int(d.nwk), "model": d.model or ""}
            for d in app.devices.values()
            if d.nwk != 0
        ]
        return snapshot, devices

    async def read_backup(
        self, path: Path, passphrase: str
    ) -> tuple[zigpy.backups.NetworkBackup, dict[str, Any]]:
        """Our sealed backup (version 1 or 2), or a plain open coordinator backup from
        zigpy-cli or ZHA (no passphrase needed: it has none)."""

        def unseal() -> dict[str, Any]:
            return backup_format.read_file(Path(path), passphrase)

        document = await asyncio.get_running_loop().run_in_executor(None, unseal)
        return backup_format.snapshot_of(document), document

    async def restore(
        self, path: Path, passphrase: str, progress: Progress = no_progress
    ) -> NetworkSummary:
        """Write a backup to this dongle (the same or a replacement); devices rejoin unpaired."""
        progress(0.1, "Decrypting the backup...")
        snapshot, document = await self.read_backup(path, passphrase)
        app = self.access.app()
        progress(0.3, "Writing the network settings and keys to the dongle...")
        await self.access.guarded("the restore", app.backups.restore_backup(snapshot))
        await self.restart("Network restored from a backup; restarting the radio.", progress)
        summary = self.summary()
        wanted = snapshot.network_info
        if summary.channel != int(wanted.channel) or summary.pan_id != int(wanted.pan_id):
            raise InstallerError(
                "The dongle restarted but does not show the restored network: try the "
                "restore again, or use another dongle."
            )
        progress(
            1.0,
            f"Restored: channel {summary.channel}, PAN ID {summary.pan_text}; "
            f"{len(document.get('devices', []))} device(s) in the backup rejoin by themselves.",
        )
        return summary

"""Network backups interoperate with zigpy's open coordinator backup (zigpy-cli, ZHA): ours
holds one that zigpy's own NetworkBackup.from_dict reads, a plain one restores onto our dongle,
and a plain export happens only when asked for in so many words."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest
import zigpy.backups
import zigpy.types as t

from device_backend.facade import Backend
from device_backend.installer import backup_crypto, backup_format
from device_backend.installer.service import InstallerService
from device_backend.installer.types import InstallerError
from tests.support.installer import on_service

PASSPHRASE = "correct horse battery"


async def _live(backend: Backend) -> zigpy.backups.NetworkBackup:
    """The dongle's network now, by zigpy's own backup (the simulator's radio reports some
    addresses as plain ints: zigpy's dict form gives them their zigpy types)."""
    backup = await backend.app.backups.create_backup(load_devices=True)
    return zigpy.backups.NetworkBackup.from_dict(backup.as_dict())


def _same_network(a: zigpy.backups.NetworkBackup, b: zigpy.backups.NetworkBackup) -> None:
    assert a.node_info.ieee == b.node_info.ieee
    assert a.network_info.channel == b.network_info.channel
    assert a.network_info.pan_id == b.network_info.pan_id
    assert a.network_info.extended_pan_id == b.network_info.extended_pan_id
    assert a.network_info.network_key.key == b.network_info.network_key.key
    assert a.network_info.tc_link_key.key == b.network_info.tc_link_key.key


def test_our_backup_holds_an_open_coordinator_backup_zigpy_reads(tmp_path: Path) -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        path = await service.network.backup(tmp_path / "han.gbbak", PASSPHRASE, PASSPHRASE, "ann")
        live = await _live(backend)
        document = backup_crypto.read_sealed(path, PASSPHRASE)
        assert (document["format"], document["version"]) == (backup_format.BACKUP_FORMAT, 2)
        inner = document["open_coordinator_backup"]
        assert inner["metadata"]["format"] == "zigpy/open-coordinator-backup"
        # zigpy's own reader, as zigpy-cli and ZHA restore it.
        _same_network(zigpy.backups.NetworkBackup.from_dict(inner), live)
        # And zigpy writes back what it read: the same open coordinator backup.
        again = zigpy.backups.NetworkBackup.from_open_coordinator_json(inner)
        assert again.as_open_coordinator_json() == inner
        assert {d["ieee"] for d in document["devices"]} == {
            str(backend.home.esme.ieee),
            str(backend.home.gas_proxy.ieee),
        }

    on_service(body)


def test_a_zigpy_cli_open_coordinator_backup_restores_onto_our_dongle(tmp_path: Path) -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        live = await _live(backend)
        # Another network, as zigpy-cli's `radio ... backup` writes it: zigpy's own
        # as_open_coordinator_json(), dumped as JSON.
        key = t.KeyData(bytes(range(0x10, 0x20)))
        other = live.replace(
            network_info=live.network_info.replace(
                channel=20,
                pan_id=t.PanId(0x4A21),
                extended_pan_id=t.ExtendedPanId.convert("aa:bb:cc:dd:ee:ff:00:11"),
                network_key=live.network_info.network_key.replace(key=key),
            )
        )
        path = tmp_path / "zigpy-cli-backup.json"
        path.write_text(json.dumps(other.as_open_coordinator_json(), indent=4), encoding="utf-8")
        before = service.network.summary()
        assert (before.channel, before.pan_id) != (20, 0x4A21)
        restored = await service.network.restore(path, "")  # a plain backup has no passphrase
        assert (restored.channel, restored.pan_id) == (20, 0x4A21)
        assert str(restored.extended_pan_id).lower() == "aa:bb:cc:dd:ee:ff:00:11"
        assert backend.app.state.network_info.network_key.key == key

    on_service(body)


def test_a_plain_export_needs_the_words_and_zigpy_reads_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "for-zha.json"

    async def body(backend: Backend, service: InstallerService) -> None:
        with pytest.raises(InstallerError, match="plain text"):
            await service.network.export_open_backup(path, plain_text_keys=False)
        assert not path.exists()
        with caplog.at_level(logging.WARNING):
            written = await service.network.export_open_backup(path, plain_text_keys=True)
        assert written == path
        live = await _live(backend)
        plain = json.loads(path.read_text(encoding="utf-8"))
        _same_network(zigpy.backups.NetworkBackup.from_dict(plain), live)
        # The same file restores through our own reader too (no passphrase).
        snapshot, document = await service.network.read_backup(path, "")
        _same_network(snapshot, live)
        assert document["format"] == backup_format.OPEN_FORMAT

    on_service(body)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["for-zha.json"]  # no temporary left
    assert any("UNENCRYPTED" in r.getMessage() for r in caplog.records)


def test_a_version_1_backup_of_ours_still_restores(tmp_path: Path) -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        live = await _live(backend)
        old = {
            "format": backup_format.BACKUP_FORMAT,
            "version": 1,
            "created": "2026-11-25T10:00:00+00:00",
            "engineer": "ann",
            "zigpy": live.as_dict(),
            "devices": [],
        }
        path = backup_crypto.write_sealed(tmp_path / "old.gbbak", old, PASSPHRASE)
        snapshot, _ = await service.network.read_backup(path, PASSPHRASE)
        _same_network(snapshot, live)

    on_service(body)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"metadata": {"format": "something else"}}', "neither a network backup"),
        (b"[1, 2, 3]", "neither a network backup"),
        (b"", "neither a network backup"),
    ],
)
def test_files_that_are_no_backup_are_refused_in_words(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "backup.json"
    path.write_bytes(content)
    with pytest.raises(backup_crypto.BackupError, match=reason):
        backup_format.read_file(path, "")


def test_an_open_backup_without_its_network_key_is_refused(tmp_path: Path) -> None:
    document = {
        "format": backup_format.OPEN_FORMAT,
        "open_coordinator_backup": {"metadata": {"format": backup_format.OPEN_FORMAT}},
    }
    with pytest.raises(backup_crypto.BackupError, match="incomplete or damaged"):
        backup_format.snapshot_of(document)

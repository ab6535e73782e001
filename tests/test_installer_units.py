"""The installer's pure parts: install codes, accounts, audit redaction, backup crypto, pcap, words."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from device_backend.installer import backup_crypto
from device_backend.installer.accounts import REFUSED, Accounts, SignInError
from device_backend.installer.audit import AuditLog, redact
from device_backend.installer.diagnostics import project_battery, status_words
from device_backend.installer.firmware import FirmwareError, build_image, read_image
from device_backend.installer.install_codes import (
    InstallCodeError,
    code_bytes,
    format_code,
    make_install_code,
    parse_eui64,
    parse_pairing,
)
from device_backend.installer.pcap import Frame, PcapWriter
from device_backend.installer.storage import open_database

EUI = "00:1e:5e:09:02:b0:00:11"


@pytest.mark.parametrize("body_bytes", [6, 8, 12, 16])
def test_every_install_code_length_zigpy_accepts_is_accepted(body_bytes: int) -> None:
    code = make_install_code(bytes(range(1, body_bytes + 1)))
    paired = parse_pairing(EUI, format_code(code))
    assert paired.ieee == EUI
    assert len(paired.link_key) == 16
    assert paired.code_length == body_bytes + 2


def test_a_bad_install_code_is_refused_saying_exactly_what_is_wrong() -> None:
    good = format_code(make_install_code(bytes(range(16))))
    with pytest.raises(InstallCodeError, match="CRC") as crc:
        parse_pairing(EUI, good[:-1] + ("0" if good[-1] != "0" else "1"))
    assert good.replace(" ", "")[:8] not in str(crc.value)  # the message never repeats the code
    with pytest.raises(InstallCodeError, match="odd number of digits"):
        code_bytes(good[:-1])
    with pytest.raises(InstallCodeError, match="it must have 16, 20, 28, 36"):
        code_bytes(good[:-5])
    with pytest.raises(InstallCodeError, match=r"not O.*try zero"):
        code_bytes("O" + good[1:])
    with pytest.raises(InstallCodeError, match="16 hex digits; this one has 15"):
        parse_eui64("00:1e:5e:09:02:b0:00:1")
    with pytest.raises(InstallCodeError, match="not a format we know"):
        parse_pairing("", "Z:0011|nothing")


def test_qr_text_gives_the_same_key_as_the_typed_code() -> None:
    code = make_install_code(bytes(range(16)))
    qr = f"Z:{EUI.replace(':', '').upper()}$I:{code.hex().upper()}"
    assert parse_pairing("", qr).link_key == parse_pairing(EUI, code.hex()).link_key
    with pytest.raises(InstallCodeError, match="different EUI-64"):
        parse_pairing("00:1e:5e:09:02:b0:00:99", qr)


@given(st.binary(min_size=16, max_size=16), st.integers(0, 17), st.integers(1, 255))
def test_any_single_digit_change_is_caught(body: bytes, position: int, flip: int) -> None:
    code = bytearray(make_install_code(body))
    code[position] ^= flip
    with pytest.raises(InstallCodeError):
        parse_pairing(EUI, bytes(code).hex())


def test_accounts_keep_salted_hashes_and_lock_out_guessing(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 12, 9, 0, tzinfo=UTC)]
    db = open_database(tmp_path / "data")
    accounts = Accounts(db, now=lambda: now[0])
    assert not accounts.any()
    with pytest.raises(SignInError, match="at least 10"):
        accounts.create("bob", "Bob", "short", "short")
    accounts.create("bob", "Bob", "a good long secret", "a good long secret")
    accounts.create("carol", "Carol", "a good long secret", "a good long secret")
    rows = {r["username"]: r for r in db["engineers"].rows}
    assert rows["bob"]["hash"] != rows["carol"]["hash"]  # salted: same password, different hashes
    assert b"a good long secret" not in (tmp_path / "data" / "installer.db").read_bytes()
    assert (tmp_path / "data").stat().st_mode & 0o077 == 0
    assert (tmp_path / "data" / "installer.db").stat().st_mode & 0o077 == 0
    for _ in range(5):  # the same words as for an unknown name: no count of tries left
        with pytest.raises(SignInError) as wrong:
            accounts.sign_in("bob", "wrong guess!!")
        assert str(wrong.value) == REFUSED
    with pytest.raises(SignInError) as locked:
        accounts.sign_in("bob", "a good long secret")
    assert str(locked.value) == REFUSED
    assert "locked for 15 minutes" in REFUSED
    now[0] += timedelta(minutes=16)
    assert accounts.sign_in("bob", "a good long secret").username == "bob"


def test_the_audit_log_stars_out_keys_and_codes_but_keeps_eui64s(tmp_path: Path) -> None:
    code = format_code(make_install_code(bytes(range(16))))
    assert code.replace(" ", "") not in redact(f"paired {EUI} with {code}")
    assert EUI in redact(f"paired {EUI} with {code}")
    log = AuditLog(open_database(tmp_path / "d"))
    log.record("alice", "pairing", f"code {code} key 00112233445566778899aabbccddeeff")
    exported = log.export(tmp_path / "audit.jsonl").read_text()
    assert "00112233445566778899aabbccddeeff" not in exported
    assert "alice" in exported
    assert (tmp_path / "audit.jsonl").stat().st_mode & 0o077 == 0


def test_backups_are_sealed_and_refuse_wrong_passphrases_and_tampering(tmp_path: Path) -> None:
    document = {"format": "x", "network_key": "00112233445566778899aabbccddeeff"}
    path = backup_crypto.write_sealed(tmp_path / "b.gbbak", document, "correct horse battery")
    data = path.read_bytes()
    assert b"0011223344" not in data
    assert backup_crypto.read_sealed(path, "correct horse battery") == document
    with pytest.raises(backup_crypto.BackupError, match="Wrong passphrase"):
        backup_crypto.read_sealed(path, "incorrect horse battery")
    tampered = bytearray(data)
    tampered[-1] ^= 1
    with pytest.raises(backup_crypto.BackupError, match="changed or damaged"):
        backup_crypto.open_sealed(bytes(tampered), "correct horse battery")
    with pytest.raises(backup_crypto.BackupError, match="not a network backup"):
        backup_crypto.open_sealed(b"PK\x03\x04 a zip file", "correct horse battery")
    with pytest.raises(backup_crypto.BackupError, match="at least 12"):
        backup_crypto.seal(document, "short")


def test_pcap_frames_carry_mac_nwk_aps_and_the_zcl_bytes(tmp_path: Path) -> None:
    writer = PcapWriter(tmp_path / "x.pcap", pan_id=0x1A62)
    zcl = bytes([0x18, 0x01, 0x0A, 0x00, 0x04, 0x2A, 0x10, 0x00, 0x00])
    writer.write(
        Frame(datetime(2026, 1, 12, tzinfo=UTC), 0x1001, 0x0000, 0x0109, 0x0702, 1, 1, zcl)
    )
    writer.close()
    data = (tmp_path / "x.pcap").read_bytes()
    magic, _, _, _, _, _, linktype = struct.unpack("<IHHiIII", data[:24])
    assert (magic, linktype) == (0xA1B2C3D4, 230)
    _, _, length, _ = struct.unpack("<IIII", data[24:40])
    body = data[40 : 40 + length]
    assert struct.unpack("<H", body[3:5])[0] == 0x1A62  # destination PAN
    assert body[9:11] == struct.pack("<H", 0x0008)  # NWK: data, version 2, no security
    aps = body[17:25]
    assert aps[0] == 0x00
    assert struct.unpack("<HH", aps[2:6]) == (0x0702, 0x0109)
    assert body.endswith(zcl)
    assert (tmp_path / "x.pcap").stat().st_mode & 0o777 == 0o600  # the household's readings


def test_status_bits_and_battery_in_words() -> None:
    assert status_words(0) == []
    assert status_words(0b0100_1000) == ["power failure", "service disconnect open (supply off)"]
    assert status_words(0b1001_0000, gas=True) == ["low pressure", "reverse flow"]
    now = datetime(2026, 1, 12, tzinfo=UTC)
    assert project_battery(now, 4000).verdict.startswith("Battery fine")
    assert project_battery(now, 100).verdict.startswith("Battery low")
    fast = project_battery(now, 3000, [(now - timedelta(days=10), 3030), (now, 3000)])
    assert fast.daily_drain_days == 3.0
    assert "faster than normal" in fast.verdict


def test_ota_files_are_read_or_refused_with_a_reason(tmp_path: Path) -> None:
    good = tmp_path / "good.ota"
    good.write_bytes(
        build_image(manufacturer_id=0x1234, image_type=1, file_version=0x202, payload=b"x" * 100)
    )
    info, image = read_image(good)
    assert (info.manufacturer_id, info.file_version, info.size) == (
        0x1234,
        0x202,
        len(good.read_bytes()),
    )
    assert image.firmware is not None
    truncated = tmp_path / "cut.ota"
    truncated.write_bytes(good.read_bytes()[:80])
    with pytest.raises(FirmwareError, match="truncated or damaged"):
        read_image(truncated)
    with pytest.raises(FirmwareError, match="There is no file"):
        read_image(tmp_path / "missing.ota")

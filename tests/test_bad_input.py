"""Issue 10 (B): every field a person types gets a clear message and changes nothing already stored.

Only the gaps left by the existing tests are here (see the issue's report for the full list):
an EUI-64 typed in the installer, connection targets, the installer's --target, a backup
saved to a folder that is not there, channel numbers, attribute values, device names holding
an install code, and a hand-edited display settings file with values out of range or of the
wrong kind. Each test compares what is stored before and after.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from device_backend.facade import (
    Backend,
    Target,
    TargetError,
    describe_connection_error,
    parse_target,
)
from device_backend.installer.install_codes import (
    InstallCodeError,
    format_code,
    make_install_code,
    parse_eui64,
)
from device_backend.installer.service import InstallerService
from device_backend.installer.storage import open_database
from device_backend.installer.types import ClusterRef, InstallerError
from tests.support.installer import on_service

BASIC = 0x0000


def network_state(backend: Backend) -> tuple[Any, ...]:
    info = backend.app.state.network_info
    return (
        int(info.channel),
        int(info.pan_id),
        str(info.extended_pan_id),
        bytes(info.network_key.key),
        sorted(str(ieee) for ieee, d in backend.app.devices.items() if d.nwk != 0),
    )


def tables(db: Any) -> dict[str, list[dict[str, Any]]]:
    return {name: list(db.table(name).rows) for name in ("engineers", "device_names")}


# -- EUI-64 typed in the installer --------------------------------------------------------------


@pytest.mark.security
@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Enter the device's EUI-64"),
        ("   ", "Enter the device's EUI-64"),
        ("00:1e:5e:09:02:b0:00:zz", "only hold hex digits 0-9 and A-F, not z"),
        ("00:1E:5E:09:O2:B0:00:11", "not O"),
        ("00:1e:5e:09:02:b0:00:11:22", "16 hex digits; this one has 18"),
        ("00 00 00 00 00 00 00 00", "placeholder"),
        ("FF-FF-FF-FF-FF-FF-FF-FF", "placeholder"),
    ],
)
def test_a_mistyped_eui64_is_refused_in_words(typed: str, words: str) -> None:
    with pytest.raises(InstallCodeError, match=words):
        parse_eui64(typed)


@pytest.mark.security
def test_a_well_formed_eui64_of_no_device_here_changes_nothing_stored(tmp_path: Path) -> None:
    db = open_database(tmp_path / "installer")

    async def body(backend: Backend, service: InstallerService) -> None:
        before = network_state(backend), tables(db)
        nobody = "00:1e:5e:09:02:b0:00:99"
        code = make_install_code(bytes(range(16)))
        from device_backend.installer.install_codes import parse_pairing

        with pytest.raises(InstallerError, match="did not join within 1 s"):
            await service.pairing.pair(
                parse_pairing(nobody, format_code(code)), lambda s: None, window_s=1
            )
        with pytest.raises(
            InstallerError, match="is not on this network: pair it first, or check the EUI-64"
        ):
            await service.clusters.read_all(nobody, ClusterRef(1, BASIC, "Basic", True))
        with pytest.raises(InstallerError, match="is not on this network"):
            await service.health.run(nobody, "alice", observe_s=1)
        assert (network_state(backend), tables(db)) == before
        assert nobody not in {r.ieee for r in service.inventory.rows()}

    try:
        on_service(body, db=db)
    finally:
        db.close()


# -- connection targets (serial ports) -------------------------------------------------------


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "'' is not a connection target: use sim:SCENARIO"),
        ("COM99", "'COM99' is not a connection target: use sim:SCENARIO .* or RADIO:PORT"),
        ("/dev/nonexistent", "is not a connection target"),
        ("ezsp:", "'ezsp:' is not a connection target"),
        ("sim:", "'sim:' is not a connection target"),
        (":COM99", "unknown radio type ''"),
        ("usb:/dev/ttyUSB0", "unknown radio type 'usb': use sim or one of ezsp"),
    ],
)
def test_a_connection_target_that_cannot_be_used_says_why(typed: str, words: str) -> None:
    with pytest.raises(TargetError, match=words):
        parse_target(typed)


@pytest.mark.reliability
def test_a_port_that_is_not_there_or_not_allowed_is_named_in_words() -> None:
    for port in ("COM99", "/dev/nonexistent"):
        target = parse_target(f"ezsp:{port}")
        assert describe_connection_error(FileNotFoundError(2, "No such file"), target) == (
            f"No ZigBee dongle found at {port}. Check it is plugged in."
        )
        assert "dialout" in describe_connection_error(
            PermissionError(13, "Permission denied"), target
        )
        assert "did not answer" in describe_connection_error(TimeoutError(), target)
        wrapped = RuntimeError("serial open failed")
        wrapped.__cause__ = FileNotFoundError(2, "No such file")
        assert describe_connection_error(wrapped, target).startswith(
            f"No ZigBee dongle found at {port}"
        )
    with pytest.raises(TargetError, match="flow control must be"):
        parse_target("ezsp:/dev/ttyUSB0", flow_control="xon")
    assert parse_target("ezsp:/dev/ttyUSB0", baudrate=57600) == Target(
        "ezsp", "/dev/ttyUSB0", 57600
    )


@pytest.mark.reliability
def test_an_unknown_scenario_names_the_file_and_the_ones_shipped() -> None:
    from device_backend.simulator.scenario import ScenarioError

    with pytest.raises(ScenarioError, match=r"no such scenario file .*credit-dual-fuel"):
        Backend("sim:no-such-home")


@pytest.mark.reliability
def test_an_empty_installer_target_is_refused_not_quietly_the_simulator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from installer_tool.cli import build_parser, target_of

    args = build_parser().parse_args(["--target", ""])
    with pytest.raises(TargetError, match="is not a connection target"):
        parse_target(target_of(args))
    assert target_of(build_parser().parse_args([])) == "sim:credit-dual-fuel"
    for bad in (["--speed", "0"], ["--speed", "fast"], ["--size", "10x10"], ["--size", "big"]):
        with pytest.raises(SystemExit):
            build_parser().parse_args(bad)
        assert "ihd-installer: error: argument" in capsys.readouterr().err


# -- backups, channels and attribute values on the simulated HAN -------------------------------


@pytest.mark.reliability
def test_a_backup_that_cannot_be_written_says_so_and_leaves_no_file(tmp_path: Path) -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        before = network_state(backend)
        nowhere = tmp_path / "no such folder" / "han.gbbak"
        with pytest.raises(InstallerError, match=r"Could not save the backup .*no such folder"):
            await service.network.backup(
                nowhere, "correct horse battery", "correct horse battery", "alice"
            )
        with pytest.raises(InstallerError, match="passphrases differ"):
            await service.network.backup(
                tmp_path / "a.gbbak", "correct horse battery", "correct horse batery", "alice"
            )
        with pytest.raises(InstallerError, match="at least 12 characters"):
            await service.network.backup(tmp_path / "b.gbbak", "short", "short", "alice")
        with pytest.raises(InstallerError, match="There is no file at"):
            await service.network.restore(tmp_path / "missing.gbbak", "correct horse battery")
        (tmp_path / "junk.gbbak").write_bytes(b"not a backup")
        with pytest.raises(
            InstallerError, match="neither a network backup made by this toolkit nor a zigpy open"
        ):
            await service.network.restore(tmp_path / "junk.gbbak", "correct horse battery")
        assert network_state(backend) == before
        # A listing of a test's own temporary folder: blocking for microseconds, and nothing else runs.
        assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.gbbak"]  # noqa: ASYNC240

    on_service(body)


@pytest.mark.reliability
def test_a_channel_outside_11_to_26_or_the_current_one_is_refused(tmp_path: Path) -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        before = network_state(backend)
        for channel in (0, 10, 27, -1):
            with pytest.raises(
                InstallerError,
                match=f"Channel {channel} is not a 2.4 GHz ZigBee channel: choose 11 to 26",
            ):
                await service.network.form(channel)
            with pytest.raises(InstallerError, match="choose 11 to 26"):
                await service.network.change_channel(channel)
        with pytest.raises(InstallerError, match=f"already on channel {before[0]}"):
            await service.network.change_channel(before[0])
        assert network_state(backend) == before

    on_service(body)


@pytest.mark.reliability
def test_an_attribute_value_of_the_wrong_kind_is_refused_and_nothing_is_sent() -> None:
    async def body(backend: Backend, service: InstallerService) -> None:
        esme = backend.home.esme
        basic = ClusterRef(1, BASIC, "Basic", True)
        before = dict(esme.attributes[(1, BASIC)])
        for name, typed, words in (
            ("device_enabled", "maybe", "is not"),
            ("physical_env", "lots", "is not"),
            ("physical_env", "99999", "is not"),
            ("no_such_attribute", "1", "no attribute"),
        ):
            with pytest.raises(InstallerError, match=words) as refused:
                await service.clusters.write(str(esme.ieee), basic, name, typed)
            assert "Nothing was sent" in str(refused.value) or "no attribute" in str(refused.value)
        assert esme.attributes[(1, BASIC)] == before

    on_service(body)


@pytest.mark.security
def test_a_device_name_or_location_never_stores_an_install_code(tmp_path: Path) -> None:
    from device_backend.installer.inventory import Names

    db = open_database(tmp_path / "installer")
    try:
        code = format_code(make_install_code(bytes(range(16))))
        names = Names(db)
        names.set("00:1e:5e:09:02:b0:00:11", "ESME", f"cupboard, code {code}")
        names.set("00:1e:5e:09:02:b0:00:12", f"IHD {code.replace(' ', '')}", "kitchen")
        stored = json.dumps(tables(db)["device_names"]) + repr(
            Names(db).get("00:1e:5e:09:02:b0:00:11")
        )
        stored += repr(names.get("00:1e:5e:09:02:b0:00:12"))
        for spelling in (code, code.replace(" ", ""), code.replace(" ", "")[:32]):
            assert spelling.lower() not in stored.lower()
        assert names.get("00:1e:5e:09:02:b0:00:11")[0] == "ESME"
        assert "cupboard" in stored
        assert "kitchen" in stored
    finally:
        db.close()


# -- the display's settings file, edited by hand ------------------------------------------------


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ({"brightness": 500}, {"brightness": 100}),
        ({"brightness": 1}, {"brightness": 20}),
        ({"brightness": "high"}, {"brightness": 100}),
        ({"brightness": None}, {"brightness": 100}),
        (
            {"text_size": "huge", "language": "fr", "scan_seconds": 7, "alert_style": "siren"},
            {"text_size": "normal", "language": "", "scan_seconds": 2.0, "alert_style": "banner"},
        ),
        (
            {"pounds_first": "no", "high_contrast": "yes", "dim_when_idle": 0},
            {"pounds_first": True, "high_contrast": False, "dim_when_idle": True},
        ),
    ],
)
def test_a_hand_edited_setting_out_of_range_is_put_back_not_a_crash(
    tmp_path: Path, written: dict[str, Any], expected: dict[str, Any]
) -> None:
    from ihd_app.settings import SettingsFile, with_pin

    path = tmp_path / "settings.json"
    keep = with_pin(__import__("ihd_app.settings", fromlist=["Settings"]).Settings(), "2468")
    SettingsFile(path).save(keep)
    raw = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**raw, **written}), encoding="utf-8")
    text_before = path.read_text(encoding="utf-8")
    loaded = SettingsFile(path).load()
    for name, value in expected.items():
        assert getattr(loaded, name) == value, name
    assert loaded.pin_hash == keep.pin_hash  # one bad value does not lose the installer PIN
    assert path.read_text(encoding="utf-8") == text_before  # reading never rewrites the file


@pytest.mark.reliability
@pytest.mark.parametrize("content", ["[1, 2]", '"brightness"', "null", "{", ""])
def test_a_settings_file_that_is_not_settings_gives_the_defaults(
    tmp_path: Path, content: str
) -> None:
    from ihd_app.settings import Settings, SettingsFile

    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    assert SettingsFile(path).load() == Settings()
    assert path.read_text(encoding="utf-8") == content

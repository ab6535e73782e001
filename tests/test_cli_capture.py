"""`ihd-cli capture` writes the simulated HAN's traffic as a pcap that tshark decodes as
ZigBee Smart Energy, every frame, none malformed (the Diagnostics tab's capture, headless)."""

from __future__ import annotations

import io
import shutil
import stat
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from device_backend.cli import main

LINKTYPE_IEEE802_15_4_NOFCS = 230  # tcpdump.org link-layer header types


def test_capture_writes_a_pcap_tshark_decodes_as_smart_energy(tmp_path: Path) -> None:
    path = tmp_path / "han.pcap"
    out = io.StringIO()
    code = main(
        ["capture", "--scenario", "prepay-low-credit", "--for", "20m", "--out", str(path)], out
    )
    assert code == 0
    said = out.getvalue()
    assert said.startswith("Captured ")
    assert f"frames of prepay-low-credit until 2026-01-12 07:20 UTC to {path}" in said
    frames = int(said.split()[1])
    assert frames > 20
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the household's readings
    data = path.read_bytes()
    assert int.from_bytes(data[0:4], "little") == 0xA1B2C3D4  # pcap, microsecond times
    assert int.from_bytes(data[20:24], "little") == LINKTYPE_IEEE802_15_4_NOFCS

    tshark = shutil.which("tshark")
    if tshark is None:
        pytest.skip("tshark is not installed (.ci/run installs it); the pcap header was checked")
    summary = subprocess.run(
        [tshark, "-r", str(path), "-T", "fields", "-e", "frame.protocols"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(summary) == frames  # tshark read every frame we said we wrote
    # Every frame is 802.15.4 carrying ZigBee NWK and APS, then ZCL or ZDP: none undecoded.
    assert all(p.startswith("wpan:zbee_nwk:zbee_aps:") for p in summary), Counter(summary)
    assert all(p.endswith((":zbee_zcl", ":zbee_zdp")) or ":zbee_zcl_" in p for p in summary)
    detail = subprocess.run(
        [tshark, "-r", str(path), "-V"], capture_output=True, text=True, check=True
    ).stdout
    assert "Malformed" not in detail
    assert "Profile: Smart Energy (0x0109)" in detail
    assert "Simple Metering (0x0702)" in detail
    assert "Pre-Payment (0x0705)" in detail
    assert "Price (0x0700)" in detail
    # Issue 17: money as GB meters send it, read by Wireshark's own dissector: Currency 826
    # (ISO 4217 GBP, 0x033a) everywhere, and five decimals of a pound (trailing digit 5) both
    # in PublishPrice (the high nibble beside the tier) and in the tariff commands' own field.
    assert "Currency: 0x033a" in detail
    assert all(
        line.strip() == "Currency: 0x033a"
        for line in detail.splitlines()
        if line.strip().startswith("Currency: ")
    )
    assert "0101 .... = Trailing Digit: 0x5" in detail  # PublishPrice
    assert "0101 .... = Price Trailing Digit: 5" in detail


def test_capture_into_a_missing_folder_is_refused_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "no such folder" / "han.pcap"
    assert main(["capture", "--for", "1m", "--out", str(path)], io.StringIO()) == 2
    assert f"there is no folder {path.parent}" in capsys.readouterr().err
    assert not path.parent.exists()

"""Secrets stay secret: redaction, private files, masked codes."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from device_backend import logs, paths
from device_backend.utrn import mask_utrn

pytestmark = pytest.mark.security

NETWORK_KEY = "2c:1f:6e:9a:44:b0:13:77:ee:5a:90:c2:31:8d:0f:64"
UTRN = "73942983744751930738"


def test_keys_codes_and_utrns_are_redacted_from_log_messages(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("test.redaction")
    logger.addFilter(logs.RedactingFilter())
    with caplog.at_level(logging.DEBUG, logger="test.redaction"):
        logger.warning("network key %s", NETWORK_KEY)
        logger.warning("key %s", NETWORK_KEY.replace(":", ""))
        logger.warning("top-up %s", UTRN)
        logger.warning("top-up %s", "7394 2983 7447 5193 0738")
        logger.warning("install code 83FE D340 7A93 9723 A5C6 39B2 6916 D505 C3B5")
    text = caplog.text
    assert NETWORK_KEY not in text
    assert NETWORK_KEY.replace(":", "") not in text
    assert UTRN not in text
    assert "7447 5193" not in text
    assert "83FE D340" not in text
    assert text.count("redacted") == 5


def test_the_data_directory_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IHD_DATA_DIR", str(tmp_path / "data"))
    directory = paths.data_dir()
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    db = paths.zigpy_database("ezsp:/dev/ttyUSB0")
    assert db.parent == directory
    assert db.name == "zigbee-ezsp-dev-ttyUSB0.db"
    db.write_text("{}")
    os.chmod(db, 0o644)
    paths.make_private(db)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_masked_utrn_keeps_only_its_last_four_digits() -> None:
    masked = mask_utrn(UTRN)
    assert masked.endswith("0738")
    assert sum(c.isdigit() for c in masked) == 4

"""Issue 10 (A): the network key, link keys and install codes never leave the places meant to hold them.

An engineer's day on the simulated HAN, through the installer back end and the same Operation
wrapper the screens use (so the audit entries are the real ones): sign in, capture the air,
scan and form a new network, pair devices with their install codes (one wrong code first),
back the network up, run every diagnostic, save the health report and the survey job report,
export the audit log. Logging is the shipped set-up (logs.configure()) with its handler pointed
at a file. Then every byte written under tmp_path is searched for every secret in every spelling
we can think of; the only file allowed to hold keys is zigpy's own database, and even it may not
hold an install code. Files holding keys must be 0600 in a 0700 folder.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import re
import stat
import struct
import sys
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import installer_tool  # noqa: F401 - pins the Qt binding
from device_backend import logs, paths
from device_backend.facade import Backend
from device_backend.installer import backup_crypto
from device_backend.installer.install_codes import (
    InstallCodeError,
    make_install_code,
    parse_pairing,
)
from device_backend.installer.service import InstallerService
from device_backend.installer.types import InstallerError
from device_backend.utrn import issue_utrn
from installer_tool.operation import Operation
from installer_tool.session import Session
from tests.support.loops import run

pytestmark = pytest.mark.security

SCENARIO = "credit-dual-fuel"
PASSWORD = "a long enough secret"
PASSPHRASE = "correct horse battery staple"


def _png() -> bytes:
    """A valid 1x1 grey PNG for the survey's photograph."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


PNG = _png()
WELL_KNOWN_TC_KEY = b"ZigBeeAlliance09"  # public by design: joining is protected by install codes


# -- every spelling of a secret ------------------------------------------------------------------


def spellings(secret: bytes) -> set[bytes]:
    """Raw bytes, base64 and hex in both byte orders, any separator, grouped in 2s or 4s (lowercased:
    the haystack is lowercased too, so upper and lower case are both covered)."""
    out: set[bytes] = set()
    for value in (secret, secret[::-1]):
        out.add(value)
        out.add(base64.b64encode(value).lower())
        text = value.hex()
        pairs = [text[i : i + 2] for i in range(0, len(text), 2)]
        quads = [text[i : i + 4] for i in range(0, len(text), 4)]
        for sep in ("", ":", " ", "-", ", 0x", "\\x"):
            out.add(sep.join(pairs).encode())
        for sep in (" ", "-"):
            out.add(sep.join(quads).encode())
    return out


def found_in(data: bytes, secret: bytes) -> list[bytes]:
    lowered = data.lower()
    hits = []
    for needle in spellings(secret):
        haystack = data if needle in (secret, secret[::-1]) else lowered
        if needle in haystack:
            hits.append(needle)
    return hits


def text_found_in(data: bytes, secret: str) -> bool:
    return secret.lower().encode() in data.lower()


def files_under(root: Path) -> Iterable[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- the shipped logging, to a file ---------------------------------------------------------------


class ShippedLogging:
    """logs.configure() exactly as the applications call it; its own handler writes to `path`."""

    def __init__(self, path: Path, level: int = logging.INFO) -> None:
        self.path = path
        root = logging.getLogger()
        self._saved = (
            root.level,
            {n: logging.getLogger(n).level for n in ("zigpy", "bellows", "aiosqlite", "asyncio")},
        )
        before = list(root.handlers)
        logs.configure(level)
        if level < logging.INFO:  # someone debugging turns the radio stack up as well
            for name in self._saved[1]:
                logging.getLogger(name).setLevel(level)
        added = [h for h in root.handlers if h not in before]
        assert len(added) == 1
        assert isinstance(added[0], logging.StreamHandler)
        self.handler: logging.StreamHandler[Any] = added[0]
        self._stream = path.open("w", encoding="utf-8")
        self.handler.setStream(self._stream)

    def close(self) -> None:
        root = logging.getLogger()
        root.removeHandler(self.handler)
        self._stream.close()
        level, noisy = self._saved
        root.setLevel(level)
        for name, saved in noisy.items():
            logging.getLogger(name).setLevel(saved)


# -- the engineer's day -----------------------------------------------------------------------------


async def operate(session: Session, what: str, work: Any, detail: str = "") -> Any:
    """One screen operation: the audit entry is written by the real Operation wrapper."""
    operation = Operation(session)
    outcome: list[tuple[bool, str]] = []
    operation.finished.connect(lambda ok, message, result: outcome.append((ok, message)))
    task = operation.start(what, work, detail=detail)
    assert task is not None
    result = await asyncio.wait_for(task, 120)
    return result, outcome[-1]


async def engineers_day(
    tmp_path: Path, data: Path, exports: Path, session: Session
) -> dict[str, Any]:
    """Everything the toolkit does with secrets; returns the secrets it met along the way."""
    secrets: dict[str, Any] = {"network keys": [], "link keys": [], "install codes": []}
    backend = Backend(
        f"sim:{SCENARIO}", speed=20, zigpy_database=str(paths.zigpy_database(f"sim:{SCENARIO}"))
    )
    service = InstallerService(backend, db=session.db)
    session.attach(backend, service)
    await session.start()
    try:
        await backend.wait_online(30)
        await backend.wait_for_meters(30)
        secrets["network keys"].append(bytes(backend.app.state.network_info.network_key.key))
        labels = service.bench_labels()
        for label in labels:
            code = bytes.fromhex(label.install_code.replace(" ", ""))
            secrets["install codes"].append(code)
            secrets["link keys"].append(parse_pairing(label.ieee, label.install_code).link_key)

        service.capture.start(exports / "han.pcap")
        session.record("packet capture started", "han.pcap")

        energies, _ = await operate(
            session, "the energy scan", lambda p: service.network.energy_scan(p)
        )
        channel = service.network.quietest(energies)
        await operate(
            session,
            "forming a new network",
            lambda p: service.network.form(channel, p),
            detail=f"channel {channel}",
        )
        await backend.wait_online(30)
        await backend.wait_for_meters(30)
        new_key = bytes(backend.app.state.network_info.network_key.key)
        assert new_key != secrets["network keys"][0]
        secrets["network keys"].append(new_key)

        # A wrong code first: a good CRC, but another device's (typed in groups, as printed).
        esme_label = labels[0]
        wrong = make_install_code(bytes(range(16)))
        secrets["install codes"].append(wrong)
        typed_wrong = " ".join(wrong.hex().upper()[i : i + 4] for i in range(0, len(wrong) * 2, 4))
        wrong_code = parse_pairing(esme_label.ieee, typed_wrong)
        secrets["link keys"].append(wrong_code.link_key)
        _, (ok, message) = await operate(
            session,
            "pairing",
            lambda p: service.pairing.pair(wrong_code, lambda s: None, window_s=5),
            detail=f"EUI-64 {wrong_code.ieee}",
        )
        assert not ok
        assert "not this device's" in message
        # A mistyped CRC is refused before anything is sent; its words never repeat the code.
        with pytest.raises(InstallCodeError) as mistyped:
            parse_pairing(
                esme_label.ieee,
                esme_label.install_code[:-1] + ("0" if esme_label.install_code[-1] != "0" else "1"),
            )
        session.record("pairing", f"EUI-64 {esme_label.ieee}", f"refused: {mistyped.value}")

        # The ESME typed from its label, the load switch scanned from its QR code.
        for label, code_text in (
            (esme_label, esme_label.install_code),
            (labels[2], labels[2].qr_text),
        ):
            code = parse_pairing(label.ieee if code_text is label.install_code else "", code_text)
            _, (ok, message) = await operate(
                session,
                "pairing",
                lambda p, c=code: service.pairing.pair(c, lambda s: None, window_s=30),
                detail=f"EUI-64 {code.ieee}",
            )
            assert ok, message
        info = backend.app.state.network_info
        secrets["link keys"] += [bytes(k.key) for k in info.key_table]
        if bytes(info.tc_link_key.key) != WELL_KNOWN_TC_KEY:
            secrets["link keys"].append(bytes(info.tc_link_key.key))

        backup = exports / "han.gbbak"
        await operate(
            session,
            "the network backup",
            lambda p: service.network.backup(backup, PASSPHRASE, PASSPHRASE, session.who, p),
            detail=f"to {backup.name}",
        )
        _, (ok, _) = await operate(
            session,
            "the network backup",
            lambda p: service.network.backup(
                exports / "short.gbbak", "short", "short", session.who, p
            ),
            detail="to short.gbbak",
        )
        assert not ok
        snapshot, document = await service.network.read_backup(backup, PASSPHRASE)
        secrets["backup network key"] = bytes(snapshot.network_info.network_key.key)
        secrets["backup document"] = json.dumps(document).encode()

        esme = str(backend.home.esme.ieee)
        gsme = str(backend.home.gas_proxy.ieee)
        report, _ = await operate(
            session,
            "the health check",
            lambda p: service.health.run(esme, session.who, p, observe_s=15),
            detail=esme,
        )
        (exports / "health.txt").write_text(report.text(), encoding="utf-8")  # "Save report"
        session.record("saved a health report", "health.txt")
        bench_esme = esme_label.ieee
        await operate(
            session,
            "the health check",
            lambda p: service.health.run(bench_esme, session.who, p, observe_s=15),
            detail=bench_esme,
        )
        await operate(
            session, "reading the meter status", lambda p: service.meter_status(esme), detail=esme
        )
        _, (ok, message) = await operate(
            session, "the battery projection", lambda p: service.battery(gsme), detail=gsme
        )
        assert ok, message
        await operate(session, "reading the network map", lambda p: service.topology.scan(p))
        for row in service.inventory.rows():
            service.link_history.of(row.ieee)

        path, frames = service.capture.stop()
        session.record("packet capture stopped", f"{path.name}, {frames} frames")
        assert frames > 10
        session.audit.export(exports / "audit.jsonl")
        session.record("exported the audit log", "audit.jsonl")
    finally:
        session.sign_out()
        await session.stop()
    return secrets


def job_report(exports: Path, surveys: Path, install_code_text: str) -> None:
    """The survey's job report (PDF), its JSON export, and the refusal of a code typed in a note."""
    from device_backend.survey import exchange
    from device_backend.survey.rules import load_rules
    from device_backend.survey.store import SurveyStore
    from installer_tool.survey_widgets.report_pdf import report_document, write_pdf

    store = SurveyStore.open(
        surveys / "surveys.db", now=lambda: datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
    )
    try:
        survey = store.create("alice")
        store.set_field(survey.id, "outcome.notes", "Meter cupboard under the stairs; ESME paired.")
        refused = store.set_field(survey.id, "outcome.notes", f"ESME code {install_code_text}")
        assert (
            "install code or a key" in refused.error
        )  # refused, and the typing is not kept either
        assert install_code_text not in store.get(survey.id).entries["outcome.notes"].text
        photo = store.add_photo(survey.id, "label.png", PNG, caption="the meter's label")
        store.set_photo_caption(survey.id, photo.id, f"label: {install_code_text}")
        survey = store.get(survey.id)
        rules = load_rules()
        assert write_pdf(exports / "job-report.pdf", survey, rules, store.now()) >= 1
        (exports / "job-report.txt").write_text(
            report_document(survey, rules, store.now()).toPlainText(), encoding="utf-8"
        )
        exchange.write_text(exports / "survey.json", exchange.survey_json(survey, rules))
    finally:
        store.close()


@pytest.fixture
def umask_022() -> Any:
    """A typical desktop umask, so a file only ends up private if the code made it so."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
@pytest.mark.parametrize(
    "level", [logging.INFO, logging.DEBUG], ids=["shipped-level", "debug-level"]
)
def test_no_key_link_key_or_install_code_escapes_an_engineers_day(
    level: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    qapp: Any,
    umask_022: Any,
) -> None:
    data, exports, surveys = tmp_path / "data", tmp_path / "exports", tmp_path / "surveys"
    exports.mkdir()
    surveys.mkdir()
    monkeypatch.setenv("IHD_DATA_DIR", str(data))
    shipped = ShippedLogging(tmp_path / "installer.log", level)
    try:
        session = Session(data / "installer")
        session.accounts.create("alice", "Alice Engineer", PASSWORD, PASSWORD)
        session.sign_in(session.accounts.sign_in("alice", PASSWORD))
        try:
            secrets = run(engineers_day(tmp_path, data, exports, session))
        finally:
            session.close()
        job_report(
            exports,
            surveys,
            " ".join(secrets["install codes"][0].hex().upper()[i : i + 4] for i in range(0, 36, 4)),
        )
        logging.getLogger("device_backend").info(
            "the day is over"
        )  # the log file is the shipped one
    finally:
        shipped.close()
    captured = capfd.readouterr()
    (tmp_path / "stdout-stderr.txt").write_text(captured.out + captured.err, encoding="utf-8")
    assert "error" not in captured.err.lower(), captured.err
    assert "the day is over" in (tmp_path / "installer.log").read_text(encoding="utf-8")

    network_keys = secrets["network keys"]
    link_keys = [k for k in secrets["link keys"] if k != WELL_KNOWN_TC_KEY]
    codes = secrets["install codes"]
    # The codes' bodies without their CRC, and the codes as they would be typed with their CRC.
    code_parts = codes + [c[:-2] for c in codes]
    assert (
        secrets["backup network key"] == network_keys[-1]
    )  # the backup holds the live network key
    assert len(link_keys) >= len(codes)

    zigpy_db = paths.zigpy_database(f"sim:{SCENARIO}")
    key_stores = {zigpy_db, *(Path(f"{zigpy_db}{side}") for side in ("-wal", "-shm", "-journal"))}
    written = list(files_under(tmp_path))
    assert {p.name for p in written} >= {
        "installer.db",
        "han.gbbak",
        "han.pcap",
        "audit.jsonl",
        "health.txt",
        "job-report.pdf",
        "survey.json",
        "surveys.db",
        "installer.log",
    }

    # Positive controls: the search finds the keys where they must be, so a miss elsewhere means
    # something. zigpy's own database is where the keys live: private, and no install code in it.
    assert found_in(secrets["backup document"], network_keys[-1]), (
        "the search cannot find the network key"
    )
    if zigpy_db.exists():
        assert any(found_in(zigpy_db.read_bytes(), k) for k in network_keys), (
            "no key found in zigpy's db"
        )
    leaks = []
    for path in written:
        content = path.read_bytes()
        for kind, values in (
            ("network key", network_keys),
            ("link key", link_keys),
            ("install code", code_parts),
        ):
            if kind != "install code" and path in key_stores:
                continue  # zigpy's database is where keys are kept (private, checked below)
            for n, value in enumerate(values):
                hits = found_in(content, value)
                if hits:
                    leaks.append(f"{path.relative_to(tmp_path)}: {kind} #{n} as {hits[0][:24]!r}")
        for kind, text in (("backup passphrase", PASSPHRASE), ("password", PASSWORD)):
            if text_found_in(content, text):
                leaks.append(f"{path.relative_to(tmp_path)}: the {kind}")
    assert not leaks, "secrets written where they must not be:\n" + "\n".join(leaks)

    # The backup is useless without its passphrase, and says nothing in clear.
    raw_backup = (exports / "han.gbbak").read_bytes()
    assert raw_backup.startswith(backup_crypto.MAGIC)
    assert b"zigpy" not in raw_backup
    assert b"network_key" not in raw_backup
    assert WELL_KNOWN_TC_KEY not in raw_backup

    # The audit log names what was done, to which device, and not with what.
    audit = (exports / "audit.jsonl").read_text(encoding="utf-8")
    assert '"action": "pairing"' in audit
    assert "not this device's" in audit
    assert "CRC" in audit
    assert "00:1e:5e:09:02:b0:00:11" in audit  # the EUI-64 stays: the engineer's record needs it

    # Files holding keys, password hashes or the audit are the owner's alone, in the owner's folder.
    assert mode(data) == 0o700
    assert mode(data / "installer") == 0o700
    private = [
        p
        for p in key_stores
        | {data / "installer" / "installer.db", exports / "han.gbbak", exports / "audit.jsonl"}
        if p.exists()
    ]
    private += [p for p in (data / "installer").iterdir() if p.name.startswith("installer.db")]
    loose = [f"{p.relative_to(tmp_path)} is {mode(p):04o}" for p in private if mode(p) & 0o077]
    assert not loose, "files holding secrets readable by others: " + ", ".join(loose)


def test_a_traceback_carrying_a_key_is_redacted_too(tmp_path: Path) -> None:
    """The shipped handler redacts the formatted exception as well as the message: an
    unexpected error's text (zigpy's install-code ValueError repeats the code) must not print it."""
    key = bytes(range(0xA0, 0xB0))
    code = make_install_code(bytes(range(0x30, 0x40)))
    shipped = ShippedLogging(tmp_path / "installer.log")
    try:
        try:
            raise ValueError(f"bad key {key.hex(':')} for code {code.hex()}")
        except ValueError:
            logging.getLogger("installer_tool.operation").exception(
                "%s failed unexpectedly", "pairing"
            )
        try:
            raise InstallerError(f"network key {key.hex()}")
        except InstallerError as exc:
            logging.getLogger("device_backend.facade").warning("oops", exc_info=exc)
    finally:
        shipped.close()
    written = (tmp_path / "installer.log").read_bytes()
    assert b"failed unexpectedly" in written
    assert b"Traceback" in written
    assert b"ValueError" in written
    assert not found_in(written, key)
    assert not found_in(written, code)
    assert not found_in(written, code[:-2])


# -- the display's own log while top-up codes are typed ------------------------------------------


def _utrn_in(data: bytes, utrn: str) -> bool:
    """The code in any spelling: its digits with up to three characters of anything between them
    (grouped by spaces, dashes or non-breaking spaces, quoted, split by escapes), or its ASCII
    bytes raw, in hex or base64 (as a radio frame would be printed)."""
    text = data.decode("utf-8", "replace")
    if re.search(r"\D{0,3}".join(utrn), text):
        return True
    return bool(found_in(data, utrn.encode("ascii")))


class DisplayLogging:
    """ihd's own log set-up (its main() calls start_logging with its arguments and "ihd"),
    writing to IHD_LOG_DIR; undone on close."""

    def __init__(self, *argv: str) -> None:
        from device_backend.cli_conventions import start_logging
        from ihd_app.cli import build_parser

        root = logging.getLogger()
        names = ("zigpy", "bellows", "aiosqlite", "asyncio")
        self._saved = (root.level, {n: logging.getLogger(n).level for n in names})
        self._before = list(root.handlers)
        self.path = start_logging(build_parser().parse_args(list(argv)), "ihd")
        self.added = [h for h in root.handlers if h not in self._before]

    def close(self) -> None:
        root = logging.getLogger()
        for handler in self.added:
            root.removeHandler(handler)
            handler.close()
        level, noisy = self._saved
        root.setLevel(level)
        for name, saved in noisy.items():
            logging.getLogger(name).setLevel(saved)


def test_the_display_program_logs_through_the_redacting_filter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ihd's main() itself installs the shipped handlers: a command that opens no window is
    enough to see them. Every one redacts."""
    from ihd_app.main import main as ihd_main

    monkeypatch.setenv("IHD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("IHD_LOG_DIR", str(tmp_path / "logs"))
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    noisy = {n: logging.getLogger(n).level for n in ("zigpy", "bellows", "aiosqlite", "asyncio")}
    try:
        assert ihd_main(["--trial-list"]) == 0
        added = [h for h in root.handlers if h not in before]
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
        for name, saved in noisy.items():
            logging.getLogger(name).setLevel(saved)
    assert added  # standard error, and the display's own file
    assert all(logs.RedactingFilter in [type(f) for f in h.filters] for h in added)
    assert (tmp_path / "logs" / "ihd.log").exists()


def test_no_top_up_code_reaches_the_displays_log_at_debug(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The display (its own log set-up and file, at --log-level debug, radio stack included) on a
    simulated prepayment meter: a code typed and accepted, one refused on the display (check
    digit), one refused by the meter (a valid check digit, a wrong MAC) and the first replayed.
    None of the three appears in the log, in any spelling."""
    from ihd_app.screenshot import advance
    from tests.support.display import Display, send_code

    backend = Backend("sim:prepay-low-credit", speed=None, seed=7)
    good = backend.home.issue_top_up(1000)
    meter = backend.home.scenario.electricity.meter_id
    forged = issue_utrn(b"not the supplier's key", 900, 1000, meter)
    mistyped = good[:-1] + str((int(good[-1]) + 1) % 10)  # one digit off: the check digit fails
    monkeypatch.setenv("IHD_LOG_DIR", str(tmp_path / "logs"))
    shipped = DisplayLogging("--log-level", "debug")
    shown = None
    try:
        shown = Display(qtbot, loop, tmp_path / "display.json", backend)
        shown.run(advance(backend, timedelta(minutes=20)))
        shown.settle()
        shown.tap("tab-balance")
        outcomes = []
        for code in (good, mistyped, forged, good):
            shown.tap("balance-top-up")
            for digit in code:
                shown.tap(f"topup-key-{digit}")
            send_code(shown)
            shown.settle()
            outcomes.append(shown.text("topup-feedback"))
            shown.tap("topup-clear")  # a refused code stays for correcting: start afresh
            shown.tap("topup-back")
    finally:
        if shown is not None:
            shown.close()
        shipped.close()
    # What the household saw: accepted, refused here, refused by the meter, already used.
    assert outcomes[0].startswith("Accepted: £10.00 added.")
    assert outcomes[3].startswith("This code has already been used.")
    assert outcomes[1] == "That code is not valid: please check the digits."
    # A dual-fuel prepayment home: the refusal names the meter and points at the other one.
    assert outcomes[2].startswith("This code is not valid for your electricity meter.")
    assert shipped.path == tmp_path / "logs" / "ihd.log"
    written = shipped.path.read_bytes()
    assert b"DEBUG" in written  # the log really was at debug, radio stack included
    leaked = [code for code in (good, mistyped, forged) if _utrn_in(written, code)]
    assert leaked == []

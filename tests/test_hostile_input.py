"""Issue 16: hostile and clumsy input loses nothing, loosens nothing and never ends in a traceback.

One test (or one parametrised group) per numbered item of the issue, with its exact commands.
Commands run in-process through their `main`, so any traceback fails the test; every refusal is
checked for exit status 2, a one-line message naming what was wrong, and files left as found.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import struct
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from device_backend import cli, paths, sqlite_file
from device_backend.installer import backup_crypto
from device_backend.installer.capture import mask_utrns
from device_backend.simulator.scenario import SCENARIO_DIR, ScenarioError, load_scenario
from device_backend.store import Store, files
from device_backend.store.export import Exporter

Run = Callable[..., tuple[int, str, str]]
PREPAY = (SCENARIO_DIR / "prepay-low-credit.toml").read_text(encoding="utf-8")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("IHD_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """ihd-cli in-process: (exit status, stdout, stderr); argparse's exit 2 counts too."""

    def call(
        *argv: str, program: Callable[[Sequence[str]], int] = cli.main
    ) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = program(list(argv))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 2
        out, err = capsys.readouterr()
        return code, out, err

    return call


def refused(result: tuple[int, str, str], *words: str) -> str:
    """Exit 2 and the last stderr line names the problem (argparse prints usage above it)."""
    code, _out, err = result
    assert code == 2, result
    assert "Traceback" not in err, err
    message = err.strip().splitlines()[-1]
    for word in words:
        assert word in message, message
    return message


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder`: its mode and bytes (FIFOs by mode only)."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        body = path.read_bytes() if stat.S_ISREG(info.st_mode) else b""
        seen[str(path.relative_to(folder))] = (info.st_mode, body)
    return seen


def history(path: Path) -> Path:
    with Store.open(path) as store:
        store.audit("test", "made for the test")
    return path


EXPORT = ("export", "--fuel", "electricity", "--from", "2026-01-12", "--to", "2026-01-13")


# -- 1. the output path is never the database or another file the program owns -------------------


@pytest.mark.reliability
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_never_writes_over_its_own_database(
    tmp_path: Path, data: Path, run: Run, suffix: str
) -> None:
    db = history(tmp_path / "self.db")
    before = snapshot(tmp_path)
    message = refused(run(*EXPORT, "--db", str(db), "--out", f"{db}{suffix}"))
    assert "keeps its data in" in message
    assert "nothing was written" in message
    assert snapshot(tmp_path) == before


@pytest.mark.reliability
def test_export_never_writes_over_the_displays_own_database(
    tmp_path: Path, data: Path, run: Run
) -> None:
    own = history(files.default_path(create_dir=True))
    before = own.read_bytes()
    refused(run(*EXPORT, "--out", str(own)), "history.db")
    refused(run(*EXPORT, "--force", "--out", str(data / "." / "history.db")), "history.db")
    assert own.read_bytes() == before
    with Store.open(own) as store:
        assert store.recovered_from is None


@pytest.mark.reliability
def test_export_keeps_an_unrelated_file_unless_forced(tmp_path: Path, data: Path, run: Run) -> None:
    db = history(tmp_path / "h.db")
    keep = tmp_path / "notes.csv"
    keep.write_text("my own notes\n")
    refused(run(*EXPORT, "--db", str(db), "--out", str(keep)), "already exists", "--force")
    assert keep.read_text() == "my own notes\n"
    code, out, _ = run(*EXPORT, "--db", str(db), "--out", str(keep), "--force")
    assert code == 0
    assert "Wrote" in out
    assert keep.read_text().startswith("local_date,")


@pytest.mark.reliability
def test_a_full_disk_is_blamed_on_the_output_not_the_database(
    tmp_path: Path, data: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = history(tmp_path / "h.db")

    def full(*_: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Exporter, "write", full)
    message = refused(run(*EXPORT, "--db", str(db), "--out", str(tmp_path / "out.csv")))
    assert "out.csv" in message
    assert "No space left" in message
    assert "h.db" not in message
    assert not (tmp_path / "out.csv").exists()


# -- 2. nothing is chmodded that the program did not create ------------------------------------


@pytest.mark.security
@pytest.mark.parametrize(
    ("kind", "command"),
    # An empty file is a new database to SQLite, so simulate may record into it: not here.
    [
        (kind, command)
        for kind in ("empty", "fifo", "folder", "proc")
        for command in ("show", "export", "simulate")
        if (kind, command) != ("empty", "simulate")
    ],
)
def test_a_path_that_is_not_a_database_is_refused_and_left_as_it_was(
    tmp_path: Path, data: Path, run: Run, kind: str, command: str
) -> None:
    target = tmp_path / "thing"
    if kind == "empty":
        target.write_bytes(b"")
        os.chmod(target, 0o644)
    elif kind == "fifo":
        os.mkfifo(target, 0o644)
    elif kind == "folder":
        target.mkdir(mode=0o755)
    else:
        target = Path("/proc/version")
    mode = target.stat().st_mode
    argv = {
        "show": ("consent", "show", "--db", str(target)),
        "export": (*EXPORT, "--db", str(target), "--out", str(tmp_path / "x.csv")),
        "simulate": ("simulate", "--for", "1m", "--db", str(target)),
    }[command]
    message = refused(run(*argv))
    assert str(target) in message
    assert target.stat().st_mode == mode
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.security
def test_a_shared_data_folder_keeps_its_mode_and_setgid_bit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2775)
    monkeypatch.setenv("IHD_DATA_DIR", str(shared))
    assert paths.data_dir() == shared
    code, out, _ = run("utrn", "--pounds", "10")
    assert code == 0
    assert len(out.split()) == 5
    assert stat.S_IMODE(shared.stat().st_mode) == 0o2775
    assert "open to other users" in caplog.text  # reported, not changed
    created = tmp_path / "mine"
    monkeypatch.setenv("IHD_DATA_DIR", str(created))
    assert stat.S_IMODE(paths.data_dir().stat().st_mode) == 0o700  # made here: private


# -- 3. a wipe takes exactly one participant's folders --------------------------------------------


@pytest.mark.security
def test_a_wipe_matches_the_participant_code_exactly(data: Path, run: Run) -> None:
    from ihd_app.main import main as ihd
    from ihd_app.trial.manage import default_export_dir
    from ihd_app.trial.store import TrialStore

    store = TrialStore.open_default()
    for participant in ("KWAB", "KWAB_07"):
        store.start_session(
            participant, scenario="prepay-low-credit", variant="standard", variant_detail={}
        )
        store.export(participant, default_export_dir())
    store.close()
    before = sorted((p.name for p in default_export_dir().iterdir()), key=len)
    assert [n.split("_2")[0] for n in before] == ["KWAB", "KWAB_07"]
    code, out, _ = run("--trial-wipe", "KWAB", program=ihd)
    assert code == 0
    assert "wiped KWAB" in out
    assert [p.name for p in default_export_dir().iterdir()] == [before[1]]


# -- 4. a read-only command on a damaged database changes nothing --------------------------------


def damaged(path: Path) -> Path:
    with Store.open(path) as store:
        for n in range(200):
            store.audit("test", f"entry {n}", "x" * 200)
    with path.open("r+b") as handle:  # keep SQLite's header, wreck the pages after it
        handle.seek(4096)
        handle.write(b"\xff" * 8192)
    return path


@pytest.mark.reliability
@pytest.mark.parametrize(
    "argv",
    [("consent", "show"), EXPORT, ("consent", "grant", "--name", "Ann", "--purpose", "Advice")],
)
def test_a_damaged_database_is_reported_not_renamed_or_replaced(
    tmp_path: Path, data: Path, run: Run, argv: tuple[str, ...]
) -> None:
    db = damaged(tmp_path / "h.db")
    before = snapshot(tmp_path)
    extra = ("--out", str(tmp_path / "x.csv")) if argv[0] == "export" else ()
    refused(run(*argv, "--db", str(db), *extra), "h.db", "left as it is")
    assert snapshot(tmp_path) == before


@pytest.mark.reliability
def test_consent_show_never_migrates_an_older_database(
    tmp_path: Path, data: Path, run: Run
) -> None:
    db = history(tmp_path / "h.db")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE consents")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    refused(run("consent", "show", "--db", str(db)), "schema version 1", "left as it is")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


# -- 5. supplier counters: crash-safe, never repeated, never wrapped -----------------------------


@pytest.mark.reliability
@pytest.mark.parametrize(
    "content", ["garbage{", "[]", "1e400", '{"prepay-low-credit": "7"}', "NaN"]
)
def test_an_unreadable_counter_file_stops_the_supplier_tool(
    data: Path, run: Run, content: str
) -> None:
    data.mkdir(mode=0o700)
    counters = data / "utrn-counters.json"
    counters.write_text(content)
    refused(run("utrn", "--pounds", "10"), "utrn-counters.json", "no code was issued")
    assert counters.read_text() == content


@pytest.mark.reliability
def test_the_counter_never_wraps_onto_a_used_code(data: Path, run: Run) -> None:
    data.mkdir(mode=0o700)
    counters = data / "utrn-counters.json"
    counters.write_text(json.dumps({"prepay-low-credit": 1021}))
    codes = [run("utrn", "--pounds", "10")[1] for _ in range(2)]
    assert len(set(codes)) == 2
    assert all(c.strip() for c in codes)
    refused(run("utrn", "--pounds", "10"), "1023", "never issued again")
    assert json.loads(counters.read_text()) == {"prepay-low-credit": 1023}
    assert stat.S_IMODE(counters.stat().st_mode) == 0o600


@pytest.mark.reliability
def test_fresh_codes_all_differ_and_the_counter_file_is_private(data: Path, run: Run) -> None:
    codes = {run("utrn", "--pence", "150")[1] for _ in range(5)}
    assert len(codes) == 5
    counters = data / "utrn-counters.json"
    assert stat.S_IMODE(counters.stat().st_mode) == 0o600
    assert not Path(f"{counters}.tmp").exists()


# -- 6. sign-in --------------------------------------------------------------------------------


def _accounts(folder: Path) -> Any:
    from device_backend.installer.accounts import Accounts
    from device_backend.installer.storage import open_database

    return Accounts(open_database(folder))


@pytest.mark.security
def test_unknown_names_and_wrong_passwords_get_the_same_words(tmp_path: Path) -> None:
    from device_backend.installer.accounts import REFUSED, SignInError

    accounts = _accounts(tmp_path)
    accounts.create("alice", "Alice", "a long, plain passphrase", "a long, plain passphrase")
    messages = set()
    for name, password in [("alice", "wrong wrong wrong"), ("mallory", "wrong wrong wrong")]:
        with pytest.raises(SignInError) as caught:
            accounts.sign_in(name, password)
        messages.add(str(caught.value))
    assert messages == {REFUSED}
    assert "left" not in REFUSED


@pytest.mark.security
def test_names_are_nfkc_folded_and_weak_passwords_refused(tmp_path: Path) -> None:
    from device_backend.installer.accounts import SignInError

    accounts = _accounts(tmp_path)
    good = "correct horse battery"
    accounts.create("alice", "Alice", good, good)
    for twin in ("\uff41\uff4c\uff49\uff43\uff45", "ALICE", " Alice "):  # full-width and cased
        with pytest.raises(SignInError, match="already an engineer"):
            accounts.create(twin, "Alice again", good, good)
    assert accounts.sign_in("\uff21\uff2c\uff29\uff23\uff25", good).username == "alice"
    for weak in ("aaaaaaaaaa", "ababababab", "abcabcabca", "password123", "Bob-the-installer!"):
        with pytest.raises(SignInError, match=r"too easy|at least"):
            accounts.create("bob", "Bob", weak, weak)
    with pytest.raises(SignInError, match="plain text"):
        accounts.create("carol", "Carol\x1b[2J", good, good)


def _guess(folder: str, log: str, tries: int) -> None:
    """A process guessing passwords; every real scrypt check is appended to `log`."""
    from device_backend.installer import accounts as module

    real = module._hash

    def counted(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        if salt != module._DUMMY_SALT:
            with open(log, "a", encoding="utf-8") as out:
                out.write("checked\n")
        return real(password, salt, n, r, p)

    module._hash = counted  # type: ignore[assignment]
    accounts = _accounts(Path(folder))
    for n in range(tries):
        try:
            accounts.sign_in("alice", f"wrong guess number {n}")
        except module.SignInError:
            pass


@pytest.mark.security
def test_parallel_guesses_are_all_counted(tmp_path: Path) -> None:
    import multiprocessing

    from device_backend.installer.accounts import MAX_FAILURES

    good = "a long, plain passphrase"
    _accounts(tmp_path).create("alice", "Alice", good, good)
    log = tmp_path / "checks.log"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_guess, args=(str(tmp_path), str(log), 10)) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0] * 8
    assert log.read_text().count("checked") == MAX_FAILURES  # 80 guesses, exactly 5 checked


@pytest.mark.security
def test_an_installer_screenshot_creates_no_account(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "d"
    for shot in ("a.png", "b.png"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "installer_tool.main",
                "--screenshot",
                str(tmp_path / shot),
                "--data-dir",
                str(folder),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert (tmp_path / shot).stat().st_size > 1000
    assert not _accounts(folder).any()  # first-run set-up would still appear


# -- 7. secrets and privacy at rest ------------------------------------------------------------


def _top_up_frame(utrn: str) -> bytes:
    # ZCL: cluster-specific, client to server, tsn 7, command 0x04 ConsumerTopUp; then
    # OriginatingDevice (0x02 IHD) and the UTRN as an octet string of 20 ASCII digits.
    return bytes([0x01, 0x07, 0x04, 0x02, 20]) + utrn.encode("ascii")


@pytest.mark.security
def test_captured_utrns_are_masked_and_the_frame_still_decodes() -> None:
    from zigpy.zcl import foundation

    from device_backend.zcl.prepayment import Prepayment

    utrn = "73942983744751930738"
    frame = _top_up_frame(utrn)
    masked = mask_utrns(0x0705, frame)
    assert len(masked) == len(frame)
    assert utrn.encode() not in masked
    assert masked.endswith(b"*" * 16 + b"0738")
    assert mask_utrns(0x0702, frame) == frame  # Metering carries no top-up codes
    header, rest = foundation.ZCLHeader.deserialize(masked)
    command = Prepayment.ServerCommandDefs.consumer_top_up
    assert header.command_id == command.id
    decoded, _ = command.schema.deserialize(rest)
    assert decoded.top_up_code == b"*" * 16 + b"0738"


@pytest.mark.security
def test_trial_exports_and_the_chime_are_private(data: Path, tmp_path: Path) -> None:
    import tempfile

    from ihd_app.sound import chime_file
    from ihd_app.trial.store import TrialStore

    store = TrialStore.open_default()
    store.start_session("P07", scenario="prepay-low-credit", variant="standard", variant_detail={})
    (bundle,) = store.export("P07", tmp_path / "out")
    store.close()
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in bundle.iterdir()} == {0o600}
    planted = Path(tempfile.gettempdir()) / "ihd-alert-chime.wav"
    chime = chime_file()
    assert chime != planted
    assert stat.S_IMODE(chime.parent.stat().st_mode) == 0o700


# -- 8. control characters in free text --------------------------------------------------------


@pytest.mark.security
@pytest.mark.parametrize(
    ("field", "value"),
    [("--name", "Ann\nIn force: consent 99"), ("--name", "Ann\x1b[2J"), ("--purpose", "x\u202ey")],
)
def test_control_characters_are_refused_in_a_consent(
    tmp_path: Path, data: Path, run: Run, field: str, value: str
) -> None:
    db = history(tmp_path / "h.db")
    values = {"--name": "Ann Smith", "--purpose": "Energy advice", field: value}
    argv = ["consent", "grant", "--db", str(db)]
    for option, text in values.items():
        argv += [option, text]
    message = refused(run(*argv), "control character")
    assert "\x1b" not in message
    assert "\n" not in message.strip()
    assert run("consent", "show", "--db", str(db))[1].startswith("No consent in force")


@pytest.mark.security
def test_stored_control_characters_are_printed_escaped(
    tmp_path: Path, data: Path, run: Run
) -> None:
    db = history(tmp_path / "h.db")
    with sqlite3.connect(db) as conn:  # as an older program, or a hand edit, might have left it
        conn.execute(
            "INSERT INTO consents (granted_by, purpose, granularity, granted_at) "
            "VALUES (?, 'advice', 'half_hourly', 1767225600)",
            ("Ann\nIn force: consent 99\x1b[2J",),
        )
    conn.close()
    code, out, _ = run("consent", "show", "--db", str(db))
    assert code == 0
    assert "\x1b" not in out
    assert [line for line in out.splitlines() if line.startswith("In force")] == [
        line for line in out.splitlines() if "consent 1:" in line
    ]
    assert "\\n" in out
    assert "\\x1b" in out


# -- 9. a backup is a disclosure too ------------------------------------------------------------


@pytest.mark.security
def test_backup_to_writes_an_audit_entry(tmp_path: Path) -> None:
    with Store.open(tmp_path / "h.db") as store:
        copy = store.backup_to(tmp_path / "copy.db", who="installer")
        entries = store.audit_log()
    assert entries[0].what == "backup made"
    assert entries[0].who == "installer"
    assert str(copy) in entries[0].detail


# -- 10. numbers on the command lines ---------------------------------------------------------


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("simulate", "--for", "99999999999d"), "too long"),
        (("simulate", "--for", "3000000d"), "too long"),
        (("simulate", "--for", "2739999d"), "too long"),
        (("simulate", "--speed", "nan"), "between"),
        (("simulate", "--speed", "inf"), "between"),
        (("simulate", "--speed", "1e-300"), "between"),
        (("simulate", "--seed", "-1"), "seed"),
        (("simulate", "--seed", "9" * 40), "whole number"),
        (("utrn", "--pounds", "NaN"), "finite"),
        (("utrn", "--pounds", "sNaN"), "finite"),
        (("utrn", "--pounds", "Infinity"), "finite"),
        (("utrn", "--pounds", "1e999999999"), "at most"),
        (("utrn", "--pounds", "0.001"), "whole number of pence"),
        (("utrn", "--pence", "0"), "1 to"),
        (("utrn", "--pence", "1e3"), "whole number"),
        (
            ("export", "--fuel", "gas", "--from", "0001-01-01", "--to", "2026-01-01", "--out", "x"),
            "outside",
        ),
        (
            ("export", "--fuel", "gas", "--from", "2026-01-01", "--to", "9999-12-31", "--out", "x"),
            "outside",
        ),
        (
            ("consent", "grant", "--name", "A", "--purpose", "B", "--expires", "9999-12-31"),
            "outside",
        ),
    ],
)
def test_numbers_out_of_range_are_refused_in_one_line(
    data: Path, run: Run, argv: tuple[str, ...], words: str
) -> None:
    refused(run(*argv), words)
    assert not data.exists() or not any(data.iterdir())


@pytest.mark.reliability
@pytest.mark.parametrize("after", ["99999999999d", "nan", "1e400h", "-5m", "5x"])
def test_the_display_refuses_a_bad_after(run: Run, after: str) -> None:
    from ihd_app.cli import build_parser

    refused(run("--after", after, program=build_parser().parse_args), "--after")


def test_one_duration_syntax_for_commands_and_scenarios() -> None:
    from device_backend.cli_args import duration
    from device_backend.simulator.scenario import parse_duration

    for text, seconds in [("90s", 90), ("1.5h", 5400), ("1h30m", 5400), ("2d", 172800)]:
        assert duration(text) == parse_duration(text) == timedelta(seconds=seconds)


# -- 11. scenario files ------------------------------------------------------------------------


def _scenario(tmp_path: Path, edit: Callable[[str], str]) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(edit(PREPAY), encoding="utf-8")
    return path


def _set(key: str, old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert f"{key} = {old}" in text
        return text.replace(f"{key} = {old}", f"{key} = {new}", 1)

    return edit


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (_set("price", "24.86", "inf"), "tariffs.electricity.price", "finite"),
        (_set("price", "24.86", "nan"), "tariffs.electricity.price", "finite"),
        (_set("price", "24.86", "1e999999"), "tariffs.electricity.price", "at most"),
        (_set("price", "24.86", "4294967.296"), "tariffs.electricity.price", "uint32"),
        (
            _set("start", "2026-01-12T07:00:00Z", "9999-12-31T23:00:00Z"),
            "scenario.start",
            "outside",
        ),
        (
            _set("start", "2026-01-12T07:00:00Z", "0001-01-01T00:00:00Z"),
            "scenario.start",
            "outside",
        ),
        (
            _set("emergency_credit_limit_pence", "1000", str(2**63 - 1)),
            "emergency_credit_limit",
            "at most",
        ),
        (
            _set(
                "emergency_credit_limit_pence", "1000", "1000\ncut_off_pence = -9223372036854775808"
            ),
            "cut_off_pence",
            "int32",
        ),
        (lambda t: t + "\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", "", "nests"),
        (lambda t: t + "\nx = " + "{a=" * 50_000 + "1" + "}" * 50_000 + "\n", "", "nests"),
        (
            lambda t: _set("start", "2026-01-12T07:00:00Z", "2099-12-30T00:00:00Z")(t).replace(
                'at = "+1h"', 'at = "+3d"', 1
            ),
            "timeline[0].at",
            "outside",
        ),
    ],
)
def test_hostile_scenario_values_are_refused_at_load(
    tmp_path: Path, data: Path, run: Run, edit: Callable[[str], str], field: str, words: str
) -> None:
    path = _scenario(tmp_path, edit)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert field in str(caught.value)
    assert words in str(caught.value)
    message = refused(run("simulate", "--scenario", str(path), "--for", "1h"), words)
    assert str(path) in message


@pytest.mark.reliability
def test_extreme_values_that_are_accepted_run_without_a_traceback(
    tmp_path: Path, data: Path, run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    path = _scenario(
        tmp_path,
        lambda t: _set(
            "emergency_credit_limit_pence", "1000", "500000\ncut_off_pence = -500000"
        )(_set("max_credit_pence", "25000", "500000")(_set("price", "24.86", "4294967.295")(t))),
    )
    code, out, err = run("simulate", "--scenario", str(path), "--for", "2h", "--speed", "max")
    assert code == 0, err
    assert "Simulated" in out
    assert "Traceback" not in err
    assert "Traceback" not in caplog.text


# -- 12. databases, exports and backups that are not what they claim ----------------------------


@pytest.mark.reliability
def test_simulate_refuses_a_folder_or_a_newer_database(
    tmp_path: Path, data: Path, run: Run
) -> None:
    refused(run("simulate", "--for", "1m", "--db", str(tmp_path)), "folder")
    newer = history(tmp_path / "newer.db")
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = snapshot(tmp_path)
    refused(run("simulate", "--for", "1m", "--db", str(newer)), "schema version 99", "untouched")
    assert snapshot(tmp_path) == before


@pytest.mark.reliability
def test_a_trial_export_to_an_existing_file_is_refused(
    data: Path, tmp_path: Path, run: Run
) -> None:
    from ihd_app.main import main as ihd
    from ihd_app.trial.store import TrialStore

    store = TrialStore.open_default()
    store.start_session("P07", scenario="prepay-low-credit", variant="standard", variant_detail={})
    store.close()
    target = tmp_path / "results"
    target.write_text("not a folder")
    refused(run("--trial-export", "P07", "--to", str(target), program=ihd), "is a file")
    assert target.read_text() == "not a folder"


@pytest.mark.security
@pytest.mark.parametrize(("n", "r", "p"), [(0, 8, 1), (3, 8, 1), (2**20, 32, 16), (2**14, 0, 1)])
def test_a_crafted_backup_header_is_a_backup_error(n: int, r: int, p: int) -> None:
    sealed = backup_crypto.seal({"format": "x"}, "correct horse battery")
    header = struct.pack(">8sIBB16s12s", backup_crypto.MAGIC, n, r, p, sealed[14:30], sealed[30:42])
    with pytest.raises(backup_crypto.BackupError, match="damaged"):
        backup_crypto.open_sealed(header + sealed[42:], "correct horse battery")


@pytest.mark.reliability
def test_a_table_name_with_quotes_does_not_break_the_open_check(tmp_path: Path) -> None:
    path = history(tmp_path / "h.db")
    with sqlite3.connect(path) as conn:
        conn.execute("""CREATE TABLE "we'ird""name" (x INTEGER)""")
    conn.close()
    with Store.open(path) as store:
        files.check_integrity(store.db.conn, "auto", size=files.AUTO_WHOLE_FILE_BYTES + 1)
        assert store.recovered_from is None
    assert sqlite_file.quoted("a'b") == "'a''b'"


# -- the property-based sweep ------------------------------------------------------------------


# A property-based sweep: arbitrary text at every ihd-cli option and arbitrary values at every
# scenario field never give a traceback, and a value refused is never exit status 0.

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40
) | st.sampled_from(["nan", "inf", "-inf", "1e999999", "0", "-1", "9" * 30, "1.5h", "2026-02-30"])
SWEEP = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# (argv before the option, the option, argv after): each command's options, with the others
# given good values, so the option swept is what decides.
OPTIONS = [
    (("simulate",), "--for", ()),
    (("simulate",), "--speed", ()),
    (("simulate",), "--seed", ()),
    (("utrn",), "--pounds", ()),
    (("utrn", "--pounds", "5"), "--fuel", ()),
    (("utrn",), "--pence", ()),
    (("utrn", "--pence", "5"), "--scenario", ()),
    ((*EXPORT[:1], "--fuel", "gas", "--to", "2026-01-13"), "--from", ("--out", "OUT")),
    ((*EXPORT[:1], "--fuel", "gas", "--from", "2026-01-12"), "--to", ("--out", "OUT")),
    (EXPORT, "--kind", ("--out", "OUT")),
    (EXPORT, "--out", ()),
    (("consent", "grant", "--purpose", "Advice"), "--name", ()),
    (("consent", "grant", "--name", "Ann"), "--purpose", ()),
    (("consent", "grant", "--name", "Ann", "--purpose", "Advice"), "--expires", ()),
    (("consent", "grant", "--name", "Ann", "--purpose", "Advice"), "--covers", ()),
    (("consent", "withdraw"), "--id", ()),
    (("consent", "show"), "--db", ()),
    (("capture", "--out", "x.pcap"), "--for", ()),
    (("capture", "--out", "x.pcap"), "--speed", ()),
]


def _simulate_parsed_only(argv: list[str]) -> int:
    """simulate is only parsed (a run takes seconds); its values must be in range."""
    from device_backend import limits

    args = cli.build_parser().parse_args(argv)
    assert timedelta(0) < args.duration <= limits.MAX_DURATION
    assert args.speed is None or limits.MIN_SPEED <= args.speed <= limits.MAX_SPEED
    seed = getattr(args, "seed", None)  # capture has none
    assert seed is None or 0 <= seed <= limits.MAX_SEED
    return 0


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("before", "option", "after"),
    OPTIONS,
    ids=[o[1] + "-" + o[0][0] + (o[0][1] if len(o[0]) > 1 else "") for o in OPTIONS],
)
def test_any_text_at_any_option_is_a_message_not_a_traceback(
    tmp_path: Path,
    data: Path,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    before: tuple[str, ...],
    option: str,
    after: tuple[str, ...],
) -> None:
    db = history(tmp_path / "h.db")
    monkeypatch.chdir(tmp_path)  # a relative --out lands here, not in the checkout
    parsed_only = before[0] in ("simulate", "capture")  # a run takes seconds: parse and check
    program = _simulate_parsed_only if parsed_only else cli.main

    @given(TEXT)
    @SWEEP
    def sweep(text: str) -> None:
        out = tmp_path / "out.csv"
        out.unlink(missing_ok=True)
        tail = [str(out) if a == "OUT" else a for a in after]
        no_db = before[0] in ("simulate", "utrn", "capture") or option == "--db"
        db_args = [] if no_db else ["--db", str(db)]
        value = text if option != "--out" else text.replace("\x00", "")
        code, _out, err = run(*before, *db_args, option, value, *tail, program=program)
        assert code in (0, 2, 3), (code, err)
        assert "Traceback" not in err
        if code == 2:
            assert err.strip(), "a refusal says why"
            assert "\x1b" not in err.strip().splitlines()[-1] or "\x1b" in text

    sweep()


def _scalar_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _scalar_paths(v, (*prefix, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _scalar_paths(v, (*prefix, i))]
    return [prefix]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


def _dump(value: Any, table: tuple[str, ...] = ()) -> str:
    """A small TOML writer for the parsed base scenario (tables, arrays of tables, scalars)."""
    lines: list[str] = []
    nested: list[str] = []
    for key, item in value.items():
        name = json.dumps(key)
        if isinstance(item, dict):
            nested.append(
                f"[{'.'.join(json.dumps(k) for k in (*table, key))}]\n" + _dump(item, (*table, key))
            )
        elif isinstance(item, list) and item and all(isinstance(i, dict) for i in item):
            for entry in item:
                header = ".".join(json.dumps(k) for k in (*table, key))
                nested.append(f"[[{header}]]\n" + _dump(entry, (*table, key)))
        else:
            lines.append(f"{name} = {_toml_value(item)}")
    return "\n".join(lines) + "\n" + "\n".join(nested)


HOSTILE_VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e999999", "-0.0", "1e-30", "4294967.296", "0"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    TEXT.map(json.dumps),
    st.sampled_from(["true", "[]", "{}", "9999-12-31T23:59:59Z", "0001-01-01", '"+99999d"']),
)


@pytest.mark.reliability
def test_any_value_at_any_scenario_field_loads_or_names_the_field(tmp_path: Path) -> None:
    import tomllib
    from decimal import Decimal

    base = tomllib.loads(PREPAY, parse_float=Decimal)
    fields = _scalar_paths(base)
    plain = tmp_path / "plain.toml"
    plain.write_text(_dump(base), encoding="utf-8")
    assert load_scenario(plain).name == "prepay-low-credit"  # the sweep starts from a good file

    @given(st.sampled_from(fields), HOSTILE_VALUES)
    @settings(max_examples=300, deadline=None)
    def sweep(field: tuple[Any, ...], value: str) -> None:
        marker = "__HOSTILE__"
        changed = json.loads(json.dumps(base, default=str))
        target = changed
        for step in field[:-1]:
            target = target[step]
        target[field[-1]] = marker
        text = _dump(_restore(changed, base)).replace(json.dumps(marker), value)
        path = tmp_path / "sweep.toml"
        path.write_text(text, encoding="utf-8")
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            refusal = str(error)
        else:
            refusal = ""
        if refusal:
            assert refusal.startswith(str(path))  # names the file (and the field after it)
            return
        # Accepted: it must be usable as far as building the simulated home.
        scenario.household()
        scenario.link_model()

    sweep()


def _restore(changed: Any, base: Any) -> Any:
    """The JSON round trip turned dates and Decimals into text: put the originals back."""
    if isinstance(changed, dict):
        return {k: _restore(v, base[k]) if k in base else v for k, v in changed.items()}
    if isinstance(changed, list):
        return [_restore(c, b) for c, b in zip(changed, base, strict=True)]
    return changed if changed == "__HOSTILE__" else base


@pytest.mark.security
def test_free_text_in_audit_logs_and_device_names_is_stored_escaped(tmp_path: Path) -> None:
    from device_backend.installer.audit import AuditLog
    from device_backend.installer.inventory import Names
    from device_backend.installer.storage import open_database

    db = open_database(tmp_path / "installer")
    Names(db).set("00:1e:5e:09:02:b0:00:11", "Meter\x1b[2J", "Hall\nIn force: consent 99")
    AuditLog(db).record("alice", "renamed", "to Meter\x1b[2J")
    rows = [*db["device_names"].rows, *db["audit"].rows]
    stored = json.dumps(rows, default=str)
    assert "\\u001b" not in stored  # no raw ESC reached the file
    assert "\\\\x1b" in stored
    assert "\\\\n" in stored
    with Store.open(tmp_path / "h.db") as store:
        store.audit("householder", "note", "line one\nIn force: consent 99")
        assert "\n" not in store.audit_log()[0].detail


def _display_parsed_only(argv: list[str]) -> int:
    """ihd's options are parsed only (a window would open); what passes must be in range."""
    from device_backend import limits
    from ihd_app.cli import build_parser

    args = build_parser().parse_args(argv)
    assert timedelta(0) < args.after <= limits.MAX_DURATION
    assert limits.MIN_SPEED <= args.speed <= limits.MAX_SPEED
    assert args.seed is None or 0 <= args.seed <= limits.MAX_SEED
    return 0


def _installer_parsed_only(argv: list[str]) -> int:
    from device_backend import limits
    from installer_tool.cli import build_parser

    args = build_parser().parse_args(argv)
    assert limits.MIN_SPEED <= args.speed <= limits.MAX_SPEED
    assert 1366 <= args.size[0] <= 16_384
    return 0


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("program", "option"),
    [
        ("ihd", "--after"),
        ("ihd", "--speed"),
        ("ihd", "--seed"),
        ("ihd", "--size"),
        ("ihd", "--screen"),
        ("ihd", "--language"),
        ("ihd", "--trial-wipe"),
        ("ihd", "--trial-export"),
        ("installer", "--speed"),
        ("installer", "--size"),
        ("installer", "--screen"),
    ],
)
def test_any_text_at_the_display_and_installer_options(
    data: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, program: str, option: str
) -> None:
    from ihd_app.main import main as ihd

    monkeypatch.chdir(tmp_path)
    chosen = {"ihd": _display_parsed_only, "installer": _installer_parsed_only}[program]
    if option.startswith("--trial"):
        chosen = ihd  # the trial commands run in full: they need no window

        def no_window(*_: Any) -> int:
            raise AssertionError("a trial command fell through to opening the display")

        monkeypatch.setattr("ihd_app.main._display", no_window)

    @given(TEXT)
    @SWEEP
    def sweep(text: str) -> None:
        code, _out, err = run(option, text, program=chosen)
        assert code in (0, 2), (code, err)
        assert "Traceback" not in err
        if code == 2:
            assert err.strip(), "a refusal says why"

    sweep()


@pytest.mark.reliability
def test_a_capture_never_writes_over_data_or_an_existing_file(
    tmp_path: Path, data: Path, run: Run
) -> None:
    own = history(files.default_path(create_dir=True))
    before = own.read_bytes()
    refused(run("capture", "--for", "1m", "--out", str(own)), "keeps its data in")
    refused(run("capture", "--for", "1m", "--out", "/dev/null", "--force"), "not a regular file")
    kept = tmp_path / "old.pcap"
    kept.write_bytes(b"an earlier capture")
    refused(run("capture", "--for", "1m", "--out", str(kept)), "--force")
    assert kept.read_bytes() == b"an earlier capture"
    assert own.read_bytes() == before

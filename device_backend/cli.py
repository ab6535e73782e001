"""ihd-cli: the headless tools (list and run scenarios, issue top-up codes as a supplier would,
record the household's consent to share half-hourly data, export history as CSV, and capture
a simulated HAN's traffic as pcap)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from device_backend import model

EXIT_BAD_INPUT = 2
EXIT_NO_CONSENT = 3  # an export finer than daily totals, with no consent in force to cover it
EXPORT_KINDS = ("daily", "half_hourly", "readings")


def json_line(record: dict[str, Any]) -> str:
    """One JSON object on one line, each Decimal written as the exact JSON number it is.

    The standard library's json writes only floats, and a float cannot hold 24.35 pence: the
    figures are spliced in as number text instead, so 24.35 in the event is 24.35 in the file (a
    reader chooses its own type: json.loads(line, parse_float=Decimal) gets them back exactly).
    """
    return _json_text(record, "record")


def _json_text(value: Any, key: str) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{key} is {value}, which JSON cannot hold")
        return format(value, "f")  # never exponent notation: 1E+1 -> 10
    if isinstance(value, dict):  # nested records (a top-up log's entries) keep exact figures too
        return (
            "{" + ", ".join(f"{json.dumps(k)}: {_json_text(v, k)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_json_text(item, key) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _money(value: Decimal | int | None) -> int | Decimal | None:
    """Pence as a JSON number: whole pence as an integer, a fraction exactly (json_line)."""
    if value is None:
        return None
    exact = Decimal(value)
    return int(exact) if exact == exact.to_integral_value() else exact


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def event_record(event: model.Event) -> dict[str, Any] | None:
    """One JSON object per domain event, in the stable shape researchers load into pandas."""
    time = event.time.isoformat().replace("+00:00", "Z")
    if isinstance(event, model.Demand):
        return {"time": time, "type": "demand", "fuel": event.fuel.value, "kw": event.kw}
    if isinstance(event, model.Energy):
        record: dict[str, Any] = {
            "time": time,
            "type": "energy",
            "fuel": event.fuel.value,
            "import_kwh": event.import_kwh,
        }
        if event.export_kwh is not None:
            record["export_kwh"] = event.export_kwh
        if event.source != "report":
            record["source"] = event.source  # "profile": rebuilt after an outage from GetProfile
        return record
    if isinstance(event, model.Price):
        return {
            "time": time,
            "type": "price",
            "fuel": event.fuel.value,
            "pence_per_kwh": event.pence_per_kwh,
            "standing_charge_pence_per_day": event.standing_charge_pence_per_day,
            "tier": event.tier,
            "tier_label": event.tier_label,
            "currency": event.currency,
        }
    if isinstance(event, model.Prepayment):
        return {
            "time": time,
            "type": "prepayment",
            "fuel": event.fuel.value,
            "mode": event.mode.value,
            "credit_pence": _money(event.credit_pence),
            "emergency_credit_pence": _money(event.emergency_credit_pence),
            "debt_pence": _money(event.debt_pence),
            "currency": event.currency,
            "low_credit": event.low_credit,
            "emergency_credit_available": event.emergency_credit_available,
            "emergency_credit_selected": event.emergency_credit_selected,
        }
    if isinstance(event, model.Supply):
        return {
            "time": time,
            "type": "supply",
            "fuel": event.fuel.value,
            "state": event.state.value,
        }
    if isinstance(event, model.SupplierMessage):
        return {
            "time": time,
            "type": "message",
            "id": event.id,
            "text": event.text,
            "confirmation_required": event.confirmation_required,
        }
    if isinstance(event, model.Connection):
        return {
            "time": time,
            "type": "connection",
            "state": event.state.value,
            "reason": event.reason,
        }
    if isinstance(event, model.Ambient):
        return {"time": time, "type": "ambient", "level": event.level.value}
    if isinstance(event, model.TopUpResult):
        return {
            "time": time,
            "type": "top_up",
            "outcome": event.outcome.value,
            "fuel": event.fuel.value,
            "value_pence": _money(event.value_pence),
            "credit_pence": _money(event.credit_pence),
            "currency": event.currency,
            "utrn": event.utrn_masked,
        }
    if isinstance(event, model.TopUpLog):
        # The meter's own record (whichever device or the supplier's WAN the top-ups came
        # from), newest first: unlike `top_up`, which is only what this display sent.
        return {
            "time": time,
            "type": "top_up_log",
            "fuel": event.fuel.value,
            "entries": [
                {"time": _iso(at), "value_pence": _money(value)} for at, value in event.entries
            ],
            "currency": event.currency,
        }
    if isinstance(event, model.LoadControl):
        return {
            "time": time,
            "type": "load_control",
            "load": event.load,
            "active": event.active,
            "starts": event.starts.isoformat(),
            "ends": event.ends.isoformat(),
        }
    if isinstance(event, model.TenancyChange):
        return {
            "time": time,
            "type": "tenancy",
            "takes_effect": _iso(event.takes_effect),
            "clear_display_data": event.clear_display_data,
        }
    if isinstance(event, model.SupplierChange):
        return {
            "time": time,
            "type": "supplier",
            "supplier": event.supplier,
            "provider_id": event.provider_id,
            "takes_effect": _iso(event.takes_effect),
        }
    if isinstance(event, model.LoadSwitchCalendar):
        return {
            "time": time,
            "type": "load_switches",
            "starts": _iso(event.starts),
            "labels": [label for label in event.labels if label],
            # [minute after local midnight, bitmap of the switches closed (bit 0 = switch 1)]
            "entries": [list(entry) for entry in event.entries],
        }
    if isinstance(event, model.DeviceChange):
        return {
            "time": time,
            "type": "device",
            "change": event.kind,
            "role": event.device.role,
            "ieee": event.device.ieee,
        }
    return None


def _parse_speed(text: str) -> float | None:
    if text == "max":
        return None
    from device_backend.cli_args import positive_speed

    return positive_speed(text)


def _parse_duration(text: str) -> timedelta:
    from device_backend.cli_args import duration

    return duration(text)


def _parse_seed(text: str) -> int:
    from device_backend.cli_args import seed

    return seed(text)


def build_parser() -> argparse.ArgumentParser:
    from device_backend.cli_conventions import HelpFormatter, add_standard_options

    parser = argparse.ArgumentParser(
        prog="ihd-cli", description=__doc__, formatter_class=HelpFormatter
    )
    add_standard_options(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, description: str, **kwargs: Any) -> Any:
        return sub.add_parser(
            name, help=summary, description=description, formatter_class=HelpFormatter, **kwargs
        )

    command(
        "scenarios",
        "list the simulated homes with one line each",
        "List the shipped scenarios (simulated GB homes) by name, with a line on each.",
    )
    sim = command(
        "simulate",
        "run a scenario headless",
        "Run a simulated home through zigpy without a window, as fast as asked; print a "
        "summary at the end, or every domain event as a JSON line (--jsonl).",
    )
    sim.add_argument(
        "--scenario", default="credit-dual-fuel", help="a scenario name or a TOML file"
    )
    sim.add_argument(
        "--for",
        dest="duration",
        type=_parse_duration,
        default=timedelta(days=1),
        help="simulated time to run, e.g. 30m, 6h, 1d (default 1d)",
    )
    sim.add_argument(
        "--speed",
        type=_parse_speed,
        default=None,
        help="clock speed: N times real time, or max (default max)",
    )
    sim.add_argument(
        "--seed",
        type=_parse_seed,
        default=None,
        help="random seed for the household's behaviour (default: the scenario's own)",
    )
    sim.add_argument(
        "--db", type=Path, default=None, help="store readings in this SQLite file (default: none)"
    )
    sim.add_argument("--jsonl", action="store_true", help="print one JSON object per event")
    utrn = command(
        "utrn",
        "issue a top-up code (UTRN) the scenario's meter accepts once",
        "Issue a 20-digit top-up code (UTRN) as the scenario's supplier would: the simulated "
        "meter accepts it once. Each call uses the next counter, kept in the data folder.",
    )
    utrn.add_argument(
        "--scenario", default="prepay-low-credit", help="the scenario whose meter takes the code"
    )
    amount = utrn.add_mutually_exclusive_group(required=True)
    amount.add_argument("--pounds", help="the top-up's value in pounds, e.g. 10 or 12.50")
    amount.add_argument("--pence", help="the top-up's value in whole pence, e.g. 1000")
    utrn.add_argument(
        "--fuel",
        choices=[f.value for f in model.Fuel],
        default="electricity",
        help="the meter to top up",
    )
    _add_consent_and_export(command)
    from device_backend import cli_capture

    cli_capture.add_command(command, _parse_duration, _parse_speed)
    replay = command(
        "replay",
        "decode a HAN capture into the events a display would show",
        "Read a pcap of IEEE 802.15.4 frames (link types 195 and 230) from a real or simulated "
        "HAN, decode MAC, NWK (unsecured, or secured with --network-key), APS and ZCL, and "
        "print the domain events the display's own translation derives from the meters' "
        "frames. A frame that cannot be decoded is named on standard error; the replay goes on.",
    )
    replay.add_argument("file", type=Path, metavar="FILE.pcap", help="the capture to read")
    replay.add_argument(
        "--network-key", metavar="HEX", default=None, help="the NWK key, to read secured frames"
    )
    replay.add_argument("--jsonl", action="store_true", help="print one JSON object per event")
    from device_backend.virtual_ncp import cli as virtual_dongle

    virtual_dongle.add_command(command)
    return parser


def _add_consent_and_export(command: Any) -> None:
    from device_backend.cli_args import calendar_date
    from device_backend.cli_conventions import HelpFormatter

    store = argparse.ArgumentParser(add_help=False)
    store.add_argument(
        "--db",
        type=Path,
        default=None,
        help="the history database (default: the display's, in your data folder)",
    )
    consent = command(
        "consent",
        "record, withdraw or show the household's consent to export "
        "half-hourly data (daily totals need none)",
        "The household's consent to export data finer than daily totals: who gave it, for "
        "what, what it covers and until when (GB's Data Access and Privacy Framework).",
    )
    action = consent.add_subparsers(dest="action", required=True, metavar="ACTION")

    def step(name: str, summary: str) -> Any:
        return action.add_parser(
            name,
            parents=[store],
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            formatter_class=HelpFormatter,
        )

    grant = step("grant", "record the bill payer's consent")
    grant.add_argument("--name", required=True, help="the bill payer's name, as they give it")
    grant.add_argument("--purpose", required=True, help="what the data will be used for, in words")
    grant.add_argument(
        "--covers",
        choices=("half_hourly", "readings"),
        default="half_hourly",
        help="the finest data allowed: half_hourly (default), or readings "
        "(raw readings every few seconds, and half-hourly data too)",
    )
    grant.add_argument(
        "--expires",
        type=calendar_date,
        default=None,
        metavar="DATE",
        help="last day the consent holds (YYYY-MM-DD); default: until withdrawn",
    )
    withdraw = step("withdraw", "withdraw consent: exports finer than daily stop at once")
    withdraw.add_argument(
        "--id",
        type=int,
        default=None,
        help="withdraw only this consent (default: every one in force)",
    )
    show = step("show", "show the consent in force")
    show.add_argument("--all", action="store_true", help="also list withdrawn and expired ones")
    export = command(
        "export",
        "export history as CSV (half-hourly and readings need consent)",
        "Write a fuel's history for a span of UK days as CSV: daily totals, half-hourly "
        "figures or raw readings (the last two only with a consent in force). The file is "
        "written under a temporary name and renamed when complete.",
        parents=[store],
    )
    export.add_argument(
        "--fuel", choices=[f.value for f in model.Fuel], required=True, help="which meter's history"
    )
    export.add_argument(
        "--from",
        dest="first",
        type=calendar_date,
        required=True,
        metavar="DATE",
        help="first day (YYYY-MM-DD, UK local)",
    )
    export.add_argument(
        "--to",
        dest="last",
        type=calendar_date,
        required=True,
        metavar="DATE",
        help="last day, included (YYYY-MM-DD, UK local)",
    )
    export.add_argument(
        "--kind",
        choices=EXPORT_KINDS,
        default="daily",
        help="daily totals (default; no consent needed), half_hourly, or raw readings",
    )
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="the CSV to write")
    export.add_argument(
        "--force", action="store_true", help="replace --out if it exists (never the database)"
    )


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    from device_backend.cli_conventions import interrupted, start_logging

    if argv is None:  # run as a program, not called from a test
        start_logging(args, "ihd-cli")
    try:
        return _command(args, out)
    except KeyboardInterrupt:  # Ctrl-C: each command has closed its store and files by now
        return interrupted("ihd-cli")


def _command(args: argparse.Namespace, out: TextIO) -> int:
    from device_backend.simulator.scenario import ScenarioError

    try:
        if args.command == "scenarios":
            return _list(out)
        if args.command == "utrn":
            return _utrn(args, out)
        if args.command in ("consent", "export"):
            return _with_store(args, out)
        if args.command == "replay":
            return _replay(args, out)
        if args.command == "capture":
            from device_backend import cli_capture

            return asyncio.run(cli_capture.run(args, out))
        if args.command == "virtual-dongle":
            from device_backend.virtual_ncp import cli as virtual_dongle

            return virtual_dongle.run(args, out)
        return asyncio.run(_simulate(args, out))
    except ScenarioError as exc:
        print(f"ihd-cli: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _replay(args: argparse.Namespace, out: TextIO) -> int:
    """Every event the display's translation derives from a capture; bad frames to stderr."""
    from device_backend.replay import replay

    key = None
    if args.network_key is not None:
        try:
            key = bytes.fromhex(args.network_key.replace(":", ""))
        except ValueError:
            key = b""
        if len(key) != 16:
            print("ihd-cli: the network key is 16 bytes as 32 hex digits", file=sys.stderr)
            return EXIT_BAD_INPUT

    def emit(event: model.Event) -> None:
        record = event_record(event)
        if record is None:
            return
        if args.jsonl:
            out.write(json_line(record) + "\n")
        else:
            out.write(f"{record['time']} {record['type']}\n")

    def problem(number: int, reason: str) -> None:
        print(f"frame {number}: {reason}", file=sys.stderr)

    try:
        frames = replay(args.file, emit, problem, key)
    except (OSError, ValueError) as exc:
        print(f"ihd-cli: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.jsonl:
        out.write(f"{frames} frames read\n")
    return 0


def _list(out: TextIO) -> int:
    from device_backend.simulator.scenario import list_scenarios

    scenarios = list_scenarios()
    if not scenarios:
        from device_backend.simulator.scenario import SCENARIO_DIR

        print(
            f"ihd-cli: no shipped scenarios in {SCENARIO_DIR}: the installation is incomplete "
            "(reinstall gb-smart-ihd)",
            file=sys.stderr,
        )
        return 1
    width = max(len(name) for name, _ in scenarios)
    for name, description in scenarios:
        print(f"{name:<{width}}  {description}", file=out)
    return 0


def _utrn(args: argparse.Namespace, out: TextIO) -> int:
    from device_backend import limits
    from device_backend.simulator.scenario import load_scenario
    from device_backend.simulator.utrn_counter import CounterError, next_counter
    from device_backend.utrn import MAX_VALUE, group_utrn

    most = MAX_VALUE * 100  # the 13-bit value field, in pounds (GBCS §14)
    try:
        if args.pounds is not None:
            pence = limits.pounds_to_pence(args.pounds, max_pence=most)
        else:
            pence = limits.pence(limits.whole_number(args.pence), max_pence=most)
    except ValueError as exc:
        return _refuse(str(exc))
    scenario = load_scenario(args.scenario)
    try:
        code = scenario.issue_top_up(model.Fuel(args.fuel), pence, next_counter(scenario))
    except (ValueError, CounterError) as exc:
        return _refuse(str(exc))
    except OSError as exc:
        return _refuse(f"cannot keep the UTRN counter: {exc.strerror or exc}")
    print(group_utrn(code), file=out)
    return 0


def _refuse(message: str) -> int:
    """One line on standard error, control characters escaped; exit status 2."""
    from device_backend.text import escaped

    print(f"ihd-cli: {escaped(message)}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _with_store(args: argparse.Namespace, out: TextIO) -> int:
    """consent and export: open the existing history database, act, and explain any refusal.

    Nothing here creates, renames or moves a database: a missing, damaged or foreign file is
    reported and left exactly as found. `consent show` only reads (no migration either).
    """
    from device_backend import sqlite_file
    from device_backend.store import ConsentRequiredError, Store, StoreError
    from device_backend.store.files import default_path

    path = args.db if args.db is not None else default_path()
    if args.command == "export":
        from device_backend.outputs import output_refusal

        refusal = output_refusal(args.out, path, force=args.force)
        if refusal:
            return _refuse(refusal)
    reading = args.command == "consent" and args.action == "show"
    try:
        with Store.open(path, mode="read_only" if reading else "existing") as store:
            if args.command == "export":
                return _export(store, args, out)
            return _consent(store, args, out)
    except sqlite_file.MissingDatabase:
        return _refuse(
            f"there is no history database at {path}; give --db the file the display "
            "(or `ihd-cli simulate --db`) records into"
        )
    except sqlite_file.CorruptDatabase as exc:
        return _refuse(
            f"{exc}; it was left as it is (the display sets a damaged database aside when it "
            "next starts, or restore it from a backup)"
        )
    except ConsentRequiredError as exc:
        print(f"ihd-cli: {exc}", file=sys.stderr)
        return EXIT_NO_CONSENT
    except (StoreError, sqlite_file.DatabaseFileError, ValueError) as exc:
        return _refuse(str(exc))  # ConsentInputError is a ValueError too
    except OSError as exc:
        return _refuse(f"cannot use {exc.filename or path}: {exc.strerror or exc}")


def _consent(store: Any, args: argparse.Namespace, out: TextIO) -> int:
    from device_backend.store.codes import local_midnight

    if args.action == "grant":
        expires = None if args.expires is None else local_midnight(args.expires + timedelta(days=1))
        granted = store.grant_consent(args.name, args.purpose, args.covers, expires)
        print(f"Recorded {granted.describe()}.", file=out)
        return 0
    if args.action == "withdraw":
        withdrawn = store.withdraw_consent(args.id)
        if not withdrawn:
            which = "no consent is" if args.id is None else f"consent {args.id} is not"
            print(f"Nothing withdrawn: {which} in force.", file=out)
        for item in withdrawn:
            print(f"Withdrawn {item.describe()}.", file=out)
        return 0
    in_force = store.consents_in_force()
    if not in_force:
        print(
            "No consent in force: half-hourly data and raw readings cannot be exported; "
            "daily totals can.",
            file=out,
        )
    for item in in_force:
        print(f"In force: {item.describe()}", file=out)
    if args.all:
        for item in store.consents():
            if item not in in_force:
                print(f"Ended: {item.describe()}", file=out)
    return 0


def _export(store: Any, args: argparse.Namespace, out: TextIO) -> int:
    from device_backend.store.codes import local_midnight

    first, last = args.first, args.last
    if last < first:
        print(f"ihd-cli: --to {last} is before --from {first}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from device_backend.progress import Progress

    start, end = local_midnight(first), local_midnight(last + timedelta(days=1))
    progress = Progress(f"Exporting to {args.out.name}")
    try:
        rows = store.export_csv(
            args.out,
            model.Fuel(args.fuel),
            start,
            end,
            kind=args.kind,
            on_rows=lambda count: progress.note(f"{count:,} rows"),
        )
    except OSError as exc:  # the CSV could not be written: its name, not the database's
        return _refuse(f"cannot write {args.out}: {exc.strerror or exc}; no file was written")
    finally:
        progress.finish()
    print(
        f"Wrote {rows} {args.kind.replace('_', '-')} row(s) of {args.fuel} for "
        f"{_span(first, last)} to {args.out}",
        file=out,
    )
    return 0


def _span(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


async def _simulate(args: argparse.Namespace, out: TextIO) -> int:
    from device_backend.facade import Backend

    backend = Backend(f"sim:{args.scenario}", speed=args.speed, seed=args.seed)
    store = None
    if args.db is not None:
        from device_backend import sqlite_file
        from device_backend.store import Store, StoreError

        try:
            store = Store.open(args.db, clock=backend.clock)
        except (StoreError, sqlite_file.DatabaseFileError, OSError) as exc:
            return _refuse(f"cannot record into {args.db}: {exc}")
        if store.recovered_from is not None:
            print(
                f"ihd-cli: {args.db} was unreadable and has been moved to "
                f"{store.recovered_from}; a new, empty one was started",
                file=sys.stderr,
            )
        backend.attach_store(store)
    counts: Counter[str] = Counter()

    reader_gone = asyncio.Event()

    def on_event(event: model.Event) -> None:
        counts[type(event).__name__] += 1
        if args.jsonl and not reader_gone.is_set():
            record = event_record(event)
            if record is not None:
                try:
                    out.write(json_line(record) + "\n")
                except BrokenPipeError:  # e.g. piped into `head`: stop quietly
                    reader_gone.set()

    backend.on_event(on_event)
    start = backend.clock.now()
    end = start + args.duration
    if not args.jsonl:  # with --jsonl the events themselves show the progress
        from device_backend.progress import Progress

        progress = Progress(f"Simulating {args.scenario}")

        def show_progress(_event: model.Event) -> None:
            now = backend.clock.now()
            progress.update((now - start) / args.duration, f"{now:%Y-%m-%d %H:%M} UTC")

        backend.on_event(show_progress)
    await backend.start()
    try:
        await backend.wait_online(timeout=30)
        await backend.wait_for_meters(timeout=30)
        run = asyncio.ensure_future(backend.run_until(end))
        gone = asyncio.ensure_future(reader_gone.wait())
        await asyncio.wait({run, gone}, return_when=asyncio.FIRST_COMPLETED)
        for task in (run, gone):
            task.cancel()
    finally:
        if not args.jsonl:
            progress.finish()
        await backend.stop()
        if store is not None:
            store.close()
    if reader_gone.is_set():
        _silence_stdout()
    elif not args.jsonl:
        _summary(backend, counts, out)
    return 0


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _summary(backend: Any, counts: Counter[str], out: TextIO) -> None:
    from device_backend.units import format_kwh, format_pounds, round_pence

    print(
        f"Simulated {backend.home.scenario.name} until {backend.clock.now():%Y-%m-%d %H:%M} UTC",
        file=out,
    )
    for fuel in model.Fuel:
        energy = backend.latest_of(model.Energy, fuel)
        if energy is not None:
            print(f"  {fuel.value:<12} meter reads {format_kwh(energy.import_kwh)}", file=out)
    prepayment = backend.latest_of(model.Prepayment)
    if prepayment is not None and prepayment.mode is model.PaymentMode.PREPAYMENT:
        credit, emergency, debt = (
            format_pounds(round_pence(pence))
            for pence in (
                prepayment.credit_pence,
                prepayment.emergency_credit_pence,
                prepayment.debt_pence,
            )
        )
        print(f"  credit {credit}, emergency credit {emergency}, debt {debt}", file=out)
    print("  events: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())), file=out)


if __name__ == "__main__":
    raise SystemExit(main())

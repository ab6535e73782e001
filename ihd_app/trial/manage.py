"""The trial paths of `ihd`: researcher PIN, list, export, wipe; and setting up a session."""

from __future__ import annotations

import argparse
import getpass
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from ihd_app.settings import Settings
from ihd_app.trial.script import TrialScript, build_scenario, read_script, script_path
from ihd_app.trial.store import TrialError, TrialStore, check_participant, is_bundle_of
from ihd_app.trial.variants import Variant, parse_variant

EXPORTS = "trial-exports"


def default_export_dir() -> Path:
    from device_backend.api import data_dir

    return data_dir() / EXPORTS


def run_command(args: argparse.Namespace) -> int:
    """--trial-set-pin, --trial-list, --trial-export or --trial-wipe: 0 done, 2 refused."""
    try:
        store = TrialStore.open_default()
    except (TrialError, OSError) as error:
        return _fail(str(error))
    try:
        if args.trial_set_pin:
            return _set_pin(store)
        if args.trial_list:
            for participant in store.participants():
                for s in store.sessions_of(participant):
                    ended = s.ended or "not ended"
                    print(f"{participant}\t{s.id}\t{s.started}\t{ended}\t{s.variant}\t{s.scenario}")
            return 0
        if args.trial_export:
            folder = Path(args.to) if args.to else Path.cwd()
            for bundle in store.export(args.trial_export, folder):
                print(bundle)
            return 0
        if args.trial_wipe:
            count = wipe_participant(store, args.trial_wipe)
            print(f"ihd: wiped {args.trial_wipe} ({count} session{'s' if count != 1 else ''})")
            return 0
    except TrialError as error:
        return _fail(str(error))
    finally:
        store.close()
    return _fail("no trial command given")


def _set_pin(store: TrialStore) -> int:
    if sys.stdin.isatty():
        pin = getpass.getpass("Researcher PIN (4 to 8 digits): ")
        again = getpass.getpass("The same PIN again: ")
        if pin != again:
            return _fail("the two PINs were different; nothing was changed")
    else:
        pin = sys.stdin.readline().strip()
    store.set_researcher_pin(pin)
    print("ihd: researcher PIN set")
    return 0


def wipe_participant(store: TrialStore, participant: str) -> int:
    """The log's rows and file pages, bundles in the default export folder, the kiosk's note."""
    check_participant(participant)
    session_ids = set(store.session_ids(participant))
    count = store.wipe(participant)
    exports = default_export_dir()
    if exports.is_dir():
        for bundle in exports.iterdir():
            if is_bundle_of(bundle.name, participant) and bundle.is_dir():
                shutil.rmtree(bundle, ignore_errors=True)
    from ihd_app.kiosk import KioskState, state_path

    kiosk = KioskState(state_path())
    if kiosk.read().get("session") in session_ids:
        kiosk.clear()
    return count


def _fail(message: str) -> int:
    print(f"ihd: {message}", file=sys.stderr)
    return 2


@dataclass
class PreparedTrial:
    store: TrialStore
    session_id: str
    resumed: bool
    variant: Variant
    target: str  # what to connect to: the scenario (with the script's timeline) or a radio
    settings: Settings  # the participant's starting settings


def prepare_trial(
    args: argparse.Namespace, scenario_folder: Path, default_scenario: str
) -> PreparedTrial:
    """Check everything before any window opens; raises TrialError with the reason."""
    participant = check_participant(args.trial)
    variant = parse_variant(args.variant)
    script: TrialScript | None = read_script(script_path(args.script)) if args.script else None
    if args.target and script is not None:
        raise TrialError("a trial script plays on a simulated home: use --scenario, not --target")
    scenario = args.scenario or (script.base if script else None) or default_scenario
    target = args.target or f"sim:{scenario}"
    if script is not None:
        target = f"sim:{build_scenario(scenario, script, scenario_folder)}"
    store = TrialStore.open_default()
    if not store.researcher_pin_set:
        store.close()
        raise TrialError(
            "set a researcher PIN before the first trial (ihd --trial-set-pin): it is what "
            "lets you, and not the participant, leave trial mode"
        )
    settings = variant.settings(Settings())
    if args.language:
        settings = replace(settings, language=args.language)
    open_session = store.open_session(participant)
    if args.resume and open_session is not None:
        return PreparedTrial(store, open_session.id, True, variant, target, settings)
    if open_session is not None:
        store.end_session(open_session.id, "interrupted")
    session_id = store.start_session(
        participant,
        scenario=args.target or scenario,
        variant=variant.name,
        variant_detail=variant.detail(),
        script_name=script.name if script else "",
        script_text=script.text if script else "",
        language=args.language or "",
    )
    return PreparedTrial(store, session_id, False, variant, target, settings)

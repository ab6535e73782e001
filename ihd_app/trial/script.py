"""Scripted trial sequences: a base scenario's home with the script's own timeline of events."""

# A script is TOML in the scenario files' own [[timeline]] format, optionally with a [trial]
# table naming its base scenario. It is merged as text (the standard library reads TOML but
# cannot write it) into a temporary scenario file, which the simulator then loads and checks.

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from device_backend.api import (
    ScenarioError,
    asset_path,
    check_scenario,
    read_toml,
    scenario_file,
)
from ihd_app.trial.store import TrialError

# Shipped example scripts (package data), usable by name: --script evening-credit-low.
SCRIPT_DIR = asset_path("ihd_app", "trial", "scripts")

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")


@dataclass(frozen=True, slots=True)
class TrialScript:
    name: str  # the script's file name, for the log
    text: str
    base: str | None  # the scenario named in its [trial] table, if any
    description: str


def script_path(name_or_path: str) -> Path:
    """A file path as given, or a shipped script by name ("evening-credit-low")."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or "/" in name_or_path or candidate.exists():
        return candidate
    return SCRIPT_DIR / f"{name_or_path}.toml"


def read_script(path: Path) -> TrialScript:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TrialError(f"cannot read the trial script {path}: {error.strerror}") from None
    try:
        data = read_toml(text)
    except tomllib.TOMLDecodeError as error:
        raise TrialError(f"{path}: not valid TOML: {error}") from None
    except ValueError as error:  # nested too deep or too long
        raise TrialError(f"{path}: {error}") from None
    unknown = set(data) - {"trial", "timeline"}
    if unknown:
        raise TrialError(
            f"{path}: a trial script holds a [trial] table and [[timeline]] events only, "
            f"not {', '.join(sorted(unknown))}"
        )
    if not isinstance(data.get("timeline", []), list) or not data.get("timeline"):
        raise TrialError(f"{path}: the script has no [[timeline]] events")
    trial = data.get("trial", {})
    base = trial.get("scenario")
    return TrialScript(
        name=path.name,
        text=text,
        base=str(base) if base else None,
        description=str(trial.get("description", "")),
    )


def _blocks(text: str) -> list[tuple[str, str]]:
    """(table name, text) for each table of a TOML file; "" for lines before the first table."""
    blocks: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines(keepends=True):
        match = _HEADER.match(line)
        if match:
            blocks.append((match.group(1).strip(), [line]))
        else:
            blocks[-1][1].append(line)
    return [(name, "".join(lines)) for name, lines in blocks]


def _is_timeline(table: str) -> bool:
    return table == "timeline" or table.startswith("timeline.")


def merged_scenario_text(base_text: str, script_text: str) -> str:
    """The base scenario without its timeline, followed by the script's timeline."""
    kept = [text for name, text in _blocks(base_text) if not _is_timeline(name)]
    timeline = [text for name, text in _blocks(script_text) if _is_timeline(name)]
    return (
        "".join(kept).rstrip() + "\n\n# -- the trial script's timeline --\n\n" + "".join(timeline)
    )


def build_scenario(scenario: str, script: TrialScript, folder: Path) -> Path:
    """Write the merged scenario into `folder` and check it loads; its path, for `sim:PATH`."""
    base = scenario_file(scenario)
    try:
        base_text = base.read_text(encoding="utf-8")
    except OSError:
        raise TrialError(f"no scenario '{scenario}' to run the trial script on") from None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "trial-scenario.toml"
    path.write_text(merged_scenario_text(base_text, script.text), encoding="utf-8")
    try:
        check_scenario(path)
    except ScenarioError as error:
        # Name the researcher's script, not our temporary file.
        raise TrialError(
            f"{script.name} (on scenario {scenario}): {error.field + ': ' if error.field else ''}"
            f"{error.reason}"
        ) from None
    return path

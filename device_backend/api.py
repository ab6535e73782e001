"""The back end's public surface for both applications (the display and the installer toolkit).

ihd_app and installer_tool import from this module, `device_backend.installer.api` and
`device_backend.survey.api` only; an import-linter contract in pyproject.toml enforces it, so
everything else in device_backend can change shape without touching a window. What is here:
the facade and its connection targets, the domain types (`model`) and the reader of a
meter's tariff schedule (`tariff_schedule`), money and energy arithmetic for display, the
clock's time zone helpers, UTRN entry, where the data lives, the shipped logging set-up,
shared command-line argument checks, the store's types, and the scenario files through the
facade.

The display paints its first screen before it starts the back end, so importing this module
stays light (no zigpy, no SQLite): the facade, the store and the scenario helpers load on first
use (PEP 562 module `__getattr__`), when the program asks for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from device_backend import logs, model, tariff_schedule
from device_backend.cli_args import duration, positive_speed, seed, window_size
from device_backend.cli_conventions import (
    HelpFormatter,
    add_standard_options,
    announce_start,
    interrupted,
    start_logging,
)
from device_backend.clock import LONDON, local_day_start
from device_backend.model import AmbientLevel
from device_backend.money import currency_symbol, json_pence
from device_backend.paths import config_file, data_dir, private_dir
from device_backend.resources import asset_path
from device_backend.units import energy_cost_pence, round_pence, round_to
from device_backend.utrn import UTRN_LENGTH, UtrnError, UtrnReason, group_utrn, validate_utrn

if TYPE_CHECKING:
    from device_backend.facade import (
        Backend,
        TargetError,
        check_scenario,
        list_scenarios,
        parse_target,
        scenario_file,
    )
    from device_backend.simulator.scenario import ScenarioError, read_toml
    from device_backend.sqlite_file import DatabaseFileError, Recipe, open_private
    from device_backend.store import PeriodTotal, Store

# name -> the module that defines it, imported the first time the name is asked for
_LATER = {
    "Backend": "device_backend.facade",
    "TargetError": "device_backend.facade",
    "parse_target": "device_backend.facade",
    "ScenarioError": "device_backend.simulator.scenario",
    "read_toml": "device_backend.simulator.scenario",
    "DatabaseFileError": "device_backend.sqlite_file",
    "Recipe": "device_backend.sqlite_file",
    "open_private": "device_backend.sqlite_file",
    "check_scenario": "device_backend.facade",
    "list_scenarios": "device_backend.facade",
    "scenario_file": "device_backend.facade",
    "PeriodTotal": "device_backend.store",
    "Store": "device_backend.store",
}

__all__ = [
    "LONDON",
    "UTRN_LENGTH",
    "AmbientLevel",
    "Backend",
    "DatabaseFileError",
    "HelpFormatter",
    "PeriodTotal",
    "Recipe",
    "ScenarioError",
    "Store",
    "TargetError",
    "UtrnError",
    "UtrnReason",
    "add_standard_options",
    "announce_start",
    "asset_path",
    "check_scenario",
    "config_file",
    "currency_symbol",
    "data_dir",
    "duration",
    "energy_cost_pence",
    "group_utrn",
    "interrupted",
    "json_pence",
    "list_scenarios",
    "local_day_start",
    "logs",
    "model",
    "open_private",
    "parse_target",
    "positive_speed",
    "private_dir",
    "read_toml",
    "round_pence",
    "round_to",
    "scenario_file",
    "seed",
    "start_logging",
    "tariff_schedule",
    "validate_utrn",
    "window_size",
]

if not TYPE_CHECKING:  # mypy reads the imports above; a module __getattr__ would hide typos

    def __getattr__(name: str) -> Any:
        where = _LATER.get(name)
        if where is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where), name)
        globals()[name] = value  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(__all__)

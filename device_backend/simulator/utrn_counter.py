"""The supplier's UTRN counter per scenario, kept on disk so every issued code is fresh."""

from __future__ import annotations

import json
import os
from pathlib import Path

from device_backend.simulator.scenario import Scenario

# Codes the timeline issues use the counters just after first_counter; the supplier tool
# starts well above them so its codes never collide with a scenario's own top-ups.
SUPPLIER_OFFSET = 200


def _state_file() -> Path:
    override = os.environ.get("IHD_DATA_DIR")
    if override:
        return Path(override) / "utrn-counters.json"
    from platformdirs import user_data_dir

    return Path(user_data_dir("gb-smart-ihd")) / "utrn-counters.json"


def next_counter(scenario: Scenario, path: Path | None = None) -> int:
    path = path or _state_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        state = {}
    counter = int(state.get(scenario.name, scenario.first_utrn_counter + SUPPLIER_OFFSET - 1)) + 1
    state[scenario.name] = counter
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    tmp.replace(path)
    return counter % 1024

"""The supplier's UTRN counter per scenario, kept on disk so no code is ever issued twice.

GBCS §14 gives the counter 10 bits of the code (see gb_domain.md: "7 zero bits | 10 counter
bits | ..."); the meter refuses a code whose counter it has already accepted, or one that falls
too far below the newest (its anti-replay window). A GB supplier therefore treats the counter
as strictly increasing per meter and never issues a value again. This tool does the same:

- the file is read, the counter raised by one and written back under an exclusive lock (two
  terminals cannot get the same value), through a 0600 temporary file that is fsynced and
  renamed over the old one, with the folder fsynced too, before the code is shown;
- a file that cannot be read as counters stops the tool: guessing would risk a repeat;
- the counter never wraps: when a scenario's meter has had counter 1023, no more codes are
  issued for it and the message says so, rather than silently starting again at 0.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

from device_backend import paths
from device_backend.simulator.scenario import Scenario
from device_backend.utrn import MAX_COUNTER

# Codes the timeline issues use the counters just after first_counter; the supplier tool
# starts well above them so its codes never collide with a scenario's own top-ups.
SUPPLIER_OFFSET = 200
FILE_NAME = paths.UTRN_COUNTERS


class CounterError(Exception):
    """No code can be issued safely; the message says why and what to do."""


def state_file() -> Path:
    return paths.data_file(FILE_NAME, create_dir=False)


def next_counter(scenario: Scenario, path: Path | None = None) -> int:
    """Reserve and return the next counter for the scenario's meter (0-1023, never reused)."""
    path = path or state_file()
    paths.private_dir(path.parent)
    with _locked(path):
        state = read_state(path)
        first = scenario.first_utrn_counter + SUPPLIER_OFFSET
        counter = state[scenario.name] + 1 if scenario.name in state else first
        if counter > MAX_COUNTER:
            raise CounterError(
                f"every UTRN counter up to {MAX_COUNTER} has been issued for the meter of "
                f"scenario {scenario.name}; a code's counter field is 10 bits and a used value "
                "is never issued again, so no more codes can be made for this meter"
            )
        state[scenario.name] = counter
        _write(path, state)
    return counter


def read_state(path: Path) -> dict[str, int]:
    """The counters in the file ({} if there is none); CounterError if it cannot be trusted."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(path, str(error)) from None
    try:
        state = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise _unreadable(path, f"not JSON: {error}") from None
    if not isinstance(state, dict):
        raise _unreadable(path, "expected an object of scenario names and counters")
    for name, value in state.items():
        # Files from before this check held counters past 1023 (they wrapped): kept, so that
        # such a meter is reported as used up rather than issued a repeat.
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
            raise _unreadable(path, f"the counter for {name!r} is not a whole number")
    return state


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a counter")


def _unreadable(path: Path, why: str) -> CounterError:
    return CounterError(
        f"the UTRN counter file {path} is unreadable ({why}); no code was issued, because "
        "starting the counters again could repeat a code already given out. Restore the file "
        "from a backup, or, only if none of its codes can still be used, move it away"
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = Path(f"{path}.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write(path: Path, state: dict[str, int]) -> None:
    temporary = Path(f"{path}.tmp")
    temporary.unlink(missing_ok=True)  # a leftover's looser mode would be kept otherwise
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(state, sort_keys=True).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a power cut
    finally:
        os.close(folder)

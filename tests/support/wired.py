"""The display wired as `ihd` wires it on a simulated home: window, store, facade, one loop.

Shared by the soak test and the benchmarks (benchmarks/display.py), which must measure the same
program. It follows ihd_app.main: the window and its DisplayState, the facade on the simulated
home, the history store subscribed to the facade's events before the display is attached, then
the session started and the one-second tick running. Nothing here imports pytest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

SCENARIO = "sim:credit-dual-fuel"
SEED = 20260112
Synchronous = Literal["FULL", "NORMAL"]


@dataclass
class WiredDisplay:
    backend: Any
    store: Any
    state: Any
    window: Any
    folder: Path

    async def close(self) -> None:
        self.state.stop_ticking()
        await self.state.session.stop()
        self.store.close()
        self.window.force_close()
        self.window.deleteLater()
        self.state.deleteLater()


async def open_display(
    folder: Path, synchronous: Synchronous, scenario: str = SCENARIO, seed: int = SEED
) -> WiredDisplay:
    """The ihd window, its store and back end on a simulated home, wired as ihd_app.main wires them."""
    from device_backend.facade import Backend
    from device_backend.store import Store
    from ihd_app.settings import SettingsFile
    from ihd_app.state import DisplayState
    from ihd_app.totals import StoreTotals
    from ihd_app.window import MainWindow

    state = DisplayState(SettingsFile(folder / "display.json"))
    window = MainWindow(state)
    window.resize(800, 480)
    window.show_screen("now")
    window.show()
    # A real radio's zigpy database would go to the user's data folder: keep it in ours.
    backend = Backend(
        scenario,
        speed=None,
        seed=seed,
        zigpy_database=None if scenario.startswith("sim:") else str(folder / "zigpy.db"),
    )
    store = Store.open(folder / "history.db", clock=backend.clock, synchronous=synchronous)
    backend.attach_store(store, batch=1)  # as ihd_app.main attaches it
    state.session.attach(backend)
    state.set_source(StoreTotals(store))
    await state.session.start()
    state.start_ticking()
    await backend.wait_online(timeout=60)
    await backend.wait_for_meters(timeout=60)
    return WiredDisplay(backend, store, state, window, folder)

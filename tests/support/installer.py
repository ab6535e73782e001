"""The installer toolkit's test kit: the window on a simulated home, and the service alone.

`kit` opens the toolkit on the credit-dual-fuel home for one test body; `on_service` runs a
coroutine against the installer service on a running simulated home, with no window.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

import installer_tool  # noqa: F401 - pins the Qt binding
from device_backend.facade import Backend
from device_backend.installer.service import InstallerService
from installer_tool.session import Session
from installer_tool.window import MainWindow
from tests.support.loops import run

T = TypeVar("T")
PASSWORD = "a long enough secret"


class Toolkit:
    """The window on a simulated home, with an engineer's hands: type, click, wait, read."""

    def __init__(
        self,
        qtbot: Any,
        loop: asyncio.AbstractEventLoop,
        data_dir: Path,
        target: str = "sim:credit-dual-fuel",
        clock: Any = None,
    ) -> None:
        self.qtbot, self.loop = qtbot, loop
        self.session = Session(data_dir)
        # An `ezsp:` target (the virtual dongle) keeps its zigpy database with the engineer's.
        self.backend = (
            Backend("sim:credit-dual-fuel", speed=20)
            if target.startswith("sim:")
            else Backend(target, zigpy_database=str(data_dir / "zigpy.db"))
        )
        if clock is not None:
            # A virtual dongle's home running faster than real time: the host's clock runs
            # with it (simulated time), as the simulator's own clock does for `sim:`.
            self.backend.clock = clock
        self.service = InstallerService(self.backend, db=self.session.db)
        self.session.attach(self.backend, self.service)
        self.window = MainWindow(self.session)
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)
        self.window.show()
        self.run(self._start())

    async def _start(self) -> None:
        await self.session.start()
        await self.backend.wait_online(30)
        await self.backend.wait_for_meters(30)

    def run(self, awaitable: Any) -> Any:
        return self.loop.run_until_complete(awaitable)

    def find(self, kind: type, name: str) -> Any:
        widget = self.window.findChild(kind, name)
        assert widget is not None, f"no {kind.__name__} called {name}"
        return widget

    def type(self, name: str, text: str) -> None:
        field = self.find(QLineEdit, name)

        async def keys() -> None:  # Qt events are handled inside the loop, as in the application
            field.clear()
            self.qtbot.keyClicks(field, text)
            await asyncio.sleep(0)

        self.run(keys())

    def click(self, name: str) -> None:
        button = self.find(QPushButton, name)
        assert button.isVisible(), f"{name} is not on screen"
        assert button.isEnabled(), f"{name} is disabled"

        async def press() -> None:  # operations start tasks, which qasync wants inside the loop
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            await asyncio.sleep(0)

        self.run(press())

    def text(self, name: str) -> str:
        return str(self.find(QLabel, name).text())

    def finish(self, page: Any) -> None:
        """Wait for the page's operation to end, as the engineer watches its progress bar."""
        task = page.operation.task
        if task is not None:
            self.run(asyncio.wait_for(asyncio.shield(task), 60))
        self.settle()

    def settle(self) -> None:
        """Let queued frames and repaints run inside the loop (never outside it: qasync hands
        asyncio callbacks to Qt, and one run with no loop running has no loop to reply on)."""
        self.run(asyncio.sleep(0.02))

    def sign_up(self, username: str = "alice") -> None:
        self.type("signin-username", username)
        self.type("signin-display-name", "Alice Engineer")
        self.type("signin-password", PASSWORD)
        self.type("signin-confirm", PASSWORD)
        self.click("signin-button")

    def page(self, name: str) -> Any:
        return self.window.show_screen(name)

    def close(self) -> None:
        self.run(self.session.stop())
        self.run(asyncio.sleep(0.3))  # frames and joins already on their way land inside the loop
        self.session.close()


@contextlib.contextmanager
def opened(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    data_dir: Path,
    *,
    sign_in: bool = True,
    target: str = "sim:credit-dual-fuel",
    clock: Any = None,
) -> Iterator[Toolkit]:
    """The toolkit for one test body. pytest-qt processes Qt events between setup, call and
    teardown, outside the asyncio loop; a simulated home must not be running then, so it is
    started and stopped inside the test body."""
    shown = Toolkit(qtbot, loop, data_dir, target, clock)
    try:
        if sign_in:
            shown.sign_up()
        yield shown
    finally:
        shown.close()


@pytest.fixture
def kit(qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> Any:
    return lambda sign_in=True: opened(qtbot, loop, tmp_path / "engineer-data", sign_in=sign_in)


def on_service(
    body: Callable[[Backend, InstallerService], Awaitable[T]],
    scenario: str = "credit-dual-fuel",
    speed: float = 20,
    db: Any = None,
) -> T:
    """Run `body` on the installer service of a simulated home, online and interviewed."""

    async def started() -> T:
        backend = Backend(f"sim:{scenario}", speed=speed)
        service = InstallerService(backend, db=db)
        await backend.start()
        await service.start()
        try:
            await backend.wait_online(30)
            await backend.wait_for_meters(30)
            return await body(backend, service)
        finally:
            await service.stop()
            await backend.stop()

    return run(started())


def esme_image(path: Path, esme: Any, version: int = 0x00000202) -> Path:
    """A valid OTA upgrade file for the simulated ESME at `version`, written to `path`."""
    from device_backend.installer.firmware import build_image

    path.write_bytes(
        build_image(
            manufacturer_id=esme.manufacturer_code,
            image_type=1,
            file_version=version,
            payload=bytes(range(256)) * 4,
        )
    )
    return path


def update_firmware(signed_in: Toolkit, esme: Any, image: Path) -> None:
    """On the Firmware page, as an engineer: pick the meter, check the file, update, and see
    0x00000101 become the file's 0x00000202."""
    page = signed_in.page("firmware")
    page.device.pick(str(esme.ieee))
    assert signed_in.text("firmware-current") == "0x00000101"
    signed_in.type("firmware-image", str(image))
    signed_in.click("firmware-check")
    assert "Version 0x00000202" in signed_in.text("firmware-image-info")
    signed_in.click("firmware-update")
    signed_in.finish(page)
    assert signed_in.text("firmware-outcome") == "Updated from 0x00000101 to 0x00000202."
    assert signed_in.text("firmware-current") == "0x00000202"

"""Start the installer toolkit: sign-in paints first, then the radio stack loads in one qasync loop."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import installer_tool  # noqa: F401 - pins the Qt binding before PySide6, pyqtgraph or qasync load
from installer_tool.cli import build_parser, target_of

LOGGER = logging.getLogger(__name__)
SCREENSHOT_SPEED = 30.0  # a simulated home runs fast enough for the meters to have reported


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.screenshot and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a screenshot needs no screen
    from device_backend.api import interrupted, start_logging

    # The shipped set-up: keys, install codes and UTRNs redacted from every line, on standard
    # error and in the rotating log file.
    start_logging(args, "ihd-installer")
    try:
        return _main(args)
    except KeyboardInterrupt:  # Ctrl-C outside the window's own handler (during start-up)
        return interrupted("ihd-installer")


def _main(args: argparse.Namespace) -> int:
    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from installer_tool.session import Session
    from installer_tool.window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "ihd-installer"])
    assert isinstance(app, QApplication)
    # Qt leaves Ctrl-C to kill the process outright; until the window's own handler is in
    # place, Python's turns it into KeyboardInterrupt, which main() ends cleanly with 130.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
    with _data_dir(args) as data_dir:
        try:
            session = Session(data_dir)
        except Exception as error:  # noqa: BLE001 - an unreadable data folder: say which and why
            return _fail(
                f"cannot open the engineer database in {data_dir or 'the user data folder'}: {error}"
            )
        window = MainWindow(session)
        window.resize(*args.size)
        if args.screenshot:
            window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.show()
        app.processEvents()  # the sign-in screen paints before the radio stack is imported
        previous_quit = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        # The display's helper: both programs are in one distribution, and the rule is the same.
        from ihd_app.gui_thread_gc import collect_on_gui_thread

        try:
            with loop, collect_on_gui_thread():
                runner = (
                    _screenshot(session, window, args)
                    if args.screenshot
                    else _run(session, window, args)
                )
                return loop.run_until_complete(runner)
        finally:
            asyncio.set_event_loop(None)
            app.setQuitOnLastWindowClosed(previous_quit)
            window.close()
            window.deleteLater()
            session.close()


@contextlib.contextmanager
def _data_dir(args: argparse.Namespace) -> Iterator[Path | None]:
    if args.data_dir:
        yield Path(args.data_dir)
    elif args.screenshot:
        with tempfile.TemporaryDirectory(prefix="ihd-installer-") as folder:
            yield Path(folder)  # a screenshot must not create accounts in anyone's real database
    else:
        yield None


def _fail(message: str) -> int:
    print(f"ihd-installer: {message}", file=sys.stderr)
    return 2


def open_backend(target: str, speed: float | None, db: Any) -> tuple[Any, Any]:
    """Import the back end now (after the first paint) and build the installer service on it."""
    from device_backend.api import Backend
    from device_backend.installer.api import InstallerService

    backend = Backend(target, speed=speed)
    return backend, InstallerService(backend, db=db)


async def _run(session: Any, window: Any, args: argparse.Namespace) -> int:
    from device_backend.api import TargetError

    closed = asyncio.Event()
    window.closed.connect(closed.set)
    try:
        backend, service = open_backend(target_of(args), args.speed, session.db)
    except (TargetError, ValueError, OSError) as error:
        return _fail(str(error))
    session.attach(backend, service)
    if session.engineer is not None:
        window.build_pages()
    stopping = (signal.SIGINT, signal.SIGTERM)
    received: list[int] = []

    def stop(number: int, _frame: Any) -> None:
        received.append(number)
        window.close()

    previous = {n: signal.signal(n, stop) for n in stopping}
    LOGGER.info("The toolkit is running: close the window or press Ctrl-C to stop it")
    try:
        await session.start()
        await closed.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        session.sign_out()
        await session.stop()
    if signal.SIGINT in received:  # Ctrl-C, after a clean stop
        from device_backend.api import interrupted

        return interrupted("ihd-installer")
    return 0


async def _screenshot(session: Any, window: Any, args: argparse.Namespace) -> int:
    from device_backend.api import TargetError
    from installer_tool.screenshot import save_screen

    target = target_of(args)
    if not target.startswith("sim:"):
        return _fail("--screenshot runs on the simulator only: use --scenario NAME")
    try:
        backend, service = open_backend(target, SCREENSHOT_SPEED, session.db)
    except (TargetError, ValueError, OSError) as error:
        return _fail(str(error))
    session.attach(backend, service)
    try:
        await session.start()
        ok = await save_screen(session, window, args.screen, Path(args.screenshot))
    finally:
        await session.stop()
    return 0 if ok else _fail(f"could not write {args.screenshot}")


if __name__ == "__main__":
    raise SystemExit(main())

"""Start the display: paint the first screen, then load the radio stack inside one qasync loop."""

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

import ihd_app  # noqa: F401 - pins the Qt binding before PySide6, pyqtgraph or qasync load
from ihd_app.cli import DEFAULT_SCENARIO, build_parser, target_of

LOGGER = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from device_backend.api import interrupted, start_logging

    supervisor = args.fullscreen and not args.screenshot and not args.kiosk_child
    # The kiosk supervisor and its display child are two processes: one log file each, so
    # neither rotates the other's file from under it.
    program = "ihd-kiosk" if supervisor else "ihd"
    # The display says it started once its first screen has painted (_display), as the
    # version lookup costs start-up time; every other path says so here.
    displaying = not supervisor and not _is_command(args)
    start_logging(args, program, announce=not displaying)
    try:
        return _main(args, argv)
    except KeyboardInterrupt:  # Ctrl-C outside the window's own handler (start-up, commands)
        return interrupted("ihd")


def _is_command(args: argparse.Namespace) -> bool:
    """A trial management command: it runs and ends without a window."""
    return bool(args.trial_export or args.trial_wipe or args.trial_set_pin or args.trial_list)


def _main(args: argparse.Namespace, argv: list[str] | None) -> int:
    if _is_command(args):
        from ihd_app.trial.manage import run_command

        return run_command(args)
    if (args.to and not (args.trial_export or args.trial)) or (args.script and not args.trial):
        return _fail("--to goes with --trial-export or --trial, and --script with --trial")
    if args.fullscreen and not args.screenshot and not args.kiosk_child:
        # Kiosk mode: this process only supervises; the display runs (and may crash) in a child.
        from ihd_app.kiosk import supervise

        return supervise(list(sys.argv[1:] if argv is None else argv))
    with tempfile.TemporaryDirectory(prefix="ihd-trial-") as folder:
        trial = None
        if args.trial:
            from ihd_app.trial.manage import prepare_trial
            from ihd_app.trial.store import TrialError

            try:
                trial = prepare_trial(args, Path(folder), DEFAULT_SCENARIO)
            except TrialError as error:
                return _fail(str(error))
        try:
            return _display(args, trial)
        finally:
            if trial is not None:
                trial.store.close()


def _display(args: argparse.Namespace, trial: Any) -> int:
    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ihd_app.settings import SettingsFile
    from ihd_app.state import DisplayState
    from ihd_app.translation import install_translator
    from ihd_app.window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "ihd"])
    assert isinstance(app, QApplication)
    # Qt leaves Ctrl-C to kill the process outright; until the window's own handler is in
    # place, Python's turns it into KeyboardInterrupt, which main() ends cleanly with 130.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if trial is not None:
        from ihd_app.trial.session import TrialSettingsFile

        settings_file: SettingsFile = TrialSettingsFile(
            trial.store, trial.session_id, trial.settings
        )
    else:
        settings_file = SettingsFile(_settings_path(args))
    state = DisplayState(settings_file)
    if args.language and trial is None:
        state.settings.set_language(args.language)
    install_translator(app, state.settings.settings.language or None)
    window = MainWindow(state, idle_dimming=not args.screenshot and trial is None)
    window.resize(*args.size)
    if args.screenshot:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.show_page(args.screen)
    if args.fullscreen and not args.screenshot:
        window.set_kiosk()
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)
        window.showFullScreen()
    else:
        window.show()
    # The first screen paints now, before the radio stack (about half a second) is imported.
    app.processEvents()
    from device_backend.api import announce_start

    announce_start("ihd")

    session = None
    if trial is not None:
        from ihd_app.trial.manage import default_export_dir
        from ihd_app.trial.session import TrialSession

        session = TrialSession(
            trial.store,
            trial.session_id,
            window,
            state,
            export_dir=Path(args.to) if args.to else default_export_dir(),
            resumed=trial.resumed,
        )
    if args.kiosk_child:
        _remember_screens(window, trial.session_id if trial is not None else None)
        sys.excepthook = _crash

    previous_quit = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # the asyncio side decides when the loop ends
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from ihd_app.gui_thread_gc import collect_on_gui_thread

    try:
        with loop, collect_on_gui_thread():
            runner = (
                _screenshot(state, window, args, trial.target if trial is not None else None)
                if args.screenshot
                else _run(state, window, args, trial.target if trial is not None else None)
            )
            return loop.run_until_complete(runner)
    finally:
        asyncio.set_event_loop(None)
        app.setQuitOnLastWindowClosed(previous_quit)
        if args.fullscreen and not args.screenshot:
            app.restoreOverrideCursor()
        if session is not None:
            session.stop_without_ending()
        window.force_close()
        window.deleteLater()
        state.deleteLater()


def _crash(kind: type[BaseException], error: BaseException, trace: Any) -> None:
    """Kiosk child: an error nobody caught ends the process, and the supervisor starts afresh.

    Qt would otherwise print it and carry on, perhaps with a screen half drawn.
    """
    import traceback

    traceback.print_exception(kind, error, trace)
    sys.stderr.flush()
    os._exit(70)


def _remember_screens(window: Any, session_id: str | None) -> None:
    """Kiosk child: note each screen, so that a restart after a crash opens the same one."""
    from ihd_app.kiosk import KioskState, state_path

    state = KioskState(state_path())

    def note(screen: str) -> None:
        try:
            state.write(screen, session_id)
        except OSError as error:  # a full disk must not take the display down with it
            LOGGER.warning("Could not note the screen for a restart: %s", error)

    window.screen_changed.connect(note)
    note("menu" if window.showing_menu else window.current)


def _settings_path(args: argparse.Namespace) -> Path | None:
    if args.settings:
        return Path(args.settings)
    if args.screenshot:
        return None  # a screenshot shows the defaults and must not change anyone's settings
    from device_backend.api import config_file

    return config_file("display.json")  # the data folder's when IHD_DATA_DIR is set


@contextlib.contextmanager
def _history_path(args: argparse.Namespace, simulated: bool) -> Iterator[Path | None]:
    """The chosen database; a simulated home without --db gets a throw-away one."""
    if args.db:
        yield Path(args.db)
    elif simulated:
        with tempfile.TemporaryDirectory(prefix="ihd-") as folder:
            yield Path(folder) / "history.db"
    else:
        yield None  # the store's own default, in the user's data folder


async def _open_backend(
    args: argparse.Namespace, db: Path | None, *, fastest: bool, target: str | None = None
) -> tuple[Any, Any]:
    """Import the back end now (after the first paint) and open it with its history store."""
    from device_backend.api import Backend, Store

    backend = Backend(
        target or target_of(args), speed=None if fastest else args.speed, seed=args.seed
    )
    # A throw-away history (a simulated home without --db) need not survive a power cut, and
    # syncing every reading to disk would make a fast simulated day take minutes.
    throwaway = backend.target.simulated and not args.db
    store = Store.open(db, clock=backend.clock, synchronous="NORMAL" if throwaway else "FULL")
    # Each reading is committed as it arrives: the totals on screen include the one just shown.
    backend.attach_store(store, batch=1)
    return backend, store


def _fail(message: str) -> int:
    print(f"ihd: {message}", file=sys.stderr)
    return 2


async def _run(state: Any, window: Any, args: argparse.Namespace, target: str | None) -> int:
    from device_backend.api import TargetError, parse_target
    from ihd_app.totals import StoreTotals

    try:
        simulated = parse_target(target or target_of(args)).simulated
    except TargetError as error:
        return _fail(str(error))
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    with _history_path(args, simulated) as db:
        try:
            backend, store = await _open_backend(args, db, fastest=False, target=target)
        except Exception as error:  # noqa: BLE001 - a bad scenario or database: say why, exit
            return _fail(str(error))
        # Ctrl+C (or a service manager's SIGTERM) closes the window, which stops the back end
        # cleanly; the once-a-second tick gives Python the chance to run the handler. A trial's
        # lock is for participants at the screen, not for the system shutting down.
        stopping = (signal.SIGINT, signal.SIGTERM)
        received: list[int] = []

        def stop(number: int, _frame: Any) -> None:
            received.append(number)
            window.force_close()

        previous = {n: signal.signal(n, stop) for n in stopping}
        LOGGER.info("The display is running: close the window or press Ctrl-C to stop it")
        try:
            state.session.attach(backend)
            state.set_source(StoreTotals(store, now=backend.clock.now))
            await state.session.start()
            state.start_ticking()
            await closed.wait()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            state.stop_ticking()
            await state.session.stop()
            store.close()
    if signal.SIGINT in received:  # Ctrl-C, after a clean stop
        from device_backend.api import interrupted

        return interrupted("ihd")
    return 0


async def _screenshot(
    state: Any, window: Any, args: argparse.Namespace, target: str | None = None
) -> int:
    from device_backend.api import TargetError, parse_target
    from ihd_app.screenshot import advance, save_screen
    from ihd_app.totals import StoreTotals

    try:
        simulated = parse_target(target or target_of(args)).simulated
    except TargetError as error:
        return _fail(str(error))
    with _history_path(args, simulated) as db:
        try:
            backend, store = await _open_backend(args, db, fastest=simulated, target=target)
        except Exception as error:  # noqa: BLE001 - as above
            return _fail(str(error))
        try:
            state.session.attach(backend)
            state.set_source(StoreTotals(store, now=backend.clock.now))
            await state.session.start()
            await advance(backend, args.after)
            ok = await save_screen(state, window, args.screen, Path(args.screenshot))
        finally:
            await state.session.stop()
            store.close()
    return 0 if ok else _fail(f"could not write {args.screenshot}")


if __name__ == "__main__":
    raise SystemExit(main())

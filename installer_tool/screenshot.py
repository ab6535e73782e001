"""The --screenshot option: sign in a throwaway trainee, set a screen up as in use, save a PNG."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from device_backend.installer.api import Engineer

ONLINE_TIMEOUT_S = 60.0


async def _settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        # Posted events only (layout, deferred updates). A full processEvents inside a task
        # runs qasync's timers re-entrantly: another task is stepped while this one is, asyncio
        # refuses ("Cannot enter into task"), that task dies pending and the screenshot hangs.
        QApplication.sendPostedEvents()
        await asyncio.sleep(0.02)


async def _finish(page: Any) -> None:
    task = page.operation.task
    if task is not None:
        # Not wait_for (3.11 cancel race); shielded, so a timeout leaves the operation running.
        async with asyncio.timeout(60):
            await asyncio.shield(task)


async def save_screen(session: Any, window: Any, screen: str, path: Path) -> bool:
    backend = session.backend
    await backend.wait_online(timeout=ONLINE_TIMEOUT_S)
    await backend.wait_for_meters(timeout=ONLINE_TIMEOUT_S)
    await asyncio.sleep(0.5)  # a few reports and link samples at the screenshot speed
    # Signed in for this run only: no account is written, so a screenshot taken with
    # --data-dir leaves the real engineer list (and its first-run set-up) as it was.
    session.sign_in(Engineer(username="trainee", display_name="Training engineer"))
    page = window.show_screen(screen)
    await _settle()
    await _prepare(screen, page, session)
    await _settle()
    path.parent.mkdir(parents=True, exist_ok=True)
    return bool(window.grab().save(str(path), "PNG"))


async def _prepare(screen: str, page: Any, session: Any) -> None:
    """Put the screen in a state worth looking at: a scan run, a meter read, a map drawn."""
    esme = str(session.backend.home.esme.ieee)
    if screen == "network":
        page.scan()
        await _finish(page)
    elif screen == "pairing":
        label = session.service.bench_labels()[0]
        page.code.setText(label.qr_text)
        page.name.setText("Replacement electricity meter")
        page.location.setText("Meter cupboard, hall")
    elif screen == "devices":
        page.refresh()
        page.select(esme)
        page.choose_cluster(0x0702)
        page.read()
        await _finish(page)
    elif screen == "diagnostics":
        page.scan_map()
        await _finish(page)
    elif screen == "firmware":
        page.device.pick(esme)
        from device_backend.installer.api import build_image

        folder = Path(tempfile.mkdtemp(prefix="ihd-ota-"))
        image = folder / "esme-00000202.ota"
        image.write_bytes(
            build_image(
                manufacturer_id=session.backend.home.esme.manufacturer_code,
                image_type=1,
                file_version=0x00000202,
                payload=bytes(4096),
            )
        )
        page.image_path.edit.setText(str(image))
        page.inspect()
        shutil.rmtree(folder, ignore_errors=True)  # the screen keeps what it read; no file is left
    elif screen == "survey":
        await _survey(page, session)


async def _survey(page: Any, session: Any) -> None:
    """A difficult-property survey filled in and walk-tested, open at its recommendation.

    The walk test runs on a second copy of the scenario's home with a discrete clock: the gas
    meter is listened to at its own wake-ups, which would take minutes at screenshot speed.
    """
    from device_backend.survey.api import default_points, run_walk_test, scenario_link_source
    from installer_tool.survey_widgets.editor import RESULT_STEP

    survey = page.new_survey()
    for name, text in {
        "job.address": "Old Mill House, Mill Lane",
        "job.postcode": "BD24 9AA",
        "property.type": "detached house",
        "property.construction": "stone",
        "property.alt_han_present": "no",
        "pos.gsme.location": "external meter box",
        "pos.gsme.height_m": "0.4",
        "radio.hub_variant": "dual band (2.4 GHz and 868 MHz)",
        "radio.esme_868": "yes",
        "radio.gsme_868": "no",
        "radio.ihd_868": "yes",
        "wan.technology": "long-range radio",
        "wan.signal_dbm": "-92",
        "wan.signal_measure": "RSSI",
        "wan.aerial": "internal",
        "wan.install_and_leave": "no",
    }.items():
        page.store.set_field(survey.id, name, text)
    rules = page.rules
    points = default_points(page.store.get(survey.id), rules)
    await run_walk_test(
        scenario_link_source(session.backend.home.scenario.name),
        points,
        rules.walk_test,
        lambda sample: page.store.add_sample(survey.id, sample),
    )
    page.open_survey(survey.id)
    page.editor.go(RESULT_STEP)

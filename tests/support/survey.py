"""The Survey tab's test kit: the page on the difficult-property home, running or not."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from device_backend.facade import Backend
from installer_tool.survey_page import SurveyPage


@pytest.fixture
def running_backend(loop: asyncio.AbstractEventLoop) -> Iterator[Backend]:
    """The difficult-property home, running at speed max: only the walk test moves its clock."""
    started = Backend("sim:difficult-property", speed=None)

    async def start() -> None:
        await started.start()
        await started.wait_online(timeout=20)
        await started.wait_for_meters(timeout=20)  # no interview left running behind the test

    loop.run_until_complete(start())
    yield started
    loop.run_until_complete(started.stop())


def make_page(qtbot: Any, backend: Backend | None, tmp_path: Path) -> SurveyPage:
    shown = SurveyPage(backend, "jo.engineer", store_path=tmp_path / "surveys.db")
    qtbot.addWidget(shown)
    shown.resize(1366, 700)
    shown.show()
    return shown


@pytest.fixture
def live_page(qtbot: Any, running_backend: Backend, tmp_path: Path) -> Iterator[SurveyPage]:
    """The page on a running simulated home, as the installer toolkit mounts it."""
    shown = make_page(qtbot, running_backend, tmp_path)
    yield shown
    shown.shutdown()


@pytest.fixture
def page(qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[SurveyPage]:
    """The page on the difficult-property scenario's geometry, its radio not started (faster)."""
    shown = make_page(qtbot, Backend("sim:difficult-property", speed=None), tmp_path)
    yield shown
    shown.shutdown()

"""Shared test set-up: Qt renders offscreen, every Qt user is pinned to PySide6, and the fixtures.

Every fixture lives in the support package (tests/support) and is exposed here, so no test
module re-exports or copies one. The leak check (`no_leftovers`) applies to every test.
"""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"

# The helpers' own asserts ("no QLabel called ...") read as well as a test's.
pytest.register_assert_rewrite("tests.support")

from tests.support.display import display, english_after  # noqa: E402
from tests.support.installer import kit  # noqa: E402
from tests.support.leaks import logging_as_found, no_leftovers  # noqa: E402
from tests.support.live import live_home  # noqa: E402
from tests.support.loops import backend_loop, loop  # noqa: E402
from tests.support.survey import live_page, page, running_backend  # noqa: E402

__all__ = [
    "backend_loop",
    "display",
    "english_after",
    "kit",
    "live_home",
    "live_page",
    "logging_as_found",
    "loop",
    "no_leftovers",
    "page",
    "running_backend",
]


@pytest.fixture(autouse=True, scope="session")
def _log_files_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The programs' rotating log files (device_backend.logs) go nowhere near the user's own."""
    os.environ["IHD_LOG_DIR"] = str(tmp_path_factory.mktemp("logs"))

"""Shared test set-up: Qt renders offscreen, and every Qt-using library is pinned to PySide6."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"


@pytest.fixture(autouse=True, scope="session")
def _log_files_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The programs' rotating log files (device_backend.logs) go nowhere near the user's own."""
    os.environ["IHD_LOG_DIR"] = str(tmp_path_factory.mktemp("logs"))

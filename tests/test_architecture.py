"""The firm rules that keep the layers apart, checked on the source and in a clean process."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> dict[Path, set[str]]:
    found: dict[Path, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[path] = names
    return found


def test_device_backend_never_imports_qt() -> None:
    qt = {"PySide6", "PyQt5", "PyQt6", "PySide2", "pyqtgraph", "qasync", "pytestqt"}
    offenders = {
        str(p.relative_to(ROOT)): n & qt for p, n in _imports("device_backend").items() if n & qt
    }
    assert offenders == {}


def test_guis_never_import_zigpy_or_bellows() -> None:
    radio = {"zigpy", "bellows", "zigpy_znp", "zigpy_deconz", "zigpy_xbee", "zigpy_zigate"}
    for package in ("ihd_app", "installer_tool"):
        offenders = {
            str(p.relative_to(ROOT)): n & radio for p, n in _imports(package).items() if n & radio
        }
        assert offenders == {}, package


def test_importing_the_whole_back_end_loads_no_qt() -> None:
    code = (
        "import pkgutil, importlib, sys, device_backend\n"
        "for m in pkgutil.walk_packages(device_backend.__path__, 'device_backend.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'pyqtgraph', 'qasync'))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"

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


PUBLIC = {"device_backend.api", "device_backend.installer.api", "device_backend.survey.api"}


def _backend_imports(package: str) -> dict[str, set[str]]:
    """Every back-end module each file of `package` imports, at any depth of the file."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        modules: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(a.name for a in node.names if a.name.startswith("device_backend"))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "device_backend"
            ):
                # `from device_backend import model` imports the module device_backend.model
                module = node.module or ""
                modules.update(
                    f"{module}.{a.name}" if module == "device_backend" else module
                    for a in node.names
                )
        found[str(path.relative_to(ROOT))] = modules
    return found


def test_the_guis_import_only_the_public_back_end_surface() -> None:
    # The README's "public back-end surface"; lint-imports checks the same in CI.
    for package in ("ihd_app", "installer_tool"):
        offenders = {f: m - PUBLIC for f, m in _backend_imports(package).items() if m - PUBLIC}
        assert offenders == {}, package
    display = set().union(*_backend_imports("ihd_app").values())
    assert display == {"device_backend.api"}  # the display has no installer or survey side


def test_every_public_name_resolves() -> None:
    import importlib

    for name in sorted(PUBLIC):
        module = importlib.import_module(name)
        missing = [n for n in module.__all__ if not hasattr(module, n)]
        assert missing == [], name
        assert sorted(module.__all__) == sorted(set(module.__all__)), name


def test_the_display_surface_loads_no_radio_stack_or_database() -> None:
    # The display paints before it starts the back end; the facade and store load on first use.
    code = (
        "import sys, device_backend.api as api\n"
        "heavy = ('zigpy', 'bellows', 'sqlite_utils', 'device_backend.facade')\n"
        "before = sorted(n for n in sys.modules if n.startswith(heavy))\n"
        "api.Backend, api.Store\n"
        "after = 'zigpy' in sys.modules and 'sqlite_utils' in sys.modules\n"
        "print(before, after)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[] True"


def test_the_installer_sign_in_loads_no_radio_stack() -> None:
    # The toolkit paints its sign-in page before the radio stack loads (installer_tool.main):
    # the window, session and sign-in page need no zigpy; the service loads it on first use.
    code = (
        "import sys, installer_tool.main, installer_tool.window, installer_tool.signin\n"
        "import device_backend.installer.api as api\n"
        "heavy = ('zigpy', 'bellows', 'device_backend.facade', 'device_backend.installer.service')\n"
        "before = sorted(n for n in sys.modules if n.startswith(heavy))\n"
        "api.InstallerService\n"
        "print(before, 'zigpy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[] True"


def test_every_source_folder_is_a_regular_package() -> None:
    # A folder without __init__.py is a namespace package: setuptools' find leaves it out of a
    # wheel and import-linter does not look inside it (the simulator was one).
    for package in ("device_backend", "ihd_app", "installer_tool"):
        folders = {p.parent for p in (ROOT / package).rglob("*.py")}
        missing = sorted(
            str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").exists()
        )
        assert missing == [], package

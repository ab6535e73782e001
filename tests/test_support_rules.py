"""The harness's own rules: fixtures come from conftest, helpers from tests/support, never elsewhere."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
TEST_MODULES = sorted(TESTS.glob("test_*.py"))


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_test_imports_another_test_module_or_the_benchmarks() -> None:
    test_names = {p.stem for p in TEST_MODULES}
    found = {
        f"{path.name} imports {name}"
        for path in TEST_MODULES
        for name in _imported(path)
        if name.split(".")[0] == "benchmarks" or name.rsplit(".", 1)[-1] in test_names
    }
    assert not found, sorted(found)


def test_no_test_module_re_exports_a_fixture() -> None:
    """`loop = ihd_support.loop` and the like: conftest already offers every fixture."""
    found = []
    for path in TEST_MODULES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == node.targets[0].id
            ):
                found.append(f"{path.name}:{node.lineno} {node.targets[0].id}")
    assert not found, found

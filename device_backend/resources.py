"""Files shipped inside the packages: scenarios, survey rules, trial scripts, translations.

They are package data, located through importlib.resources, so an installed wheel finds them
wherever pip put it and nothing looks for a source checkout. pip installs a wheel as plain
files, so each asset is a real path: Qt's translator and the error messages need one. Each
reader says in words when its file is missing (a scenario, the rules, a translation) and that
the installation is incomplete.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


class AssetError(OSError):
    """A file the programs ship with is missing or unreadable: the installation is broken."""


def _broken(package: str, parts: tuple[str, ...], why: str) -> AssetError:
    return AssetError(
        f"the shipped file {'/'.join(parts)} of {package} {why}; "
        "the installation is incomplete: reinstall gb-smart-ihd"
    )


def asset_path(package: str, *parts: str) -> Path:
    """Where the shipped file or folder `parts` inside `package` is (it need not exist)."""
    where = resources.files(package).joinpath(*parts)
    if not isinstance(where, Path):
        # A zip import has no paths; nothing we ship is installed that way.
        raise _broken(package, parts, "is inside an archive, not a folder")
    return where

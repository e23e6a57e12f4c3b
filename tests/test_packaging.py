"""pyproject.toml lists the packages by hand; a package missing there is missing from the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_in_pyproject() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    folders = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "magazyn_desktop").rglob("__init__.py")}
    assert folders - listed == set()

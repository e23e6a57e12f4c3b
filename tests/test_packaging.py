"""pyproject.toml lists the packages by hand; a package missing there is missing from the wheel."""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_in_pyproject() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    folders = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "magazyn_desktop").rglob("__init__.py")}
    assert folders - listed == set()


def test_every_shipped_resource_is_in_the_wheel_patterns() -> None:
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["magazyn_desktop.resources"]
    resources = ROOT / "resources"
    covered = {Path(name) for pattern in package_data for name in glob.glob(pattern, root_dir=resources, recursive=True)}
    shipped = {path.relative_to(resources) for path in resources.rglob("*")
               if path.is_file() and path.suffix not in (".py", ".pyc")}
    assert Path("default_templates.json") in shipped
    assert shipped - covered == set()

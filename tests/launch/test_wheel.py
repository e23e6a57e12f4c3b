"""The installed wheel (not an editable install) carries its migrations and resources and runs from anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from magazyn_desktop.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS
from tests.launch.helpers import app_env

pytestmark = pytest.mark.slow
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build_dir = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(build_dir),
                    str(REPOSITORY)], check=True, capture_output=True, text=True, timeout=600)
    wheel = next(build_dir.glob("magazyn_desktop-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for revision in KNOWN_REVISIONS:
        assert f"magazyn_desktop/migrations/versions/{revision}.py" in names
    assert "magazyn_desktop/migrations/env.py" in names
    assert any(name.startswith("magazyn_desktop/resources/") for name in names)
    assert "magazyn_desktop/resources/default_templates.json" in names  # the data the app reads, not only Qt's
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, text=True, timeout=600)
    return target


def _run_installed(site: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # Run from an unrelated folder with the wheel's copy first on the path, so nothing comes from the checkout.
    launcher = ("import sys; sys.path.insert(0, sys.argv.pop(1)); import magazyn_desktop;"
                "assert magazyn_desktop.__file__.startswith(sys.path[0]), magazyn_desktop.__file__;"
                "from magazyn_desktop.cli import main; sys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", launcher, str(site), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env=app_env())


def test_migrate_and_doctor_from_the_installed_wheel(installed_wheel: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = _run_installed(installed_wheel, ["migrate", "--data-dir", str(data_dir)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["revision"] == HEAD_REVISION
    doctor = _run_installed(installed_wheel, ["doctor", "--data-dir", str(data_dir), "--json"], cwd=tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert json.loads(doctor.stdout)["schema"]["state"] == "at_head"

"""Shipped files are found the same way from source, wheel or frozen build, and a broken set is named clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from magazyn_desktop import bundle
from magazyn_desktop.bundle import MissingResourceError, migrations_dir, resource_path, verify_installation
from magazyn_desktop.store.schema_version import KNOWN_REVISIONS


def test_this_installation_is_complete() -> None:
    verify_installation(KNOWN_REVISIONS)
    assert (migrations_dir() / "env.py").is_file()
    assert resource_path("translations", "magazyn_pl.qm").stat().st_size > 0


@pytest.fixture
def copied_installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("migrations", "resources"):
        shutil.copytree(bundle.bundled_dir(name), tmp_path / name)
    monkeypatch.setattr(bundle, "_roots", lambda: [tmp_path])
    return tmp_path


def test_a_missing_translation_is_named(copied_installation: Path) -> None:
    (copied_installation / "resources" / "translations" / "magazyn_pl.qm").unlink()
    with pytest.raises(MissingResourceError, match="magazyn_pl.qm"):
        verify_installation(KNOWN_REVISIONS)


def test_a_damaged_translation_is_named(copied_installation: Path) -> None:
    (copied_installation / "resources" / "translations" / "magazyn_pl.qm").write_bytes(b"<html>oops</html>")
    with pytest.raises(MissingResourceError, match="damaged"):
        verify_installation(KNOWN_REVISIONS)


def test_a_missing_migration_is_named(copied_installation: Path) -> None:
    (copied_installation / "migrations" / "versions" / f"{KNOWN_REVISIONS[-1]}.py").unlink()
    with pytest.raises(MissingResourceError, match=KNOWN_REVISIONS[-1]):
        verify_installation(KNOWN_REVISIONS)


def test_a_missing_folder_is_named(copied_installation: Path) -> None:
    shutil.rmtree(copied_installation / "resources")
    with pytest.raises(MissingResourceError, match="resources"):
        resource_path("icons", "magazyn-desktop.svg")

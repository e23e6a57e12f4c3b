from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from magazyn_desktop.paths import DATA_DIR_ENV, DataDirError, default_data_dir, resolve_data_dir, resolve_paths
from tests.conftest import REAL_HOME


def test_command_line_wins_over_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert resolve_data_dir(tmp_path / "from-cli") == tmp_path / "from-cli"
    assert resolve_data_dir(None) == tmp_path / "from-env"


def test_platform_default_is_used_without_either(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    resolved = resolve_data_dir(None)
    assert resolved == default_data_dir()
    assert resolved.name == "magazyn-desktop"
    # The test session points HOME elsewhere: the default must not be under the real home folder.
    assert REAL_HOME not in resolved.parents


def test_folders_are_created_private(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "new" / "data")
    paths.ensure()
    for folder in paths.folders():
        assert folder.is_dir()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_unusable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirError, match="a-file"):
        resolve_paths(blocker / "data").ensure()


def test_paths_are_absolute_even_when_given_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_paths("rel").database.is_absolute()
    assert os.fspath(resolve_paths("rel").data).startswith(os.fspath(tmp_path))

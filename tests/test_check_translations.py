"""The translation check (.ci/check-translations) names what the code and a .ts file disagree on, and --update
brings them in step without losing a translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "check-translations"

WINDOW = '''from PySide6.QtCore import QCoreApplication


def texts() -> list[str]:
    return [QCoreApplication.translate("Window", "Kept"), QCoreApplication.translate("Window", "Added")]
'''

POLISH = '''<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL" sourcelanguage="en">
<context>
    <name>Window</name>
    <message>
        <source>Kept</source>
        <translation>Zostaje</translation>
    </message>
    <message>
        <source>Gone</source>
        <translation>Zniknęło</translation>
    </message>
</context>
</TS>
'''


def _tree(root: Path) -> Path:
    (root / "magazyn_desktop" / "ui").mkdir(parents=True)
    (root / "magazyn_desktop" / "ui" / "window.py").write_text(WINDOW, encoding="utf-8")
    ts_file = root / "resources" / "translations" / "magazyn_pl.ts"
    ts_file.parent.mkdir(parents=True)
    ts_file.write_text(POLISH, encoding="utf-8")
    return ts_file


def _check(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--root", str(root), *extra],
                          capture_output=True, text=True, timeout=120)


def test_a_new_and_a_vanished_message_are_named(tmp_path: Path) -> None:
    ts_file = _tree(tmp_path)
    result = _check(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "in the code, not in the file: Window: 'Added'" in result.stdout
    assert "in the file, no longer in the code: Window: 'Gone'" in result.stdout
    assert "Kept" not in result.stdout
    assert ts_file.read_text(encoding="utf-8") == POLISH  # checking writes nothing


def test_update_brings_the_file_in_step_and_keeps_the_translations(tmp_path: Path) -> None:
    ts_file = _tree(tmp_path)
    result = _check(tmp_path, "--update")
    assert result.returncode == 0, result.stdout + result.stderr
    updated = ts_file.read_text(encoding="utf-8")
    assert "<translation>Zostaje</translation>" in updated
    assert "<source>Added</source>" in updated
    assert "Gone" not in updated

    # Only messages count: the same texts on other lines are still in step.
    window = tmp_path / "magazyn_desktop" / "ui" / "window.py"
    window.write_text("\n\n\n" + WINDOW, encoding="utf-8")
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

"""`doctor` speaks one language: every line of its text report, reasons from lower layers included."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from magazyn_desktop.doctor import collect_report, format_report
from magazyn_desktop.paths import AppPaths

# Words that only one of the two languages would print (identifiers such as revision names are left out).
ENGLISH = re.compile(r"\b(the|is|are|not|cannot|free|healthy|needs|attention|Status|Data folder|Lock|Last sync|"
                     r"Note|database|disk|upgraded|keyring|session|only|damaged|newer|window|process|left)\b")
POLISH = re.compile(r"\b(Stan|zdrowy|wymaga|Folder danych|Blokada|wolna|Ostatnia|Uwaga|baza|bazy|folder danych|"
                    r"dysku|sesji|uszkodzona|nowsza|okno|proces|nie)\b|[ąćęłńóśźż]")


def _report_saying_everything(paths: AppPaths) -> dict[str, Any]:
    """A real report, then every problem and warning doctor knows, and a lock held by a sync."""
    report = collect_report(str(paths.data))
    report["problems"] = ["data_folder_not_writable", "database_newer", "database_damaged", "database_unreadable",
                          "low_disk"]
    report["warnings"] = ["data_folder_missing", "database_behind", "no_keyring"]
    report["healthy"] = False
    report["lock"] = {"held": True, "pid": 4242, "role": "sync"}
    report["schema"] = {**report["schema"], "state": "damaged", "stored": None}
    report["schema_detail"] = "database disk image is malformed"
    return report


def _words(report: dict[str, Any], language: str) -> str:
    """The text report without its identifiers: paths, the program's name, the keyring backend's class."""
    text = format_report(report, language).replace(report["paths"]["data"], "<data>")
    return text.replace("magazyn-desktop", "<app>").replace(report["keyring"]["backend"] or "<none>", "<backend>")


@pytest.fixture
def damaged(tmp_path: Path) -> AppPaths:
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    paths.database.write_bytes(b"this is not an SQLite file at all, just some text" * 100)
    return paths


def test_the_polish_report_has_no_english(paths: AppPaths) -> None:
    text = _words(_report_saying_everything(paths), "pl")
    assert ENGLISH.findall(text) == [], text


def test_the_english_report_has_no_polish(paths: AppPaths) -> None:
    text = _words(_report_saying_everything(paths), "en")
    assert POLISH.findall(text) == [], text


@pytest.mark.parametrize(("language", "foreign"), [("pl", ENGLISH), ("en", POLISH)], ids=["pl", "en"])
def test_sqlites_own_words_do_not_leak_into_the_report(damaged: AppPaths, language: str,
                                                         foreign: re.Pattern[str]) -> None:
    report = collect_report(str(damaged.data))
    assert not report["healthy"]
    text = _words(report, language)
    assert foreign.findall(text) == [], text
    assert report["schema_detail"]  # SQLite's reason stays in the report for --json

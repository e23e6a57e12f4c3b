"""Buyer-chosen file names never escape the attachments folder; uploads are checked against Allegro's limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES
from magazyn_desktop.ui.attachments import (
    check_upload,
    sanitize_file_name,
    unique_path,
    write_attachment,
)


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system32\\cmd.exe", "cmd.exe"),
    ("zdjęcie paczki.jpg", "zdjęcie paczki.jpg"),
    ("CON.txt", "attachment_CON.txt"),
    ("nul", "attachment_nul"),
    ("a<b>:c|d?.pdf", "a_b__c_d_.pdf"),
    ("...", "attachment"),
    ("", "attachment"),
    (".bashrc", "bashrc"),
    ("faktura.p\x00df", "faktura.pdf"),
])
def test_sanitize_file_name(name: str, expected: str) -> None:
    assert sanitize_file_name(name) == expected


def test_unique_names_never_overwrite(tmp_path: Path) -> None:
    first = write_attachment(tmp_path, "../a.png", b"1")
    second = write_attachment(tmp_path, "a.png", b"2")
    assert (first.name, second.name) == ("a.png", "a (2).png")
    assert first.read_bytes() == b"1" and second.parent == tmp_path
    assert unique_path(tmp_path, "/abs/a.png").name == "a (3).png"


def test_check_upload(tmp_path: Path) -> None:
    png = tmp_path / "ok.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert check_upload(png).problem is None
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ")
    assert check_upload(exe).problem == "type"
    fake_pdf = tmp_path / "fake.pdf"
    fake_pdf.write_bytes(b"MZ not a pdf")
    assert check_upload(fake_pdf).problem == "content"
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF" + b"0" * ATTACHMENT_MAX_BYTES)
    assert check_upload(big).problem == "size"
    assert check_upload(tmp_path / "gone.jpg").problem == "unreadable"


@pytest.mark.parametrize("name", [
    "😀" * 90 + ".jpg",
    "ą" * 200 + ".pdf",
    "😀" * 300,
    "zdjęcie" + "\u0301" * 300 + ".png",
])
def test_long_names_fit_every_file_system(tmp_path: Path, name: str) -> None:
    safe = sanitize_file_name(name)
    assert len(safe.encode("utf-8")) <= 200  # ext4 and APFS count bytes (255); room is left for " (2)"
    assert len(safe.encode("utf-16-le")) // 2 <= 200  # NTFS counts UTF-16 units (255)
    assert safe.endswith(name.rpartition(".")[2] if "." in name else "")
    path = write_attachment(tmp_path, name, b"x")
    again = write_attachment(tmp_path, name, b"y")
    assert path.read_bytes() == b"x" and again.read_bytes() == b"y" and again.parent == tmp_path


@pytest.mark.parametrize("name", [
    "CON .txt", "con.txt", "COM¹.jpg", "LPT³.pdf", "CONIN$", "conout$.txt", "ＣＯＮ.txt", "ｎｕｌ", "AUX . .png",
    "COM0.png", "CLOCK$", "PRN.tar.gz",
])
def test_windows_reserved_names_are_avoided(name: str) -> None:
    safe = sanitize_file_name(name)
    assert safe.startswith("attachment_"), safe


@pytest.mark.parametrize("name", ["CONSOLE.txt", "COM10.jpg", "Contract.pdf", "auxiliary.png", "nulla.txt"])
def test_names_that_only_look_reserved_are_kept(name: str) -> None:
    assert sanitize_file_name(name) == name

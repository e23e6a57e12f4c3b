"""Thumbnails of image attachments: decoded off the GUI thread, only from the local attachments folder, within limits
of size and pixels, cached by file; anything that is no sound image keeps its plain button."""

from __future__ import annotations

import logging
import os
import struct
import threading
import zlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QImageReader
from ui_sample_data import write_png

from magazyn_desktop.ui import thumbnails
from magazyn_desktop.ui.thumbnails import ThumbnailLoader, ThumbnailRefused, decode_thumbnail

BOX = QSize(160, 120)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A well-formed PNG header claiming enormous dimensions (no real pixel data follows)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
                     + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b""))
    return path


@pytest.fixture
def loader(qtbot: Any, tmp_path: Path) -> Any:
    made = ThumbnailLoader(tmp_path)
    yield made
    made.shutdown()


def test_a_small_png_in_the_cache_gets_a_thumbnail(qtbot: Any, loader: ThumbnailLoader, tmp_path: Path) -> None:
    photo = write_png(tmp_path / "paczka.png", 300, 200)
    assert loader.thumbnail(str(photo), BOX) is None  # not decoded yet: the caller shows the button meanwhile
    with qtbot.waitSignal(loader.thumbnail_ready, timeout=5000) as ready:
        pass
    assert ready.args == [str(photo)]
    shown = loader.thumbnail(str(photo), BOX)
    assert shown is not None
    assert (shown.width(), shown.height()) == (160, 106)  # fits the box, keeps the shape


def test_a_big_image_is_decoded_at_the_thumbnails_size(tmp_path: Path, qtbot: Any) -> None:
    photo = write_png(tmp_path / "duze.png", 2000, 1500)
    image = decode_thumbnail(photo, BOX)
    assert (image.width(), image.height()) == (160, 120)


def test_a_small_image_is_not_blown_up(tmp_path: Path, qtbot: Any) -> None:
    icon = write_png(tmp_path / "ikona.png", 40, 30)
    image = decode_thumbnail(icon, BOX)
    assert (image.width(), image.height()) == (40, 30)


class _NeverDecodes(QImageReader):
    def read(self) -> QImage:  # type: ignore[override]
        raise AssertionError("the pixels were decoded")


def test_a_huge_png_header_is_refused_without_decoding(tmp_path: Path, qtbot: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(thumbnails, "QImageReader", _NeverDecodes)
    with pytest.raises(ThumbnailRefused, match="pixels"):
        decode_thumbnail(huge_png(tmp_path / "ogromne.png"), BOX)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, qtbot: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    photo = write_png(tmp_path / "paczka.png")
    monkeypatch.setattr(thumbnails, "MAX_FILE_BYTES", photo.stat().st_size - 1)
    monkeypatch.setattr(thumbnails, "QImageReader", _NeverDecodes)
    with pytest.raises(ThumbnailRefused, match="large"):
        decode_thumbnail(photo, BOX)


def _truncated(path: Path) -> Path:
    whole = write_png(path, 400, 300).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _renamed_text(path: Path) -> Path:
    path.write_text("To nie jest obrazek, tylko notatka.\n", encoding="utf-8")
    return path


def _pdf_named_png(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    return path


def _truncated_jpeg(path: Path) -> Path:
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#d53a3a"))
    assert image.save(str(path), "JPEG")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])
    return path


@pytest.mark.parametrize("make", [_truncated, _renamed_text, _pdf_named_png, _truncated_jpeg],
                         ids=["truncated png", "renamed text", "pdf named png", "truncated jpeg"])
def test_a_damaged_or_disguised_file_is_refused(tmp_path: Path, qtbot: Any, make: Any) -> None:
    broken = make(tmp_path / "zdjecie.png")
    with pytest.raises(ThumbnailRefused):
        decode_thumbnail(broken, BOX)


def test_a_refused_file_keeps_its_button_and_is_logged_once(qtbot: Any, loader: ThumbnailLoader, tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    broken = _truncated(tmp_path / "zdjecie.png")
    with caplog.at_level(logging.WARNING, logger=thumbnails.__name__):
        assert loader.thumbnail(str(broken), BOX) is None
        qtbot.waitUntil(lambda: loader.refused(str(broken)), timeout=5000)
        for _ in range(3):
            assert loader.thumbnail(str(broken), BOX) is None
            assert loader.thumbnail(str(broken), QSize(320, 240)) is None  # another zoom: not tried again
    assert loader.pending_count() == 0
    assert len([r for r in caplog.records if "zdjecie.png" in r.getMessage()]) == 1


def test_the_gui_thread_never_calls_the_decoder(qtbot: Any, loader: ThumbnailLoader, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []
    real = thumbnails.decode_thumbnail

    def watched(path: Path, box: QSize) -> QImage:
        threads.append(threading.current_thread())
        return real(path, box)

    monkeypatch.setattr(thumbnails, "decode_thumbnail", watched)
    photo = write_png(tmp_path / "paczka.png")
    loader.thumbnail(str(photo), BOX)
    qtbot.waitUntil(lambda: loader.thumbnail(str(photo), BOX) is not None, timeout=5000)
    assert threads and all(thread is not threading.main_thread() for thread in threads)


def test_only_files_in_the_attachments_folder_are_read(qtbot: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "attachments"
    folder.mkdir()
    elsewhere = write_png(tmp_path / "gdzie-indziej.png")
    decoded: list[Path] = []
    monkeypatch.setattr(thumbnails, "decode_thumbnail", lambda path, box: decoded.append(path) or QImage())
    loader = ThumbnailLoader(folder)
    try:
        for outside in (str(elsewhere), str(folder / ".." / elsewhere.name), "https://example.invalid/a.png",
                        "//server/share/a.png", None, ""):
            assert loader.thumbnail(outside, BOX) is None
        assert loader.pending_count() == 0 and decoded == []
    finally:
        loader.shutdown()


def test_thumbnails_are_cached_by_path_mtime_and_size(qtbot: Any, loader: ThumbnailLoader, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real = thumbnails.decode_thumbnail
    monkeypatch.setattr(thumbnails, "decode_thumbnail", lambda path, box: calls.append(path) or real(path, box))
    photo = write_png(tmp_path / "paczka.png", 300, 200)
    loader.thumbnail(str(photo), BOX)
    qtbot.waitUntil(lambda: loader.thumbnail(str(photo), BOX) is not None, timeout=5000)
    assert loader.thumbnail(str(photo), BOX) is not None and len(calls) == 1  # from memory
    write_png(photo, 100, 100)  # the same name, another file
    stat = photo.stat()
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert loader.thumbnail(str(photo), BOX) is None
    qtbot.waitUntil(lambda: loader.thumbnail(str(photo), BOX) is not None, timeout=5000)
    shown = loader.thumbnail(str(photo), BOX)
    assert shown is not None and (shown.width(), shown.height()) == (100, 100) and len(calls) == 2


def test_the_memory_cache_is_bounded_and_forgets_the_least_recently_used(qtbot: Any, tmp_path: Path) -> None:
    photos = [write_png(tmp_path / f"p{n}.png", 100, 100) for n in range(3)]
    loader = ThumbnailLoader(tmp_path, cache_bytes=2 * 100 * 100 * 4)  # room for two
    try:
        for photo in photos[:2]:
            loader.thumbnail(str(photo), BOX)
            qtbot.waitUntil(lambda p=photo: loader.thumbnail(str(p), BOX) is not None, timeout=5000)
        assert loader.thumbnail(str(photos[0]), BOX) is not None  # p0 used last: p1 goes first
        loader.thumbnail(str(photos[2]), BOX)
        qtbot.waitUntil(lambda: loader.thumbnail(str(photos[2]), BOX) is not None, timeout=5000)
        assert loader.cached_count() == 2
        assert loader.thumbnail(str(photos[0]), BOX) is not None
        assert loader.thumbnail(str(photos[1]), BOX) is None  # forgotten; asked for again
    finally:
        loader.shutdown()

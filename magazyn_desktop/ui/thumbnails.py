"""Thumbnails of image attachments saved on this computer: decoded in a worker within limits, kept in memory.

Only a file inside the attachments folder is read, never anything remote. Before anything is decoded the file
must be small enough, start like an image Allegro carries (PNG, JPEG, GIF, BMP, TIFF), end where that format ends
(a truncated download does not), and its header must promise no more than MAX_PIXELS; the decoder is then given
the thumbnail's size (QImageReader.setScaledSize), so a JPEG is decoded at about that size. A file refused for any
reason keeps its plain button and is logged once.

Thumbnails are cached by the file's path, modification time and size (a file written again is decoded again),
least recently used first out once the cache holds CACHE_BYTES of pixels.
"""

from __future__ import annotations

import logging
import os
import stat
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QPixmap

from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES
from magazyn_desktop.ui.attachments import image_format
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

log = logging.getLogger(__name__)

MAX_FILE_BYTES = ATTACHMENT_MAX_BYTES  # nothing larger comes from Allegro
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; a PNG or BMP is decoded whole before it is scaled (160 MB)
CACHE_BYTES = 32 * 1024 * 1024
_TAIL_BYTES = 1024  # read from the end, to see that the file is complete


class ThumbnailRefused(Exception):
    """The file gets no thumbnail; the message says why (for the log)."""


def _complete(image: str, head: bytes, tail: bytes, size: int) -> bool:
    """Whether the file ends where its format ends: a download cut short does not."""
    if image == "png":
        return tail.endswith(b"IEND\xaeB`\x82")
    if image == "jpeg":
        return tail.rstrip(b"\x00").endswith(b"\xff\xd9")
    if image == "gif":
        return tail.rstrip(b"\x00").endswith(b";")
    if image == "bmp":
        declared = int.from_bytes(head[2:6], "little")  # 0 from some writers: nothing to compare
        return declared == 0 or size >= declared
    return True  # TIFF keeps its parts anywhere in the file: the decoder tells


def _fitted(full: QSize, box: QSize) -> QSize:
    """`full` scaled down to fit `box`, keeping its shape; never enlarged."""
    if full.width() <= box.width() and full.height() <= box.height():
        return full
    scaled = full.scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
    return QSize(max(1, scaled.width()), max(1, scaled.height()))


def decode_thumbnail(path: Path, box: QSize) -> QImage:
    """The image at `path` scaled to fit `box` (in pixels); raises ThumbnailRefused. Never on the GUI thread."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise ThumbnailRefused(f"the file is too large ({size} bytes)")
            head = handle.read(64)
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read()
    except OSError as error:
        raise ThumbnailRefused(f"the file cannot be read ({error.strerror})") from error
    image = image_format(head)
    if image is None:
        raise ThumbnailRefused("its bytes are not an image")
    if not _complete(image, head, tail, size):
        raise ThumbnailRefused(f"the {image} file is truncated")
    reader = QImageReader(str(path), image.encode())
    reader.setAutoDetectImageFormat(False)  # only the decoder of the format its bytes announce, never SVG or PDF
    reader.setAutoTransform(True)  # a phone's photo stands as it was taken
    full = reader.size()  # from the header: nothing is decoded yet
    if not full.isValid() or full.isEmpty():
        raise ThumbnailRefused(f"its header gives no size ({reader.errorString()})")
    if full.width() * full.height() > MAX_PIXELS:
        raise ThumbnailRefused(f"too many pixels ({full.width()}x{full.height()})")
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        box = box.transposed()  # the scaled size is the stored image's; it is turned afterwards
    reader.setScaledSize(_fitted(full, box))
    decoded = reader.read()
    if decoded.isNull():
        raise ThumbnailRefused(f"it cannot be decoded ({reader.errorString()})")
    return decoded


@dataclass(frozen=True)
class _File:
    path: str
    mtime_ns: int
    size: int


_Key = tuple[_File, int, int, float]  # the file, the box's width and height, the device pixel ratio


class ThumbnailLoader(QObject):
    """Thumbnails for the cards: `thumbnail()` gives one from memory or starts decoding it (None meanwhile)."""

    thumbnail_ready = Signal(str)  # the file's path: the cards showing it can be measured again

    def __init__(self, folder: Path | None, parent: QObject | None = None, *,
                 cache_bytes: int = CACHE_BYTES) -> None:
        super().__init__(parent)
        self._folder = os.path.normpath(os.path.abspath(folder)) if folder is not None else None
        self._pool = WorkerPool(max_threads=1, parent=self)  # one decode at a time: the rest of the app goes on
        self._cache_limit = cache_bytes
        self._cache: OrderedDict[_Key, QPixmap] = OrderedDict()
        self._cached_bytes = 0
        self._pending: set[_Key] = set()
        self._refused: set[_File] = set()

    def thumbnail(self, local_path: str | None, box: QSize, ratio: float = 1.0) -> QPixmap | None:
        """The thumbnail of the file at `local_path` fitting `box` (logical pixels), if it is in memory; else None,
        and it is decoded unless it is not in the attachments folder, is being decoded or was refused."""
        file = self._file(local_path)
        if file is None or file in self._refused:
            return None
        key = (file, box.width(), box.height(), ratio)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        if key not in self._pending:
            self._start(key)
        return None

    def refused(self, local_path: str | None) -> bool:
        file = self._file(local_path)
        return file is not None and file in self._refused

    def pending_count(self) -> int:
        return len(self._pending)

    def cached_count(self) -> int:
        return len(self._cache)

    def shutdown(self) -> None:
        self._pool.shutdown()

    def _file(self, local_path: str | None) -> _File | None:
        """The file as it is now, when it is a regular file inside the attachments folder; else None.
        The place is checked on the text of the path first, so no other disk or server is ever asked."""
        if not local_path or self._folder is None:
            return None
        path = os.path.normpath(os.path.abspath(local_path))
        if os.path.dirname(path) != self._folder:
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        return _File(path, status.st_mtime_ns, status.st_size)

    def _start(self, key: _Key) -> None:
        file, width, height, ratio = key
        pixels = QSize(round(width * ratio), round(height * ratio))
        self._pending.add(key)

        def run(_token: CancelToken) -> QImage:
            return decode_thumbnail(Path(file.path), pixels)  # looked up here, so tests can watch the thread

        def done(image: QImage) -> None:
            self._pending.discard(key)
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            self._remember(key, pixmap)
            self.thumbnail_ready.emit(file.path)

        def failed(error: BaseException) -> None:
            self._pending.discard(key)
            if file in self._refused:
                return
            self._refused.add(file)
            if isinstance(error, ThumbnailRefused):
                log.warning("attachment %s gets no thumbnail: %s", Path(file.path).name, error)
            else:
                log.warning("attachment %s gets no thumbnail", Path(file.path).name, exc_info=error)

        self._pool.submit(run, on_result=done, on_error=failed)

    def _remember(self, key: _Key, pixmap: QPixmap) -> None:
        self._cache[key] = pixmap
        self._cached_bytes += _bytes(pixmap)
        while self._cached_bytes > self._cache_limit and len(self._cache) > 1:
            _key, dropped = self._cache.popitem(last=False)
            self._cached_bytes -= _bytes(dropped)


def _bytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4

"""Regenerates the files derived from sources in this folder: icon PNGs and ICO from the SVG, and the compiled
translations (.qm) from the .ts sources.

    python resources/build_resources.py

The results are committed, so neither running the app nor building the binary needs this step.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_icons() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(HERE / "icons" / "magazyn-desktop.svg"))
    if not renderer.isValid():
        raise SystemExit("the SVG icon cannot be read")
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        target = HERE / "icons" / f"magazyn-desktop-{size}.png"
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
    # Windows wants one .ico with several sizes; Qt's ico writer takes the largest, so build it from PNG frames.
    _write_ico([HERE / "icons" / f"magazyn-desktop-{size}.png" for size in ICO_SIZES], HERE / "icons" / "magazyn-desktop.ico")
    del app


def _write_ico(frames: list[Path], target: Path) -> None:
    """An ICO file is a small directory of PNG images (allowed since Windows Vista)."""
    import struct

    blobs = [frame.read_bytes() for frame in frames]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = 6 + 16 * len(blobs)
    entries = b""
    for frame, blob in zip(frames, blobs):
        size = int(frame.stem.rsplit("-", 1)[1])
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    target.write_bytes(header + entries + b"".join(blobs))


def compile_translations() -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    for source in sorted((HERE / "translations").glob("*.ts")):
        subprocess.run([lrelease, str(source), "-qm", str(source.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    render_icons()
    compile_translations()

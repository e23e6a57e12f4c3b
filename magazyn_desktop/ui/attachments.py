"""Attachment files: safe names for what buyers send, and Allegro's limits for what staff upload.

A buyer chooses the file name, so it is never trusted as a path: directories are dropped, odd characters
replaced, names Windows reserves avoided, and an existing file is never overwritten.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Allegro accepts these for message attachments; the extension is checked, then the file's first bytes.
ALLOWED_UPLOAD_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
}
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/bmp": (b"BM",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/pdf": (b"%PDF",),
}
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_MAX_NAME = 120


def sanitize_file_name(name: str | None, fallback: str = "attachment") -> str:
    """A plain file name safe to create in one folder on Windows, macOS and Linux."""
    name = (name or "").replace("\\", "/").split("/")[-1]  # drop any directory part, whatever the separator
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch if ch.isprintable() else "_" for ch in name)
    name = re.sub(r'[<>:"|?*\x00-\x1f]', "_", name)
    name = name.strip(" .")  # Windows drops trailing dots and spaces; leading dots would hide the file
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    if not stem or stem.upper().split(".")[0] in _RESERVED:
        stem = f"{fallback}_{stem}" if stem else fallback
    suffix = re.sub(r"[^A-Za-z0-9]", "", suffix)[:10]
    stem = stem[: _MAX_NAME - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def unique_path(folder: Path, name: str) -> Path:
    """folder/name, or folder/name (2) ... when it exists; the result is always inside folder."""
    safe = sanitize_file_name(name)
    candidate = folder / safe
    stem, suffix = os.path.splitext(safe)
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    if candidate.resolve().parent != folder.resolve():
        raise ValueError("attachment name escapes its folder")
    return candidate


def write_attachment(folder: Path, name: str, content: bytes) -> Path:
    """Write downloaded bytes under a sanitised, unused name; 'x' mode never replaces another file."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for _ in range(100):
        target = unique_path(folder, name)
        try:
            with target.open("xb") as handle:
                handle.write(content)
            return target
        except FileExistsError:
            continue  # another download took the name between the check and the open
    raise OSError("no free file name for the attachment")


@dataclass(frozen=True)
class UploadCheck:
    path: Path
    mime_type: str | None
    size: int
    problem: str | None  # None when the file can be sent; else 'type', 'content', 'size' or 'unreadable'


def check_upload(path: Path) -> UploadCheck:
    """Check a file against Allegro's limits before it is queued: type by extension and content, and size."""
    mime = ALLOWED_UPLOAD_TYPES.get(path.suffix.lower())
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return UploadCheck(path, mime, 0, "unreadable")
    if mime is None:
        return UploadCheck(path, None, size, "type")
    if not any(head.startswith(magic) for magic in _MAGIC[mime]):
        return UploadCheck(path, mime, size, "content")
    if size > MAX_UPLOAD_BYTES:
        return UploadCheck(path, mime, size, "size")
    return UploadCheck(path, mime, size, None)

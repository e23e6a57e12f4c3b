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

from magazyn_desktop.sync.outgoing import ALLOWED_TYPES, MAX_ATTACHMENT_BYTES, check_outgoing

# Allegro's limits for uploads live with the outbox, which checks them again when a reply is queued.
MAX_UPLOAD_BYTES = MAX_ATTACHMENT_BYTES
ALLOWED_UPLOAD_TYPES: dict[str, str] = ALLOWED_TYPES
# Device names Windows reserves in any folder, whatever the extension: compared after NFKC (so full-width
# letters and superscript digits, which Windows also maps to them, are caught) and without trailing dots and spaces.
_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
    *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10)),
}
# File systems count bytes (ext4, APFS: 255 UTF-8 bytes) or UTF-16 units (NTFS: 255); UTF-8 is never the shorter,
# so a byte budget fits both. It leaves room for " (123)" and for the suffix that neutralises a risky type.
_MAX_NAME_BYTES = 200


def _is_reserved(stem: str) -> bool:
    device = unicodedata.normalize("NFKC", stem).split(".")[0].rstrip(" .").upper()
    return device in _RESERVED


def _cut_to_bytes(text: str, limit: int) -> str:
    """The longest start of `text` whose UTF-8 form fits in `limit` bytes; never half a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


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
    if not stem or _is_reserved(stem):
        stem = f"{fallback}_{stem}" if stem else fallback
    suffix = re.sub(r"[^A-Za-z0-9]", "", suffix)[:10]
    stem = _cut_to_bytes(stem, _MAX_NAME_BYTES - len(suffix) - 1).rstrip(" .") or fallback
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
    """Check a file against Allegro's limits when it is attached: type by extension and content, and size."""
    check = check_outgoing(path)
    problem = "content" if check.problem == "empty" else check.problem  # an empty file is no valid image or PDF
    return UploadCheck(path, check.mime_type, check.size, problem)

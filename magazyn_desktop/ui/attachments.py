"""Attachment files: safe names for what buyers send, whether to open them, and Allegro's limits for uploads.

A buyer chooses the file name, so it is never trusted as a path: directories are dropped, odd characters
replaced, bidi controls written visibly, names Windows reserves avoided, and an existing file is never overwritten.

The system opener picks a program by the extension, so a downloaded file is opened directly only when its
extension is one of the types Allegro carries (images, PDF) or plain text, and its content and declared type agree.
Anything else keeps its bytes but not its type: the last dot becomes '_' and '.bin' is added
(`faktura.pdf.exe` -> `faktura.pdf_exe.bin`), so no program runs it on a double click, even where Windows hides
known extensions; staff are shown the folder instead.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from magazyn_desktop.sync.outgoing import check_outgoing
from magazyn_desktop.ui.visible_text import visible_controls

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
    name = visible_controls(unicodedata.normalize("NFC", name))
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


# What may be handed to the system opener: extension -> the kind its content must be.
_OPENABLE_EXTENSIONS: dict[str, str] = {
    **{extension: "image" for extension in ("png", "gif", "bmp", "tif", "tiff", "jpg", "jpeg")},
    "pdf": "pdf",
    "txt": "text",
}
# Full signatures (not only the first bytes Allegro checks), so a text that starts like one is not taken for it.
_IMAGE_SIGNATURES: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif", b"BM": "bmp",
    b"II*\x00": "tiff", b"MM\x00*": "tiff",
}
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image": tuple(_IMAGE_SIGNATURES),
    "pdf": (b"%PDF-",),
}
# Declared types that say nothing about the content; any other must name the same kind as the extension.
_UNINFORMATIVE_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown"})
NEUTRAL_SUFFIX = ".bin"


@dataclass(frozen=True)
class AssessedDownload:
    file_name: str  # the name to save under: sanitised, and neutralised unless openable
    openable: bool  # True: safe to hand to the system opener


def _content_kind_matches(kind: str, content: bytes) -> bool:
    if kind == "text":
        if b"\x00" in content:
            return False
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return any(content.startswith(signature) for signature in _SIGNATURES[kind])


def _declared_kind(declared: str | None) -> str | None:
    """The kind a Content-Type names; None when it says nothing; 'other' for anything not openable."""
    media = (declared or "").split(";")[0].strip().lower()
    if media in _UNINFORMATIVE_TYPES:
        return None
    if media.startswith("image/") and media != "image/svg+xml":
        return "image"
    return {"application/pdf": "pdf", "text/plain": "text"}.get(media, "other")


def shown_kind(name: str | None, declared_type: str | None) -> str | None:
    """'image' or 'pdf' when an attachment's name and declared type agree that it is one; else None.
    The content still has to confirm it before anything is decoded (`image_format`)."""
    _stem, dot, suffix = sanitize_file_name(name).rpartition(".")
    kind = _OPENABLE_EXTENSIONS.get(suffix.lower()) if dot else None
    if kind not in ("image", "pdf"):
        return None
    return kind if _declared_kind(declared_type) in (None, kind) else None


def image_format(head: bytes) -> str | None:
    """The image format a file's first bytes announce (png, jpeg, gif, bmp, tiff), if it is one Allegro carries."""
    return next((image for signature, image in _IMAGE_SIGNATURES.items() if head.startswith(signature)), None)


def neutralised_name(safe_name: str) -> str:
    """A sanitised name no program claims: `faktura.pdf.exe` -> `faktura.pdf_exe.bin`, `README` -> `README.bin`."""
    stem, dot, suffix = safe_name.rpartition(".")
    return f"{stem}_{suffix}{NEUTRAL_SUFFIX}" if dot else f"{safe_name}{NEUTRAL_SUFFIX}"


def assess_download(name: str | None, content: bytes, declared_type: str | None) -> AssessedDownload:
    """Whether a downloaded file may be opened directly, and the name to save it under.

    Openable means: an allowed extension, content of that kind (signature, or UTF-8 without NULs for text), and a
    declared type that is uninformative or names the same kind. Images count as one kind: viewers read them all.
    """
    safe = sanitize_file_name(name)
    _stem, dot, suffix = safe.rpartition(".")
    kind = _OPENABLE_EXTENSIONS.get(suffix.lower()) if dot else None
    declared = _declared_kind(declared_type)
    openable = (kind is not None and bool(content) and _content_kind_matches(kind, content)
                and declared in (None, kind))
    return AssessedDownload(safe if openable else sanitize_file_name(neutralised_name(safe)), openable)


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

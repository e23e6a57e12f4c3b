"""Files staff attach to a reply: checked against Allegro's limits and copied into the data folder before queuing.

The copy (in attachments/outgoing/) is what gets uploaded, so a queued reply survives the user moving or editing
the original. The checks run on the copy too: what was checked is exactly what will be sent. Until then a draft
keeps the original's path with its size and modification time, and a file that went or changed since it was
attached is told apart when the draft comes back.
"""

from __future__ import annotations

import logging
import enum
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES
from magazyn_desktop.store.draft_files import DraftFile
from magazyn_desktop.store.outbox_files import staged_path
from magazyn_desktop.store.records import OutboxAttachment  # plain records: no SQLAlchemy on the window's path

log = logging.getLogger(__name__)

# The extension decides the type (ATTACHMENT_TYPES); the first bytes must agree with it.
MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/bmp": (b"BM",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/pdf": (b"%PDF",),
}
_MAX_NAME = 200
_COPY_CHUNK = 1024 * 1024


class AttachmentRejected(ValueError):
    """A file that cannot be sent. `problem`: type, content, size, empty or unreadable."""

    def __init__(self, file_name: str, problem: str) -> None:
        super().__init__(f"{file_name} cannot be attached ({problem})")
        self.file_name = file_name
        self.problem = problem


@dataclass(frozen=True)
class OutgoingCheck:
    mime_type: str | None
    size: int
    problem: str | None  # None when the file can be sent


def check_outgoing(path: Path) -> OutgoingCheck:
    """Type by extension and first bytes, then size; reads only the first bytes."""
    mime = ATTACHMENT_TYPES.get(path.suffix.lower())
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return OutgoingCheck(mime, 0, "unreadable")
    if mime is None:
        return OutgoingCheck(None, size, "type")
    if size == 0:
        return OutgoingCheck(mime, 0, "empty")
    if not any(head.startswith(magic) for magic in MAGIC[mime]):
        return OutgoingCheck(mime, size, "content")
    if size > ATTACHMENT_MAX_BYTES:
        return OutgoingCheck(mime, size, "size")
    return OutgoingCheck(mime, size, None)


def display_name(path: Path) -> str:
    """The name Allegro shows the buyer: the original base name, without control characters, not too long."""
    name = "".join(ch if ch.isprintable() else "_" for ch in path.name).strip() or "attachment"
    if len(name) > _MAX_NAME:
        stem, suffix = os.path.splitext(name)
        name = stem[: _MAX_NAME - len(suffix)] + suffix
    return name


def stage_attachment(source: Path, folder: Path) -> OutboxAttachment:
    """Check `source` and copy it into `folder`; raises AttachmentRejected (nothing is left behind then)."""
    name = display_name(source)
    check = check_outgoing(source)
    if check.problem is not None or check.mime_type is None:
        raise AttachmentRejected(name, check.problem or "type")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Our own name on disk: the user's name never becomes a path, so nothing can escape the folder.
    target = folder / f"{uuid.uuid4().hex}{source.suffix.lower()}"
    try:
        with source.open("rb") as reader, target.open("xb") as writer:
            copied = 0
            while chunk := reader.read(_COPY_CHUNK):
                copied += len(chunk)
                if copied > ATTACHMENT_MAX_BYTES:  # the file grew after the check
                    break
                writer.write(chunk)
    except OSError as exc:
        target.unlink(missing_ok=True)
        log.warning("copying an attachment failed (%s)", type(exc).__name__)
        raise AttachmentRejected(name, "unreadable") from exc
    copy_check = check_outgoing(target)
    if copy_check.problem is not None or copied > ATTACHMENT_MAX_BYTES:
        target.unlink(missing_ok=True)
        raise AttachmentRejected(name, copy_check.problem or "size")
    # Stored relative to the outgoing folder, so moving the whole data folder keeps queued replies intact.
    return OutboxAttachment(path=target.name, file_name=name, mime_type=check.mime_type, size=copy_check.size)


def discard_staged(attachments: tuple[OutboxAttachment, ...] | list[OutboxAttachment], folder: Path | None) -> None:
    """Remove copies that are no longer needed (the reply went out, or it was never queued); best effort.

    Only files inside `folder` are touched, whatever the stored path says.
    """
    if folder is None:
        return
    root = folder.resolve()
    for attachment in attachments:
        path = staged_path(attachment, folder)
        if path is None:
            continue
        try:
            if path.resolve().parent == root:
                path.unlink(missing_ok=True)
        except OSError:
            log.debug("could not remove a sent attachment's copy", exc_info=True)


class DraftFileProblem(str, enum.Enum):
    GONE = "gone"  # not there any more (moved, deleted, a drive not connected)
    CHANGED = "changed"  # there, but not the file that was attached: another size or modification time


def draft_file(path: Path) -> DraftFile | None:
    """The file as it is now, to keep with the draft; None when it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return DraftFile(path=str(path), size=stat.st_size, modified_ns=stat.st_mtime_ns)


def draft_file_problem(file: DraftFile) -> DraftFileProblem | None:
    """Whether a draft's file is still the one attached; a stat, no reading."""
    now = draft_file(Path(file.path)) if file.path else None
    if now is None or not Path(file.path).is_file():
        return DraftFileProblem.GONE
    if (now.size, now.modified_ns) != (file.size, file.modified_ns):
        return DraftFileProblem.CHANGED
    return None

"""The files of an outbox entry, as `outbox.attachments_json` keeps them (revision 0003), and the issue message's
type when it is not REGULAR.

A list of files is the whole value for a regular message. A typed one (END_REQUEST, a return type) is an object,
{"type": ..., "attachments": [...]}: an older version reads that as an unreadable list of files, so its reply fails
visibly instead of going out as a plain message.

Plain JSON and no SQLAlchemy: the window's read queries name the files on a queued reply's card too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from magazyn_desktop.store.records import OutboxAttachment

log = logging.getLogger(__name__)


REGULAR = "REGULAR"


def attachments_to_json(attachments: Sequence[OutboxAttachment], message_type: str = REGULAR) -> str | None:
    files = [asdict(a) for a in attachments]
    if message_type != REGULAR:
        return json.dumps({"type": message_type, "attachments": files}, ensure_ascii=False)
    if not attachments:
        return None
    return json.dumps(files, ensure_ascii=False)


def message_type_from_json(text: str | None) -> str:
    """The issue message's type a row keeps; REGULAR for a plain list or none."""
    if not text:
        return REGULAR
    try:
        value = json.loads(text)
    except ValueError:
        return REGULAR
    kind = value.get("type") if isinstance(value, dict) else None
    return kind if isinstance(kind, str) and kind else REGULAR


def attachments_from_json(text: str | None) -> tuple[OutboxAttachment, ...]:
    """The attachments of a row. An unreadable value becomes one attachment without a file, so the reply fails
    visibly at send time instead of going out silently without what the user attached."""
    if not text:
        return ()
    try:
        items = json.loads(text)
        if isinstance(items, dict):  # a typed message: the files beside its type
            items = items["attachments"]
        return tuple(
            OutboxAttachment(
                path=str(item["path"]), file_name=str(item["file_name"]), mime_type=str(item["mime_type"]),
                size=int(item["size"]), remote_id=str(item["remote_id"]) if item.get("remote_id") else None,
            )
            for item in items
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        log.warning("an outbox entry's attachment list is unreadable")
        return (OutboxAttachment(path="", file_name="?", mime_type="", size=0),)


def staged_path(attachment: OutboxAttachment, folder: Path) -> Path | None:
    """Where a staged copy lives; None for an entry without a usable path."""
    if not attachment.path:
        return None
    path = Path(attachment.path)
    return path if path.is_absolute() else folder / path

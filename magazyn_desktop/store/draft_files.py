"""The files attached to a draft, as `drafts.attachments_json` keeps them (revision 0012).

Each file is the user's own path with its size and modification time when it was attached: the window compares
them with the file when the draft comes back, so a file that went or changed since is shown as such instead of
being sent. Plain JSON and no SQLAlchemy: the window's read queries use it too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DraftFile:
    path: str
    size: int
    modified_ns: int


# What an unreadable entry becomes: a file without a path, which is never there, so the window shows it as gone
# and it blocks sending until it is removed, rather than being dropped without a word.
UNREADABLE = DraftFile(path="", size=-1, modified_ns=-1)


def files_to_json(files: Sequence[DraftFile]) -> str | None:
    if not files:
        return None
    return json.dumps([asdict(file) for file in files], ensure_ascii=False)


def files_from_json(text: str | None) -> tuple[DraftFile, ...]:
    if not text:
        return ()
    try:
        items = json.loads(text)
    except ValueError:
        log.warning("a draft's file list is unreadable")
        return (UNREADABLE,)
    if not isinstance(items, list):
        log.warning("a draft's file list is unreadable")
        return (UNREADABLE,)
    return tuple(_file(item) for item in items)


def _file(item: Any) -> DraftFile:
    if (isinstance(item, dict) and isinstance(item.get("path"), str) and isinstance(item.get("size"), int)
            and isinstance(item.get("modified_ns"), int)):
        return DraftFile(path=item["path"], size=item["size"], modified_ns=item["modified_ns"])
    log.warning("a file of a draft is unreadable")
    return UNREADABLE

"""Replies typed while the team's database does not answer: kept in the data folder, moved into the outbox later.

A reply that cannot be written to the shared outbox because the database is away is written to a file of its own,
`team-spool/<key>.json`, atomically (a temporary file, fsync, rename, fsync of the folder): a crash leaves either the
whole reply or nothing. Its files are copied into the outgoing folder as the outbox copies them, so the move has
nothing more to copy.

When the database answers again each file is moved into the outbox: the insert is idempotent on the reply's key
(outbox.client_key, revision 0020), and the file is removed only after the insert committed. A move interrupted
between the two and run again therefore finds the row and only removes the file: each reply enters the outbox once.
A file names the store it was meant for, so a bench later pointed at another store does not move it there.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from magazyn_desktop.allegro.detect import guess_kind
from magazyn_desktop.domain.failures import FailureKind
from magazyn_desktop.domain.limits import text_limit
from magazyn_desktop.domain.text import same_text
from magazyn_desktop.failures import failure_of
from magazyn_desktop.store.outbox_files import REGULAR
from magazyn_desktop.store.records import OutboxAttachment
from magazyn_desktop.store.store_address import StoreAddress
from magazyn_desktop.sync.outgoing import discard_staged, stage_attachment

if TYPE_CHECKING:
    from magazyn_desktop.domain.issue_messages import IssueMessageType
    from magazyn_desktop.store.send_check import SeenMark
    from magazyn_desktop.store.repository import Store
    from magazyn_desktop.sync.outbox import Outbox

log = logging.getLogger(__name__)

SPOOL_FOLDER_NAME = "team-spool"
_SUFFIX = ".json"
_FORMAT = 1


def store_identity(address: StoreAddress) -> str:
    """Which store a spooled reply belongs to: its server and database (the role may differ between benches)."""
    return f"{address.host}:{address.port}/{address.database}"


def database_away(error: BaseException) -> bool:
    """Whether `error` says the team's database does not answer (refused, cut, gone), not that it refused the
    write (failures.py decides, for the whole program)."""
    return failure_of(error).kind is FailureKind.TEAM_STORE_AWAY


@dataclass(frozen=True)
class SpooledReply:
    key: str  # the outbox's client_key once moved
    store: str  # store_identity() of the store it is meant for
    account_id: int
    conversation_id: str
    text: str
    attachments: tuple[OutboxAttachment, ...] = ()
    message_type: str = REGULAR
    author: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def to_json(self) -> str:
        value: dict[str, Any] = asdict(self)
        value["created_at"] = self.created_at.isoformat()
        value["format"] = _FORMAT
        return json.dumps(value, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SpooledReply:
        """Raises ValueError (KeyError and TypeError included) for a file that is not a spooled reply."""
        value = json.loads(text)
        created_at = datetime.fromisoformat(value["created_at"])
        return cls(
            key=str(uuid.UUID(value["key"])), store=str(value["store"]), account_id=int(value["account_id"]),
            conversation_id=str(value["conversation_id"]), text=str(value["text"]),
            attachments=tuple(OutboxAttachment(**item) for item in value.get("attachments") or ()),
            message_type=str(value.get("message_type") or REGULAR), author=value.get("author"),
            created_at=created_at if created_at.tzinfo else created_at.replace(tzinfo=timezone.utc),
        )


class ReplySpool:
    """The spool folder of one bench, for one team store. Used from one thread at a time (the window's writer)."""

    def __init__(self, folder: Path, store: str, outgoing_folder: Path) -> None:
        self.folder = folder
        self._store = store
        self._outgoing = outgoing_folder

    def keep(self, account_id: int, conversation_id: str, text: str, attachments: Sequence[Path] = (), *,
             message_type: str = REGULAR, author: str | None = None) -> SpooledReply:
        """Write the reply (and copies of its files) to the spool; what the outbox would refuse at once is refused
        here too (ValueError, AttachmentRejected), and nothing is kept then."""
        if not text.strip() and not attachments:
            raise ValueError("the reply is empty")
        limit = text_limit(guess_kind(conversation_id))
        if len(text) > limit:
            raise ValueError(f"the reply has {len(text)} characters; Allegro accepts at most {limit} here")
        staged: list[OutboxAttachment] = []
        try:
            for source in attachments:
                staged.append(stage_attachment(Path(source), self._outgoing))
            reply = SpooledReply(key=str(uuid.uuid4()), store=self._store, account_id=account_id,
                                 conversation_id=conversation_id, text=text, attachments=tuple(staged),
                                 message_type=message_type, author=author)
            self._write(reply)
        except BaseException:
            discard_staged(staged, self._outgoing)
            raise
        log.info("spool: reply %s for %s kept on this bench until the team database answers", reply.key,
                 conversation_id)
        return reply

    def replies(self) -> list[SpooledReply]:
        """This store's spooled replies, oldest first. An unreadable file is left where it is, and logged."""
        found: list[SpooledReply] = []
        if not self.folder.is_dir():
            return found
        for path in self.folder.glob(f"*{_SUFFIX}"):
            try:
                reply = SpooledReply.from_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("spool: %s cannot be read and stays: %s", path.name, exc)
                continue
            if reply.store == self._store:
                found.append(reply)
        found.sort(key=lambda reply: (reply.created_at, reply.key))
        return found

    def move_into(self, store: Store) -> list[tuple[SpooledReply, int]]:
        """Each spooled reply into the outbox, oldest first, then its file removed; the replies moved, each with its
        outbox entry. The database's errors are raised: what is not moved yet stays for the next attempt."""
        moved: list[tuple[SpooledReply, int]] = []
        for reply in self.replies():
            entry_id = store.add_outbox_entry(reply.account_id, reply.conversation_id, reply.text, reply.attachments,
                                              message_type=reply.message_type, client_key=reply.key,
                                              author=reply.author)
            # The window cleared the reply box when it was spooled, but that draft could not be saved then: the
            # stored draft is still this reply, which must not be offered for sending again.
            if same_text(store.load_draft(reply.conversation_id), reply.text):
                store.save_draft(reply.conversation_id, "")
            self._remove(reply)
            log.info("spool: reply %s is outbox entry %d", reply.key, entry_id)
            moved.append((reply, entry_id))
        return moved

    def _remove(self, reply: SpooledReply) -> None:
        self._path(reply.key).unlink(missing_ok=True)
        _sync_folder(self.folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{_SUFFIX}"

    def _write(self, reply: SpooledReply) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self._path(reply.key)
        temporary = target.with_suffix(".tmp")
        with temporary.open("x", encoding="utf-8") as file:
            file.write(reply.to_json())
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
        _sync_folder(self.folder)


def queue_or_keep(outbox: Outbox, spool: ReplySpool, conversation_id: str, text: str,
                  attachments: Sequence[Path], message_type: IssueMessageType, *,
                  author: str | None = None, seen: SeenMark | None = None) -> int | SpooledReply:
    """The reply into the shared outbox (its entry id), or into the spool when the database does not answer. While
    older replies wait in the spool a new one waits behind them, so a conversation's replies keep their order.
    `seen`: the send-time check's mark (store/send_check.py), checked when the reply goes into the outbox now; a
    reply kept in the spool was written without the database, so nothing could be checked then."""
    if not spool.replies():
        try:
            return outbox.enqueue(conversation_id, text, attachments, clear_draft=True, message_type=message_type,
                                  seen=seen)
        except Exception as exc:
            if not database_away(exc):
                raise
            log.warning("the team database does not answer; the reply is kept on this bench: %s", exc)
    return spool.keep(outbox.account_id, conversation_id, text, attachments, message_type=message_type.value,
                      author=author)


def _sync_folder(folder: Path) -> None:
    """The rename or removal itself made durable; not every platform can open a folder for that."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)

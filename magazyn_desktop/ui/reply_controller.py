"""Drafts and replies: the composer's autosaved drafts (text and files), and queueing a reply (with its files) in the
outbox, which ends its draft in the same write.

Writes go through the single writer pool, in submission order. A draft typed before the backend exists is kept
here and saved once it is ready, or at shutdown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeGuard

from PySide6.QtCore import QObject, Signal

from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.app.reply_spool import ReplySpool, SpooledReply, database_away, queue_or_keep
from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES
from magazyn_desktop.store.records import AssigneeOnly
from magazyn_desktop.store.draft_files import DraftFile
from magazyn_desktop.sync.outgoing import AttachmentRejected
from magazyn_desktop.ui import errors
from magazyn_desktop.ui.composer import Composer
from magazyn_desktop.ui.visible_text import visible_controls
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

if TYPE_CHECKING:
    from magazyn_desktop.store.send_check import ArrivedSince, SeenMark

log = logging.getLogger(__name__)

# (conversation id, text, attachments, send anyway) -> True when the reply is held for the user's choice.
RulesHold = Callable[[str, str, list[Path], Callable[[], None]], bool]


class SendTimeCheck(Protocol):
    """Team mode: a reply is queued only if nothing arrived since the conversation was opened (ui/arrivals_warning)."""

    def mark(self, conversation_id: str) -> SeenMark | None: ...

    def queued(self, conversation_id: str, entry_id: int) -> None: ...

    def hold(self, arrived: ArrivedSince, send_anyway: Callable[[], None]) -> None: ...


class ReplyController(QObject):
    reply_queued = Signal(int)  # outbox entry id
    reply_spooled = Signal(object)  # SpooledReply: team mode, kept on this bench while the database is away
    draft_saved = Signal(str)  # conversation id

    def __init__(self, *, composer: Composer, writer: WorkerPool, backend: Callable[[], Backend | None],
                 after_queued: Callable[[str], None], show_message: Callable[[str], None],
                 rules_check: RulesHold | None = None, spool: ReplySpool | None = None,
                 author: Callable[[], str | None] = lambda: None, send_check: SendTimeCheck | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._spool = spool  # team mode: where replies wait while the team's database does not answer
        self._author = author
        self._composer = composer
        self._writer = writer
        self._backend = backend
        self._after_queued = after_queued  # refresh the conversation's row and view, send the outbox
        self._show_message = show_message
        self._rules_check = rules_check  # Allegro's messaging rules: a reply that breaks one waits for a choice
        self._send_check = send_check  # team mode: something new since the conversation opened waits for a choice
        self._pending_drafts: dict[str, tuple[str, list[DraftFile]]] = {}  # text, files
        composer.draft_changed.connect(self.save_draft)
        composer.send_requested.connect(self.send_reply)

    def pending_draft(self, conversation_id: str) -> str | None:
        """The text of a draft not saved yet: newer than the one in the store. (The composer keeps its files.)"""
        pending = self._pending_drafts.get(conversation_id)
        return pending[0] if pending is not None else None

    def save_draft(self, conversation_id: str, text: str, files: list[DraftFile]) -> None:
        backend = self._backend()
        if backend is None:
            self._pending_drafts[conversation_id] = (text, files)  # saved as soon as the store is there
            return
        self._pending_drafts.pop(conversation_id, None)
        # The writer runs in submission order: the last outcome for a conversation is about its newest text.
        def saved(_none: None) -> None:
            self._pending_drafts.pop(conversation_id, None)
            self.draft_saved.emit(conversation_id)

        def failed(error: BaseException) -> None:
            if database_away(error):  # team mode: saved when the database answers again (save_pending_drafts)
                self._pending_drafts[conversation_id] = (text, files)
            else:
                self._show_problem(error, self.tr("saving the draft"))

        self._writer.submit(lambda _token: backend.store.save_draft(conversation_id, text, files),
                            on_result=saved, on_error=failed)

    def save_pending_drafts(self) -> None:
        """Once the backend is ready: queue the drafts typed before it was."""
        for conversation_id, (text, files) in list(self._pending_drafts.items()):
            self.save_draft(conversation_id, text, files)
        self._pending_drafts.clear()

    def flush_pending_drafts_now(self) -> None:
        """At shutdown, after the writer is drained: save on this thread, nothing runs after."""
        backend = self._backend()
        if backend is None or not self._pending_drafts:
            return
        for conversation_id, (text, files) in self._pending_drafts.items():
            try:
                backend.store.save_draft(conversation_id, text, files)
            except Exception:
                log.exception("saving a draft on exit failed")
        self._pending_drafts.clear()

    def send_reply(self, conversation_id: str, text: str, attachments: list[Path], *,
                   rules_checked: bool = False) -> None:
        backend = self._backend()
        if not isinstance(backend, ConnectedBackend):
            self._show_message(self.tr("Not connected to Allegro yet. The reply stays here as a draft; "
                                       "send it again in a moment."))
            return
        if not rules_checked and self._rules_check is not None and self._rules_check(
                conversation_id, text, attachments,
                lambda: self.send_reply(conversation_id, text, attachments, rules_checked=True)):
            return  # held: "send anyway" comes back here, "edit" leaves it in the box
        outbox, spool, author = backend.outbox, self._spool, self._author()
        message_type = self._composer.message_type(conversation_id)
        seen = self._send_check.mark(conversation_id) if self._send_check is not None else None

        def run(_token: CancelToken) -> int | SpooledReply:
            if spool is not None:
                return queue_or_keep(outbox, spool, conversation_id, text, attachments, message_type, author=author,
                                     seen=seen)
            return outbox.enqueue(conversation_id, text, attachments=attachments, clear_draft=True,
                                  message_type=message_type)

        def done(queued: int | SpooledReply) -> None:
            if self._send_check is not None and not isinstance(queued, SpooledReply):
                self._send_check.queued(conversation_id, queued)
            self._composer.clear_after_send(conversation_id)
            if isinstance(queued, SpooledReply):
                self.reply_spooled.emit(queued)
                return
            self.reply_queued.emit(queued)
            self._after_queued(conversation_id)

        def failed(error: BaseException) -> None:
            if seen is not None and self._send_check is not None and _arrived(error):
                # Held: "send anyway" comes back here against the moved mark, "edit" leaves it in the box.
                self._send_check.hold(error, lambda: self.send_reply(conversation_id, text, attachments,
                                                                     rules_checked=True))
                return
            if isinstance(error, AttachmentRejected):  # the file changed after it was chosen
                log.info("a queued attachment was refused: %s", error.problem)
                self._show_message(self.tr("%1 cannot be sent: it changed or disappeared after it was attached. "
                                           "Remove it and attach a PNG, GIF, BMP, TIFF, JPEG or PDF file of at most "
                                           "%2 MB.").replace("%1", error.file_name)
                               .replace("%2", str(ATTACHMENT_MAX_BYTES // 2**20)))
            elif isinstance(error, AssigneeOnly):  # the account's rule; the reply stays in the box
                self._show_message(self.tr("The reply was not sent: %1 took this conversation, and only they may "
                                           "answer it. Ask %1 to hand it to you, or leave the reply to them.")
                                   .replace("%1", visible_controls(error.assignee)))
            else:
                self._show_problem(error, self.tr("queueing the reply"))

        self._writer.submit(run, on_result=done, on_error=failed)

    def _show_problem(self, error: BaseException, doing: str) -> None:
        self._show_message(errors.describe(error, doing=doing))


def _arrived(error: BaseException) -> TypeGuard[ArrivedSince]:
    """Whether the store refused the reply for what arrived since (only a team's bench checks, and loads it)."""
    from magazyn_desktop.store.send_check import ArrivedSince

    return isinstance(error, ArrivedSince)

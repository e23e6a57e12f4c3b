"""The open conversation: which one it is, keeping the list's selection on it, and loading it in a worker.

A conversation is read from the cache (or, when missing, fetched from Allegro and stored first) on the
"conversation" channel, so switching quickly only ever shows the last one asked for. Opening it also loads its
order and marks it read. Its row is selected whenever the list has it, also when it arrives after the conversation
opened (a cold `--open`, a later page).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QTimer, Signal
from PySide6.QtWidgets import QListView

from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.domain.notes import NoteProblem
from magazyn_desktop.domain.vocabulary import Kind
from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.store.inbox_records import ConversationDetail, OutboxRow
from magazyn_desktop.ui.team_away import with_waiting
from magazyn_desktop.ui import errors
from magazyn_desktop.ui.composer import Composer
from magazyn_desktop.ui.conversation_list_model import ID_ROLE, ROW_ROLE, ConversationListModel
from magazyn_desktop.ui.conversation_view import ConversationView
from magazyn_desktop.ui.order_loader import OrderLoader
from magazyn_desktop.ui.workers import CancelToken, WorkerPool
from magazyn_desktop.store.read_connection import ReadConnection

if TYPE_CHECKING:
    from magazyn_desktop.store.repository import Store

log = logging.getLogger(__name__)


class ConversationController(QObject):
    conversation_displayed = Signal(str)  # a conversation's messages are on screen
    conversation_failed = Signal(str)  # opening it failed; the reason is on screen

    def __init__(self, *, list_view: QListView, model: ConversationListModel, view: ConversationView,
                 composer: Composer, orders: OrderLoader, pool: WorkerPool, writer: WorkerPool,
                 read_connection: Callable[[], ReadConnection], backend: Callable[[], Backend | None],
                 outgoing_folder: Path,
                 pending_draft: Callable[[str], str | None], mark_read_on_open: Callable[[], bool],
                 closed: Callable[[], bool], update_counts: Callable[[], None],
                 mark_read_delay_ms: Callable[[], int] = lambda: 0, draft_owner: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._list = list_view
        self._model = model
        self._view = view
        self._composer = composer
        self._orders = orders
        self._pool = pool
        self._writer = writer
        self._read_connection = read_connection  # a worker's own connection: sqlite3 ones stay on one thread
        self._backend = backend
        self._outgoing_folder = outgoing_folder  # where a queued reply's files are, for its card
        self._pending_draft = pending_draft
        self._draft_owner = draft_owner  # whose draft a conversation opens with (team mode: the person's)
        self._mark_read_on_open = mark_read_on_open
        # Browsing with the arrow keys opens every row it passes: only one left open this long counts as read
        # (Allegro has no "mark unread", and colleagues lose the mark for messages nobody read).
        self._mark_read_delay_ms = mark_read_delay_ms
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.timeout.connect(self._read_now)
        self._read_pending: tuple[str, str] | None = None  # the open conversation waiting to count as read
        self._closed = closed
        self._update_counts = update_counts  # the filters' numbers and the tray's unread count
        self._current_id: str | None = None
        # Team mode: a conversation's replies waiting on this bench for the database, shown with its outbox.
        self.waiting_replies: Callable[[str], tuple[OutboxRow, ...]] = lambda _conversation_id: ()
        self._selecting = False  # set while the selection is moved from here, so it does not reopen
        list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        list_view.activated.connect(self._on_activated)
        # The open conversation's row may arrive later: in a page read as the list scrolls, or after a reload.
        model.rowsInserted.connect(lambda *_inserted: self._select_if_arrived())
        model.modelReset.connect(self._select_if_arrived)

    @property
    def current_id(self) -> str | None:
        return self._current_id

    # ==== the list's selection ==================================================================================

    def reselect_current(self) -> None:
        if self._current_id is None:
            return
        position = self._model.row_of(self._current_id)
        self._selecting = True
        try:
            if position is None:
                self._list.selectionModel().clearSelection()
            else:
                index = self._model.index(position, 0)
                self._list.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self._list.scrollTo(index)
        finally:
            self._selecting = False

    def _select_if_arrived(self) -> None:
        """Select the open conversation's row once the list has it (the view keeps it in sight)."""
        if self._selecting or self._current_id is None:
            return
        position = self._model.row_of(self._current_id)
        if position is None or self._list.currentIndex().row() == position:
            return
        self._selecting = True
        try:
            self._list.selectionModel().setCurrentIndex(
                self._model.index(position, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self._selecting = False

    def _update_list(self, changed: Collection[str] | None) -> None:
        """The changed rows (all loaded rows for None). The view's current row may move to a neighbour while the
        open conversation's row moves: that is not the user choosing another conversation."""
        self._selecting = True
        try:
            if changed is None:
                self._model.reload(keep_loaded=True)
            else:
                self._model.update_rows(changed)
        finally:
            self._selecting = False

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        conversation_id = current.data(ID_ROLE)
        if isinstance(conversation_id, str) and conversation_id != self._current_id:
            self.open(conversation_id)

    def _on_activated(self, index: QModelIndex) -> None:
        conversation_id = index.data(ID_ROLE)
        if isinstance(conversation_id, str):
            if conversation_id != self._current_id:
                self.open(conversation_id)
            self._view.focus_messages()

    # ==== opening and refreshing ================================================================================

    def open(self, conversation_id: str) -> None:
        """Show a conversation: from the cache, or asked from Allegro when it is not cached yet."""
        if self._closed() or not conversation_id:
            return
        self._composer.flush_draft()
        self._read_timer.stop()
        self._read_pending = None
        self._current_id = conversation_id
        self.reselect_current()
        self._view.show_loading()
        self._composer.set_conversation(None)
        self._orders.clear()
        self._pool.invalidate("conversation-refresh")
        self._pool.submit(lambda token: self._load_detail(conversation_id, token, remote=True),
                          on_result=lambda detail: self._on_detail_loaded(conversation_id, detail),
                          on_error=lambda error: self._on_detail_failed(conversation_id, error),
                          channel="conversation")

    def reopen_if_missing(self) -> None:
        """Once the backend exists: open the conversation asked for before it did, which the cache lacked."""
        if self._current_id and self._model.row_of(self._current_id) is None and self._view.detail is None:
            self.open(self._current_id)

    def refresh_after_change(self, changed: Collection[str] | None = None) -> None:
        """After a sync or a send: the changed conversations' rows (every loaded row when `changed` is None) and
        the open conversation if it is one of them, keeping the selection."""
        if self._closed():
            return
        self._update_list(changed)
        self.reselect_current()
        self._update_counts()
        if (self._current_id and self._view.conversation_id == self._current_id
                and (changed is None or self._current_id in changed)):
            conversation_id = self._current_id
            self._pool.submit(lambda token: self._load_detail(conversation_id, token, remote=False),
                              on_result=lambda detail: self._on_detail_refreshed(conversation_id, detail),
                              on_error=lambda error: log.warning("refreshing the conversation failed: %s", error),
                              channel="conversation-refresh")

    def _refresh_list_only(self, conversation_id: str) -> None:
        if self._closed():
            return
        self._update_list([conversation_id])
        self.reselect_current()
        self._update_counts()

    def _load_detail(self, conversation_id: str, token: CancelToken, *, remote: bool) -> ConversationDetail | None:
        """Worker: read the conversation from the cache; fetch and store it first when it is missing."""
        connection = self._read_connection()
        try:
            detail = queries.load_conversation(connection, conversation_id, self._outgoing_folder, self._draft_owner)
            backend = self._backend()
            if detail is not None or not remote or not isinstance(backend, ConnectedBackend):
                return detail
            token.raise_if_cancelled()
            conversation = backend.client.open_conversation(conversation_id)
            token.raise_if_cancelled()
            from magazyn_desktop.sync.fetched import store_fetched  # the store's SQLAlchemy stays off the first paint

            store_fetched(backend.store, backend.account_id, conversation.summary, conversation.messages,
                          complete=conversation.complete,
                          reference=backend.client.server_now() or datetime.now(timezone.utc))
            # Allegro may answer under the canonical id (for example a different case).
            return (queries.load_conversation(connection, conversation_id, self._outgoing_folder, self._draft_owner)
                    or queries.load_conversation(connection, conversation.summary.id, self._outgoing_folder,
                                                 self._draft_owner))
        finally:
            connection.close()

    def _on_detail_loaded(self, conversation_id: str, detail: ConversationDetail | None) -> None:
        if conversation_id != self._current_id:
            return
        if detail is None:
            if self._backend() is None:
                self._view.show_placeholder(self.tr("This conversation is not saved on this computer yet. "
                                                    "It opens when the connection to Allegro is ready."))
            else:
                self._view.show_placeholder(self.tr("No conversation found for \u201c%1\u201d.")
                                            .replace("%1", conversation_id))
            return
        if detail.conversation.id != conversation_id:
            self._current_id = detail.conversation.id
        current = detail.conversation
        if self._model.row_of(current.id) is None:
            self._update_list([current.id])  # it was just fetched from Allegro
            self._update_counts()
        self.reselect_current()
        self._view.show_detail(self._with_waiting(detail))
        pending = self._pending_draft(current.id)
        self._composer.set_conversation(current, draft=pending if pending is not None else detail.draft,
                                        files=detail.draft_files)
        self.conversation_displayed.emit(current.id)
        self._orders.load(current.order_id, conversation_id=current.id, buyer_login=current.interlocutor_login)
        if self._mark_read_on_open() and not current.read:
            self._read_pending = (current.id, current.kind)
            self._read_timer.start(max(0, self._mark_read_delay_ms()))

    def _read_now(self) -> None:
        pending, self._read_pending = self._read_pending, None
        if pending is not None and pending[0] == self._current_id and not self._closed():
            self._mark_read(*pending)

    def mark_read_now(self, conversation_id: str) -> None:
        """Read, here and on Allegro, from the list's menu."""
        row = self._model.row_of(conversation_id)
        kind = self._model.index(row, 0).data(ROW_ROLE).kind if row is not None else Kind.THREAD.value
        self._mark_read(conversation_id, kind)

    def mark_unread(self, conversation_id: str) -> None:
        """Unread in this app until it is read here again; Allegro has no "mark unread"."""
        backend = self._backend()
        if backend is None:
            return
        if self._read_pending is not None and self._read_pending[0] == conversation_id:
            self._read_timer.stop()
            self._read_pending = None

        def run(_token: CancelToken) -> bool:
            return backend.store.mark_unread(conversation_id)

        def done(_changed: bool) -> None:
            self._refresh_list_only(conversation_id)

        self._writer.submit(run, on_result=done,
                            on_error=lambda error: log.warning("marking as unread failed: %s", error))

    # States the app owns: each a write in the writer, then the row (and the open conversation) read again.

    def set_done(self, conversation_id: str, done: bool) -> None:
        """Mark as needing no reply until the buyer writes again, or take that back."""
        self._write_then_refresh(
            conversation_id, "marking as done failed",
            lambda store: store.mark_done(conversation_id) if done else store.unmark_done(conversation_id))

    def add_note(self, conversation_id: str, text: str, author: str,
                 on_refused: Callable[[NoteProblem], None]) -> None:
        """Keep an internal note; `on_refused` hears why the store would not (the dialog checked the text first)."""
        backend = self._backend()
        if backend is None:
            return

        def run(_token: CancelToken) -> NoteProblem | None:
            return backend.store.add_note(conversation_id, text, author=author)

        def done(problem: NoteProblem | None) -> None:
            if problem is not None:
                on_refused(problem)
            elif not self._closed():
                self.refresh_after_change([conversation_id])

        self._writer.submit(run, on_result=done, on_error=lambda error: log.warning("adding a note failed: %s", error))

    def set_reminder(self, conversation_id: str, on: date | None) -> None:
        self._write_then_refresh(conversation_id, "setting a reminder failed",
                                 lambda store: store.set_reminder(conversation_id, on))

    def _write_then_refresh(self, conversation_id: str, failure: str, write: Callable[[Store], object]) -> None:
        backend = self._backend()
        if backend is None:
            return

        def run(_token: CancelToken) -> object:
            return write(backend.store)

        def done(_result: object) -> None:
            if not self._closed():
                self.refresh_after_change([conversation_id])

        self._writer.submit(run, on_result=done, on_error=lambda error: log.warning("%s: %s", failure, error))

    def stop(self) -> None:
        """At shutdown: a conversation not open long enough stays unread."""
        self._read_timer.stop()
        self._read_pending = None

    def mark_read_on_reply(self, conversation_id: str) -> None:
        """A reply to the open conversation: it has been read, however soon."""
        if self._read_pending is not None and self._read_pending[0] == conversation_id:
            self._read_timer.stop()
            self._read_now()

    def _on_detail_failed(self, conversation_id: str, error: BaseException) -> None:
        if conversation_id != self._current_id:
            return
        self._view.show_placeholder(errors.describe(error, doing="opening a conversation"))
        self.conversation_failed.emit(conversation_id)

    def _on_detail_refreshed(self, conversation_id: str, detail: ConversationDetail | None) -> None:
        if detail is None or conversation_id != self._current_id or self._view.conversation_id != conversation_id:
            return
        self._view.show_detail(self._with_waiting(detail))
        self._composer.update_conversation(detail.conversation)

    def _with_waiting(self, detail: ConversationDetail) -> ConversationDetail:
        return with_waiting(detail, self.waiting_replies(detail.conversation.id))

    def show_waiting_replies(self) -> None:
        """The open conversation's card list again, with the replies waiting for the database as they are now."""
        detail = self._view.detail
        if detail is not None:
            self._view.show_detail(self._with_waiting(detail))

    def _mark_read(self, conversation_id: str, kind: str) -> None:
        backend = self._backend()
        if backend is None:
            return

        def run(_token: CancelToken) -> None:
            backend.store.mark_read(conversation_id)

        self._writer.submit(run, on_result=lambda _none: self._refresh_list_only(conversation_id),
                            on_error=lambda error: log.warning("marking as read failed: %s", error))
        if kind == Kind.THREAD and isinstance(backend, ConnectedBackend):
            mark_remote = backend.client.mark_thread_read
            # Best effort: Allegro's own flag; the inbox's unread mark is already local.
            self._pool.submit(lambda _token: mark_remote(conversation_id),
                              on_error=lambda error: log.info("marking read on Allegro failed: %s", error))

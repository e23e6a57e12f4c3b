"""The single writer of the local cache, plus the reads that sync and the outbox need: the one object callers hold.

Every write takes one lock, so writes from sync workers, the outbox and the GUI's writer are serialised inside this
process; WAL mode keeps readers (the inbox list) working meanwhile. Each method is one transaction; the work is
done by the module of the tables it touches (accounts, conversation_writes, conversation_rows, outbox, ...).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from magazyn_desktop.domain.claim_decision import ClaimDecision
from magazyn_desktop.domain.deadlines import DeadlineClock
from magazyn_desktop.domain.records import (
    AttachmentInfo,
    ConversationMessage,
    ConversationSummary,
    Order,
    SentMessage,
)
from magazyn_desktop.domain.notes import NoteProblem
from magazyn_desktop.domain.templates import Template
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, SubKind
from magazyn_desktop.store import (
    accounts,
    assignment,
    claim_decisions,
    conversation_rows,
    conversation_writes,
    deadline_notices,
    drafts,
    notes,
    order_links,
    orders,
    outbox,
    reply_templates,
    sync_cursors,
    sync_schedule,
)
from magazyn_desktop.store.change_log import record_changes
from magazyn_desktop.store.db import WRITE_OPTION, create_engine_for, session_factory
from magazyn_desktop.store.deadline_notices import DeadlineNotice
from magazyn_desktop.store.leadership import Fence, check_fence
from magazyn_desktop.store.send_check import SeenMark, check_nothing_arrived
from magazyn_desktop.store.draft_files import DraftFile
from magazyn_desktop.store.models import Conversation, OutboxEntry, utc_now
from magazyn_desktop.store.store_address import StoreAddress
from magazyn_desktop.store.records import (
    AccountInfo,
    Assignment,
    ChangeKind,
    ClaimDecisionItem,
    ConversationWrite,
    CursorState,
    OutboxAttachment,
    OutboxItem,
    ScheduleState,
    StoredConversation,
    StoredTemplate,
    TemplateEdit,
)


# What the change log says changed (store/change_log.py): a conversation's row or messages, or its outbox entries.
CONVERSATION_TOPIC = "conversation"
OUTBOX_TOPIC = "outbox"
ASSIGNMENT_TOPIC = "assignment"  # who has a conversation (store/assignment.py)


def _changed(stored: StoredConversation) -> bool:
    return stored.change is not ChangeKind.UNCHANGED or bool(stored.messages_added or stored.messages_changed)


def _record_conversation_change(session: Session, conversation_id: str, topic: str = CONVERSATION_TOPIC) -> None:
    """Log a change of a conversation known by its id alone (a team's benches update that row); nothing on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return
    account_id = session.scalar(select(Conversation.account_id).where(Conversation.id == conversation_id))
    if account_id is not None:
        record_changes(session, account_id, topic, [conversation_id])


def _recorded(session: Session, conversation_id: str, changed: bool) -> bool:
    if changed:
        _record_conversation_change(session, conversation_id)
    return changed


def _record_entry_change(session: Session, entry_id: int) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    row = session.execute(select(OutboxEntry.account_id, OutboxEntry.conversation_id)
                          .where(OutboxEntry.id == entry_id)).first()
    if row is not None:
        record_changes(session, row[0], OUTBOX_TOPIC, [row[1]])


class Store:
    """The cache database at head; one instance per process, shared by every thread."""

    def __init__(self, engine: Engine, *, owns_engine: bool = False, draft_owner: str = "") -> None:
        self._engine = engine
        self._owns_engine = owns_engine
        self._draft_owner = draft_owner  # whose drafts this store reads and writes: "" on a single bench
        self._sessions: sessionmaker[Session] = session_factory(engine)
        self._write_lock = threading.RLock()

    @classmethod
    def open(cls, database: Path) -> Store:
        """A store over a database file that is already at head (the launch sequence migrated it)."""
        return cls(create_engine_for(database), owns_engine=True)

    @classmethod
    def open_team(cls, address: StoreAddress, password: str | None = None) -> Store:
        """A store over a team's PostgreSQL database that is already at head (store.team_schema)."""
        from magazyn_desktop.store.team_engine import create_team_engine

        return cls(create_team_engine(address, password), owns_engine=True)

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        if self._owns_engine:
            self._engine.dispose()

    # -- plumbing ------------------------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction under the writer lock: committed on success, rolled back whole on any error."""
        with self._write_lock:
            with self._sessions.begin() as session:
                session.connection(execution_options={WRITE_OPTION: True})  # SQLite: BEGIN IMMEDIATE
                yield session

    @contextmanager
    def _leader_write(self, fence: Fence | None) -> Iterator[Session]:
        """A write the account's leader makes on its behalf (a send's state moves): in team mode `fence` is checked
        first in the same transaction, which raises LeadershipLost and writes nothing once the lease is not the
        bench's any more. None (a single bench): nothing to check."""
        with self._write() as session:
            if fence is not None:
                check_fence(session, fence)
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    # -- accounts ------------------------------------------------------------------------------------------------

    def ensure_account(self, environment: str, login: str | None = None) -> int:
        """The id of the account of this environment (and login), created when missing."""
        with self._write() as session:
            return accounts.ensure_account(session, environment, login)

    def save_connected_account(
        self,
        environment: str,
        *,
        client_id: str,
        login: str | None,
        user_id: str | None = None,
        api_url: str | None = None,
        auth_url: str | None = None,
    ) -> int:
        """Record the account a sign-in connected; it becomes the one connected_account() returns.

        The row of the same environment and login (or one stored before its login was known) is reused, so the
        cached conversations stay attached; other signed-in accounts are deactivated: one account at a time.
        """
        with self._write() as session:
            return accounts.save_connected_account(session, environment, client_id=client_id, login=login,
                                                   user_id=user_id, api_url=api_url, auth_url=auth_url)

    def account_login(self, account_id: int) -> str | None:
        with self._read() as session:
            return accounts.account_login(session, account_id)

    def account_created_at(self, account_id: int) -> datetime | None:
        """When this folder first stored the account (the demo's timeline starts then)."""
        with self._read() as session:
            return accounts.account_created_at(session, account_id)

    def connected_account(self, *, excluding_environment: str = "demo") -> AccountInfo | None:
        """The first active account connected through sign-in (it has a client id), the demo one left out."""
        with self._read() as session:
            return accounts.connected_account(session, excluding_environment)

    # -- conversations -------------------------------------------------------------------------------------------

    def upsert_conversation(self, account_id: int, summary: ConversationSummary) -> ChangeKind:
        """Store a summary without its messages.

        The remote counters (last message time, count, status) are left alone: they are written only together
        with the messages they describe, so a conversation whose messages were never fetched still looks changed.
        """
        with self._write() as session:
            change = conversation_writes.store_summary(session.connection(), account_id, summary)
            if change is not ChangeKind.UNCHANGED:
                record_changes(session, account_id, CONVERSATION_TOPIC, [summary.id])
            return change

    def store_conversation(
        self, account_id: int, summary: ConversationSummary, messages: Sequence[ConversationMessage], *,
        complete: bool = True,
    ) -> StoredConversation:
        """The summary and all its messages in one transaction: the conversation is updated whole or not at all.

        `complete` False (a message could not be read, or the answer contradicts the summary): what was read is
        stored, but the remote counters are left as they were, so the conversation still looks changed to the next
        sync and is fetched again.
        """
        with self._write() as session:
            stored = conversation_writes.store_conversation(
                session.connection(), account_id, summary, messages, complete=complete
            )
            if _changed(stored):
                record_changes(session, account_id, CONVERSATION_TOPIC, [summary.id])
            return stored

    def store_conversations(self, account_id: int, writes: Sequence[ConversationWrite], *,
                            fence: Fence | None = None) -> list[StoredConversation]:
        """A batch of conversations in one transaction, in order: each as store_conversation (or, for a summary
        alone, upsert_conversation) would store it; if any fails, none of the batch is stored. `fence`: the sync
        of the account's leader (team mode) stores only while its lease holds."""
        with self._leader_write(fence) as session:
            connection = session.connection()
            stored = [
                conversation_writes.store_conversation(connection, account_id, w.summary, w.messages,
                                                       complete=w.complete)
                if w.messages is not None
                else StoredConversation(conversation_writes.store_summary(connection, account_id, w.summary),
                                        0, 0, (), ())
                for w in writes
            ]
            record_changes(session, account_id, CONVERSATION_TOPIC,
                           [w.summary.id for w, result in zip(writes, stored) if _changed(result)])
            return stored

    def summaries_to_write(self, account_id: int, summaries: Sequence[ConversationSummary]) -> list[ConversationSummary]:
        """Those of `summaries` that upsert_conversation would write (new or different), found without writing."""
        with self._read() as session:
            return conversation_writes.summaries_to_write(session.connection(), account_id, summaries)

    def conversation_kind(self, conversation_id: str) -> tuple[Kind, SubKind] | None:
        with self._read() as session:
            return conversation_rows.conversation_kind(session, conversation_id)

    def set_conversation_kind(self, conversation_id: str, kind: Kind, sub_kind: SubKind) -> bool:
        """Record a kind learned from Allegro on a stored conversation; False when it is not stored yet."""
        with self._write() as session:
            return conversation_rows.set_conversation_kind(session, conversation_id, kind, sub_kind)

    def conversation_summary(self, conversation_id: str) -> ConversationSummary | None:
        """The stored summary of a conversation, enough to ask Allegro for its messages."""
        with self._read() as session:
            return conversation_rows.conversation_summary(session, conversation_id)

    def conversation_summaries(self, conversation_ids: Collection[str]) -> dict[str, ConversationSummary]:
        """The stored summaries of those of `conversation_ids` the cache holds, in one read."""
        with self._read() as session:
            return conversation_rows.conversation_summaries(session, conversation_ids)

    def known_thread_state(self, account_id: int, conversation_ids: Collection[str] | None = None,
                           ) -> dict[str, datetime | None]:
        """Thread id -> the lastMessageDateTime its stored messages match, for threads whose messages were fetched;
        for the ids given (read by key: a sync asks for the threads on the page it sees), or for all."""
        with self._read() as session:
            return conversation_rows.known_thread_state(session, account_id, conversation_ids)

    def known_issue_state(self, account_id: int, conversation_ids: Collection[str] | None = None,
                          ) -> dict[str, tuple[int | None, str | None, datetime | None]]:
        """Issue id -> (chat.messagesCount, chat.lastMessage.status, its createdAt) as last fetched; for the ids
        given, or for all."""
        with self._read() as session:
            return conversation_rows.known_issue_state(session, account_id, conversation_ids)

    def mark_kept_locally(self, account_id: int, conversation_ids: Collection[str], at: datetime, *,
                          fence: Fence | None = None) -> int:
        """Mark conversations Allegro no longer shows; they stay in the cache (conversation_rows)."""
        if not conversation_ids:
            return 0
        with self._leader_write(fence) as session:
            return conversation_rows.mark_kept_locally(session, account_id, conversation_ids, at)

    def threads_active_since(self, account_id: int, since: datetime) -> set[str]:
        with self._read() as session:
            return conversation_rows.threads_active_since(session, account_id, since)

    def message_ids(self, conversation_id: str) -> set[str]:
        with self._read() as session:
            return conversation_rows.message_ids(session, conversation_id)

    def mark_read(self, conversation_id: str) -> None:
        with self._write() as session:
            conversation_rows.mark_read(session, conversation_id)
            _record_conversation_change(session, conversation_id)

    def mark_unread(self, conversation_id: str) -> bool:
        """Keep the conversation unread in this app, whatever Allegro's read flag says, until it is read here."""
        with self._write() as session:
            return _recorded(session, conversation_id, conversation_rows.mark_unread(session, conversation_id, utc_now()))

    def set_attachment_local_path(self, attachment_id: int, local_path: str) -> bool:
        """Where a downloaded attachment was saved: it opens from there, and images show a thumbnail of it."""
        with self._write() as session:
            return conversation_rows.set_attachment_local_path(session, attachment_id, local_path)

    # -- states the app owns: done, notes, reminders --------------------------------------------------------------

    def mark_done(self, conversation_id: str, at: datetime | None = None) -> bool:
        """Needs no reply until the buyer writes again; False when the conversation is not stored."""
        with self._write() as session:
            return _recorded(session, conversation_id,
                             conversation_writes.mark_done(session.connection(), conversation_id, at or utc_now()))

    def unmark_done(self, conversation_id: str) -> bool:
        """Takes "done" back: the messages say again whether it needs a reply."""
        with self._write() as session:
            return _recorded(session, conversation_id,
                             conversation_writes.unmark_done(session.connection(), conversation_id))

    def add_note(self, conversation_id: str, text: str, *, author: str,
                 at: datetime | None = None) -> NoteProblem | None:
        """Keep an internal note (plain text, never sent); None when kept, else why it was refused."""
        with self._write() as session:
            return notes.add_note(session, conversation_id, text, author, at or utc_now())

    def set_reminder(self, conversation_id: str, on: date | None) -> bool:
        """Bring the conversation back in the reminders filter on that local date (a past one: at once); None
        clears it."""
        with self._write() as session:
            return _recorded(session, conversation_id, conversation_rows.set_reminder(session, conversation_id, on))

    # -- who has a conversation (team mode) ---------------------------------------------------------------------

    def take_conversation(self, conversation_id: str, person: str, *, take_over: bool = False,
                          at: datetime | None = None) -> Assignment:
        """Assign it to `person`; refused (unchanged, naming the holder) when another person has it, unless
        `take_over` (the user confirmed taking it from them)."""
        with self._write() as session:
            return self._assigned(session, conversation_id,
                                  assignment.take(session, conversation_id, person, at or utc_now(),
                                                  take_over=take_over))

    def hand_conversation(self, conversation_id: str, person: str, at: datetime | None = None) -> Assignment:
        """Give it to `person`, whoever had it."""
        with self._write() as session:
            return self._assigned(session, conversation_id,
                                  assignment.hand_to(session, conversation_id, person, at or utc_now()))

    def release_conversation(self, conversation_id: str, holder: str) -> Assignment:
        """Nobody has it any more, if `holder` had it."""
        with self._write() as session:
            return self._assigned(session, conversation_id, assignment.release(session, conversation_id, holder))

    @staticmethod
    def _assigned(session: Session, conversation_id: str, result: Assignment) -> Assignment:
        if result.changed:
            _record_conversation_change(session, conversation_id, ASSIGNMENT_TOPIC)
        return result

    def team_people(self, account_id: int) -> list[str]:
        """The people seen on the account: those who have a conversation and those at a bench."""
        with self._read() as session:
            return assignment.people(session, account_id)

    def only_assignee_sends(self, account_id: int) -> bool:
        with self._read() as session:
            return assignment.only_assignee_sends(session, account_id)

    def set_only_assignee_sends(self, account_id: int, on: bool) -> bool:
        """The account's rule that a conversation someone took is answered by that person only."""
        with self._write() as session:
            changed = assignment.set_only_assignee_sends(session, account_id, on)
            if changed:
                record_changes(session, account_id, ASSIGNMENT_TOPIC)
            return changed

    # -- reply templates -----------------------------------------------------------------------------------------

    def reply_templates(self) -> list[StoredTemplate]:
        """Every template, in the order staff put them."""
        with self._read() as session:
            return reply_templates.reply_templates(session)

    def save_reply_templates(self, edits: Sequence[TemplateEdit], at: datetime | None = None) -> list[StoredTemplate]:
        """The whole list as edited, in one transaction (reply_templates.save_reply_templates); the list kept."""
        with self._write() as session:
            return reply_templates.save_reply_templates(session, edits, at or utc_now())

    def seed_reply_templates(self, templates: Sequence[Template]) -> bool:
        """The default set into an empty list, once in the store's life; True when it was added now."""
        with self._write() as session:
            return reply_templates.seed_reply_templates(session, templates, utc_now())
    def take_deadline_notices(self, account_id: int, clock: DeadlineClock) -> list[DeadlineNotice]:
        """The claims' and disputes' deadlines less than a working day away that were not announced yet, now
        remembered as announced."""
        with self._write() as session:
            return deadline_notices.take_deadline_notices(session.connection(), account_id, clock)

    # -- sync cursors ---------------------------------------------------------------------------------------------

    def get_cursor(self, account_id: int, source: str) -> CursorState:
        with self._read() as session:
            return sync_cursors.get_cursor(session, account_id, source)

    def cursors(self, account_id: int) -> dict[str, CursorState]:
        """Every source's cursor of the account, by source, in one read."""
        with self._read() as session:
            return sync_cursors.cursors(session, account_id)

    def set_cursor(
        self,
        account_id: int,
        source: str,
        *,
        newest_seen_at: datetime | None = None,
        succeeded: bool,
        error: str | None = None,
        fence: Fence | None = None,
    ) -> None:
        """Record how a sync of one source ended; newest_seen_at None keeps the stored value."""
        with self._leader_write(fence) as session:
            sync_cursors.set_cursor(session, account_id, source, newest_seen_at=newest_seen_at,
                                    succeeded=succeeded, error=error)

    def last_sync_at(self, account_id: int) -> datetime | None:
        """When a source of this account last synced without errors (the newest of them), or None."""
        with self._read() as session:
            return sync_cursors.last_sync_at(session, account_id)

    # -- the sync schedule ----------------------------------------------------------------------------------------

    def sync_schedule(self, account_id: int) -> ScheduleState:
        with self._read() as session:
            return sync_schedule.read_schedule(session, account_id)

    def set_sync_schedule(self, account_id: int, *, fence: Fence | None = None,
                          **times: datetime | str | None) -> None:
        """Write the named times (store.sync_schedule: None leaves one as stored, CLEARED empties it)."""
        with self._leader_write(fence) as session:
            sync_schedule.update_schedule(session, account_id, times)

    def issue_states(self, account_id: int) -> dict[str, tuple[str | None, bool]]:
        """Issue id -> (status, chat active) as stored."""
        with self._read() as session:
            return sync_schedule.issue_states(session, account_id)

    # -- drafts --------------------------------------------------------------------------------------------------

    @property
    def draft_owner(self) -> str:
        return self._draft_owner

    def save_draft(self, conversation_id: str, text: str, files: Sequence[DraftFile] = ()) -> None:
        """Keep what the user typed and attached; a blank text without files removes the draft."""
        with self._write() as session:
            drafts.save_draft(session, conversation_id, text, files, self._draft_owner)

    def load_draft(self, conversation_id: str) -> str:
        with self._read() as session:
            return drafts.load_draft(session, conversation_id, self._draft_owner)

    def load_draft_files(self, conversation_id: str) -> tuple[DraftFile, ...]:
        with self._read() as session:
            return drafts.load_draft_files(session, conversation_id, self._draft_owner)

    # -- outbox --------------------------------------------------------------------------------------------------

    def add_outbox_entry(self, account_id: int, conversation_id: str, text: str,
                         attachments: Sequence[OutboxAttachment] = (), *, clear_draft: bool = False,
                         message_type: str = "REGULAR", client_key: str | None = None,
                         author: str | None = None, seen: SeenMark | None = None, person: str | None = None) -> int:
        """Commit a reply to the queue; this happens before any network call. `clear_draft`: the reply is the
        conversation's draft, which goes in the same transaction (a crash cannot leave it to be sent twice).
        `message_type`: an issue message's MessageRequest.type. `author`: who wrote it ("Ania @ bench 2").
        `client_key`: a reply the bench kept in its spool while the database was away; when an entry has that key
        already, nothing is written and its id returned. `seen` (team mode): what the user had seen of the
        conversation; ArrivedSince, and nothing queued, when something arrived after it (store/send_check.py).
        `person`: who queues it; AssigneeOnly when the account lets only the assignee answer and another person
        took the conversation. Both are checked in this transaction, so a take or a reply on another bench cannot
        slip between the check and the queueing."""
        with self._write() as session:
            if client_key is not None and (known := outbox.entry_with_client_key(session, client_key)) is not None:
                return known
            assignment.check_may_send(session, account_id, conversation_id, person)
            if seen is not None:
                check_nothing_arrived(session, conversation_id, seen, own_author=author)
            entry_id = outbox.add_entry(session, account_id, conversation_id, text, attachments, message_type,
                                        client_key=client_key, author=author)
            if clear_draft:
                drafts.delete_draft(session, conversation_id, self._draft_owner)
            record_changes(session, account_id, OUTBOX_TOPIC, [conversation_id])
            return entry_id

    def set_outbox_attachment_remote_id(self, entry_id: int, index: int, remote_id: str, *,
                                        fence: Fence | None = None) -> bool:
        """Record that attachment `index` of an entry is on Allegro, before the message that uses it is sent."""
        with self._leader_write(fence) as session:
            return outbox.set_attachment_remote_id(session, entry_id, index, remote_id)

    def outbox_entry(self, entry_id: int) -> OutboxItem | None:
        with self._read() as session:
            return outbox.entry(session, entry_id)

    def due_outbox_entries(self, account_id: int) -> list[OutboxItem]:
        """Queued replies of the account, oldest first (the sender itself claims them one by one)."""
        with self._read() as session:
            return outbox.in_states(session, account_id, [OutboxState.QUEUED])

    def uncertain_outbox_entries(self, account_id: int) -> list[OutboxItem]:
        with self._read() as session:
            return outbox.in_states(session, account_id, [OutboxState.UNCERTAIN])

    def pending_outbox_entries(self, account_id: int) -> list[OutboxItem]:
        """Entries not finished yet (queued, sending, uncertain), oldest first."""
        with self._read() as session:
            return outbox.in_states(session, account_id,
                                    [OutboxState.QUEUED, OutboxState.SENDING, OutboxState.UNCERTAIN])

    def outbox_for_conversation(self, conversation_id: str) -> list[OutboxItem]:
        with self._read() as session:
            return outbox.for_conversation(session, conversation_id)

    def claimed_remote_message_ids(self, conversation_id: str) -> set[str]:
        """Remote ids already matched to an outbox entry (so one sent message never settles two entries)."""
        with self._read() as session:
            return outbox.claimed_remote_message_ids(session, conversation_id)

    def message_ids_stored_up_to(self, message_ids: Sequence[str], max_rowid: int) -> set[str]:
        """Those of `message_ids` stored with a messages.rowid of at most `max_rowid` (in the cache by then)."""
        with self._read() as session:
            return outbox.message_ids_stored_up_to(session, message_ids, max_rowid)

    def newest_message_id_up_to(self, conversation_id: str, max_rowid: int) -> str | None:
        """The newest message of the conversation that was in the cache by `max_rowid` (None: it had none)."""
        with self._read() as session:
            return outbox.newest_message_id_up_to(session, conversation_id, max_rowid)

    def claim_next_outbox_entry(self, account_id: int, started_at: datetime | None = None, *,
                                excluding_conversations: Collection[str] = (),
                                fence: Fence | None = None) -> OutboxItem | None:
        """The next reply to send, marked sending in the same transaction (as mark_outbox_sending), or None.

        A reply waits while an older one of its conversation is queued, sending or uncertain, and those of
        `excluding_conversations` wait too; two senders claiming at once never get the same entry."""
        with self._leader_write(fence) as session:
            claimed = outbox.claim_next(session, account_id, started_at, excluding_conversations)
            if claimed is not None:
                _record_entry_change(session, claimed.id)
            return claimed

    def mark_outbox_sending(self, entry_id: int, started_at: datetime | None = None) -> bool:
        """queued -> sending, counting the attempt; False when the entry was not queued any more.

        Also records the conversation's largest messages.rowid at this moment (0 when none is stored): every
        message stored up to it was in the cache before the send, so none of them can be the send arriving.
        """
        with self._write() as session:
            return outbox.mark_sending(session, entry_id, started_at)

    def mark_outbox_sent(
        self,
        entry_id: int,
        *,
        remote_message_id: str | None,
        sent_at: datetime | None = None,
        message: ConversationMessage | None = None,
        fence: Fence | None = None,
    ) -> bool:
        """sending/uncertain -> sent; the sent message is stored in the conversation in the same transaction."""
        with self._leader_write(fence) as session:
            sent = outbox.mark_sent(session, entry_id, remote_message_id, sent_at, message)
            if sent:
                _record_entry_change(session, entry_id)
            return sent

    def mark_outbox_failed(self, entry_id: int, *, code: str | None, message: str | None,
                           fence: Fence | None = None) -> bool:
        """sending -> failed: Allegro rejected the reply; it stays visible with Allegro's reason and is not retried."""
        with self._leader_write(fence) as session:
            moved = outbox.mark_with_reason(session, entry_id, OutboxState.FAILED, code, message)
            if moved:
                _record_entry_change(session, entry_id)
            return moved

    def mark_outbox_queued(self, entry_id: int, *, code: str | None = None, message: str | None = None,
                           fence: Fence | None = None) -> bool:
        """sending/uncertain -> queued: the request never left, or a re-read proved the reply did not arrive."""
        with self._leader_write(fence) as session:
            moved = outbox.mark_with_reason(session, entry_id, OutboxState.QUEUED, code, message)
            if moved:
                _record_entry_change(session, entry_id)
            return moved

    def mark_outbox_uncertain(self, entry_id: int, *, code: str | None = None, message: str | None = None,
                              fence: Fence | None = None) -> bool:
        """sending -> uncertain: the request may have arrived; a re-read settles it."""
        with self._leader_write(fence) as session:
            moved = outbox.mark_with_reason(session, entry_id, OutboxState.UNCERTAIN, code, message)
            if moved:
                _record_entry_change(session, entry_id)
            return moved

    def recover_interrupted_sends(self, account_id: int | None = None, *, fence: Fence | None = None) -> int:
        """Rows left in `sending` by a crash (or by a leader that died): their outcome is unknown, so they become
        uncertain."""
        with self._leader_write(fence) as session:
            return outbox.recover_interrupted(session, account_id)

    @staticmethod
    def sent_message_as_conversation_message(sent: SentMessage, author_login: str | None,
                                             attachments: Sequence[AttachmentInfo] = ()) -> ConversationMessage | None:
        """The message a successful send created, with the files it carried, to show it before the next sync
        fetches it."""
        return outbox.sent_message_as_conversation_message(sent, author_login, attachments)

    # -- claim decisions -----------------------------------------------------------------------------------------

    def add_claim_decision(self, account_id: int, issue_id: str, decision: ClaimDecision) -> int:
        """Commit a checked decision to the queue, before any network call; DecisionRefused (DECISION_EXISTS)
        when the claim already has one queued, being sent, uncertain or sent."""
        with self._write() as session:
            return claim_decisions.add_decision(session, account_id, issue_id, decision)

    def claim_decision(self, decision_id: int) -> ClaimDecisionItem | None:
        with self._read() as session:
            return claim_decisions.decision(session, decision_id)

    def claim_decisions_for_issue(self, issue_id: str) -> list[ClaimDecisionItem]:
        with self._read() as session:
            return claim_decisions.for_issue(session, issue_id)

    def due_claim_decisions(self, account_id: int) -> list[ClaimDecisionItem]:
        with self._read() as session:
            return claim_decisions.in_states(session, account_id, [OutboxState.QUEUED])

    def uncertain_claim_decisions(self, account_id: int) -> list[ClaimDecisionItem]:
        with self._read() as session:
            return claim_decisions.in_states(session, account_id, [OutboxState.UNCERTAIN])

    def mark_claim_decision_sending(self, decision_id: int, started_at: datetime | None = None, *,
                                    fence: Fence | None = None) -> bool:
        """queued -> sending, counting the attempt; False when it was not queued any more."""
        with self._leader_write(fence) as session:
            return claim_decisions.mark_sending(session, decision_id, started_at)

    def mark_claim_decision_sent(self, decision_id: int, *, found_status: str | None = None,
                                 fence: Fence | None = None) -> bool:
        """sending/uncertain -> sent: Allegro took it, or a re-read found the claim decided as asked."""
        with self._leader_write(fence) as session:
            return claim_decisions.mark_sent(session, decision_id, found_status)

    def mark_claim_decision_failed(self, decision_id: int, *, code: str | None, message: str | None,
                                   found_status: str | None = None, fence: Fence | None = None) -> bool:
        """sending/uncertain -> failed: Allegro refused it, or a re-read found the claim decided otherwise."""
        with self._leader_write(fence) as session:
            return claim_decisions.mark_with_reason(session, decision_id, OutboxState.FAILED, code, message,
                                                    found_status)

    def mark_claim_decision_queued(self, decision_id: int, *, code: str | None = None,
                                   message: str | None = None, fence: Fence | None = None) -> bool:
        """sending/uncertain -> queued: it never left, or a re-read found the claim still waiting for it."""
        with self._leader_write(fence) as session:
            return claim_decisions.mark_with_reason(session, decision_id, OutboxState.QUEUED, code, message)

    def mark_claim_decision_uncertain(self, decision_id: int, *, code: str | None = None,
                                      message: str | None = None, fence: Fence | None = None) -> bool:
        """sending -> uncertain: it may have arrived; re-reading the claim settles it."""
        with self._leader_write(fence) as session:
            return claim_decisions.mark_with_reason(session, decision_id, OutboxState.UNCERTAIN, code, message)

    def recover_interrupted_claim_decisions(self, account_id: int | None = None, *,
                                            fence: Fence | None = None) -> int:
        """Decisions left in `sending` by a crash (or by a leader that died) become uncertain: their outcome is
        unknown."""
        with self._leader_write(fence) as session:
            return claim_decisions.recover_interrupted(session, account_id)

    # -- orders --------------------------------------------------------------------------------------------------

    def save_order(self, account_id: int, order: Order, *, fence: Fence | None = None) -> None:
        """Cache an order with its tracking numbers."""
        with self._leader_write(fence) as session:
            orders.save_order(session, account_id, order)

    def load_order(self, order_id: str) -> Order | None:
        with self._read() as session:
            return orders.load_order(session, order_id)

    # -- order links ---------------------------------------------------------------------------------------------

    def orders_to_fetch(self, account_id: int, limit: int | None = None,
                        conversation_ids: Collection[str] | None = None) -> list[str]:
        """Orders the account's conversations name or were linked to by hand, not cached and not refused by
        Allegro; each once, the most recently active conversations' first. Of the conversations given (by key;
        at most a few hundred), or of all."""
        with self._read() as session:
            return order_links.orders_to_fetch(session, account_id, limit, conversation_ids)

    def mark_order_unavailable(self, account_id: int, order_id: str, status_code: int, *,
                               fence: Fence | None = None) -> None:
        """Allegro answered 404 or 403 for the order: it is not asked for again."""
        with self._leader_write(fence) as session:
            order_links.mark_unavailable(session, account_id, order_id, status_code)

    def order_unavailable_status(self, order_id: str) -> int | None:
        """404 or 403 when Allegro refused the order before, else None."""
        with self._read() as session:
            return order_links.unavailable_status(session, order_id)

    def choose_order(self, conversation_id: str, order_id: str) -> None:
        """The order a user picked for a conversation that names none; it replaces an earlier pick."""
        with self._write() as session:
            order_links.choose_order(session, conversation_id, order_id)

    def forget_order_choice(self, conversation_id: str) -> None:
        with self._write() as session:
            order_links.forget_choice(session, conversation_id)

    def chosen_order(self, conversation_id: str) -> str | None:
        with self._read() as session:
            return order_links.chosen_order(session, conversation_id)

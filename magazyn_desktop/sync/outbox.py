"""Sending replies: stored first, never sent twice; the client's rate limiter keeps them a second apart.

A reply is committed to the outbox table before any network call, so nothing typed is lost to a crash or a dead
network. Each send moves its row queued -> sending -> sent | failed | uncertain:

- sent: Allegro answered with the new message;
- failed: Allegro rejected the request (closed conversation, validation...): kept with Allegro's own reason;
- queued again: the request never left (connection refused, 429 before processing, signed out);
- uncertain: the request may have arrived (timeout or reset after writing, a 5xx). It is resolved by re-reading the
  conversation and looking for a seller message with the same text; only a successful re-read that does not find it
  puts the reply back in the queue. A buyer must never receive the same message twice. The PC clock is not trusted
  for this: when a row is marked sending the store records the conversation's newest message rowid, and a message
  the cache already held then cannot be the send's arrival.

Within one conversation replies go out in the order they were written: a reply waits while an older one of the same
conversation is queued or uncertain.

Attachments are copied into the data folder when the reply is queued. At send time each one not yet on Allegro is
uploaded and its id committed before the message is sent, so a retried or uncertain send never uploads a file twice.
An upload that fails for want of a connection leaves the reply queued; one Allegro rejects (413, 415, 422) fails it.

What is stored about a failure is its kind's code (domain/failures.py) and Allegro's own userMessage, if it gave one:
never a sentence of ours, so the window can say it in the user's language. The details go to the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

from magazyn_desktop.allegro.detect import guess_kind
from magazyn_desktop.allegro.errors import (
    AllegroError,
    AuthError,
    NetworkError,
    OutcomeUnknownError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from magazyn_desktop.allegro.models import Conversation, MessageList
from magazyn_desktop.domain.failures import Failure, FailureKind
from magazyn_desktop.domain.issue_messages import IssueMessageType, message_types_for
from magazyn_desktop.domain.limits import text_limit
from magazyn_desktop.domain.records import AttachmentInfo, ConversationSummary, SentMessage
from magazyn_desktop.domain.text import same_text
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, Role
from magazyn_desktop.failures import failure_of
from magazyn_desktop.store.leadership import Fence, LeadershipLost
from magazyn_desktop.store.records import OutboxAttachment, OutboxItem
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.send_check import SeenMark
from magazyn_desktop.sync.fetched import contradiction
from magazyn_desktop.store.outbox_files import staged_path
from magazyn_desktop.sync.outgoing import discard_staged, stage_attachment
from magazyn_desktop.sync.leading import CurrentFence, LeadCheck, always_leads, round_lead

log = logging.getLogger(__name__)

# Only for entries marked sending before schema revision 0005 (no messages_rowid_before): Allegro's createdAt and
# our clock differ a little; a message up to this much "before" the send still matches.
CLOCK_SKEW = timedelta(minutes=2)


class OutboxClient(Protocol):
    """The part of AllegroClient that the outbox uses."""

    def send_message(self, conversation_id: str, kind: Kind, text: str, attachment_ids: Sequence[str] = (),
                     message_type: IssueMessageType = IssueMessageType.REGULAR) -> SentMessage: ...

    def upload_attachment(self, kind: Kind, file_name: str, data: bytes, mime_type: str) -> str: ...

    def open_conversation(self, conversation_id: str) -> Conversation: ...

    def conversation_messages(self, summary: ConversationSummary) -> MessageList: ...


@dataclass(frozen=True)
class OutboxResult:
    entry_id: int
    conversation_id: str
    state: OutboxState
    remote_message_id: str | None = None
    error_code: str | None = None  # a FailureKind value
    error_message: str | None = None  # Allegro's own userMessage


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Outbox:
    def __init__(
        self,
        *,
        store: Store,
        client: OutboxClient,
        account_id: int,
        wall_clock: Callable[[], datetime] = _utc_now,
        author_login: str | None = None,
        author: str | None = None,
        outgoing_folder: Path | None = None,
        leads: LeadCheck = always_leads,
        person: Callable[[], str | None] = lambda: None,
        fence: CurrentFence | None = None,
    ) -> None:
        self._store = store
        self._person = person  # who queues replies at this bench, asked at each reply (the settings may change)
        self._leads = leads  # team mode: only the bench leading the account sends
        self._fence = fence  # team mode: the lease each of the sender's moves proves it still holds
        self._outgoing = outgoing_folder  # where attached files are copied (the data folder's attachments/outgoing)
        self._client = client
        self._account_id = account_id
        self._wall_clock = wall_clock
        self._author_login = author_login  # the seller's Allegro login, as the sent message shows it
        self._author = author  # the person at this bench, stored with each reply it queues
        self._process_lock = threading.Lock()  # one round at a time: rows in `sending` are always ours
        self._recovered = False
        # The fence the last recovery ran under: a new lease (team mode) means a leader before it may have died
        # with rows in `sending`, so the first round under each new fence settles them again.
        self._recovered_under: Fence | None = None
        self._round_fence: Fence | None = None  # what each of this round's moves shows; set under the round's lock

    @property
    def account_id(self) -> int:
        return self._account_id

    # -- queueing ------------------------------------------------------------------------------------------------

    def kind_of(self, conversation_id: str) -> Kind:
        stored = self._store.conversation_kind(conversation_id)
        return stored[0] if stored else guess_kind(conversation_id)

    def enqueue(self, conversation_id: str, text: str, attachments: Sequence[Path] = (), *,
                clear_draft: bool = False, message_type: IssueMessageType = IssueMessageType.REGULAR,
                seen: SeenMark | None = None) -> int:
        """Store a reply (and copies of its files) for sending; with `clear_draft`, the conversation's draft (this
        reply) goes in the same transaction. `message_type`: an issue message's type, where its kind allows it.

        Raises ValueError when it is empty, longer than Allegro accepts or of a type its conversation does not
        take, and AttachmentRejected (a ValueError) for a file of the wrong type or size; AssigneeOnly when the
        account lets only the assignee answer and another person took the conversation. With `seen` (team mode),
        ArrivedSince when something arrived in the conversation after it. Nothing is queued then.
        """
        if not text.strip() and not attachments:
            raise ValueError("the reply is empty")
        if message_type is not IssueMessageType.REGULAR:
            stored = self._store.conversation_kind(conversation_id)
            if stored is None or message_type not in message_types_for(stored[1].value):
                raise ValueError(f"a {message_type.value} message does not go in this conversation")
        kind = self.kind_of(conversation_id)
        limit = text_limit(kind)
        if len(text) > limit:
            what = "a message thread" if kind is Kind.THREAD else "a discussion or claim"
            raise ValueError(
                f"the reply has {len(text)} characters; Allegro accepts at most {limit} in {what}"
            )
        if attachments and self._outgoing is None:
            raise ValueError("this outbox has no folder for attachments")
        staged: list[OutboxAttachment] = []
        try:
            for source in attachments:
                assert self._outgoing is not None
                staged.append(stage_attachment(Path(source), self._outgoing))
            entry_id = self._store.add_outbox_entry(self._account_id, conversation_id, text, staged,
                                                    clear_draft=clear_draft, message_type=message_type.value,
                                                    seen=seen, person=self._person(), author=self._author)
        except BaseException:
            discard_staged(staged, self._outgoing)  # nothing queued: no copies left behind
            raise
        log.info("outbox: reply %d queued for %s with %d attachment(s)", entry_id, conversation_id, len(staged))
        return entry_id

    # -- start-up ------------------------------------------------------------------------------------------------

    def recover_interrupted(self) -> int:
        """Rows left in `sending` by a crash become uncertain; the next round settles them by re-reading."""
        with self._process_lock:
            return self._recover_locked(self._fence() if self._fence is not None else None)

    def _recover_locked(self, fence: Fence | None) -> int:
        count = self._store.recover_interrupted_sends(self._account_id, fence=fence)
        self._recovered, self._recovered_under = True, fence
        if count:
            log.warning("outbox: %d reply(ies) were being sent when the program (or the bench that led before) "
                        "stopped; checking them", count)
        return count

    # -- sending -------------------------------------------------------------------------------------------------

    def process(self, cancelled: Callable[[], bool] = lambda: False) -> list[OutboxResult]:
        """Settle uncertain replies, then send the due ones oldest first; returns what happened to each.

        AuthError is raised after the round (the user must sign in again); the reply stays queued. While another
        bench leads the account (team mode) nothing is sent: that bench sends the shared queue. A bench whose
        lease is found lost at one of its writes (each checks the round's fence) ends the round there.
        """
        leading, fence = round_lead(self._leads, self._fence)
        if not leading:
            return []
        with self._process_lock:
            results: list[OutboxResult] = []
            try:
                self._round(fence, results, cancelled)
            except LeadershipLost as lost:
                log.warning("outbox: this bench no longer leads account %d; it sends nothing more (%s)",
                            self._account_id, lost)
            return results

    def _round(self, fence: Fence | None, results: list[OutboxResult], cancelled: Callable[[], bool]) -> None:
        self._round_fence = fence
        if not self._recovered or fence != self._recovered_under:
            self._recover_locked(fence)
        auth_error: AuthError | None = None
        if self._store.uncertain_outbox_entries(self._account_id) and not cancelled():
            results.extend(self._resolve_uncertain_locked())
        # Conversations whose reply did not go out this round: their later replies wait for the next one.
        blocked: set[str] = set()
        while not cancelled() and self._leads():  # a bench that lost the lead mid-round sends no more
            entry = self._store.claim_next_outbox_entry(self._account_id, self._wall_clock(),
                                                        excluding_conversations=blocked, fence=fence)
            if entry is None:
                break
            result, stop = self._send_claimed(entry)
            results.append(result)
            if result.state is not OutboxState.SENT and result.state is not OutboxState.FAILED:
                blocked.add(entry.conversation_id)
            if isinstance(stop, AuthError):
                auth_error = stop
            if stop is not None:
                break
        if auth_error is not None:
            raise auth_error

    def _send_claimed(self, entry: OutboxItem) -> tuple[OutboxResult, BaseException | None]:
        """Send one entry already marked sending; the second value, when set, ends this round (offline, rate
        limited, signed out)."""
        try:
            kind = self.kind_of(entry.conversation_id)
        except Exception as exc:  # the store failed between the claim and the send: settled by a re-read, as ever
            return self._uncertain(entry, exc), None
        if entry.attachments:
            uploaded, outcome = self._upload_attachments(entry, kind)
            if outcome is not None:
                return outcome
        else:
            uploaded = []
        try:
            try:
                sent = self._client.send_message(entry.conversation_id, kind, entry.text, uploaded,
                                                 _message_type(entry))
            finally:
                self._note_send()
        except OutcomeUnknownError as exc:
            return self._uncertain(entry, exc), None
        except (NetworkError, RateLimitedError, AuthError) as exc:
            # The request never reached Allegro, or was refused before processing: safe to send again later.
            failure = failure_of(exc)
            self._store.mark_outbox_queued(entry.id, code=failure.kind.value, message=failure.allegro_message,
                                           fence=self._round_fence)
            log.info("outbox: reply %d not sent yet (%s); it stays queued", entry.id, exc)
            return self._result(entry, OutboxState.QUEUED, failure), exc
        except (ServerError, ProtocolError) as exc:
            # A 5xx or an unreadable answer to a send: it may have been processed.
            return self._uncertain(entry, exc), None
        except AllegroError as exc:
            # Allegro looked at the request and said no (409 resolved issue, 422 closed thread, validation...).
            failure = failure_of(exc)
            self._store.mark_outbox_failed(entry.id, code=failure.kind.value, message=failure.allegro_message,
                                           fence=self._round_fence)
            log.warning("outbox: Allegro rejected reply %d: %s", entry.id, exc)
            return self._result(entry, OutboxState.FAILED, failure), None
        except Exception as exc:  # a bug after the row was marked: treat the outcome as unknown, never resend blindly
            log.warning("outbox: unexpected failure sending reply %d", entry.id, exc_info=True)
            return self._uncertain(entry, exc), None
        # The files go into the stored message too: the card shows them before the next sync reads it back.
        sent_files = [AttachmentInfo(file_name=attachment.file_name, id=remote_id, mime_type=attachment.mime_type)
                      for attachment, remote_id in zip(entry.attachments, uploaded)]
        message = Store.sent_message_as_conversation_message(sent, self._author_login, sent_files)
        self._store.mark_outbox_sent(entry.id, remote_message_id=sent.id, sent_at=sent.created_at, message=message,
                                     fence=self._round_fence)
        discard_staged(entry.attachments, self._outgoing)
        log.info("outbox: reply %d sent", entry.id)
        return OutboxResult(entry.id, entry.conversation_id, OutboxState.SENT, sent.id), None

    def _note_send(self) -> None:
        """When the account last sent, for the next process's pacing (Allegro allows one send a second)."""
        try:
            self._store.set_sync_schedule(self._account_id, last_send_at=self._wall_clock())
        except Exception:  # pacing across restarts is a nicety; the send's own state is what matters
            log.warning("outbox: could not record the send time", exc_info=True)

    def _upload_attachments(
        self, entry: OutboxItem, kind: Kind
    ) -> tuple[list[str], tuple[OutboxResult, BaseException | None] | None]:
        """Upload the entry's files not yet on Allegro, committing each id at once; the entry is `sending`.

        Returns the ids in order, or the outcome that ends this entry's attempt (queued again, or failed).
        """
        ids: list[str] = []
        for index, attachment in enumerate(entry.attachments):
            if attachment.remote_id:
                ids.append(attachment.remote_id)  # uploaded by an earlier attempt
                continue
            path = staged_path(attachment, self._outgoing) if self._outgoing is not None else None
            try:
                if path is None:
                    raise FileNotFoundError(attachment.file_name)
                data = path.read_bytes()
            except OSError:
                missing = Failure(FailureKind.ATTACHMENT_MISSING)
                self._store.mark_outbox_failed(entry.id, code=missing.kind.value, message=None, fence=self._round_fence)
                log.warning("outbox: reply %d: an attached file is missing from the data folder", entry.id)
                return ids, (self._result(entry, OutboxState.FAILED, missing), None)
            try:
                remote_id = self._client.upload_attachment(kind, attachment.file_name, data, attachment.mime_type)
            except (NetworkError, RateLimitedError, AuthError, ServerError, ProtocolError, OutcomeUnknownError) as exc:
                # Nothing was sent to the buyer; an orphaned upload on Allegro is harmless, so just try later.
                failure = failure_of(exc)
                self._store.mark_outbox_queued(entry.id, code=failure.kind.value, message=failure.allegro_message,
                                               fence=self._round_fence)
                log.info("outbox: uploading an attachment of reply %d failed (%s); it stays queued", entry.id, exc)
                stop = exc if isinstance(exc, (NetworkError, RateLimitedError, AuthError)) else None
                return ids, (self._result(entry, OutboxState.QUEUED, failure), stop)
            except Exception as exc:
                # Allegro looked at the file and said no (413 too big, 415 type, 422): resending will not help.
                # An unexpected error fails the reply too, rather than retrying it forever.
                failure = failure_of(exc)
                self._store.mark_outbox_failed(entry.id, code=failure.kind.value, message=failure.allegro_message,
                                               fence=self._round_fence)
                log.warning("outbox: an attachment of reply %d was refused: %s", entry.id, exc,
                            exc_info=failure.kind is FailureKind.BUG)
                return ids, (self._result(entry, OutboxState.FAILED, failure), None)
            # Committed before the send: a retry after a crash or an uncertain send reuses it.
            self._store.set_outbox_attachment_remote_id(entry.id, index, remote_id, fence=self._round_fence)
            ids.append(remote_id)
        return ids, None

    def _uncertain(self, entry: OutboxItem, error: BaseException) -> OutboxResult:
        failure = failure_of(error)
        self._store.mark_outbox_uncertain(entry.id, code=failure.kind.value, message=failure.allegro_message,
                                          fence=self._round_fence)
        log.warning("outbox: the outcome of reply %d is unknown (%s); it will be checked before any resend",
                    entry.id, type(error).__name__)
        return self._result(entry, OutboxState.UNCERTAIN, failure)

    @staticmethod
    def _result(entry: OutboxItem, state: OutboxState, failure: Failure) -> OutboxResult:
        return OutboxResult(entry.id, entry.conversation_id, state, None, failure.kind.value, failure.allegro_message)

    # -- settling uncertain sends --------------------------------------------------------------------------------

    def _resolve_uncertain_locked(self) -> list[OutboxResult]:
        results: list[OutboxResult] = []
        by_conversation: dict[str, list[OutboxItem]] = {}
        for entry in self._store.uncertain_outbox_entries(self._account_id):
            by_conversation.setdefault(entry.conversation_id, []).append(entry)
        for conversation_id, entries in by_conversation.items():
            try:
                conversation = self._reread(conversation_id)
            except Exception as exc:  # without a successful re-read nothing is decided: the entries stay uncertain
                log.warning("outbox: could not re-read %s to check %d reply(ies) (%s)",
                            conversation_id, len(entries), type(exc).__name__)
                failure = failure_of(exc)
                results.extend(self._result(e, OutboxState.UNCERTAIN, failure) for e in entries)
                continue
            results.extend(self._match(conversation, entries))
        return results

    def _reread(self, conversation_id: str) -> Conversation:
        summary = self._store.conversation_summary(conversation_id)
        if summary is not None:
            listed = self._client.conversation_messages(summary)
            trusted = listed.complete and contradiction(summary, listed.messages) is None
            return Conversation(summary=summary, messages=listed.messages, complete=trusted)
        return self._client.open_conversation(conversation_id)

    def _holds_what_was_stored(self, conversation: Conversation, entry: OutboxItem) -> bool:
        """Whether a re-read reaches at least as far as the cache did when the reply was sent: an answer cut short
        (or emptied) cannot prove the reply absent, and requeueing on it would send the reply twice."""
        if entry.messages_rowid_before is None:
            return True  # marked sending before revision 0005: nothing to compare with
        newest = self._store.newest_message_id_up_to(conversation.summary.id, entry.messages_rowid_before)
        return newest is None or any(m.id == newest for m in conversation.messages)

    def _match(self, conversation: Conversation, entries: list[OutboxItem]) -> list[OutboxResult]:
        results: list[OutboxResult] = []
        claimed = self._store.claimed_remote_message_ids(conversation.summary.id)
        seller_messages = [m for m in conversation.messages if m.role is Role.SELLER]
        for entry in entries:  # oldest first, so equal texts match messages in order
            candidates = [m for m in seller_messages if m.id not in claimed and same_text(m.text, entry.text)]
            if entry.messages_rowid_before is not None:
                # Not the PC clock: a message already in the cache before the send cannot be its arrival. Messages
                # stored since (by sync, even this re-read's own) have larger rowids and still count.
                known = self._store.message_ids_stored_up_to([m.id for m in candidates], entry.messages_rowid_before)
                found = next((m for m in candidates if m.id not in known), None)
            else:
                # Marked sending before the upgrade: only the old time bound is available.
                since = (entry.sending_started_at or entry.created_at) - CLOCK_SKEW
                found = next((m for m in candidates if m.created_at >= since), None)
            if found is not None:
                claimed.add(found.id)
                self._store.mark_outbox_sent(entry.id, remote_message_id=found.id, sent_at=found.created_at,
                                             message=found, fence=self._round_fence)
                discard_staged(entry.attachments, self._outgoing)
                log.info("outbox: reply %d had arrived; marked as sent", entry.id)
                results.append(OutboxResult(entry.id, entry.conversation_id, OutboxState.SENT, found.id))
            elif not conversation.complete or not self._holds_what_was_stored(conversation, entry):
                # A message of the re-read could not be used: it may be this reply. Decide on a whole answer only.
                log.info("outbox: reply %d stays uncertain: the re-read of %s was incomplete",
                         entry.id, conversation.summary.id)
                results.append(self._result(entry, OutboxState.UNCERTAIN, Failure(FailureKind.OUTCOME_UNKNOWN)))
            else:
                not_delivered = Failure(FailureKind.NOT_DELIVERED)
                self._store.mark_outbox_queued(entry.id, code=not_delivered.kind.value, message=None,
                                               fence=self._round_fence)
                log.info("outbox: reply %d did not arrive; queued again", entry.id)
                results.append(self._result(entry, OutboxState.QUEUED, not_delivered))
        return results


def _message_type(entry: OutboxItem) -> IssueMessageType:
    try:
        return IssueMessageType(entry.message_type)
    except ValueError:  # unknown to this version: sent as a plain message would say something else
        raise ValidationError(f"unknown message type {entry.message_type!r}", code="MESSAGE_TYPE") from None

"""Storing a conversation as Allegro answered it, by the same rules wherever it was fetched (sync or open-by-id).

An answer is not trusted as all of a conversation when it contradicts its own summary (no messages for a thread that
has a last message, fewer chat entries than `messagesCount`) or when the client says it is incomplete: what was read
is stored, and the conversation stays due for another fetch. Times outside the plausible window are replaced before
storing, so they never order the inbox (see plausibility.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind
from magazyn_desktop.store.records import ConversationWrite, StoredConversation
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.plausibility import for_storage


@dataclass(frozen=True)
class FetchedStored:
    stored: StoredConversation
    complete: bool  # False: the conversation is fetched again by the next sync
    warnings: tuple[str, ...]  # sentences for a report, without message content


@dataclass(frozen=True)
class PreparedFetch:
    """An answer made ready for the store: plausible times only, and whether it is trusted as all of it."""

    write: ConversationWrite
    warnings: tuple[str, ...]  # sentences for a report, without message content

    @property
    def complete(self) -> bool:
        """False: the conversation is fetched again by the next sync."""
        return self.write.complete


def contradiction(summary: ConversationSummary, messages: Sequence[ConversationMessage]) -> str | None:
    """Why an answer cannot be all of the conversation its summary describes, or None."""
    if summary.kind is Kind.THREAD:
        if not messages and summary.last_activity_at is not None:
            return "Allegro answered no messages for a thread that has a last message"
        return None
    if summary.messages_count is not None and len(messages) < summary.messages_count:
        return f"Allegro answered {len(messages)} chat entries for an issue that has {summary.messages_count}"
    return None


def with_named_order(summary: ConversationSummary, messages: Sequence[ConversationMessage]) -> ConversationSummary:
    """The summary with the order its newest message names (relatesTo.order), when the summary names none: a
    thread's summary names its order only in beta.v1 and only for post-purchase threads."""
    if summary.order_id is not None:
        return summary
    named = next((m.order_id for m in reversed(messages) if m.order_id), None)
    return replace(summary, order_id=named) if named else summary


def prepare_fetched(
    summary: ConversationSummary,
    messages: Sequence[ConversationMessage],
    *,
    complete: bool,
    reference: datetime,
) -> PreparedFetch:
    """`complete` is what the client said of its answer, `reference` the time that judges plausibility (Allegro's
    clock when known). Pure: a fetch worker prepares, the one writer stores."""
    warnings: list[str] = []
    contradicted = contradiction(summary, messages)
    if contradicted:
        warnings.append(f"{contradicted}; it is fetched again at the next sync")
    stored_summary, stored_messages = for_storage(with_named_order(summary, messages), messages, reference)
    if stored_summary.last_activity_at != summary.last_activity_at or stored_messages != tuple(messages):
        warnings.append("Allegro gave a time outside the plausible range; it does not order the inbox")
    trusted = complete and contradicted is None
    return PreparedFetch(ConversationWrite(stored_summary, stored_messages, trusted), tuple(warnings))


def store_fetched(
    store: Store,
    account_id: int,
    summary: ConversationSummary,
    messages: Sequence[ConversationMessage],
    *,
    complete: bool,
    reference: datetime,
) -> FetchedStored:
    """Store one fetched conversation (opened by id) as prepare_fetched makes it ready."""
    prepared = prepare_fetched(summary, messages, complete=complete, reference=reference)
    write = prepared.write
    stored = store.store_conversation(account_id, write.summary, write.messages or (), complete=write.complete)
    return FetchedStored(stored, write.complete, prepared.warnings)

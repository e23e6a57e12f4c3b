"""The client's answers as Allegro shapes them: pages with their cursors, message lists with what was skipped,
sign-in tokens. The records inside them (conversations, messages, orders) are the app's own, in domain/records.py.

Everything here is immutable and free of HTTP details; parsing from Allegro's JSON lives in allegro/parsing.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary


@dataclass(frozen=True)
class SkippedRecord:
    """One record of an answer that could not be parsed; the rest of the answer is still used."""

    record: str  # what it was: "thread", "issue", "message", "chat entry"
    record_id: str | None  # its id, where the record has a readable one
    reason: str  # why it was skipped, in a sentence without the record's content
    endpoint: str


@dataclass(frozen=True)
class ThreadPage:
    threads: tuple[ConversationSummary, ...]
    next_page_id: str | None = None  # beta.v1 cursor; None on the last page
    next_offset: int | None = None  # public.v1 offset; None on the last page
    skipped: tuple[SkippedRecord, ...] = ()


@dataclass(frozen=True)
class IssuePage:
    issues: tuple[ConversationSummary, ...]
    skipped: tuple[SkippedRecord, ...] = ()

    @property
    def record_count(self) -> int:
        """Records on the page, parsed or not: a page shorter than the limit is the last one."""
        return len(self.issues) + len(self.skipped)


@dataclass(frozen=True)
class MessagePage:
    """One page of a thread's messages or an issue's chat; the client pages through them into a MessageList."""

    messages: tuple[ConversationMessage, ...]
    skipped: tuple[SkippedRecord, ...] = ()
    next_page_id: str | None = None  # beta.v1 thread messages: the cursor; None on the last page

    @property
    def record_count(self) -> int:
        """Records on the page, parsed or not: a page shorter than the limit is the last one."""
        return len(self.messages) + len(self.skipped)


@dataclass(frozen=True)
class MessageList:
    """All the messages of one conversation as read now, oldest first, with what could not be used.

    `complete` is False when the list cannot be trusted to hold every message (a skipped record, paging that
    stopped early): whoever stores it must fetch the conversation again later.
    """

    messages: tuple[ConversationMessage, ...]
    skipped: tuple[SkippedRecord, ...] = ()
    warnings: tuple[str, ...] = ()  # sentences for the sync report, without message content

    @property
    def complete(self) -> bool:
        return not self.skipped and not self.warnings


@dataclass(frozen=True)
class Conversation:
    """A conversation opened by id through auto-detection, with all its messages."""

    summary: ConversationSummary
    messages: tuple[ConversationMessage, ...]
    complete: bool = True  # as MessageList.complete: False when a message may be missing


@dataclass(frozen=True)
class DeviceAuthorization:
    """The first step of the device flow: what to show the user."""

    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str | None
    expires_in: int
    interval: int


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str | None
    expires_at: float  # seconds on the injected clock
    scope: str | None = None

    def __repr__(self) -> str:  # never show a token in a log or traceback
        return f"TokenPair(expires_at={self.expires_at!r}, scope={self.scope!r})"


@dataclass(frozen=True)
class Me:
    id: str
    login: str

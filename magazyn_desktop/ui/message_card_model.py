"""The cards of one conversation as a list model: its messages and the team's internal notes oldest first, then the
replies still in the outbox.

The model holds the newest cards only; earlier ones join at the top when asked for (`hold_earlier`), so what the
view measures stays small however long the conversation is. Every text a card shows is made display-safe here
(bidi controls as markers, file names sanitised), once, when the card joins.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Union

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from magazyn_desktop.domain.text import folded_text
from magazyn_desktop.domain.vocabulary import PROBLEM_OUTBOX_STATES, OutboxState, Role
from magazyn_desktop.store.inbox_records import AttachmentRow, ConversationDetail, MessageRow, NoteRow, OutboxRow
from magazyn_desktop.ui.attachments import sanitize_file_name, shown_kind
from magazyn_desktop.ui.errors import outbox_failure_text
from magazyn_desktop.ui.labels import format_datetime, outbox_state_label, role_label
from magazyn_desktop.ui.visible_text import visible_controls

CARD_ROLE = Qt.ItemDataRole.UserRole + 1  # the Card a row shows
OUTBOX_STYLE = "OUTBOX"
NOTE_STYLE = "NOTE"  # an internal note: the team's, never sent
_CARD_ROLES = frozenset(role.value for role in Role)  # each has a card style; anything else looks like Allegro

# What a card shows: a message, an internal note, or a reply still in the outbox.
CardSource = Union[MessageRow, NoteRow, OutboxRow]
_NO_TIME = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class CardAttachment:
    attachment: AttachmentRow
    label: str  # the sanitised file name, as its button shows it
    tooltip: str  # plain text
    kind: str | None = None  # 'image' or 'pdf' when its name and declared type say so (shown_kind)


@dataclass(frozen=True)
class Card:
    key: str  # unique within the conversation
    style: str  # the author's role, or OUTBOX_STYLE
    header: str
    text: str
    attachments: tuple[CardAttachment, ...] = ()
    state: str | None = None  # an outbox entry's state, with its failure worded
    problem: bool = False  # a state the user has to act on


def card_sources(detail: ConversationDetail) -> list[CardSource]:
    """The messages and notes oldest first, then the outbox entries not yet shown as the message they became."""
    # A note sits among the messages at its time; a message keeps its place before a note of the same time.
    timeline: list[MessageRow | NoteRow] = list(heapq.merge(detail.messages, detail.notes, key=_time_of))
    sources: list[CardSource] = list(timeline)
    seller_texts = {folded_text(m.text) for m in detail.messages if m.author_role == Role.SELLER}
    for entry in detail.outbox:
        # A sent reply shows up as a message after the next sync; until then its outbox entry stands in.
        # Allegro trims and normalises whitespace, so the texts are compared as the outbox compares them.
        if entry.state == OutboxState.SENT and folded_text(entry.text) in seller_texts:
            continue
        sources.append(entry)
    return sources


def with_saved_attachment(message: MessageRow, attachment_id: int, local_path: str) -> MessageRow:
    """The message with attachment `attachment_id` saved at `local_path`."""
    def saved(attachment: AttachmentRow) -> AttachmentRow:
        return replace(attachment, local_path=local_path) if attachment.id == attachment_id else attachment

    return replace(message, attachments=tuple(saved(attachment) for attachment in message.attachments))


def _time_of(source: object) -> datetime:
    created_at = getattr(source, "created_at", None)
    return created_at if isinstance(created_at, datetime) else _NO_TIME


class MessageCardModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None, *, show_authors: bool = False) -> None:
        super().__init__(parent)
        # Team mode: a reply's card names who on the team wrote it; a single bench's cards are all its own.
        self._show_authors = show_authors
        self._sources: list[CardSource] = []  # every card of the conversation, oldest first
        self._cards: list[Card] = []  # the newest len(_cards) of them, built

    # --- what is held ----------------------------------------------------------------------------------------

    def reset(self, sources: Sequence[CardSource], hold: int) -> None:
        """Show these cards, holding the newest `hold` of them."""
        self.beginResetModel()
        self._sources = list(sources)
        self._cards = [self._card(source) for source in self._sources[max(0, len(self._sources) - hold):]]
        self.endResetModel()

    def hold_earlier(self, count: int) -> int:
        """Add up to `count` cards before the oldest one held; how many were added."""
        unheld = self.unheld_count()
        added = min(count, unheld)
        if added <= 0:
            return 0
        self.beginInsertRows(QModelIndex(), 0, added - 1)
        self._cards[:0] = [self._card(source) for source in self._sources[unheld - added:unheld]]
        self.endInsertRows()
        return added

    def unheld_count(self) -> int:
        return len(self._sources) - len(self._cards)

    def set_local_path(self, attachment_id: int, local_path: str) -> None:
        """An attachment was saved on this computer: its cards open it from there (and an image shows it)."""
        unheld = self.unheld_count()
        for number, source in enumerate(self._sources):
            if not isinstance(source, MessageRow) or all(a.id != attachment_id for a in source.attachments):
                continue
            self._sources[number] = with_saved_attachment(source, attachment_id, local_path)
            if number >= unheld:
                self._cards[number - unheld] = self._card(self._sources[number])
                index = self.index(number - unheld, 0)
                self.dataChanged.emit(index, index)

    def cards(self) -> list[Card]:
        return list(self._cards)

    def card_at(self, row: int) -> Card | None:
        return self._cards[row] if 0 <= row < len(self._cards) else None

    # --- the model -------------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._cards)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # "Editable" opens the card's text read-only, for selecting part of it.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        card = self.card_at(index.row()) if index.isValid() else None
        if card is None:
            return None
        if role == CARD_ROLE:
            return card
        if role == Qt.ItemDataRole.DisplayRole:
            return card.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(card)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: object,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        return False  # cards are read-only: the "editor" only selects

    # --- building a card -------------------------------------------------------------------------------------

    def _card(self, source: CardSource) -> Card:
        if isinstance(source, MessageRow):
            who = role_label(source.author_role)
            if source.author_role == Role.BUYER and source.author_login:
                who = f"{who} ({visible_controls(source.author_login)})"
            elif self._show_authors and source.written_by:
                who = visible_controls(source.written_by)  # "You" would be wrong on every other bench
            return Card(key=f"m:{source.id}",
                        style=source.author_role if source.author_role in _CARD_ROLES else Role.ALLEGRO.value,
                        header=f"{who} · {format_datetime(source.created_at)}", text=visible_controls(source.text),
                        attachments=tuple(self._attachment(attachment) for attachment in source.attachments))
        if isinstance(source, NoteRow):
            header = " · ".join(part for part in (self.tr("Internal note"), visible_controls(source.author),
                                                  format_datetime(source.created_at)) if part)
            return Card(key=f"n:{source.id}", style=NOTE_STYLE, header=header, text=visible_controls(source.text))
        who = visible_controls(source.author) if self._show_authors and source.author else role_label(Role.SELLER)
        return Card(key=f"o:{source.id}", style=OUTBOX_STYLE,
                    header=f"{who} · {format_datetime(source.created_at)}",
                    text=visible_controls(source.text),
                    attachments=tuple(self._attachment(attachment, queued=True) for attachment in source.attachments),
                    state=outbox_state_label(source.state, outbox_failure_text(source.error_code,
                                                                               source.error_message)),
                    problem=source.state in PROBLEM_OUTBOX_STATES)

    def _attachment(self, attachment: AttachmentRow, *, queued: bool = False) -> CardAttachment:
        name = sanitize_file_name(attachment.file_name)
        # A queued reply's file opens the copy that goes out with it; a message's is downloaded unless it was before.
        if queued:
            tooltip = self.tr("Open %1, the file attached to this reply")
        else:
            tooltip = self.tr("Open %1") if attachment.local_path else self.tr("Download and open %1")
        return CardAttachment(attachment, name, tooltip.replace("%1", name),
                              shown_kind(attachment.file_name, attachment.mime_type))

    def _spoken(self, card: Card) -> str:
        parts = [card.header, card.text]
        if card.attachments:
            parts.append(self.tr("Attachments: %1").replace("%1", ", ".join(a.label for a in card.attachments)))
        if card.state:
            parts.append(card.state)
        return "\n".join(parts)

"""A sent reply is shown once: as Allegro's message when it has arrived, else as its outbox card."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from magazyn_desktop.domain.vocabulary import Kind, OutboxState, Role, SubKind
from magazyn_desktop.store.inbox_records import ConversationDetail, ConversationRow, MessageRow, OutboxRow
from magazyn_desktop.ui.conversation_view import ConversationView

AT = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)


def _detail(message_text: str, reply_text: str) -> ConversationDetail:
    row = ConversationRow(id="T" * 43, kind=Kind.THREAD.value, sub_kind=SubKind.COMMON.value, status="OPEN",
                          can_reply=True, read=True, needs_reply=False, closed=False, last_activity_at=AT,
                          interlocutor_login="kupujacy", order_id=None, subject=None, snippet=None,
                          decision_due_at=None)
    messages = (
        MessageRow(id="m1", author_role=Role.BUYER.value, author_login="kupujacy", text="Kiedy wysyłka?",
                   created_at=AT),
        MessageRow(id="m2", author_role=Role.SELLER.value, author_login="sklep", text=message_text, created_at=AT),
    )
    sent = OutboxRow(id=1, text=reply_text, state=OutboxState.SENT.value, attempts=1, created_at=AT, sent_at=AT,
                     error_code=None, error_message=None)
    return ConversationDetail(conversation=row, messages=messages, outbox=(sent,), draft="")


@pytest.mark.parametrize(("arrived", "typed"), [
    ("Paczka wyszła dziś.", "Paczka wyszła dziś."),
    ("Paczka wyszła dziś.", "  Paczka wyszła dziś.\n"),  # trimmed
    ("Dzień dobry, paczka wyszła dziś.", "Dzień dobry,\r\n\r\npaczka  wyszła\tdziś."),  # inner whitespace normalised
])
def test_a_sent_reply_whose_whitespace_allegro_changed_is_shown_once(qtbot: Any, arrived: str, typed: str) -> None:
    view = ConversationView()
    qtbot.addWidget(view)
    view.show_detail(_detail(arrived, typed))
    assert view.message_texts() == ["Kiedy wysyłka?", arrived]
    assert view.outbox_states() == []  # no second card for the same reply


def test_a_sent_reply_with_other_words_keeps_its_card(qtbot: Any) -> None:
    view = ConversationView()
    qtbot.addWidget(view)
    view.show_detail(_detail("Paczka wyszła wczoraj.", "Paczka wyszła dziś."))
    assert len(view.outbox_states()) == 1

"""A long conversation opens with its newest messages on screen; earlier ones come as the user scrolls up."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from PySide6.QtWidgets import QFrame, QPushButton

from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.store.inbox_records import ConversationDetail, ConversationRow, MessageRow
from magazyn_desktop.ui.conversation_view import ConversationView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen, shown views

AT = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
LONG = 2000


def _detail(count: int, conversation_id: str = "L" * 43) -> ConversationDetail:
    row = ConversationRow(id=conversation_id, kind=Kind.THREAD.value, sub_kind=SubKind.COMMON.value, status="OPEN",
                          can_reply=True, read=True, needs_reply=True, closed=False, last_activity_at=AT,
                          interlocutor_login="kupujacy", order_id=None, subject=None, snippet=None,
                          decision_due_at=None)
    messages = tuple(
        MessageRow(id=f"m{n}", author_role=(Role.BUYER if n % 2 else Role.SELLER).value, author_login="kupujacy",
                   text=f"Wiadomość numer {n}: czy paczka z zamówienia już wyszła?",
                   created_at=AT - timedelta(minutes=count - n))
        for n in range(count))
    return ConversationDetail(conversation=row, messages=messages, outbox=(), draft="")


def _cards(view: ConversationView) -> list[QFrame]:
    return [card for card in view.findChildren(QFrame) if card.objectName().startswith("card_")]


def _earlier_button(view: ConversationView) -> QPushButton:
    button = view.findChild(QPushButton, "earlierMessages")
    assert button is not None
    return button


@pytest.fixture
def long_view(qtbot: Any) -> ConversationView:
    """A view on screen with the 2,000-message conversation just opened."""
    view = ConversationView()
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    view.show_detail(_detail(LONG))
    return view


def test_a_long_conversation_builds_only_the_newest_cards_and_shows_the_newest_message(
    qtbot: Any, long_view: ConversationView
) -> None:
    view = long_view
    cards = _cards(view)
    assert 0 < len(cards) <= 100  # not 2,000 widgets on the GUI thread
    assert view.message_texts()[-1].startswith(f"Wiadomość numer {LONG - 1}:")
    button = _earlier_button(view)
    assert button.isVisible() and str(LONG - len(cards)) in button.text()
    bar = view._scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=5000)


def test_scrolling_to_the_top_brings_earlier_messages_and_keeps_the_place(
    qtbot: Any, long_view: ConversationView
) -> None:
    view = long_view
    bar = view._scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=5000)
    shown_before = len(_cards(view))
    oldest_shown = _cards(view)[0]
    bar.setValue(bar.minimum())  # the user scrolls to the top
    qtbot.waitUntil(lambda: len(_cards(view)) > shown_before, timeout=5000)
    viewport = view._scroll.viewport()
    # The card that was at the top is still where the user was looking, not pushed out of sight.
    qtbot.waitUntil(lambda: bar.value() > bar.minimum() and viewport.rect().intersects(
        oldest_shown.geometry().translated(view._messages.pos())), timeout=5000)


def test_every_message_can_be_reached_and_a_new_conversation_starts_small_again(qtbot: Any) -> None:
    view = ConversationView()
    qtbot.addWidget(view)
    view.show_detail(_detail(LONG))
    for _ in range(LONG):
        button = _earlier_button(view)
        if button.isHidden():
            break
        button.click()
    assert len(view.message_texts()) == LONG
    assert view.message_texts()[0].startswith("Wiadomość numer 0:")
    view.show_detail(_detail(3, "S" * 43))
    assert len(_cards(view)) == 3 and _earlier_button(view).isHidden()

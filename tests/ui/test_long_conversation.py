"""A long conversation opens with its newest messages on screen at a cost that does not grow with its length: one
list paints the cards that are visible and measures only the cards it holds; earlier ones join as the user scrolls
up, keeping the place."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QPushButton, QStyleOptionViewItem, QWidget

from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.store.inbox_records import ConversationDetail, ConversationRow, MessageRow
from magazyn_desktop.ui.conversation_view import FIRST_CARDS, ConversationView
from magazyn_desktop.ui.message_card_delegate import MessageCardDelegate

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


def _earlier_button(view: ConversationView) -> QPushButton:
    button = view.findChild(QPushButton, "earlierMessages")
    assert button is not None
    return button


def _shown_view(qtbot: Any) -> ConversationView:
    view = ConversationView()
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def _at_end(view: ConversationView) -> bool:
    bar = view.message_list().verticalScrollBar()
    return bar.maximum() > 0 and bar.value() == bar.maximum()


@pytest.fixture
def long_view(qtbot: Any) -> ConversationView:
    """A view on screen with the 2,000-message conversation just opened."""
    view = _shown_view(qtbot)
    view.show_detail(_detail(LONG))
    return view


def test_a_long_conversation_builds_no_widget_per_message(qtbot: Any) -> None:
    view = _shown_view(qtbot)
    view.show_detail(_detail(3, "S" * 43))
    short_widgets = len(view.findChildren(QWidget))
    view.show_detail(_detail(LONG))
    assert len(view.findChildren(QWidget)) == short_widgets


def test_only_the_newest_cards_are_measured_and_only_the_visible_ones_painted(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    measured: set[int] = set()
    painted: set[int] = set()
    measure, paint = MessageCardDelegate.sizeHint, MessageCardDelegate.paint

    def counting_measure(self: MessageCardDelegate, option: QStyleOptionViewItem,
                         index: QModelIndex | QPersistentModelIndex) -> QSize:
        measured.add(index.row())
        return measure(self, option, index)

    def counting_paint(self: MessageCardDelegate, painter: QPainter, option: QStyleOptionViewItem,
                       index: QModelIndex | QPersistentModelIndex) -> None:
        painted.add(index.row())
        paint(self, painter, option, index)

    monkeypatch.setattr(MessageCardDelegate, "sizeHint", counting_measure)
    monkeypatch.setattr(MessageCardDelegate, "paint", counting_paint)
    view = _shown_view(qtbot)
    view.show_detail(_detail(LONG))
    cards = view.message_list()
    qtbot.waitUntil(lambda: bool(painted) and _at_end(view), timeout=5000)
    assert cards.model().rowCount() == FIRST_CARDS
    assert len(measured) <= FIRST_CARDS
    viewport = cards.viewport().rect()
    model = cards.model()
    assert all(cards.visualRect(model.index(row, 0)).intersects(viewport) for row in painted)
    assert len(painted) < FIRST_CARDS
    newest = model.index(model.rowCount() - 1, 0)
    assert cards.visualRect(newest).intersects(viewport)  # opened on the newest message
    assert view.message_texts()[-1].startswith(f"Wiadomość numer {LONG - 1}:")
    button = _earlier_button(view)
    assert button.isVisible() and str(LONG - FIRST_CARDS) in button.text()


def test_scrolling_to_the_top_brings_earlier_messages_and_keeps_the_place(
    qtbot: Any, long_view: ConversationView
) -> None:
    view = long_view
    cards = view.message_list()
    bar = cards.verticalScrollBar()
    qtbot.waitUntil(lambda: _at_end(view), timeout=5000)
    shown_before = cards.model().rowCount()
    oldest_text = view.message_texts()[0]
    bar.setValue(bar.minimum())  # the user scrolls to the top
    qtbot.waitUntil(lambda: cards.model().rowCount() > shown_before, timeout=5000)
    oldest_before = cards.model().index(view.message_texts().index(oldest_text), 0)
    # The card that was at the top is still where the user was looking, not pushed out of sight.
    assert bar.value() > bar.minimum()
    assert cards.visualRect(oldest_before).intersects(cards.viewport().rect())


def test_the_newest_message_stays_in_view_when_the_view_gets_shorter(
    qtbot: Any, long_view: ConversationView
) -> None:
    view = long_view
    qtbot.waitUntil(lambda: _at_end(view), timeout=5000)
    view.resize(700, 400)  # the composer appears below, for example
    qtbot.waitUntil(lambda: view.message_list().height() < 400, timeout=5000)
    assert _at_end(view)


def _cards_tile(view: ConversationView) -> bool:
    """The cards in view follow each other without a gap or an overlap: each was placed for its height now."""
    cards = view.message_list()
    model = cards.model()
    rects = [cards.visualRect(model.index(row, 0)) for row in range(model.rowCount())]
    shown = [row for row, rect in enumerate(rects) if rect.intersects(cards.viewport().rect())]
    return len(shown) > 1 and all(rects[row].bottom() + 1 == rects[row + 1].top() for row in shown[:-1])


def test_a_narrower_view_wraps_the_texts_again_and_keeps_the_place(qtbot: Any, long_view: ConversationView) -> None:
    view = long_view
    cards = view.message_list()
    qtbot.waitUntil(lambda: _at_end(view) and _cards_tile(view), timeout=5000)
    newest = cards.model().index(cards.model().rowCount() - 1, 0)
    wide = cards.visualRect(newest).height()
    view.resize(260, 600)
    qtbot.waitUntil(lambda: cards.visualRect(newest).height() > wide, timeout=5000)  # more lines now
    qtbot.waitUntil(lambda: _cards_tile(view) and _at_end(view), timeout=2000)
    bar = cards.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    looked_at = cards.indexAt(cards.viewport().rect().topLeft() + QPoint(10, 10))
    view.resize(700, 600)
    qtbot.waitUntil(lambda: cards.visualRect(newest).height() == wide, timeout=5000)
    qtbot.waitUntil(lambda: _cards_tile(view), timeout=2000)
    assert cards.visualRect(looked_at).intersects(cards.viewport().rect())


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
    assert view.message_list().model().rowCount() == 3 and _earlier_button(view).isHidden()

"""Highlighted matches: a list row's login and snippet and a conversation's cards, painted to an image with a search
set, show the highlight colour over the matched words only, counted in UTF-16 as Qt counts (emoji before a match)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem
from ui_sample_data import ANNA, add_thread, message, sync_into_cache, thread_id

from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import ConversationDetail, ConversationRow, Filter, MessageRow
from magazyn_desktop.ui import conversation_list_delegate as row_layout
from magazyn_desktop.ui.conversation_list_delegate import ConversationListDelegate
from magazyn_desktop.ui.conversation_list_model import ConversationListModel
from magazyn_desktop.ui.conversation_view import ConversationView
from magazyn_desktop.ui.message_card_delegate import MessageCardDelegate
from magazyn_desktop.ui.message_card_model import CARD_ROLE
from magazyn_desktop.ui.search_highlight import HIGHLIGHT_BACKGROUND, draw_line, highlight_spans

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen, shown views

PARCELS = "\U0001f4e6\U0001f4e6 "  # two emoji: four UTF-16 units, two characters
KASIA = thread_id("kasiaEmoji")
KASIA_SNIPPET = PARCELS + "Paczka dotarła, dziękuję"
AT = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)


def test_spans_are_counted_in_utf16_units() -> None:
    assert highlight_spans("Łódź", "lodz") == ((0, 4),)
    assert highlight_spans(PARCELS + "paczka", "paczka") == ((5, 6),)  # characters 3..9, units 5..11
    assert highlight_spans(PARCELS + "paczka", "") == ()
    assert highlight_spans("paczka", "kubek") == ()


def _highlighted_box(image: QImage, area: QRect | None = None) -> QRect | None:
    """The bounding box of the pixels painted in the highlight colour (within `area`), None when there are none."""
    wanted = HIGHLIGHT_BACKGROUND.rgb()
    area = area or image.rect()
    xs: list[int] = []
    ys: list[int] = []
    for y in range(max(0, area.top()), min(image.height(), area.bottom() + 1)):
        for x in range(max(0, area.left()), min(image.width(), area.right() + 1)):
            if image.pixel(x, y) == wanted:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


@pytest.fixture
def model(qtbot: Any, sample_paths: AppPaths, fake_allegro: DemoAllegro) -> Any:
    add_thread(fake_allegro.data, KASIA, "kasia_gdynianka682", [message(fake_allegro.data, KASIA_SNIPPET, 1, "kasia")],
               read=False)
    sync_into_cache(sample_paths, fake_allegro)
    shown = ConversationListModel(lambda: connect(sample_paths.database, read_only=True))
    yield shown
    shown.close()


def _paint_row(model: ConversationListModel, conversation_id: str, width: int = 460) -> QImage:
    delegate = ConversationListDelegate()
    option = QStyleOptionViewItem()
    option.font = QApplication.font()
    option.palette = QApplication.palette()
    option.state = QStyle.StateFlag.State_Enabled
    position = model.row_of(conversation_id)
    assert position is not None
    index = model.index(position, 0)
    option.rect = QRect(0, 0, width, delegate.sizeHint(option, index).height())
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image


def _snippet_left() -> int:
    return row_layout.PADDING + 8 + 6  # past the unread dot's column


def test_a_row_highlights_the_matched_snippet_words_after_emoji(model: ConversationListModel) -> None:
    model.set_query(Filter.ALL, "dotarla")
    image = _paint_row(model, KASIA)
    box = _highlighted_box(image)
    assert box is not None
    metrics = QFontMetrics(QApplication.font())
    assert box.top() > image.height() // 2  # the second line: the snippet
    expected_left = _snippet_left() + metrics.horizontalAdvance(PARCELS + "Paczka ")
    assert abs(box.left() - expected_left) <= 2, (box, expected_left)
    assert abs(box.width() - metrics.horizontalAdvance("dotarła")) <= 3, box


def test_a_row_highlights_the_matched_login(model: ConversationListModel) -> None:
    model.set_query(Filter.ALL, "kasia_g")  # found by the login's beginning; marked as its two words
    image = _paint_row(model, KASIA)
    box = _highlighted_box(image)
    assert box is not None
    assert box.bottom() < image.height() // 2  # the first line: the login
    login_font = QFont(QApplication.font())
    login_font.setBold(True)  # unread
    assert abs(box.width() - QFontMetrics(login_font).horizontalAdvance("kasia_g")) <= 3, box


def test_a_row_without_a_search_or_a_match_in_view_has_no_highlight(model: ConversationListModel) -> None:
    model.set_query(Filter.ALL, "")
    assert _highlighted_box(_paint_row(model, KASIA)) is None
    assert _highlighted_box(_paint_row(model, ANNA)) is None
    model.set_query(Filter.ALL, "wyslecie")  # Anna's first message: not the snippet, so nothing in the row
    assert _highlighted_box(_paint_row(model, ANNA)) is None


def _drawn_line(text: str, query: str, width: int) -> QImage:
    image = QImage(width, 30, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    draw_line(painter, QRect(0, 0, width, 30), text, QApplication.font(), query)
    painter.end()
    return image


def test_a_line_cut_by_the_ellipsis_keeps_the_visible_part_of_a_match() -> None:
    metrics = QFontMetrics(QApplication.font())
    text = "Paczka dotarła, dziękuję bardzo"
    whole = _highlighted_box(_drawn_line(text, "dziekuje", 400))
    assert whole is not None
    assert abs(whole.width() - metrics.horizontalAdvance("dziękuję")) <= 3
    # Room for the text up to the middle of the matched word, and the ellipsis.
    cut = _highlighted_box(_drawn_line(text, "dziekuje", metrics.horizontalAdvance("Paczka dotarła, dzię…") + 1))
    assert cut is not None
    assert abs(cut.left() - whole.left()) <= 1
    assert cut.width() < whole.width()
    assert _highlighted_box(_drawn_line(text, "bardzo", metrics.horizontalAdvance("Paczka dotarła, dzię…"))) is None


def _card_detail(texts: list[str]) -> ConversationDetail:
    row = ConversationRow(id="C" * 43, kind=Kind.THREAD.value, sub_kind=SubKind.COMMON.value, status="OPEN",
                          can_reply=True, read=True, needs_reply=True, closed=False, last_activity_at=AT,
                          interlocutor_login="kupujacy", order_id=None, subject=None, snippet=None,
                          decision_due_at=None)
    messages = tuple(MessageRow(id=f"m{number}", author_role=Role.BUYER.value, author_login="kupujacy", text=text,
                                created_at=AT - timedelta(minutes=10 - number)) for number, text in enumerate(texts))
    return ConversationDetail(conversation=row, messages=messages, outbox=(), draft="")


@pytest.fixture
def view(qtbot: Any) -> ConversationView:
    shown = ConversationView()
    qtbot.addWidget(shown)
    shown.resize(700, 600)
    shown.show()
    qtbot.waitExposed(shown)
    shown.show_detail(_card_detail([PARCELS + "Przesyłka dotarła, ale ŻÓŁTY kubek jest pęknięty.",
                                    "Proszę o zwrot pieniędzy."]))
    return shown


def _card_boxes(view: ConversationView) -> list[QRect | None]:
    cards = view.message_list()
    image = cards.viewport().grab().toImage()
    return [_highlighted_box(image, cards.visualRect(cards.model().index(row, 0)))
            for row in range(cards.model().rowCount())]


def test_a_card_highlights_the_matched_words_where_they_are_drawn(view: ConversationView) -> None:
    assert _card_boxes(view) == [None, None]
    view.set_search("przesylka")
    first, second = _card_boxes(view)
    assert first is not None and second is None
    cards = view.message_list()
    delegate = cards.itemDelegate()
    assert isinstance(delegate, MessageCardDelegate)
    index = cards.model().index(0, 0)
    text_left = delegate.text_rect(cards.visualRect(index), cards.font(), index.data(CARD_ROLE)).left()
    metrics = QFontMetrics(cards.font())
    assert abs(first.left() - (text_left + metrics.horizontalAdvance(PARCELS))) <= 2, first
    assert abs(first.width() - metrics.horizontalAdvance("Przesyłka")) <= 3, first


def test_every_word_of_the_search_is_highlighted_and_clearing_it_removes_them(view: ConversationView) -> None:
    view.set_search("zolty zwrot")
    first, second = _card_boxes(view)
    assert first is not None and second is not None
    view.set_search("")
    assert _card_boxes(view) == [None, None]

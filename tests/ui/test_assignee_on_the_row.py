"""The assignee on a list row: a small tag before the time, elided so that the buyer's login keeps most of the line,
and nothing at all on a row nobody took (the single bench's rows look as before)."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from magazyn_desktop.store.inbox_records import ConversationRow
from magazyn_desktop.ui import conversation_list_delegate as row_layout
from magazyn_desktop.ui.conversation_list_delegate import ConversationListDelegate

LIST_WIDTH_AT_1024 = 300  # px of the first line in the list's column on a 1024x768 screen


def _row(assignee: str | None) -> ConversationRow:
    return ConversationRow(id="T1", kind="thread", sub_kind="COMMON", status=None, can_reply=True, read=True,
                           needs_reply=False, closed=False, last_activity_at=datetime(2026, 11, 5, tzinfo=timezone.utc),
                           interlocutor_login="kupujacy", order_id=None, subject=None, snippet=None,
                           decision_due_at=None, assignee=assignee)


def _paint(assignee: str | None) -> tuple[int, QRect, QImage]:
    line = QRect(0, 0, LIST_WIDTH_AT_1024, 24)
    image = QImage(line.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(QFont(QApplication.font()))
    left = ConversationListDelegate._paint_assignee(painter, _row(assignee), line, False, QColor("black"))
    painter.end()
    return left, line, image


def _painted_columns(image: QImage) -> list[int]:
    white = QColor("white").rgb()
    return [x for x in range(image.width()) if any(image.pixel(x, y) != white for y in range(image.height()))]


def test_a_row_nobody_took_paints_nothing_and_keeps_the_whole_line(qapp: QApplication) -> None:
    left, line, image = _paint(None)
    assert left == line.right()
    assert _painted_columns(image) == []


def test_a_short_name_shows_whole_before_the_time(qapp: QApplication) -> None:
    left, line, image = _paint("Ania")
    columns = _painted_columns(image)
    assert columns and min(columns) >= left and max(columns) <= line.right() - 8  # a gap before the time
    assert line.right() - left < LIST_WIDTH_AT_1024 * row_layout.ASSIGNEE_MAX_SHARE


def test_a_long_name_elides_and_leaves_the_login_most_of_the_line(qapp: QApplication) -> None:
    left, line, image = _paint("Aleksandra Wiśniewska-Kowalczyk z magazynu przy ulicy Długiej")
    columns = _painted_columns(image)
    assert columns and min(columns) >= left
    assert left - line.left() >= LIST_WIDTH_AT_1024 * (1 - row_layout.ASSIGNEE_MAX_SHARE) - 8

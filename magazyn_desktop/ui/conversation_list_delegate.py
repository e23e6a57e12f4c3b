"""Paints one inbox row in two compact lines: who and what kind / when, then the last message and marks.

Painting by hand keeps scrolling smooth over thousands of rows (no widget per row) and lets the row show
several small marks (unread, needs reply or no reply needed, closed, a reminder, the time left to a deadline)
without crowding. While the list shows a search, the parts of the login and the snippet that it matched are
highlighted. An overdue row also has a bar along its left edge, and its time left in a filled mark.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from magazyn_desktop.domain.text import folded_text
from magazyn_desktop.domain.vocabulary import Kind
from magazyn_desktop.store.inbox_records import ConversationRow
from magazyn_desktop.ui.conversation_list_model import PRESENCE_ROLE, ROW_ROLE, ConversationListModel
from magazyn_desktop.ui.deadline_marks import OVERDUE_COLOUR, DeadlineMark, deadline_mark
from magazyn_desktop.ui.kind_badge import badge_width, paint_badge
from magazyn_desktop.ui.labels import done_mark, format_time, reminder_mark
from magazyn_desktop.ui.presence_marks import paint_presence
from magazyn_desktop.ui.search_highlight import draw_line
from magazyn_desktop.ui.visible_text import visible_controls

UNREAD_DOT = QColor("#1f6fd1")
NEEDS_REPLY = QColor("#b35c00")
CLOSED = QColor("#6b6b6b")
DONE = QColor("#2e7d32")
REMINDER = QColor("#7a5b00")
PADDING = 8
MIN_ROW_WIDTH = 160  # px: below it the time and the marks would overlap the login
OVERDUE_BAR = 3  # px along the left edge of an overdue row
MARK_PADDING = 4  # px each side of a deadline's text in its filled or outlined mark
ASSIGNEE = QColor("#3d5a80")
ASSIGNEE_MAX_SHARE = 0.3  # of the first line: a long name elides, the buyer's login keeps the rest

if TYPE_CHECKING:  # the store's SQLAlchemy stays off the first paint
    from magazyn_desktop.store.presence import BenchPresence

log = logging.getLogger(__name__)


class ConversationListDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unpaintable: set[str] = set()  # rows already logged as failing: a row is repainted often

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        metrics = QFontMetrics(option.font)
        # The width is a floor, not a wish: the list lays rows out at its own width, and a wider hint would give it a
        # horizontal scrollbar on a narrow screen. The login and the snippet elide to what is left.
        return QSize(MIN_ROW_WIDTH, metrics.height() * 2 + PADDING * 2 + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if not isinstance(row, ConversationRow):
            super().paint(painter, option, index)
            return
        model = index.model()
        search = model.search if isinstance(model, ConversationListModel) else ""
        deadline = None
        if row.due_at is not None and isinstance(model, ConversationListModel):
            deadline = deadline_mark(row.due_at, model.deadline_clock())  # the model's one clock for the pass
        presence = index.data(PRESENCE_ROLE) or ()  # team mode: the other benches in this conversation
        painter.save()
        try:
            self._paint_row(painter, option, row, search, deadline, presence)
        except Exception:  # a row that cannot be painted stays blank; the rest of the list still paints
            if row.id not in self._unpaintable:
                self._unpaintable.add(row.id)
                log.exception("inbox row %s could not be shown", row.id)
        finally:
            painter.restore()

    def _paint_row(self, painter: QPainter, option: QStyleOptionViewItem, row: ConversationRow,
                   search: str, deadline: DeadlineMark | None, presence: Sequence[BenchPresence] = ()) -> None:
        style = option.widget.style() if option.widget else None
        if style is not None:
            # The style draws the selection and focus background the user's theme expects.
            base = QStyleOptionViewItem(option)
            base.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(text_colour)
        muted.setAlpha(170)

        if deadline is not None and deadline.filled:
            painter.fillRect(QRect(option.rect.left(), option.rect.top(), OVERDUE_BAR, option.rect.height()),
                             text_colour if selected else OVERDUE_COLOUR)
        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        font = QFont(option.font)
        metrics = QFontMetrics(font)
        line_height = metrics.height()

        # Unread: a dot in the left margin.
        dot_size = 8
        if not row.read:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(UNREAD_DOT if not selected else text_colour)
            painter.drawEllipse(rect.left(), rect.top() + (line_height - dot_size) // 2, dot_size, dot_size)
        left = rect.left() + dot_size + 6

        # First line, right side: time of last activity.
        time_text = format_time(row.last_activity_at)
        time_width = metrics.horizontalAdvance(time_text)
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(QRect(rect.right() - time_width, rect.top(), time_width, line_height),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, time_text)

        # First line, before the time: who took the conversation (team mode).
        assignee_left = self._paint_assignee(painter, row, QRect(rect.left(), rect.top(), rect.width() - time_width,
                                                                 line_height), selected, text_colour)

        # First line: kind badge, then the buyer's login (bold while unread).
        badge_rect = QRect(left, rect.top() + 1, badge_width(font, row.sub_kind), line_height - 2)
        paint_badge(painter, badge_rect, row.sub_kind, font)
        marks_font = QFont(font)
        marks_font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        marks_metrics = QFontMetrics(marks_font)

        login_font = QFont(font)
        login_font.setBold(not row.read)
        painter.setFont(login_font)
        painter.setPen(text_colour)
        login_left = badge_rect.right() + 8
        login_width = max(0, assignee_left - 8 - login_left)
        login = visible_controls(row.interlocutor_login or "")
        draw_line(painter, QRect(login_left, rect.top(), login_width, line_height),
                  login or self.tr("(unknown buyer)"), login_font, search if login else "")  # words of ours: unmarked

        # Second line, right side: marks; left: the last message, elided.
        second_top = rect.top() + line_height + 4
        marks = self.marks(row, deadline)
        painter.setFont(marks_font)
        right = rect.right()
        if deadline is not None:
            right = self._paint_deadline(painter, deadline, QRect(rect.left(), second_top, right - rect.left(),
                                                                  line_height), marks_metrics, selected,
                                         text_colour, muted)
        for text, colour in marks:
            width = marks_metrics.horizontalAdvance(text)
            painter.setPen(text_colour if selected else colour)
            painter.drawText(QRect(right - width, second_top, width, line_height),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            right -= width + 10
        right = paint_presence(painter, presence, right, QRect(left, second_top, right - left, line_height),
                               marks_metrics, text_colour if selected else None)
        painter.setFont(font)
        painter.setPen(muted)
        snippet = visible_controls(folded_text(row.snippet or row.subject or ""))  # one line, whatever the buyer typed
        snippet_width = max(0, right - left - 4)
        draw_line(painter, QRect(left, second_top, snippet_width, line_height), snippet, font, search)

    def marks(self, row: ConversationRow, deadline: DeadlineMark | None) -> list[tuple[str, QColor]]:
        """The second line's words on the right, before the deadline's mark. A thread's reply deadline says that it
        waits for a reply, so "needs reply" makes room for the buyer's words there; a claim's or a dispute's date is
        another matter and keeps it."""
        marks: list[tuple[str, QColor]] = []
        if row.closed:
            marks.append((self.tr("closed"), CLOSED))
        elif row.needs_reply:
            if deadline is None or row.kind != Kind.THREAD.value:
                marks.append((self.tr("needs reply"), NEEDS_REPLY))
        elif row.done:
            marks.append((done_mark(), DONE))
        if row.remind_on is not None:
            marks.append((reminder_mark(row.remind_on), REMINDER))
        return marks

    @staticmethod
    def _paint_assignee(painter: QPainter, row: ConversationRow, line: QRect, selected: bool,
                        text_colour: QColor) -> int:
        """The assignee's name near the right end of `line` (the first line up to the time), outlined like a tag, in a
        smaller font and elided to at most ASSIGNEE_MAX_SHARE of the line. Returns where the login to its left may
        reach (the line's end without one)."""
        if not row.assignee:
            return line.right()
        font = QFont(painter.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        metrics = QFontMetrics(font)
        room = int(line.width() * ASSIGNEE_MAX_SHARE) - 2 * MARK_PADDING
        name = metrics.elidedText(visible_controls(row.assignee), Qt.TextElideMode.ElideRight, max(0, room))
        if not name:
            return line.right()
        width = metrics.horizontalAdvance(name) + 2 * MARK_PADDING
        box = QRect(line.right() - 8 - width, line.top() + 1, width, line.height() - 2)
        colour = text_colour if selected else ASSIGNEE
        painter.save()
        painter.setFont(font)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, 1))
        painter.drawRoundedRect(box.adjusted(0, 0, -1, -1), 3, 3)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, name)
        painter.restore()
        return box.left()

    @staticmethod
    def _paint_deadline(painter: QPainter, mark: DeadlineMark, line: QRect, metrics: QFontMetrics, selected: bool,
                        text_colour: QColor, muted: QColor) -> int:
        """The time left at the right end of `line`: filled when overdue, outlined when due within a working day,
        plain later. Returns where the marks to its left end."""
        width = metrics.horizontalAdvance(mark.text) + (2 * MARK_PADDING if mark.filled or mark.outlined else 0)
        box = QRect(line.right() - width, line.top() + 1, width, line.height() - 2)
        colour = mark.colour if mark.colour is not None and not selected else (text_colour if mark.colour else muted)
        if mark.filled:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QColor("#ffffff") if not selected else QColor(OVERDUE_COLOUR))
        elif mark.outlined:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(colour, 1))
            painter.drawRoundedRect(box.adjusted(0, 0, -1, -1), 3, 3)
            painter.setPen(colour)
        else:
            painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, mark.text)
        return box.left() - 10

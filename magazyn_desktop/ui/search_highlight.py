"""Shows what a search matched: the matched parts of a painted text on a warm yellow, in dark text.

The spans come from domain.search_text.match_spans, in characters; Qt's text layouts count UTF-16 units, where a
character beyond the first plane (an emoji) is two. The spans of a text are cached, because the list paints the
same rows again on every scroll and hover.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QTextCharFormat, QTextLayout

from magazyn_desktop.domain.search_text import match_spans

HIGHLIGHT_BACKGROUND = QColor("#ffe08a")
HIGHLIGHT_TEXT = QColor("#1d1d1d")  # dark on the yellow, whatever the row's own text colour
ELLIPSIS = "\u2026"  # what QFontMetrics.elidedText ends a shortened text with
_SPANS_CACHED = 4096  # texts: several screens of rows, logins and snippets, and an open conversation's cards


@functools.lru_cache(maxsize=_SPANS_CACHED)
def _utf16_spans(text: str, query: str) -> tuple[tuple[int, int], ...]:
    """The matched spans of `text` as (start, length) in UTF-16 units."""
    spans = match_spans(text, query)
    if not spans:
        return ()
    if text.isascii() or max(text) <= "\uffff":
        return tuple((start, end - start) for start, end in spans)
    units = [0]  # units[i]: the UTF-16 offset of character i
    for character in text:
        units.append(units[-1] + (2 if character > "\uffff" else 1))
    return tuple((units[start], units[end] - units[start]) for start, end in spans)


def highlight_spans(text: str, query: str) -> tuple[tuple[int, int], ...]:
    """Where `query` matches `text`: (start, length) pairs in UTF-16 units, as Qt's text layouts count."""
    if not query or not text:
        return ()
    return _utf16_spans(text, query)


def _format() -> QTextCharFormat:
    text_format = QTextCharFormat()
    text_format.setBackground(HIGHLIGHT_BACKGROUND)
    text_format.setForeground(HIGHLIGHT_TEXT)
    return text_format


def highlight_ranges(text: str, query: str, *, visible_units: int | None = None) -> list[QTextLayout.FormatRange]:
    """The format ranges that paint the matches of `query` in a layout of `text`; with `visible_units`, only the
    part of each within the first that many UTF-16 units (a text shortened with an ellipsis)."""
    ranges: list[QTextLayout.FormatRange] = []
    text_format = None
    for start, length in highlight_spans(text, query):
        if visible_units is not None:
            length = min(length, visible_units - start)
        if length <= 0:
            break
        if text_format is None:
            text_format = _format()
        format_range = QTextLayout.FormatRange()
        format_range.start, format_range.length, format_range.format = start, length, text_format
        ranges.append(format_range)
    return ranges


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate (bad JSON) is one unit


def draw_line(painter: QPainter, rect: QRect, text: str, font: QFont, query: str) -> None:
    """`text` on one line in `rect`, left-aligned, vertically centred, shortened with an ellipsis to fit, with the
    matches of `query` highlighted; in the painter's font and pen. Without a match it is plain drawText."""
    metrics = QFontMetrics(font)
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    if not highlight_spans(text, query):
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
        return
    if shown == text:
        ranges = highlight_ranges(text, query)
    elif shown.endswith(ELLIPSIS) and text.startswith(shown[:-1]):
        # The kept beginning is highlighted as in the whole text: a word cut by the ellipsis is still marked.
        ranges = highlight_ranges(text, query, visible_units=utf16_length(shown) - 1)
    else:
        ranges = highlight_ranges(shown, query)
    layout = QTextLayout(shown, font)
    layout.beginLayout()
    line = layout.createLine()
    if line.isValid():
        line.setNumColumns(utf16_length(shown))  # one line, whatever its breaking opportunities
    layout.endLayout()
    top = rect.top() + (rect.height() - metrics.height()) / 2
    layout.draw(painter, QPointF(rect.left(), top), ranges)

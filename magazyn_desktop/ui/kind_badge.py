"""The badge that names a conversation's kind, the same in the list and in the conversation's header.

The four kinds differ in more than hue, for colour-blind staff and for grey screens: a message is a plain light
pill; a purchase problem has a dashed outline; a discussion is outlined in dark with a diamond in front; a claim is
dark with white text and a warning triangle. Every text has a contrast of at least 4.5:1 on its fill (WCAG AA).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from magazyn_desktop.domain.vocabulary import SubKind
from magazyn_desktop.ui.labels import kind_label

PADDING_X = 5
MARKER_GAP = 4


class Marker(enum.Enum):
    DIAMOND = "diamond"
    TRIANGLE = "triangle"


@dataclass(frozen=True)
class BadgeStyle:
    fill: str
    text: str
    border: str | None = None
    border_style: Qt.PenStyle = Qt.PenStyle.SolidLine
    marker: Marker | None = None
    bold: bool = False


BADGE_STYLES: dict[str, BadgeStyle] = {
    SubKind.COMMON.value: BadgeStyle(fill="#dde7f3", text="#1d2f45"),
    SubKind.POST_PURCHASE_ISSUE.value: BadgeStyle(fill="#fbe8c8", text="#4d3100", border="#8a5a00",
                                                  border_style=Qt.PenStyle.DashLine),
    SubKind.DISPUTE.value: BadgeStyle(fill="#ffffff", text="#5c1a10", border="#5c1a10", marker=Marker.DIAMOND),
    SubKind.CLAIM.value: BadgeStyle(fill="#8a1c2b", text="#ffffff", marker=Marker.TRIANGLE, bold=True),
}
UNKNOWN_STYLE = BadgeStyle(fill="#e4e4e4", text="#2b2b2b")


def badge_style(sub_kind: str) -> BadgeStyle:
    return BADGE_STYLES.get(sub_kind, UNKNOWN_STYLE)


def badge_font(base: QFont, sub_kind: str) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(7.0, base.pointSizeF() * 0.85))
    font.setBold(badge_style(sub_kind).bold)
    return font


def badge_width(base: QFont, sub_kind: str) -> int:
    """The badge's width for its kind's label in `base`'s size (the badge's own font is derived from it)."""
    font = badge_font(base, sub_kind)
    metrics = QFontMetrics(font)
    marker = marker_size(metrics) + MARKER_GAP if badge_style(sub_kind).marker else 0
    return metrics.horizontalAdvance(kind_label(sub_kind)) + marker + 2 * PADDING_X


def marker_size(metrics: QFontMetrics) -> int:
    return max(6, metrics.ascent() * 3 // 4)


def paint_badge(painter: QPainter, rect: QRect, sub_kind: str, base: QFont) -> None:
    """Paint the kind's badge into `rect` (as wide as badge_width gives, a line high)."""
    style = badge_style(sub_kind)
    font = badge_font(base, sub_kind)
    metrics = QFontMetrics(font)
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shape = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if style.border:
            pen = QPen(QColor(style.border))
            pen.setWidthF(1.2)
            pen.setStyle(style.border_style)
            painter.setPen(pen)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(style.fill))
        painter.drawRoundedRect(shape, 4, 4)
        text_left = rect.left() + PADDING_X
        if style.marker is not None:
            size = marker_size(metrics)
            top = rect.top() + (rect.height() - size) / 2
            _paint_marker(painter, style.marker, QRectF(text_left, top, size, size), QColor(style.text))
            text_left += size + MARKER_GAP
        painter.setFont(font)
        painter.setPen(QColor(style.text))
        painter.drawText(QRect(text_left, rect.top(), rect.right() - text_left, rect.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, kind_label(sub_kind))
    finally:
        painter.restore()


def _paint_marker(painter: QPainter, marker: Marker, box: QRectF, colour: QColor) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    centre = box.center()
    if marker is Marker.DIAMOND:
        points = [QPointF(centre.x(), box.top()), QPointF(box.right(), centre.y()),
                  QPointF(centre.x(), box.bottom()), QPointF(box.left(), centre.y())]
    else:
        points = [QPointF(centre.x(), box.top()), QPointF(box.right(), box.bottom()), QPointF(box.left(), box.bottom())]
    painter.drawPolygon(QPolygonF(points))


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two colours, 1 to 21."""
    def luminance(name: str) -> float:
        colour = QColor(name)
        channels = []
        for value in (colour.redF(), colour.greenF(), colour.blueF()):
            channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
        red, green, blue = channels
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class KindBadge(QWidget):
    """The badge as a widget, for the conversation's header; its accessible name is the kind's label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sub_kind: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.hide()

    def set_kind(self, sub_kind: str | None) -> None:
        self._sub_kind = sub_kind
        self.setAccessibleName(kind_label(sub_kind) if sub_kind else "")
        self.setToolTip(kind_label(sub_kind) if sub_kind else "")
        self.setVisible(sub_kind is not None)
        self.updateGeometry()
        self.update()

    @property
    def sub_kind(self) -> str | None:
        return self._sub_kind

    def sizeHint(self) -> QSize:
        if self._sub_kind is None:
            return QSize(0, 0)
        height = QFontMetrics(self.font()).height() + 4
        return QSize(badge_width(self.font(), self._sub_kind), height)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the window was zoomed: the badge grows with its text
            self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self._sub_kind is None:
            return
        painter = QPainter(self)
        try:
            paint_badge(painter, self.rect(), self._sub_kind, self.font())
        finally:
            painter.end()

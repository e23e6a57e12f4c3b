"""Paints and measures one message card: who and when, the text, its attachments, an outbox entry's state.

Painting by hand keeps a long conversation cheap: the list paints only the cards in view, and a card's height is
measured once per width. Text is laid out as plain text (QTextLayout), so nothing a buyer writes is interpreted.
The attachment buttons are drawn by the style and answer clicks here; an image saved on this computer is drawn as
its thumbnail instead (once decoded, ThumbnailLoader), answering clicks the same way, and a PDF's button carries a
document icon. Selecting part of a text happens in a read-only editor opened over the card's text. While the conversation was opened from a search, the parts of the texts
it matched are highlighted.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QIcon,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from magazyn_desktop.domain.vocabulary import Role
from magazyn_desktop.ui.message_card_model import CARD_ROLE, NOTE_STYLE, OUTBOX_STYLE, Card, CardAttachment
from magazyn_desktop.ui.search_highlight import highlight_ranges
from magazyn_desktop.ui.thumbnails import ThumbnailLoader
from magazyn_desktop.ui.visible_text import tooltip_text

OUTER = 4  # half the gap between two cards
PAD_X, PAD_Y = 10, 8
GAP = 4  # between a card's parts
BUTTON_GAP = 6
ICON = 16
MIN_TEXT_WIDTH = 80
THUMBNAIL_BOX = QSize(160, 120)  # at most, in logical pixels at zoom 1.0
TILE_PAD = 3  # between a thumbnail and its frame
TILE_NAME_CHARS = 16  # under a narrow image the name may take about this much room
# The cards are always light, so their text is always dark, whatever the theme.
TEXT = QColor("#1d1d1d")
MUTED = QColor("#555555")
PROBLEM = QColor("#a0213a")
FILL = {
    Role.BUYER.value: (QColor("#f4f6f8"), QColor("#dfe3e8")),
    Role.SELLER.value: (QColor("#e9f3ea"), QColor("#cfe3d1")),
    Role.ALLEGRO.value: (QColor("#fdf6e3"), QColor("#eadfbf")),
    OUTBOX_STYLE: (QColor("#ffffff"), QColor("#9fb8a2")),
    NOTE_STYLE: (QColor("#fff3b0"), QColor("#d9b930")),  # a sticky note's yellow: the team's, never sent
}

log = logging.getLogger(__name__)


def _wrapped(text: str, font: QFont, width: int) -> tuple[QTextLayout, int]:
    """`text` laid out as plain text in lines of `width`; its height."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # a long link still wraps
    layout.setTextOption(option)
    layout.beginLayout()
    height = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    return layout, int(height + 0.999)


@dataclass
class _Geometry:
    """Where a card's parts are, relative to the top left of its row."""

    height: int
    card: QRect
    header: QRect
    text: QRect
    text_layout: QTextLayout
    buttons: list[QRect]  # each attachment's place: its button, or its thumbnail's tile
    thumbnails: list[QPixmap | None]  # each attachment's thumbnail, when it is drawn as one
    state: QRect | None
    state_layout: QTextLayout | None


def _state_font(font: QFont, problem: bool) -> QFont:
    state_font = QFont(font)
    if problem:
        state_font.setBold(True)
    else:
        state_font.setItalic(True)
    return state_font


def _same_file(local_path: str | None, path: str) -> bool:
    return bool(local_path) and os.path.normpath(os.path.abspath(local_path or "")) == path


class MessageCardDelegate(QStyledItemDelegate):
    attachment_clicked = Signal(object)  # AttachmentRow

    def __init__(self, view: QAbstractItemView, thumbnails: ThumbnailLoader | None = None) -> None:
        super().__init__(view)
        self._view = view
        self._thumbnails = thumbnails
        self._thumbnail_scale = 1.0  # the window's zoom
        if thumbnails is not None:
            thumbnails.thumbnail_ready.connect(self._on_thumbnail_ready)
        self._heights: dict[str, int] = {}  # card key -> height at _heights_width
        self._heights_width = -1
        self._pressed: tuple[str, int] | None = None  # the card key and button the mouse went down on
        self._unpaintable: set[str] = set()
        self._search = ""  # the search whose matches the texts highlight; "" for none

    def set_search(self, text: str) -> None:
        """Highlight the matches of this search in the cards' texts ("" for none); the caller repaints."""
        self._search = text.strip()

    @property
    def search(self) -> str:
        return self._search

    def forget_sizes(self) -> None:
        self._heights.clear()

    def set_thumbnail_scale(self, scale: float) -> None:
        """Thumbnails grow and shrink with the window's zoom; the caller measures the cards again."""
        self._thumbnail_scale = scale

    def row_width(self) -> int:
        """The width every card is measured and painted for: the list's, less a scroll bar whether one shows or
        not, so that the bar appearing never measures every card again."""
        view = self._view
        bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
        return max(MIN_TEXT_WIDTH + 2 * (OUTER + PAD_X), view.width() - 2 * view.frameWidth() - bar)

    # --- geometry --------------------------------------------------------------------------------------------

    def _geometry(self, card: Card, font: QFont, width: int) -> _Geometry:
        metrics = QFontMetrics(font)
        inner = max(MIN_TEXT_WIDTH, width - 2 * (OUTER + PAD_X))
        x = OUTER + PAD_X
        y = OUTER + PAD_Y
        header = QRect(x, y, inner, metrics.height())
        y += header.height() + GAP
        text_layout, text_height = _wrapped(card.text, font, inner)
        text = QRect(x, y, inner, text_height)
        y += text_height
        buttons: list[QRect] = []
        thumbnails: list[QPixmap | None] = []
        if card.attachments:
            y += GAP
            left, row_height = x, 0
            for attachment in card.attachments:
                thumbnail = self._thumbnail(attachment)
                thumbnails.append(thumbnail)
                size = self._button_size(attachment, metrics, inner) if thumbnail is None \
                    else self._tile_size(thumbnail, attachment, metrics, inner)
                if left > x and left + size.width() > x + inner:  # a new row of buttons
                    left, y = x, y + row_height + BUTTON_GAP
                    row_height = 0
                buttons.append(QRect(QPoint(left, y), size))
                left += size.width() + BUTTON_GAP
                row_height = max(row_height, size.height())
            y += row_height
        state = state_layout = None
        if card.state is not None:
            y += GAP
            state_layout, state_height = _wrapped(card.state, _state_font(font, card.problem), inner)
            state = QRect(x, y, inner, state_height)
            y += state_height
        y += PAD_Y
        card_rect = QRect(OUTER, OUTER, width - 2 * OUTER, y - OUTER)
        return _Geometry(y + OUTER, card_rect, header, text, text_layout, buttons, thumbnails, state, state_layout)

    def _button_size(self, attachment: CardAttachment, metrics: QFontMetrics, inner: int) -> QSize:
        option = QStyleOptionButton()
        option.text = attachment.label
        option.iconSize = QSize(ICON, ICON)
        contents = QSize(metrics.horizontalAdvance(attachment.label) + ICON + 4, max(metrics.height(), ICON))
        size = self._view.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, contents, self._view)
        return QSize(min(size.width(), inner), size.height())

    def _thumbnail(self, attachment: CardAttachment) -> QPixmap | None:
        """The attachment's thumbnail when it is an image saved here and decoded; asked for when not yet."""
        if self._thumbnails is None or attachment.kind != "image" or not attachment.attachment.local_path:
            return None
        scale = self._thumbnail_scale
        box = QSize(round(THUMBNAIL_BOX.width() * scale), round(THUMBNAIL_BOX.height() * scale))
        return self._thumbnails.thumbnail(attachment.attachment.local_path, box, self._view.devicePixelRatioF())

    @staticmethod
    def _tile_size(thumbnail: QPixmap, attachment: CardAttachment, metrics: QFontMetrics, inner: int) -> QSize:
        """The thumbnail in a frame, with the file's name under it."""
        image = thumbnail.deviceIndependentSize().toSize()
        name = min(metrics.horizontalAdvance(attachment.label), metrics.averageCharWidth() * TILE_NAME_CHARS)
        width = max(image.width(), name + 2 * TILE_PAD) + 2 * TILE_PAD  # a little slack: elision rounds
        return QSize(min(width, inner), image.height() + 2 * TILE_PAD + metrics.height() + TILE_PAD)

    def _on_thumbnail_ready(self, path: str) -> None:
        """A thumbnail arrived: the cards drawing that file are measured again, taller."""
        model = self._view.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            card = self._card(index)
            if card is not None and any(_same_file(a.attachment.local_path, path) for a in card.attachments):
                self._heights.pop(card.key, None)
                self.sizeHintChanged.emit(index)

    def attachment_look(self, card: Card, number: int) -> str:
        """How attachment `number` of the card is drawn now: 'thumbnail', 'document' (a PDF) or 'button'."""
        geometry = self._geometry(card, self._view.font(), self.row_width())
        if geometry.thumbnails[number] is not None:
            return "thumbnail"
        return "document" if card.attachments[number].kind == "pdf" else "button"

    def _card(self, index: QModelIndex | QPersistentModelIndex) -> Card | None:
        card = index.data(CARD_ROLE)
        return card if isinstance(card, Card) else None

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        card = self._card(index)
        width = self.row_width()
        if card is None:
            return QSize(width, 0)
        if width != self._heights_width:
            self._heights.clear()
            self._heights_width = width
        height = self._heights.get(card.key)
        if height is None:
            height = self._heights[card.key] = self._geometry(card, option.font, width).height
        return QSize(width, height)

    def attachment_buttons(self, rect: QRect, font: QFont, card: Card) -> list[tuple[QRect, CardAttachment]]:
        """Each attachment's button, placed in the row `rect`."""
        geometry = self._geometry(card, font, self.row_width())
        return [(button.translated(rect.topLeft()), attachment)
                for button, attachment in zip(geometry.buttons, card.attachments)]

    def text_rect(self, rect: QRect, font: QFont, card: Card) -> QRect:
        return self._geometry(card, font, self.row_width()).text.translated(rect.topLeft())

    # --- painting --------------------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        card = self._card(index)
        if card is None:
            return
        painter.save()
        try:
            self._paint_card(painter, option, card)
        except Exception:  # a card that cannot be painted stays blank; the rest still paints
            if card.key not in self._unpaintable:
                self._unpaintable.add(card.key)
                log.exception("message card %s could not be shown", card.key)
        finally:
            painter.restore()

    def _paint_card(self, painter: QPainter, option: QStyleOptionViewItem, card: Card) -> None:
        top_left = option.rect.topLeft()
        geometry = self._geometry(card, option.font, self.row_width())  # as measured, whatever the row's width
        fill, border = FILL.get(card.style, FILL[Role.ALLEGRO.value])
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(option.palette.highlight().color() if selected else border, 2 if selected else 1)
        if card.style == OUTBOX_STYLE and not selected:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        card_rect = geometry.card.translated(top_left)
        painter.drawRoundedRect(QRectF(card_rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)  # a 1 px pen, crisp
        painter.setBrush(Qt.BrushStyle.NoBrush)

        painter.setFont(option.font)
        painter.setPen(MUTED)
        header = geometry.header.translated(top_left)
        painter.drawText(header, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         QFontMetrics(option.font).elidedText(card.header, Qt.TextElideMode.ElideRight,
                                                              header.width()))
        painter.setPen(TEXT)
        geometry.text_layout.draw(painter, QPointF(geometry.text.translated(top_left).topLeft()),
                                  highlight_ranges(card.text, self._search))

        style = self._view.style()
        for number, (place, thumbnail, attachment) in enumerate(
                zip(geometry.buttons, geometry.thumbnails, card.attachments)):
            pressed = self._pressed == (card.key, number)
            if thumbnail is not None:
                self._paint_tile(painter, place.translated(top_left), thumbnail, attachment, pressed, option)
                continue
            button = QStyleOptionButton()
            button.initFrom(self._view)
            button.rect = place.translated(top_left)
            button.text = attachment.label.replace("&", "&&")  # '&' would be taken for a mnemonic
            button.icon = self._icon(attachment)
            button.iconSize = QSize(ICON, ICON)
            button.state = QStyle.StateFlag.State_Enabled | (
                QStyle.StateFlag.State_Sunken if pressed else QStyle.StateFlag.State_Raised)
            style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, self._view)

        if geometry.state is not None and geometry.state_layout is not None:
            painter.setPen(PROBLEM if card.problem else MUTED)
            geometry.state_layout.draw(painter, QPointF(geometry.state.translated(top_left).topLeft()))

        if option.state & QStyle.StateFlag.State_HasFocus:
            focus = QStyleOptionFocusRect()
            focus.initFrom(self._view)
            focus.rect = card_rect.adjusted(-2, -2, 2, 2)
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter, self._view)

    def _icon(self, attachment: CardAttachment) -> QIcon:
        file_icon = self._view.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        if attachment.kind == "pdf":  # the desktop's document icon where it has one
            return QIcon.fromTheme("application-pdf", QIcon.fromTheme("x-office-document", file_icon))
        return file_icon

    def _paint_tile(self, painter: QPainter, place: QRect, thumbnail: QPixmap, attachment: CardAttachment,
                    pressed: bool, option: QStyleOptionViewItem) -> None:
        """A thumbnail in a light frame with the file's name under it; the frame darkens while it is pressed."""
        painter.setPen(QPen(option.palette.highlight().color() if pressed else MUTED, 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(QRectF(place).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        image = thumbnail.deviceIndependentSize().toSize()
        painter.drawPixmap(QRect(QPoint(place.left() + (place.width() - image.width()) // 2, place.top() + TILE_PAD),
                                 image), thumbnail)
        metrics = QFontMetrics(option.font)
        name = QRect(place.left() + TILE_PAD, place.top() + TILE_PAD + image.height() + TILE_PAD,
                     place.width() - 2 * TILE_PAD, metrics.height())
        painter.setPen(MUTED)
        painter.drawText(name, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                         metrics.elidedText(attachment.label, Qt.TextElideMode.ElideMiddle, name.width()))

    # --- the attachment buttons: clicks and tooltips ---------------------------------------------------------

    def _button_at(self, position: QPoint, option: QStyleOptionViewItem,
                   card: Card) -> tuple[int, CardAttachment] | None:
        for number, (place, attachment) in enumerate(self.attachment_buttons(option.rect, option.font, card)):
            if place.contains(position):
                return number, attachment
        return None

    def editorEvent(self, event: QEvent, model: QAbstractItemModel, option: QStyleOptionViewItem,  # noqa: N802
                    index: QModelIndex | QPersistentModelIndex) -> bool:
        card = self._card(index)
        if card is None or not card.attachments or not isinstance(event, QMouseEvent):
            return super().editorEvent(event, model, option, index)
        hit = self._button_at(event.position().toPoint(), option, card)
        kind = event.type()
        if hit is None or event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton):
            if kind == QEvent.Type.MouseButtonRelease:
                self._pressed = None
            return super().editorEvent(event, model, option, index)
        number, attachment = hit
        if kind == QEvent.Type.MouseButtonPress:
            self._pressed = (card.key, number)
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            clicked = self._pressed == (card.key, number)
            self._pressed = None
            if clicked:
                self.attachment_clicked.emit(attachment.attachment)
            return True
        return kind == QEvent.Type.MouseButtonDblClick  # a quick second click is not a request to select text

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,  # noqa: N802
                  index: QModelIndex | QPersistentModelIndex) -> bool:
        card = self._card(index)
        if card is not None and event.type() == QEvent.Type.ToolTip:
            hit = self._button_at(event.pos(), option, card)
            if hit is not None:
                QToolTip.showText(event.globalPos(), tooltip_text(hit[1].tooltip), view.viewport())
                return True
            QToolTip.hideText()
            event.ignore()
            return False
        return super().helpEvent(event, view, option, index)

    # --- selecting part of a text: a read-only editor over it ------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setObjectName("cardText")
        editor.setReadOnly(True)
        editor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                       | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        editor.setFrameShape(QFrame.Shape.NoFrame)
        editor.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor.document().setDocumentMargin(0)
        editor.setFont(option.font)
        card = self._card(index)
        palette = editor.palette()  # the card's own colours, so the text looks the same while it is selected
        palette.setColor(QPalette.ColorRole.Base, FILL.get(card.style if card else "", FILL[Role.ALLEGRO.value])[0])
        palette.setColor(QPalette.ColorRole.Text, TEXT)
        editor.setPalette(palette)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        card = self._card(index)
        if isinstance(editor, QPlainTextEdit) and card is not None:
            editor.setPlainText(card.text)  # plain text: nothing in it is interpreted
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> None:
        return  # nothing is ever edited

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                             index: QModelIndex | QPersistentModelIndex) -> None:
        card = self._card(index)
        if card is not None:
            # A little wider than the painted text, for the editor's cursor: the lines break in the same places.
            editor.setGeometry(self.text_rect(option.rect, option.font, card).adjusted(0, 0, 4, 2))

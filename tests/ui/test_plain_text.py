"""Buyer text is shown as text everywhere the window shows it: no HTML a buyer writes is ever rendered.

Qt renders a QLabel or a tooltip as rich text whenever `GuiQt.mightBeRichText()` says so, so each place is checked by
what a user would see, not by the widget's settings alone.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtGui import QTextDocument, QTextLayout
from PySide6.QtWidgets import QAbstractButton, QLabel, QListView, QTableWidget, QWidget
from ui_sample_data import add_thread, attachment, message, order, thread_id, uuid_of

from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.ui.conversation_list_model import ConversationListModel
from magazyn_desktop.ui.visible_text import tooltip_text

HOSTILE = "<b>Proszę</b> <img src='http://example.invalid/x.png'> &amp;"


def _as_shown(text: str, rich: bool) -> str:
    """What Qt shows for a text: rendered as HTML when it takes it for rich text."""
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def _label_shows(label: QLabel) -> str:
    text = label.text()
    fmt = label.textFormat()
    rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    return _as_shown(text, rich)


def _tooltip_shows(text: str) -> str:
    return _as_shown(text, GuiQt.mightBeRichText(text))


def _shown_as_plain_layout(text: str) -> str:
    """What a QTextLayout draws: the characters given, whatever they look like."""
    layout = QTextLayout(text)
    return layout.text()


def _add_hostile_conversation(fake: DemoAllegro) -> str:
    """A buyer who writes HTML everywhere a buyer can: the message, an attachment's name, the order's note and the
    name of what was bought (the seller's offer title, here taken from the buyer's words)."""
    data = fake.data
    conversation_id, order_id = thread_id("htmlKupujacy"), uuid_of(0x4711)
    order(data, order_id, "kupujacy_html", name=HOSTILE, sku="SKU-1", quantity=1, message_to_seller=HOSTILE)
    named = attachment(data, uuid_of(0x4712), HOSTILE, "image/png")
    add_thread(data, conversation_id, "kupujacy_html", [message(data, HOSTILE, 1, "kupujacy_html",
                                                                 attachments=[named])],
               read=False, order_id=order_id)
    return conversation_id


def test_buyer_html_is_shown_literally_in_cards_list_tooltips_and_the_order_panel(
    qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro
) -> None:
    conversation_id = _add_hostile_conversation(fake_allegro)
    window = make_window()
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(conversation_id)
    qtbot.waitUntil(lambda: window.conversation_view().detail is not None, timeout=5000)

    shown: list[str] = []
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLabel):
            shown.append(_label_shows(widget))
        elif isinstance(widget, QAbstractButton):
            shown.append(widget.text())  # buttons never render markup
        if widget.toolTip():
            shown.append(_tooltip_shows(widget.toolTip()))
    for table in window.findChildren(QTableWidget):  # the order's items
        shown.extend(table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
                     if table.item(r, c) is not None)
    model = next(view.model() for view in window.findChildren(QListView)
                 if isinstance(view.model(), ConversationListModel))
    for row in range(model.rowCount()):
        tooltip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
        if tooltip:
            shown.append(_tooltip_shows(tooltip))
    # The message cards are painted from the cards' list (as plain text laid out by QTextLayout); the attachment
    # buttons' tooltips are shown through tooltip_text.
    cards = window.conversation_view()
    shown.extend(_shown_as_plain_layout(text) for text in cards.message_texts())
    shown.extend(_tooltip_shows(tooltip_text(tooltip)) for _label, tooltip in cards.attachment_labels())
    rendered = [text for text in shown if "Proszę" in text and "<b>Proszę</b>" not in text]  # the tags were taken
    assert rendered == [], "buyer text rendered as HTML"
    literal = [text for text in shown if HOSTILE in text]
    # The message card, the order's note and item, the list row's tooltip (attachment names are sanitised first).
    assert len(literal) >= 4, literal
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)

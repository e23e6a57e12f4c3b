"""Buyer text is shown as text everywhere the window shows it: no HTML a buyer writes is ever rendered.

Qt renders a QLabel or a tooltip as rich text whenever `GuiQt.mightBeRichText()` says so, so each place is checked by
what a user would see, not by the widget's settings alone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QLabel, QListView, QTableWidget, QWidget
from ui_sample_data import FakeBackend, insert_conversation, insert_message, sample_order

from magazyn_desktop.domain.records import LineItem
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.ui.conversation_list_model import ConversationListModel

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


def _add_hostile_conversation(paths: AppPaths) -> None:
    db = sqlite3.connect(paths.database)
    insert_conversation(db, "thread-html", login="kupujacy_html", minutes_ago=1, read=False, needs_reply=True,
                        order_id="order-html", snippet=HOSTILE)
    insert_message(db, "m-html-1", "thread-html", HOSTILE, minutes_ago=1, login="kupujacy_html")
    db.execute("INSERT INTO attachments (message_id, remote_id, file_name, mime_type) VALUES (?, ?, ?, ?)",
               ("m-html-1", "att-html", HOSTILE, "image/png"))
    db.commit()
    db.close()


def test_buyer_html_is_shown_literally_in_cards_list_tooltips_and_the_order_panel(
    qtbot: Any, make_window: Callable[..., Any], sample_paths: AppPaths, fake_backend: FakeBackend
) -> None:
    _add_hostile_conversation(sample_paths)
    order = replace(sample_order("order-html"), message_to_seller=HOSTILE,
                    line_items=(LineItem(offer_id="1", name=HOSTILE, sku="SKU-1", quantity=1),))
    fake_backend.client.get_order = lambda order_id: order  # type: ignore[method-assign]
    window = make_window()
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation("thread-html")
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
    rendered = [text for text in shown if "Proszę" in text and HOSTILE not in text]
    assert rendered == [], "buyer text rendered as HTML"
    literal = [text for text in shown if HOSTILE in text]
    # The message card, the order's note and item, the list row's tooltip (attachment names are sanitised first).
    assert len(literal) >= 4, literal

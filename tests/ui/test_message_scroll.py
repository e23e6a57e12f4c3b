"""A conversation opens on its newest message, and the scrollbar says so: its value at the end and its thumb drawn
at the foot of the groove, at the screen size warehouse PCs have."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QScrollBar, QStyle, QStyleOptionSlider
from ui_sample_data import demo_backend

from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_queries import list_page


def _rect(bar: QScrollBar, part: QStyle.SubControl) -> QRect:
    option = QStyleOptionSlider()
    bar.initStyleOption(option)
    return bar.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option, part, bar)


def test_the_thumb_is_at_the_foot_while_the_newest_message_shows(qtbot: Any, make_window: Callable[..., Any],
                                                                 context: Any) -> None:
    demo = DemoAllegro.interactive()  # conversations long enough to scroll at 1024x768
    window = make_window(backend_factory=lambda: demo_backend(context.paths, demo))
    window.place_on_screens([QRect(0, 0, 1024, 728)])
    connection = connect(context.paths.database, read_only=True)
    try:
        rows = list_page(connection, limit=500).rows
    finally:
        connection.close()
    # The claim with the longest chat, whatever the demo's wording: it must scroll.
    chat_length = {issue.id: sum(len(entry.text) for entry in issue.chat) for issue in demo.data.issues.values()}
    claim = max((r for r in rows if r.sub_kind == "CLAIM" and r.order_id), key=lambda r: chat_length[r.id])
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(claim.id)
    view = window.conversation_view().message_list()
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    qtbot.waitUntil(lambda: window.order_panel().isVisible())
    model = view.model()
    newest = view.visualRect(model.index(model.rowCount() - 1, 0))
    assert bar.value() == bar.maximum()
    assert newest.bottom() <= view.viewport().height() and newest.top() >= 0  # the newest card is in view
    thumb, groove = _rect(bar, QStyle.SubControl.SC_ScrollBarSlider), _rect(bar, QStyle.SubControl.SC_ScrollBarGroove)
    assert abs(thumb.bottom() - groove.bottom()) <= 1 and thumb.top() > groove.top()

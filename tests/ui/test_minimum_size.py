"""At the window's smallest size, and at large text on a 1024 px screen, nothing that carries meaning is cut: the
filter buttons show their whole names, the message cards and their attachment buttons fit the conversation, and
the reply box's buttons their labels."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QWidget
from ui_sample_data import ANNA, CLAIM_ID

from magazyn_desktop.ui.message_card_model import CARD_ROLE

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _inside(widget: QWidget, outer: QWidget) -> bool:
    place = QRect(widget.mapTo(outer, widget.rect().topLeft()), widget.size())
    return outer.rect().contains(place)


def _assert_nothing_cut(window: Any) -> int:
    """Checks the window; returns how many cards had attachment buttons."""
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.text():
            continue
        assert button.width() >= button.sizeHint().width(), (button.text(), button.width(), button.sizeHint())
        assert _inside(button, window), button.text()
    cards = window.conversation_view().message_list()
    delegate = cards.itemDelegate()
    model = cards.model()
    assert model.rowCount() > 0
    attachment_buttons = 0
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        rect = cards.visualRect(index)
        assert rect.width() <= cards.viewport().width(), row
        card = model.data(index, CARD_ROLE)
        if card is not None and card.attachments:
            attachment_buttons += 1
            for button, _attachment in delegate.attachment_buttons(rect, cards.font(), card):
                assert button.right() <= rect.right(), row
    return attachment_buttons


@pytest.mark.parametrize("conversation", [ANNA, CLAIM_ID], ids=["thread with an attachment", "claim"])
def test_at_the_smallest_size_nothing_is_cut(qtbot: Any, make_window: Callable[..., Any], conversation: str) -> None:
    window = make_window()
    window.resize(window.minimumSize())
    window.show()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(conversation)
    qtbot.waitUntil(lambda: window.conversation_view().message_list().model().rowCount() > 0, timeout=5000)
    qtbot.waitUntil(lambda: window.width() == window.minimumSize().width(), timeout=2000)
    with_attachments = _assert_nothing_cut(window)
    assert with_attachments > 0 or conversation != ANNA


def test_at_large_text_on_a_1024_screen_nothing_is_cut(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    window.place_on_screens([QRect(0, 0, 1024, 728)])
    window.show()
    window.set_zoom(1.5)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    qtbot.waitUntil(lambda: window.conversation_view().message_list().model().rowCount() > 0, timeout=5000)
    assert window.width() <= 1024
    assert _assert_nothing_cut(window) > 0

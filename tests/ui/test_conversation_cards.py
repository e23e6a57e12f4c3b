"""What a user does with the cards of a conversation: copy a message, select part of its text, open an attachment
(with the mouse or the keyboard), read an outbox entry's state, and what a screen reader is told."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QPlainTextEdit, QToolTip

from magazyn_desktop.domain.vocabulary import Kind, OutboxState, Role, SubKind
from magazyn_desktop.store.inbox_records import (
    AttachmentRow,
    ConversationDetail,
    ConversationRow,
    MessageRow,
    OutboxRow,
)
from magazyn_desktop.ui.conversation_view import ConversationView
from magazyn_desktop.ui.message_card_model import CARD_ROLE
from magazyn_desktop.ui.visible_text import tooltip_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen, shown views

AT = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
HOSTILE = "<b>Proszę</b> o fakturę\u202egpj.exe"
SHOWN = "<b>Proszę</b> o fakturę⟨U+202E⟩gpj.exe"
INVOICE = AttachmentRow(id=7, message_id="m2", remote_id="r7", file_name="faktura.pdf", mime_type="application/pdf",
                        url=None, local_path=None)


def _detail() -> ConversationDetail:
    row = ConversationRow(id="C" * 43, kind=Kind.THREAD.value, sub_kind=SubKind.COMMON.value, status="OPEN",
                          can_reply=True, read=True, needs_reply=True, closed=False, last_activity_at=AT,
                          interlocutor_login="kupujacy", order_id=None, subject=None, snippet=None,
                          decision_due_at=None)
    messages = (
        MessageRow(id="m1", author_role=Role.BUYER.value, author_login="kupujacy", text=HOSTILE,
                   created_at=AT - timedelta(minutes=3)),
        MessageRow(id="m2", author_role=Role.SELLER.value, author_login="sklep", text="Faktura w załączniku.",
                   created_at=AT - timedelta(minutes=2), attachments=(INVOICE,)),
    )
    failed = OutboxRow(id=1, text="Dziękuję za zakupy.", state=OutboxState.FAILED.value, attempts=1,
                       created_at=AT, sent_at=None, error_code="REJECTED", error_message="Wątek jest zamknięty.")
    return ConversationDetail(conversation=row, messages=messages, outbox=(failed,), draft="")


@pytest.fixture
def view(qtbot: Any) -> ConversationView:
    shown = ConversationView()
    qtbot.addWidget(shown)
    shown.resize(700, 600)
    shown.show()
    qtbot.waitExposed(shown)
    shown.show_detail(_detail())
    return shown


def _index(view: ConversationView, row: int) -> QModelIndex:
    return view.message_list().model().index(row, 0)


def test_cards_show_the_texts_as_typed_and_the_outbox_state(view: ConversationView) -> None:
    assert view.message_texts() == [SHOWN, "Faktura w załączniku.", "Dziękuję za zakupy."]
    assert view.outbox_states() == ["error: Wątek jest zamknięty."]
    assert _index(view, 2).data(CARD_ROLE).problem  # a failed reply is highlighted
    assert not _index(view, 1).data(CARD_ROLE).problem


def test_ctrl_c_copies_the_chosen_messages_text(qtbot: Any, view: ConversationView) -> None:
    cards = view.message_list()
    cards.setFocus()
    cards.setCurrentIndex(_index(view, 0))
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(cards, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == SHOWN
    cards.selectAll()
    qtbot.keyClick(cards, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "\n\n".join(view.message_texts())


@pytest.mark.parametrize("key", [Qt.Key.Key_F2, Qt.Key.Key_Return])
def test_a_key_opens_the_messages_text_for_selecting_as_plain_read_only_text(
    qtbot: Any, view: ConversationView, key: Qt.Key
) -> None:
    cards = view.message_list()
    cards.setFocus()
    cards.setCurrentIndex(_index(view, 0))
    qtbot.keyClick(cards, key)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit)
    assert editor.isReadOnly() and editor.toPlainText() == SHOWN
    assert editor.textCursor().selectedText() == SHOWN  # all selected: Ctrl+C copies the whole message
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(editor, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == SHOWN


def test_a_double_click_on_the_text_opens_it_for_selecting_but_not_on_a_button(
    qtbot: Any, view: ConversationView
) -> None:
    cards = view.message_list()
    [(place, _attachment)] = view.attachment_buttons(_index(view, 1))
    qtbot.mouseDClick(cards.viewport(), Qt.MouseButton.LeftButton, pos=place.center())
    assert cards.state() != QAbstractItemView.State.EditingState
    card_top = cards.visualRect(_index(view, 1)).topLeft()
    qtbot.mouseDClick(cards.viewport(), Qt.MouseButton.LeftButton, pos=card_top + QPoint(30, 30))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == "Faktura w załączniku."


def test_clicking_an_attachments_button_asks_for_it(qtbot: Any, view: ConversationView) -> None:
    assert view.attachment_labels() == [("faktura.pdf", "Download and open faktura.pdf")]
    [(place, attachment)] = view.attachment_buttons(_index(view, 1))
    assert attachment == INVOICE
    with qtbot.waitSignal(view.attachment_requested, timeout=2000) as blocker:
        qtbot.mouseClick(view.message_list().viewport(), Qt.MouseButton.LeftButton, pos=place.center())
    assert blocker.args == [INVOICE]


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                           "This plugin does not support raise")  # the tooltip, offscreen
def test_an_attachments_button_has_its_tooltip_shown_literally(qtbot: Any, view: ConversationView) -> None:
    [(place, _attachment)] = view.attachment_buttons(_index(view, 1))
    viewport = view.message_list().viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, place.center(),
                                                viewport.mapToGlobal(place.center())))
    qtbot.waitUntil(lambda: QToolTip.isVisible(), timeout=2000)
    assert QToolTip.text() == tooltip_text("Download and open faktura.pdf")
    QToolTip.hideText()


def test_clicking_beside_the_button_asks_for_nothing(qtbot: Any, view: ConversationView) -> None:
    asked: list[object] = []
    view.attachment_requested.connect(asked.append)
    [(place, _attachment)] = view.attachment_buttons(_index(view, 1))
    beside = QPoint(place.right() + 20, place.center().y())
    qtbot.mouseClick(view.message_list().viewport(), Qt.MouseButton.LeftButton, pos=beside)
    assert asked == []


def test_the_cards_menu_copies_selects_and_opens_attachments(qtbot: Any, view: ConversationView) -> None:
    menu = view.card_menu(_index(view, 1))
    texts = [action.text().replace("&", "") for action in menu.actions() if not action.isSeparator()]
    assert texts[:2] == ["Copy text", "Select text"]
    [open_invoice] = [action for action in menu.actions() if "faktura.pdf" in action.text()]
    with qtbot.waitSignal(view.attachment_requested, timeout=2000) as blocker:
        open_invoice.trigger()
    assert blocker.args == [INVOICE]


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints", "This plugin does not support raise",
                           "This plugin does not support grabbing")  # the menu, offscreen
def test_the_menu_key_opens_the_current_cards_menu(view: ConversationView) -> None:
    opened: list[list[str]] = []

    def read_and_close() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            opened.append([action.text() for action in menu.actions()])
            menu.close()

    cards = view.message_list()
    cards.setFocus()
    cards.setCurrentIndex(_index(view, 1))
    QTimer.singleShot(0, read_and_close)  # runs inside the menu's own event loop
    menu_key = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(0, 0), cards.mapToGlobal(QPoint(0, 0)))
    QApplication.sendEvent(cards, menu_key)
    assert len(opened) == 1 and any("faktura.pdf" in text for text in opened[0])


def test_screen_readers_get_each_cards_author_text_and_state(view: ConversationView) -> None:
    buyer = _index(view, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "kupujacy" in buyer and SHOWN in buyer
    assert "faktura.pdf" in _index(view, 1).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Wątek jest zamknięty." in _index(view, 2).data(Qt.ItemDataRole.AccessibleTextRole)


def test_focus_goes_to_the_newest_card(view: ConversationView) -> None:
    view.focus_messages()
    cards = view.message_list()
    assert cards.hasFocus()
    assert cards.currentIndex().row() == cards.model().rowCount() - 1


def test_a_conversation_allegro_no_longer_shows_says_it_is_kept_here(view: ConversationView) -> None:
    assert "only on this computer" not in view.header_facts()
    view.show_detail(replace(_detail(), kept_locally_since=AT))
    assert "kept only on this computer" in view.header_facts()
    assert view.message_texts()[0] == SHOWN  # and it reads as any other


@pytest.mark.parametrize("team", [True, False], ids=["team", "single-bench"])
def test_in_team_mode_a_replys_card_names_who_wrote_it(qtbot: Any, team: bool) -> None:
    shown = ConversationView(show_authors=team)
    qtbot.addWidget(shown)
    detail = _detail()
    sent, buyer = replace(detail.messages[1], written_by="Ania @ Stanowisko 1"), detail.messages[0]
    queued = replace(detail.outbox[0], author="Bartek @ Stanowisko 2")
    shown.show_detail(replace(detail, messages=(buyer, sent), outbox=(queued,)))
    headers = [_index(shown, row).data(CARD_ROLE).header for row in range(3)]
    if team:
        assert headers[1].startswith("Ania @ Stanowisko 1 · ")
        assert headers[2].startswith("Bartek @ Stanowisko 2 · ")
        assert "Ania @ Stanowisko 1" in _index(shown, 1).data(Qt.ItemDataRole.AccessibleTextRole)
    else:  # a single bench's cards as they always were
        assert headers[1].startswith("You · ") and headers[2].startswith("You · ")
    assert headers[0].startswith("Buyer (kupujacy) · ")

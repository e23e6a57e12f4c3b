"""A conversation that takes no reply: the reply box is visibly disabled and says why (a closed thread, a decided
claim or discussion, a chat Allegro paused); one that takes replies gets a box ready for typing."""

from __future__ import annotations

from typing import Any

import pytest

from magazyn_desktop.store.inbox_records import ConversationRow
from magazyn_desktop.ui import i18n
from magazyn_desktop.ui.composer import Composer


@pytest.fixture
def polish(qapp: Any) -> None:
    assert i18n.install_translator("pl")


def _row(kind: str, sub_kind: str, status: str | None, *, can_reply: bool, closed: bool) -> ConversationRow:
    return ConversationRow(id="c-1", kind=kind, sub_kind=sub_kind, status=status, can_reply=can_reply, read=True,
                           needs_reply=False, closed=closed, last_activity_at=None, interlocutor_login="anna_k",
                           order_id=None, subject=None, snippet=None, decision_due_at=None)


@pytest.mark.parametrize("row, says", [
    (_row("thread", "COMMON", "CLOSED", can_reply=False, closed=True), "zamknięta"),
    (_row("issue", "CLAIM", "CLAIM_ACCEPTED", can_reply=False, closed=True), "uznana"),
    (_row("issue", "CLAIM", "CLAIM_REJECTED", can_reply=False, closed=True), "odrzucona"),
    (_row("issue", "DISPUTE", "DISPUTE_CLOSED", can_reply=False, closed=True), "Dyskusja"),
    (_row("issue", "DISPUTE", "DISPUTE_ONGOING", can_reply=False, closed=True), "czat"),
])
def test_a_conversation_without_replies_says_why_and_its_box_is_disabled(
        polish: None, qtbot: Any, row: ConversationRow, says: str) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.set_conversation(row, draft="")
    assert says in composer.blocked_reason()
    editor = composer.editor()
    assert not editor.isEnabled()
    assert "Ctrl+Enter" not in editor.placeholderText()  # no invitation to type
    assert ":disabled" in editor.styleSheet()  # drawn grey, not as the white box that takes typing
    assert not composer._send_button.isEnabled() and not composer._attach_button.isEnabled()
    assert not composer._counter.isVisibleTo(composer)  # "0 / 2000" would suggest writing


def test_an_open_conversation_gets_a_box_for_typing(polish: None, qtbot: Any) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.set_conversation(_row("issue", "CLAIM", "CLAIM_SUBMITTED", can_reply=True, closed=False))
    assert composer.blocked_reason() == ""
    assert composer.editor().isEnabled()
    assert "Ctrl+Enter" in composer.editor().placeholderText()
    assert composer._counter.isVisibleTo(composer)


def test_no_conversation_says_to_choose_one(polish: None, qtbot: Any) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    assert not composer.editor().isEnabled()
    assert composer.blocked_reason() == ""  # nothing to explain: the box's placeholder says it
    assert "Wybierz rozmowę" in composer.editor().placeholderText()

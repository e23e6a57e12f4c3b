"""Deciding a claim from the window: the dialog's choices, the domain's refusals shown in it (nothing stored), the
confirmation that names buyer, order and amount, and the decision sent with the claim's state in words."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any, Callable

import pytest
from PySide6.QtGui import QAction
from ui_sample_data import ANNA, CLAIM_ID, ORDER_EWA

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.domain.claim_decision import DecisionChoice, DecisionRefused, Money, Refusal
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.ui.claim_decision_dialog import ClaimDecisionDialog, amount_and_currency

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen dialogs


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=10000)


def _stored_decisions(context: AppContext) -> int:
    db = sqlite3.connect(context.paths.database)
    try:
        return int(db.execute("SELECT count(*) FROM claim_decisions").fetchone()[0])
    finally:
        db.close()


def _open_dialog(qtbot: Any, window: Any, conversation_id: str = CLAIM_ID) -> ClaimDecisionDialog:
    _idle(qtbot, window)  # the first sync and the claim's order are in the cache
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(conversation_id)
    action = next(a for a in window.actions() if a.shortcut().toString() == "Ctrl+D")
    assert isinstance(action, QAction)
    with qtbot.waitSignal(window.claim_decision_dialog_opened, timeout=5000) as opened:
        action.trigger()
    dialog = opened.args[0]
    assert isinstance(dialog, ClaimDecisionDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    return dialog


def test_the_dialog_offers_exactly_the_specs_choices_accepting_apart_from_rejecting(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    dialog = _open_dialog(qtbot, make_window())
    buttons = dialog.choice_buttons()
    assert list(buttons) == list(DecisionChoice)
    assert len(buttons) == 11
    groups = {button.parentWidget() for button in buttons.values()}
    assert len(groups) == 2
    accepting = {c for c, b in buttons.items() if b.parentWidget() is buttons[DecisionChoice.ACCEPTED_REFUND].parentWidget()}
    assert accepting == {c for c in DecisionChoice if c.value.startswith("ACCEPTED_")}
    assert buttons[DecisionChoice.ACCEPTED_REFUND].text() == "Uznaję: zwrot pieniędzy"
    dialog.reject()


@pytest.mark.parametrize(("typed", "refusal", "details"), [
    ("1000,00", Refusal.AMOUNT_OVER_ORDER_TOTAL, {"amount": Money(Decimal("1000.00"), "PLN"),
                                                "total": Money(Decimal("88.97"), "PLN")}),
    ("0", Refusal.AMOUNT_NOT_POSITIVE, {}),
    ("10 EUR", Refusal.OTHER_CURRENCY, {"currency": "EUR", "order_currency": "PLN"}),
])
def test_a_partial_refund_the_domain_refuses_is_shown_in_the_dialog_and_nothing_is_stored(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro,
        typed: str, refusal: Refusal, details: dict[str, object]) -> None:
    window = make_window()
    dialog = _open_dialog(qtbot, window)
    dialog.choose(DecisionChoice.ACCEPTED_PARTIAL_REFUND)
    dialog.message_editor().setPlainText("Zwracamy część ceny za pęknięty kubek.")
    dialog.amount_box().setText(typed)
    dialog.next_button().click()
    assert dialog.problem_text() == DecisionRefused(refusal, **details).words("pl")
    assert dialog.confirmation_text() == ""
    assert dialog.isVisible()
    dialog.reject()
    _idle(qtbot, window)
    assert _stored_decisions(context) == 0
    assert fake_allegro.request_counts().get("POST /sale/issues/{id}/status", 0) == 0


def test_a_decision_without_a_message_is_refused_inline(qtbot: Any, make_window: Callable[..., Any]) -> None:
    dialog = _open_dialog(qtbot, make_window())
    dialog.choose(DecisionChoice.REJECTED_MINOR_DEFECT)
    dialog.next_button().click()
    assert dialog.problem_text() == DecisionRefused(Refusal.MESSAGE_MISSING).words("pl")
    dialog.reject()


def test_a_confirmed_partial_refund_names_buyer_order_and_amount_and_the_claim_is_accepted_in_words(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro) -> None:
    window = make_window()
    dialog = _open_dialog(qtbot, window)
    dialog.choose(DecisionChoice.ACCEPTED_PARTIAL_REFUND)
    dialog.message_editor().setPlainText("Zwracamy część ceny za pęknięty kubek.")
    dialog.amount_box().setText("25,50")
    dialog.next_button().click()
    assert dialog.confirmation_text() == (
        f"Uznać reklamację kupującego ewa_w do zamówienia {ORDER_EWA[:8]}…: częściowy zwrot 25,50 zł?")
    dialog.confirm_button().click()
    qtbot.waitUntil(lambda: fake_allegro.data.issues[CLAIM_ID].status == "CLAIM_ACCEPTED", timeout=10000)
    assert fake_allegro.data.issues[CLAIM_ID].decided_refund == "25.50"
    view = window.conversation_view()
    qtbot.waitUntil(lambda: "uznana – częściowy zwrot 25,50 zł" in view.header_facts(), timeout=10000)
    assert "zamknięta" not in view.header_facts()
    assert view.decision_text() == "Decyzja „Uznaję: zwrot części ceny (podaj kwotę): 25,50 zł”: wysłane"
    _idle(qtbot, window)
    assert fake_allegro.request_counts()["POST /sale/issues/{id}/status"] == 1
    assert _stored_decisions(context) == 1
    assert not window.decide_claim_button().isVisible()  # decided: nothing more to decide


def test_an_open_claim_shows_its_state_and_the_decide_button(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    _idle(qtbot, window)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(CLAIM_ID)
    assert "czeka na decyzję" in window.conversation_view().header_facts()
    assert window.decide_claim_button().isVisible()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    assert not window.decide_claim_button().isVisible()


def test_ctrl_d_outside_an_open_claim_says_so_and_opens_nothing(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    _idle(qtbot, window)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    action = next(a for a in window.actions() if a.shortcut().toString() == "Ctrl+D")
    with qtbot.waitSignal(window.user_message, timeout=2000):
        action.trigger()
    assert window.findChild(ClaimDecisionDialog) is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("25,50", ("25,50", None)), ("10 EUR", ("10", "EUR")), ("25,50 zł", ("25,50", "PLN")), ("7€", ("7", "EUR")),
    ("", ("", None)),
])
def test_a_currency_written_after_the_amount_is_read(typed: str, expected: tuple[str, str | None]) -> None:
    assert amount_and_currency(typed) == expected

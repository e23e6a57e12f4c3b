"""The types an issue's message may carry, offered in the reply box where they apply and carried through the
outbox to Allegro's request: END_REQUEST in a dispute, the return types in a claim, none in a thread."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from ui_sample_data import ANNA, CLAIM_ID, add_issue, sample_data, uuid_of

from magazyn_desktop.domain.issue_messages import IssueMessageType
from magazyn_desktop.fake_allegro import DemoAllegro

DISPUTE_ID = uuid_of(0xD15B)


@pytest.fixture
def fake_allegro() -> DemoAllegro:
    data = sample_data()
    add_issue(data, DISPUTE_ID, "piotr_s", "Paczka przyszła pusta.", kind="DISPUTE", status="DISPUTE_ONGOING")
    return DemoAllegro(data)


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=10000)


def _open(qtbot: Any, window: Any, conversation_id: str) -> None:
    _idle(qtbot, window)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(conversation_id)


def _send(qtbot: Any, window: Any, fake: DemoAllegro, conversation_id: str, text: str) -> None:
    window.composer().set_text(text)
    window.composer().send()
    qtbot.waitUntil(lambda: any(m.text == text for m in fake.sent_messages(conversation_id)), timeout=10000)
    _idle(qtbot, window)


def test_a_claim_offers_the_return_types_and_the_chosen_one_reaches_allegro(
        qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro) -> None:
    window = make_window()
    _open(qtbot, window, CLAIM_ID)
    composer = window.composer()
    assert composer.message_type_choices() == [
        (IssueMessageType.REGULAR, "Zwykła wiadomość"),
        (IssueMessageType.RETURN_REQUIRED_SELLER_LABEL, "Poproś o odesłanie produktu – etykietę zwrotną dajemy my"),
        (IssueMessageType.RETURN_REQUIRED_CUSTOM, "Poproś o odesłanie produktu – jak, piszemy w wiadomości"),
        (IssueMessageType.RETURN_NOT_REQUIRED, "Produktu nie trzeba odsyłać"),
    ]
    assert composer.message_type_box().isVisible()
    composer.set_message_type(IssueMessageType.RETURN_NOT_REQUIRED)
    _send(qtbot, window, fake_allegro, CLAIM_ID, "Kubek proszę zatrzymać, zwracamy pieniądze.")
    sent = [m for m in fake_allegro.sent_messages(CLAIM_ID) if m.text.startswith("Kubek proszę")]
    assert [m.message_type for m in sent] == ["RETURN_NOT_REQUIRED"]
    assert composer.message_type() is IssueMessageType.REGULAR  # the next reply starts plain again


def test_a_dispute_offers_to_ask_for_its_end(qtbot: Any, make_window: Callable[..., Any],
                                             fake_allegro: DemoAllegro) -> None:
    window = make_window()
    _open(qtbot, window, DISPUTE_ID)
    composer = window.composer()
    assert composer.message_type_choices() == [
        (IssueMessageType.REGULAR, "Zwykła wiadomość"),
        (IssueMessageType.END_REQUEST, "Poproś o zakończenie dyskusji"),
    ]
    composer.set_message_type(IssueMessageType.END_REQUEST)
    _send(qtbot, window, fake_allegro, DISPUTE_ID, "Wysłaliśmy nową paczkę, czy możemy zakończyć dyskusję?")
    assert fake_allegro.sent_messages(DISPUTE_ID)[-1].message_type == "END_REQUEST"


def test_a_thread_takes_no_type(qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro) -> None:
    window = make_window()
    _open(qtbot, window, ANNA)
    assert not window.composer().message_type_box().isVisible()
    assert window.composer().message_type_choices() == [(IssueMessageType.REGULAR, "Zwykła wiadomość")]

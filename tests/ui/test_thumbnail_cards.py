"""In the conversation, an image attachment saved on this computer shows as a thumbnail (clicked like its button), a
PDF as a document with its name, and anything else, or an image that is not sound, as the plain button."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt
from ui_sample_data import ANNA, ANNA_ATTACHMENT, write_png

from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.fake_allegro import DemoAllegro, DisguisedFile
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.inbox_records import AttachmentRow, ConversationDetail, ConversationRow, MessageRow
from magazyn_desktop.ui.conversation_view import ConversationView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen, shown views

AT = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)


def _attachment(number: int, name: str, mime: str | None, local: Path | None) -> AttachmentRow:
    return AttachmentRow(id=number, message_id="m1", remote_id=f"r{number}", file_name=name, mime_type=mime,
                         url=None, local_path=str(local) if local else None)


def _detail(*attachments: AttachmentRow) -> ConversationDetail:
    row = ConversationRow(id="C" * 43, kind=Kind.THREAD.value, sub_kind=SubKind.COMMON.value, status="OPEN",
                          can_reply=True, read=True, needs_reply=True, closed=False, last_activity_at=AT,
                          interlocutor_login="kupujacy", order_id=None, subject=None, snippet=None,
                          decision_due_at=None)
    messages = (
        MessageRow(id="m0", author_role=Role.BUYER.value, author_login="kupujacy", text="Dzień dobry",
                   created_at=AT - timedelta(minutes=3)),
        MessageRow(id="m1", author_role=Role.BUYER.value, author_login="kupujacy", text="Tak przyszła paczka.",
                   created_at=AT - timedelta(minutes=2), attachments=attachments),
    )
    return ConversationDetail(conversation=row, messages=messages, outbox=(), draft="")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "attachments"
    made.mkdir()
    return made


@pytest.fixture
def view(qtbot: Any, folder: Path) -> ConversationView:
    shown = ConversationView(attachments_folder=folder)
    qtbot.addWidget(shown)
    shown.resize(700, 600)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _card(view: ConversationView) -> QModelIndex:
    return view.message_list().model().index(1, 0)


def test_a_saved_photo_shows_as_a_thumbnail_and_the_card_grows_for_it(qtbot: Any, view: ConversationView,
                                                                      folder: Path) -> None:
    photo = _attachment(1, "paczka.png", "image/png", write_png(folder / "paczka.png", 300, 200))
    view.show_detail(_detail(photo))
    cards = view.message_list()
    before = cards.visualRect(_card(view)).height()
    assert view.attachment_looks() == [("paczka.png", "button")]  # until it is decoded
    qtbot.waitUntil(lambda: view.attachment_looks() == [("paczka.png", "thumbnail")], timeout=5000)
    qtbot.waitUntil(lambda: cards.visualRect(_card(view)).height() >= before + 100, timeout=5000)
    [(place, _row)] = view.attachment_buttons(_card(view))
    assert place.width() >= 160 and place.height() >= 106
    assert view.attachment_labels() == [("paczka.png", "Open paczka.png")]  # saved here: nothing to download
    assert cards.visualRect(_card(view)).contains(place)


def test_clicking_a_thumbnail_opens_the_attachment_like_its_button(qtbot: Any, view: ConversationView,
                                                                   folder: Path) -> None:
    photo = _attachment(1, "paczka.png", "image/png", write_png(folder / "paczka.png", 300, 200))
    view.show_detail(_detail(photo))
    qtbot.waitUntil(lambda: view.attachment_looks() == [("paczka.png", "thumbnail")], timeout=5000)
    cards = view.message_list()
    qtbot.waitUntil(lambda: view.attachment_buttons(_card(view))[0][0].height() > 100
                    and cards.visualRect(_card(view)).contains(view.attachment_buttons(_card(view))[0][0]),
                    timeout=5000)  # the row laid out again for the thumbnail
    [(place, _row)] = view.attachment_buttons(_card(view))
    with qtbot.waitSignal(view.attachment_requested, timeout=2000) as asked:
        qtbot.mouseClick(view.message_list().viewport(), Qt.MouseButton.LeftButton, pos=place.center())
    assert asked.args[0].id == photo.id


def test_the_thumbnail_follows_the_zoom(qtbot: Any, view: ConversationView, folder: Path) -> None:
    photo = _attachment(1, "paczka.png", "image/png", write_png(folder / "paczka.png", 800, 600))
    view.set_thumbnail_scale(1.5)
    view.show_detail(_detail(photo))
    qtbot.waitUntil(lambda: view.attachment_buttons(_card(view))[0][0].width() >= 240, timeout=5000)


def test_a_pdf_shows_as_a_document_with_its_name_and_others_as_buttons(qtbot: Any, view: ConversationView,
                                                                       folder: Path) -> None:
    pdf = _attachment(1, "faktura.pdf", "application/pdf", None)
    other = _attachment(2, "dane.csv", "text/csv", None)
    not_saved = _attachment(3, "zdjecie.jpg", "image/jpeg", None)
    view.show_detail(_detail(pdf, other, not_saved))
    assert view.attachment_looks() == [("faktura.pdf", "document"), ("dane.csv", "button"),
                                       ("zdjecie.jpg", "button")]


@pytest.mark.parametrize(("name", "mime", "content"), [
    ("notatka.png", "image/png", "To tylko tekst.\n".encode()),  # a renamed text file
    ("paczka.png", "image/png", None),  # truncated, written below
    ("paczka.png", "application/pdf", b"png"),  # Allegro says it is no image: the bytes are not even looked at
])
def test_an_image_that_is_not_sound_keeps_its_button(qtbot: Any, view: ConversationView, folder: Path,
                                                     name: str, mime: str, content: bytes | None) -> None:
    path = folder / name
    if content is None:
        whole = write_png(path, 400, 300).read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    else:
        path.write_bytes(content)
    view.show_detail(_detail(_attachment(1, name, mime, path)))
    height = view.message_list().visualRect(_card(view)).height()
    qtbot.waitUntil(lambda: view.thumbnails().pending_count() == 0, timeout=5000)
    assert view.attachment_looks() == [(name, "button")]
    assert view.message_list().visualRect(_card(view)).height() == height


def test_a_downloaded_photo_is_remembered_and_shows_its_thumbnail(qtbot: Any, make_window: Callable[..., Any],
                                                                  fake_allegro: DemoAllegro, sample_paths: AppPaths,
                                                                  tmp_path: Path) -> None:
    real = write_png(tmp_path / "zrodlo.jpg", 800, 600).read_bytes()
    fake_allegro.faults.disguised_download = DisguisedFile("zdjęcie paczki.jpg", real, "image/jpeg")
    window = make_window()
    window.open_file = lambda _path: None
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    view = window.conversation_view()
    assert ("zdjęcie paczki.jpg", "button") in view.attachment_looks()
    attachment = view.detail.messages[1].attachments[0]
    with qtbot.waitSignal(window.attachment_saved, timeout=5000) as saved:
        view.attachment_requested.emit(attachment)
    qtbot.waitUntil(lambda: ("zdjęcie paczki.jpg", "thumbnail") in view.attachment_looks(), timeout=5000)
    db = sqlite3.connect(sample_paths.database)
    try:
        stored = db.execute("SELECT local_path FROM attachments WHERE remote_id=?", (ANNA_ATTACHMENT,)).fetchone()
    finally:
        db.close()
    assert stored == (str(saved.args[0]),)

    def photo_width() -> int:
        [card] = [row for row in range(view.message_list().model().rowCount())
                  if view.attachment_buttons(view.message_list().model().index(row, 0))]
        return view.attachment_buttons(view.message_list().model().index(card, 0))[0][0].width()

    qtbot.waitUntil(lambda: 160 <= photo_width() < 200, timeout=5000)
    window.set_zoom(1.6)  # the window's zoom makes the thumbnail larger too
    qtbot.waitUntil(lambda: photo_width() >= 256, timeout=5000)
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)

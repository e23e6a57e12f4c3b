"""Makes the screenshots in docs/ from the demo backend, offscreen: docs/screenshot.png (the README's), and in
docs/screens/ each scene at the two screens warehouse PCs have, 1024x768 and 1366x768 (a 40 px taskbar taken off):

    list        the inbox just after the first sync
    claim       a claim with its order card
    claim-decision  the decision dialog open over an open claim, a partial refund filled in
    search      a search with its matches highlighted, the first result open
    deadlines   the "Terminy" filter: what is due soonest first, the most urgent open
    first-run   the first-run screen of a computer never connected
    sign-in     an account whose sign-in Allegro refused: the banner over the saved conversations
    templates   Ctrl+T's template picker over a conversation with its order, narrowed by what was typed

    python docs/screenshot.py [--lang pl|en] [--only SCENE ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DOCS = Path(__file__).resolve().parent
SCREENS = ((1024, 768), (1366, 768))
TASKBAR = 40
SEARCHED = "paczka"


def _wait(signal: Any, timeout_ms: int = 15000, settle_ms: int = 300) -> None:
    """Run the event loop until `signal` fires (or the timeout), then a moment more for the paint."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(lambda *_args: QTimer.singleShot(settle_ms, loop.quit))
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def _settle(ms: int = 400) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _window(paths: Any, language: str, size: tuple[int, int], *, demo: bool = True,
            backend_factory: Callable[[], Any] | None = None) -> Any:
    from PySide6.QtCore import QRect

    from magazyn_desktop.app.context import AppContext
    from magazyn_desktop.ui.main_window import MainWindow

    window = MainWindow(AppContext(paths=paths, language=language, demo=demo), backend_factory=backend_factory)
    window.place_on_screens([QRect(0, 0, size[0], size[1] - TASKBAR)])
    window.show()
    window.start_background_work()
    _wait(window.initial_sync_finished)
    return window


def _rows(paths: Any) -> list[Any]:
    from magazyn_desktop.store.db import connect
    from magazyn_desktop.store.inbox_queries import list_page

    connection = connect(paths.database, read_only=True)
    try:
        return list(list_page(connection, limit=500).rows)
    finally:
        connection.close()


def _open(window: Any, conversation_id: str) -> None:
    window.open_conversation(conversation_id)
    _wait(window.order_displayed, timeout_ms=8000)


def _fresh_paths(folder: Path, name: str) -> Any:
    from magazyn_desktop.paths import resolve_paths
    from magazyn_desktop.store.migrate import upgrade_to_head

    paths = resolve_paths(folder / name)
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    return paths


def _grab(window: Any, dialog: Any | None = None) -> Any:
    """The window with what is open over it painted in, as offscreen has no window manager to: `dialog` centred
    over the window dimmed behind it (a modal one), or else each visible dialog of the window where it sits."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter, QPen
    from PySide6.QtWidgets import QApplication, QDialog

    image = window.grab()
    painter = QPainter(image)
    painter.setPen(QPen(QColor("#5f6b7a"), 1))  # offscreen dialogs have no frame of their own
    if dialog is not None:
        picture = dialog.grab()
        place = window.rect().center() - picture.rect().center()
        painter.fillRect(image.rect(), QColor(0, 0, 0, 60))
        painter.drawPixmap(place, picture)
        painter.drawRect(picture.rect().translated(place).adjusted(0, 0, -1, -1))
    else:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and widget.parent() is window:
                place = widget.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
                painter.drawPixmap(place, widget.grab())
                painter.drawRect(place.x() - 1, place.y() - 1, widget.width() + 1, widget.height() + 1)
    painter.end()
    return image


def scene_list(window: Any, paths: Any) -> None:
    del window, paths


def _open_claim(window: Any, paths: Any, *, undecided: bool = False) -> None:
    rows = _rows(paths)
    claims = [r for r in rows if r.sub_kind == "CLAIM" and r.order_id
              and (not undecided or r.status == "CLAIM_SUBMITTED")]
    claim = claims[0] if claims else next(r for r in rows if r.kind == "ISSUE")
    _open(window, claim.id)


def scene_claim(window: Any, paths: Any) -> None:
    _open_claim(window, paths)


def scene_claim_decision(window: Any, paths: Any) -> Any:
    from magazyn_desktop.domain.claim_decision import DecisionChoice

    _open_claim(window, paths, undecided=True)
    opened: list[Any] = []
    window.claim_decision_dialog_opened.connect(opened.append)
    window.decide_claim()
    _wait(window.claim_decision_dialog_opened, timeout_ms=5000)
    dialog = opened[0]
    dialog.choose(DecisionChoice.ACCEPTED_PARTIAL_REFUND)
    dialog.amount_box().setText("25,50")
    dialog.message_editor().setPlainText(
        "Dzień dobry, przepraszamy za rysę na obudowie. Zwracamy 25,50 zł, a produkt może Pani zatrzymać.")
    _settle(300)
    return dialog


def scene_search(window: Any, paths: Any) -> None:
    from magazyn_desktop.ui.conversation_list_model import ID_ROLE

    del paths
    window.search_box().setText(SEARCHED)
    _settle(900)
    model = window.list_model()
    if model.rowCount() > 0:
        _open(window, model.index(0, 0).data(ID_ROLE))


def scene_templates(window: Any, paths: Any) -> None:
    rows = _rows(paths)
    chosen = next((r for r in rows if r.needs_reply and r.order_id and r.can_reply), rows[0])
    _open(window, chosen.id)
    _settle(300)
    window.composer().focus_editor()
    window.reply_templates().open_picker()
    picker = window.reply_templates().picker()
    if picker is not None:
        picker.search_box().setText("sta")
    _settle(400)


def scene_deadlines(window: Any, paths: Any) -> None:
    from magazyn_desktop.store.inbox_records import Filter
    from magazyn_desktop.ui.conversation_list_model import ID_ROLE

    del paths
    window.set_filter(Filter.DEADLINES)
    _settle(600)
    model = window.list_model()
    if model.rowCount() > 0:
        _open(window, model.index(0, 0).data(ID_ROLE))


def _sign_in_window(paths: Any, language: str, size: tuple[int, int]) -> Any:
    """The demo's conversations under an account whose refresh token Allegro no longer takes."""
    from magazyn_desktop.app.backend_types import NoAccount, SignInNeed
    from magazyn_desktop.allegro.environments import PRODUCTION
    from magazyn_desktop.store.repository import Store

    def refused() -> Any:
        store = Store.open(paths.database)
        account_id = store.ensure_account("demo")
        return NoAccount(paths=paths, store=store, environment=PRODUCTION, account_id=account_id,
                         need=SignInNeed.REFUSED, login=store.account_login(account_id))

    return _window(paths, language, size, backend_factory=refused)


SCENES = ("list", "claim", "claim-decision", "search", "templates", "deadlines", "first-run", "sign-in")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", default="pl", choices=("pl", "en"))
    parser.add_argument("--only", nargs="*", choices=SCENES + ("readme",))
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    wanted = set(args.only or (*SCENES, "readme"))
    out = DOCS / "screens"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="magazyn-screenshot-") as folder:
        demo_paths = _fresh_paths(Path(folder), "demo")
        if "readme" in wanted:
            window = _window(demo_paths, args.lang, (1366, 768))
            rows = _rows(demo_paths)
            chosen = next((r for r in rows if r.needs_reply and r.order_id and r.can_reply), rows[0])
            _open(window, chosen.id)
            window.grab().save(str(DOCS / "screenshot.png"))
            window.shutdown()
            print(DOCS / "screenshot.png")
        for width, height in SCREENS:
            scenes: tuple[tuple[str, Callable[[Any, Any], Any]], ...] = (
                ("list", scene_list), ("claim", scene_claim), ("claim-decision", scene_claim_decision),
                ("search", scene_search), ("templates", scene_templates), ("deadlines", scene_deadlines))
            for name, scene in scenes:
                if name not in wanted:
                    continue
                window = _window(demo_paths, args.lang, (width, height))
                dialog = scene(window, demo_paths)
                target = out / f"{width}x{height}-{name}.png"
                _grab(window, dialog).save(str(target))
                if dialog is not None:
                    dialog.reject()
                window.shutdown()
                print(target)
            if "first-run" in wanted:
                blank = _fresh_paths(Path(folder), f"blank-{width}")
                window = _window(blank, args.lang, (width, height), demo=False)
                target = out / f"{width}x{height}-first-run.png"
                window.grab().save(str(target))
                window.shutdown()
                print(target)
            if "sign-in" in wanted:
                window = _sign_in_window(demo_paths, args.lang, (width, height))
                target = out / f"{width}x{height}-sign-in.png"
                window.grab().save(str(target))
                window.shutdown()
                print(target)
    del app


if __name__ == "__main__":
    main()

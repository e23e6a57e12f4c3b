"""Makes docs/screenshot.png from the demo backend: the whole launch offscreen, one conversation with an order open.

    python docs/screenshot.py [--lang pl|en] [--output docs/screenshot.png]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="pl", choices=("pl", "en"))
    parser.add_argument("--output", default=str(Path(__file__).with_name("screenshot.png")))
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from magazyn_desktop.app.context import AppContext
    from magazyn_desktop.paths import resolve_paths
    from magazyn_desktop.store.migrate import upgrade_to_head
    from magazyn_desktop.store.inbox_queries import list_page
    from magazyn_desktop.store.db import connect
    from magazyn_desktop.ui.main_window import MainWindow

    app = QApplication([])
    with tempfile.TemporaryDirectory(prefix="magazyn-screenshot-") as folder:
        paths = resolve_paths(Path(folder) / "data")
        paths.ensure()
        result = upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
        window = MainWindow(AppContext(paths=paths, language=args.lang, demo=True, revision=result.after))
        window.resize(1360, 820)
        window.show()
        loop = QEventLoop()
        window.initial_sync_finished.connect(lambda _outcome: loop.quit())
        window.start_background_work()
        loop.exec()
        # A conversation that waits for a reply and has an order: what staff look at most.
        connection = connect(paths.database, read_only=True)
        rows = list_page(connection, limit=200).rows
        connection.close()
        chosen = next((row for row in rows if row.needs_reply and row.order_id and row.can_reply), rows[0])
        window.open_conversation(chosen.id)
        window.order_displayed.connect(lambda _id: QTimer.singleShot(300, loop.quit))
        QTimer.singleShot(15000, loop.quit)
        loop.exec()
        window.grab().save(args.output)
        window.shutdown()
    del app
    print(args.output)


if __name__ == "__main__":
    main()

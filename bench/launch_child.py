"""The measured process of the start-up and memory benchmarks: the real launch, or a bare PySide6 list window.

    python -m bench.launch_child bare
    python -m bench.launch_child app [--session LONG_ID] -- ARGS OF magazyn-desktop

Both install the same application-wide event filter, which prints `rows painted` on stderr when a list view's
viewport has finished painting while its model holds rows: the moment the user sees the first conversations.
`app` runs the real command line (`magazyn_desktop.cli.main`); the filter goes in when the launch makes its
QApplication. With `--session`, once the rows are painted it loads every row of the list and opens the given
conversation, then prints the process's peak and current resident memory and quits.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QListView

ROWS_PAINTED = "rows painted"


class FirstRowsPainted(QObject):
    """Watches the whole application only until a list's viewport exists, then that viewport alone: a Python
    filter on every event would slow the launch it measures."""

    def __init__(self, then: Callable[[], None] | None = None) -> None:
        super().__init__()
        self._then = then
        self._inside = False
        self._viewport: QObject | None = None
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self.done or self._inside:
            return False
        if self._viewport is None:
            view = watched.parent()
            if not isinstance(view, QListView) or watched is not view.viewport():
                return False
            self._viewport = watched
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            watched.installEventFilter(self)
        if watched is not self._viewport or event.type() != QEvent.Type.Paint:
            return False
        view = watched.parent()
        model = view.model() if isinstance(view, QListView) else None
        if model is None or model.rowCount() == 0:
            return False
        self._inside = True
        try:
            QCoreApplication.sendEvent(watched, event)  # paint now, so the line comes after the pixels
        finally:
            self._inside = False
        self.done = True
        print(f"{ROWS_PAINTED} {time.perf_counter():.6f}", file=sys.stderr, flush=True)
        if self._then is not None:
            QTimer.singleShot(0, self._then)  # after this paint: the session runs from the event loop
        return True


def run_bare() -> int:
    from PySide6.QtCore import QStringListModel

    app = QApplication(sys.argv[:1])
    watcher = FirstRowsPainted()
    app.installEventFilter(watcher)
    view = QListView()
    view.setModel(QStringListModel([f"rozmowa {number}" for number in range(50)]))
    view.resize(1280, 800)
    view.show()
    return app.exec()


def _resident_mb() -> tuple[float, float]:
    """(peak VmHWM, current VmRSS) of this process in MB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmHWM:", "VmRSS:")):
                values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values["VmHWM"], values["VmRSS"]


def _session(long_conversation_id: str) -> None:
    """Every row loaded, then the long conversation opened and painted; memory printed; quit."""
    from PySide6.QtCore import QModelIndex

    from bench.painted import PaintClock, run_loop_until
    from magazyn_desktop.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = next(widget for widget in app.topLevelWidgets() if isinstance(widget, MainWindow))
    model = window.list_model()
    pages = 0
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        pages += 1
        if pages % 100 == 0:
            app.processEvents()
    window.list_view().scrollToBottom()
    app.processEvents()
    rows_mb = _resident_mb()
    clock = PaintClock()
    cards = window.conversation_view().message_list().viewport()
    cards.installEventFilter(clock)
    shown: list[float] = []
    window.conversation_displayed.connect(lambda _id: shown.append(time.perf_counter()))
    window.open_conversation(long_conversation_id)
    run_loop_until(lambda: bool(shown), timeout_s=300)
    clock.wait_for_paint(shown[0], timeout_s=120)
    peak, current = _resident_mb()
    print(f"session rows={model.rowCount()} rows_peak_mb={rows_mb[0]:.1f} rows_current_mb={rows_mb[1]:.1f} "
          f"peak_mb={peak:.1f} current_mb={current:.1f}", file=sys.stderr, flush=True)
    app.quit()


def run_app(arguments: list[str], session: str | None) -> int:
    from magazyn_desktop import cli, startup

    original = startup._application
    watcher = FirstRowsPainted(then=(lambda: _session(session)) if session else None)

    def application_with_watcher() -> QApplication:
        app = original()
        app.installEventFilter(watcher)
        return app

    startup._application = application_with_watcher  # the bench's hook; the launch itself is unchanged
    return cli.main(arguments)


def main() -> int:
    mode = sys.argv[1]
    if mode == "bare":
        return run_bare()
    rest = sys.argv[2:]
    session = None
    if rest[:1] == ["--session"]:
        session, rest = rest[1], rest[2:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    return run_app(rest, session)


if __name__ == "__main__":
    sys.exit(main())

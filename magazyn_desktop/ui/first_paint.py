"""Running work once a widget has been painted for the first time.

At launch the first painted rows are what the user waits for; work that can come a moment later (building the
backend, whose imports hold the interpreter, and the first count of the filters, a scan of the cache) would share
the machine's cores with that first paint. A widget that is not painted soon (a window started minimised) gets the
work done anyway after `fallback_ms`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 500


class _AfterFirstPaint(QObject):
    def __init__(self, widget: QWidget, work: Callable[[], None], fallback_ms: int) -> None:
        super().__init__(widget)
        self._widget = widget
        self._work: Callable[[], None] | None = work
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(self._run)
        self._fallback.start(fallback_ms)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._run)  # once this paint (and the rest of the window's) is drawn
        return False

    def _run(self) -> None:
        work, self._work = self._work, None
        if work is None:
            return
        self._fallback.stop()
        self._widget.removeEventFilter(self)
        work()
        self.deleteLater()


def after_first_paint(widget: QWidget, work: Callable[[], None], *, fallback_ms: int = FALLBACK_MS) -> None:
    """Run `work` once on the GUI thread, after `widget`'s first paint or after `fallback_ms`, whichever is first."""
    _AfterFirstPaint(widget, work, fallback_ms)

"""The status bar's text: notices that go away on their own, and errors that stay until staff dismiss them.

A notice ("Up to date", "Saved ...") is replaced by the next one and cleared after `notice_timeout_ms` without a
newer one. An error is shown apart from the notices, with the time it happened (so one left from the morning
does not read as news) and a close button; Esc dismisses it while it has focus (Tab reaches its close button). A newer error replaces it, and
notices never hide it.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from magazyn_desktop.ui.labels import format_time

NOTICE_TIMEOUT_MS = 10_000


class _ElidedLabel(QLabel):
    """One line, shortened with "…" to the room it has; the whole text in its tooltip. A wrapping label would make
    the status bar several lines high, and an unwrapped one would widen the window to its text."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width())))


class StatusLine(QWidget):
    def __init__(self, parent: QWidget | None = None, *, notice_timeout_ms: int = NOTICE_TIMEOUT_MS) -> None:
        super().__init__(parent)
        self.notice_timeout_ms = notice_timeout_ms  # read at each notice; tests shorten it

        self._notice = QLabel()
        self._notice.setTextFormat(Qt.TextFormat.PlainText)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._notice.clear)

        self._error_box = QFrame()
        self._error_box.setObjectName("statusError")
        # Dark red on a pale red, with a bold sign in front: read as an error without relying on the colour.
        self._error_box.setStyleSheet("#statusError { background: #fde8eb; border: 1px solid #e3a3ad;"
                                      " border-radius: 3px; } #statusError QLabel { color: #7a1022; }")
        self._error_box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._error = _ElidedLabel()
        self._dismiss = QToolButton()
        self._dismiss.setText("\u2715")
        self._dismiss.setAutoRaise(True)
        self._dismiss.setToolTip(self.tr("Dismiss this message (Esc)"))
        self._dismiss.setAccessibleName(self.tr("Dismiss this message"))
        self._dismiss.clicked.connect(self.dismiss_error)
        # Esc is also the window's "back to the list": while the message has focus, it is the message's.
        for focusable in (self._error_box, self._dismiss):
            focusable.installEventFilter(self)
        error_layout = QHBoxLayout(self._error_box)
        error_layout.setContentsMargins(6, 1, 1, 1)
        error_layout.setSpacing(4)
        error_layout.addWidget(self._error, 1)
        error_layout.addWidget(self._dismiss)
        self._error_box.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._error_box, 3)
        layout.addWidget(self._notice, 2)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and not event.modifiers():
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # the key comes here as a key press instead of triggering the window's shortcut
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.dismiss_error()
                return True
        return super().eventFilter(watched, event)

    def show_notice(self, text: str) -> None:
        self._notice.setText(text)
        if text:
            self._notice_timer.start(self.notice_timeout_ms)
        else:
            self._notice_timer.stop()

    def show_error(self, text: str, at: datetime | None = None) -> None:
        shown_at = format_time(at or datetime.now().astimezone())
        self._error.set_full_text(self.tr("%1 \u2013 %2").replace("%1", shown_at).replace("%2", text))
        self._error_box.show()

    def dismiss_error(self) -> None:
        had_focus = self._error_box.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        self._error.set_full_text("")
        self._error_box.hide()
        if had_focus:
            self.focusNextChild()  # the focus leaves the hidden box for the window's next widget

    def notice_text(self) -> str:
        return self._notice.text()

    def error_text(self) -> str:
        return self._error.full_text() if self._error_box.isVisibleTo(self) else ""

    def error_box(self) -> QFrame:
        return self._error_box

    def dismiss_button(self) -> QToolButton:
        return self._dismiss

    def stop(self) -> None:
        self._notice_timer.stop()

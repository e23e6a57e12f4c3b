"""Barcode scanners type like a keyboard: a burst of characters ending in Enter. This filter recognises such a
burst wherever the focus is in the window and hands the code to the scan look-up, so that a scan never lands in a
draft, never drives the list's type-ahead and never needs the search box.

Printable keys are held back for a moment (the longest gap between a scanner's keystrokes); a key that follows
sooner joins the burst. A burst that ends in the suffix (Enter unless set) with at least `min_length` characters is
a scan; anything else -- a slower key, a pause, a shortcut -- is replayed to the widget that had the focus, in
order, so typing is only delayed by that moment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_SHORTCUT_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                       | Qt.KeyboardModifier.MetaModifier)


@dataclass(frozen=True)
class ScannerTiming:
    max_gap_ms: int = 40  # scanners type every 5-30 ms; a person's fastest bursts are slower and shorter
    min_length: int = 6  # the shortest code worth looking up (order ids, waybills and thread ids are longer)
    prefix: str = ""  # characters some scanners are set to send first; stripped from the code
    suffix: str = ""  # a last character instead of Enter; empty means Enter


@dataclass
class _HeldKey:
    receiver: QWidget
    event_type: QEvent.Type
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class ScannerInput(QObject):
    """Install on the application; it acts only on key presses sent to a widget of `window` that has the focus."""

    scanned = Signal(str)

    def __init__(self, window: QWidget, timing: ScannerTiming | None = None,
                 clock: Callable[[], float] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.timing = timing or ScannerTiming()
        self._clock = clock or (lambda: time.monotonic() * 1000.0)  # milliseconds
        self._held: list[_HeldKey] = []
        self._last_key_at = 0.0
        self._replaying = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self.flush)

    def set_timing(self, timing: ScannerTiming) -> None:
        self.flush()
        self.timing = timing

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def stop(self) -> None:
        self._flush_timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.flush()

    # --- recognising ---------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if not self._is_focus_in_window(watched):
            return False
        assert isinstance(event, QKeyEvent)
        now = self._clock()
        in_burst = bool(self._held) and now - self._last_key_at <= self.timing.max_gap_ms
        if self._held and not in_burst:
            self.flush()
        if self._ends_scan(event) and in_burst:
            code = self._code()
            if code is not None:
                self._held.clear()
                self._flush_timer.stop()
                self.scanned.emit(code)
                return True
            self.flush()
            return False
        if not self._is_plain_character(event):
            self.flush()
            return False
        self._held.append(_HeldKey(watched, event.type(), event.key(), event.modifiers(), event.text()))
        self._last_key_at = now
        # A little over the gap, so that the next key of a burst always comes before the timer.
        self._flush_timer.start(self.timing.max_gap_ms + 10)
        return True

    def _is_focus_in_window(self, watched: QWidget) -> bool:
        focus = QApplication.focusWidget()
        if focus is not None:
            return watched is focus and watched.window() is self._window
        return watched is self._window

    def _ends_scan(self, event: QKeyEvent) -> bool:
        if self.timing.suffix:
            return event.text() == self.timing.suffix
        return event.key() in _ENTER_KEYS and not (event.modifiers() & _SHORTCUT_MODIFIERS)

    @staticmethod
    def _is_plain_character(event: QKeyEvent) -> bool:
        text = event.text()
        return (len(text) == 1 and text.isprintable() and not (event.modifiers() & _SHORTCUT_MODIFIERS)
                and not event.isAutoRepeat())

    def _code(self) -> str | None:
        text = "".join(key.text for key in self._held)
        if self.timing.prefix:
            if not text.startswith(self.timing.prefix):
                return None
            text = text[len(self.timing.prefix):]
        text = text.strip()
        return text if len(text) >= self.timing.min_length else None

    # --- giving typed keys back ----------------------------------------------------------------------------------

    def flush(self) -> None:
        """Replay the held keys to the widgets they were meant for (a person typed them)."""
        self._flush_timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for key in held:
                if not isValid(key.receiver):  # the widget went away while its key was held
                    continue
                event = QKeyEvent(key.event_type, key.key, key.modifiers, key.text)
                QCoreApplication.sendEvent(key.receiver, event)
        finally:
            self._replaying = False

    def holding(self) -> str:
        return "".join(key.text for key in self._held)

"""Emitting signals from Python must not wear down the interpreter's True (a fault of some PySide6 builds)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import magazyn_desktop.ui  # noqa: F401 - installs the guard where needed
from magazyn_desktop.ui import qt_compat


class _Sender(QObject):
    value = Signal(object)


def test_many_emits_keep_true_alive() -> None:
    sender = _Sender()
    before = sys.getrefcount(True)
    for _ in range(20000):
        sender.value.emit(1)
    assert sys.getrefcount(True) >= before - 10
    assert not qt_compat.emit_loses_references()

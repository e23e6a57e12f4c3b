"""PySide6 6.12.0 loses a reference to True on every Python-side emit and aborts after a few thousand;
pyproject.toml excludes that release. This test fails on any build with the same fault."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Sender(QObject):
    value = Signal(object)


def test_many_emits_keep_true_alive() -> None:
    sender = _Sender()
    before = sys.getrefcount(True)
    for _ in range(500):
        sender.value.emit(1)
    assert sys.getrefcount(True) >= before - 10

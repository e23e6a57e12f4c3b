"""A guard against a reference-counting fault in some PySide6 builds, applied only where it is detected.

In the affected builds `SignalInstance.emit()` returns True without taking a reference to it, so every emit
from Python takes one reference away from the interpreter's True. After some thousands of emits (a long
working day of syncs, or a test run) Python aborts with "bool_dealloc: deallocating True or False".

The fault is detected at import by emitting a few times and watching True's reference count; only then is
emit wrapped to give the missing reference back. Builds without the fault, and Pythons whose True is immortal
(3.12+, where the count never changes), are left untouched.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

from PySide6 import QtCore

log = logging.getLogger(__name__)

_PROBE_EMITS = 16
_applied = False


class _Probe(QtCore.QObject):
    ping = QtCore.Signal()


def emit_loses_references() -> bool:
    probe = _Probe()
    try:
        before = sys.getrefcount(True)
        for _ in range(_PROBE_EMITS):
            probe.ping.emit()
        after = sys.getrefcount(True)
    finally:
        probe.deleteLater()
    return before - after >= _PROBE_EMITS


def install() -> bool:
    """Wrap SignalInstance.emit when this build needs it; idempotent. Returns whether the wrapper is active."""
    global _applied
    if _applied:
        return True
    if not emit_loses_references():
        return False
    original = QtCore.SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None

    def emit(self: Any, *args: Any) -> Any:
        result = original(self, *args)
        if result is True or result is False:
            incref(result)  # the reference the faulty build forgot to hand over
        return result

    QtCore.SignalInstance.emit = emit
    _applied = True
    log.info("PySide6 %s: signal emit reference fix applied", getattr(QtCore, "__version__", "?"))
    return True

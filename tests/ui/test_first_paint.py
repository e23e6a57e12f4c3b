"""Work the first screen need not wait for runs after the list's first paint, and runs even if it never comes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel
from PySide6.QtWidgets import QApplication, QListView

from magazyn_desktop.ui.first_paint import after_first_paint


class _Paints(QObject):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self._log = log

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self._log.append("paint")
        return False


def _list(qtbot: Any) -> QListView:
    view = QListView()
    view.setModel(QStringListModel([f"rozmowa {n}" for n in range(30)], view))
    qtbot.addWidget(view)
    return view


def test_the_work_runs_once_after_the_first_paint(qtbot: Any) -> None:
    view = _list(qtbot)
    log: list[str] = []
    paints = _Paints(log)
    view.viewport().installEventFilter(paints)
    after_first_paint(view.viewport(), lambda: log.append("work"), fallback_ms=60_000)
    QApplication.processEvents()
    assert log == []  # not shown: nothing painted, nothing run
    view.show()
    qtbot.waitUntil(lambda: "work" in log, timeout=5000)
    view.viewport().update()
    qtbot.waitUntil(lambda: log.count("paint") >= 2, timeout=5000)
    assert log[0] == "paint" and log.count("work") == 1


def test_a_list_never_painted_still_gets_the_work_done(qtbot: Any) -> None:
    view = _list(qtbot)  # never shown
    done: list[bool] = []
    after_first_paint(view.viewport(), lambda: done.append(True), fallback_ms=100)
    qtbot.waitUntil(lambda: done == [True], timeout=5000)
    view.show()  # painted later: the work is not done again
    qtbot.waitExposed(view)
    view.viewport().repaint()
    QApplication.processEvents()
    assert done == [True]

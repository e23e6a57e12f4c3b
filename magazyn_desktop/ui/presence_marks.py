"""How other benches' presence reads (team mode): "Ania pisze odpowiedź…" in the list's row and above the reply
box, "Ania ma otwartą" when she only has the conversation open. Typing comes first: it is what may collide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter

from magazyn_desktop.ui.visible_text import visible_controls

if TYPE_CHECKING:  # the store's SQLAlchemy stays off the single bench's first paint
    from magazyn_desktop.store.presence import BenchPresence

TYPING = QColor("#8a2be2")
OPEN = QColor("#5b5b8a")


def _names(people: Sequence[BenchPresence]) -> list[str]:
    """Each person once, in the board's order (the same person may sit at two benches)."""
    return list(dict.fromkeys(visible_controls(person.person) for person in people))


def _typing_words(names: list[str]) -> str:
    if len(names) == 1:
        words = QCoreApplication.translate("Presence", "%1 is writing a reply…")
    else:
        words = QCoreApplication.translate("Presence", "%1 are writing a reply…")
    return words.replace("%1", ", ".join(names))


def list_words(people: Sequence[BenchPresence]) -> str:
    """A row's short mark: who types a reply in it, else who has it open; "" for nobody."""
    typing = _names([person for person in people if person.typing])
    if typing:
        return _typing_words(typing)
    opened = _names(people)
    if not opened:
        return ""
    if len(opened) == 1:
        words = QCoreApplication.translate("Presence", "%1 has it open")
    else:
        words = QCoreApplication.translate("Presence", "%1 have it open")
    return words.replace("%1", ", ".join(opened))


def header_words(people: Sequence[BenchPresence]) -> str:
    """The line above the reply box: who types a reply, and who else has the conversation open."""
    typing = _names([person for person in people if person.typing])
    opened = [name for name in _names(people) if name not in typing]
    parts = [_typing_words(typing)] if typing else []
    if opened:
        words = (QCoreApplication.translate("Presence", "%1 has this conversation open") if len(opened) == 1
                 else QCoreApplication.translate("Presence", "%1 have this conversation open"))
        parts.append(words.replace("%1", ", ".join(opened)))
    return " · ".join(parts)


def paint_presence(painter: QPainter, people: Sequence[BenchPresence], right: int, line: QRect,
                   metrics: QFontMetrics, selected_colour: QColor | None) -> int:
    """The row's presence mark ending at `right` on `line` (the marks' font already set); returns where the next
    mark to its left ends. `selected_colour`: the selected row's text colour, else None."""
    words = list_words(people)
    if not words:
        return right
    width = min(metrics.horizontalAdvance(words), max(0, (right - line.left()) // 2))
    painter.setPen(selected_colour or (TYPING if any(person.typing for person in people) else OPEN))
    painter.drawText(QRect(right - width, line.top(), width, line.height()),
                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                     metrics.elidedText(words, Qt.TextElideMode.ElideRight, width))
    return right - width - 10

"""Where on the screens the window goes: pure rectangle arithmetic, so that any screen can be tested offscreen.

Rectangles are the window's client area (QWidget.geometry()); `frame` is what the window manager adds around it
(title bar and borders), so that the whole window, not only its content, stays inside the available area.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize

PREFERRED_SIZE = QSize(1280, 800)  # the first start's size on a screen that has room for it
# Until the window manager has drawn a frame, assume a title bar and thin borders.
DEFAULT_FRAME = QSize(2, 30)
_MINIMUM_VISIBLE = QSize(200, 80)  # this much of a saved window on a screen counts as "still there"


def _outer(client: QRect, frame: QSize) -> QRect:
    side = frame.width() // 2
    return client.adjusted(-side, -(frame.height() - side), side, side)


def _client_inside(area: QRect, size: QSize, frame: QSize) -> QSize:
    return QSize(min(size.width(), area.width() - frame.width()), min(size.height(), area.height() - frame.height()))


def _moved_inside(client: QRect, area: QRect, frame: QSize) -> QRect:
    outer = _outer(client, frame)
    dx = max(0, area.left() - outer.left()) - max(0, outer.right() - area.right())
    dy = max(0, area.top() - outer.top()) - max(0, outer.bottom() - area.bottom())
    return client.translated(dx, dy)


def first_geometry(available: QRect, frame: QSize = DEFAULT_FRAME) -> QRect:
    """The preferred size, shrunk to the available area if need be, with the whole window centred in it."""
    return _centred(available, _client_inside(available, PREFERRED_SIZE, frame), frame)


def _centred(available: QRect, size: QSize, frame: QSize) -> QRect:
    side = frame.width() // 2
    outer_size = QSize(size.width() + frame.width(), size.height() + frame.height())
    left = available.left() + (available.width() - outer_size.width()) // 2 + side
    top = available.top() + (available.height() - outer_size.height()) // 2 + (frame.height() - side)
    return QRect(QPoint(left, top), size)


def placed_on_screens(saved: QRect, available_areas: Sequence[QRect], frame: QSize = DEFAULT_FRAME) -> QRect:
    """The saved place where it is still on a screen (shrunk and nudged in as needed); otherwise the same size on
    the first screen (the primary one), centred. Monitors come and go between starts."""
    if not available_areas:
        return saved
    visible_on = [area for area in available_areas
                  if (area & saved).width() >= _MINIMUM_VISIBLE.width()
                  and (area & saved).height() >= _MINIMUM_VISIBLE.height()]
    if visible_on:
        area = max(visible_on, key=lambda candidate: (candidate & saved).width() * (candidate & saved).height())
        return _moved_inside(QRect(saved.topLeft(), _client_inside(area, saved.size(), frame)), area, frame)
    area = available_areas[0]
    return _centred(area, _client_inside(area, saved.size(), frame), frame)

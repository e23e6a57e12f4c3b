"""Zoom: Ctrl+plus, Ctrl+minus and Ctrl+0 scale the whole window's text (and with it every row and card), for the
bench's screens and eyes. The factor is kept with the window's state.

Text sizes come from the application's font: widgets that want a larger or bolder text than the rest mark it with
`relative_font`, and each zoom sets their font again from the new base, so nothing keeps a size of its own.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

ZOOM_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)
_SCALE = "magazynFontScale"
_BOLD = "magazynFontBold"


def step(current: float, direction: int) -> float:
    """The next factor up (direction 1) or down (-1) from `current`; 0 gives 1.0."""
    if direction == 0:
        return 1.0
    if direction > 0:
        return next((factor for factor in ZOOM_STEPS if factor > current + 1e-6), ZOOM_STEPS[-1])
    return next((factor for factor in reversed(ZOOM_STEPS) if factor < current - 1e-6), ZOOM_STEPS[0])


def clamped(factor: float) -> float:
    return min(ZOOM_STEPS[-1], max(ZOOM_STEPS[0], factor))


def relative_font(widget: QWidget, scale: float = 1.0, bold: bool = False) -> None:
    """Give the widget a text `scale` times the base size (bold if asked), now and after every zoom."""
    widget.setProperty(_SCALE, scale)
    widget.setProperty(_BOLD, bold)
    widget.setFont(_scaled(QApplication.font(), scale, bold))


def apply_zoom(top: QWidget, base_point_size: float, factor: float) -> None:
    """Set the application's text to `factor` times its base size, and the marked widgets under `top` again."""
    font = QApplication.font()
    font.setPointSizeF(base_point_size * clamped(factor))
    QApplication.setFont(font)  # dialogs and menus opened later
    top.setFont(font)  # the window and its children now (the application's change arrives as a posted event)
    for widget in [top, *top.findChildren(QWidget)]:
        scale = widget.property(_SCALE)
        if isinstance(scale, float):
            widget.setFont(_scaled(font, scale, bool(widget.property(_BOLD))))


def _scaled(base: QFont, scale: float, bold: bool) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * scale)
    font.setBold(bold)
    return font

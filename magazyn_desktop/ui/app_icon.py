"""The application's icon, shared by the window and the tray icon."""

from __future__ import annotations

from PySide6.QtGui import QIcon

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The rendered PNG sizes (no SVG plugin needed), with the SVG for anything larger."""
    from magazyn_desktop.bundle import MissingResourceError, resource_path

    icon = QIcon()
    for size in ICON_SIZES:
        try:
            icon.addFile(str(resource_path("icons", f"magazyn-desktop-{size}.png")))
        except MissingResourceError:  # a missing size must not stop the window
            continue
    try:
        icon.addFile(str(resource_path("icons", "magazyn-desktop.svg")))
    except MissingResourceError:
        pass
    return icon

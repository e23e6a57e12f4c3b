"""The window and everything on it (Qt). Importing the package makes Qt's signal emission safe to use."""

from magazyn_desktop.ui import qt_compat as _qt_compat

_qt_compat.install()

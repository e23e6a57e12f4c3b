"""Where the window was left: size, place, maximised, splitter sizes and filter, kept as JSON in the data folder.

Qt-free so that it can be read without a window (and tested so). A missing or damaged file means "first start":
the window then fits itself to the screen, and nothing fails.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from magazyn_desktop.app.json_file import read_json_object, write_json_atomically

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowState:
    x: int
    y: int
    width: int
    height: int
    maximized: bool
    splitter_sizes: tuple[int, ...]
    filter: str | None
    zoom: float = 1.0  # the window's text size against the system's
    order_panel_visible: bool = True


def load_window_state(path: Path) -> WindowState | None:
    raw = read_json_object(path, "window state")
    if raw is None:
        return None
    numbers = [raw.get(name) for name in ("x", "y", "width", "height")]
    sizes = raw.get("splitter_sizes", [])
    filter_ = raw.get("filter")
    if (not all(isinstance(value, int) and not isinstance(value, bool) for value in numbers)
            or not isinstance(raw.get("maximized", False), bool)
            or not isinstance(sizes, list) or not all(isinstance(size, int) and size >= 0 for size in sizes)
            or not (filter_ is None or isinstance(filter_, str))):
        log.warning("window state has wrong values, fitting the window to the screen")
        return None
    x, y, width, height = (int(value) for value in numbers)  # type: ignore[arg-type]
    if width <= 0 or height <= 0:
        return None
    zoom = raw.get("zoom", 1.0)
    panel = raw.get("order_panel_visible", True)
    return WindowState(x=x, y=y, width=width, height=height, maximized=bool(raw.get("maximized", False)),
                       splitter_sizes=tuple(sizes), filter=filter_,
                       # Older files have neither; a wrong type is the default, not a reason to forget the rest.
                       zoom=float(zoom) if isinstance(zoom, (int, float)) and not isinstance(zoom, bool)
                       and 0.5 <= zoom <= 3.0 else 1.0,
                       order_panel_visible=panel if isinstance(panel, bool) else True)


def save_window_state(path: Path, state: WindowState) -> None:
    """A failure is logged, not raised: losing the window's place is no reason to fail a close."""
    payload = asdict(state)
    payload["splitter_sizes"] = list(state.splitter_sizes)
    try:
        write_json_atomically(path, payload)
    except OSError as exc:
        log.warning("window state not saved: %s", exc)

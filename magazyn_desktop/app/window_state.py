"""Where the window was left: size, place, maximised, splitter sizes and filter, kept as JSON in the data folder.

Qt-free so that it can be read without a window (and tested so). A missing or damaged file means "first start":
the window then fits itself to the screen, and nothing fails.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

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


def load_window_state(path: Path) -> WindowState | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("window state unreadable, fitting the window to the screen: %s", exc)
        return None
    if not isinstance(raw, dict):
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
    return WindowState(x=x, y=y, width=width, height=height, maximized=bool(raw.get("maximized", False)),
                       splitter_sizes=tuple(sizes), filter=filter_)


def save_window_state(path: Path, state: WindowState) -> None:
    """Written through a temporary file, so a crash never leaves half a file; a failure is logged, not raised."""
    payload = asdict(state)
    payload["splitter_sizes"] = list(state.splitter_sizes)
    temporary = path.with_suffix(".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("window state not saved: %s", exc)

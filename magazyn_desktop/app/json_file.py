"""The small JSON files of the data folder (settings, where the window was left): read forgivingly, written whole."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def read_json_object(path: Path, what: str) -> dict[str, Any] | None:
    """The file's object; None when it is missing, unreadable or not an object (logged, never raised): a bad file
    must not stop the start."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s unreadable, using defaults: %s", what, exc)
        return None
    return raw if isinstance(raw, dict) else None


def write_json_atomically(path: Path, payload: dict[str, Any]) -> None:
    """Written through a temporary file, so a crash never leaves half a file. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)

"""Letting go of the source lines PySide6's import hook leaves behind.

PySide6 replaces `__import__` with a hook that reads the source of every module imported after it (it looks for
the word PySide6, for its opt-in `__feature__` switches), and the lines stay in `linecache`: some 20 MB once the
database and HTTP libraries are in. Nothing shows them; a traceback reads a file's lines again when it needs them.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from typing import TypeVar

Built = TypeVar("Built")


def forget_imported_sources() -> None:
    """Drop the cached lines of source files; keep the entries no file backs (generated code registers its lines
    there, and they could not be read again)."""
    for filename, entry in list(linecache.cache.items()):
        if len(entry) == 4 and entry[1] is not None:  # (size, mtime, lines, name): read from a file
            linecache.cache.pop(filename, None)


def forgetting_sources_after(build: Callable[[], Built]) -> Callable[[], Built]:
    """`build`, then the lines its imports left (in the worker that built it, before anything else grows)."""

    def built() -> Built:
        result = build()
        forget_imported_sources()
        return result

    return built

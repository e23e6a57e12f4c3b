"""What the running window keeps in memory beyond its own data."""

from __future__ import annotations

import linecache
from typing import Any, Callable

import sqlalchemy


def test_source_lines_read_by_imports_are_let_go_once_the_backend_is_ready(
    qtbot: Any, make_window: Callable[..., Any]
) -> None:
    # PySide6's import hook reads the source of each module imported after it into linecache, as this does.
    assert sqlalchemy.__file__ is not None
    assert linecache.getlines(sqlalchemy.__file__)
    assert sqlalchemy.__file__ in linecache.cache
    generated = "<generated code of a test>"  # lines no file backs, as code generators register them
    linecache.cache[generated] = (7, None, ["x = 1\n"], generated)
    try:
        window = make_window()  # the backend is built (its imports done) and the first sync has run
        assert window.backend is not None
        assert sqlalchemy.__file__ not in linecache.cache
        assert linecache.getlines(generated) == ["x = 1\n"]
    finally:
        linecache.cache.pop(generated, None)

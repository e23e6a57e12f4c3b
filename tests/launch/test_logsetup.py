"""The early stderr log: its level comes from the caller, else MAGAZYN_LOG_LEVEL, else warnings only."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from magazyn_desktop.logsetup import LOG_LEVEL_ENV, configure_stderr


@pytest.fixture
def stderr_handler() -> Iterator[list[logging.Handler]]:
    """Lets configure_stderr add its handler afresh, and takes it away again afterwards."""
    root = logging.getLogger()
    saved_level = root.level
    saved_handlers = list(root.handlers)
    root.handlers = [h for h in saved_handlers if not getattr(h, "_magazyn_stderr", False)]
    added: list[logging.Handler] = []
    try:
        yield added
    finally:
        root.handlers = saved_handlers
        root.setLevel(saved_level)


def _configured_level(added: list[logging.Handler]) -> int:
    configure_stderr()
    added.extend(h for h in logging.getLogger().handlers if getattr(h, "_magazyn_stderr", False))
    assert len(added) == 1
    return added[0].level


def test_a_level_name_in_the_environment_is_used(monkeypatch: pytest.MonkeyPatch,
                                                 stderr_handler: list[logging.Handler]) -> None:
    monkeypatch.setenv(LOG_LEVEL_ENV, "info")
    assert _configured_level(stderr_handler) == logging.INFO


@pytest.mark.parametrize("value", ["", "chatty", "BASIC_FORMAT", "_styles"])
def test_anything_but_a_level_name_means_warnings(value: str, monkeypatch: pytest.MonkeyPatch,
                                                  stderr_handler: list[logging.Handler]) -> None:
    # Names of the logging module that are not levels (a format string, a table of styles) used to reach setLevel.
    monkeypatch.setenv(LOG_LEVEL_ENV, value)
    assert _configured_level(stderr_handler) == logging.WARNING

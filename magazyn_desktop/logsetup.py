"""Logging for the whole app: a rotating file in the logs folder, stderr when there is one, and a crash log."""

from __future__ import annotations

import errno
import faulthandler
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import TextIO

LOG_LEVEL_ENV = "MAGAZYN_LOG_LEVEL"
_FORMAT = "%(asctime)s %(process)d %(levelname)-7s %(name)s: %(message)s"
_crash_file: TextIO | None = None


class _BriefFormatter(logging.Formatter):
    """For the terminal: the message without the traceback, which goes to the log file only."""

    def format(self, record: logging.LogRecord) -> str:
        brief = logging.makeLogRecord(record.__dict__)
        brief.exc_info = None
        brief.exc_text = None
        brief.stack_info = None
        return super().format(brief)


class _FileHandler(logging.handlers.RotatingFileHandler):
    """The log file, which may stop being writable (a full disk): say so once on stderr, never a traceback a line."""

    _failed = False

    def handleError(self, record: logging.LogRecord) -> None:
        if self._failed:
            return
        self._failed = True
        error = sys.exc_info()[1]
        # A full disk is said by whoever hits it in its own words; other reasons get this one line.
        if _has_usable_stderr() and getattr(error, "errno", None) not in (errno.ENOSPC, getattr(errno, "EDQUOT", None)):
            reason = getattr(error, "strerror", None) or error
            sys.stderr.write(f"magazyn-desktop: log file {self.baseFilename}: {reason}\n")


def _has_usable_stderr() -> bool:
    # A windowed frozen app on Windows has sys.stderr set to None.
    stream = sys.stderr
    return stream is not None and hasattr(stream, "write")


def _level_from_environment() -> int:
    # Only level names: the logging module has other upper-case names (BASIC_FORMAT) that setLevel refuses.
    name = os.environ.get(LOG_LEVEL_ENV, "").upper()
    return logging.getLevelNamesMapping().get(name, logging.WARNING)


def configure_stderr(level: int | None = None) -> None:
    """Early logging, before the data folder is known."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    if _has_usable_stderr() and not any(getattr(h, "_magazyn_stderr", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_BriefFormatter(_FORMAT))
        handler.setLevel(level or _level_from_environment())
        handler._magazyn_stderr = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    # Third-party chatter stays out of the app's log unless asked for.
    for noisy in ("httpx", "httpcore", "alembic.runtime.plugins"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def configure_file(log_file: Path, crash_log: Path) -> None:
    """The rotating log file and faulthandler's crash log, once the logs folder exists."""
    global _crash_file
    root = logging.getLogger()
    if not any(getattr(h, "_magazyn_file", False) for h in root.handlers):
        try:
            handler = _FileHandler(
                log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8", delay=True
            )
        except OSError:
            logging.getLogger(__name__).warning("cannot write the log file %s", log_file)
        else:
            handler.setFormatter(logging.Formatter(_FORMAT))
            handler.setLevel(logging.INFO)
            handler._magazyn_file = True  # type: ignore[attr-defined]
            root.addHandler(handler)
    if _crash_file is None:
        try:
            _crash_file = crash_log.open("a", encoding="utf-8")
            faulthandler.enable(file=_crash_file, all_threads=True)
        except (OSError, RuntimeError, ValueError):
            # No crash log is better than no app: a read-only folder or a missing stream must not stop the launch.
            _crash_file = None

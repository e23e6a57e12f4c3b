"""The user's settings, kept as JSON in the data folder; the one reader and writer of that file (Qt-free, so the
command line, the launch and the backend read it the same way as the window).

Unknown keys are kept (a newer version may have written them); wrong types fall back to defaults instead of
failing the start; writes go through a temporary file so a crash never leaves half a file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from magazyn_desktop.allegro.environments import PRODUCTION, SANDBOX, Environment
from magazyn_desktop.app.json_file import read_json_object, write_json_atomically


LANGUAGES = ("pl", "en")
ENVIRONMENTS = ("production", "sandbox", "custom")
MIN_POLL_SECONDS = 15
MAX_POLL_SECONDS = 3600
MIN_SCANNER_GAP_MS = 5
MAX_SCANNER_GAP_MS = 200
MAX_MARK_READ_AFTER_MS = 60_000
MAX_SYNC_OVERLAP_MINUTES = 24 * 60
MIN_DEEP_PASS_INTERVAL_MINUTES = 5  # 0 turns the scheduled deep pass off
MAX_DEEP_PASS_LOOKBACK_HOURS = 7 * 24


@dataclass(frozen=True)
class Settings:
    language: str = "pl"
    poll_interval_seconds: int = 60
    mark_read_on_open: bool = True
    mark_read_after_ms: int = 2000  # how long a conversation stays open before it counts as read
    notifications: bool = True
    environment: str = "production"
    api_url: str = ""  # only for environment "custom"
    auth_url: str = ""
    first_run_done: bool = False  # the user connected an account or chose the demo
    # The barcode scanner: the longest gap between its keystrokes, the shortest code, what it sends around a code
    # (empty suffix: Enter), and a beep when a scan matches nothing.
    scanner_max_gap_ms: int = 40
    scanner_min_length: int = 6
    scanner_prefix: str = ""
    scanner_suffix: str = ""
    scan_sound: bool = True
    # Late messages (sync/engine.py, sync/deep_pass.py): how far below the cursor a refresh keeps paging, and how
    # often and how far back the deep pass re-reads the active threads (interval 0: never on its own).
    sync_overlap_minutes: int = 30
    deep_pass_interval_minutes: int = 30
    deep_pass_lookback_hours: int = 24
    # Team mode: the shared PostgreSQL store's address without its password (empty: this bench's own file), whether
    # plaintext to a remote server is allowed (a trusted network), and who works at this bench.
    store_url: str = ""
    store_allow_plaintext: bool = False
    person_name: str = ""  # empty: the system user's name
    bench_name: str = ""  # empty: the computer's name
    extra: dict[str, Any] = field(default_factory=dict)  # keys this version does not know

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        return value if isinstance(value, bool) else default
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return default
        if name == "poll_interval_seconds":
            return min(MAX_POLL_SECONDS, max(MIN_POLL_SECONDS, value))
        if name == "scanner_max_gap_ms":
            return min(MAX_SCANNER_GAP_MS, max(MIN_SCANNER_GAP_MS, value))
        if name == "mark_read_after_ms":
            return min(MAX_MARK_READ_AFTER_MS, max(0, value))
        if name == "scanner_min_length":
            return max(1, value)
        if name == "sync_overlap_minutes":
            return min(MAX_SYNC_OVERLAP_MINUTES, max(0, value))
        if name == "deep_pass_interval_minutes":
            return 0 if value <= 0 else max(MIN_DEEP_PASS_INTERVAL_MINUTES, value)
        if name == "deep_pass_lookback_hours":
            return min(MAX_DEEP_PASS_LOOKBACK_HOURS, max(1, value))
        return value
    if isinstance(default, str):
        if not isinstance(value, str):
            return default
        if name == "language" and value not in LANGUAGES:
            return default
        if name == "environment" and value not in ENVIRONMENTS:
            return default
        return value
    return default


def load_settings(path: Path) -> Settings:
    """Read the settings; a missing or unreadable file gives the defaults (and a log line, not an error)."""
    defaults = Settings()
    raw = read_json_object(path, "settings file")
    if raw is None:
        return defaults
    known = {f.name for f in fields(Settings)} - {"extra"}
    values = {name: _coerce(name, raw[name], getattr(defaults, name)) for name in known if name in raw}
    extra = {key: value for key, value in raw.items() if key not in known}
    return replace(defaults, extra=extra, **values)


def save_settings(path: Path, settings: Settings) -> None:
    data = asdict(settings)
    extra = data.pop("extra", {}) or {}
    write_json_atomically(path, {**extra, **data})


def chosen_environment(settings: Settings) -> Environment:
    """The Allegro environment the settings name; a custom one without an address falls back to production."""
    if settings.environment == "sandbox":
        return SANDBOX
    if settings.environment == "custom":
        api_url = settings.api_url.strip().rstrip("/")
        if api_url:
            auth_url = settings.auth_url.strip().rstrip("/") or api_url
            return Environment(name="custom", api_url=api_url, auth_url=auth_url)
    return PRODUCTION

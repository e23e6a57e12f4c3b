"""Where the app keeps its files: one place decides, everything else asks here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from magazyn_desktop import APP_NAME

DATA_DIR_ENV = "MAGAZYN_DATA_DIR"
DATABASE_NAME = "magazyn.sqlite3"
LOCK_NAME = "magazyn.lock"


class DataDirError(Exception):
    """The data folder cannot be created or written."""


@dataclass(frozen=True)
class AppPaths:
    data: Path

    @property
    def database(self) -> Path:
        return self.data / DATABASE_NAME

    @property
    def lock_file(self) -> Path:
        return self.data / LOCK_NAME

    @property
    def holder_file(self) -> Path:
        return holder_file_for(self.lock_file)

    @property
    def handover_file(self) -> Path:
        return handover_file_for(self.lock_file)

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "magazyn-desktop.log"

    @property
    def crash_log(self) -> Path:
        return self.logs / "crash.log"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def attachments(self) -> Path:
        return self.data / "attachments"

    @property
    def outgoing_attachments(self) -> Path:
        """Copies of the files queued with replies, until they are sent."""
        return self.attachments / "outgoing"

    @property
    def templates(self) -> Path:
        """Copies of the files reply templates attach, named as the templates name them."""
        return self.data / "templates"

    @property
    def quarantine(self) -> Path:
        """Damaged database files are moved here, never deleted."""
        return self.data / "damaged"

    @property
    def settings_file(self) -> Path:
        return self.data / "settings.json"

    @property
    def window_state_file(self) -> Path:
        """Where the window was left (size, place, splitter, filter): not a setting, so not in settings.json."""
        return self.data / "window.json"

    def folders(self) -> tuple[Path, ...]:
        return (self.data, self.logs, self.backups, self.attachments)

    def ensure(self) -> None:
        """Create every folder with mode 0700; raise DataDirError with the reason when that is impossible."""
        for folder in self.folders():
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise DataDirError(f"{folder}: {exc.strerror or exc}") from exc
            if not os.access(folder, os.W_OK | os.X_OK):
                raise DataDirError(f"{folder}: no write permission")


def holder_file_for(lock_file: Path) -> Path:
    """Who holds the lock (a window or a headless command), written by the holder next to the lock."""
    return lock_file.with_name(f"{lock_file.name}.holder")


def handover_file_for(lock_file: Path) -> Path:
    """A starting window's request that a headless sync hand the data folder over."""
    return lock_file.with_name(f"{lock_file.name}.handover")


def default_data_dir() -> Path:
    # Imported here: platformdirs is only needed when no folder was given.
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir wins over MAGAZYN_DATA_DIR, which wins over the platform default."""
    if cli_value:
        return Path(cli_value).expanduser().absolute()
    env_value = os.environ.get(DATA_DIR_ENV)
    if env_value:
        return Path(env_value).expanduser().absolute()
    return default_data_dir()


def resolve_paths(cli_value: str | os.PathLike[str] | None = None) -> AppPaths:
    return AppPaths(resolve_data_dir(cli_value))

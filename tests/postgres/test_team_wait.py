"""The window's launch while the team's database does not answer: a small window waits for it, tries again every
few seconds, goes on once it answers, and Cancel ends the launch with exit 6."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from magazyn_desktop.app.launch_steps import LaunchError
from magazyn_desktop.app.store_location import StoreLocation
from magazyn_desktop.app.team_store import EXIT_STORE_UNREACHABLE
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.schema_version import HEAD_REVISION
from magazyn_desktop.store.store_address import parse_store_address
from tests.postgres_server import database_url

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

pytestmark = pytest.mark.allow_error_logs  # each failed attempt logs why, as a launch without a person does


@pytest.fixture
def later_database(postgres_url: str) -> Iterator[tuple[str, Callable[[], None]]]:
    """The address of a database that does not exist yet, and how to create it (dropped afterwards)."""
    name = f"magazyn_later_{os.getpid()}"

    def admin(sql: str) -> None:
        with psycopg.connect(postgres_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    yield database_url(postgres_url, name), lambda: admin(f'CREATE DATABASE "{name}"')
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def on_wait_dialog(action: Callable[[Any], None]) -> Any:
    """Runs `action` once on the waiting window as soon as it is shown; the timer is returned to be stopped."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from magazyn_desktop.ui.team_wait_dialog import TeamWaitDialog

    done: list[bool] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, TeamWaitDialog) and widget.isVisible() and not done:
                done.append(True)
                action(widget)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(look)
    timer.start()
    return timer


def test_the_launch_waits_for_the_team_database_and_goes_on_when_it_answers(
        qtbot: Any, paths: AppPaths, later_database: tuple[str, Callable[[], None]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QApplication

    from magazyn_desktop import startup
    from magazyn_desktop.ui import team_wait_dialog

    monkeypatch.setattr(team_wait_dialog, "RETRY_SECONDS", 1)
    url, create = later_database
    seen: list[tuple[str, str]] = []

    def come_up(dialog: Any) -> None:
        seen.append((dialog.reason_text(), dialog.countdown_text()))
        create()

    timer = on_wait_dialog(come_up)
    try:
        result = startup._migrate_waiting_for_team(
            QApplication.instance(), paths, "pl", quiet=True,  # type: ignore[arg-type]
            team=StoreLocation(paths.database, parse_store_address(url)), interactive=True)
    finally:
        timer.stop()
    assert len(seen) == 1
    reason, countdown = seen[0]
    assert "Nie można połączyć się z bazą zespołu" in reason and countdown == "Kolejna próba za 1 s."
    assert result.after == HEAD_REVISION


def test_cancel_ends_the_launch_with_the_unreachable_exit_code(
        qtbot: Any, paths: AppPaths, later_database: tuple[str, Callable[[], None]]) -> None:
    from PySide6.QtWidgets import QApplication

    from magazyn_desktop import startup

    url, _create = later_database
    timer = on_wait_dialog(lambda dialog: dialog.cancel_button().click())
    try:
        with pytest.raises(LaunchError) as refused:
            startup._migrate_waiting_for_team(
                QApplication.instance(), paths, "en", quiet=True,  # type: ignore[arg-type]
                team=StoreLocation(paths.database, parse_store_address(url)), interactive=True)
    finally:
        timer.stop()
    assert refused.value.exit_code == EXIT_STORE_UNREACHABLE
    assert "cannot be reached" in str(refused.value)


def test_without_a_person_there_is_no_waiting(paths: AppPaths,
                                              later_database: tuple[str, Callable[[], None]], qtbot: Any) -> None:
    from PySide6.QtWidgets import QApplication

    from magazyn_desktop import startup

    url, _create = later_database
    with pytest.raises(LaunchError) as refused:
        startup._migrate_waiting_for_team(QApplication.instance(), paths, "pl", quiet=True,  # type: ignore[arg-type]
                                          team=StoreLocation(paths.database, parse_store_address(url)),
                                          interactive=False)
    assert refused.value.exit_code == EXIT_STORE_UNREACHABLE

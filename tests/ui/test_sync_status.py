"""The status bar tells a sync that stopped early from one that found everything up to date."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from ui_sample_data import demo_backend

from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.sync.engine import SyncEngine, SyncReport


def test_a_sync_stopped_by_retry_after_says_allegro_asked_for_a_pause(
    qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro
) -> None:
    fake_allegro.faults.rate_limit, fake_allegro.faults.retry_after = 0, 120.0  # every request: 429, come back in 2 min
    window = make_window()
    assert "Allegro chwilowo ogranicza liczbę zapytań" in window.status_text()
    assert "Aktualne" not in window.status_text()


def test_a_sync_out_of_time_says_it_goes_on_later(qtbot: Any, make_window: Callable[..., Any],
                                                  context: AppContext, fake_allegro: DemoAllegro) -> None:
    def backend_with_no_time() -> Backend:
        backend = demo_backend(context.paths, fake_allegro)
        assert isinstance(backend, ConnectedBackend)
        # The same engine, given almost no time for a run: it is out of time after its first request.
        backend.sync = SyncEngine(client=backend.client, store=backend.store, account_id=backend.account_id,
                                  run_deadline=1e-6)
        return backend

    window = make_window(backend_factory=backend_with_no_time)
    assert "trwało zbyt długo" in window.status_text()


def test_an_up_to_date_sync_says_so(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    assert "Aktualne" in window.status_text()


def test_a_sync_that_could_not_read_conversations_does_not_say_up_to_date(
    qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro
) -> None:
    # Every conversation's messages answer 403: the listings work, each fetch fails and is recorded.
    fake_allegro.faults.forbidden_endpoints = {"GET /messaging/threads/{id}/messages", "GET /sale/issues/{id}/chat"}
    window = make_window()
    assert "Aktualne" not in window.status_text()
    assert "nie udało się odczytać" in window.status_text()


def test_a_sync_refused_for_the_sign_in_says_to_connect_again(
    qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro
) -> None:
    fake_allegro.faults.unauthorized = 1000  # the token is refused, and refreshing cannot help
    window = make_window()
    assert "Aktualne" not in window.status_text()
    assert "Połącz ponownie" in window.status_text()


def test_a_sync_stopped_by_server_errors_says_when_the_next_check_is(
    qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro
) -> None:
    def backend_whose_allegro_fails() -> Backend:
        backend = demo_backend(context.paths, fake_allegro)
        assert isinstance(backend, ConnectedBackend)

        def unavailable(*args: Any, **kwargs: Any) -> SyncReport:
            now = datetime.now(timezone.utc)
            return SyncReport(started_at=now, finished_at=now, unavailable=True,
                              backoff_until=now + timedelta(minutes=4), errors=["5xx three times in a row"])

        backend.sync.run_once = unavailable  # type: ignore[method-assign]
        return backend

    window = make_window(backend_factory=backend_whose_allegro_fails)
    assert "Allegro ma problemy techniczne" in window.status_text()
    assert "Aktualne" not in window.status_text()


def test_a_refused_sign_in_shows_the_banner_and_never_up_to_date(
    qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro
) -> None:
    fake_allegro.faults.unauthorized = 1000  # every request: 401 invalid_token
    window = make_window()
    banner = window.sign_in_banner()
    assert banner.isVisible() and "nie przyjmuje już logowania" in banner.text()
    assert "Aktualne" not in window.status_text() and "Połącz ponownie" in window.status_text()

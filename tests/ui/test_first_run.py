"""The first-run screen: connecting an account through the real device flow against the fake Allegro, its
failures, cancelling, and the demo.

No sleeps in the test: it waits on signals and conditions. The sign-in's own pause between polls is cut to a moment
and the fake's clock only moves when a test says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from ui_sample_data import (
    ANNA,
    REAL_THREAD,
    SIGN_IN,
    account_backend,
    connect_account,
    demo_backend,
    real_account_data,
)

from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.app.account_setup import AccountSetup
from magazyn_desktop.app.backend_types import Backend, ConnectedBackend, NoAccount, SignInNeed
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.app.settings import Settings, load_settings, save_settings
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.paths import AppPaths

DEVICE_REQUEST = "POST /auth/oauth/device"
DEVICE_CODE_SECONDS = 3600  # how long the fake's user codes live


class ManualClock:
    """Monotonic seconds for the fake Allegro and the sign-in; they move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _short_pause(_seconds: float) -> None:
    """The device flow's wait between polls, cut to a moment (the test's clock does not move meanwhile)."""
    time.sleep(0.01)


@dataclass
class FirstRun:
    """A window on the first-run screen, and the Allegro the user is about to connect."""

    window: Any
    allegro: DemoAllegro
    clock: ManualClock
    credentials: CredentialStore
    built: list[Backend] = field(default_factory=list)  # every backend the window asked for, in order
    opened: list[str] = field(default_factory=list)  # pages the "open the page" button opened

    def user_code(self) -> str:
        codes = self.allegro.auth.pending_user_codes()
        assert len(codes) == 1, codes
        return codes[0]


@pytest.fixture
def first_run_paths(sample_paths: AppPaths) -> AppPaths:
    # The environment a previous attempt chose: a custom one, which is where the fake Allegro lives.
    save_settings(sample_paths.settings_file, Settings(first_run_done=False, environment="custom",
                                                       api_url=SIGN_IN.api_url, auth_url=SIGN_IN.auth_url))
    return sample_paths


@pytest.fixture
def make_first_run(qtbot: Any, first_run_paths: AppPaths, fake_allegro: DemoAllegro,
                   allegro_at_its_address: Callable[[DemoAllegro], None]) -> Iterator[Callable[[], FirstRun]]:
    from magazyn_desktop.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make() -> FirstRun:
        clock = ManualClock()
        allegro = DemoAllegro(real_account_data(), clock=clock)
        allegro_at_its_address(allegro)  # where the connected account's backend finds it
        credentials = CredentialStore()  # the suite has no usable keyring: memory only

        def backend_factory() -> Backend:
            # No account until a sign-in happened; afterwards the account's backend.
            backend = account_backend(first_run_paths, credentials)
            run.built.append(backend)
            return backend

        def demo_factory() -> Backend:
            backend = demo_backend(first_run_paths, fake_allegro)
            run.built.append(backend)
            return backend

        def sign_in_factory(backend: Backend) -> AccountSetup:
            return AccountSetup(backend.store, credentials, transport=allegro.transport(), clock=clock,
                                sleeper=_short_pause)

        context = AppContext(paths=first_run_paths, language="pl", demo=False)
        window = MainWindow(context, backend_factory=backend_factory, demo_backend_factory=demo_factory,
                            sign_in_factory=sign_in_factory)
        run = FirstRun(window=window, allegro=allegro, clock=clock, credentials=credentials)
        window.first_run_page().open_url = lambda url: run.opened.append(url.toString())
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        with qtbot.waitSignal(window.initial_sync_finished, timeout=5000):
            window.start_background_work()
        assert window.is_first_run_shown() and isinstance(window.backend, NoAccount)
        return run

    yield make
    for window in windows:
        window.shutdown()


def _connect(qtbot: Any, window: Any, client_id: str = "my-client", secret: str = "my-secret") -> Any:
    page = window.first_run_page()
    page.fill(client_id, secret)
    qtbot.mouseClick(page.connect_button(), _left())
    return page


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def _waiting_for_the_user(qtbot: Any, run: FirstRun) -> None:
    """The code is shown and the sign-in polls Allegro, which still waits for the user."""
    qtbot.waitUntil(lambda: run.allegro.request_counts().get("POST /auth/oauth/token", 0) >= 1, timeout=5000)


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_connecting_shows_the_code_then_switches_to_the_inbox_and_syncs(
    qtbot: Any, make_first_run: Callable[[], FirstRun], first_run_paths: AppPaths
) -> None:
    run = make_first_run()
    window = run.window
    page = _connect(qtbot, window)
    qtbot.waitUntil(lambda: page.user_code() != "", timeout=5000)
    assert page.user_code() == run.user_code()
    assert page.cancel_button().isVisibleTo(page) and page.open_page_button().isVisibleTo(page)
    assert not page.connect_button().isEnabled()
    assert "menedżer haseł" in page.note_text()  # said before the user confirms
    qtbot.mouseClick(page.open_page_button(), _left())
    assert run.opened == [f"{DemoAllegro.VERIFICATION_URI}?code={run.user_code()}"]

    messages: list[str] = []
    window.user_message.connect(messages.append)
    with qtbot.waitSignal(window.signed_in, timeout=5000) as blocker:
        assert run.allegro.approve_device(run.user_code())  # the user confirms on Allegro's page
    assert blocker.args[0].login == "sklep_prawdziwy"
    qtbot.waitUntil(lambda: len(run.built) == 2 and window.backend is run.built[1], timeout=5000)
    connected = run.built[1]
    assert isinstance(connected, ConnectedBackend) and connected.account_id == blocker.args[0].account_id
    assert run.credentials.load_secret("my-client") == "my-secret"
    # The first sync of the new account: its conversation arrives in the list.
    qtbot.waitUntil(lambda: window.list_model().row_of(REAL_THREAD) is not None, timeout=5000)
    assert not window.is_first_run_shown()
    assert any("tylko do zamknięcia programu" in message for message in messages)
    assert load_settings(first_run_paths.settings_file).first_run_done is True
    qtbot.waitUntil(lambda: run.built[0]._closed, timeout=5000)  # the account-less backend is released
    _idle(qtbot, window)


def _deny(run: FirstRun) -> None:
    assert run.allegro.deny_device(run.user_code())


def _let_the_code_expire(run: FirstRun) -> None:
    run.clock.advance(DEVICE_CODE_SECONDS + 1)


def _refuse_the_client(run: FirstRun) -> None:
    run.allegro.faults.refused_client = 1  # the next poll: Allegro no longer takes this Client ID


@pytest.mark.parametrize(("fail", "expected"), [
    (_deny, "nie udzielono zgody"),
    (_let_the_code_expire, "wygasł"),
    (_refuse_the_client, "Client ID"),
])
def test_a_failed_sign_in_says_why_in_polish(
    qtbot: Any, make_first_run: Callable[[], FirstRun], fail: Callable[[FirstRun], None], expected: str
) -> None:
    run = make_first_run()
    window = run.window
    page = _connect(qtbot, window)
    _waiting_for_the_user(qtbot, run)
    fail(run)
    qtbot.waitUntil(lambda: expected in page.status_text(), timeout=5000)
    assert page.connect_button().isEnabled() and page.user_code() == ""
    assert window.is_first_run_shown() and len(run.built) == 1
    _idle(qtbot, window)


def test_wrong_client_credentials_are_reported_at_once(qtbot: Any, make_first_run: Callable[[], FirstRun]) -> None:
    run = make_first_run()
    run.allegro.faults.refused_client = 1
    page = _connect(qtbot, run.window)
    qtbot.waitUntil(lambda: "Client ID" in page.status_text(), timeout=5000)
    assert page.connect_button().isEnabled()
    assert run.allegro.request_counts() == {DEVICE_REQUEST: 1}  # no polling after the refusal
    _idle(qtbot, run.window)


def test_an_unreachable_sign_in_server_asks_to_check_the_connection(
    qtbot: Any, make_first_run: Callable[[], FirstRun]
) -> None:
    run = make_first_run()
    page = run.window.first_run_page()
    page.set_environment("custom", "https://nieosiagalny.invalid", "https://nieosiagalny.invalid")
    page = _connect(qtbot, run.window)
    qtbot.waitUntil(lambda: "połączenie z internetem" in page.status_text(), timeout=5000)
    assert page.connect_button().isEnabled() and run.allegro.request_counts() == {}
    _idle(qtbot, run.window)


def test_cancel_stops_waiting_and_returns_to_the_form(qtbot: Any, make_first_run: Callable[[], FirstRun]) -> None:
    run = make_first_run()
    window = run.window
    page = _connect(qtbot, window)
    _waiting_for_the_user(qtbot, run)
    qtbot.mouseClick(page.cancel_button(), _left())
    assert page.connect_button().isEnabled() and page.status_text()
    _idle(qtbot, window)  # the worker noticed and ended
    polls = run.allegro.request_counts()["POST /auth/oauth/token"]
    assert run.allegro.approve_device(run.user_code())  # confirming now changes nothing: nobody polls any more
    assert run.allegro.request_counts()["POST /auth/oauth/token"] == polls
    assert window.is_first_run_shown() and len(run.built) == 1


def test_missing_details_are_asked_for_without_signing_in(qtbot: Any,
                                                         make_first_run: Callable[[], FirstRun]) -> None:
    run = make_first_run()
    page = run.window.first_run_page()
    qtbot.mouseClick(page.connect_button(), _left())
    assert "identyfikator i tajny klucz aplikacji" in page.form_error_text() and not page.confirmation_shown()
    _idle(qtbot, run.window)
    assert run.allegro.request_counts() == {}


def test_try_the_demo_switches_to_the_demo_backend(qtbot: Any, make_first_run: Callable[[], FirstRun],
                                                   fake_allegro: DemoAllegro) -> None:
    run = make_first_run()
    window = run.window
    with qtbot.waitSignal(window.backend_ready, timeout=15000):
        qtbot.mouseClick(window.first_run_page().demo_button(), _left())
    demo = run.built[-1]
    assert window.backend is demo and isinstance(demo, ConnectedBackend) and demo.demo
    assert not window.is_first_run_shown()
    qtbot.waitUntil(lambda: window.list_model().row_of(ANNA) is not None, timeout=15000)  # synced from the demo
    assert run.allegro.request_counts() == {}  # the account to connect was never asked
    _idle(qtbot, window)


def test_an_account_that_needs_signing_in_again_keeps_its_inbox_with_a_banner(
    qtbot: Any, sample_paths: AppPaths, allegro_at_its_address: Callable[[DemoAllegro], None]
) -> None:
    """A session-only sign-in (no keyring) after a restart: the account is known, its tokens are not. The cached
    inbox stays readable under a banner that says why; "Połącz ponownie" brings the form back with the account's
    environment and client id (the secret was kept in memory only, so it is asked for again)."""
    from magazyn_desktop.ui.main_window import MainWindow

    allegro = DemoAllegro(real_account_data())
    allegro_at_its_address(allegro)
    credentials = connect_account(sample_paths, allegro)
    first = account_backend(sample_paths, credentials)
    assert isinstance(first, ConnectedBackend)
    first.sync.run_once()  # the cache holds the account's conversation
    first.close()
    save_settings(sample_paths.settings_file, Settings(first_run_done=True))
    # A new program start: a new credential store, which has none of the earlier session's tokens.
    window = MainWindow(AppContext(paths=sample_paths, language="pl", demo=False),
                        backend_factory=lambda: account_backend(sample_paths, CredentialStore()))
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.initial_sync_finished, timeout=5000):
            window.start_background_work()
        assert isinstance(window.backend, NoAccount) and window.backend.account_id is not None
        assert window.backend.need is SignInNeed.NO_KEYRING
        assert not window.is_first_run_shown()
        banner = window.sign_in_banner()
        assert banner.isVisible() and "menedżer haseł" in banner.text() and "sklep_prawdziwy" in banner.text()
        qtbot.waitUntil(lambda: window.list_model().row_of(REAL_THREAD) is not None, timeout=5000)
        assert "Aktualne" not in window.status_text()

        qtbot.mouseClick(banner.reconnect_button(), _left())
        qtbot.waitUntil(window.is_first_run_shown, timeout=5000)
        page = window.first_run_page()
        assert page._client_id.text() == SIGN_IN.client_id and page._environment.currentData() == "custom"
        assert page.back_button().isVisible() and not page.demo_button().isVisible()
        qtbot.mouseClick(page.back_button(), _left())
        assert not window.is_first_run_shown() and banner.isVisible()
    finally:
        window.shutdown()


def test_sign_out_keeps_the_inbox_and_connecting_again_starts_the_flow_at_once(
    qtbot: Any, make_first_run: Callable[[], FirstRun]
) -> None:
    from magazyn_desktop.ui.settings_dialog import SIGN_OUT

    run = make_first_run()
    window = run.window
    page = _connect(qtbot, window)
    _waiting_for_the_user(qtbot, run)
    with qtbot.waitSignal(window.signed_in, timeout=5000):
        assert run.allegro.approve_device(run.user_code())
    qtbot.waitUntil(lambda: window.list_model().row_of(REAL_THREAD) is not None, timeout=5000)

    dialog = window.settings_dialog()
    assert "sklep_prawdziwy" in dialog.account_text() and dialog.sign_out_button().isEnabled()
    dialog.account_action = SIGN_OUT
    window.settings_chosen(dialog)
    qtbot.waitUntil(lambda: isinstance(window.backend, NoAccount) and window.sign_in_banner().isVisible(),
                    timeout=5000)
    assert window.backend.need is SignInNeed.SIGNED_OUT  # type: ignore[union-attr]
    assert run.credentials.load_tokens("custom:my-client") is None  # the tokens are gone from the store
    assert window.list_model().row_of(REAL_THREAD) is not None  # the conversations stay
    dialog = window.settings_dialog()
    assert not dialog.sign_out_button().isEnabled() and dialog.reconnect_button().isEnabled()

    # The secret is still kept: connecting again goes straight to the code.
    qtbot.mouseClick(window.sign_in_banner().reconnect_button(), _left())
    qtbot.waitUntil(lambda: page.user_code() != "", timeout=5000)
    with qtbot.waitSignal(window.signed_in, timeout=5000):
        assert run.allegro.approve_device(run.user_code())
    qtbot.waitUntil(lambda: isinstance(window.backend, ConnectedBackend), timeout=5000)
    assert not window.sign_in_banner().isVisible() and not window.is_first_run_shown()
    _idle(qtbot, window)

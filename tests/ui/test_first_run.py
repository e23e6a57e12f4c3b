"""The first-run screen: connecting an account through a fake sign-in, its failures, cancelling, and the demo.

No sleeps: the fake sign-in's wait blocks on an event the test sets, and the test waits on signals and conditions.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from magazyn_desktop.app.account_setup import SignInRequest
from magazyn_desktop.allegro.errors import NetworkError, SignInError
from magazyn_desktop.allegro.models import DeviceAuthorization
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.app.settings import Settings, load_settings, save_settings
from ui_sample_data import FakeBackend, FakeStore

AUTHORIZATION = DeviceAuthorization(device_code="dev-1", user_code="ABCD1234",
                                    verification_uri="https://allegro.pl/skojarz-aplikacje",
                                    verification_uri_complete="https://allegro.pl/skojarz-aplikacje?code=ABCD1234",
                                    expires_in=3600, interval=5)


@dataclass
class FakeResult:
    account_id: int = 1
    environment: str = "sandbox"
    login: str | None = "sklep"
    credentials: Any = None
    tokens_persisted: bool = False


class FakeSignIn:
    """Stands in for AccountSetup: start() answers at once, wait() blocks until the test decides."""

    def __init__(self, *, start_error: BaseException | None = None, tokens_persisted: bool = False) -> None:
        self.start_error = start_error
        self.tokens_persisted = tokens_persisted
        self.requests: list[SignInRequest] = []
        self.outcome: BaseException | FakeResult | None = None
        self.decided = threading.Event()
        self.waiting = threading.Event()
        self.closed = 0

    def start(self, request: SignInRequest) -> DeviceAuthorization:
        self.requests.append(request)
        if self.start_error is not None:
            raise self.start_error
        return AUTHORIZATION

    def wait(self, authorization: DeviceAuthorization, cancelled: Callable[[], bool]) -> FakeResult:
        self.waiting.set()
        # Like the real poll loop: between polls, look at the cancel token.
        while not self.decided.wait(0.01):
            if cancelled():
                raise SignInError("sign-in cancelled", reason="cancelled")
        assert self.outcome is not None
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome

    def decide(self, outcome: BaseException | FakeResult) -> None:
        self.outcome = outcome
        self.decided.set()

    def close(self) -> None:
        self.closed += 1


@pytest.fixture
def first_run_paths(sample_paths: AppPaths) -> AppPaths:
    save_settings(sample_paths.settings_file, Settings(first_run_done=False, environment="sandbox"))
    return sample_paths


@pytest.fixture
def make_first_run(qtbot: Any, first_run_paths: AppPaths) -> Any:
    from magazyn_desktop.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(sign_in: FakeSignIn) -> tuple[MainWindow, list[FakeBackend]]:
        built: list[FakeBackend] = []

        def backend_factory() -> FakeBackend:
            # No account until a sign-in happened; afterwards the rebuilt backend has one.
            backend = FakeBackend(store=FakeStore(first_run_paths.database), has_account=bool(built))
            built.append(backend)
            return backend

        demo_backends: list[FakeBackend] = []

        def demo_factory() -> FakeBackend:
            backend = FakeBackend(store=FakeStore(first_run_paths.database))
            demo_backends.append(backend)
            built.append(backend)
            return backend

        context = AppContext(paths=first_run_paths, language="pl", demo=False)
        window = MainWindow(context, backend_factory=backend_factory, demo_backend_factory=demo_factory,
                            sign_in_factory=lambda backend: sign_in)
        window.first_run_page().open_url = lambda url: opened.append(url.toString())
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        with qtbot.waitSignal(window.initial_sync_finished, timeout=5000):
            window.start_background_work()
        assert window.is_first_run_shown()
        return window, built

    opened: list[str] = []
    make.opened = opened  # type: ignore[attr-defined]
    yield make
    for window in windows:
        window.shutdown()


def _connect(qtbot: Any, window: Any) -> Any:
    page = window.first_run_page()
    page.fill("my-client", "my-secret")
    qtbot.mouseClick(page.connect_button(), _left())
    return page


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_connecting_shows_the_code_then_switches_to_the_inbox_and_syncs(
    qtbot: Any, make_first_run: Any, first_run_paths: AppPaths
) -> None:
    sign_in = FakeSignIn(tokens_persisted=False)
    window, built = make_first_run(sign_in)
    page = _connect(qtbot, window)
    qtbot.waitUntil(lambda: page.user_code() == "ABCD1234", timeout=5000)
    assert sign_in.requests == [SignInRequest(environment="sandbox", client_id="my-client",
                                              client_secret="my-secret", api_url="", auth_url="")]
    assert page.cancel_button().isVisibleTo(page) and page.open_page_button().isVisibleTo(page)
    assert not page.connect_button().isEnabled()
    assert "keyring" in page.note_text()  # said before the user confirms
    qtbot.mouseClick(page.open_page_button(), _left())
    assert make_first_run.opened == ["https://allegro.pl/skojarz-aplikacje?code=ABCD1234"]

    messages: list[str] = []
    window.user_message.connect(messages.append)
    with qtbot.waitSignal(window.signed_in, timeout=5000):
        sign_in.decide(FakeResult())
    qtbot.waitUntil(lambda: len(built) == 2 and window.backend is built[1], timeout=5000)
    qtbot.waitUntil(lambda: built[1].sync.runs >= 1, timeout=5000)
    assert not window.is_first_run_shown()
    assert any("tylko na tę sesję" in message for message in messages)
    assert load_settings(first_run_paths.settings_file).first_run_done is True
    qtbot.waitUntil(lambda: built[0].closed, timeout=5000)  # the account-less backend is released
    assert sign_in.closed >= 1


@pytest.mark.parametrize(("error", "expected"), [
    (SignInError("denied", reason="access_denied"), "odmówiono"),
    (SignInError("expired", reason="expired"), "wygasł"),
    (SignInError("bad client", reason="invalid_client", status=401), "Client ID"),
    (NetworkError("no route"), "połączenie z internetem"),
])
def test_a_failed_sign_in_says_why_in_polish(
    qtbot: Any, make_first_run: Any, error: BaseException, expected: str
) -> None:
    sign_in = FakeSignIn()
    window, built = make_first_run(sign_in)
    page = _connect(qtbot, window)
    qtbot.waitUntil(lambda: sign_in.waiting.is_set(), timeout=5000)
    sign_in.decide(error)
    qtbot.waitUntil(lambda: expected in page.status_text(), timeout=5000)
    assert page.connect_button().isEnabled() and page.user_code() == ""
    assert window.is_first_run_shown() and len(built) == 1


def test_wrong_client_credentials_are_reported_at_once(qtbot: Any, make_first_run: Any) -> None:
    sign_in = FakeSignIn(start_error=SignInError("refused", reason="invalid_client", status=401))
    window, _built = make_first_run(sign_in)
    page = _connect(qtbot, window)
    qtbot.waitUntil(lambda: "Client ID" in page.status_text(), timeout=5000)
    assert page.connect_button().isEnabled()
    assert sign_in.closed == 1


def test_cancel_stops_waiting_and_returns_to_the_form(qtbot: Any, make_first_run: Any) -> None:
    sign_in = FakeSignIn()
    window, built = make_first_run(sign_in)
    page = _connect(qtbot, window)
    qtbot.waitUntil(lambda: sign_in.waiting.is_set(), timeout=5000)
    qtbot.mouseClick(page.cancel_button(), _left())
    assert page.connect_button().isEnabled() and page.status_text()
    qtbot.waitUntil(lambda: sign_in.closed == 1, timeout=5000)  # the worker noticed and ended
    assert window.is_first_run_shown() and len(built) == 1


def test_missing_details_are_asked_for_without_signing_in(qtbot: Any, make_first_run: Any) -> None:
    sign_in = FakeSignIn()
    window, _built = make_first_run(sign_in)
    page = window.first_run_page()
    qtbot.mouseClick(page.connect_button(), _left())
    assert "Client ID" in page.status_text() and sign_in.requests == []


def test_try_the_demo_switches_to_the_demo_backend(qtbot: Any, make_first_run: Any) -> None:
    sign_in = FakeSignIn()
    window, built = make_first_run(sign_in)
    with qtbot.waitSignal(window.backend_ready, timeout=5000):
        qtbot.mouseClick(window.first_run_page().demo_button(), _left())
    assert window.backend is built[-1] and built[-1].has_account
    assert not window.is_first_run_shown()
    qtbot.waitUntil(lambda: built[-1].sync.runs >= 1, timeout=5000)


def test_an_account_that_needs_signing_in_again_gets_the_first_run_screen(
    qtbot: Any, sample_paths: AppPaths
) -> None:
    """A session-only sign-in (no keyring) or a refused refresh token: connecting is the only way on."""
    from magazyn_desktop.ui.main_window import MainWindow

    save_settings(sample_paths.settings_file, Settings(first_run_done=True))
    backend = FakeBackend(store=FakeStore(sample_paths.database), has_account=False)
    window = MainWindow(AppContext(paths=sample_paths, language="pl", demo=False), backend_factory=lambda: backend)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.initial_sync_finished, timeout=5000):
            window.start_background_work()
        assert window.is_first_run_shown()
    finally:
        window.shutdown()

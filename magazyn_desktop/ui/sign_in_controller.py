"""The first-run screen's wiring: connecting an Allegro account through the device flow, or trying the demo.

The sign-in runs in workers (its start, then the long wait for the user's confirmation) on the "sign-in" channel,
so cancelling, or choosing the demo meanwhile, drops whatever the flow answers later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from magazyn_desktop.app.backend_types import Backend, ConnectedBackend, NoAccount, SignInNeed
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.ui.first_run import FirstRunPage
from magazyn_desktop.ui.settings_dialog import AccountShown
from magazyn_desktop.ui.sign_in_banner import SignInBanner
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

if TYPE_CHECKING:
    from magazyn_desktop.allegro.credentials import CredentialStore
    from magazyn_desktop.allegro.models import DeviceAuthorization
    from magazyn_desktop.app.account_setup import AccountSetup, SignInResult

SignInFactory = Callable[[Backend], "AccountSetup"]
BackendFactory = Callable[[], Backend]


class SignInController(QObject):
    signed_in = Signal(object)  # the sign-in's result, once the account is connected

    def __init__(self, *, context: AppContext, page: FirstRunPage, banner: SignInBanner, pages: QStackedWidget,
                 pool: WorkerPool,
                 backend: Callable[[], Backend | None], sign_in_factory: SignInFactory | None,
                 backend_factory: BackendFactory, demo_backend_factory: BackendFactory,
                 replace_backend: Callable[[BackendFactory], None], first_run_done: Callable[[], None],
                 show_message: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._page = page
        self._banner = banner
        self._pages = pages  # page 0 is the inbox
        self._pool = pool
        self._backend = backend
        # Builds the object that runs the device flow, given the current backend (worker thread).
        self._sign_in_factory = sign_in_factory or _default_sign_in
        self._backend_factory = backend_factory
        self._demo_backend_factory = demo_backend_factory
        self._replace_backend = replace_backend
        self._first_run_done = first_run_done
        self._show_message = show_message
        self.credentials: CredentialStore | None = None  # the sign-in's CredentialStore: it may hold the only copy of the tokens
        page.demo_requested.connect(self._on_demo_chosen)
        page.connect_requested.connect(self._on_connect_requested)
        page.cancel_requested.connect(self._on_sign_in_cancelled)
        page.back_requested.connect(self._on_back)
        banner.reconnect_requested.connect(self.reconnect)

    def needs_first_run(self, backend: Backend) -> bool:
        if self._context.smoke_test:
            return False
        # Not gated on first_run_done: without a usable account (never connected, a sign-in that lasted one session
        # for want of a keyring, or a refresh token Allegro no longer takes) connecting is the only way on.
        # An account connected before keeps its saved conversations on screen, with the banner.
        if isinstance(backend, NoAccount) and backend.account_id is not None:
            return False
        return not isinstance(backend, ConnectedBackend) and not self._context.demo

    def show_if_needed(self, backend: Backend) -> None:
        """The first-run screen for a computer never connected; the banner for an account that needs signing in
        again; neither for a connected one."""
        if self.needs_first_run(backend):
            self._pages.setCurrentWidget(self._page)
        elif isinstance(backend, NoAccount) and backend.account_id is not None and not self._context.smoke_test:
            self._banner.show_need(backend.need, backend.login)
        else:
            self._banner.clear()

    def sign_in_refused(self) -> None:
        """Allegro refused the account's refresh token during a sync."""
        backend = self._backend()
        login = backend.store.account_login(backend.account_id) \
            if backend is not None and backend.account_id is not None else None
        self._banner.show_need(SignInNeed.REFUSED, login)

    def reconnect(self) -> None:
        """Connect the known account again: its environment and client id filled in, and the device flow started
        at once when its client secret is still kept."""
        backend = self._backend()
        if backend is None:
            self._show_message(self.tr("The program is still starting. Try again in a moment."))
            return
        account_id = backend.account_id if not backend.demo else None

        def details(_token: CancelToken) -> tuple[str, str, str, str, str]:
            from magazyn_desktop.allegro.credentials import CredentialStore

            stored = backend.store.connected_account() if account_id is not None else None
            if stored is None or not stored.client_id:
                return "", "", "", "", ""
            credentials = backend.credentials or self.credentials or CredentialStore()
            secret = credentials.load_secret(stored.client_id) or ""
            return (stored.environment, stored.client_id, secret, stored.api_url or "", stored.auth_url or "")

        def fill(found: tuple[str, str, str, str, str]) -> None:
            environment, client_id, secret, api_url, auth_url = found
            self._page.reset()
            self._page.set_reconnecting(True)
            if environment:
                self._page.set_environment(environment, api_url, auth_url)
            self._page.fill(client_id, secret)
            self._pages.setCurrentWidget(self._page)
            if client_id and secret:
                self._page.connect_now()

        self._pool.submit(details, on_result=fill, on_error=self._page.show_failure, channel="sign-in")

    def account_shown(self) -> AccountShown | None:
        """The account the settings dialog names (read from the cache on the GUI thread: one row by key)."""
        backend = self._backend()
        if backend is None:
            return None
        if backend.demo:
            return AccountShown(backend.store.account_login(backend.account_id)
                                if backend.account_id is not None else None, "demo", True)
        stored = backend.store.connected_account()
        if stored is None:
            return None
        signed_in = isinstance(backend, ConnectedBackend) and self._banner.need is None
        return AccountShown(stored.login, stored.environment, signed_in)

    def sign_out(self) -> None:
        """Remove this computer's tokens for the account from the keyring; its saved conversations stay, with the
        banner to connect it again."""
        backend = self._backend()
        if backend is None or backend.demo:
            return

        def forget(_token: CancelToken) -> None:
            from magazyn_desktop.allegro.credentials import CredentialStore

            stored = backend.store.connected_account()
            if stored is None or not stored.client_id:
                return
            credentials = backend.credentials or self.credentials or CredentialStore()
            credentials.forget(f"{stored.environment}:{stored.client_id}")

        def done(_result: None) -> None:
            self._show_message(self.tr("Signed out. The saved conversations can still be read."))
            self._replace_backend(self._backend_factory)

        self._pool.submit(forget, on_result=done, on_error=self._page.show_failure, channel="sign-in")

    def _on_back(self) -> None:
        self._pool.invalidate("sign-in")
        self._page.reset()
        self._pages.setCurrentIndex(0)

    def _on_demo_chosen(self) -> None:
        """Look around with the demo data for this session; the first-run screen comes back on the next start."""
        self._pool.invalidate("sign-in")
        self._pages.setCurrentIndex(0)
        self._replace_backend(self._demo_backend_factory)

    def _on_connect_requested(self, details: dict[str, str]) -> None:
        from magazyn_desktop.app.account_setup import SignInRequest

        backend = self._backend()
        if backend is None:
            self._page.reset(self.tr("The program is still starting. Try again in a moment."))
            return
        request = SignInRequest(**details)
        factory = self._sign_in_factory

        def start(_token: CancelToken) -> tuple[AccountSetup, DeviceAuthorization]:
            flow = factory(backend)
            try:
                return flow, flow.start(request)
            except BaseException:
                flow.close()
                raise

        def started(outcome: tuple[AccountSetup, DeviceAuthorization]) -> None:
            flow, authorization = outcome
            self._page.show_user_code(authorization.user_code,
                                      authorization.verification_uri_complete or authorization.verification_uri)
            if not flow.tokens_persisted:
                self._page.show_session_only_note()

            def wait(token: CancelToken) -> SignInResult:
                try:
                    return flow.wait(authorization, token)
                finally:
                    flow.close()

            # A cancelled wait ends by itself (the token is checked between polls); its outcome is dropped.
            self._pool.submit(wait, on_result=self._on_signed_in, on_error=self._page.show_failure,
                              channel="sign-in")

        # Cancelled or overtaken while Allegro was asked for a code: the flow that still arrives is closed.
        self._pool.submit(start, on_result=started, on_error=self._page.show_failure,
                          dispose=lambda outcome: outcome[0].close(), channel="sign-in")

    def _on_sign_in_cancelled(self) -> None:
        self._pool.invalidate("sign-in")
        self._page.reset(self.tr("Signing in was cancelled."))

    def _on_signed_in(self, result: SignInResult) -> None:
        self.credentials = result.credentials
        self._first_run_done()
        self._page.reset()
        self._page.set_reconnecting(False)
        self._banner.clear()
        self._pages.setCurrentIndex(0)
        if result.tokens_persisted:
            self._show_message(self.tr("The Allegro account is connected."))
        else:
            self._show_message(self.tr("The Allegro account is connected. No usable password store (keyring): "
                                       "tokens kept for this session only."))
        self.signed_in.emit(result)
        self._replace_backend(self._backend_factory)


def _default_sign_in(backend: Backend) -> AccountSetup:
    """The device-flow runner over the backend's store and credential store (worker thread: keyring may block)."""
    from magazyn_desktop.app.account_setup import AccountSetup
    from magazyn_desktop.allegro.credentials import CredentialStore

    credentials = backend.credentials or CredentialStore()
    return AccountSetup(backend.store, credentials)

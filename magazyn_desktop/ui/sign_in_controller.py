"""The first-run screen's wiring: connecting an Allegro account through the device flow, or trying the demo.

The sign-in runs in workers (its start, then the long wait for the user's confirmation) on the "sign-in" channel,
so cancelling, or choosing the demo meanwhile, drops whatever the flow answers later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.ui.first_run import FirstRunPage
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

if TYPE_CHECKING:
    from magazyn_desktop.allegro.credentials import CredentialStore
    from magazyn_desktop.allegro.models import DeviceAuthorization
    from magazyn_desktop.app.account_setup import AccountSetup, SignInResult

SignInFactory = Callable[[Backend], "AccountSetup"]
BackendFactory = Callable[[], Backend]


class SignInController(QObject):
    signed_in = Signal(object)  # the sign-in's result, once the account is connected

    def __init__(self, *, context: AppContext, page: FirstRunPage, pages: QStackedWidget, pool: WorkerPool,
                 backend: Callable[[], Backend | None], sign_in_factory: SignInFactory | None,
                 backend_factory: BackendFactory, demo_backend_factory: BackendFactory,
                 replace_backend: Callable[[BackendFactory], None], first_run_done: Callable[[], None],
                 show_message: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._page = page
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

    def needs_first_run(self, backend: Backend) -> bool:
        if self._context.smoke_test:
            return False
        # Not gated on first_run_done: without a usable account (never connected, a sign-in that lasted one session
        # for want of a keyring, or a refresh token Allegro no longer takes) connecting is the only way on.
        return not isinstance(backend, ConnectedBackend) and not self._context.demo

    def show_if_needed(self, backend: Backend) -> None:
        if self.needs_first_run(backend):
            self._pages.setCurrentWidget(self._page)

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

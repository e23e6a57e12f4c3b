"""The order panel's content for the open conversation.

The order the conversation names, or else the one the user picked for it (order_choices). An order is read from the
cache; one that is not there, or that is not sent yet (its status and waybills may still change), is read from
Allegro, the cached copy shown meanwhile. An order Allegro refused (404, 403) is recorded and not asked for again.
A conversation with neither shows that it is not linked to an order, with the buyer's recent orders to pick from.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from magazyn_desktop.allegro.errors import AllegroError, refusal_status
from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.domain.records import Order
from magazyn_desktop.ui import errors
from magazyn_desktop.ui.order_panel import OrderPanel
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

log = logging.getLogger(__name__)

CHANNEL = "order"


@dataclass(frozen=True)
class _Refused:
    """Allegro will not show the order: deleted, or another seller's."""

    order_id: str
    status: int


@dataclass(frozen=True)
class _Load:
    order_id: str | None
    conversation_id: str | None
    buyer_login: str | None


@dataclass(frozen=True)
class _Open:
    conversation_id: str
    buyer_login: str | None


class OrderLoader(QObject):
    order_displayed = Signal(str)
    order_chosen = Signal(str, str)  # conversation id, the order the user linked it to (stored)
    candidates_displayed = Signal(str)  # conversation id: the buyer's recent orders are offered

    def __init__(self, *, panel: OrderPanel, pool: WorkerPool, backend: Callable[[], Backend | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._panel = panel
        self._pool = pool
        self._backend = backend
        # Settled orders change no more: reopening their conversation needs no request. Orders awaiting shipment
        # are shown from here at once and read again.
        self._orders: dict[str, Order] = {}
        self._open: _Open | None = None
        # A load that could not be done for want of a connected backend (a cold `--open`): done again once there is.
        self._waiting_for_backend: _Load | None = None
        panel.order_picked.connect(self._on_picked)
        panel.change_requested.connect(self._on_change_requested)

    def displayed_order(self) -> Order | None:
        """The order the panel shows for the open conversation, once read; None while there is none."""
        order_id = self._panel.order_id
        return self._orders.get(order_id) if order_id and self._open is not None else None

    def clear(self) -> None:
        """Another conversation is opening: empty the panel and drop any order still on its way."""
        self._open = None
        self._waiting_for_backend = None
        self._panel.show_message("")
        self._pool.invalidate(CHANNEL)

    def load_waiting(self) -> None:
        """A backend is ready: do the load that was asked for before there was one (a cold `--open`)."""
        waiting = self._waiting_for_backend
        if waiting is not None and isinstance(self._backend(), ConnectedBackend):
            self.load(waiting.order_id, conversation_id=waiting.conversation_id, buyer_login=waiting.buyer_login)

    def load(self, order_id: str | None, *, conversation_id: str | None = None,
             buyer_login: str | None = None) -> None:
        """The order a conversation names; without one, the order picked for it, or the buyer's to pick from."""
        self._open = _Open(conversation_id, buyer_login) if conversation_id else None
        request = _Load(order_id, conversation_id, buyer_login)
        self._waiting_for_backend = None if isinstance(self._backend(), ConnectedBackend) else request
        if order_id:
            self._show(order_id, changeable=False)
            return
        backend = self._backend()
        if conversation_id is None or backend is None:
            self._panel.show_message(self._not_linked_text())
            return
        store = backend.store

        def run(_token: CancelToken) -> str | None:
            return store.chosen_order(conversation_id)

        def done(chosen: str | None) -> None:
            if not self._is_open(conversation_id):
                return
            if chosen:
                self._show(chosen, changeable=True)
            else:
                self._offer_orders(conversation_id, buyer_login, current=None)

        self._pool.submit(run, on_result=done, on_error=self._failed(None, "loading an order"), channel=CHANNEL)

    # ==== one order ===============================================================================================

    def _show(self, order_id: str, *, changeable: bool) -> None:
        known = self._orders.get(order_id)
        if known is not None and not known.read_again_when_shown:
            self._display(known, changeable)
            return
        backend = self._backend()
        if not isinstance(backend, ConnectedBackend):
            if known is not None:
                self._display(known, changeable)
                return
            self._panel.show_message(self.tr("Order %1: details appear when the connection to Allegro "
                                             "is ready.").replace("%1", order_id), order_id)
            return
        if known is not None:
            self._panel.show_order(known, changeable=changeable)  # as last seen, until Allegro's answer
        else:
            self._panel.show_loading(order_id)

        def run(token: CancelToken) -> Order | _Refused:
            status = backend.store.order_unavailable_status(order_id)
            if status is not None:
                return _Refused(order_id, status)
            cached = backend.store.load_order(order_id)
            if cached is not None and not cached.read_again_when_shown:
                return cached
            if cached is not None and known is None:
                token.report(cached)
            token.raise_if_cancelled()
            try:
                fresh = backend.client.get_order(order_id)
            except AllegroError as exc:
                refused = refusal_status(exc)
                if refused is not None:
                    backend.store.mark_order_unavailable(backend.account_id, order_id, refused)
                    return _Refused(order_id, refused)
                if cached is None:
                    raise
                log.info("order %s could not be read again (%s); the cached copy is shown", order_id, exc)
                return cached
            backend.store.save_order(backend.account_id, fresh)
            return fresh

        def progress(cached: Order) -> None:
            if self._panel.order_id == order_id:
                self._panel.show_order(cached, changeable=changeable)

        def done(outcome: Order | _Refused) -> None:
            if isinstance(outcome, _Refused):
                self._orders.pop(order_id, None)
                if self._panel.order_id == order_id:
                    self._show_refused(outcome, changeable)
                return
            self._orders[order_id] = outcome
            if self._panel.order_id == order_id:
                self._display(outcome, changeable)

        self._pool.submit(run, on_result=done, on_error=self._failed(order_id, "loading an order"),
                          on_progress=progress, channel=CHANNEL)

    def _display(self, order: Order, changeable: bool) -> None:
        self._panel.show_order(order, changeable=changeable)
        self.order_displayed.emit(order.id)

    def _show_refused(self, refused: _Refused, changeable: bool) -> None:
        self._panel.show_message(self.tr("Order %1 is not available on Allegro (deleted, or another seller's).")
                                 .replace("%1", refused.order_id), refused.order_id)
        if changeable and self._open is not None:
            self._offer_orders(self._open.conversation_id, self._open.buyer_login, current=refused.order_id,
                               keep_message=True)

    # ==== picking an order ========================================================================================

    def _offer_orders(self, conversation_id: str, buyer_login: str | None, *, current: str | None,
                      keep_message: bool = False) -> None:
        """The buyer's recent orders under the panel's message, to link the conversation to one."""
        backend = self._backend()
        if not keep_message:
            self._panel.show_message(self._not_linked_text())
        if not buyer_login or not isinstance(backend, ConnectedBackend):
            return
        message = self._panel.state_text()
        self._panel.show_message(message + "\n" + self.tr("Loading the buyer's orders…"), self._panel.order_id)
        client = backend.client

        def run(_token: CancelToken) -> tuple[Order, ...]:
            return client.orders_of_buyer(buyer_login)

        def done(orders: tuple[Order, ...]) -> None:
            if not self._is_open(conversation_id):
                return
            if not orders:
                self._panel.show_message(message + "\n" + self.tr("The buyer has no orders with this shop."),
                                         self._panel.order_id)
                self.candidates_displayed.emit(conversation_id)
                return
            self._panel.show_message(message, self._panel.order_id)
            self._panel.show_candidates(orders, current=current)
            self.candidates_displayed.emit(conversation_id)

        def failed(error: BaseException) -> None:
            if self._is_open(conversation_id):
                self._panel.show_message(message + "\n" + errors.describe(error, doing="loading the buyer's orders"),
                                         self._panel.order_id)

        self._pool.submit(run, on_result=done, on_error=failed, channel=CHANNEL)

    def _on_picked(self, order_id: str) -> None:
        opened = self._open
        backend = self._backend()
        if opened is None or backend is None:
            return
        store = backend.store
        conversation_id = opened.conversation_id

        def run(_token: CancelToken) -> None:
            store.choose_order(conversation_id, order_id)

        def done(_none: None) -> None:
            self.order_chosen.emit(conversation_id, order_id)
            if self._is_open(conversation_id):
                self._show(order_id, changeable=True)

        # The pick is stored even if the user moves on meanwhile: not on the order channel, which a move drops.
        self._pool.submit(run, on_result=done, on_error=self._failed(None, "linking an order"))

    def _on_change_requested(self) -> None:
        if self._open is not None:
            current = self._panel.order_id
            self._panel.show_message(self.tr("Pick the order this conversation is about."), current)
            self._offer_orders(self._open.conversation_id, self._open.buyer_login, current=current,
                               keep_message=True)

    # ==== helpers =================================================================================================

    def _is_open(self, conversation_id: str) -> bool:
        return self._open is not None and self._open.conversation_id == conversation_id

    def _not_linked_text(self) -> str:
        return self.tr("This conversation is not linked to an order.")

    def _failed(self, order_id: str | None, doing: str) -> Callable[[BaseException], None]:
        def show(error: BaseException) -> None:
            if order_id is None or self._panel.order_id == order_id:
                self._panel.show_message(errors.describe(error, doing=doing), order_id)

        return show

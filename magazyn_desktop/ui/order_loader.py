"""The order panel's content for the open conversation: from the store, else from Allegro, cached per window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.ui import errors
from magazyn_desktop.ui.order_panel import OrderPanel
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

if TYPE_CHECKING:
    from magazyn_desktop.domain.records import Order


class OrderLoader(QObject):
    order_displayed = Signal(str)

    def __init__(self, *, panel: OrderPanel, pool: WorkerPool, backend: Callable[[], Backend | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._panel = panel
        self._pool = pool
        self._backend = backend
        self._orders: dict[str, Order] = {}  # orders change rarely; reopening a conversation needs no request

    def clear(self) -> None:
        """Another conversation is opening: empty the panel and drop any order still on its way."""
        self._panel.show_message("")
        self._pool.invalidate("order")

    def load(self, order_id: str | None) -> None:
        if not order_id:
            self._panel.show_message(self.tr("No order for this conversation."))
            return
        cached = self._orders.get(order_id)
        if cached is not None:
            self._panel.show_order(cached)
            self.order_displayed.emit(order_id)
            return
        backend = self._backend()
        if not isinstance(backend, ConnectedBackend):
            self._panel.show_message(self.tr("Order %1: details appear when the connection to Allegro "
                                             "is ready.").replace("%1", order_id), order_id)
            return
        self._panel.show_loading(order_id)

        def run(token: CancelToken) -> Order:
            order = backend.store.load_order(order_id)
            if order is None:
                token.raise_if_cancelled()
                order = backend.client.get_order(order_id)
                backend.store.save_order(backend.account_id, order)
            return order

        def done(order: Order) -> None:
            self._orders[order_id] = order
            if self._panel.order_id == order_id:
                self._panel.show_order(order)
                self.order_displayed.emit(order_id)

        def failed(error: BaseException) -> None:
            if self._panel.order_id == order_id:
                self._panel.show_message(errors.describe(error, doing="loading an order"), order_id)

        self._pool.submit(run, on_result=done, on_error=failed, channel="order")

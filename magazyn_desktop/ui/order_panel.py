"""The order beside a conversation: its card (ui/order_card.py), or a message saying why there is none.

For a conversation that names no order it lists the buyer's recent orders, newest first, to pick the one the
conversation is about; an order picked that way can be changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.domain.records import Order
from magazyn_desktop.ui.labels import format_time, fulfillment_label
from magazyn_desktop.ui.order_card import OrderCard
from magazyn_desktop.ui.visible_text import visible_controls
from magazyn_desktop.ui.zoom import relative_font
from magazyn_desktop.ui.plain_label import plain_label


_ORDER_ID_ROLE = Qt.ItemDataRole.UserRole


class OrderPanel(QWidget):
    order_picked = Signal(str)  # the user linked the conversation to this order
    change_requested = Signal()  # the user wants to link the conversation to another order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._order_id: str | None = None
        self._heading = QLabel(self.tr("Order"))
        relative_font(self._heading, 1.1, bold=True)
        self._state = plain_label(selectable=True)
        # The card scrolls down, never sideways: everything in it wraps to the panel's width.
        self._card = OrderCard()
        self._card_scroll = QScrollArea()
        self._card_scroll.setWidget(self._card)
        self._card_scroll.setWidgetResizable(True)
        self._card_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._card_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self._change = QPushButton(self.tr("Change order"))
        self._change.clicked.connect(self.change_requested)
        self._candidates_heading = plain_label(self.tr("The buyer's recent orders; pick the one this conversation is "
                                                       "about:"), selectable=True)
        self._candidates = QListWidget()
        self._candidates.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._candidates.setWordWrap(True)  # the panel is narrow; a long product name goes on the next line
        self._candidates.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._candidates.itemActivated.connect(lambda _item: self._pick_selected())
        self._candidates.currentItemChanged.connect(lambda *_items: self._update_pick_button())
        self._pick = QPushButton(self.tr("Link this order"))
        self._pick.clicked.connect(self._pick_selected)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self._heading)
        layout.addWidget(self._state)
        layout.addWidget(self._card_scroll, 1)
        layout.addWidget(self._change)
        layout.addWidget(self._candidates_heading)
        layout.addWidget(self._candidates, 1)
        layout.addWidget(self._pick)
        # Takes the room the hidden table leaves, so a short message stays at the top under the heading.
        self._filler = QWidget()
        layout.addWidget(self._filler, 1)
        self.show_message(self.tr("Select a conversation to see its order."))

    @property
    def order_id(self) -> str | None:
        return self._order_id

    def show_message(self, text: str, order_id: str | None = None) -> None:
        self._order_id = order_id
        self._state.setText(text)
        self._state.show()
        self._card_scroll.hide()
        self._change.hide()
        self._hide_candidates()
        self._filler.show()

    def show_candidates(self, orders: Sequence[Order], *, current: str | None = None) -> None:
        """Under the message shown: the buyer's orders to pick from (newest first, as given); `current` is the
        order picked before, selected."""
        self._candidates.clear()
        for order in orders:
            item = QListWidgetItem(self._candidate_text(order))
            item.setData(_ORDER_ID_ROLE, order.id)
            item.setToolTip(order.id)
            self._candidates.addItem(item)
            if order.id == current:
                self._candidates.setCurrentItem(item)
        self._candidates_heading.show()
        self._candidates.show()
        self._pick.show()
        self._filler.hide()
        self._update_pick_button()

    def candidate_ids(self) -> list[str]:
        return [str(self._candidates.item(row).data(_ORDER_ID_ROLE)) for row in range(self._candidates.count())]

    def pick(self, order_id: str) -> None:
        """Select an offered order and link it, as a click on the button does."""
        for row in range(self._candidates.count()):
            if self._candidates.item(row).data(_ORDER_ID_ROLE) == order_id:
                self._candidates.setCurrentRow(row)
                self._pick_selected()
                return
        raise KeyError(order_id)

    def can_change(self) -> bool:
        return not self._change.isHidden()

    def request_change(self) -> None:
        self._change.click()

    def state_text(self) -> str:
        return self._state.text() if not self._state.isHidden() else ""

    def _candidate_text(self, order: Order) -> str:
        names = ", ".join(visible_controls(item.name) for item in order.line_items) or "—"
        total = f"{order.total} {order.currency or ''}".strip() if order.total else ""
        parts = [format_time(order.bought_at), names, total, fulfillment_label(order.fulfillment_status)]
        return " · ".join(part for part in parts if part)

    def _pick_selected(self) -> None:
        item = self._candidates.currentItem()
        if item is not None:
            self.order_picked.emit(str(item.data(_ORDER_ID_ROLE)))

    def _update_pick_button(self) -> None:
        self._pick.setEnabled(self._candidates.currentItem() is not None)

    def _hide_candidates(self) -> None:
        self._candidates_heading.hide()
        self._candidates.hide()
        self._candidates.clear()
        self._pick.hide()

    def show_loading(self, order_id: str) -> None:
        self.show_message(self.tr("Loading order %1…").replace("%1", order_id), order_id)

    def show_order(self, order: Order, *, changeable: bool = False) -> None:
        """The order's details; `changeable` for an order the user picked, which offers to pick another."""
        self._order_id = order.id
        self._state.hide()
        self._filler.hide()
        self._hide_candidates()
        self._change.setVisible(changeable)
        self._card.show_order(order)
        self._card_scroll.show()

    def set_environment(self, environment_name: str | None) -> None:
        """The account's environment, once the backend is ready: production and sandbox link to Allegro's page."""
        self._card.set_environment(environment_name)

    def card(self) -> OrderCard:
        return self._card

    def shown_items(self) -> list[tuple[str, str, str]]:
        return self._card.shown_items()

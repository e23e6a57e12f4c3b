"""The order beside a conversation: what to pack (items with SKU and quantity), how it ships, where it is.

For a conversation that names no order it lists the buyer's recent orders, newest first, to pick the one the
conversation is about; an order picked that way can be changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.domain.records import Order
from magazyn_desktop.ui.labels import format_time, fulfillment_label
from magazyn_desktop.ui.visible_text import visible_controls
from magazyn_desktop.ui.zoom import relative_font


def _plain(text: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


_ORDER_ID_ROLE = Qt.ItemDataRole.UserRole


class OrderPanel(QWidget):
    order_picked = Signal(str)  # the user linked the conversation to this order
    change_requested = Signal()  # the user wants to link the conversation to another order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._order_id: str | None = None
        self._heading = QLabel(self.tr("Order"))
        relative_font(self._heading, 1.1, bold=True)
        self._state = _plain()
        self._number = _plain()
        self._delivery = _plain()
        self._fulfilment = _plain()
        self._tracking = _plain()
        self._tracking.setWordWrap(False)  # a waybill is one long token: wrapping would clip it
        self._note = _plain()

        self._items = QTableWidget(0, 3)
        self._items.setHorizontalHeaderLabels([self.tr("Item"), self.tr("SKU"), self.tr("Qty")])
        self._items.verticalHeader().hide()
        self._items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._items.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self._items.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self._items.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Number:"), self._number)
        form.addRow(self.tr("Delivery:"), self._delivery)
        form.addRow(self.tr("Status:"), self._fulfilment)
        form.addRow(self.tr("Tracking:"), self._tracking)
        self._form_host = QWidget()
        self._form_host.setLayout(form)

        self._change = QPushButton(self.tr("Change order"))
        self._change.clicked.connect(self.change_requested)
        self._candidates_heading = _plain(self.tr("The buyer's recent orders; pick the one this conversation is "
                                                  "about:"))
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
        layout.addWidget(self._form_host)
        layout.addWidget(self._items, 1)
        layout.addWidget(self._note)
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
        self._form_host.hide()
        self._items.hide()
        self._note.hide()
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
        self._number.setText(order.id)
        self._delivery.setText(visible_controls(order.delivery_method or "—"))
        self._fulfilment.setText(fulfillment_label(order.fulfillment_status))
        waybills = [f"{s.waybill} ({s.carrier})" if s.carrier else s.waybill for s in order.shipments]
        self._tracking.setText("\n".join(waybills) if waybills else self.tr("none yet"))
        self._items.setRowCount(len(order.line_items))
        for position, item in enumerate(order.line_items):
            cells = (visible_controls(item.name), visible_controls(item.sku or "—"), str(item.quantity))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._items.setItem(position, column, cell)
        self._items.resizeRowsToContents()
        if order.message_to_seller:
            self._note.setText(self.tr("Buyer's note: %1").replace("%1", visible_controls(order.message_to_seller)))
            self._note.show()
        else:
            self._note.hide()
        self._form_host.show()
        self._items.show()

    def shown_items(self) -> list[tuple[str, str, str]]:
        def text(row: int, column: int) -> str:
            item = self._items.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1), text(r, 2)) for r in range(self._items.rowCount())]

"""The order beside a conversation: what to pack (items with SKU and quantity), how it ships, where it is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.domain.records import Order
from magazyn_desktop.ui.labels import fulfillment_label
from magazyn_desktop.ui.visible_text import visible_controls
from magazyn_desktop.ui.zoom import relative_font


def _plain(text: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class OrderPanel(QWidget):
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self._heading)
        layout.addWidget(self._state)
        layout.addWidget(self._form_host)
        layout.addWidget(self._items, 1)
        layout.addWidget(self._note)
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
        self._filler.show()

    def show_loading(self, order_id: str) -> None:
        self.show_message(self.tr("Loading order %1…").replace("%1", order_id), order_id)

    def show_order(self, order: Order) -> None:
        self._order_id = order.id
        self._state.hide()
        self._filler.hide()
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

"""One conversation: its messages oldest first, their attachments, and the replies still in the outbox.

Everything a buyer wrote is shown as plain text (QLabel with Qt.PlainText): no HTML is rendered and nothing
remote is loaded, whatever the message contains; bidi controls in it are shown as markers, never obeyed.

A long conversation opens with its newest cards only (a card is a few widgets, built on the GUI thread); earlier
ones are built a batch at a time when the user scrolls to the top or asks for them, keeping the place in view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Union

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.domain.text import folded_text
from magazyn_desktop.domain.vocabulary import PROBLEM_OUTBOX_STATES, OutboxState, Role
from magazyn_desktop.store.inbox_records import AttachmentRow, ConversationDetail, MessageRow, OutboxRow
from magazyn_desktop.ui.attachments import sanitize_file_name
from magazyn_desktop.ui.errors import outbox_failure_text
from magazyn_desktop.ui.labels import format_datetime, kind_label, outbox_state_label, role_label
from magazyn_desktop.ui.visible_text import tooltip_text, visible_controls

FIRST_CARDS = 40  # what a conversation opens with: several screens, little to build
EARLIER_CARDS = 100  # built each time the user reaches the top
_CARD_ROLES = frozenset(role.value for role in Role)  # each has a card style; anything else looks like Allegro
_CARD_STYLE = """
QFrame#card_BUYER { background: #f4f6f8; border: 1px solid #dfe3e8; border-radius: 6px; }
QFrame#card_SELLER { background: #e9f3ea; border: 1px solid #cfe3d1; border-radius: 6px; }
QFrame#card_ALLEGRO { background: #fdf6e3; border: 1px solid #eadfbf; border-radius: 6px; }
QFrame#card_OUTBOX { background: #ffffff; border: 1px dashed #9fb8a2; border-radius: 6px; }
QLabel#cardHeader { color: #555555; }
QLabel#outboxState { color: #555555; font-style: italic; }
QLabel#outboxState[problem="true"] { color: #a0213a; font-style: normal; font-weight: bold; }
"""


_CardSource = Union[MessageRow, OutboxRow]  # what a card shows: a message, or a reply still in the outbox


def _plain_label(text: str, *, selectable: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # never interpret buyer text as HTML
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


class ConversationView(QWidget):
    attachment_requested = Signal(object)  # AttachmentRow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: ConversationDetail | None = None
        self.setStyleSheet(_CARD_STYLE)

        self._title = _plain_label("", wrap=False)
        title_font = self._title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._subtitle = _plain_label("")
        self._subtitle.setObjectName("cardHeader")

        self._messages = QWidget()
        self._messages_layout = QVBoxLayout(self._messages)
        self._messages_layout.setContentsMargins(4, 4, 4, 4)
        self._messages_layout.setSpacing(8)
        self._earlier = QPushButton()
        self._earlier.setObjectName("earlierMessages")
        self._earlier.setFlat(True)
        self._earlier.clicked.connect(self.show_earlier)
        self._earlier.hide()
        self._messages_layout.addWidget(self._earlier)
        self._messages_layout.addStretch(1)
        self._unbuilt: list[_CardSource] = []  # the oldest cards, not built yet, oldest first
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._messages)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and PageUp/PageDown scroll it
        self._scroll.verticalScrollBar().valueChanged.connect(self._on_scrolled)

        self._placeholder = _plain_label("")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addWidget(self._placeholder, 1)
        layout.addWidget(self._scroll, 1)
        self.show_placeholder(self.tr("Choose a conversation from the list."))

    # --- states ----------------------------------------------------------------------------------------------

    @property
    def detail(self) -> ConversationDetail | None:
        return self._detail

    @property
    def conversation_id(self) -> str | None:
        return self._detail.conversation.id if self._detail else None

    def show_placeholder(self, text: str) -> None:
        self._detail = None
        self._title.setText("")
        self._subtitle.setText("")
        self._placeholder.setText(text)
        self._placeholder.show()
        self._scroll.hide()

    def show_loading(self) -> None:
        self.show_placeholder(self.tr("Loading the conversation…"))

    def show_detail(self, detail: ConversationDetail) -> None:
        self._detail = detail
        row = detail.conversation
        login = visible_controls(row.interlocutor_login or "") or self.tr("(unknown buyer)")
        self._title.setText(f"{login} · {kind_label(row.sub_kind)}")
        facts: list[str] = []
        if row.order_id:
            facts.append(self.tr("Order %1").replace("%1", visible_controls(row.order_id)))
        if row.closed:
            facts.append(self.tr("closed"))
        elif row.needs_reply:
            facts.append(self.tr("needs reply"))
        if row.decision_due_at is not None:
            facts.append(self.tr("decide by %1").replace("%1", format_datetime(row.decision_due_at)))
        self._subtitle.setText(" · ".join(facts))
        self._rebuild(detail)
        self._placeholder.hide()
        self._scroll.show()
        # After layout, so the newest message is in view.
        QTimer.singleShot(0, self._scroll_to_end)

    def _scroll_to_end(self) -> None:
        bar = self._scroll.verticalScrollBar()
        bar.setValue(bar.maximum())

    def focus_messages(self) -> None:
        self._scroll.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- building --------------------------------------------------------------------------------------------

    def _clear(self) -> None:
        self._unbuilt = []
        self._earlier.hide()
        while self._messages_layout.count() > 2:  # the first item is the "earlier" button, the last the stretch
            item = self._messages_layout.takeAt(1)
            widget = item.widget() if item else None
            if widget is not None:
                widget.setParent(None)  # out of the tree now, so lookups never see the old cards
                widget.deleteLater()

    def _rebuild(self, detail: ConversationDetail) -> None:
        self._clear()
        if not detail.messages and not detail.outbox:
            self._insert(_plain_label(self.tr("No messages yet.")))
        sources: list[_CardSource] = list(detail.messages)
        seller_texts = {folded_text(m.text) for m in detail.messages if m.author_role == Role.SELLER}
        for entry in detail.outbox:
            # A sent reply shows up as a message after the next sync; until then its outbox entry stands in.
            # Allegro trims and normalises whitespace, so the texts are compared as the outbox compares them.
            if entry.state == OutboxState.SENT and folded_text(entry.text) in seller_texts:
                continue
            sources.append(entry)
        self._unbuilt = sources[:-FIRST_CARDS] if len(sources) > FIRST_CARDS else []
        for source in sources[len(self._unbuilt):]:
            self._insert(self._card_for(source))
        self._update_earlier()

    def _card_for(self, source: _CardSource) -> QFrame:
        return self._message_card(source) if isinstance(source, MessageRow) else self._outbox_card(source)

    def _insert(self, widget: QWidget) -> None:
        self._messages_layout.insertWidget(self._messages_layout.count() - 1, widget)

    # --- earlier messages ------------------------------------------------------------------------------------

    def show_earlier(self) -> None:
        """Build the batch of cards before the oldest one shown, keeping what the user looks at in place."""
        if not self._unbuilt:
            return
        bar = self._scroll.verticalScrollBar()
        from_bottom = bar.maximum() - bar.value()
        batch, self._unbuilt = self._unbuilt[-EARLIER_CARDS:], self._unbuilt[:-EARLIER_CARDS]
        for position, source in enumerate(batch, start=1):  # right after the button, oldest first
            self._messages_layout.insertWidget(position, self._card_for(source))
        self._update_earlier()

        def keep_place(_minimum: int, maximum: int) -> None:
            bar.rangeChanged.disconnect(keep_place)
            bar.setValue(maximum - from_bottom)

        bar.rangeChanged.connect(keep_place)

    def _on_scrolled(self, value: int) -> None:
        bar = self._scroll.verticalScrollBar()
        if self._unbuilt and value == bar.minimum() and bar.maximum() > bar.minimum():
            QTimer.singleShot(0, self.show_earlier)  # after the scroll has been painted

    def _update_earlier(self) -> None:
        self._earlier.setText(self.tr("Show earlier messages (%1)").replace("%1", str(len(self._unbuilt))))
        self._earlier.setVisible(bool(self._unbuilt))

    def _card(self, role: str) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame()
        card.setObjectName(f"card_{role}")
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        return card, layout

    def _message_card(self, message: MessageRow) -> QFrame:
        card, layout = self._card(message.author_role if message.author_role in _CARD_ROLES else Role.ALLEGRO.value)
        who = role_label(message.author_role)
        if message.author_role == Role.BUYER and message.author_login:
            who = f"{who} ({visible_controls(message.author_login)})"
        header = _plain_label(f"{who} · {format_datetime(message.created_at)}", wrap=False)
        header.setObjectName("cardHeader")
        layout.addWidget(header)
        layout.addWidget(_plain_label(visible_controls(message.text), selectable=True))
        if message.attachments:
            row = QHBoxLayout()
            row.setSpacing(6)
            for attachment in message.attachments:
                row.addWidget(self._attachment_button(attachment))
            row.addStretch(1)
            layout.addLayout(row)
        return card

    def _attachment_button(self, attachment: AttachmentRow) -> QPushButton:
        name = sanitize_file_name(attachment.file_name)
        button = QPushButton(name.replace("&", "&&"))  # '&' would become a keyboard mnemonic
        button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
        button.setToolTip(tooltip_text(self.tr("Download and open %1").replace("%1", name)))
        button.setObjectName(f"attachment_{attachment.id}")
        button.clicked.connect(self._emitter(attachment))
        return button

    def _emitter(self, attachment: AttachmentRow) -> Callable[[], None]:
        return lambda: self.attachment_requested.emit(attachment)

    def _outbox_card(self, entry: OutboxRow) -> QFrame:
        card, layout = self._card("OUTBOX")
        header = _plain_label(f"{role_label(Role.SELLER)} · {format_datetime(entry.created_at)}", wrap=False)
        header.setObjectName("cardHeader")
        layout.addWidget(header)
        layout.addWidget(_plain_label(visible_controls(entry.text), selectable=True))
        state = _plain_label(outbox_state_label(entry.state, outbox_failure_text(entry.error_code, entry.error_message)))
        state.setObjectName("outboxState")
        state.setProperty("problem", "true" if entry.state in PROBLEM_OUTBOX_STATES else "false")
        layout.addWidget(state)
        return card

    def _shown_cards(self) -> list[QFrame]:
        """The cards in the order they are shown, oldest first."""
        items = (self._messages_layout.itemAt(i) for i in range(self._messages_layout.count()))
        return [widget for item in items if item is not None and isinstance(widget := item.widget(), QFrame)
                and widget.objectName().startswith("card_")]

    def outbox_states(self) -> list[str]:
        """The state texts currently shown (for tests and accessibility checks)."""
        return [label.text() for card in self._shown_cards() for label in card.findChildren(QLabel, "outboxState")]

    def message_texts(self) -> list[str]:
        texts: list[str] = []
        for card in self._shown_cards():
            labels = card.findChildren(QLabel)
            if len(labels) > 1:
                texts.append(labels[1].text())
        return texts

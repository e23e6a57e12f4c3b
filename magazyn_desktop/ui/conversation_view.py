"""One conversation: its messages oldest first, their attachments, and the replies still in the outbox.

The cards are rows of one list (MessageCardModel) painted by MessageCardDelegate: no widget per message, and only
the cards in view are painted. A long conversation opens with its newest cards held; earlier ones join a batch at
a time when the user scrolls to the top or asks for them, keeping the place in view.

Everything a buyer wrote is shown as plain text: no HTML is rendered and nothing remote is loaded, whatever the
message contains; bidi controls in it are shown as markers, never obeyed. A card's text is copied with Ctrl+C (the
chosen cards, oldest first), and part of it selected in a read-only editor opened with F2, Enter or a double click.
While a search is set (the conversation was opened from the list's search), what it matched is highlighted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.store.inbox_records import AttachmentRow, ConversationDetail
from magazyn_desktop.ui.assignment_header import AssignmentHeader
from magazyn_desktop.ui.claim_header import can_decide, decision_text, issue_state_words
from magazyn_desktop.ui.deadline_marks import SharedDeadlineClock, deadline_mark
from magazyn_desktop.ui.kind_badge import KindBadge
from magazyn_desktop.ui.labels import format_datetime
from magazyn_desktop.ui.message_card_delegate import MessageCardDelegate
from magazyn_desktop.ui.message_card_model import (
    CARD_ROLE,
    Card,
    MessageCardModel,
    card_sources,
    with_saved_attachment,
)
from magazyn_desktop.ui.thumbnails import ThumbnailLoader
from magazyn_desktop.ui.visible_text import visible_controls
from magazyn_desktop.ui.zoom import relative_font
from magazyn_desktop.ui.plain_label import plain_label

FIRST_CARDS = 60  # what a conversation opens with: several screens, little to measure
EARLIER_CARDS = 200  # joined each time the user reaches the top


class _CardList(QListView):
    """The cards' list: Ctrl+C copies the chosen cards' texts, Enter opens one's text for selecting, and the menu
    key asks for the current card's menu."""

    menu_requested = Signal(QModelIndex, QPoint)  # the card, where (global)
    width_changed = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        # A list of one column lays its rows out again for a new height only; a card's height depends on the width.
        if event.size().width() != event.oldSize().width():
            self.width_changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_chosen()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid() \
                and self.state() != QAbstractItemView.State.EditingState:
            self.edit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
            place = self.visualRect(index).center() if index.isValid() else QPoint(0, 0)
        else:
            index, place = self.indexAt(event.pos()), event.pos()
        if index.isValid():
            self.menu_requested.emit(index, self.viewport().mapToGlobal(place))

    def copy_chosen(self) -> None:
        rows = sorted(index.row() for index in self.selectionModel().selectedIndexes())
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        texts = [str(self.model().index(row, 0).data()) for row in rows]
        if texts:
            QGuiApplication.clipboard().setText("\n\n".join(texts))


class ConversationView(QWidget):
    attachment_requested = Signal(object)  # AttachmentRow
    decide_requested = Signal(str)  # the open claim's id: staff want to decide it

    def __init__(self, parent: QWidget | None = None, *, attachments_folder: Path | None = None,
                 show_authors: bool = False) -> None:
        super().__init__(parent)
        self._deadline_clock = SharedDeadlineClock()  # the header's time left
        self._detail: ConversationDetail | None = None
        # Images saved in the attachments folder show as thumbnails; without a folder every attachment is a button.
        self._thumbnails = ThumbnailLoader(attachments_folder, self)

        self._title = plain_label("", wrap=False)
        relative_font(self._title, 1.2, bold=True)
        self._kind_badge = KindBadge()
        self._subtitle = plain_label("")
        self._subtitle.setStyleSheet("color: #555555;")
        self._decision = plain_label("")  # where this app's decision on the claim stands
        self._decision.setObjectName("claimDecisionState")
        self._decision.hide()
        self._decide = QPushButton(self.tr("Decide the claim…"))
        self._decide.setObjectName("decideClaim")
        self._decide.setToolTip(self.tr("Accept or reject the claim, with a message to the buyer (Ctrl+D)"))
        self._decide.clicked.connect(self._ask_to_decide)
        self._decide.hide()
        self._assignment = AssignmentHeader()  # team mode's: who has it, take, release, hand over

        self._earlier = QPushButton()
        self._earlier.setObjectName("earlierMessages")
        self._earlier.setFlat(True)
        self._earlier.clicked.connect(self.show_earlier)
        self._earlier.hide()

        self._model = MessageCardModel(self, show_authors=show_authors)  # team mode: who wrote each reply
        self._list = _CardList()
        self._list.setObjectName("messageCards")
        self._list.setModel(self._model)
        self._delegate = MessageCardDelegate(self._list, self._thumbnails)
        self._delegate.attachment_clicked.connect(self.attachment_requested)
        self._list.setItemDelegate(self._delegate)
        self._model.modelReset.connect(self._delegate.forget_sizes)
        self._list.setFrameShape(QFrame.Shape.NoFrame)
        self._list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)  # cards are tall
        self._list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._list.setResizeMode(QListView.ResizeMode.Adjust)  # a new width wraps the texts again
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self._list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._list.verticalScrollBar().setSingleStep(self._list.fontMetrics().height())
        self._list.menu_requested.connect(self._show_card_menu)
        self._list.width_changed.connect(self._on_width_changed)
        bar = self._list.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)
        self._follow_end = False  # at the newest card: stay there when the list's height or contents change

        self._placeholder = plain_label("")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        heading = QHBoxLayout()
        heading.setSpacing(8)
        heading.addWidget(self._title)
        heading.addWidget(self._kind_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        heading.addStretch(1)
        heading.addWidget(self._assignment, 0, Qt.AlignmentFlag.AlignVCenter)
        heading.addWidget(self._decide, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(heading)
        layout.addWidget(self._subtitle)
        layout.addWidget(self._decision)
        layout.addWidget(self._placeholder, 1)
        layout.addWidget(self._earlier)
        layout.addWidget(self._list, 1)
        self.show_placeholder(self.tr("Choose a conversation from the list."))

    # --- states ----------------------------------------------------------------------------------------------

    @property
    def detail(self) -> ConversationDetail | None:
        return self._detail

    @property
    def conversation_id(self) -> str | None:
        return self._detail.conversation.id if self._detail else None

    def assignment_header(self) -> AssignmentHeader:
        return self._assignment

    def message_list(self) -> QListView:
        """The list the cards are painted in."""
        return self._list

    def show_placeholder(self, text: str) -> None:
        self._detail = None
        self._title.setText("")
        self._kind_badge.set_kind(None)
        self._subtitle.setText("")
        self._decision.hide()
        self._decide.hide()
        self._assignment.show_row(None)
        self._show_text(text)

    def _show_text(self, text: str) -> None:
        self._model.reset([], 0)
        self._update_earlier()
        self._placeholder.setText(text)
        self._placeholder.show()
        self._list.hide()

    def show_loading(self) -> None:
        self.show_placeholder(self.tr("Loading the conversation…"))

    def show_detail(self, detail: ConversationDetail) -> None:
        self._detail = detail
        row = detail.conversation
        login = visible_controls(row.interlocutor_login or "") or self.tr("(unknown buyer)")
        self._title.setText(login)
        self._kind_badge.set_kind(row.sub_kind)
        facts: list[str] = []
        if row.order_id:
            facts.append(self.tr("Order %1").replace("%1", visible_controls(row.order_id)))
        state = issue_state_words(detail)  # an issue says how it stands, never only "closed"
        if state is not None:
            facts.append(state)
        elif row.closed:
            facts.append(self.tr("closed"))
        if not row.closed and row.needs_reply:
            facts.append(self.tr("needs reply"))
        if row.due_at is not None:
            # Provisional until the calendar is loaded, as the list's: opening a conversation never waits for it.
            left = deadline_mark(row.due_at, self._deadline_clock.clock()).text
            facts.append(self.tr("due %1 (%2)", "a deadline: its date and time, then the time left")
                         .replace("%1", format_datetime(row.due_at)).replace("%2", left))
        if detail.kept_locally_since is not None:
            facts.append(self.tr("kept only on this computer: Allegro no longer shows it"))
        self._subtitle.setText(" · ".join(facts))
        decision = decision_text(detail)
        self._decision.setText(decision)
        self._decision.setVisible(bool(decision))
        self._decide.setVisible(can_decide(detail))
        self._assignment.show_row(row)
        sources = card_sources(detail)
        if not sources:
            self._show_text(self.tr("No messages yet."))
            return
        self._placeholder.hide()
        self._list.show()
        layout = self.layout()
        if layout is not None:
            layout.activate()  # the list's width now, so that the cards are measured once, for it
        self._model.reset(sources, FIRST_CARDS)
        self._update_earlier()
        self._list.doItemsLayout()  # measure the held cards now, to open on the newest one
        current = self._model.index(self._model.rowCount() - 1, 0)
        self._list.selectionModel().setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)
        self._follow_end = True
        self._list.scrollToBottom()

    def set_search(self, text: str) -> None:
        """Highlight what this search matches in the cards' texts; "" stops highlighting."""
        if text.strip() == self._delegate.search:
            return
        self._delegate.set_search(text)
        self._list.viewport().update()

    @property
    def search(self) -> str:
        return self._delegate.search

    def set_thumbnail_scale(self, scale: float) -> None:
        """The window's zoom, for the thumbnails' size; the caller shows the conversation again."""
        self._delegate.set_thumbnail_scale(scale)
        self._delegate.forget_sizes()

    def attachment_stored(self, attachment_id: int, local_path: Path) -> None:
        """An attachment was downloaded: its card opens the saved copy from now on, and an image shows it."""
        if self._detail is not None:  # shown again after a zoom, the card still knows the copy
            self._detail = replace(self._detail, messages=tuple(
                with_saved_attachment(message, attachment_id, str(local_path)) for message in self._detail.messages))
        self._model.set_local_path(attachment_id, str(local_path))

    def thumbnails(self) -> ThumbnailLoader:
        return self._thumbnails

    def stop(self) -> None:
        """Stop decoding thumbnails (the window closes)."""
        self._thumbnails.shutdown()

    def focus_messages(self) -> None:
        self._list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- the scroll position ---------------------------------------------------------------------------------

    def _on_width_changed(self) -> None:
        """Measure the held cards for the new width, keeping the newest card in view, or else the card at the top."""
        if not self._model.rowCount():
            return
        looked_at = None if self._follow_end else QPersistentModelIndex(self._list.indexAt(QPoint(1, 1)))
        self._list.doItemsLayout()
        if looked_at is not None and looked_at.isValid():
            self._list.scrollTo(self._model.index(looked_at.row(), 0), QAbstractItemView.ScrollHint.PositionAtTop)

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow_end:
            self._list.verticalScrollBar().setValue(maximum)

    def _on_scrolled(self, value: int) -> None:
        bar = self._list.verticalScrollBar()
        self._follow_end = value == bar.maximum()
        if self._model.unheld_count() and value == bar.minimum() and bar.maximum() > bar.minimum():
            QTimer.singleShot(0, self.show_earlier)  # after the scroll has been painted

    # --- earlier messages ------------------------------------------------------------------------------------

    def show_earlier(self) -> None:
        """Add the batch of cards before the oldest one shown, keeping what the user looks at in place."""
        if not self._model.unheld_count():
            return
        bar = self._list.verticalScrollBar()
        from_bottom = bar.maximum() - bar.value()
        self._model.hold_earlier(EARLIER_CARDS)
        self._update_earlier()
        self._list.doItemsLayout()  # the new range now, so the place is kept before anything is painted
        bar.setValue(bar.maximum() - from_bottom)

    def _update_earlier(self) -> None:
        unheld = self._model.unheld_count()
        self._earlier.setText(self.tr("Show earlier messages (%1)").replace("%1", str(unheld)))
        self._earlier.setVisible(bool(unheld))

    # --- a card's menu: copy, select, attachments ------------------------------------------------------------

    def card_menu(self, index: QModelIndex) -> QMenu:
        """The menu of the card at `index`: copy its text, select part of it, open each of its attachments."""
        menu = QMenu(self)
        copy = menu.addAction(self.tr("Copy text"), QKeySequence(QKeySequence.StandardKey.Copy),
                              self._list.copy_chosen)
        select = menu.addAction(self.tr("Select text"), QKeySequence(Qt.Key.Key_F2), lambda: self._list.edit(index))
        for action in (copy, select):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # shown as a hint; the list has the keys
        card = index.data(CARD_ROLE)
        if isinstance(card, Card) and card.attachments:
            menu.addSeparator()
            for attachment in card.attachments:
                action = menu.addAction(self.tr("Open %1").replace("%1", attachment.label.replace("&", "&&")))
                action.setToolTip(attachment.tooltip)
                action.triggered.connect(self._emitter(attachment.attachment))
        return menu

    def _emitter(self, attachment: AttachmentRow) -> Callable[[], None]:
        return lambda: self.attachment_requested.emit(attachment)

    def _show_card_menu(self, index: QModelIndex, place: QPoint) -> None:
        if not self._list.selectionModel().isSelected(index):
            self._list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        menu = self.card_menu(index)
        menu.exec(place)
        menu.deleteLater()

    # --- what is shown (for tests and accessibility checks) --------------------------------------------------

    def title_text(self) -> str:
        return self._title.text()

    def kind_badge(self) -> KindBadge:
        return self._kind_badge

    def header_facts(self) -> str:
        """The line under the title: order, state, deadline, whether only this computer still has it."""
        return self._subtitle.text()

    def decision_text(self) -> str:
        """Where the claim's decision made here stands; empty when there is none."""
        return self._decision.text() if not self._decision.isHidden() else ""

    def decide_button(self) -> QPushButton:
        return self._decide

    def _ask_to_decide(self) -> None:
        if self._detail is not None:
            self.decide_requested.emit(self._detail.conversation.id)

    def message_texts(self) -> list[str]:
        """The texts of the cards held, messages and outbox entries, oldest first."""
        return [card.text for card in self._model.cards()]

    def outbox_states(self) -> list[str]:
        """The state texts of the outbox cards held."""
        return [card.state for card in self._model.cards() if card.state is not None]

    def attachment_labels(self) -> list[tuple[str, str]]:
        """Each attachment button's text and tooltip, of the cards held."""
        return [(attachment.label, attachment.tooltip) for card in self._model.cards()
                for attachment in card.attachments]

    def attachment_looks(self) -> list[tuple[str, str]]:
        """Each attachment of the cards held, by its name, and how it is drawn: 'thumbnail', 'document', 'button'."""
        return [(attachment.label, self._delegate.attachment_look(card, number)) for card in self._model.cards()
                for number, attachment in enumerate(card.attachments)]

    def attachment_buttons(self, index: QModelIndex) -> list[tuple[QRect, AttachmentRow]]:
        """Where the card at `index` draws each attachment's button, in the list's viewport."""
        card = index.data(CARD_ROLE)
        if not isinstance(card, Card):
            return []
        return [(place, attachment.attachment) for place, attachment in
                self._delegate.attachment_buttons(self._list.visualRect(index), self._list.font(), card)]

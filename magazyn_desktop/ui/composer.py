"""Writing a reply: the draft is saved as the user types, the length is counted, Ctrl+Enter sends.

The files attached are part of the draft, saved as soon as one is added or removed. When a draft comes back (the
conversation opened again, after a restart too) each file is compared with what was attached: one that went or
changed since stays on the reply, marked, and blocks sending until it is removed, so nothing else is sent in its
place and nothing attached disappears unsaid.

The composer only edits and reports; the window decides where drafts and replies go (store, outbox). A conversation
that takes no reply gets a greyed, disabled box with the reason above it (a closed thread, a decided claim or
discussion, a chat Allegro paused), not a box that looks ready for typing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.domain.issue_messages import IssueMessageType, message_types_for
from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES, THREAD_TEXT_LIMIT, text_limit
from magazyn_desktop.domain.reply_block import ReplyBlock, reply_block
from magazyn_desktop.domain.templates import FilledText, unfilled_placeholders
from magazyn_desktop.domain.vocabulary import Kind
from magazyn_desktop.store.draft_files import DraftFile
from magazyn_desktop.store.inbox_records import ConversationRow
from magazyn_desktop.sync.outgoing import DraftFileProblem, draft_file, draft_file_problem
from magazyn_desktop.ui.attachments import check_upload
from magazyn_desktop.ui.search_highlight import utf16_length
from magazyn_desktop.ui.visible_text import visible_controls

DRAFT_DELAY_MS = 500


def reply_limit(row: ConversationRow) -> int:
    return text_limit(Kind.ISSUE if row.kind == Kind.ISSUE else Kind.THREAD)


@dataclass(frozen=True)
class AttachedFile:
    file: DraftFile  # as it was when attached
    problem: DraftFileProblem | None  # found when the draft came back

    @property
    def path(self) -> Path:
        return Path(self.file.path)

    @property
    def name(self) -> str:
        return visible_controls(self.path.name) if self.file.path else "?"


class Composer(QWidget):
    draft_changed = Signal(str, str, list)  # conversation id, text, DraftFile list; the text debounced
    send_requested = Signal(str, str, list)  # conversation id, text, attachment paths
    text_edited = Signal()  # the user changed the text (not a draft coming back)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conversation: ConversationRow | None = None
        self._attachments: list[AttachedFile] = []
        # The files of each reply opened this session, none included: newer than the store's while a save is on
        # its way, so a quick switch away and back shows what the user left.
        self._attachments_kept: dict[str, list[DraftFile]] = {}
        self._attachments_shown: tuple[tuple[AttachedFile, ...], bool] | None = None  # what the buttons show now
        self._loading = False

        self._editor = QPlainTextEdit()
        self._editor.setTabChangesFocus(True)  # Tab leaves the editor: full keyboard use
        self._editor.setMaximumHeight(140)
        # Disabled must look it: a grey box with grey text, unlike the white one that takes typing.
        self._editor.setStyleSheet("QPlainTextEdit:disabled { background: #ececec; color: #6b6b6b;"
                                   " border: 1px dashed #a8a8a8; }")
        self._editor.textChanged.connect(self._on_text_changed)

        self._counter = QLabel()
        # Why this conversation takes no reply: a notice, not an error, so dark grey on grey with a bar beside it.
        self._blocked = QLabel()
        self._blocked.setTextFormat(Qt.TextFormat.PlainText)
        self._blocked.setWordWrap(True)
        self._blocked.setStyleSheet("background: #f1f1f1; color: #333333; border-left: 4px solid #7a7a7a;"
                                    " padding: 4px 8px;")
        self._reason = QLabel()
        self._reason.setTextFormat(Qt.TextFormat.PlainText)
        self._reason.setWordWrap(True)
        self._reason.setStyleSheet("color: #a0213a;")
        self._attached = QWidget()  # one button per attached file: its name, and a click removes it
        self._attached_layout = QHBoxLayout(self._attached)
        self._attached_layout.setContentsMargins(0, 0, 0, 0)
        self._attached_layout.setSpacing(4)
        # What an issue's message tells Allegro besides its text: a dispute's request to end it, a claim's return.
        self._message_type = QComboBox()
        self._message_type.setObjectName("messageType")
        self._message_type.setAccessibleName(self.tr("Kind of message"))
        # As wide as a short choice, so the box keeps its buttons on a 1024 px screen; the list shows each whole.
        self._message_type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._message_type.setMinimumContentsLength(24)
        self._message_type.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._message_type.currentTextChanged.connect(self._message_type.setToolTip)
        self._message_types_shown: tuple[IssueMessageType, ...] = ()
        self._attach_button = QPushButton(self.tr("Attach file…"))
        self._attach_button.clicked.connect(self._choose_files)
        self._send_button = QPushButton(self.tr("Send"))
        self._send_button.setDefault(False)
        self._send_button.clicked.connect(self.send)

        send_action = QAction(self.tr("Send the reply"), self._editor)
        send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        send_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        send_action.triggered.connect(lambda _checked=False: self.send())
        self._editor.addAction(send_action)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self._save_now)

        buttons = QHBoxLayout()
        buttons.addWidget(self._counter)
        buttons.addWidget(self._attached, 1)
        buttons.addWidget(self._message_type)
        buttons.addWidget(self._attach_button)
        buttons.addWidget(self._send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(self._blocked)
        layout.addWidget(self._reason)
        layout.addWidget(self._editor)
        layout.addLayout(buttons)
        self.set_conversation(None)

    # --- state -----------------------------------------------------------------------------------------------

    @property
    def conversation_id(self) -> str | None:
        return self._conversation.id if self._conversation else None

    @property
    def conversation(self) -> ConversationRow | None:
        return self._conversation

    def takes_reply(self) -> bool:
        """A conversation is open and a reply can be written in it."""
        return self._block_reason() is None

    def text(self) -> str:
        return self._editor.toPlainText()

    def set_text(self, text: str) -> None:
        self._editor.setPlainText(text)

    def editor(self) -> QPlainTextEdit:
        return self._editor

    def set_conversation(self, row: ConversationRow | None, draft: str = "",
                         files: tuple[DraftFile, ...] = ()) -> None:
        """Show the composer for a conversation (its saved draft and files restored), or disable it for none."""
        self.flush_draft()
        self._conversation = row
        kept = self._attachments_kept.get(row.id, list(files)) if row else []
        # Checked each time the draft comes back: a file may have gone or changed while the user was elsewhere.
        self._attachments = [AttachedFile(file, draft_file_problem(file)) for file in kept]
        self._loading = True
        try:
            self._editor.setPlainText(draft if row else "")
        finally:
            self._loading = False
        self._message_types_shown = ()  # a new conversation starts with a plain message
        self._refresh()

    def update_conversation(self, row: ConversationRow) -> None:
        """New facts about the same conversation (after a sync) without touching what is being typed."""
        if self._conversation and row.id == self._conversation.id:
            self._conversation = row
            self._refresh()

    def clear_after_send(self, conversation_id: str) -> None:
        """The reply of `conversation_id` is queued: its draft, text and files, is done with."""
        self._attachments_kept[conversation_id] = []
        if self.conversation_id == conversation_id:
            self._timer.stop()
            self._attachments = []
            self._loading = True
            try:
                self._editor.clear()
            finally:
                self._loading = False
            self._message_type.setCurrentIndex(0)
            self._refresh()
        self.draft_changed.emit(conversation_id, "", [])

    def insert_template(self, filled: FilledText, replacing: tuple[int, int] | None = None) -> None:
        """A filled template at the cursor, or over `replacing` (the editor's positions, as typed `/name`), with the
        first placeholder left in it selected, so typing replaces it."""
        cursor = self._editor.textCursor()
        if replacing is not None:
            cursor.setPosition(replacing[0])
            cursor.setPosition(replacing[1], QTextCursor.MoveMode.KeepAnchor)
        start = cursor.selectionStart()
        cursor.insertText(filled.text)
        first = filled.first_unfilled
        if first is not None:
            end = min(p.end for p in (*filled.unfilled, *filled.unknown) if p.start == first)
            # The editor counts UTF-16 units; the template's positions are characters (an emoji is two units).
            selection_start = start + utf16_length(filled.text[:first])
            cursor.setPosition(selection_start)
            cursor.setPosition(selection_start + utf16_length(filled.text[first:end]),
                               QTextCursor.MoveMode.KeepAnchor)
        self._editor.setTextCursor(cursor)
        self.focus_editor()

    def focus_editor(self) -> None:
        self._editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def select_text(self, start: int, end: int) -> None:
        """Select [start, end) of the text (Python's character positions; the editor counts UTF-16 units)."""
        text = self.text()

        def units(position: int) -> int:
            return len(text[:position].encode("utf-16-le")) // 2

        cursor = self._editor.textCursor()
        cursor.setPosition(units(start))
        cursor.setPosition(units(end), QTextCursor.MoveMode.KeepAnchor)
        self._editor.setTextCursor(cursor)

    def _block_reason(self) -> str | None:
        row = self._conversation
        if row is None:
            return self.tr("Choose a conversation to reply.")
        block = reply_block(kind=row.kind, status=row.status, can_reply=row.can_reply, closed=row.closed)
        if block is None:
            return None
        reasons = {
            ReplyBlock.CLOSED_THREAD: self.tr("This conversation is closed: Allegro does not accept replies to it."),
            ReplyBlock.CLAIM_ACCEPTED: self.tr("This claim was accepted and is decided: Allegro takes no more "
                                               "replies to it."),
            ReplyBlock.CLAIM_REJECTED: self.tr("This claim was rejected and is decided: Allegro takes no more "
                                               "replies to it."),
            ReplyBlock.DISPUTE_CLOSED: self.tr("This discussion is closed: Allegro takes no more replies to it."),
            ReplyBlock.CHAT_INACTIVE: self.tr("Allegro has paused the chat of this case: a reply can be sent when "
                                              "Allegro opens it again."),
        }
        return reasons[block]

    def blocked_reason(self) -> str:
        """Why the open conversation takes no reply, as shown above the box; empty when it takes one."""
        return self._blocked.text() if self._blocked.isVisibleTo(self) else ""

    def _refresh(self) -> None:
        reason = self._block_reason()
        row = self._conversation
        limit = reply_limit(row) if row else THREAD_TEXT_LIMIT
        length = len(self.text())
        self._counter.setText(f"{length} / {limit}")
        self._counter.setStyleSheet("color: #a0213a; font-weight: bold;" if length > limit else "")
        self._counter.setVisible(reason is None)
        show_reason = reason if row is not None else None
        self._blocked.setText(show_reason or "")
        self._blocked.setVisible(bool(show_reason))
        self._reason.clear()  # a problem shown before belongs to the state that changed
        self._reason.hide()
        if reason is None:
            self._editor.setPlaceholderText(self.tr("Write a reply… (Ctrl+Enter sends)"))
        else:
            self._editor.setPlaceholderText(reason if row is None else self.tr("Replies cannot be sent here."))
        self._editor.setEnabled(reason is None)
        self._attach_button.setEnabled(reason is None)
        self._show_message_types(row, enabled=reason is None)
        stale = self._stale_files_text()
        unfilled = self._unfilled_text()
        self._send_button.setEnabled(reason is None and 0 < len(self.text().strip()) and length <= limit
                                     and stale is None and unfilled is None)
        self._send_button.setToolTip(reason or stale or unfilled or "")
        if reason is None and unfilled is not None:
            self._reason.setText(unfilled)
            self._reason.show()
        self._show_attachments(enabled=reason is None)

    def _message_type_words(self, message_type: IssueMessageType) -> str:
        words = {
            IssueMessageType.REGULAR: self.tr("A plain message"),
            IssueMessageType.END_REQUEST: self.tr("Ask to end the discussion"),
            IssueMessageType.RETURN_REQUIRED_SELLER_LABEL: self.tr(
                "Ask for the product back – we give the return label"),
            IssueMessageType.RETURN_REQUIRED_CUSTOM: self.tr("Ask for the product back – how, the message says"),
            IssueMessageType.RETURN_NOT_REQUIRED: self.tr("The product need not come back"),
        }
        return words[message_type]

    def _show_message_types(self, row: ConversationRow | None, *, enabled: bool) -> None:
        types = message_types_for(row.sub_kind if row is not None and row.kind == Kind.ISSUE else None)
        if types != self._message_types_shown:  # built again only for another kind of conversation
            self._message_types_shown = types
            self._message_type.clear()
            for message_type in types:
                self._message_type.addItem(self._message_type_words(message_type), message_type.value)
        self._message_type.setVisible(len(types) > 1)
        self._message_type.setEnabled(enabled)

    def message_type(self, conversation_id: str | None = None) -> IssueMessageType:
        """The type chosen for the reply (of `conversation_id`, when given: REGULAR for another one)."""
        if conversation_id is not None and conversation_id != self.conversation_id:
            return IssueMessageType.REGULAR
        value = self._message_type.currentData()
        return IssueMessageType(value) if isinstance(value, str) else IssueMessageType.REGULAR

    def set_message_type(self, message_type: IssueMessageType) -> None:
        position = self._message_type.findData(message_type.value)
        if position >= 0:
            self._message_type.setCurrentIndex(position)

    def message_type_choices(self) -> list[tuple[IssueMessageType, str]]:
        return [(IssueMessageType(self._message_type.itemData(position)), self._message_type.itemText(position))
                for position in range(self._message_type.count())]

    def message_type_box(self) -> QComboBox:
        return self._message_type

    def _stale_files_text(self) -> str | None:
        """Why the reply cannot go while a file that went or changed is on it; None when none is."""
        if not any(attached.problem for attached in self._attachments):
            return None
        return self.tr("Remove the files marked as gone or changed: the reply cannot be sent with them.")

    def _unfilled_text(self) -> str | None:
        """Why the reply cannot go while it holds a template's placeholder with no value; None when it holds none."""
        names = list(dict.fromkeys(self.text()[p.start:p.end] for p in unfilled_placeholders(self.text())))
        if not names:
            return None
        return (self.tr("The reply still holds %1: write the right text in its place or remove it before sending.")
                .replace("%1", ", ".join(names)))

    def _show_attachments(self, *, enabled: bool) -> None:
        # _refresh runs on every keystroke: the buttons are built again only when what they show changed.
        shown = (tuple(self._attachments), enabled)
        if shown == self._attachments_shown:
            return
        self._attachments_shown = shown
        while (item := self._attached_layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        for attached in self._attachments:
            button = QToolButton()
            label, tip = self._button_texts(attached)
            button.setText(f"{label}  \u2715")
            button.setToolTip(tip)
            button.setAccessibleName(f"{label}. {tip}" if attached.problem else tip)
            if attached.problem:
                button.setStyleSheet("color: #a0213a; font-weight: bold;")
            button.setEnabled(enabled)
            button.clicked.connect(lambda _checked=False, chosen=attached: self._remove(chosen))
            self._attached_layout.addWidget(button)
        self._attached_layout.addStretch(1)

    def _button_texts(self, attached: AttachedFile) -> tuple[str, str]:
        """A file's button: its label, and the tooltip saying what a click does."""
        name = attached.name
        if attached.problem is DraftFileProblem.GONE:
            return (self.tr("%1 \u2013 the file is gone").replace("%1", name),
                    self.tr("%1 is no longer where it was attached from. Remove it to send the reply, and attach "
                            "the file again if it is needed.").replace("%1", name))
        if attached.problem is DraftFileProblem.CHANGED:
            return (self.tr("%1 \u2013 the file has changed").replace("%1", name),
                    self.tr("%1 has changed since it was attached. Remove it to send the reply, and attach it "
                            "again if it is still the right file.").replace("%1", name))
        return name, self.tr("Remove %1 from the reply").replace("%1", name)

    def _remove(self, attached: AttachedFile) -> None:
        """Take a file off the reply before it is sent."""
        if attached in self._attachments:
            self._attachments.remove(attached)
            self._files_changed()

    def _files_changed(self) -> None:
        """Saved at once, with the text as it is: a file is not typed, nothing to wait for."""
        if self._conversation is not None:
            self._attachments_kept[self._conversation.id] = [attached.file for attached in self._attachments]
            self._timer.stop()
            self._save_now()
        self._refresh()

    # --- drafts ----------------------------------------------------------------------------------------------

    def _on_text_changed(self) -> None:
        if self._loading:
            return
        self._refresh()
        self._timer.start()  # restarts: one save half a second after the user stops typing
        self.text_edited.emit()

    def flush_draft(self) -> None:
        """Save a pending draft now (before switching conversation or closing)."""
        if self._timer.isActive():
            self._timer.stop()
            self._save_now()

    def _save_now(self) -> None:
        if self._conversation is not None:
            self.draft_changed.emit(self._conversation.id, self.text(),
                                    [attached.file for attached in self._attachments])

    # --- sending ---------------------------------------------------------------------------------------------

    def send(self) -> None:
        row = self._conversation
        text = self.text().strip()
        if row is None or self._block_reason() is not None or not text:
            return
        stale = self._stale_files_text() or self._unfilled_text()
        if stale is not None:
            self._reason.setText(stale)
            self._reason.show()
            return
        if len(self.text()) > reply_limit(row):
            self._reason.setText(self.tr("The reply is too long: shorten it to %1 characters.")
                                 .replace("%1", str(reply_limit(row))))
            self._reason.show()
            return
        self.send_requested.emit(row.id, text, self.attachments())

    def add_attachment(self, path: Path) -> str | None:
        """Attach a file after checking Allegro's limits; returns the problem shown to the user, or None."""
        check = check_upload(path)
        if check.problem == "type":
            problem = self.tr("%1 cannot be sent: only PNG, GIF, BMP, TIFF, JPEG and PDF files are accepted.")
        elif check.problem == "content":  # named like a type Allegro takes, but it is something else (or empty)
            problem = self.tr("%1 cannot be sent: its name says %2, but the file is not a %2 file.").replace(
                "%2", path.suffix.lstrip(".").upper())
        elif check.problem == "size":
            problem = self.tr("%1 is too large: files up to %2 MB can be sent.").replace(
                "%2", str(ATTACHMENT_MAX_BYTES // (1024 * 1024)))
        elif check.problem == "unreadable" or (file := draft_file(path)) is None:
            problem = self.tr("%1 cannot be read. Check that the file still exists.")
        else:
            self._attachments.append(AttachedFile(file, None))
            self._files_changed()
            return None
        message = problem.replace("%1", path.name)
        self._reason.setText(message)
        self._reason.show()
        return message

    def attachments(self) -> list[Path]:
        """The files on the reply, those marked as gone or changed too."""
        return [attached.path for attached in self._attachments]

    def attachment_buttons(self) -> list[QToolButton]:
        """The buttons of the files on the reply, in order: each names its file, and a click removes it."""
        items = (self._attached_layout.itemAt(number) for number in range(self._attached_layout.count()))
        return [widget for item in items if item is not None and isinstance(widget := item.widget(), QToolButton)]

    def send_button(self) -> QPushButton:
        return self._send_button

    def problem_text(self) -> str:
        """The problem shown above the box (a file refused, the reply too long...); empty when there is none."""
        return self._reason.text() if self._reason.isVisibleTo(self) else ""

    def _choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Attach files"), "",
            self.tr("Images and PDF (*.png *.gif *.bmp *.tif *.tiff *.jpg *.jpeg *.pdf)"))
        for name in names:
            self.add_attachment(Path(name))

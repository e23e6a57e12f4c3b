"""The main window: the inbox list, one conversation with its order, and the reply composer.

The window is built from the local cache only; network work begins in start_background_work(), after the
window is shown. The GUI thread reads short pages of the list itself and hands everything slow (opening a
conversation, the order, sync, sending, writes) to workers, whose results arrive back here.

This module is the composition root: it builds the widgets, the menus (Inbox, Help), the shortcuts (each an action
with a text, which the Help menu's list reads) and the controllers that do the work (sync_controller,
conversation_controller, order_loader, reply_controller, scan_search, attachment_downloader, sign_in_controller,
tray, assignment_controller in team mode), and re-exposes their signals as the window's own.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Collection, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QLabel,
    QLayout,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop import APP_NAME
from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.app.bench_person import person_name
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.app.reply_spool import SPOOL_FOLDER_NAME, ReplySpool, SpooledReply, store_identity
from magazyn_desktop.app.settings import Settings, load_settings, save_settings
from magazyn_desktop.app.window_state import WindowState, load_window_state, save_window_state
from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.store.read_connection import ReadConnection, database_errors
from magazyn_desktop.domain.claim_decision import ClaimDecision, DecisionRefused
from magazyn_desktop.domain.business_calendar import load_calendar
from magazyn_desktop.domain.deadlines import DeadlineClock
from magazyn_desktop.domain.notes import NoteProblem
from magazyn_desktop.domain.records import Order
from magazyn_desktop.domain.vocabulary import Role
from magazyn_desktop.store.inbox_records import ConversationRow, Filter
from magazyn_desktop.ui import errors, i18n, zoom
from magazyn_desktop.ui.app_icon import app_icon
from magazyn_desktop.ui.assignment_controller import AssignmentController
from magazyn_desktop.ui.attachment_downloader import AttachmentDownloader
from magazyn_desktop.ui.claim_decision_dialog import ClaimDecisionDialog
from magazyn_desktop.ui.claim_header import can_decide
from magazyn_desktop.ui.composer import Composer
from magazyn_desktop.ui.conversation_controller import ConversationController
from magazyn_desktop.ui.conversation_list_delegate import ConversationListDelegate
from magazyn_desktop.ui.conversation_list_model import ID_ROLE, ROW_ROLE, ConversationListModel
from magazyn_desktop.ui.conversation_view import ConversationView
from magazyn_desktop.ui.first_run import FirstRunPage
from magazyn_desktop.ui.help_dialogs import AboutDialog, FoldersDialog, ShortcutsDialog, shortcut_entries
from magazyn_desktop.ui.deadline_marks import utc_now
from magazyn_desktop.ui.labels import app_display_name
from magazyn_desktop.ui.order_loader import OrderLoader
from magazyn_desktop.ui.order_panel import OrderPanel
from magazyn_desktop.ui.reply_controller import ReplyController
from magazyn_desktop.ui.arrivals_warning import SendCheck
from magazyn_desktop.ui.reply_templates import ReplyTemplates
from magazyn_desktop.ui.scan_search import ScanSearch
from magazyn_desktop.ui.scanner_input import ScannerInput, ScannerTiming
from magazyn_desktop.ui.fill_progress import FillProgressNotice
from magazyn_desktop.ui.filter_button import FilterButton
from magazyn_desktop.ui.flow_layout import FlowLayout
from magazyn_desktop.ui.messaging_rules_warning import MessagingRulesCheck
from magazyn_desktop.ui.note_dialog import NoteDialog
from magazyn_desktop.ui.reminder_dialog import ReminderDialog
from magazyn_desktop.ui.row_menu import (
    DONE_KEYS,
    MARK_READ_KEYS,
    MARK_UNREAD_KEYS,
    NOTE_KEYS,
    TAKE_KEYS,
    UNDO_KEYS,
    RowActions,
    TeamRowActions,
    row_menu,
)
from magazyn_desktop.ui.search_notice import NothingFoundNotice
from magazyn_desktop.ui.sign_in_banner import SignInBanner
from magazyn_desktop.ui.team_away import TeamAway, TeamAwayBanner
from magazyn_desktop.ui.settings_dialog import RECONNECT, SIGN_OUT, SettingsDialog
from magazyn_desktop.ui.sign_in_controller import BackendFactory, SignInController, SignInFactory
from magazyn_desktop.ui.source_lines import forgetting_sources_after
from magazyn_desktop.ui.status_line import StatusLine
from magazyn_desktop.ui.sync_controller import SyncController
from magazyn_desktop.ui.tray import InboxTray
from magazyn_desktop.ui.visible_text import visible_controls
from magazyn_desktop.ui.window_geometry import PREFERRED_SIZE, first_geometry, placed_on_screens
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

if TYPE_CHECKING:
    from magazyn_desktop.store.deadline_notices import DeadlineNotice
    from magazyn_desktop.sync.engine import NewBuyerMessage
    from magazyn_desktop.ui.team_changes import TeamChanges
    from magazyn_desktop.ui.team_presence import TeamPresence

log = logging.getLogger(__name__)

_HEADLESS_PLATFORMS = ("offscreen", "minimal")

NO_ACCOUNT = -1  # matches no row: the list stays empty until an account exists
QUIT_NETWORK_WAIT_MS = 2000  # at quit, network work gets this long to end before it is abandoned


def scanner_timing(settings: Settings) -> ScannerTiming:
    return ScannerTiming(max_gap_ms=settings.scanner_max_gap_ms, min_length=settings.scanner_min_length,
                         prefix=settings.scanner_prefix, suffix=settings.scanner_suffix)


class MainWindow(QMainWindow):
    _sync: SyncController
    _conversations: ConversationController
    conversation_displayed = Signal(str)  # a conversation's messages are on screen
    conversation_failed = Signal(str)  # opening a conversation failed; the reason is on screen
    initial_sync_finished = Signal(object)  # the first sync's report, or the error that stopped it
    sync_finished = Signal(object)  # every sync, report or error
    backend_ready = Signal(object)
    order_displayed = Signal(str)
    order_candidates_displayed = Signal(str)  # conversation id: the buyer's recent orders are offered to pick from
    reply_queued = Signal(int)  # outbox entry id
    outbox_processed = Signal(object)
    orders_prefetched = Signal(object)  # a background run that fetched linked conversations' orders ended
    attachment_saved = Signal(object)  # Path of the downloaded file
    draft_saved = Signal(str)  # conversation id
    user_message = Signal(str)  # an error or notice shown to staff (status bar), also for tests
    signed_in = Signal(object)  # the sign-in's result, once the account is connected
    claim_decision_dialog_opened = Signal(object)  # ClaimDecisionDialog, shown over the open claim

    def __init__(self, context: AppContext, *, backend_factory: BackendFactory | None = None,
                 demo_backend_factory: BackendFactory | None = None,
                 sign_in_factory: SignInFactory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._paths = context.paths
        i18n.install_translator(context.language)
        self._settings: Settings = load_settings(self._paths.settings_file)
        self._window_state: WindowState | None = load_window_state(self._paths.window_state_file)
        self._closed = False
        self._team_changes: TeamChanges | None = None  # team mode: other benches' writes, once started
        self._presence: TeamPresence | None = None  # team mode: this bench on the presence board, once connected
        self._in_team = context.store_location.is_team  # who has a conversation matters only in a team
        # Replaceable so tests and the smoke test never launch an external viewer.
        # False: no program on this computer opens it (the downloader then says where the file is).
        self.open_file: Callable[[Path], bool | None] = _open_with_system
        self.open_folder: Callable[[Path], bool | None] = _open_with_system  # a folder opens in the file manager

        # network and long reads; and one writer, in submission order. A failure no caller handles is still shown.
        self._pool = WorkerPool(max_threads=4, parent=self, abandonable=True, unhandled=self._show_unhandled)
        self._writer = WorkerPool(max_threads=1, parent=self, unhandled=self._show_unhandled)

        self._shop_login: str | None = None  # the title's first part, read from the cache for the shown account
        self.setWindowTitle(app_display_name())
        self.setWindowIcon(app_icon())
        self.resize(PREFERRED_SIZE)  # until place_on_screens fits it to the screen it is shown on
        # A fixed minimum instead of one recomputed from the layout on every change: cheaper, and platforms
        # without size-hint support (offscreen, some Wayland shells) would warn on each recomputation.
        layout = self.layout()
        assert layout is not None  # a QMainWindow always has its own layout
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(900, 560)
        # The system's text size; the zoom scales from it (and the window gives it back when it closes).
        self._base_point_size = QApplication.font().pointSizeF()
        self._zoom = 1.0
        self._build_widgets()
        self._tray = InboxTray(self, show_inbox=lambda: self.activate(None), quit_=self.close)
        self._build_controllers(backend_factory, demo_backend_factory, sign_in_factory)
        self._build_actions()

        self._counts: dict[Filter, int] = {}  # the filters' numbers, as last counted
        self._activations: deque[str] = deque()  # conversations second launches asked for, oldest first
        self._activation_in_progress: str | None = None
        self._reply_when_shown: str | None = None  # "Reply" from the row menu: the reply box gets the cursor
        self._undo_done: tuple[str, bool] | None = None  # the last "no reply needed" toggled, and its state before
        self._account_id = self._initial_account_id()
        first_filter = self._restore_filter_and_splitter()
        if self._window_state is not None:
            self.set_order_panel_visible(self._window_state.order_panel_visible)
            if self._window_state.zoom != 1.0:
                self.set_zoom(self._window_state.zoom)
        self._model.set_query(first_filter, "", account_id=self._account_id)
        self._show_counts()  # the names at once, the numbers when the first count (start_background_work) arrives
        self._read_shop_login()

    # ==== construction ==========================================================================================

    def _default_backend_factory(self) -> Backend:
        from magazyn_desktop.app.backend import build_backend

        return build_backend(self._paths, demo=self._context.demo, language=self._context.language,
                             credentials=self._sign_in.credentials, location=self._context.store)

    def _default_demo_backend_factory(self) -> Backend:
        from magazyn_desktop.app.backend import build_backend

        return build_backend(self._paths, demo=True, language=self._context.language, location=self._context.store)

    def _read_connection(self) -> ReadConnection:
        return self._context.store_location.open_reader()

    def _initial_account_id(self) -> int:
        """Whose conversations to show from the cache before the backend is built (never demo and real mixed)."""
        connection = self._model.connection()
        found = None
        if connection is not None:
            try:
                found = queries.inbox_account_id(connection, demo=self._context.demo)
            except database_errors() as exc:
                log.warning("reading the accounts failed: %s", exc)
        return NO_ACCOUNT if found is None else found

    def _build_widgets(self) -> None:
        self._model = ConversationListModel(self._read_connection, person=self.person, parent=self)
        self._model.load_failed.connect(self._list_read_failed)
        self._list = QListView()
        self._list.setModel(self._model)
        self._list.setItemDelegate(ConversationListDelegate(self._list))
        self._list.setUniformItemSizes(True)  # lets the view skip measuring every row
        self._list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows elide, never scroll
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._list.setAccessibleName(self.tr("Conversations"))
        self._nothing_found = NothingFoundNotice(self._list, self._model)
        self._fill_progress = FillProgressNotice(self._list)

        self._search = QLineEdit()
        self._search.setPlaceholderText(self.tr("Search or scan: text, buyer, order, parcel number (Ctrl+F)"))
        self._search.setClearButtonEnabled(True)
        self._search.setAccessibleName(self.tr("Search"))

        self._filter_group = QButtonGroup(self)
        self._filter_group.setExclusive(True)
        self._filter_buttons: dict[Filter, FilterButton] = {}
        # In lines that wrap, so the filters never force the list wider than its widest button.
        filters_row = FlowLayout(spacing=4)
        for position, filter_ in enumerate(Filter):
            button = FilterButton()
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setProperty("filter", filter_.value)
            button.setToolTip(self.tr("Ctrl+%1").replace("%1", str(position + 1)))
            self._filter_group.addButton(button, position)
            self._filter_buttons[filter_] = button
            filters_row.addWidget(button)
            # "Moje" in team mode only: on a single bench one person has everything.
            button.setVisible(self._has_filter(filter_))
        self._filter_buttons[Filter.ALL].setChecked(True)
        self._filter_group.idClicked.connect(lambda position: self.set_filter(list(Filter)[position]))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self._search)
        left_layout.addLayout(filters_row)
        left_layout.addWidget(self._list, 1)

        self._view = ConversationView(attachments_folder=self._paths.attachments,
                                      show_authors=self._context.store_location.is_team)
        # The open conversation highlights what the list's search matched, and nothing once it is cleared.
        self._model.search_changed.connect(self._view.set_search)
        self._composer = Composer()
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self._view, 1)
        # Team mode: who else is in the open conversation ("Ania pisze odpowiedź…"); hidden when nobody is.
        self._presence_line = QLabel()
        self._presence_line.setObjectName("presenceLine")
        self._presence_line.setTextFormat(Qt.TextFormat.PlainText)
        self._presence_line.setStyleSheet("color: #5a2a8a; padding: 2px 8px;")
        self._presence_line.hide()
        middle_layout.addWidget(self._presence_line)
        middle_layout.addWidget(self._composer)

        self._order_panel = OrderPanel()

        self._splitter = QSplitter(Qt.Orientation.Horizontal)
        self._splitter.addWidget(left)
        self._splitter.addWidget(middle)
        self._splitter.addWidget(self._order_panel)
        self._splitter.setStretchFactor(0, 3)
        self._splitter.setStretchFactor(1, 5)
        self._splitter.setStretchFactor(2, 3)
        self._splitter.setSizes([400, 540, 340])

        self._banner = QLabel()
        self._banner.setTextFormat(Qt.TextFormat.PlainText)
        self._banner.setWordWrap(True)
        self._banner.setStyleSheet("background: #fff4d6; color: #5a4300; padding: 6px 10px;"
                                   "border-bottom: 1px solid #e8d59c;")
        self._banner.hide()

        inbox = QWidget()
        inbox_layout = QVBoxLayout(inbox)
        inbox_layout.setContentsMargins(0, 0, 0, 0)
        inbox_layout.setSpacing(0)
        inbox_layout.addWidget(self._banner)
        self._sign_in_banner = SignInBanner()
        inbox_layout.addWidget(self._sign_in_banner)
        self._team_away_banner = TeamAwayBanner()  # team mode only: the team's database does not answer
        inbox_layout.addWidget(self._team_away_banner)
        inbox_layout.addWidget(self._splitter, 1)

        self._first_run = FirstRunPage()
        self._first_run.set_environment(self._settings.environment, self._settings.api_url, self._settings.auth_url)

        self._pages = QStackedWidget()
        self._pages.addWidget(inbox)
        self._pages.addWidget(self._first_run)
        self.setCentralWidget(self._pages)

        self._status = StatusLine()
        self._progress = QProgressBar()
        self._progress.setMaximumWidth(160)
        self._progress.setTextVisible(False)
        self._progress.hide()
        self.statusBar().addWidget(self._status, 1)
        self.statusBar().addPermanentWidget(self._progress)

    def _build_controllers(self, backend_factory: BackendFactory | None,
                           demo_backend_factory: BackendFactory | None,
                           sign_in_factory: SignInFactory | None) -> None:
        """Each controller gets the widgets and callbacks it needs; its signals become the window's."""
        backend = lambda: self._sync.backend  # noqa: E731 - read at call time: the backend is replaced
        closed = lambda: self._closed  # noqa: E731
        self._sync = SyncController(
            pool=self._pool, writer=self._writer, banner=self._banner, progress=self._progress,
            # The first backend brings the database and HTTP libraries in: what they leave in cached source goes.
            backend_factory=forgetting_sources_after(backend_factory or self._default_backend_factory),
            poll_interval=lambda: float(self._settings.poll_interval_seconds), closed=closed,
            on_backend=self._on_backend_ready, after_change=lambda changed: self._conversations.refresh_after_change(changed),
            notify=self._notify_new_messages, set_status=self._set_status, show_message=self._show_message,
            parent=self)
        # A first sync shows its rows as they are stored, and its count at the foot of the list.
        self._sync.filling.connect(self._fill_progress.show_count)
        self._sync.filling_ended.connect(self._fill_progress.finish)
        self._sign_in = SignInController(
            context=self._context, page=self._first_run, banner=self._sign_in_banner, pages=self._pages,
            pool=self._pool, backend=backend,
            sign_in_factory=sign_in_factory, backend_factory=backend_factory or self._default_backend_factory,
            demo_backend_factory=demo_backend_factory or self._default_demo_backend_factory,
            replace_backend=self._sync.replace_backend,
            first_run_done=lambda: self.apply_settings(self._settings.with_changes(first_run_done=True)),
            show_message=self._show_message, parent=self)
        self._rules_check = MessagingRulesCheck(composer=self._composer, buyer_wrote=self._buyer_wrote,
                                                dialog_parent=self, parent=self)
        spool = self._reply_spool()
        self._send_check = SendCheck(enabled=self._context.store_location.is_team, composer=self._composer,
                                     dialog_parent=self, parent=self)
        self._replies = ReplyController(
            composer=self._composer, writer=self._writer, backend=backend,
            after_queued=self._after_reply_queued, show_message=self._show_message,
            rules_check=self._rules_check.hold, spool=spool,
            author=self._person_at_bench if spool is not None else lambda: None,
            send_check=self._send_check, parent=self)
        self._replies.reply_queued.connect(lambda _entry_id: self._stop_typing())
        self._team_away = None if spool is None else TeamAway(
            spool=spool, banner=self._team_away_banner, writer=self._writer,
            store=lambda: self._sync.backend.store if self._sync.backend is not None else None, parent=self)
        self._assignment = AssignmentController(
            writer=self._writer, pool=self._pool, backend=backend, person=self.person,
            account_id=lambda: self._account_id, row=self._row,
            refresh=lambda changed: self._conversations.refresh_after_change(changed),
            set_status=self._set_status, show_message=self._show_message, dialog_parent=self, parent=self)
        if self._in_team:
            header = self._view.assignment_header()
            header.enable(self.person)
            header.take_requested.connect(self._assignment.take)
            header.release_requested.connect(self._assignment.release)
            header.hand_requested.connect(self._assignment.hand_to)
        self._orders = OrderLoader(panel=self._order_panel, pool=self._pool, backend=backend, parent=self)
        self._reply_templates = ReplyTemplates(
            composer=self._composer, orders=self._orders, writer=self._writer, backend=backend, dialog_parent=self,
            show_message=self._show_message, parent=self)
        self._conversations = ConversationController(
            list_view=self._list, model=self._model, view=self._view, composer=self._composer, orders=self._orders,
            pool=self._pool, writer=self._writer, read_connection=self._read_connection, backend=backend,
            outgoing_folder=self._paths.outgoing_attachments, pending_draft=self._replies.pending_draft,
            mark_read_on_open=lambda: self._settings.mark_read_on_open, closed=closed,
            mark_read_delay_ms=lambda: self._settings.mark_read_after_ms,
            draft_owner=self._context.store_location.draft_owner, update_counts=self._update_counts, parent=self)
        self._scan_search = ScanSearch(
            box=self._search, model=self._model, account_id=lambda: self._account_id, backend=backend,
            list_changed=self._list_changed, update_counts=self._update_counts,
            open_conversation=self._open_scanned, show_message=self._show_message,
            not_found_sound=self._scan_not_found_sound, parent=self)
        self._scanner = ScannerInput(self, scanner_timing(self._settings), parent=self)
        self._scanner.scanned.connect(self._scan_search.look_up)
        self._scanner.start()
        self._attachments = AttachmentDownloader(
            view=self._view, folder=self._paths.attachments, pool=self._pool, backend=backend,
            open_file=lambda path: self.open_file(path), open_folder=lambda path: self.open_folder(path),
            set_status=self._set_status, show_message=self._show_message, dialog_parent=self, parent=self)

        self._sync.initial_sync_finished.connect(self.initial_sync_finished)
        self._sync.sync_finished.connect(self.sync_finished)
        self._sync.sync_finished.connect(self._after_sync)
        self._sync.outbox_processed.connect(self.outbox_processed)
        self._sync.orders_prefetched.connect(self.orders_prefetched)
        self._sign_in.signed_in.connect(self.signed_in)
        self._replies.reply_queued.connect(self.reply_queued)
        self._replies.draft_saved.connect(self.draft_saved)
        self._orders.order_displayed.connect(self.order_displayed)
        self._orders.candidates_displayed.connect(self.order_candidates_displayed)
        self._conversations.conversation_displayed.connect(self.conversation_displayed)
        self._conversations.conversation_displayed.connect(self._on_conversation_settled)
        self._conversations.conversation_displayed.connect(self._conversation_opened)
        self._conversations.conversation_failed.connect(self._on_conversation_settled)
        self._conversations.conversation_failed.connect(self.conversation_failed)
        self._attachments.attachment_saved.connect(self.attachment_saved)
        if self._team_away is not None:
            team_away = self._team_away
            self._conversations.waiting_replies = team_away.waiting_rows
            self._replies.reply_spooled.connect(self._reply_spooled)
            team_away.moved.connect(self._spooled_replies_moved)

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Inbox"))
        refresh = QAction(self.tr("Check for new messages"), self)
        refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        refresh.triggered.connect(self.sync_now)
        templates = QAction(self.tr("Reply templates…"), self)
        templates.setShortcut(QKeySequence("Ctrl+Shift+T"))
        templates.triggered.connect(self._reply_templates.manage)
        decide = QAction(self.tr("Decide the claim…"), self)
        decide.setShortcut(QKeySequence("Ctrl+D"))
        decide.triggered.connect(lambda _checked=False: self.decide_claim())
        self._view.decide_requested.connect(self.decide_claim)
        settings = QAction(self.tr("Settings…"), self)
        settings.triggered.connect(self.open_settings)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (refresh, templates, decide, settings, quit_action):
            menu.addAction(action)
            self.addAction(action)  # shortcuts work while the menu bar is hidden too

        # Every shortcut is an action with a text, so the shortcuts dialog (Help) lists it as it works.
        def shortcut(text: str, keys: Sequence[str | QKeySequence], slot: Callable[[], None],
                     widget: QWidget | None = None,
                     context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> None:
            owner = widget or self
            action = QAction(text, owner)
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.setShortcutContext(context)
            action.triggered.connect(lambda _checked=False: slot())
            owner.addAction(action)

        shortcut(self.tr("Search or scan"), ["Ctrl+F", QKeySequence(Qt.Key.Key_F3)], self.focus_search)
        reply = self.tr("Write a reply")
        shortcut(reply, ["Ctrl+R"], self.focus_composer)
        # Plain R only where typing is impossible, so it never eats a letter typed into a text field.
        shortcut(reply, ["R"], self.focus_composer, self._list, Qt.ShortcutContext.WidgetShortcut)
        shortcut(reply, ["R"], self.focus_composer, self._view, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut(self.tr("Insert a reply template"), ["Ctrl+T"], self._reply_templates.open_picker)
        shortcut(self.tr("Back to the list (clears the search)"), [QKeySequence(Qt.Key.Key_Escape)],
                 self.back_to_list)
        for position, filter_ in enumerate(Filter):
            if self._has_filter(filter_):
                shortcut(self.tr("Show: %1").replace("%1", self._filter_name(filter_)), [f"Ctrl+{position + 1}"],
                         partial(self.set_filter, filter_))

        # The list row's menu, and its keys from the list.
        self._list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._list.customContextMenuRequested.connect(self._show_row_menu)
        # Named as the menu names them (the menu's own words, translated once).
        shortcut(QCoreApplication.translate("RowMenu", "Mark as unread"), [MARK_UNREAD_KEYS],
                 lambda: self._on_current_row(self._conversations.mark_unread), self._list,
                 Qt.ShortcutContext.WidgetShortcut)
        shortcut(QCoreApplication.translate("RowMenu", "Mark as read"), [MARK_READ_KEYS],
                 lambda: self._on_current_row(self._conversations.mark_read_now), self._list,
                 Qt.ShortcutContext.WidgetShortcut)
        shortcut(self.tr("No reply needed, or a reply after all"), [DONE_KEYS],
                 lambda: self._on_current_conversation(self.toggle_done))
        shortcut(QCoreApplication.translate("RowMenu", "Add a note…"), [NOTE_KEYS],
                 lambda: self._on_current_conversation(self.add_note))
        if self._in_team:
            shortcut(self.tr("Take the conversation"), [TAKE_KEYS],
                     lambda: self._on_current_conversation(self._assignment.take))
        # Not where text is typed: there Ctrl+Z undoes the typing.
        undo = self.tr("Undo “No reply needed”")
        shortcut(undo, [UNDO_KEYS], self.undo_done, self._list, Qt.ShortcutContext.WidgetShortcut)
        shortcut(undo, [UNDO_KEYS], self.undo_done, self._view, Qt.ShortcutContext.WidgetWithChildrenShortcut)

        view = self.menuBar().addMenu(self.tr("&View"))
        bigger = QAction(self.tr("Larger text"), self)
        bigger.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
        bigger.triggered.connect(lambda: self.set_zoom(zoom.step(self._zoom, 1)))
        smaller = QAction(self.tr("Smaller text"), self)
        smaller.setShortcut(QKeySequence.StandardKey.ZoomOut)
        smaller.triggered.connect(lambda: self.set_zoom(zoom.step(self._zoom, -1)))
        normal = QAction(self.tr("Normal text size"), self)
        normal.setShortcut(QKeySequence("Ctrl+0"))
        normal.triggered.connect(lambda: self.set_zoom(1.0))
        self._order_panel_action = QAction(self.tr("Order panel"), self)
        self._order_panel_action.setCheckable(True)
        self._order_panel_action.setChecked(not self._order_panel.isHidden())
        self._order_panel_action.setShortcut(QKeySequence("Ctrl+J"))
        self._order_panel_action.toggled.connect(self.set_order_panel_visible)
        for action in (bigger, smaller, normal):
            view.addAction(action)
            self.addAction(action)
        view.addSeparator()
        view.addAction(self._order_panel_action)
        self.addAction(self._order_panel_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        shortcuts = QAction(self.tr("Keyboard shortcuts"), self)
        shortcuts.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        shortcuts.triggered.connect(self.show_shortcuts)
        folders = QAction(self.tr("Data folder and logs…"), self)
        folders.triggered.connect(self.show_folders)
        about = QAction(self.tr("About %1").replace("%1", APP_NAME), self)
        about.triggered.connect(self.show_about)
        for action in (shortcuts, folders, about):
            help_menu.addAction(action)
            self.addAction(action)

    # ==== contract with the launch sequence =====================================================================

    def start_background_work(self) -> None:
        """Begin the work the first screen need not wait for: the first count of the filters, the business
        calendar behind the deadlines (rows painted before it use a provisional clock, see deadline_marks), and
        the network's (build the backend in a worker, then the first sync, polling and the outbox)."""
        self._update_counts()
        self._pool.submit(lambda _token: load_calendar(utc_now()),
                          on_result=lambda _loaded: self._list.viewport().update())
        self._sync.start()
        location = self._context.store_location
        if location.is_team and self._team_changes is None:
            from magazyn_desktop.ui.team_changes import TeamChanges

            # Other benches' writes: their rows change here as after this window's own sync.
            self._team_changes = TeamChanges(location, lambda: self._account_id, self._other_bench_changed,
                                             self._leads_allegro, parent=self)
            # A reply another bench queued goes out now from the leader, not at its next poll.
            self._team_changes.replies_queued.connect(self._send_if_leading)
            self.statusBar().addPermanentWidget(self._team_changes.status)
            if self._team_away is not None:
                self._team_changes.connection_changed.connect(self._team_connection_changed)
                self._team_away.start()
            self._team_changes.presence_changed.connect(
                lambda: self._presence.refresh() if self._presence is not None else None)
            self._team_changes.start()

    def _list_read_failed(self, _detail: str) -> None:
        if self._context.store_location.is_team:
            return  # the team's database away: the banner and the status bar say so, the rows shown stay
        self._show_message(self.tr("The saved conversations could not be read. Restart the program; if it happens "
                                   "again, tell the administrator."))

    def _reply_spool(self) -> ReplySpool | None:
        """Team mode: where this bench keeps replies while the team's database does not answer."""
        team = self._context.store_location.team
        if team is None:
            return None
        return ReplySpool(self._paths.data / SPOOL_FOLDER_NAME, store_identity(team), self._paths.outgoing_attachments)

    def _person_at_bench(self) -> str | None:
        """Team mode: who queues a reply from here, as the other benches see it."""
        from magazyn_desktop.app.team_leadership import holder_name

        return holder_name(self._settings)

    def _team_connection_changed(self, connected: bool) -> None:
        assert self._team_away is not None
        self._team_away.set_connected(connected)
        if connected:
            self._replies.save_pending_drafts()  # those typed while it was away

    def _reply_spooled(self, reply: SpooledReply) -> None:
        assert self._team_away is not None
        self._team_away.kept(reply)
        self._conversations.show_waiting_replies()

    def _spooled_replies_moved(self, entries: list[tuple[str, int]]) -> None:
        for conversation_id, entry_id in entries:
            self._send_check.queued(conversation_id, entry_id)  # this bench's own replies are no news to it
        conversation_ids = list(dict.fromkeys(conversation_id for conversation_id, _entry in entries))
        self._conversations.show_waiting_replies()
        self._conversations.refresh_after_change(conversation_ids)
        self._update_counts()
        self._sync.process_outbox()

    def team_away_banner(self) -> TeamAwayBanner:
        return self._team_away_banner

    def team_away(self) -> TeamAway | None:
        return self._team_away

    def _leads_allegro(self) -> bool | None:
        """Team mode: whether this bench talks to Allegro now; None without a sign-in (it never leads)."""
        backend = self._sync.backend
        if not isinstance(backend, ConnectedBackend) or backend.leadership is None:
            return None
        return backend.leadership.leads()

    def _send_if_leading(self) -> None:
        if self._leads_allegro():
            self._sync.process_outbox()

    def team_status_text(self) -> str:
        """Team mode: what the status bar says of the team database and the leadership ("" on a single bench)."""
        return self._team_changes.status.text() if self._team_changes is not None else ""

    def listening_to_other_benches(self) -> bool:
        """Team mode: whether other benches' writes reach this window now."""
        return self._team_changes is not None and self._team_changes.listening()

    def _conversation_opened(self, conversation_id: str) -> None:
        """Team mode: what the user saw when it opened (the send-time check), and where the bench is now."""
        if self._view.conversation_id == conversation_id:
            self._send_check.remember(self._view.detail)
        if self._presence is not None:
            self._presence.opened(conversation_id)

    def _keep_presence(self, backend: Backend) -> None:
        """Team mode: this bench on the account's presence board (a new account or store: a new row)."""
        if not self._context.store_location.is_team or backend.account_id is None:
            return
        if self._presence is not None:
            self._presence.stop()
        from magazyn_desktop.app.team_presence import presence_keeper
        from magazyn_desktop.ui.team_presence import TeamPresence

        store, account_id, settings = backend.store, backend.account_id, self._settings
        self._presence = TeamPresence(
            keeper=lambda on_seen: presence_keeper(store, account_id, settings, on_seen,
                                                   seen_seq=self._context.store_location.team_link().seen_seq),
            account_id=account_id, composer=self._composer, model=self._model, line=self._presence_line,
            parent=self)
        self._presence.opened(self.current_conversation_id if self._view.detail is not None else None)
        self._presence.start()

    def _stop_typing(self) -> None:
        if self._presence is not None:
            self._presence.stop_typing()

    def team_presence_text(self) -> str:
        """Team mode: the line above the reply box saying who else is in the open conversation ("" for nobody)."""
        return self._presence.line_text() if self._presence is not None else ""

    def _other_bench_changed(self, conversation_ids: Collection[str]) -> None:
        self._conversations.refresh_after_change(conversation_ids)
        self._update_counts()
        # At DEBUG only (MAGAZYN_LOG_LEVEL=DEBUG): when a change reached these rows, for timing across benches.
        log.debug("rows refreshed after a change in the team store: %s", " ".join(conversation_ids))

    def activate(self, open_conversation_id: str | None) -> None:
        """Bring the window to the front and, when given, open that conversation."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        if QGuiApplication.platformName() not in _HEADLESS_PLATFORMS:  # they have no stacking order to change
            self.raise_()
        self.activateWindow()
        if open_conversation_id and open_conversation_id.strip():
            self._activations.append(open_conversation_id.strip())
            if self._activation_in_progress is None:
                self._open_next_activation()

    def _open_next_activation(self) -> None:
        """Second launches asking in a burst get each conversation opened in turn, none swallowed by the next."""
        self._activation_in_progress = self._activations.popleft() if self._activations else None
        if self._activation_in_progress is not None:
            self.open_conversation(self._activation_in_progress)

    def _on_conversation_settled(self, conversation_id: str) -> None:
        if self._reply_when_shown is not None:
            if self._reply_when_shown == conversation_id:
                self.focus_composer()
            self._reply_when_shown = None
        waiting = self._activation_in_progress
        # Done when it is shown or failed, or when staff opened something else meanwhile.
        if waiting is not None and (conversation_id == waiting or self.current_conversation_id != waiting):
            self._open_next_activation()

    def conversation_count(self) -> int:
        connection = self._model.connection()
        if connection is None:
            return 0
        try:
            return queries.count(connection, account_id=self._account_id)
        except database_errors():
            return 0

    def first_conversation_id(self) -> str | None:
        connection = self._model.connection()
        if connection is None:
            return None
        try:
            page = queries.list_page(connection, account_id=self._account_id, limit=1)
        except database_errors():
            return None
        return page.rows[0].id if page.rows else None

    def shutdown(self) -> None:
        """Stop timers, save the draft being typed, cancel and join every worker, close the backend. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._team_changes is not None:
            self._team_changes.stop()
        if self._team_away is not None:
            self._team_away.stop()
        if self._presence is not None:
            self._presence.stop()  # before the backend's store closes: the row leaves the board
        self._sync.stop()
        self._scan_search.stop()
        self._scanner.stop()
        self._conversations.stop()
        self._view.stop()
        if self._zoom != 1.0:
            zoom.apply_zoom(self, self._base_point_size, 1.0)
        self._status.stop()
        self._composer.flush_draft()  # queues the last draft on the writer, which is drained below
        self._pool.shutdown(QUIT_NETWORK_WAIT_MS)  # cancelled tasks are abandoned at once, however they hang
        self._writer.shutdown(drain=True)
        self._replies.flush_pending_drafts_now()
        self._sync.close_backend()
        self._model.close()
        self._context.store_location.close()  # team mode: the link's connections, after everyone using them
        self._tray.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._composer.flush_draft()
        self._save_window_state()
        super().closeEvent(event)

    # ==== where the window is ===================================================================================

    def _restore_filter_and_splitter(self) -> Filter:
        state = self._window_state
        if state is None:
            return Filter.ALL
        if len(state.splitter_sizes) == self._splitter.count() and sum(state.splitter_sizes) > 0:
            self._splitter.setSizes(list(state.splitter_sizes))
        try:
            filter_ = Filter(state.filter) if state.filter else Filter.ALL
        except ValueError:
            filter_ = Filter.ALL
        if not self._has_filter(filter_):  # "Moje" left on a bench that is no longer in a team
            filter_ = Filter.ALL
        self._filter_buttons[filter_].setChecked(True)
        return filter_

    def place_on_screens(self, available_areas: Sequence[QRect] | None = None) -> None:
        """First start: the preferred size fitted into the primary screen's free area, centred. Later starts: where
        the window was left, moved onto a screen that is still there. `available_areas` stand in for the screens."""
        if available_areas is None:
            screens = QGuiApplication.screens()
            primary = QGuiApplication.primaryScreen()
            ordered = [primary, *(screen for screen in screens if screen is not primary)] if primary else screens
            available_areas = [screen.availableGeometry() for screen in ordered]
        if not available_areas:
            return
        state = self._window_state
        if state is None:
            self.setGeometry(first_geometry(available_areas[0]))
        else:
            saved = QRect(state.x, state.y, state.width, state.height)
            self.setGeometry(placed_on_screens(saved, available_areas))

    def opens_maximized(self) -> bool:
        return self._window_state is not None and self._window_state.maximized

    def show_as_left(self) -> None:
        """Shown at its place, maximised if it was maximised when it was closed."""
        self.place_on_screens()
        if self.opens_maximized():
            self.showMaximized()
        else:
            self.show()

    def _save_window_state(self) -> None:
        # normalGeometry is the size to come back to from maximised; it is empty before the first show.
        normal = self.normalGeometry() if self.isMaximized() else self.geometry()
        if normal.isEmpty():
            return
        self._window_state = WindowState(
            x=normal.x(), y=normal.y(), width=normal.width(), height=normal.height(),
            maximized=self.isMaximized(), splitter_sizes=tuple(self._splitter.sizes()),
            filter=self._model.filter.value, zoom=self._zoom,
            order_panel_visible=not self._order_panel.isHidden())
        save_window_state(self._paths.window_state_file, self._window_state)

    # ==== the list row's menu ==================================================================================

    def row_menu(self, position: int) -> QMenu | None:
        """The menu of the list's row at `position` (None when there is no such row)."""
        row = self._model.index(position, 0).data(ROW_ROLE)
        if not isinstance(row, ConversationRow):
            return None
        return row_menu(self._list, row, RowActions(
            open=self.open_conversation,
            reply=self._reply_to,
            mark_read=self._conversations.mark_read_now, mark_unread=self._conversations.mark_unread,
            toggle_done=self.toggle_done, add_note=self.add_note, remind=self.remind,
            clear_reminder=lambda conversation_id: self._conversations.set_reminder(conversation_id, None),
            team=TeamRowActions(person=self.person, take=self._assignment.take, release=self._assignment.release,
                                hand_to=self._assignment.hand_to)
            if self._in_team else None))

    def _on_current_conversation(self, act: Callable[[str], object]) -> None:
        """The open conversation, else the list's current row."""
        if self.current_conversation_id is not None:
            act(self.current_conversation_id)
        else:
            self._on_current_row(act)

    def _row(self, conversation_id: str) -> ConversationRow | None:
        position = self._model.row_of(conversation_id)
        row = self._model.index(position, 0).data(ROW_ROLE) if position is not None else None
        if isinstance(row, ConversationRow):
            return row
        detail = self._view.detail
        return detail.conversation if detail is not None and detail.conversation.id == conversation_id else None

    # ==== states the app owns: done, notes, reminders ==========================================================

    def toggle_done(self, conversation_id: str) -> None:
        """"No reply needed" on, or off again; Ctrl+Z right after takes it back."""
        row = self._row(conversation_id)
        was_done = row.done if row is not None else False
        self._conversations.set_done(conversation_id, not was_done)
        self._undo_done = (conversation_id, was_done)
        if not was_done:
            self._set_status(self.tr("Marked as needing no reply (Ctrl+Z undoes)."))

    def undo_done(self) -> None:
        if self._undo_done is None:
            return
        conversation_id, was_done = self._undo_done
        self._undo_done = None
        self._conversations.set_done(conversation_id, was_done)

    def add_note(self, conversation_id: str) -> NoteDialog:
        row = self._row(conversation_id)
        buyer = visible_controls(row.interlocutor_login) if row is not None and row.interlocutor_login else ""
        dialog = NoteDialog(buyer or self.tr("the buyer"), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._conversations.add_note(
            conversation_id, dialog.text(), self.person(), on_refused=self._note_refused))
        dialog.open()  # window-modal, without a nested event loop
        return dialog

    def _note_refused(self, problem: NoteProblem) -> None:
        if problem is NoteProblem.NO_CONVERSATION:
            self._show_message(self.tr("The note was not saved: this conversation is no longer on this computer."))
        else:
            self._show_message(self.tr("The note was not saved: it is empty or too long."))

    def remind(self, conversation_id: str) -> ReminderDialog:
        row = self._row(conversation_id)
        dialog = ReminderDialog(row.remind_on if row is not None else None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._conversations.set_reminder(conversation_id, dialog.chosen_date()))
        dialog.open()
        return dialog

    def _buyer_wrote(self, conversation_id: str) -> bool:
        """Whether the buyer wrote in this conversation (then a reply is what Allegro's rules allow)."""
        detail = self._view.detail
        if detail is None or detail.conversation.id != conversation_id:
            return False  # not known: the stricter check
        return any(message.author_role == Role.BUYER for message in detail.messages)

    # ==== deciding a claim =====================================================================================

    def decide_claim_button(self) -> QWidget:
        return self._view.decide_button()

    def decide_claim(self, conversation_id: str | None = None) -> None:
        """The open claim's decision dialog, once its order (for a partial refund's limit) is read in a worker."""
        detail = self._view.detail
        if detail is None or (conversation_id is not None and detail.conversation.id != conversation_id) \
                or not can_decide(detail):
            self._show_message(self.tr("Only an open claim can be decided, and only once: open the claim first."))
            return
        backend = self.backend
        if not isinstance(backend, ConnectedBackend):
            self._show_message(self.tr("Not connected to Allegro yet. Try again in a moment."))
            return
        row = detail.conversation
        store = backend.store

        def read_order(_token: CancelToken) -> Order | None:
            return store.load_order(row.order_id) if row.order_id else None

        def show(order: Order | None) -> None:
            if self._closed or self._view.conversation_id != row.id:
                return  # staff moved on meanwhile
            buyer = visible_controls(row.interlocutor_login or "") or self.tr("the buyer")
            dialog = ClaimDecisionDialog(buyer=buyer, order_id=row.order_id,
                                         order_total=order.total if order else None,
                                         order_currency=order.currency if order else None, parent=self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self._store_decision(row.id, dialog.decision()))
            dialog.open()  # window-modal, without a nested event loop
            self.claim_decision_dialog_opened.emit(dialog)

        self._pool.submit(read_order, on_result=show,
                          on_error=lambda error: self._show_message(errors.describe(error, doing="reading the order")))

    def _store_decision(self, issue_id: str, decision: ClaimDecision | None) -> None:
        """Store the confirmed decision in the writer (checked again against the cache), then send it."""
        backend = self.backend
        if decision is None or not isinstance(backend, ConnectedBackend):
            return
        decisions = backend.decisions
        refund = decision.partial_refund

        def run(_token: CancelToken) -> int:
            return decisions.decide(issue_id, decision.choice, decision.message,
                                    amount=refund.amount_text if refund else None,
                                    currency=refund.currency if refund else None)

        def stored(_decision_id: int) -> None:
            self._set_status(self.tr("The decision is saved and being sent."))
            self._conversations.refresh_after_change([issue_id])
            self._sync.process_outbox()

        def refused(error: BaseException) -> None:
            if isinstance(error, DecisionRefused):
                self._show_message(error.words(i18n.current_language()))
            else:
                self._show_message(errors.describe(error, doing="saving the claim decision"))
            self._conversations.refresh_after_change([issue_id])

        self._writer.submit(run, on_result=stored, on_error=refused)

    def _reply_to(self, conversation_id: str) -> None:
        """Open the conversation with the cursor in its reply box (once it is shown)."""
        if self.current_conversation_id == conversation_id and self._composer.conversation_id == conversation_id:
            self.focus_composer()
            return
        self._reply_when_shown = conversation_id
        self.open_conversation(conversation_id)

    def _show_row_menu(self, place: QPoint) -> None:
        index = self._list.indexAt(place)
        if not index.isValid():
            return
        menu = self.row_menu(index.row())
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self._list.viewport().mapToGlobal(place))

    def _on_current_row(self, act: Callable[[str], object]) -> None:
        current = self._list.currentIndex()
        conversation_id = current.data(ID_ROLE) if current.isValid() else None
        if isinstance(conversation_id, str):
            act(conversation_id)

    # ==== zoom and panes ========================================================================================

    def set_zoom(self, factor: float) -> None:
        """Scale the whole window's text; the rows and the open conversation's cards are measured again."""
        self._zoom = zoom.clamped(factor)
        zoom.apply_zoom(self, self._base_point_size, self._zoom)
        self._view.set_thumbnail_scale(self._zoom)
        self._list.doItemsLayout()
        detail = self._view.detail
        if detail is not None:
            self._view.show_detail(detail)

    @property
    def zoom_factor(self) -> float:
        return self._zoom

    def set_order_panel_visible(self, visible: bool) -> None:
        """The order panel gives way on a narrow screen: hidden and shown with Ctrl+J, remembered."""
        self._order_panel.setVisible(visible)
        if self._order_panel_action.isChecked() != visible:
            self._order_panel_action.setChecked(visible)

    def splitter(self) -> QSplitter:
        return self._splitter

    def filter_button(self, filter_: Filter) -> FilterButton:
        return self._filter_buttons[filter_]

    # ==== backend and sync ======================================================================================

    @property
    def backend(self) -> Backend | None:
        return self._sync.backend

    def _on_backend_ready(self, backend: Backend) -> None:
        """The window's part of switching to a backend; the sync controller runs the first sync right after."""
        if backend.account_id is not None and backend.account_id != self._account_id:
            self._account_id = backend.account_id  # signed in, or switched to the demo: show that account only
            self._model.set_query(account_id=self._account_id)
            self._counts = {}
            self._update_counts()
        self._order_panel.set_environment(backend.environment.name)  # production and sandbox link to Allegro
        self._read_shop_login()  # a sign-in may just have told the login
        self.backend_ready.emit(backend)
        self._replies.save_pending_drafts()
        self._keep_presence(backend)
        self._reply_templates.reload()
        self._sign_in.show_if_needed(backend)
        self._conversations.reopen_if_missing()  # asked for before the backend existed
        self._orders.load_waiting()  # likewise its order, when the conversation itself was in the cache

    def _after_sync(self, outcome: object) -> None:
        if getattr(outcome, "needs_sign_in", False):
            self._sign_in.sign_in_refused()
        self._announce_deadlines()

    def _announce_deadlines(self) -> None:
        """The tray names the claims and disputes whose deadline came within a working day, each deadline once."""
        backend = self._sync.backend
        if not isinstance(backend, ConnectedBackend) or not self._settings.notifications:
            return
        account_id, now = backend.account_id, utc_now()

        def take(_token: CancelToken) -> list[DeadlineNotice]:
            return backend.store.take_deadline_notices(account_id, DeadlineClock.at(now))

        self._writer.submit(take, on_result=lambda notices: self._tray.notify_deadlines(notices),
                            on_error=lambda error: log.warning("reading the near deadlines failed: %s", error))

    def sync_now(self) -> None:
        """Check Allegro for new messages now (F5); does nothing while a check is already running."""
        self._sync.sync_now()

    def set_offline(self, offline: bool) -> None:
        self._sync.set_offline(offline)

    def is_offline_banner_visible(self) -> bool:
        return self._sync.is_offline_banner_visible()

    def _after_reply_queued(self, conversation_id: str) -> None:
        self._conversations.mark_read_on_reply(conversation_id)
        self._conversations.refresh_after_change([conversation_id])
        self._sync.process_outbox()

    def _notify_new_messages(self, new_messages: list[NewBuyerMessage]) -> None:
        if self._settings.notifications:
            self._tray.notify_new_messages(new_messages)

    # ==== list, filters, search =================================================================================

    def set_filter(self, filter_: Filter) -> None:
        self._filter_buttons[filter_].setChecked(True)
        self._model.set_query(filter_=filter_)
        self._list_changed()

    def set_search(self, text: str) -> None:
        self._scan_search.set_text(text)

    def _open_scanned(self, conversation_id: str) -> None:
        self.open_conversation(conversation_id)
        self._view.focus_messages()

    def _list_changed(self) -> None:
        """After the filter or the search changed which rows the list shows (the numbers stay what they are)."""
        self._conversations.reselect_current()
        self._show_counts()

    def _update_counts(self) -> None:
        """The data changed: count again, in a worker (a full count is tens of milliseconds in a large cache)."""
        location, account_id, me = self._context.store_location, self._account_id, self.person()

        def count(_token: CancelToken) -> dict[Filter, int]:
            connection = location.open_reader()
            try:
                return queries.counts(connection, account_id=account_id, me=me)
            finally:
                connection.close()

        def counted(counts: dict[Filter, int]) -> None:
            if account_id == self._account_id:
                self._counts = counts
                self._show_counts()
                self._tray.show_unread(counts[Filter.UNREAD])

        # A newer count (another change meanwhile) supersedes an older one.
        self._pool.submit(count, on_result=counted,
                          on_error=lambda error: log.warning("counting conversations failed: %s", error),
                          channel="counts")

    def _filter_name(self, filter_: Filter) -> str:
        names = {
            Filter.ALL: self.tr("All"),
            Filter.NEEDS_REPLY: self.tr("Needs reply"),
            Filter.UNREAD: self.tr("Unread"),
            Filter.ISSUES: self.tr("Problems and claims"),
            Filter.CLOSED: self.tr("Closed"),
            Filter.REMINDERS: self.tr("Reminders"),
            Filter.DEADLINES: self.tr("Deadlines"),
            Filter.MINE: self.tr("Mine"),
        }
        return names[filter_]

    def _has_filter(self, filter_: Filter) -> bool:
        """Whether the window offers the filter: "Moje" only in team mode."""
        return filter_ is not Filter.MINE or self._in_team

    def person(self) -> str:
        """The person at this bench (app/bench_person.py): notes' author, who takes a conversation."""
        return person_name(self._settings)

    def _show_counts(self) -> None:
        # While a search is active the buttons show no numbers: they count the inbox, not the hits.
        counts = self._counts if not self._model.search.strip() else {}
        for filter_, button in self._filter_buttons.items():
            button.show_label(self._filter_name(filter_), counts.get(filter_))
        self._update_title()

    # ==== the title =============================================================================================

    def _read_shop_login(self) -> None:
        connection = self._model.connection()
        login = None
        if connection is not None and self._account_id != NO_ACCOUNT:
            try:
                login = queries.account_login(connection, self._account_id)
            except database_errors() as exc:
                log.warning("reading the account's login failed: %s", exc)
        self._shop_login = login
        self._update_title()

    def unread_text(self, unread: int) -> str:
        """"5 unread" in the language's plural forms (1 nieprzeczytana, 2 nieprzeczytane, 5 nieprzeczytanych)."""
        return self.tr("%n unread", "", unread)

    def _update_title(self) -> None:
        """"<shop> – <N unread> – <program>": what the taskbar shows of the window; parts not known yet left out."""
        unread = self._counts.get(Filter.UNREAD)
        parts = [self._shop_login] if self._shop_login else []
        if unread is not None:
            parts.append(self.unread_text(unread))
        parts.append(app_display_name())
        self.setWindowTitle(" \u2013 ".join(parts))

    # ==== one conversation ======================================================================================

    @property
    def current_conversation_id(self) -> str | None:
        return self._conversations.current_id

    def conversation_view(self) -> ConversationView:
        return self._view

    def composer(self) -> Composer:
        return self._composer

    def reply_templates(self) -> ReplyTemplates:
        return self._reply_templates

    def order_panel(self) -> OrderPanel:
        return self._order_panel

    def list_view(self) -> QListView:
        return self._list

    def list_model(self) -> ConversationListModel:
        return self._model

    def search_box(self) -> QLineEdit:
        return self._search

    def sign_in_banner(self) -> SignInBanner:
        return self._sign_in_banner

    def nothing_found_notice(self) -> NothingFoundNotice:
        return self._nothing_found

    def fill_progress_notice(self) -> FillProgressNotice:
        return self._fill_progress

    def scanner(self) -> ScannerInput:
        return self._scanner

    def _scan_not_found_sound(self) -> None:
        if self._settings.scan_sound:
            QApplication.beep()

    def open_conversation(self, conversation_id: str) -> None:
        """Show a conversation: from the cache, or asked from Allegro when it is not cached yet."""
        self._conversations.open(conversation_id)

    # ==== keyboard ==============================================================================================

    def focus_search(self) -> None:
        self._pages.setCurrentIndex(0)
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    def focus_composer(self) -> None:
        if self._composer.conversation_id is not None:
            self._composer.focus_editor()

    def back_to_list(self) -> None:
        if self._search.hasFocus() and self._search.text():
            self._search.clear()
            self._scan_search.apply()
        self._list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ==== settings and first run ================================================================================

    @property
    def settings(self) -> Settings:
        return self._settings

    def apply_settings(self, settings: Settings) -> None:
        self._settings = settings
        try:
            save_settings(self._paths.settings_file, settings)
        except OSError as exc:
            self._show_message(self.tr("The settings could not be saved. %1")
                               .replace("%1", errors.describe(exc, doing="saving the settings")))
        self._sync.reset_schedule()  # a new interval takes effect from the next check
        self._scanner.set_timing(scanner_timing(settings))

    def open_settings(self) -> None:
        dialog = self.settings_dialog()
        if dialog.exec():
            self.settings_chosen(dialog)

    def settings_dialog(self) -> SettingsDialog:
        return SettingsDialog(self._settings, self, account=self._sign_in.account_shown(),
                              only_assignee_sends=self._only_assignee_sends())

    def _only_assignee_sends(self) -> bool | None:
        """Team mode: the account's assignee-only rule as stored (a short read); None on a single bench."""
        backend = self.backend
        if not self._in_team or backend is None or self._account_id == NO_ACCOUNT:
            return None
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return backend.store.only_assignee_sends(self._account_id)
        except SQLAlchemyError as exc:  # the team database away: the dialog leaves the rule out
            log.warning("reading the account's assignee rule failed: %s", exc)
            return None

    def settings_chosen(self, dialog: SettingsDialog) -> None:
        """What an accepted settings dialog asks for: its settings, the account's assignee rule, and connecting
        again or signing out."""
        self.apply_settings(dialog.result_settings())
        rule, backend, account_id = dialog.changed_only_assignee_sends(), self.backend, self._account_id
        if rule is not None and backend is not None:
            store = backend.store
            self._writer.submit(lambda _token: store.set_only_assignee_sends(account_id, rule),
                                on_error=lambda error: self._show_message(errors.describe(
                                    error, doing="saving the account's assignee rule")))
        if dialog.account_action == RECONNECT:
            self._sign_in.reconnect()
        elif dialog.account_action == SIGN_OUT:
            self._sign_in.sign_out()

    def first_run_page(self) -> FirstRunPage:
        return self._first_run

    def is_first_run_shown(self) -> bool:
        return self._pages.currentWidget() is self._first_run

    # ==== help ==================================================================================================

    def shortcut_entries(self) -> list[tuple[str, str]]:
        """(what it does, its keys) for every shortcut the window has, read from its actions: the window's own first,
        in the order they were made, then those of the widgets inside it."""
        own = self.actions()
        return shortcut_entries([*own, *(action for action in self.findChildren(QAction) if action not in own)])

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.shortcut_entries(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # window-modal, without a nested event loop
        return dialog

    def show_folders(self) -> FoldersDialog:
        folders = [(self.tr("Data folder"), self._paths.data), (self.tr("Logs"), self._paths.logs)]
        dialog = FoldersDialog(folders, lambda folder: self.open_folder(folder), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ==== messages to staff =====================================================================================

    def _set_status(self, text: str) -> None:
        """A notice: replaced by the next one, gone after a while."""
        self._status.show_notice(text)

    def _show_message(self, text: str) -> None:
        """A problem staff must see: it stays until dismissed or replaced by the next one."""
        self._status.show_error(text)
        self.user_message.emit(text)

    def _show_unhandled(self, error: BaseException) -> None:
        if not self._closed:
            self._show_message(errors.describe(error))

    def status_text(self) -> str:
        """Everything the status bar says: the standing error first, then the notice."""
        return "\n".join(text for text in (self._status.error_text(), self._status.notice_text()) if text)

    def status_line(self) -> StatusLine:
        return self._status


def _open_with_system(path: Path) -> bool:
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


"""The main window: the inbox list, one conversation with its order, and the reply composer.

The window is built from the local cache only; network work begins in start_background_work(), after the
window is shown. The GUI thread reads short pages of the list itself and hands everything slow (opening a
conversation, the order, sync, sending, writes) to workers, whose results arrive back here.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QItemSelectionModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QGuiApplication, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.app_context import AppContext
from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_queries import ConversationDetail, Filter
from magazyn_desktop.ui import errors, i18n
from magazyn_desktop.ui.attachments import write_attachment
from magazyn_desktop.ui.composer import Composer
from magazyn_desktop.ui.conversation_list_delegate import ConversationListDelegate
from magazyn_desktop.ui.conversation_list_model import ID_ROLE, ConversationListModel
from magazyn_desktop.ui.conversation_view import ConversationView
from magazyn_desktop.ui.first_run import FirstRunPage
from magazyn_desktop.ui.labels import format_time
from magazyn_desktop.ui.order_panel import OrderPanel
from magazyn_desktop.ui.settings import Settings, load_settings, save_settings
from magazyn_desktop.ui.settings_dialog import SettingsDialog
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
BACKEND_RETRY_SECONDS = 60.0
MAX_NOTIFICATIONS_PER_SYNC = 3
_HEADLESS_PLATFORMS = ("offscreen", "minimal")


NO_ACCOUNT = -1  # matches no row: the list stays empty until an account exists


class _NoAccount(Exception):
    """No Allegro account is connected yet, so there is nothing to sync."""


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The rendered PNG sizes (no SVG plugin needed), with the SVG for anything larger."""
    from magazyn_desktop.bundle import MissingResourceError, resource_path

    icon = QIcon()
    for size in ICON_SIZES:
        try:
            icon.addFile(str(resource_path("icons", f"magazyn-desktop-{size}.png")))
        except MissingResourceError:  # a missing size must not stop the window
            continue
    try:
        icon.addFile(str(resource_path("icons", "magazyn-desktop.svg")))
    except MissingResourceError:
        pass
    return icon


class MainWindow(QMainWindow):
    conversation_displayed = Signal(str)  # a conversation's messages are on screen
    initial_sync_finished = Signal(object)  # the first sync's report, or the error that stopped it
    sync_finished = Signal(object)  # every sync, report or error
    backend_ready = Signal(object)
    order_displayed = Signal(str)
    reply_queued = Signal(int)  # outbox entry id
    outbox_processed = Signal(object)
    attachment_saved = Signal(object)  # Path of the downloaded file
    draft_saved = Signal(str)  # conversation id
    user_message = Signal(str)  # an error or notice shown to staff (status bar), also for tests
    signed_in = Signal(object)  # the sign-in's result, once the account is connected
    _sync_progress = Signal(object)  # emitted from the sync worker; queued to the GUI thread

    def __init__(self, context: AppContext, *, backend_factory: Callable[[], Any] | None = None,
                 demo_backend_factory: Callable[[], Any] | None = None,
                 sign_in_factory: Callable[[Any], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._paths = context.paths
        i18n.install_translator(context.language)
        self._settings: Settings = load_settings(self._paths.settings_file)
        self._backend_factory = backend_factory or self._default_backend_factory
        self._demo_backend_factory = demo_backend_factory or self._default_demo_backend_factory
        # Builds the object that runs the device flow, given the current backend (worker thread).
        self._sign_in_factory = sign_in_factory or _default_sign_in
        self._sign_in_credentials: Any = None  # the sign-in's CredentialStore: it may hold the only copy of the tokens
        self._backend: Any = None
        self._started = False
        self._closed = False
        self._initial_sync_done = False
        self._current_id: str | None = None
        self._orders: dict[str, Any] = {}
        self._pending_drafts: dict[str, str] = {}
        self._outbox_again = False
        self._schedule: Any = None
        self._offline = False
        self._selecting = False
        # Replaceable so tests and the smoke test never launch an external viewer.
        self.open_file: Callable[[Path], None] = _open_with_system

        self._pool = WorkerPool(max_threads=4, parent=self)  # network and long reads
        self._writer = WorkerPool(max_threads=1, parent=self)  # one writer, in submission order

        self.setWindowTitle("magazyn-desktop")
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        # A fixed minimum instead of one recomputed from the layout on every change: cheaper, and platforms
        # without size-hint support (offscreen, some Wayland shells) would warn on each recomputation.
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(900, 560)
        self._build_widgets()
        self._build_actions()
        self._build_tray()
        self._sync_progress.connect(self._on_sync_progress, Qt.ConnectionType.QueuedConnection)

        self._account_id = self._initial_account_id()
        self._model.set_query(Filter.ALL, "", account_id=self._account_id)
        self._update_counts()
        self._update_tray()

    # ==== construction ==========================================================================================

    def _default_backend_factory(self) -> Any:
        from magazyn_desktop.backend import build_backend

        return build_backend(self._paths, demo=self._context.demo, language=self._context.language,
                             credentials=self._sign_in_credentials)

    def _default_demo_backend_factory(self) -> Any:
        from magazyn_desktop.backend import build_backend

        return build_backend(self._paths, demo=True, language=self._context.language)

    def _read_connection(self) -> sqlite3.Connection:
        return connect(self._paths.database, read_only=True)

    def _initial_account_id(self) -> int:
        """Whose conversations to show from the cache before the backend is built (never demo and real mixed)."""
        connection = self._model.connection()
        found = None
        if connection is not None:
            try:
                found = queries.inbox_account_id(connection, demo=self._context.demo)
            except sqlite3.Error as exc:
                log.warning("reading the accounts failed: %s", exc)
        return NO_ACCOUNT if found is None else found

    def _build_widgets(self) -> None:
        self._model = ConversationListModel(self._read_connection, parent=self)
        self._model.load_failed.connect(lambda _detail: self._show_message(
            self.tr("The saved conversations could not be read. Restart the program; if it happens again, "
                    "tell the administrator.")))
        self._list = QListView()
        self._list.setModel(self._model)
        self._list.setItemDelegate(ConversationListDelegate(self._list))
        self._list.setUniformItemSizes(True)  # lets the view skip measuring every row
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._list.setAccessibleName(self.tr("Conversations"))
        self._list.selectionModel().currentChanged.connect(self._on_current_changed)
        self._list.activated.connect(self._on_activated)

        self._search = QLineEdit()
        self._search.setPlaceholderText(self.tr("Search or scan: text, buyer, order, parcel number (Ctrl+F)"))
        self._search.setClearButtonEnabled(True)
        self._search.setAccessibleName(self.tr("Search"))
        self._search.textChanged.connect(lambda _text: self._search_timer.start())
        self._search.returnPressed.connect(self._on_search_enter)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)

        self._filter_group = QButtonGroup(self)
        self._filter_group.setExclusive(True)
        self._filter_buttons: dict[Filter, QToolButton] = {}
        # Two rows, so the filters never force the list wider than the conversation beside it.
        filters_row = QVBoxLayout()
        filters_row.setSpacing(0)
        filter_lines = (QHBoxLayout(), QHBoxLayout())
        for line in filter_lines:
            line.setSpacing(4)
            filters_row.addLayout(line)
        for position, filter_ in enumerate(Filter):
            button = QToolButton()
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setProperty("filter", filter_.value)
            button.setToolTip(self.tr("Ctrl+%1").replace("%1", str(position + 1)))
            self._filter_group.addButton(button, position)
            self._filter_buttons[filter_] = button
            filter_lines[position // 3].addWidget(button)
        for line in filter_lines:
            line.addStretch(1)
        self._filter_buttons[Filter.ALL].setChecked(True)
        self._filter_group.idClicked.connect(lambda position: self.set_filter(list(Filter)[position]))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self._search)
        left_layout.addLayout(filters_row)
        left_layout.addWidget(self._list, 1)

        self._view = ConversationView()
        self._view.attachment_requested.connect(self._download_attachment)
        self._composer = Composer()
        self._composer.draft_changed.connect(self._save_draft)
        self._composer.send_requested.connect(self._send_reply)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self._view, 1)
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
        inbox_layout.addWidget(self._splitter, 1)

        self._first_run = FirstRunPage()
        self._first_run.set_environment(self._settings.environment, self._settings.api_url, self._settings.auth_url)
        self._first_run.demo_requested.connect(self._on_demo_chosen)
        self._first_run.connect_requested.connect(self._on_connect_requested)
        self._first_run.cancel_requested.connect(self._on_sign_in_cancelled)

        self._pages = QStackedWidget()
        self._pages.addWidget(inbox)
        self._pages.addWidget(self._first_run)
        self.setCentralWidget(self._pages)

        self._status = QLabel()
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._progress = QProgressBar()
        self._progress.setMaximumWidth(160)
        self._progress.setTextVisible(False)
        self._progress.hide()
        self.statusBar().addWidget(self._status, 1)
        self.statusBar().addPermanentWidget(self._progress)

        self._poll_timer = QTimer(self)
        self._poll_timer.setSingleShot(True)
        self._poll_timer.timeout.connect(self.sync_now)

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Inbox"))
        refresh = QAction(self.tr("Check for new messages"), self)
        refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        refresh.triggered.connect(self.sync_now)
        settings = QAction(self.tr("Settings…"), self)
        settings.triggered.connect(self.open_settings)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (refresh, settings, quit_action):
            menu.addAction(action)
            self.addAction(action)  # shortcuts work while the menu bar is hidden too

        def shortcut(keys: str | QKeySequence, slot: Callable[[], None], widget: QWidget | None = None,
                     context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> None:
            item = QShortcut(QKeySequence(keys), widget or self)
            item.setContext(context)
            item.activated.connect(slot)

        shortcut("Ctrl+F", self.focus_search)
        shortcut(QKeySequence(Qt.Key.Key_F3), self.focus_search)
        shortcut("Ctrl+R", self.focus_composer)
        # Plain R only where typing is impossible, so it never eats a letter typed into a text field.
        shortcut("R", self.focus_composer, self._list, Qt.ShortcutContext.WidgetShortcut)
        shortcut("R", self.focus_composer, self._view, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut(QKeySequence(Qt.Key.Key_Escape), self.back_to_list)
        for position, filter_ in enumerate(Filter):
            shortcut(f"Ctrl+{position + 1}", lambda f=filter_: self.set_filter(f))

    def _build_tray(self) -> None:
        self._tray: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        self._tray = QSystemTrayIcon(app_icon(), self)
        menu = QMenu(self)
        menu.addAction(self.tr("Show the inbox"), lambda: self.activate(None))
        menu.addAction(self.tr("Quit"), self.close)
        self._tray.setContextMenu(menu)
        self._tray.activated.connect(lambda _reason: self.activate(None))
        self._tray.show()

    # ==== contract with the launch sequence =====================================================================

    def start_background_work(self) -> None:
        """Begin network work: build the backend in a worker, then the first sync, polling and the outbox."""
        if self._started or self._closed:
            return
        self._started = True
        self._set_status(self.tr("Connecting…"))
        self._pool.submit(lambda _token: self._backend_factory(), on_result=self._on_backend_ready,
                          on_error=self._on_backend_failed, channel="backend")

    def activate(self, open_conversation_id: str | None) -> None:
        """Bring the window to the front and, when given, open that conversation."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        if QGuiApplication.platformName() not in _HEADLESS_PLATFORMS:  # they have no stacking order to change
            self.raise_()
        self.activateWindow()
        if open_conversation_id:
            self.open_conversation(open_conversation_id.strip())

    def conversation_count(self) -> int:
        connection = self._model.connection()
        if connection is None:
            return 0
        try:
            return queries.count(connection, account_id=self._account_id)
        except sqlite3.Error:
            return 0

    def first_conversation_id(self) -> str | None:
        connection = self._model.connection()
        if connection is None:
            return None
        try:
            page = queries.list_page(connection, account_id=self._account_id, limit=1)
        except sqlite3.Error:
            return None
        return page.rows[0].id if page.rows else None

    def shutdown(self) -> None:
        """Stop timers, save the draft being typed, cancel and join every worker, close the backend. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for timer in (self._poll_timer, self._search_timer):
            timer.stop()
        self._composer.flush_draft()  # queues the last draft on the writer, which is drained below
        self._pool.shutdown()
        self._writer.shutdown(drain=True)
        self._flush_pending_drafts_now()
        if self._backend is not None:
            try:
                self._backend.close()
            except Exception:
                log.exception("closing the backend failed")
        self._model.close()
        if self._tray is not None:
            self._tray.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._composer.flush_draft()
        super().closeEvent(event)

    # ==== backend and sync ======================================================================================

    @property
    def backend(self) -> Any:
        return self._backend

    def _on_backend_ready(self, backend: Any) -> None:
        if self._closed:
            backend.close()
            return
        self._backend = backend
        if backend.account_id is not None and backend.account_id != self._account_id:
            self._account_id = backend.account_id  # signed in, or switched to the demo: show that account only
            self._model.set_query(account_id=self._account_id)
            self._update_counts()
            self._update_tray()
        self.backend_ready.emit(backend)
        for conversation_id, text in list(self._pending_drafts.items()):
            self._save_draft(conversation_id, text)
        self._pending_drafts.clear()
        if self._needs_first_run():
            self._pages.setCurrentWidget(self._first_run)
        if self._current_id and self._model.row_of(self._current_id) is None and self._view.detail is None:
            self.open_conversation(self._current_id)  # asked for before the backend existed
        self.sync_now()

    def _on_backend_failed(self, error: BaseException) -> None:
        self._started = False
        self._show_problem(error, self.tr("connecting"))
        self._finish_initial(error)
        if not self._closed:
            # Try again later (the keyring may unlock, the network may come back); start again from scratch.
            QTimer.singleShot(int(BACKEND_RETRY_SECONDS * 1000), self, self.start_background_work)

    def _needs_first_run(self) -> bool:
        if self._context.smoke_test:
            return False
        # Not gated on first_run_done: without a usable account (never connected, a sign-in that lasted one session
        # for want of a keyring, or a refresh token Allegro no longer takes) connecting is the only way on.
        return not bool(getattr(self._backend, "has_account", False)) and not self._context.demo

    def sync_now(self) -> None:
        """Check Allegro for new messages now (F5); does nothing while a check is already running."""
        if self._closed or self._backend is None or self._pool.is_busy("sync"):
            return
        if not getattr(self._backend, "has_account", True) or getattr(self._backend, "sync", None) is None:
            self._finish_initial(_NoAccount())
            return
        self._poll_timer.stop()
        sync = self._backend.sync
        self._progress.setRange(0, 0)
        self._progress.show()
        self._set_status(self.tr("Checking for new messages…"))

        def run(token: CancelToken) -> Any:
            return sync.run_once(self._sync_progress.emit, token)

        self._pool.submit(run, on_result=self._on_sync_done, on_error=self._on_sync_done, channel="sync")

    def _on_sync_progress(self, progress: Any) -> None:
        if self._closed:
            return
        done = getattr(progress, "done", None)
        total = getattr(progress, "total", None)
        if isinstance(done, int) and isinstance(total, int) and total > 0:
            self._progress.setRange(0, total)
            self._progress.setValue(min(done, total))
            self._set_status(self.tr("Checking for new messages… %1 of %2").replace("%1", str(done))
                             .replace("%2", str(total)))

    def _on_sync_done(self, outcome: Any) -> None:
        self._progress.hide()
        failed = isinstance(outcome, BaseException)
        offline = errors.is_offline(outcome) if failed else bool(getattr(outcome, "offline", False))
        self.set_offline(offline)
        if failed and not offline:
            self._show_problem(outcome, self.tr("checking for new messages"))
        elif not offline:
            self._set_status(self.tr("Up to date (checked at %1)").replace("%1", format_time(_now())))
        self._refresh_after_change()
        if not failed:
            self._notify_new_messages(getattr(outcome, "new_buyer_messages", 0))
        self._process_outbox()
        self._schedule_next(outcome)
        self.sync_finished.emit(outcome)
        self._finish_initial(outcome)

    def _finish_initial(self, outcome: Any) -> None:
        if not self._initial_sync_done:
            self._initial_sync_done = True
            self.initial_sync_finished.emit(outcome)

    def _schedule_next(self, outcome: Any) -> None:
        if self._closed:
            return
        delay = float(self._settings.poll_interval_seconds)
        try:
            if self._schedule is None:
                from magazyn_desktop.sync.schedule import PollSchedule

                self._schedule = PollSchedule(interval=float(self._settings.poll_interval_seconds))
            delay = float(self._schedule.next_delay(outcome))
        except Exception:  # no schedule yet (or it failed): poll at the plain interval
            log.debug("poll schedule unavailable, using the interval", exc_info=True)
        self._poll_timer.start(max(1000, int(delay * 1000)))

    def set_offline(self, offline: bool) -> None:
        self._offline = offline
        if offline:
            self._banner.setText(self.tr("No connection to Allegro. Saved conversations can be read; replies "
                                         "wait in the queue and are sent when the connection returns."))
            self._set_status(self.tr("Offline"))
        self._banner.setVisible(offline)

    def is_offline_banner_visible(self) -> bool:
        return not self._banner.isHidden()

    def _refresh_after_change(self) -> None:
        """Re-read the list (keeping the selection) and the open conversation after sync or a send."""
        if self._closed:
            return
        self._model.reload(keep_loaded=True)
        self._reselect_current()
        self._update_counts()
        self._update_tray()
        if self._current_id and self._view.conversation_id == self._current_id:
            conversation_id = self._current_id
            self._pool.submit(lambda token: self._load_detail(conversation_id, token, remote=False),
                              on_result=lambda detail: self._on_detail_refreshed(conversation_id, detail),
                              on_error=lambda error: log.warning("refreshing the conversation failed: %s", error),
                              channel="conversation-refresh")

    def _on_detail_refreshed(self, conversation_id: str, detail: ConversationDetail | None) -> None:
        if detail is None or conversation_id != self._current_id or self._view.conversation_id != conversation_id:
            return
        self._view.show_detail(detail)
        self._composer.update_conversation(detail.conversation)

    def _notify_new_messages(self, new_messages: Any) -> None:
        if self._tray is None or not self._settings.notifications or not new_messages:
            return
        title = self.tr("New message from a buyer")
        if isinstance(new_messages, int):
            self._tray.showMessage(title, self.tr("%1 new messages").replace("%1", str(new_messages)))
            return
        items = list(new_messages) if isinstance(new_messages, Sequence) else []
        for item in items[:MAX_NOTIFICATIONS_PER_SYNC]:
            login = getattr(item, "author_login", None) or getattr(item, "interlocutor_login", None) or ""
            text = " ".join(str(getattr(item, "text", "") or "").split())[:120]
            self._tray.showMessage(f"{title}: {login}" if login else title, text)
        if len(items) > MAX_NOTIFICATIONS_PER_SYNC:
            self._tray.showMessage(title, self.tr("%1 more new messages").replace(
                "%1", str(len(items) - MAX_NOTIFICATIONS_PER_SYNC)))

    # ==== list, filters, search =================================================================================

    def set_filter(self, filter_: Filter) -> None:
        self._filter_buttons[filter_].setChecked(True)
        self._model.set_query(filter_=filter_)
        self._reselect_current()
        self._update_counts()

    def set_search(self, text: str) -> None:
        self._search.setText(text)
        self._apply_search()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        if self._search.text().strip() == self._model.search:
            return
        self._model.set_query(search=self._search.text())
        self._reselect_current()
        self._update_counts()

    def _on_search_enter(self) -> None:
        """Enter in the search box: a scanned or pasted code opens its conversation; other text just searches."""
        code = self._search.text().strip()
        if not code:
            return
        connection = self._model.connection()
        found = None
        if connection is not None:
            try:
                found = queries.find_exact(connection, code, self._account_id)
            except sqlite3.Error as exc:
                log.warning("scanner look-up failed: %s", exc)
        if found is None and _looks_like_conversation_id(code) and self._backend is not None:
            found = code  # not cached: open_conversation asks Allegro, which works out the kind
        if found is None:
            self._apply_search()
            if self._model.rowCount() == 0:
                self._show_message(self.tr("Nothing found for \u201c%1\u201d.").replace("%1", code))
            return
        # A scanner user wants the conversation, and the next scan to start from an empty box.
        self._search.blockSignals(True)
        self._search.clear()
        self._search.blockSignals(False)
        self._model.set_query(search="")
        self._update_counts()
        self.open_conversation(found)
        self._view.focus_messages()

    def _update_counts(self) -> None:
        connection = self._model.connection()
        counts: dict[Filter, int] = {}
        if connection is not None:
            try:
                counts = queries.counts(connection, search=self._model.search, account_id=self._account_id)
            except sqlite3.Error as exc:
                log.warning("counting conversations failed: %s", exc)
        names = {
            Filter.ALL: self.tr("All"),
            Filter.NEEDS_REPLY: self.tr("Needs reply"),
            Filter.UNREAD: self.tr("Unread"),
            Filter.ISSUES: self.tr("Problems and claims"),
            Filter.CLOSED: self.tr("Closed"),
        }
        for filter_, button in self._filter_buttons.items():
            number = counts.get(filter_)
            button.setText(f"{names[filter_]} ({number})" if number is not None else names[filter_])

    def _update_tray(self) -> None:
        if self._tray is None:
            return
        connection = self._model.connection()
        unread = 0
        if connection is not None:
            try:
                unread = queries.unread_count(connection, self._account_id)
            except sqlite3.Error:
                pass
        self._tray.setToolTip(self.tr("magazyn-desktop: %1 unread").replace("%1", str(unread)))

    def _reselect_current(self) -> None:
        if self._current_id is None:
            return
        position = self._model.row_of(self._current_id)
        self._selecting = True
        try:
            if position is None:
                self._list.selectionModel().clearSelection()
            else:
                index = self._model.index(position, 0)
                self._list.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self._list.scrollTo(index)
        finally:
            self._selecting = False

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        conversation_id = current.data(ID_ROLE)
        if isinstance(conversation_id, str) and conversation_id != self._current_id:
            self.open_conversation(conversation_id)

    def _on_activated(self, index: QModelIndex) -> None:
        conversation_id = index.data(ID_ROLE)
        if isinstance(conversation_id, str):
            if conversation_id != self._current_id:
                self.open_conversation(conversation_id)
            self._view.focus_messages()

    # ==== one conversation ======================================================================================

    @property
    def current_conversation_id(self) -> str | None:
        return self._current_id

    def conversation_view(self) -> ConversationView:
        return self._view

    def composer(self) -> Composer:
        return self._composer

    def order_panel(self) -> OrderPanel:
        return self._order_panel

    def list_view(self) -> QListView:
        return self._list

    def list_model(self) -> ConversationListModel:
        return self._model

    def search_box(self) -> QLineEdit:
        return self._search

    def open_conversation(self, conversation_id: str) -> None:
        """Show a conversation: from the cache, or asked from Allegro when it is not cached yet."""
        if self._closed or not conversation_id:
            return
        self._composer.flush_draft()
        self._current_id = conversation_id
        self._reselect_current()
        self._view.show_loading()
        self._composer.set_conversation(None)
        self._order_panel.show_message("")
        self._pool.invalidate("order")
        self._pool.invalidate("conversation-refresh")
        self._pool.submit(lambda token: self._load_detail(conversation_id, token, remote=True),
                          on_result=lambda detail: self._on_detail_loaded(conversation_id, detail),
                          on_error=lambda error: self._on_detail_failed(conversation_id, error),
                          channel="conversation")

    def _load_detail(self, conversation_id: str, token: CancelToken, *, remote: bool) -> ConversationDetail | None:
        """Worker: read the conversation from the cache; fetch and store it first when it is missing."""
        connection = self._read_connection()
        try:
            detail = queries.load_conversation(connection, conversation_id)
            backend = self._backend
            if detail is not None or not remote or backend is None or backend.client is None:
                return detail
            token.raise_if_cancelled()
            conversation = backend.client.open_conversation(conversation_id)
            token.raise_if_cancelled()
            backend.store.store_conversation(backend.account_id, conversation.summary, conversation.messages)
            # Allegro may answer under the canonical id (for example a different case).
            return (queries.load_conversation(connection, conversation_id)
                    or queries.load_conversation(connection, conversation.summary.id))
        finally:
            connection.close()

    def _on_detail_loaded(self, conversation_id: str, detail: ConversationDetail | None) -> None:
        if conversation_id != self._current_id:
            return
        if detail is None:
            if self._backend is None:
                self._view.show_placeholder(self.tr("This conversation is not saved on this computer yet. "
                                                    "It opens when the connection to Allegro is ready."))
            else:
                self._view.show_placeholder(self.tr("No conversation found for \u201c%1\u201d.")
                                            .replace("%1", conversation_id))
            return
        if detail.conversation.id != conversation_id:
            self._current_id = detail.conversation.id
        current = detail.conversation
        if self._model.row_of(current.id) is None:
            self._model.reload(keep_loaded=True)  # it was just fetched from Allegro
            self._update_counts()
        self._reselect_current()
        self._view.show_detail(detail)
        pending = self._pending_drafts.get(current.id)
        self._composer.set_conversation(current, draft=pending if pending is not None else detail.draft)
        self.conversation_displayed.emit(current.id)
        self._load_order(current.order_id)
        if self._settings.mark_read_on_open and not current.read:
            self._mark_read(current.id, current.kind)

    def _on_detail_failed(self, conversation_id: str, error: BaseException) -> None:
        if conversation_id != self._current_id:
            return
        self._view.show_placeholder(errors.describe(error, doing="opening a conversation"))

    def _mark_read(self, conversation_id: str, kind: str) -> None:
        backend = self._backend
        if backend is None:
            return

        def run(_token: CancelToken) -> None:
            backend.store.mark_read(conversation_id)

        self._writer.submit(run, on_result=lambda _none: self._refresh_list_only(),
                            on_error=lambda error: log.warning("marking as read failed: %s", error))
        mark_remote = getattr(getattr(backend, "client", None), "mark_thread_read", None)
        if kind == "thread" and callable(mark_remote):
            # Best effort: Allegro's own flag; the inbox's unread mark is already local.
            self._pool.submit(lambda _token: mark_remote(conversation_id),
                              on_error=lambda error: log.info("marking read on Allegro failed: %s", error))

    def _refresh_list_only(self) -> None:
        if self._closed:
            return
        self._model.reload(keep_loaded=True)
        self._reselect_current()
        self._update_counts()
        self._update_tray()

    # ==== order =================================================================================================

    def _load_order(self, order_id: str | None) -> None:
        if not order_id:
            self._order_panel.show_message(self.tr("No order for this conversation."))
            return
        cached = self._orders.get(order_id)
        if cached is not None:
            self._order_panel.show_order(cached)
            self.order_displayed.emit(order_id)
            return
        backend = self._backend
        if backend is None or getattr(backend, "client", None) is None:
            self._order_panel.show_message(self.tr("Order %1: details appear when the connection to Allegro "
                                                   "is ready.").replace("%1", order_id), order_id)
            return
        self._order_panel.show_loading(order_id)

        def run(token: CancelToken) -> Any:
            order = backend.store.load_order(order_id)
            if order is None:
                token.raise_if_cancelled()
                order = backend.client.get_order(order_id)
                backend.store.save_order(backend.account_id, order)
            return order

        def done(order: Any) -> None:
            self._orders[order_id] = order
            if self._order_panel.order_id == order_id:
                self._order_panel.show_order(order)
                self.order_displayed.emit(order_id)

        def failed(error: BaseException) -> None:
            if self._order_panel.order_id == order_id:
                self._order_panel.show_message(errors.describe(error, doing="loading an order"), order_id)

        self._pool.submit(run, on_result=done, on_error=failed, channel="order")

    # ==== attachments ===========================================================================================

    def _download_attachment(self, attachment: Any) -> None:
        backend = self._backend
        if attachment.local_path and Path(attachment.local_path).is_file():
            self._open_file(Path(attachment.local_path))
            return
        if backend is None or getattr(backend, "client", None) is None:
            self._show_message(self.tr("Attachments can be downloaded when the connection to Allegro is ready."))
            return
        detail = self._view.detail
        kind = detail.conversation.kind if detail else "thread"
        attachment_id = attachment.remote_id or (attachment.url or "").rstrip("/").rsplit("/", 1)[-1]
        folder = self._paths.attachments
        self._set_status(self.tr("Downloading %1…").replace("%1", attachment.file_name))

        def run(token: CancelToken) -> Path:
            from magazyn_desktop.allegro.models import Kind

            content, file_name, _mime = backend.client.download_attachment(Kind(kind), attachment_id)
            token.raise_if_cancelled()
            return write_attachment(folder, file_name or attachment.file_name, content)

        def done(path: Path) -> None:
            self._set_status(self.tr("Saved %1").replace("%1", path.name))
            self.attachment_saved.emit(path)
            self._open_file(path)

        self._pool.submit(run, on_result=done,
                          on_error=lambda error: self._show_problem(error, self.tr("downloading an attachment")))

    def _open_file(self, path: Path) -> None:
        self.open_file(path)

    # ==== drafts and replies ====================================================================================

    def _save_draft(self, conversation_id: str, text: str) -> None:
        backend = self._backend
        if backend is None:
            self._pending_drafts[conversation_id] = text  # saved as soon as the store is there
            return
        self._pending_drafts.pop(conversation_id, None)
        self._writer.submit(lambda _token: backend.store.save_draft(conversation_id, text),
                            on_result=lambda _none: self.draft_saved.emit(conversation_id),
                            on_error=lambda error: self._show_problem(error, self.tr("saving the draft")))

    def _flush_pending_drafts_now(self) -> None:
        if self._backend is None or not self._pending_drafts:
            return
        for conversation_id, text in self._pending_drafts.items():
            try:
                self._backend.store.save_draft(conversation_id, text)
            except Exception:
                log.exception("saving a draft on exit failed")
        self._pending_drafts.clear()

    def _send_reply(self, conversation_id: str, text: str, attachments: list[Path]) -> None:
        backend = self._backend
        if backend is None or getattr(backend, "outbox", None) is None:
            self._show_message(self.tr("Not connected to Allegro yet. The reply stays here as a draft; "
                                       "send it again in a moment."))
            return
        enqueue = backend.outbox.enqueue

        def run(_token: CancelToken) -> int:
            if attachments:
                return int(enqueue(conversation_id, text, attachments=attachments))
            return int(enqueue(conversation_id, text))

        def done(entry_id: int) -> None:
            if self._composer.conversation_id == conversation_id:
                self._composer.clear_after_send()
            else:
                self._save_draft(conversation_id, "")
            self.reply_queued.emit(entry_id)
            self._refresh_after_change()
            self._process_outbox()

        def failed(error: BaseException) -> None:
            problem = getattr(error, "problem", None)  # AttachmentRejected: the file changed after it was chosen
            if problem is not None:
                log.info("a queued attachment was refused: %s", problem)
                self._show_message(self.tr("%1 cannot be sent: it changed or disappeared after it was attached. "
                                           "Remove it and attach a PNG, GIF, BMP, TIFF, JPEG or PDF file of at most "
                                           "5 MB.").replace("%1", str(getattr(error, "file_name", ""))))
            else:
                self._show_problem(error, self.tr("queueing the reply"))

        self._writer.submit(run, on_result=done, on_error=failed)

    def _process_outbox(self) -> None:
        backend = self._backend
        if self._closed or backend is None or getattr(backend, "outbox", None) is None:
            return
        if self._pool.is_busy("outbox"):
            self._outbox_again = True  # one more round when this one ends: a reply came in meanwhile
            return
        self._outbox_again = False
        outbox = backend.outbox

        def run(token: CancelToken) -> Any:
            return outbox.process(token)

        def done(results: Any) -> None:
            self.outbox_processed.emit(results)
            self._refresh_after_change()
            if self._outbox_again:
                self._process_outbox()

        def failed(error: BaseException) -> None:
            if errors.is_offline(error):
                self.set_offline(True)
            else:
                self._show_problem(error, self.tr("sending replies"))
            self._refresh_after_change()

        self._pool.submit(run, on_result=done, on_error=failed, channel="outbox")

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
            self._apply_search()
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
            self._show_message(self.tr("The settings could not be saved (%1). Check the free disk space.")
                               .replace("%1", exc.strerror or str(exc)))
        self._schedule = None  # a new interval takes effect from the next check

    def open_settings(self) -> None:
        dialog = SettingsDialog(self._settings, self)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    def first_run_page(self) -> FirstRunPage:
        return self._first_run

    def is_first_run_shown(self) -> bool:
        return self._pages.currentWidget() is self._first_run

    def _on_demo_chosen(self) -> None:
        """Look around with the demo data for this session; the first-run screen comes back on the next start."""
        self._pool.invalidate("sign-in")
        self._pages.setCurrentIndex(0)
        self._replace_backend(self._demo_backend_factory)

    def _on_connect_requested(self, details: dict[str, str]) -> None:
        from magazyn_desktop.account_setup import SignInRequest

        backend = self._backend
        if backend is None:
            self._first_run.reset(self.tr("The program is still starting. Try again in a moment."))
            return
        request = SignInRequest(**details)
        factory = self._sign_in_factory

        def start(_token: CancelToken) -> Any:
            flow = factory(backend)
            try:
                return flow, flow.start(request)
            except BaseException:
                flow.close()
                raise

        def started(outcome: Any) -> None:
            flow, authorization = outcome
            self._first_run.show_user_code(authorization.user_code,
                                           authorization.verification_uri_complete or authorization.verification_uri)
            if not getattr(flow, "tokens_persisted", True):
                self._first_run.show_session_only_note()

            def wait(token: CancelToken) -> Any:
                try:
                    return flow.wait(authorization, token)
                finally:
                    flow.close()

            # A cancelled wait ends by itself (the token is checked between polls); its outcome is dropped.
            self._pool.submit(wait, on_result=self._on_signed_in, on_error=self._first_run.show_failure,
                              channel="sign-in")

        self._pool.submit(start, on_result=started, on_error=self._first_run.show_failure, channel="sign-in")

    def _on_sign_in_cancelled(self) -> None:
        self._pool.invalidate("sign-in")
        self._first_run.reset(self.tr("Signing in was cancelled."))

    def _on_signed_in(self, result: Any) -> None:
        self._sign_in_credentials = getattr(result, "credentials", None)
        self.apply_settings(self._settings.with_changes(first_run_done=True))
        self._first_run.reset()
        self._pages.setCurrentIndex(0)
        if getattr(result, "tokens_persisted", True):
            self._show_message(self.tr("The Allegro account is connected."))
        else:
            self._show_message(self.tr("The Allegro account is connected. No usable password store (keyring): "
                                       "tokens kept for this session only."))
        self.signed_in.emit(result)
        self._replace_backend(self._backend_factory)

    def _replace_backend(self, factory: Callable[[], Any]) -> None:
        """Build a new backend in a worker and switch to it (after sign-in, or for the demo); then sync."""
        self._set_status(self.tr("Connecting…"))

        def switch(backend: Any) -> None:
            if self._closed:
                backend.close()
                return
            old, self._backend = self._backend, None
            if old is not None and old is not backend:
                # Closed on the writer, after the writes already queued against it.
                self._writer.submit(lambda _token: old.close(),
                                    on_error=lambda error: log.warning("closing the old backend failed: %s", error))
            self._on_backend_ready(backend)

        self._pool.submit(lambda _token: factory(), on_result=switch,
                          on_error=lambda error: self._show_problem(error, self.tr("connecting")), channel="backend")

    # ==== messages to staff =====================================================================================

    def _set_status(self, text: str) -> None:
        self._status.setText(text)

    def _show_message(self, text: str) -> None:
        self._set_status(text)
        self.user_message.emit(text)

    def _show_problem(self, error: BaseException, doing: str) -> None:
        self._show_message(errors.describe(error, doing=doing))

    def status_text(self) -> str:
        return self._status.text()


def _now() -> Any:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def _looks_like_conversation_id(text: str) -> bool:
    """A thread id (long base62) or an issue id (a UUID): worth asking Allegro about when not cached."""
    import re

    return bool(re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", text)
                or re.fullmatch(r"[A-Za-z0-9]{20,64}", text))


def _default_sign_in(backend: Any) -> Any:
    """The device-flow runner over the backend's store and credential store (worker thread: keyring may block)."""
    from magazyn_desktop.account_setup import AccountSetup
    from magazyn_desktop.allegro.credentials import CredentialStore

    credentials = getattr(backend, "credentials", None) or CredentialStore()
    return AccountSetup(backend.store, credentials)


def _open_with_system(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

"""The inbox list as a Qt model that pages from SQLite as the user scrolls, never loading every row.

One page is a short indexed keyset query (a few milliseconds), so paging runs on the GUI thread; the
conversation itself, which can be long, is loaded by a worker. data() never raises: a problem gives None.
After a change, `update_rows` reads just the changed conversations by key and moves, inserts, removes or repaints
their rows: the cost follows the change, not the number of rows loaded, and the view keeps its selection.

For every loaded row the model keeps only its place in the order (the id and the stored time it sorts by: its
last activity, or in the deadlines filter its deadline, inbox_queries.by_deadline); the
contents of the rows (logins, snippets) are kept for the thousand most recently used. A row painted after it
was dropped is read again by key, together with its neighbours: one short query for a screenful, so a user who
scrolled through a hundred thousand rows does not keep a hundred thousand rows in memory.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.domain.deadlines import DeadlineClock
from magazyn_desktop.store.inbox_records import ConversationRow, Filter, PageKey
from magazyn_desktop.ui.deadline_marks import SharedDeadlineClock, deadline_mark, utc_now
from magazyn_desktop.ui.labels import done_mark, format_time, kind_label, reminder_mark
from magazyn_desktop.ui.visible_text import tooltip_text, visible_controls
from magazyn_desktop.store.read_connection import ReadConnection, database_errors

log = logging.getLogger(__name__)

PAGE_SIZE = 50
# More changed conversations than this (a first sync) are cheaper to show by reading the list again.
MAX_ROWS_UPDATED_IN_PLACE = 500
ROWS_KEPT = 1000  # rows whose contents stay in memory, most recently used; a screen shows a few dozen
ROWS_READ_TOGETHER = 100  # around a row that must be read again, mostly below it: a view paints downwards
ROWS_PER_READ = 1000  # a long reload reads in slices, so it never holds every row's contents at once
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the ConversationRow itself, for the delegate
ID_ROLE = Qt.ItemDataRole.UserRole + 2
PRESENCE_ROLE = Qt.ItemDataRole.UserRole + 3  # team mode: the other benches in the conversation (BenchPresence)

Index = QModelIndex | QPersistentModelIndex


class ConversationListModel(QAbstractListModel):
    load_failed = Signal(str)  # a page could not be read; the text is for the log, not for staff
    search_changed = Signal(str)  # the list now shows this search's rows ("" for none)

    def __init__(self, connect: Callable[[], ReadConnection], *, page_size: int = PAGE_SIZE,
                 rows_kept: int = ROWS_KEPT, now: Callable[[], datetime] = utc_now,
                 person: Callable[[], str | None] = lambda: None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connect = connect
        self._person = person  # whose conversations the "Moje" filter shows: the person at this bench
        self._deadline_clock = SharedDeadlineClock(now)  # the rows' time left, from one clock per pass
        self._connection: ReadConnection | None = None
        self._page_size = page_size
        self._rows_kept = max(1, rows_kept)
        self._rows_read_together = min(ROWS_READ_TOGETHER, self._rows_kept)
        # Every loaded row's place: its id, and the stored time it sorts by (with the id, the sort key: the list runs
        # from the greatest key down, or in the deadlines order from the smallest up), by which a row is found by
        # bisecting.
        self._ids: list[str] = []
        self._time_of: dict[str, str | None] = {}
        self._by_deadline = False
        # The contents of recently used rows, least recently used first (None: a row that could not be read).
        self._kept: OrderedDict[str, ConversationRow | None] = OrderedDict()
        self._next_key: PageKey | None = None
        self._exhausted = True
        self._filter = Filter.ALL
        self._search = ""
        self._account_id: int | None = None
        self._unshowable: set[str] = set()  # rows already logged as failing: a row is repainted often
        self._presence: Mapping[str, tuple[Any, ...]] = {}  # team mode: other benches by conversation id

    # --- query -----------------------------------------------------------------------------------------------

    @property
    def filter(self) -> Filter:
        return self._filter

    @property
    def search(self) -> str:
        return self._search

    def set_query(self, filter_: Filter | None = None, search: str | None = None,
                  account_id: int | None = None) -> None:
        searched = self._search
        if filter_ is not None:
            self._filter = filter_
        if search is not None:
            self._search = search.strip()
        if account_id is not None:
            self._account_id = account_id
        self.reload()
        if self._search != searched:
            self.search_changed.emit(self._search)

    def reload(self, *, keep_loaded: bool = False) -> None:
        """Start again from the first page; keep_loaded re-reads as many rows as were shown (after a sync)."""
        wanted = len(self._ids) if keep_loaded else 0
        # A team's database that stopped answering must not blank what is on screen: the rows shown stay.
        before = (self._ids, self._time_of, self._by_deadline, self._kept, self._next_key, self._exhausted)
        self.beginResetModel()
        self._ids = []
        self._time_of = {}
        self._by_deadline = queries.by_deadline(self._filter, self._search)
        self._kept = OrderedDict()
        self._next_key = None
        self._exhausted = False
        if not self._load_page(max(self._page_size, wanted), notify=False) and before[0]:
            self._ids, self._time_of, self._by_deadline, self._kept, self._next_key, self._exhausted = before
            self._exhausted = True  # no more pages asked for until a reload reads again
        self.endResetModel()

    def connection(self) -> ReadConnection | None:
        if self._connection is None:
            try:
                self._connection = self._connect()
            except database_errors() as exc:
                log.warning("cannot open the cache for reading: %s", exc)
                self.load_failed.emit(str(exc))
                return None
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _forget_connection(self) -> None:
        """After a failed read: a team's connection that broke stays broken, so the next read opens a new one."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except database_errors():
                pass

    def deadline_clock(self) -> DeadlineClock:
        """The clock the rows' time left is read from: shared by every row painted meanwhile."""
        return self._deadline_clock.clock()

    def _load_page(self, limit: int, *, notify: bool) -> bool:
        """Read up to `limit` more rows; False when the database could not be read."""
        self._deadline_clock.renew()
        connection = self.connection()
        if connection is None:
            self._exhausted = True
            return False
        while limit > 0 and not self._exhausted:
            try:
                page = queries.list_page(connection, filter_=self._filter, search=self._search,
                                         account_id=self._account_id, after=self._next_key,
                                         limit=min(limit, ROWS_PER_READ), me=self._person())
            except database_errors() as exc:
                log.warning("reading a page of the inbox failed: %s", exc)
                self._exhausted = True
                self._forget_connection()
                self.load_failed.emit(str(exc))
                return False
            self._next_key = page.next_key
            self._exhausted = page.next_key is None
            limit -= len(page.rows)
            if not page.rows:
                break
            if notify:
                self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(page.rows) - 1)
                self._append(page.rows, page.keys)
                self.endInsertRows()
            else:
                self._append(page.rows, page.keys)
        return True

    def _append(self, rows: tuple[ConversationRow, ...], keys: tuple[PageKey, ...]) -> None:
        self._ids.extend(row.id for row in rows)
        self._time_of.update((row.id, self._sort_time(key)) for row, key in zip(rows, keys))
        for row in rows:  # a page just read is the one about to be shown
            self._keep(row.id, row)

    def _keep(self, conversation_id: str, row: ConversationRow | None) -> None:
        self._kept[conversation_id] = row
        self._kept.move_to_end(conversation_id)
        while len(self._kept) > self._rows_kept:
            self._kept.popitem(last=False)

    def _row_at(self, position: int) -> ConversationRow | None:
        """The contents of a loaded row: kept, or read again by key together with the rows around it."""
        conversation_id = self._ids[position]
        if conversation_id not in self._kept:
            self._read_around(position)
        self._kept.move_to_end(conversation_id)
        return self._kept[conversation_id]

    def _read_around(self, position: int) -> None:
        """Read the contents of the rows around `position` the model no longer holds, in one query by key."""
        start = max(0, position - self._rows_read_together // 5)
        around = self._ids[start:start + self._rows_read_together]
        for conversation_id in around:  # the kept ones too: they must outlive what is read now
            if conversation_id in self._kept:
                self._kept.move_to_end(conversation_id)
        wanted = [conversation_id for conversation_id in around if conversation_id not in self._kept]
        found: dict[str, tuple[ConversationRow, PageKey]] = {}
        connection = self.connection()
        try:
            # By id alone: which rows belong where is the list's to say; this only brings their contents.
            if connection is not None:
                found = queries.rows_by_id(connection, wanted)
        except database_errors() as exc:
            log.warning("reading inbox rows again failed: %s", exc)
            self._forget_connection()
            self.load_failed.emit(str(exc))
        for conversation_id in wanted:  # a row not found (or not read) stays blank, like a row data() cannot show
            fresh = found.get(conversation_id)
            self._keep(conversation_id, fresh[0] if fresh is not None else None)

    # --- changes ---------------------------------------------------------------------------------------------

    def update_rows(self, conversation_ids: Collection[str]) -> None:
        """These conversations changed in the cache: bring their rows up to date without resetting the list."""
        if not conversation_ids:
            return
        if self._search or len(conversation_ids) > MAX_ROWS_UPDATED_IN_PLACE:
            # Under a search its index decides which rows belong; a very large change is a new list anyway.
            self.reload(keep_loaded=True)
            return
        connection = self.connection()
        if connection is None:
            return
        try:
            fresh = queries.rows_by_id(connection, conversation_ids, filter_=self._filter,
                                       account_id=self._account_id, me=self._person())
        except database_errors() as exc:
            log.warning("reading changed inbox rows failed: %s", exc)
            self._forget_connection()
            self.load_failed.emit(str(exc))
            return
        for conversation_id in conversation_ids:
            self._update_row(conversation_id, fresh.get(conversation_id))

    def _update_row(self, conversation_id: str, fresh: tuple[ConversationRow, PageKey] | None) -> None:
        position = self._position_of(conversation_id)
        if position is not None:
            if fresh is not None and self._sort_time(fresh[1]) == self._time_of[conversation_id]:
                self._keep(conversation_id, fresh[0])  # same place in the list: repaint it
                index = self.index(position)
                self.dataChanged.emit(index, index)
                return
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._ids[position], self._time_of[conversation_id]
            self._kept.pop(conversation_id, None)
            self.endRemoveRows()
        if fresh is None:
            return  # gone, or the filter no longer shows it
        row, key = fresh
        if (not self._exhausted and self._next_key is not None
                and self._precedes(self._order(self._next_key), self._order(key))):
            return  # below what is loaded: scrolling down brings it, at its place
        target = self._insertion_point(self._order(key))
        self.beginInsertRows(QModelIndex(), target, target)
        self._ids.insert(target, row.id)
        self._time_of[row.id] = self._sort_time(key)
        self._keep(row.id, row)
        self.endInsertRows()

    def _sort_time(self, key: PageKey) -> str | None:
        return key.due_at if self._by_deadline else key.last_activity_at

    def _order(self, key: PageKey) -> tuple[bool, str, str]:
        return _stored_order(self._sort_time(key), key.id)

    def _precedes(self, first: tuple[bool, str, str], second: tuple[bool, str, str]) -> bool:
        """Whether a row of key `first` comes before one of key `second`: the activity order runs from the
        greatest key down, the deadlines order from the smallest (the soonest) up."""
        return first < second if self._by_deadline else first > second

    def _insertion_point(self, wanted: tuple[bool, str, str]) -> int:
        """The first position whose key does not come before `wanted` in the list's order."""
        low, high = 0, len(self._ids)
        while low < high:
            middle = (low + high) // 2
            if self._precedes(self._order_at(middle), wanted):
                low = middle + 1
            else:
                high = middle
        return low

    def _order_at(self, position: int) -> tuple[bool, str, str]:
        conversation_id = self._ids[position]
        return _stored_order(self._time_of[conversation_id], conversation_id)

    def _position_of(self, conversation_id: str) -> int | None:
        if conversation_id not in self._time_of:
            return None
        # Keys are unique (they end with the id): the insertion point of a loaded row's key is that row.
        position = self._insertion_point(_stored_order(self._time_of[conversation_id], conversation_id))
        return position if position < len(self._ids) and self._ids[position] == conversation_id else None

    # --- Qt model --------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._load_page(self._page_size, notify=True)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        try:
            return self._data(index, role)
        except Exception:  # a bad row must never take the list down
            position = index.row()
            key = self._ids[position] if 0 <= position < len(self._ids) else f"#{position}"
            if key not in self._unshowable:
                self._unshowable.add(key)
                log.exception("inbox row %s (%s) could not be shown", index.row(), key)
            return None

    def _data(self, index: Index, role: int) -> Any:
        if not index.isValid() or index.parent().isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == PRESENCE_ROLE:
            return self._presence.get(self._ids[index.row()], ())
        if role not in _ROW_ROLES:
            return None
        row = self._row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            login = visible_controls(row.interlocutor_login or "") or self.tr("(unknown buyer)")
            return f"{login} · {kind_label(row.sub_kind)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(visible_controls(row.snippet)) if row.snippet else None
        return row  # ROW_ROLE

    def _accessible_text(self, row: ConversationRow) -> str:
        login = visible_controls(row.interlocutor_login or "") or self.tr("(unknown buyer)")
        parts = [login, kind_label(row.sub_kind),
                 format_time(row.last_activity_at)]
        if not row.read:
            parts.append(self.tr("unread"))
        if row.needs_reply and not row.closed:
            parts.append(self.tr("needs reply"))
        if row.closed:
            parts.append(self.tr("closed"))
        elif row.done:
            parts.append(done_mark())
        if row.remind_on is not None:
            parts.append(reminder_mark(row.remind_on))
        if row.due_at is not None:
            parts.append(deadline_mark(row.due_at, self.deadline_clock()).text)
        if row.assignee:
            parts.append(self.tr("taken by %1").replace("%1", visible_controls(row.assignee)))
        if row.snippet:
            parts.append(visible_controls(row.snippet))
        return ", ".join(part for part in parts if part)

    # --- helpers for the window ------------------------------------------------------------------------------

    def set_presence(self, by_conversation: Mapping[str, tuple[Any, ...]]) -> None:
        """Team mode: who else is in which conversation; the rows whose presence changed are repainted."""
        before, self._presence = self._presence, dict(by_conversation)
        for conversation_id in set(before) | set(self._presence):
            if before.get(conversation_id) != self._presence.get(conversation_id):
                position = self._position_of(conversation_id)
                if position is not None:
                    index = self.index(position)
                    self.dataChanged.emit(index, index, [PRESENCE_ROLE])

    def row_of(self, conversation_id: str) -> int | None:
        return self._position_of(conversation_id)

    def conversation_at(self, position: int) -> ConversationRow | None:
        return self._row_at(position) if 0 <= position < len(self._ids) else None


_ROW_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                        Qt.ItemDataRole.ToolTipRole, ROW_ROLE})


def _stored_order(sort_time: str | None, conversation_id: str) -> tuple[bool, str, str]:
    """A key as the list compares it: by time as stored (rows without one below every time), then by id."""
    return (sort_time is not None, sort_time or "", conversation_id)

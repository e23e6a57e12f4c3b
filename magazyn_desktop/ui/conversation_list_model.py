"""The inbox list as a Qt model that pages from SQLite as the user scrolls, never loading every row.

One page is a short indexed keyset query (a few milliseconds), so paging runs on the GUI thread; the
conversation itself, which can be long, is loaded by a worker. data() never raises: a problem gives None.
After a change, `update_rows` reads just the changed conversations by key and moves, inserts, removes or repaints
their rows: the cost follows the change, not the number of rows loaded, and the view keeps its selection.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Collection
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.store.inbox_records import ConversationRow, Filter, PageKey
from magazyn_desktop.ui.labels import format_datetime, format_time, kind_label
from magazyn_desktop.ui.visible_text import tooltip_text, visible_controls

log = logging.getLogger(__name__)

PAGE_SIZE = 50
# More changed conversations than this (a first sync) are cheaper to show by reading the list again.
MAX_ROWS_UPDATED_IN_PLACE = 500
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the ConversationRow itself, for the delegate
ID_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class ConversationListModel(QAbstractListModel):
    load_failed = Signal(str)  # a page could not be read; the text is for the log, not for staff

    def __init__(self, connect: Callable[[], sqlite3.Connection], *, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connect = connect
        self._connection: sqlite3.Connection | None = None
        self._page_size = page_size
        self._rows: list[ConversationRow] = []
        self._keys: list[PageKey] = []  # each row's sort key: the list runs from the greatest key down
        self._key_of: dict[str, PageKey] = {}  # finds a loaded row by bisecting the keys
        self._next_key: PageKey | None = None
        self._exhausted = True
        self._filter = Filter.ALL
        self._search = ""
        self._account_id: int | None = None
        self._unshowable: set[str] = set()  # rows already logged as failing: a row is repainted often

    # --- query -----------------------------------------------------------------------------------------------

    @property
    def filter(self) -> Filter:
        return self._filter

    @property
    def search(self) -> str:
        return self._search

    def set_query(self, filter_: Filter | None = None, search: str | None = None,
                  account_id: int | None = None) -> None:
        if filter_ is not None:
            self._filter = filter_
        if search is not None:
            self._search = search.strip()
        if account_id is not None:
            self._account_id = account_id
        self.reload()

    def reload(self, *, keep_loaded: bool = False) -> None:
        """Start again from the first page; keep_loaded re-reads as many rows as were shown (after a sync)."""
        wanted = len(self._rows) if keep_loaded else 0
        self.beginResetModel()
        self._rows = []
        self._keys = []
        self._key_of = {}
        self._next_key = None
        self._exhausted = False
        self._load_page(max(self._page_size, wanted), notify=False)
        self.endResetModel()

    def connection(self) -> sqlite3.Connection | None:
        if self._connection is None:
            try:
                self._connection = self._connect()
            except sqlite3.Error as exc:
                log.warning("cannot open the cache for reading: %s", exc)
                self.load_failed.emit(str(exc))
                return None
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _load_page(self, limit: int, *, notify: bool) -> None:
        connection = self.connection()
        if connection is None:
            self._exhausted = True
            return
        try:
            page = queries.list_page(connection, filter_=self._filter, search=self._search,
                                     account_id=self._account_id, after=self._next_key, limit=limit)
        except sqlite3.Error as exc:
            log.warning("reading a page of the inbox failed: %s", exc)
            self._exhausted = True
            self.load_failed.emit(str(exc))
            return
        self._next_key = page.next_key
        self._exhausted = page.next_key is None
        if not page.rows:
            return
        if notify:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._append(page.rows, page.keys)
            self.endInsertRows()
        else:
            self._append(page.rows, page.keys)

    def _append(self, rows: tuple[ConversationRow, ...], keys: tuple[PageKey, ...]) -> None:
        self._rows.extend(rows)
        self._keys.extend(keys)
        self._key_of.update((row.id, key) for row, key in zip(rows, keys))

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
                                       account_id=self._account_id)
        except sqlite3.Error as exc:
            log.warning("reading changed inbox rows failed: %s", exc)
            self.load_failed.emit(str(exc))
            return
        for conversation_id in conversation_ids:
            self._update_row(conversation_id, fresh.get(conversation_id))

    def _update_row(self, conversation_id: str, fresh: tuple[ConversationRow, PageKey] | None) -> None:
        position = self._position_of(conversation_id)
        if position is not None:
            if fresh is not None and fresh[1] == self._keys[position]:
                self._rows[position] = fresh[0]  # same place in the list: repaint it
                index = self.index(position)
                self.dataChanged.emit(index, index)
                return
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._rows[position], self._keys[position], self._key_of[conversation_id]
            self.endRemoveRows()
        if fresh is None:
            return  # gone, or the filter no longer shows it
        row, key = fresh
        if not self._exhausted and self._next_key is not None and _order(key) < _order(self._next_key):
            return  # below what is loaded: scrolling down brings it, at its place
        target = self._insertion_point(key)
        self.beginInsertRows(QModelIndex(), target, target)
        self._rows.insert(target, row)
        self._keys.insert(target, key)
        self._key_of[row.id] = key
        self.endInsertRows()

    def _insertion_point(self, key: PageKey) -> int:
        """The first position whose key sorts below `key` (the list is in descending order)."""
        wanted = _order(key)
        low, high = 0, len(self._keys)
        while low < high:
            middle = (low + high) // 2
            if _order(self._keys[middle]) > wanted:
                low = middle + 1
            else:
                high = middle
        return low

    def _position_of(self, conversation_id: str) -> int | None:
        key = self._key_of.get(conversation_id)
        if key is None:
            return None
        position = self._insertion_point(key)  # keys are unique (they end with the id): this is the row
        return position if position < len(self._rows) and self._rows[position].id == conversation_id else None

    # --- Qt model --------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

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
            row = self.conversation_at(index.row())
            key = row.id if row is not None else f"#{index.row()}"
            if key not in self._unshowable:
                self._unshowable.add(key)
                log.exception("inbox row %s (%s) could not be shown", index.row(), key)
            return None

    def _data(self, index: Index, role: int) -> Any:
        if not index.isValid() or index.parent().isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            login = visible_controls(row.interlocutor_login or "") or self.tr("(unknown buyer)")
            return f"{login} · {kind_label(row.sub_kind)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(visible_controls(row.snippet)) if row.snippet else None
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        return None

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
        if row.decision_due_at:
            parts.append(self.tr("decide by %1").replace("%1", format_datetime(row.decision_due_at)))
        if row.snippet:
            parts.append(visible_controls(row.snippet))
        return ", ".join(part for part in parts if part)

    # --- helpers for the window ------------------------------------------------------------------------------

    def row_of(self, conversation_id: str) -> int | None:
        return self._position_of(conversation_id)

    def conversation_at(self, position: int) -> ConversationRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None


def _order(key: PageKey) -> tuple[bool, str, str]:
    """A key as the list orders it, greatest first: by time as stored, rows without one last, then by id."""
    return (key.last_activity_at is not None, key.last_activity_at or "", key.id)

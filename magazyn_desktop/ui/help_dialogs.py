"""The Help menu's dialogs: the keyboard shortcuts, the data folder and the logs, and About.

The shortcuts are read from the window's actions (every shortcut of the window is an action with a text), so the
list cannot drift from what the keys do.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop import APP_NAME, __version__


def action_description(action: QAction) -> str:
    """The action's text as a sentence shows it: without the mnemonic's ampersand."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_entries(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(what it does, its keys) for every action with a shortcut, in the order given; actions with the same text
    (one action per place where the key works) are one entry with their keys together."""
    keys_of: dict[str, list[str]] = {}
    for action in actions:
        description = action_description(action)
        if not description:
            continue
        for sequence in action.shortcuts():
            keys = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            if keys and keys not in keys_of.setdefault(description, []):
                keys_of[description].append(keys)
    return [(description, ", ".join(keys)) for description, keys in keys_of.items() if keys]


class ShortcutsDialog(QDialog):
    def __init__(self, entries: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self._table = QTableWidget(len(entries), 2)
        self._table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self._table.verticalHeader().hide()
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setWordWrap(True)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (description, keys) in enumerate(entries):
            self._table.setItem(row, 0, QTableWidgetItem(keys))
            self._table.setItem(row, 1, QTableWidgetItem(description))
        self._table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._table)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def shown_entries(self) -> list[tuple[str, str]]:
        """(keys, what they do) as the table shows them."""
        def text(row: int, column: int) -> str:
            item = self._table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(row, 0), text(row, 1)) for row in range(self._table.rowCount())]


class FoldersDialog(QDialog):
    """Where the program keeps its data and its logs: the paths, to read or copy, and a button opening each."""

    def __init__(self, folders: Sequence[tuple[str, Path]], open_folder: Callable[[Path], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Data folder and logs"))
        self._paths: list[QLabel] = []
        self._open_buttons: list[QPushButton] = []
        grid = QGridLayout()
        for row, (name, folder) in enumerate(folders):
            grid.addWidget(QLabel(name), row, 0)
            path = QLabel(str(folder))
            path.setTextFormat(Qt.TextFormat.PlainText)
            path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                         | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            path.setWordWrap(True)
            grid.addWidget(path, row, 1)
            button = QPushButton(self.tr("Open"))
            button.setToolTip(self.tr("Open %1 in the file manager").replace("%1", str(folder)))
            button.clicked.connect(lambda _checked=False, chosen=folder: open_folder(chosen))
            grid.addWidget(button, row, 2)
            self._paths.append(path)
            self._open_buttons.append(button)
        grid.setColumnStretch(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.resize(560, 160)

    def shown_paths(self) -> list[str]:
        return [label.text() for label in self._paths]

    def open_buttons(self) -> list[QPushButton]:
        return list(self._open_buttons)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About %1").replace("%1", APP_NAME))
        name = QLabel(f"{APP_NAME} {__version__}")
        font = name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        name.setFont(font)
        self._version = __version__
        description = QLabel(self.tr("One inbox for the messages, discussions and claims of an Allegro shop's "
                                     "buyers, with the order beside each conversation."))
        description.setWordWrap(True)
        versions = QLabel(self.tr("Version %1 · Python %2 · Qt for Python %3").replace("%1", __version__)
                          .replace("%2", platform.python_version()).replace("%3", pyside_version))
        versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        versions.setStyleSheet("color: #555555;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(name)
        layout.addWidget(description)
        layout.addWidget(versions)
        layout.addWidget(buttons)
        self._texts = [name, description, versions]

    def shown_text(self) -> str:
        return "\n".join(label.text() for label in self._texts)

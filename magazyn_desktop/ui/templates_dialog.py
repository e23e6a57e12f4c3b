"""The reply templates' dialog: the list in its order (add, duplicate, delete, up, down), the selected template's
name, text and file, and import and export of the JSON file a manager hands to another bench.

Edits are made on a copy and saved together by "Save"; "Cancel" leaves the templates as they were. A file that is
refused on import (not JSON, too large, of a newer version...) is named with the reason and changes nothing. A
template whose placeholders are wrong is kept as written: its problems are highlighted and named, and saving says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.app.template_file import MAX_FILE_BYTES, MAX_NAME_LENGTH, TemplateFileError, TemplateFileProblem
from magazyn_desktop.app.template_library import TemplateDraft, TemplateLibrary, merged
from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES
from magazyn_desktop.domain.templates import ProblemKind, validate
from magazyn_desktop.store.records import DuplicateTemplateName, StoredTemplate
from magazyn_desktop.ui import errors
from magazyn_desktop.ui.search_highlight import utf16_length
from magazyn_desktop.ui.visible_text import visible_controls

PROBLEM_BACKGROUND = QColor("#f6c6cc")


class TemplatesDialog(QDialog):
    def __init__(self, library: TemplateLibrary, templates: list[StoredTemplate],
                 saved: Callable[[list[StoredTemplate], list[str]], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatesDialog")
        self.setWindowTitle(self.tr("Reply templates"))
        self._library = library
        self._saved = saved  # the list kept, and the names of the templates saved with placeholder problems
        self._drafts: list[TemplateDraft] = library.drafts(templates)
        self._showing = False  # while fields are filled from a draft, their signals change nothing

        self._list = QListWidget()
        self._list.setAccessibleName(self.tr("Templates"))
        self._list.currentRowChanged.connect(self._show_current)
        buttons = QHBoxLayout()
        for text, action in ((self.tr("Add"), self.add), (self.tr("Duplicate"), self.duplicate),
                             (self.tr("Delete"), self.delete), (self.tr("Up"), lambda: self.move_current(-1)),
                             (self.tr("Down"), lambda: self.move_current(1))):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, act=action: act())
            buttons.addWidget(button)
        left = QVBoxLayout()
        left.addWidget(self._list, 1)
        left.addLayout(buttons)

        self._name = QLineEdit()
        self._name.setMaxLength(MAX_NAME_LENGTH)
        self._name.setAccessibleName(self.tr("Name"))
        self._name.textChanged.connect(self._name_edited)
        self._body = QPlainTextEdit()
        self._body.setAccessibleName(self.tr("Text"))
        self._body.setTabChangesFocus(True)
        self._body.textChanged.connect(self._body_edited)
        self._warning = QLabel()
        self._warning.setTextFormat(Qt.TextFormat.PlainText)
        self._warning.setWordWrap(True)
        self._warning.setStyleSheet("color: #8a4b00;")
        self._file = QLabel()
        self._file.setTextFormat(Qt.TextFormat.PlainText)
        choose = QPushButton(self.tr("Attach file…"))
        choose.clicked.connect(self._choose_attachment)
        remove = QPushButton(self.tr("Remove file"))
        remove.clicked.connect(lambda: self._set_attachment(None))
        file_row = QHBoxLayout()
        file_row.addWidget(self._file, 1)
        file_row.addWidget(choose)
        file_row.addWidget(remove)
        placeholders = QLabel(self.tr("Placeholders: {login}, {numer_zamowienia}, {numer_przesylki}, {przewoznik}, "
                                      "{sposob_dostawy}, {punkt_odbioru}, {kwota}, {produkty}, {data}"))
        placeholders.setWordWrap(True)
        placeholders.setStyleSheet("color: #555555;")
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Name")))
        right.addWidget(self._name)
        right.addWidget(QLabel(self.tr("Text")))
        right.addWidget(self._body, 1)
        right.addWidget(placeholders)
        right.addWidget(self._warning)
        right.addLayout(file_row)
        self._editor = QWidget()
        self._editor.setLayout(right)

        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addWidget(self._editor, 3)
        self._problem = QLabel()
        self._problem.setTextFormat(Qt.TextFormat.PlainText)
        self._problem.setWordWrap(True)
        self._problem.setStyleSheet("color: #a0213a;")
        self._problem.hide()
        import_button = QPushButton(self.tr("Import…"))
        import_button.clicked.connect(self._choose_import)
        export_button = QPushButton(self.tr("Export…"))
        export_button.clicked.connect(self._choose_export)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self._buttons.addButton(import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._buttons.addButton(export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._buttons.accepted.connect(self.save)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self._problem)
        layout.addWidget(self._buttons)
        self.resize(820, 520)
        self._fill_list(0)

    # ==== what tests and the window read ==========================================================================

    def names(self) -> list[str]:
        return [draft.name for draft in self._drafts]

    def drafts(self) -> list[TemplateDraft]:
        return list(self._drafts)

    def name_box(self) -> QLineEdit:
        return self._name

    def body_box(self) -> QPlainTextEdit:
        return self._body

    def warning_text(self) -> str:
        return self._warning.text()

    def problem_text(self) -> str:
        return self._problem.text() if not self._problem.isHidden() else ""

    def select(self, row: int) -> None:
        self._list.setCurrentRow(row)

    # ==== the list ================================================================================================

    def add(self) -> None:
        self._insert(len(self._drafts), TemplateDraft(None, self._free_name(self.tr("New template")), "", None))

    def duplicate(self) -> None:
        current = self._current()
        if current is not None:
            copy = self.tr("%1 (copy)").replace("%1", current.name)
            self._insert(self._list.currentRow() + 1, replace(current, id=None, name=self._free_name(copy)))

    def delete(self) -> None:
        row = self._list.currentRow()
        if 0 <= row < len(self._drafts):
            del self._drafts[row]
            self._fill_list(min(row, len(self._drafts) - 1))

    def move_current(self, step: int) -> None:
        row = self._list.currentRow()
        target = row + step
        if 0 <= row < len(self._drafts) and 0 <= target < len(self._drafts):
            self._drafts[row], self._drafts[target] = self._drafts[target], self._drafts[row]
            self._fill_list(target)

    def _insert(self, row: int, draft: TemplateDraft) -> None:
        self._drafts.insert(row, draft)
        self._fill_list(row)
        self._name.setFocus()
        self._name.selectAll()

    def _free_name(self, wanted: str) -> str:
        names = {draft.name.strip() for draft in self._drafts}
        name, number = wanted, 2
        while name in names:
            name, number = f"{wanted} {number}", number + 1
        return name

    def _fill_list(self, current: int) -> None:
        self._list.blockSignals(True)
        self._list.clear()
        for draft in self._drafts:
            self._list.addItem(visible_controls(draft.name) or self.tr("(no name)"))
        self._list.blockSignals(False)
        self._list.setCurrentRow(current)
        self._show_current(current)

    def _current(self) -> TemplateDraft | None:
        row = self._list.currentRow()
        return self._drafts[row] if 0 <= row < len(self._drafts) else None

    def _show_current(self, _row: int) -> None:
        draft = self._current()
        self._editor.setEnabled(draft is not None)
        self._showing = True
        try:
            self._name.setText(draft.name if draft else "")
            self._body.setPlainText(draft.body if draft else "")
        finally:
            self._showing = False
        self._show_file(draft)
        self._show_problems()

    def _change_current(self, **changes: object) -> None:
        row = self._list.currentRow()
        if not self._showing and 0 <= row < len(self._drafts):
            self._drafts[row] = replace(self._drafts[row], **changes)  # type: ignore[arg-type]

    def _name_edited(self, name: str) -> None:
        self._change_current(name=name)
        item = self._list.currentItem() if not self._showing and self._list.currentRow() >= 0 else None
        if item is not None:
            item.setText(visible_controls(name) or self.tr("(no name)"))

    def _body_edited(self) -> None:
        self._change_current(body=self._body.toPlainText())
        self._show_problems()

    # ==== problems ================================================================================================

    def _problem_words(self, kind: ProblemKind) -> str:
        words = {
            ProblemKind.UNKNOWN_PLACEHOLDER: self.tr("%1: no such placeholder"),
            ProblemKind.NOT_A_PLACEHOLDER: self.tr("%1: braces around something that is not a placeholder name"),
            ProblemKind.UNCLOSED_BRACE: self.tr("%1: a brace that is not closed on its line"),
            ProblemKind.UNOPENED_BRACE: self.tr("%1: a closing brace without its opening one"),
        }
        return words[kind]

    def _show_problems(self) -> None:
        body = self._body.toPlainText()
        problems = validate(body)
        selections = []
        described = []
        for problem in problems:
            selection = QTextEdit.ExtraSelection()
            text_format = QTextCharFormat()
            text_format.setBackground(PROBLEM_BACKGROUND)
            text_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            text_format.setUnderlineColor(QColor("#a0213a"))
            selection.format = text_format
            cursor = QTextCursor(self._body.document())
            # The editor counts UTF-16 units; the problems are in characters.
            cursor.setPosition(utf16_length(body[:problem.start]))
            cursor.setPosition(utf16_length(body[:problem.end]), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
            shown = problem.text if problem.kind is not ProblemKind.UNCLOSED_BRACE else body[problem.start:].split("\n")[0]
            described.append(self._problem_words(problem.kind).replace("%1", visible_controls(shown[:40])))
        self._body.setExtraSelections(selections)
        self._warning.setText(
            self.tr("This template can be saved, but a reply from it needs correcting by hand: %1.")
            .replace("%1", "; ".join(described)) if described else "")

    # ==== files ===================================================================================================

    def _show_file(self, draft: TemplateDraft | None) -> None:
        attachment = draft.attachment if draft is not None else None
        self._file.setText(self.tr("File: %1").replace("%1", visible_controls(attachment.name)) if attachment
                           else self.tr("No file is attached."))

    def _set_attachment(self, path: Path | None) -> None:
        self._change_current(attachment=path)
        self._show_file(self._current())

    def _choose_attachment(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Attach a file to the template"), "",
            self.tr("Images and PDF (*.png *.gif *.bmp *.tif *.tiff *.jpg *.jpeg *.pdf)"))
        if name:
            self._set_attachment(Path(name))

    # ==== import, export, save ====================================================================================

    def _refusal_text(self, error: TemplateFileError, path: Path) -> str:
        texts = {
            TemplateFileProblem.UNREADABLE: self.tr("%1 cannot be read (%2)."),
            TemplateFileProblem.TOO_LARGE: self.tr("%1 is too large for a templates file (more than %2 MB)."),
            TemplateFileProblem.NOT_JSON: self.tr("%1 is not a JSON file (%2)."),
            TemplateFileProblem.NOT_TEMPLATES: self.tr("%1 is not a templates file of this program."),
            TemplateFileProblem.NEWER_VERSION: self.tr("%1 was written by a newer version of the program (format "
                                                       "%2): update the program to read it."),
            TemplateFileProblem.WRONG_CONTENT: self.tr("%1 has a missing or wrong value at %2."),
            TemplateFileProblem.DUPLICATE_NAME: self.tr("%1 has two templates named %2."),
            TemplateFileProblem.BAD_ATTACHMENT_NAME: self.tr("%1 names a file outside its folder: %2."),
            TemplateFileProblem.MISSING_ATTACHMENT: self.tr("%1 names a file that is not beside it: %2."),
            TemplateFileProblem.ATTACHMENT_NOT_ACCEPTED: self.tr("%2 cannot be sent by Allegro: only PNG, GIF, BMP, "
                                                                 "TIFF, JPEG and PDF files of up to %3 MB are "
                                                                 "accepted."),
        }
        detail = str(MAX_FILE_BYTES // 2**20) if error.problem is TemplateFileProblem.TOO_LARGE else error.detail
        return (texts[error.problem].replace("%1", visible_controls(path.name)).replace("%2", visible_controls(detail))
                .replace("%3", str(ATTACHMENT_MAX_BYTES // 2**20)))

    def _show_problem(self, text: str) -> None:
        self._problem.setText(text)
        self._problem.setVisible(bool(text))

    def import_from(self, path: Path) -> None:
        """The file's templates into the list (one of the same name is replaced); a refused file changes nothing."""
        try:
            imported = self._library.import_file(path)
        except TemplateFileError as error:
            self._show_problem(self.tr("Nothing was imported: %1").replace("%1", self._refusal_text(error, path)))
            return
        self._drafts = merged(self._drafts, imported)
        self._show_problem("")
        self._fill_list(max(0, len(self._drafts) - 1))

    def export_to(self, path: Path) -> None:
        try:
            self._library.export(path, self._drafts)
        except TemplateFileError as error:
            self._show_problem(self.tr("Nothing was exported: %1").replace("%1", self._refusal_text(error, path)))
            return
        except OSError as error:
            self._show_problem(errors.describe(error, doing=self.tr("exporting the templates")))
            return
        self._show_problem("")

    def _choose_import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, self.tr("Import templates"), "",
                                                    self.tr("Templates (*.json)"))
        if name:
            self.import_from(Path(name))

    def _choose_export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("Export templates"), "szablony.json",
                                                    self.tr("Templates (*.json)"))
        if name:
            self.export_to(Path(name))

    def save(self) -> None:
        """Keep the list as edited and close; a problem (an empty or repeated name, a file refused) keeps it open."""
        if any(not draft.name.strip() for draft in self._drafts):
            self._show_problem(self.tr("Every template needs a name."))
            return
        try:
            kept = self._library.save(self._drafts)
        except DuplicateTemplateName as error:
            self._show_problem(self.tr("Two templates are named %1: give one another name.")
                               .replace("%1", visible_controls(error.name)))
            return
        except TemplateFileError as error:
            path = Path(error.detail) if error.detail else Path("?")
            self._show_problem(self._refusal_text(error, path))
            return
        except OSError as error:
            self._show_problem(errors.describe(error, doing=self.tr("saving the templates")))
            return
        self._saved(kept, [t.name for t in kept if validate(t.body)])
        self.accept()

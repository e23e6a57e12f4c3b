"""Reply templates in the window: loaded from the store once a backend is there (the default set the first time),
inserted from Ctrl+T's picker or `/` completion, filled from the open conversation and the order its panel shows,
and managed in their dialog.

A template's file is attached from its copy in the data folder's templates/, so the draft keeps a file that stays.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractItemView, QWidget

from magazyn_desktop.app.backend_types import Backend
from magazyn_desktop.app.template_library import TemplateLibrary
from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.template_values import template_values
from magazyn_desktop.domain.templates import fill
from magazyn_desktop.domain.vocabulary import Kind, SubKind
from magazyn_desktop.store.inbox_records import ConversationRow
from magazyn_desktop.store.records import StoredTemplate
from magazyn_desktop.ui import errors
from magazyn_desktop.ui.composer import Composer
from magazyn_desktop.ui.order_loader import OrderLoader
from magazyn_desktop.ui.template_completion import SlashCompletion
from magazyn_desktop.ui.template_picker import TemplatePicker
from magazyn_desktop.ui.templates_dialog import TemplatesDialog
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

log = logging.getLogger(__name__)


def _summary(row: ConversationRow | None) -> ConversationSummary | None:
    """What template_values reads of the conversation: its buyer and the order it names."""
    if row is None:
        return None
    try:
        kind, sub_kind = Kind(row.kind), SubKind(row.sub_kind)
    except ValueError:
        kind, sub_kind = Kind.THREAD, SubKind.COMMON  # only the login and the order id are read
    return ConversationSummary(id=row.id, kind=kind, sub_kind=sub_kind, last_activity_at=row.last_activity_at,
                               interlocutor_login=row.interlocutor_login, order_id=row.order_id)


class ReplyTemplates(QObject):
    templates_loaded = Signal()

    def __init__(self, *, composer: Composer, orders: OrderLoader, writer: WorkerPool,
                 backend: Callable[[], Backend | None], dialog_parent: QWidget,
                 show_message: Callable[[str], None], today: Callable[[], date] = date.today,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._composer = composer
        self._orders = orders
        self._writer = writer
        self._backend = backend
        self._dialog_parent = dialog_parent
        self._show_message = show_message
        self._today = today
        self._templates: list[StoredTemplate] = []
        self._picker: TemplatePicker | None = None
        self._dialog: TemplatesDialog | None = None
        self._completion = SlashCompletion(composer.editor(), self)
        self._completion.chosen.connect(lambda name, start, end: self.insert_named(name, (start, end)))
        composer.text_edited.connect(self._completion.update)

    def library(self) -> TemplateLibrary | None:
        backend = self._backend()
        return TemplateLibrary(backend.store, backend.paths.templates) if backend is not None else None

    def templates(self) -> list[StoredTemplate]:
        return list(self._templates)

    def names(self) -> list[str]:
        return [template.name for template in self._templates]

    def reload(self) -> None:
        """Read the templates again (on the writer: the first read seeds the default set)."""
        library = self.library()
        if library is None:
            return

        def run(_token: CancelToken) -> list[StoredTemplate]:
            return library.load()

        self._writer.submit(run, on_result=self.set_templates,
                            on_error=lambda error: self._show_message(
                                errors.describe(error, doing=self.tr("reading the reply templates"))))

    def set_templates(self, templates: list[StoredTemplate]) -> None:
        self._templates = list(templates)
        self._completion.set_names(self.names())
        self.templates_loaded.emit()

    # ==== inserting ===============================================================================================

    def open_picker(self) -> None:
        """Ctrl+T: the list of templates over the window, for the reply being written."""
        if not self._composer.takes_reply():
            return
        self._composer.focus_editor()
        if self._picker is not None:
            self._picker.deleteLater()
        self._picker = TemplatePicker(self._templates, self._dialog_parent)
        self._picker.chosen.connect(self.insert_named)
        self._picker.finished.connect(lambda _result: self._composer.focus_editor())
        self._picker.open()

    def picker(self) -> TemplatePicker | None:
        return self._picker

    def completion_popup(self) -> QAbstractItemView:
        return self._completion.popup()

    def insert_named(self, name: str, replacing: tuple[int, int] | None = None) -> None:
        """The template filled for the open conversation, at the cursor or over `replacing`; its file attached."""
        template = next((t for t in self._templates if t.name == name), None)
        if template is None or not self._composer.takes_reply():
            return
        values = template_values(_summary(self._composer.conversation), self._orders.displayed_order(),
                                 self._today())
        self._composer.insert_template(fill(template.body, values.by_field()), replacing)
        library = self.library()
        attachment = library.attachment_path(template) if library is not None else None
        if attachment is not None:
            self._composer.add_attachment(attachment)  # a file gone since is named above the box

    # ==== managing ================================================================================================

    def manage(self) -> None:
        """The templates' dialog over the window (once there is a store to keep them in)."""
        library = self.library()
        if library is None:
            return
        if self._dialog is not None:
            self._dialog.deleteLater()
        self._dialog = TemplatesDialog(library, self._templates, self._saved, self._dialog_parent)
        self._dialog.open()

    def dialog(self) -> TemplatesDialog | None:
        return self._dialog

    def _saved(self, templates: list[StoredTemplate], with_problems: list[str]) -> None:
        self.set_templates(templates)
        if with_problems:
            self._show_message(self.tr("The templates are saved. Check the placeholders of: %1.")
                               .replace("%1", ", ".join(with_problems)))

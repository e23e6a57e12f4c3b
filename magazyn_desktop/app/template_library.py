"""The reply templates as the window edits them: read from the store (the default set seeded the first time),
saved whole with each attached file copied into the data folder's templates/, and imported from or exported to
the JSON file of app/template_file.py.

A copy is never overwritten: a draft may still name it, so a different file of the same name gets "name (2).pdf".
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from magazyn_desktop.app.template_file import check_attachment, default_templates, read_templates, write_templates
from magazyn_desktop.domain.templates import Template
from magazyn_desktop.store.records import StoredTemplate, TemplateEdit

if TYPE_CHECKING:  # the window imports this module before any database is opened
    from magazyn_desktop.store.repository import Store


@dataclass(frozen=True)
class TemplateDraft:
    """A template being edited: `attachment` is its copy in the templates' folder, or a file chosen to be copied."""

    id: int | None  # None: not saved yet
    name: str
    body: str
    attachment: Path | None


def merged(current: Sequence[TemplateDraft], imported: Sequence[TemplateDraft]) -> list[TemplateDraft]:
    """An imported file's templates over the list: one of the same name takes its text and file, in its place;
    the others are added at the end."""
    by_name = {draft.name.strip(): draft for draft in imported}
    result = [replace(draft, body=by_name[key].body, attachment=by_name[key].attachment)
              if (key := draft.name.strip()) in by_name else draft for draft in current]
    names = {draft.name.strip() for draft in current}
    return result + [draft for draft in imported if draft.name.strip() not in names]


class TemplateLibrary:
    def __init__(self, store: Store, folder: Path) -> None:
        self._store = store
        self._folder = folder

    @property
    def folder(self) -> Path:
        return self._folder

    def load(self) -> list[StoredTemplate]:
        """The templates in their order; on the store's first load, the shipped set first goes in."""
        self._store.seed_reply_templates(default_templates())
        return self._store.reply_templates()

    def attachment_path(self, template: StoredTemplate) -> Path | None:
        return self._folder / template.attachment if template.attachment else None

    def drafts(self, templates: Sequence[StoredTemplate]) -> list[TemplateDraft]:
        return [TemplateDraft(t.id, t.name, t.body, self.attachment_path(t)) for t in templates]

    def save(self, drafts: Sequence[TemplateDraft]) -> list[StoredTemplate]:
        """The whole list as edited. Raises TemplateFileError for a file Allegro would not take (nothing saved),
        DuplicateTemplateName, OSError."""
        for draft in drafts:
            if draft.attachment is not None:
                check_attachment(draft.attachment.parent, draft.attachment.name)
        edits = [TemplateEdit(draft.id, draft.name, draft.body,
                              self._copy_in(draft.attachment) if draft.attachment is not None else None)
                 for draft in drafts]
        return self._store.save_reply_templates(edits)

    def import_file(self, path: Path) -> list[TemplateDraft]:
        """A file's templates, their attachments beside it, as new drafts. Raises TemplateFileError."""
        return [TemplateDraft(None, t.name, t.body, path.parent / t.attachment if t.attachment else None)
                for t in read_templates(path)]

    def export(self, path: Path, drafts: Sequence[TemplateDraft]) -> None:
        """Write the file with each attachment copied beside it, so the folder can be handed over whole.
        Raises TemplateFileError for an attachment that is gone, OSError."""
        for draft in drafts:
            if draft.attachment is not None:
                check_attachment(draft.attachment.parent, draft.attachment.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        for draft in drafts:
            if draft.attachment is None:
                continue
            target = path.parent / draft.attachment.name
            if draft.attachment.resolve() != target.resolve():
                shutil.copyfile(draft.attachment, target)
        write_templates(path, [Template(d.name.strip(), d.body, d.attachment.name if d.attachment else None)
                               for d in drafts])

    def _copy_in(self, source: Path) -> str:
        """The name of the file's copy in the templates' folder: itself when it is one, an identical copy, or a
        new copy under a free name."""
        if source.parent.resolve() == self._folder.resolve():
            return source.name
        self._folder.mkdir(parents=True, exist_ok=True)
        number = 1
        while True:
            name = source.name if number == 1 else f"{source.stem} ({number}){source.suffix}"
            target = self._folder / name
            if not target.exists():
                shutil.copyfile(source, target)
                return name
            if filecmp.cmp(source, target, shallow=False):
                return name
            number += 1

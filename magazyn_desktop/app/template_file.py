"""The reply templates' file: JSON a manager exports and hands to another bench, and the set the program ships.

    {"format": "magazyn-templates", "version": 1,
     "templates": [{"name": "Zwrot", "body": "Dzień dobry, ...", "attachment": "formularz-zwrotu.pdf"}]}

`attachment` (optional) is a plain file name in the templates' folder: the folder of the file unless the caller
names another. Reading refuses a whole file, with a `TemplateFileError` that names the problem and where it is,
rather than returning part of it; placeholder problems are no reason to refuse (domain.templates.validate names
them for a warning). Keys this version does not know are ignored: version 1 only ever adds optional ones, and a
file that needs more says so with a higher version, which is refused.
"""

from __future__ import annotations

import enum
import json
import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from magazyn_desktop.app.json_file import write_json_atomically
from magazyn_desktop.bundle import resource_path
from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES
from magazyn_desktop.domain.templates import Template

FORMAT = "magazyn-templates"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 1_048_576  # hundreds of templates fit in far less; a bigger file is something else
MAX_NAME_LENGTH = 100
DEFAULT_TEMPLATES_FILE = "default_templates.json"  # in resources/


class TemplateFileProblem(str, enum.Enum):
    """Why a file was refused; `TemplateFileError.detail` holds what the message names."""

    UNREADABLE = "unreadable"  # detail: the system's reason
    TOO_LARGE = "too_large"  # detail: the file's size in bytes (the limit is MAX_FILE_BYTES)
    NOT_JSON = "not_json"  # detail: where the JSON breaks, when known
    NOT_TEMPLATES = "not_templates"  # JSON, but not a templates file
    NEWER_VERSION = "newer_version"  # detail: the file's version (this program reads up to FORMAT_VERSION)
    WRONG_CONTENT = "wrong_content"  # a value missing or of the wrong type; detail: where, "templates[2].body"
    DUPLICATE_NAME = "duplicate_name"  # detail: the name
    BAD_ATTACHMENT_NAME = "bad_attachment_name"  # not a plain file name in the folder; detail: the name
    MISSING_ATTACHMENT = "missing_attachment"  # detail: the file name
    ATTACHMENT_NOT_ACCEPTED = "attachment_not_accepted"  # a type or size Allegro refuses; detail: the file name


class TemplateFileError(Exception):
    def __init__(self, problem: TemplateFileProblem, detail: str = "") -> None:
        super().__init__(f"templates file refused ({problem.value}): {detail}" if detail
                         else f"templates file refused ({problem.value})")
        self.problem = problem
        self.detail = detail


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TemplateFileError(TemplateFileProblem.TOO_LARGE, str(size))
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # it may have grown since stat
    except OSError as exc:
        raise TemplateFileError(TemplateFileProblem.UNREADABLE, exc.strerror or str(exc)) from exc
    if len(data) > MAX_FILE_BYTES:
        raise TemplateFileError(TemplateFileProblem.TOO_LARGE, str(len(data)))
    return data


def _document(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))  # Windows editors put a byte order mark in front
    except UnicodeDecodeError as exc:
        raise TemplateFileError(TemplateFileProblem.NOT_JSON, f"not UTF-8 at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise TemplateFileError(TemplateFileProblem.NOT_JSON, f"line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:
        raise TemplateFileError(TemplateFileProblem.NOT_JSON, "nested too deeply") from exc


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise TemplateFileError(TemplateFileProblem.WRONG_CONTENT, where)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate from a "\ud800" escape: no text could hold it
        raise TemplateFileError(TemplateFileProblem.WRONG_CONTENT, where) from exc
    return value


def _template(entry: Any, where: str) -> Template:
    if not isinstance(entry, dict):
        raise TemplateFileError(TemplateFileProblem.WRONG_CONTENT, where)
    name = _text(entry.get("name"), f"{where}.name").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise TemplateFileError(TemplateFileProblem.WRONG_CONTENT, f"{where}.name")
    body = _text(entry.get("body"), f"{where}.body")
    attachment = entry.get("attachment")
    return Template(name, body, None if attachment is None else _text(attachment, f"{where}.attachment"))


def parse_templates(data: bytes) -> list[Template]:
    """The templates of a file's content, without looking for their attachments. Raises TemplateFileError."""
    document = _document(data)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TemplateFileError(TemplateFileProblem.NOT_TEMPLATES)
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise TemplateFileError(TemplateFileProblem.WRONG_CONTENT, "version")
    if version > FORMAT_VERSION:
        raise TemplateFileError(TemplateFileProblem.NEWER_VERSION, str(version))
    entries = document.get("templates")
    if not isinstance(entries, list):
        raise TemplateFileError(TemplateFileProblem.WRONG_CONTENT, "templates")
    templates = [_template(entry, f"templates[{index}]") for index, entry in enumerate(entries)]
    seen: set[str] = set()
    for template in templates:
        if template.name in seen:
            raise TemplateFileError(TemplateFileProblem.DUPLICATE_NAME, template.name)
        seen.add(template.name)
    return templates


def _is_plain_file_name(name: str) -> bool:
    """A name without folders on any system, so it cannot point outside the templates' folder."""
    return (name not in ("", ".", "..") and PurePosixPath(name).name == name
            and PureWindowsPath(name).name == name and "\x00" not in name)


def check_attachment(folder: Path, name: str) -> Path:
    """The attachment's path in the templates' folder, if it is there and Allegro would take it.
    Raises TemplateFileError."""
    if not _is_plain_file_name(name):
        raise TemplateFileError(TemplateFileProblem.BAD_ATTACHMENT_NAME, name)
    path = folder / name
    try:
        size = path.stat().st_size if path.is_file() else None
    except OSError:
        size = None
    if size is None:
        raise TemplateFileError(TemplateFileProblem.MISSING_ATTACHMENT, name)
    if path.suffix.lower() not in ATTACHMENT_TYPES or size > ATTACHMENT_MAX_BYTES:
        raise TemplateFileError(TemplateFileProblem.ATTACHMENT_NOT_ACCEPTED, name)
    return path


def read_templates(path: Path, attachments_folder: Path | None = None) -> list[Template]:
    """The templates of a file, each attachment checked in `attachments_folder` (default: the file's folder).
    Raises TemplateFileError; nothing is changed anywhere."""
    templates = parse_templates(_read_bytes(path))
    folder = path.parent if attachments_folder is None else attachments_folder
    for template in templates:
        if template.attachment is not None:
            check_attachment(folder, template.attachment)
    return templates


def templates_document(templates: Sequence[Template]) -> dict[str, Any]:
    entries: list[dict[str, Any]] = []
    for template in templates:
        entry: dict[str, Any] = {"name": template.name, "body": template.body}
        if template.attachment is not None:
            entry["attachment"] = template.attachment
        entries.append(entry)
    return {"format": FORMAT, "version": FORMAT_VERSION, "templates": entries}


def write_templates(path: Path, templates: Sequence[Template], attachments_folder: Path | None = None) -> None:
    """Write the templates to `path`; their attachments are copied from `attachments_folder` beside it, so the
    folder can be handed over as it is. Raises TemplateFileError for an attachment that is gone, OSError."""
    destination = path.parent
    sources = [check_attachment(attachments_folder, template.attachment) for template in templates
               if template.attachment is not None and attachments_folder is not None]
    destination.mkdir(parents=True, exist_ok=True)
    for source in sources:
        if source.parent.resolve() != destination.resolve():
            shutil.copyfile(source, destination / source.name)
    write_json_atomically(path, templates_document(templates))


def default_templates() -> list[Template]:
    """The set the program ships (resources/default_templates.json), read like any other file."""
    return read_templates(resource_path(DEFAULT_TEMPLATES_FILE))

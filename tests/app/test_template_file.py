"""The templates' JSON file: what a manager hands to another bench. A bad file is refused whole, with the reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from magazyn_desktop.app.template_file import (
    FORMAT,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    TemplateFileError,
    TemplateFileProblem,
    default_templates,
    read_templates,
    write_templates,
)
from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES
from magazyn_desktop.domain.templates import Template, validate

TEMPLATES = [
    Template("Status wysyłki", "Dzień dobry,\npaczka {numer_przesylki} jest w drodze."),
    Template("Zwrot", "Formularz zwrotu w załączniku.", "formularz-zwrotu.pdf"),
]


def _document(templates: list[Any], **changes: Any) -> dict[str, Any]:
    return {"format": FORMAT, "version": FORMAT_VERSION, "templates": templates, **changes}


def _write(path: Path, payload: Any) -> Path:
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def _refusal(path: Path, folder: Path | None = None) -> TemplateFileError:
    with pytest.raises(TemplateFileError) as caught:
        read_templates(path, folder)
    return caught.value


def test_written_templates_read_back_the_same(tmp_path: Path) -> None:
    (tmp_path / "formularz-zwrotu.pdf").write_bytes(b"%PDF-1.4")
    path = tmp_path / "szablony.json"
    write_templates(path, TEMPLATES)
    assert read_templates(path) == TEMPLATES
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == FORMAT and document["version"] == FORMAT_VERSION
    assert "Dzień dobry" in path.read_text(encoding="utf-8")  # readable Polish, not \u escapes


def test_export_brings_the_attachments_along(tmp_path: Path) -> None:
    ours = tmp_path / "data" / "templates"
    ours.mkdir(parents=True)
    (ours / "formularz-zwrotu.pdf").write_bytes(b"%PDF-1.4 form")
    handed_over = tmp_path / "pendrive" / "szablony.json"
    write_templates(handed_over, TEMPLATES, attachments_folder=ours)
    assert (handed_over.parent / "formularz-zwrotu.pdf").read_bytes() == b"%PDF-1.4 form"
    assert read_templates(handed_over) == TEMPLATES


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_document([{"name": "A", "body": "b"}])).encode())
    assert read_templates(path) == [Template("A", "b")]


def test_templates_with_placeholder_problems_are_read_for_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.json", _document([{"name": "A", "body": "{numer_listu} {login"}]))
    [template] = read_templates(path)
    assert len(validate(template.body)) == 2


def test_keys_a_later_version_of_version_1_adds_are_ignored(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.json", _document([{"name": "A", "body": "b", "colour": "red"}], comment="x"))
    assert read_templates(path) == [Template("A", "b")]


@pytest.mark.parametrize("content", [b"{not json", b"", "zażółć".encode("cp1250"), b"[" * 100_000])
def test_a_file_that_is_not_json_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(content)
    assert _refusal(path).problem is TemplateFileProblem.NOT_JSON


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    body = "x" * MAX_FILE_BYTES
    _write(path, _document([{"name": "A", "body": body}]))
    error = _refusal(path)
    assert error.problem is TemplateFileProblem.TOO_LARGE and error.detail == str(path.stat().st_size)


def test_a_newer_format_version_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.json", _document([{"name": "A", "body": "b"}], version=FORMAT_VERSION + 1))
    error = _refusal(path)
    assert error.problem is TemplateFileProblem.NEWER_VERSION and error.detail == str(FORMAT_VERSION + 1)


@pytest.mark.parametrize("payload", [
    [], {"templates": []}, {"format": "something-else", "version": 1, "templates": []},
])
def test_json_that_is_not_a_templates_file_is_refused(tmp_path: Path, payload: Any) -> None:
    assert _refusal(_write(tmp_path / "t.json", payload)).problem is TemplateFileProblem.NOT_TEMPLATES


@pytest.mark.parametrize(("payload", "where"), [
    (_document([], version="1"), "version"),
    (_document([], version=True), "version"),
    (_document([], version=0), "version"),
    (_document({"name": "A"}), "templates"),
    (_document(["A"]), "templates[0]"),
    (_document([{"name": "A", "body": "b"}, {"body": "b"}]), "templates[1].name"),
    (_document([{"name": "  ", "body": "b"}]), "templates[0].name"),
    (_document([{"name": 5, "body": "b"}]), "templates[0].name"),
    (_document([{"name": "A"}]), "templates[0].body"),
    (_document([{"name": "A", "body": ["b"]}]), "templates[0].body"),
    (_document([{"name": "A", "body": "b", "attachment": 3}]), "templates[0].attachment"),
    (_document([{"name": "A", "body": "\ud800"}]), "templates[0].body"),
    (_document([{"name": "A" * 101, "body": "b"}]), "templates[0].name"),
])
def test_wrong_types_are_refused_and_say_where(tmp_path: Path, payload: Any, where: str) -> None:
    error = _refusal(_write(tmp_path / "t.json", payload))
    assert (error.problem, error.detail) == (TemplateFileProblem.WRONG_CONTENT, where)


def test_two_templates_of_one_name_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.json", _document([{"name": "Zwrot", "body": "a"}, {"name": "Zwrot", "body": "b"}]))
    error = _refusal(path)
    assert (error.problem, error.detail) == (TemplateFileProblem.DUPLICATE_NAME, "Zwrot")


def test_a_missing_attachment_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.json", _document([{"name": "A", "body": "b", "attachment": "zwrot.pdf"}]))
    error = _refusal(path)
    assert (error.problem, error.detail) == (TemplateFileProblem.MISSING_ATTACHMENT, "zwrot.pdf")


def test_the_attachment_is_looked_for_in_the_folder_given(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.json", _document([{"name": "A", "body": "b", "attachment": "zwrot.pdf"}]))
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "zwrot.pdf").write_bytes(b"%PDF")
    assert read_templates(path, folder)[0].attachment == "zwrot.pdf"


@pytest.mark.parametrize("name", ["../zwrot.pdf", "sub/zwrot.pdf", "sub\\zwrot.pdf", "/etc/zwrot.pdf", "..", ""])
def test_an_attachment_outside_the_folder_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "zwrot.pdf").write_bytes(b"%PDF")
    path = _write(tmp_path / "sub" / "t.json", _document([{"name": "A", "body": "b", "attachment": name}]))
    error = _refusal(path, tmp_path / "sub")
    assert (error.problem, error.detail) == (TemplateFileProblem.BAD_ATTACHMENT_NAME, name)


@pytest.mark.parametrize(("name", "size"), [("zwrot.docx", 10), ("zwrot.pdf", ATTACHMENT_MAX_BYTES + 1)])
def test_an_attachment_allegro_would_refuse_is_refused(tmp_path: Path, name: str, size: int) -> None:
    (tmp_path / name).write_bytes(b"x" * size)
    path = _write(tmp_path / "t.json", _document([{"name": "A", "body": "b", "attachment": name}]))
    error = _refusal(path)
    assert (error.problem, error.detail) == (TemplateFileProblem.ATTACHMENT_NOT_ACCEPTED, name)


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    error = _refusal(tmp_path / "absent.json")
    assert error.problem is TemplateFileProblem.UNREADABLE and error.detail


def test_the_errors_say_what_happened_in_english_for_the_log(tmp_path: Path) -> None:
    error = _refusal(_write(tmp_path / "t.json", _document([{"name": "A"}])))
    assert "templates[0].body" in str(error)


def test_the_default_templates_load_cleanly() -> None:
    templates = default_templates()
    names = [template.name for template in templates]
    assert len(names) >= 5 and len(set(names)) == len(names)
    for template in templates:
        assert template.body.strip() and validate(template.body) == [], template.name
        assert template.attachment is None  # nothing to attach ships with the program


def test_an_export_whose_attachment_is_gone_writes_nothing(tmp_path: Path) -> None:
    ours = tmp_path / "templates"
    ours.mkdir()
    target = tmp_path / "out" / "szablony.json"
    with pytest.raises(TemplateFileError) as caught:
        write_templates(target, TEMPLATES, attachments_folder=ours)
    assert (caught.value.problem, caught.value.detail) == (TemplateFileProblem.MISSING_ATTACHMENT,
                                                           "formularz-zwrotu.pdf")
    assert not target.exists()

"""The templates as the window edits them: loaded with the default set the first time, saved with copies of their
files in the data folder, imported and exported as the JSON file; a bad file changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from magazyn_desktop.app.template_file import TemplateFileError, TemplateFileProblem, default_templates
from magazyn_desktop.app.template_library import TemplateDraft, TemplateLibrary, merged
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.repository import Store

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def library(store: Store, paths: AppPaths) -> TemplateLibrary:
    return TemplateLibrary(store, paths.templates)


def test_the_first_load_brings_the_default_set_and_deleting_it_keeps_it_gone(library: TemplateLibrary) -> None:
    assert [t.name for t in library.load()] == [t.name for t in default_templates()]
    library.save([])
    assert library.load() == []


def test_an_attachment_is_copied_into_the_templates_folder_and_a_same_named_other_file_kept_apart(
        library: TemplateLibrary, paths: AppPaths, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "formularz.pdf", tmp_path / "b" / "formularz.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF + b"%inny\n")
    saved = library.save([TemplateDraft(None, "Zwrot", "Formularz w załączniku.", first),
                          TemplateDraft(None, "Zwrot 2", "Inny formularz.", second)])
    assert [t.attachment for t in saved] == ["formularz.pdf", "formularz (2).pdf"]
    assert (paths.templates / "formularz.pdf").read_bytes() == PDF
    first.unlink()  # the template keeps its own copy
    assert library.attachment_path(saved[0]) == paths.templates / "formularz.pdf"
    assert library.attachment_path(saved[0]).is_file()  # type: ignore[union-attr]


def test_an_attachment_allegro_refuses_is_refused_before_anything_is_saved(
        library: TemplateLibrary, tmp_path: Path) -> None:
    library.load()
    before = library.load()
    program = tmp_path / "instrukcja.exe"
    program.write_bytes(b"MZ")
    with pytest.raises(TemplateFileError) as refused:
        library.save([TemplateDraft(None, "Zwrot", "Tekst.", program)])
    assert refused.value.problem is TemplateFileProblem.ATTACHMENT_NOT_ACCEPTED
    assert library.load() == before


def test_export_and_import_give_back_the_same_templates_and_files(
        library: TemplateLibrary, store: Store, tmp_path: Path) -> None:
    form = tmp_path / "formularz-zwrotu.pdf"
    form.write_bytes(PDF)
    saved = library.save([TemplateDraft(None, "Zwrot", "Zwrot {numer_zamowienia}.", form),
                          TemplateDraft(None, "Status", "Paczka {numer_przesylki}.", None)])
    exported = tmp_path / "przekazane" / "szablony.json"
    library.export(exported, library.drafts(saved))
    assert (exported.parent / "formularz-zwrotu.pdf").read_bytes() == PDF
    imported = library.import_file(exported)
    assert [(d.name, d.body, d.attachment.name if d.attachment else None) for d in imported] == [
        ("Zwrot", "Zwrot {numer_zamowienia}.", "formularz-zwrotu.pdf"), ("Status", "Paczka {numer_przesylki}.", None)]
    # On another bench: the same list comes out.
    other = TemplateLibrary(store, tmp_path / "other-templates")
    again = other.save(imported)
    assert [(t.name, t.body, t.attachment) for t in again] == [(t.name, t.body, t.attachment) for t in saved]


@pytest.mark.parametrize("content, problem", [
    (b"{nie json", TemplateFileProblem.NOT_JSON),
    (json.dumps({"format": "magazyn-templates", "version": 2, "templates": []}).encode(),
     TemplateFileProblem.NEWER_VERSION),
    (b" " * 1_048_577, TemplateFileProblem.TOO_LARGE),
])
def test_a_bad_file_is_refused_and_changes_nothing(library: TemplateLibrary, tmp_path: Path, content: bytes,
                                                   problem: TemplateFileProblem) -> None:
    before = library.load()
    path = tmp_path / "zly.json"
    path.write_bytes(content)
    with pytest.raises(TemplateFileError) as refused:
        library.import_file(path)
    assert refused.value.problem is problem
    assert library.load() == before


def test_importing_replaces_same_named_templates_in_place_and_adds_the_others() -> None:
    current = [TemplateDraft(1, "Zwrot", "stary", None), TemplateDraft(2, "Faktura", "faktura", None)]
    imported = [TemplateDraft(None, "Nowy", "nowy", None), TemplateDraft(None, "Zwrot", "nowy zwrot", None)]
    assert merged(current, imported) == [TemplateDraft(1, "Zwrot", "nowy zwrot", None),
                                         TemplateDraft(2, "Faktura", "faktura", None),
                                         TemplateDraft(None, "Nowy", "nowy", None)]

"""The folding that the search index and the typed query share: Polish letters as staff type them."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from magazyn_desktop.domain.search_text import (
    COMBINING_MARKS_END,
    folded,
    indexed_text,
    match_spans,
    search_words,
)


@pytest.mark.parametrize(("written", "typed"), [
    ("przesyłka", "przesylka"), ("PRZESYŁKA", "przesylka"), ("żółty", "zolty"), ("Łódź", "lodz"),
    ("ŁÓDŹ", "lodz"), ("zażółć gęślą jaźń", "zazolc gesla jazn"), ("Łukasz", "lukasz"), ("ĄĆĘŁŃÓŚŹŻ", "acelnoszz"),
])
def test_polish_letters_fold_to_what_a_keyboard_without_them_types(written: str, typed: str) -> None:
    assert folded(written) == typed
    assert folded(typed) == typed


def test_compatibility_forms_and_other_scripts_fold_too() -> None:
    assert folded("ﬁrma ² Ｐaczka") == "firma 2 paczka"
    assert folded("Straße İzmir Crème") == "strasse izmir creme"


def test_words_are_runs_of_letters_and_digits_distinct_in_order() -> None:
    assert search_words("Paczka, PACZKA! nr_12/34 — żółw-łódź") == ["paczka", "nr", "12", "34", "zolw", "lodz"]
    assert search_words('"*" NEAR( -^ ...') == ["near"]
    assert indexed_text("Dzień dobry, dzień!") == "dzien dobry"


def test_folding_is_idempotent_and_per_character_for_every_character() -> None:
    """What the index stores is folded again when a query is: both must land on the same text, whatever it holds."""
    characters = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000]
    for character in characters:
        once = folded(character)
        assert folded(once) == once, hex(ord(character))
    rng = random.Random(12)
    sample = [chr(code) for code in range(0x20, 0x3000)]
    for _ in range(2000):
        text = "".join(rng.choice(sample) for _ in range(12))
        assert folded(text) == "".join(folded(character) for character in text), text


def test_no_combining_mark_lies_beyond_the_planes_folding_reads() -> None:
    assert not [code for code in range(COMBINING_MARKS_END, sys.maxunicode + 1)
                if unicodedata.combining(chr(code))]


def _marked(text: str, query: str) -> list[str]:
    """The parts of `text` that match_spans picks out, as they read."""
    return [text[start:end] for start, end in match_spans(text, query)]


@pytest.mark.parametrize(("text", "query", "marked"), [
    ("Twoja Przesyłka dotarła", "przesylka", ["Przesyłka"]),
    ("Odbiór w Łódź Kaliska", "lodz", ["Łódź"]),
    ("kubek ŻÓŁTY, nie czerwony", "zolty", ["ŻÓŁTY"]),
    ("ŻÓŁTY", "ZÓŁ", ["ŻÓŁ"]),
])
def test_spans_mark_the_written_letters_of_a_folded_match(text: str, query: str, marked: list[str]) -> None:
    assert _marked(text, query) == marked


def test_a_span_covers_the_combining_marks_of_its_letters() -> None:
    decomposed = "Z\u0307o\u0301\u0142ty kubek"  # Żół written as letters and combining marks
    assert match_spans(decomposed, "zolty") == [(0, 7)]
    assert match_spans(decomposed, "zo") == [(0, 4)]


def test_a_letter_folding_to_several_is_marked_whole() -> None:
    assert _marked("Nowa \ufb01rma", "firma") == ["\ufb01rma"]
    assert _marked("Nowa \ufb01rma", "f") == ["\ufb01"]  # half of the ligature is the whole ligature on screen
    assert _marked("Straße 5", "strasse") == ["Straße"]
    assert _marked("Straße 5", "stras") == ["Straß"]
    assert _marked("Ｐaczka", "paczka") == ["Ｐaczka"]


def test_spans_count_characters_after_an_emoji() -> None:
    text = "\U0001f4e6\U0001f600 Paczka wysłana"
    assert match_spans(text, "paczka") == [(3, 9)]
    assert match_spans(text, "wyslana") == [(10, 17)]


def test_short_words_match_the_beginning_of_words_only_longer_ones_anywhere() -> None:
    assert match_spans("paczka kanapa", "ka") == [(7, 9)]
    assert _marked("od ewa_gdynianka682", "gdynianka") == ["gdynianka"]
    assert _marked("paczka", "czk") == ["czk"]
    assert _marked("Paczka i PACZKA", "paczka") == ["Paczka", "PACZKA"]


def test_overlapping_and_touching_matches_are_merged_and_sorted() -> None:
    assert match_spans("przesyłka", "przesylka prze") == [(0, 9)]
    assert match_spans("paczka", "aczka pacz") == [(0, 6)]
    assert match_spans("aaaa", "aaa") == [(0, 4)]
    assert match_spans("abcabc", "abc") == [(0, 6)]
    assert match_spans("zwrot, paczka, zwrot", "zwrot paczka") == [(0, 5), (7, 13), (15, 20)]


@pytest.mark.parametrize("query", ["", "   ", "...", '"*" -^'])
def test_a_query_without_words_marks_nothing(query: str) -> None:
    assert match_spans("Paczka nr 12", query) == []


def test_spans_of_text_without_the_words_and_of_fts_syntax() -> None:
    assert match_spans("Paczka nr 12", "kubek") == []
    assert match_spans("", "paczka") == []
    assert _marked("nearby", 'NEAR( "*"') == ["near"]


def test_a_very_long_query_gives_spans_without_error() -> None:
    query = " ".join(["paczka", *(f"slowo{number}" for number in range(2000))])
    assert match_spans("Paczka dotarła", query) == [(0, 6)]


def test_the_whole_query_is_marked_as_identifiers_match_it() -> None:
    assert match_spans("anna_k", "anna_k") == [(0, 6)]
    assert _marked("ewa_gdynianka682", "Ewa_Gdy") == ["ewa_gdy"]
    assert _marked("Zamówienie 6f1c2a8e-0000-4000", "6f1c2a8e-0000") == ["6f1c2a8e-0000"]
    assert _marked("kurier: Łódź-Bałuty", "lodz-ba") == ["Łódź-Ba"]
    assert match_spans("anna k", "anna_k") == [(0, 4), (5, 6)]  # the words still, where the whole is not

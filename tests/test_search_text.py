"""The folding that the search index and the typed query share: Polish letters as staff type them."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from magazyn_desktop.domain.search_text import COMBINING_MARKS_END, folded, indexed_text, search_words


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

"""What the inbox search compares: the words of a text, folded the way a Polish user types them.

Staff type on keyboards without Polish letters, in any case: "przesylka" must find "Przesyłka", "zolty" "żółty" and
"lodz" "Łódź". Folding removes case (Unicode case folding), every diacritic Unicode can decompose (ą ę ó ś ź ż ć ń
and the rest of the world's), compatibility forms (ﬁ, ², full-width letters) and the Polish letter Unicode keeps
whole although people type it without its stroke: ł and Ł. One function serves the search index and the typed query,
so the two can never disagree.

The store's search index holds the output of `indexed_text`: changing what these functions return changes every
stored document, and needs a migration that rebuilds the index.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# The marks Latin letters decompose into (accents, the ogonek, the dot of ż...): the common case, matched fast.
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")
# Unicode's combining marks all lie in its first two planes.
COMBINING_MARKS_END = 0x20000

# A word is a run of letters and digits: punctuation, symbols, spaces and underscores separate words.
_WORD = re.compile(r"[^\W_]+")


@functools.cache
def _without_marks() -> dict[int, None]:
    """Every combining mark, deleted by str.translate (built at the first text that needs it: a few milliseconds)."""
    return {code: None for code in range(COMBINING_MARKS_END) if unicodedata.combining(chr(code))}


def folded(text: str) -> str:
    """The text without case, diacritics or strokes: "Łódź, ŻÓŁTY" -> "lodz, zolty"."""
    if text.isascii():
        return text.lower()
    # Decomposing can give letters with a case (the script ℌ is an H) and case folding decomposable ones (İ folds
    # to i and a combining dot): decompose, fold, decompose again, then drop the marks. Unicode keeps ł whole
    # (its stroke is part of the letter): it becomes the l people type.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    latin = _LATIN_MARKS.sub("", decomposed).replace("ł", "l")
    return latin if latin.isascii() else latin.translate(_without_marks())


def search_words(text: str) -> list[str]:
    """The distinct folded words of a text, in the order they first appear."""
    return list(dict.fromkeys(_WORD.findall(folded(text))))


def indexed_text(text: str) -> str:
    """A message's document in the search index: its distinct folded words, separated by single spaces."""
    return " ".join(search_words(text))

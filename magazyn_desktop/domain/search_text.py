"""What the inbox search compares: the words of a text, folded the way a Polish user types them.

Staff type on keyboards without Polish letters, in any case: "przesylka" must find "Przesyłka", "zolty" "żółty" and
"lodz" "Łódź". Folding removes case (Unicode case folding), every diacritic Unicode can decompose (ą ę ó ś ź ż ć ń
and the rest of the world's), compatibility forms (ﬁ, ², full-width letters) and the Polish letter Unicode keeps
whole although people type it without its stroke: ł and Ł. One function serves the search index and the typed query,
so the two can never disagree.

The store's search index holds the output of `indexed_text`: changing what these functions return changes every
stored document, and needs a migration that rebuilds the index.

`match_spans` tells the window which characters of a shown text the search matched, so they can be highlighted;
`folded_with_origins` lets other matchers (the messaging rules) do the same.
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
# Typed words this long also match inside a word of the text (a login's middle, part of an order term).
SHORTEST_INNER_MATCH = 3


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


@functools.lru_cache(maxsize=8192)
def _folded_character(character: str) -> str:
    return folded(character)


def folded_with_origins(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each of its characters, the position in `text` of the character it came from
    (None when folding kept every position: ASCII). Folding works character by character, so this is `folded`."""
    if text.isascii():
        return text.lower(), None
    parts: list[str] = []
    origins: list[int] = []
    for position, character in enumerate(text):
        folded_character = _folded_character(character)
        parts.append(folded_character)
        origins.extend([position] * len(folded_character))
    return "".join(parts), origins


def _folded_matches(haystack: str, typed_words: list[str], phrase: str) -> list[tuple[int, int]]:
    """[start, end) spans of `haystack` (folded) that the folded typed words match, and the whole typed text
    (`phrase`) when it is more than one word, unsorted."""
    found: list[tuple[int, int]] = []
    word_starts = [word.start() for word in _WORD.finditer(haystack)]
    if phrase and phrase not in typed_words:
        # An identifier matches the typed text as a whole: "anna_k" is one login, underscore and all.
        start = haystack.find(phrase)
        while start >= 0:
            found.append((start, start + len(phrase)))
            start = haystack.find(phrase, start + 1)
    for typed in typed_words:
        if len(typed) >= SHORTEST_INNER_MATCH:
            start = haystack.find(typed)
            while start >= 0:
                found.append((start, start + len(typed)))
                start = haystack.find(typed, start + 1)
        else:  # a typed word holds letters and digits only: matching at a word's start, it ends inside that word
            found.extend((start, start + len(typed)) for start in word_starts if haystack.startswith(typed, start))
    return found


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """The [start, end) character spans of `text` that the words of `query` match, sorted, overlapping and touching
    ones merged: each word at the beginning of a word of the text, a word of SHORTEST_INNER_MATCH or more
    characters anywhere, and the whole query anywhere (as logins, order ids and waybills match), compared folded.
    A span covers whole characters of `text` (half of "ß" or "ﬁ" is the character) and the combining marks after
    its last letter."""
    typed_words = search_words(query)
    if not typed_words or not text:
        return []
    haystack, origins = folded_with_origins(text)
    spans: list[tuple[int, int]] = []
    for folded_start, folded_end in sorted(_folded_matches(haystack, typed_words, folded(query.strip()))):
        if origins is None:
            start, end = folded_start, folded_end
        else:
            start, end = origins[folded_start], origins[folded_end - 1] + 1
            while end < len(text) and not _folded_character(text[end]):  # marks folded away belong to the letter
                end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans

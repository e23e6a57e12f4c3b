"""The check of a reply against Allegro's messaging rules, before it is sent.

Since 2 March 2026 Allegro does not deliver seller messages that repeat its own notices (payment received, order
being prepared or sent, shipment status of an integrated carrier, requests for ratings) nor ones carrying fiscal
documents; a reply in a conversation the buyer started is allowed (allegro/allegro-api #12176, #13038). A hit is a
warning naming the rule: the user may still send.

The rules are data (resources/messaging_rules.json), so they can be updated without code:

    {"format": "magazyn-messaging-rules", "version": 1, "rules": [
      {"id": "order_sent", "title": {"pl": "...", "en": "..."}, "applies_to_replies": false,
       "phrases": ["zamówienie|paczka (już) został*|zostało wysłan*"], "attachment_names": ["fv#"]}]}

A phrase is words that must follow one another in the text (spaces and punctuation between them, but no end of a
sentence), each a whole word, compared folded (no case, no Polish letters: domain.search_text.folded). In a word,
`*` stands for any letters or digits and `#` for any digits; `a|b` is either word; `(word)` may be missing; a word
that is only `*` (or `#`) is any one word (number). Attachment names are matched the same way against a file's
name, where dots, dashes and underscores separate words ("FV_2026_03.pdf" holds the word "fv").

A damaged file never stops the program: `parse_rules` always returns rules, and says in `problems` what it could
not use (a whole file, or single rules it left out).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .search_text import folded, folded_with_origins

RULES_FORMAT = "magazyn-messaging-rules"
RULES_VERSION = 1

_WORD_CHAR = r"[^\W_]"
_TEXT_GAP = r"(?:[^\w.!?]|_)+"  # between the words of a phrase in a message: anything but a sentence's end
_NAME_GAP = r"[\W_]+"  # in a file name: dots, dashes and underscores too
_ALTERNATIVE = re.compile(r"(?:[^\W_]|[*#])+")


class PatternError(ValueError):
    """A phrase or name pattern that does not follow the syntax above."""


@dataclass(frozen=True)
class MessagingRule:
    id: str
    title_pl: str
    title_en: str
    applies_to_replies: bool  # False: Allegro allows it in a reply in a conversation the buyer started
    phrases: tuple[str, ...]  # as written in the file
    attachment_names: tuple[str, ...]
    _text: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _names: re.Pattern[str] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class RuleHit:
    rule: MessagingRule
    start: int  # [start, end) in the text, or in the attachment's name
    end: int
    phrase: str  # the matched part, as written
    attachment: str | None  # the file name the hit is in; None for the text


def _alternative(word: str) -> str:
    if not _ALTERNATIVE.fullmatch(word):
        raise PatternError(f"'{word}' is not a word")
    if word == "*":
        return f"{_WORD_CHAR}+"
    if word == "#":
        return "[0-9]+"
    return "".join(f"{_WORD_CHAR}*" if c == "*" else "[0-9]*" if c == "#" else re.escape(c) for c in word)


def _compile_phrase(phrase: str, gap: str) -> str:
    """The regular expression of one phrase (folded), without the word boundaries at its ends."""
    tokens = folded(phrase).split()
    if not tokens:
        raise PatternError("an empty phrase")
    parts: list[str] = []
    literal = False  # a phrase of wildcards alone would hit nearly every message
    for position, token in enumerate(tokens):
        optional = token.startswith("(") and token.endswith(")") and len(token) > 2
        words = (token[1:-1] if optional else token).split("|")
        expression = "(?:" + "|".join(_alternative(word) for word in words) + ")"
        literal = literal or (not optional and any(word not in ("*", "#") for word in words))
        if position == 0:
            if optional:
                raise PatternError(f"'{phrase}' starts with a word that may be missing")
            parts.append(expression)
        else:
            parts.append(f"(?:{gap}{expression})?" if optional else f"{gap}{expression}")
    if not literal:
        raise PatternError(f"'{phrase}' has no word of its own")
    return "".join(parts)


def _compile(patterns: Sequence[str], gap: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    alternatives = "|".join(_compile_phrase(pattern, gap) for pattern in patterns)
    return re.compile(f"(?<!{_WORD_CHAR})(?:{alternatives})(?!{_WORD_CHAR})")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Where the pattern matches `text` compared folded, as spans of `text` itself."""
    haystack, origins = folded_with_origins(text)
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(haystack):
        if origins is None:
            spans.append(match.span())
        else:
            end = origins[match.end() - 1] + 1
            while end < len(text) and not folded(text[end]):  # marks folded away belong to the letter
                end += 1
            spans.append((origins[match.start()], end))
    return spans


@dataclass(frozen=True)
class MessagingRules:
    rules: tuple[MessagingRule, ...]
    problems: tuple[str, ...] = ()  # what the file held that could not be used (English, for the log)

    def check(self, text: str, attachment_names: Sequence[str] = (), *,
              is_reply_in_existing_conversation: bool) -> list[RuleHit]:
        """The rules a message breaks: hits in the text in its order, then hits in the attachments' names.

        `is_reply_in_existing_conversation`: the buyer wrote in this conversation and this answers there, the
        case Allegro allows; a message the seller starts, or writes where only the seller has written, is not.
        """
        applying = [rule for rule in self.rules if rule.applies_to_replies or not is_reply_in_existing_conversation]
        in_text = [RuleHit(rule, start, end, text[start:end], None)
                   for rule in applying if rule._text is not None for start, end in _spans(rule._text, text)]
        in_names = [RuleHit(rule, start, end, name[start:end], name)
                    for name in attachment_names for rule in applying if rule._names is not None
                    for start, end in _spans(rule._names, name)]
        return sorted(in_text, key=lambda hit: hit.start) + in_names


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PatternError(f"{what} is not a list of texts")
    return tuple(value)


def _rule(entry: Any) -> MessagingRule:
    if not isinstance(entry, dict):
        raise PatternError("not an object")
    rule_id, title = entry.get("id"), entry.get("title")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise PatternError("no id")
    if not isinstance(title, dict) or not all(isinstance(title.get(language), str) and title[language].strip()
                                              for language in ("pl", "en")):
        raise PatternError(f"'{rule_id}': the title needs a Polish and an English text")
    replies = entry.get("applies_to_replies")
    if not isinstance(replies, bool):
        raise PatternError(f"'{rule_id}': applies_to_replies is not true or false")
    phrases = _strings(entry.get("phrases", []), f"'{rule_id}': phrases")
    names = _strings(entry.get("attachment_names", []), f"'{rule_id}': attachment_names")
    if not phrases and not names:
        raise PatternError(f"'{rule_id}' has neither phrases nor attachment names")
    try:
        text_pattern, names_pattern = _compile(phrases, _TEXT_GAP), _compile(names, _NAME_GAP)
    except PatternError as exc:
        raise PatternError(f"'{rule_id}': {exc}") from exc
    return MessagingRule(rule_id, title["pl"].strip(), title["en"].strip(), replies, phrases, names,
                         text_pattern, names_pattern)


def _document(data: bytes) -> tuple[list[Any] | None, str | None]:
    """The file's list of rules, or why there is none."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        return None, f"the rules file is not JSON ({exc})"
    if not isinstance(document, dict) or document.get("format") != RULES_FORMAT:
        return None, "the file is not a messaging rules file"
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return None, "the rules file has no valid version"
    if version > RULES_VERSION:
        return None, f"the rules file is of version {version}; this program reads up to {RULES_VERSION}"
    entries = document.get("rules")
    if not isinstance(entries, list):
        return None, "the rules file has no list of rules"
    return entries, None


def parse_rules(data: bytes) -> MessagingRules:
    """The rules of a file's content. Never raises: what could not be used is in `problems`."""
    entries, problem = _document(data)
    if entries is None:
        return MessagingRules((), (problem or "the rules file is unusable",))
    rules: list[MessagingRule] = []
    problems: list[str] = []
    for index, entry in enumerate(entries):
        try:
            rule = _rule(entry)
        except PatternError as exc:
            problems.append(f"rules[{index}] left out: {exc}")
            continue
        if any(known.id == rule.id for known in rules):
            problems.append(f"rules[{index}] left out: a second rule '{rule.id}'")
            continue
        rules.append(rule)
    return MessagingRules(tuple(rules), tuple(problems))

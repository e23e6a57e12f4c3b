"""Reply templates: named texts with placeholders that the conversation and its order fill in.

A placeholder is a name between braces on one line. Its name is compared folded (case and Polish letters do not
matter, spaces inside the braces neither): `{Numer_Zamówienia}` and `{ numer_zamowienia }` are the order number.

| placeholder | what it becomes |
|---|---|
| `{login}` | the buyer's Allegro login |
| `{numer_zamowienia}` | the order number (Allegro's order id) |
| `{numer_przesylki}` | the parcels' tracking numbers, comma-separated |
| `{przewoznik}` | the carriers of those parcels |
| `{sposob_dostawy}` | the delivery method the buyer chose |
| `{punkt_odbioru}` | the pickup point: its code, name and address |
| `{kwota}` | the order's amount, "129,00 zł" |
| `{produkty}` | the products' names, with the quantity when more than one |
| `{data}` | today's date, "05.03.2026" |

A template with problems (an unknown name, a brace without its pair) can still be saved: `validate` names each
problem with its place, for a warning and highlighting. Filling keeps a placeholder that has no value as it is
written, so the reply visibly holds it; a reply that still holds a placeholder of this table cannot be sent
(`unfilled_placeholders`). Braces around anything else (a product called "Zestaw {XL}") stop nothing.

Positions are character offsets into the Python string, [start, end), like `search_text.match_spans`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .limits import text_limit
from .search_text import folded
from .vocabulary import Kind


class Field(str, enum.Enum):
    """What a placeholder stands for; the value is its name in a template."""

    LOGIN = "login"
    ORDER_NUMBER = "numer_zamowienia"
    WAYBILLS = "numer_przesylki"
    CARRIER = "przewoznik"
    DELIVERY_METHOD = "sposob_dostawy"
    PICKUP_POINT = "punkt_odbioru"
    AMOUNT = "kwota"
    PRODUCTS = "produkty"
    TODAY = "data"


PLACEHOLDER_NAMES: tuple[str, ...] = tuple(field.value for field in Field)
_FIELDS_BY_NAME = {field.value: field for field in Field}

# What may stand between the braces: a name of letters, digits and underscores, with spaces around it.
_NAME = re.compile(r"\s*(\w+)\s*")


@dataclass(frozen=True)
class Template:
    name: str
    body: str
    attachment: str | None = None  # a file name in the templates' folder, sent with the reply


@dataclass(frozen=True)
class Placeholder:
    """A name between braces in a text: [start, end) covers the braces."""

    name: str  # as written, without the braces and spaces
    start: int
    end: int
    field: Field | None  # None: a name this table does not know


class ProblemKind(str, enum.Enum):
    UNKNOWN_PLACEHOLDER = "unknown_placeholder"  # {numer_listu}: a name the table does not have
    NOT_A_PLACEHOLDER = "not_a_placeholder"  # {} or {numer zamówienia}: braces around something not a name
    UNCLOSED_BRACE = "unclosed_brace"  # a { with no } after it on its line
    UNOPENED_BRACE = "unopened_brace"  # a } with no { before it


@dataclass(frozen=True)
class TemplateProblem:
    kind: ProblemKind
    start: int
    end: int
    text: str  # the part of the body the problem covers


def _field(name: str) -> Field | None:
    return _FIELDS_BY_NAME.get(folded(name))


def _scan(body: str) -> tuple[list[Placeholder], list[TemplateProblem]]:
    """The placeholders of a text and the problems of its braces, each list in the order of the text."""
    placeholders: list[Placeholder] = []
    problems: list[TemplateProblem] = []

    def problem(kind: ProblemKind, start: int, end: int) -> None:
        problems.append(TemplateProblem(kind, start, end, body[start:end]))

    opened: int | None = None
    for position, character in enumerate(body):
        if character == "{":
            if opened is not None:
                problem(ProblemKind.UNCLOSED_BRACE, opened, opened + 1)
            opened = position
        elif character == "}":
            if opened is None:
                problem(ProblemKind.UNOPENED_BRACE, position, position + 1)
                continue
            inner = _NAME.fullmatch(body, opened + 1, position)
            if inner is None:
                problem(ProblemKind.NOT_A_PLACEHOLDER, opened, position + 1)
            else:
                placeholders.append(Placeholder(inner.group(1), opened, position + 1, _field(inner.group(1))))
            opened = None
        elif character == "\n" and opened is not None:
            problem(ProblemKind.UNCLOSED_BRACE, opened, opened + 1)
            opened = None
    if opened is not None:
        problem(ProblemKind.UNCLOSED_BRACE, opened, opened + 1)
    return placeholders, problems


def parse(body: str) -> list[Placeholder]:
    """Every placeholder of the text, known or not, in order."""
    return _scan(body)[0]


def validate(body: str) -> list[TemplateProblem]:
    """What is wrong with a template's placeholders, in the order of the text; empty when nothing is."""
    placeholders, problems = _scan(body)
    problems += [TemplateProblem(ProblemKind.UNKNOWN_PLACEHOLDER, p.start, p.end, body[p.start:p.end])
                 for p in placeholders if p.field is None]
    return sorted(problems, key=lambda p: p.start)


@dataclass(frozen=True)
class FilledText:
    """A template's body with the values put in. The positions are in `text`."""

    text: str
    unfilled: tuple[Placeholder, ...]  # known placeholders with no value, left as written: they block sending
    unknown: tuple[Placeholder, ...]  # names the table does not know, left as written

    @property
    def first_unfilled(self) -> int | None:
        """Where the cursor goes: the first placeholder left in the text, known or not; None when none is."""
        starts = [p.start for p in (*self.unfilled, *self.unknown)]
        return min(starts) if starts else None

    @property
    def complete(self) -> bool:
        return not self.unfilled and not self.unknown

    def characters_over_limit(self, kind: Kind) -> int:
        """How many characters the text has beyond what Allegro takes in a conversation of this kind; 0 if none."""
        return max(0, len(self.text) - text_limit(kind))


def fill(body: str, values: Mapping[Field, str]) -> FilledText:
    """The body with each known placeholder replaced by its value. A value that is missing or blank leaves its
    placeholder as written; values are inserted as they are, never read as templates themselves."""
    parts: list[str] = []
    unfilled: list[Placeholder] = []
    unknown: list[Placeholder] = []
    length = 0  # of the text built so far
    copied_up_to = 0
    for placeholder in parse(body):
        before = body[copied_up_to:placeholder.start]
        parts.append(before)
        length += len(before)
        written = body[placeholder.start:placeholder.end]
        value = values.get(placeholder.field, "").strip() if placeholder.field is not None else ""
        if value:
            parts.append(value)
            length += len(value)
        else:
            kept = Placeholder(placeholder.name, length, length + len(written), placeholder.field)
            (unfilled if placeholder.field is not None else unknown).append(kept)
            parts.append(written)
            length += len(written)
        copied_up_to = placeholder.end
    parts.append(body[copied_up_to:])
    return FilledText("".join(parts), tuple(unfilled), tuple(unknown))


def unfilled_placeholders(text: str) -> list[Placeholder]:
    """The placeholders of the table a reply still holds: while there is one, it is not sent."""
    return [placeholder for placeholder in parse(text) if placeholder.field is not None]

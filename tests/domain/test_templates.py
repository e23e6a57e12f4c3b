"""Reply templates: placeholders found with their positions, problems named where they are, filling that keeps
what has no value visible and says where the cursor goes."""

from __future__ import annotations

import pytest

from magazyn_desktop.domain.limits import ISSUE_TEXT_LIMIT, THREAD_TEXT_LIMIT
from magazyn_desktop.domain.templates import (
    PLACEHOLDER_NAMES,
    Field,
    ProblemKind,
    fill,
    parse,
    unfilled_placeholders,
    validate,
)
from magazyn_desktop.domain.vocabulary import Kind


def test_parse_finds_each_placeholder_with_its_position_and_field() -> None:
    body = "Dzień dobry {login}, paczka {numer_przesylki} ({przewoznik})."
    found = parse(body)
    assert [(p.field, p.name) for p in found] == [
        (Field.LOGIN, "login"), (Field.WAYBILLS, "numer_przesylki"), (Field.CARRIER, "przewoznik"),
    ]
    for placeholder in found:
        assert body[placeholder.start:placeholder.end] == "{" + placeholder.name + "}"


def test_names_are_known_however_they_are_typed() -> None:
    found = parse("{Numer_Zamówienia} { login } {DATA}")
    assert [p.field for p in found] == [Field.ORDER_NUMBER, Field.LOGIN, Field.TODAY]


def test_an_unknown_name_is_a_placeholder_without_a_field() -> None:
    [found] = parse("Numer: {numer_zamowinia}")
    assert found.field is None and found.name == "numer_zamowinia" and (found.start, found.end) == (7, 24)


def test_every_field_has_one_name_and_the_table_lists_them_all() -> None:
    assert set(PLACEHOLDER_NAMES) == {field.value for field in Field}
    assert len(PLACEHOLDER_NAMES) == len(set(PLACEHOLDER_NAMES))
    import magazyn_desktop.domain.templates as module

    assert module.__doc__ is not None
    for name in PLACEHOLDER_NAMES:
        assert f"`{{{name}}}`" in module.__doc__


def test_a_good_template_has_no_problems() -> None:
    assert validate("Dzień dobry,\nzamówienie {numer_zamowienia} z dnia {data}.") == []
    assert validate("") == []


@pytest.mark.parametrize(("body", "kind", "span"), [
    ("Paczka {numer_listu} jest w drodze", ProblemKind.UNKNOWN_PLACEHOLDER, (7, 20)),
    ("Paczka {numer_przesylki jest w drodze", ProblemKind.UNCLOSED_BRACE, (7, 8)),
    ("Paczka numer_przesylki} jest w drodze", ProblemKind.UNOPENED_BRACE, (22, 23)),
    ("Paczka {} jest w drodze", ProblemKind.NOT_A_PLACEHOLDER, (7, 9)),
    ("Paczka {numer przesyłki} jest w drodze", ProblemKind.NOT_A_PLACEHOLDER, (7, 24)),
    ("Zamówienie {numer_zamowienia\n{login}", ProblemKind.UNCLOSED_BRACE, (11, 12)),  # a brace ends at the line
    ("{{login}}", ProblemKind.UNCLOSED_BRACE, (0, 1)),
])
def test_each_problem_is_named_with_its_position(body: str, kind: ProblemKind, span: tuple[int, int]) -> None:
    problems = validate(body)
    assert kind in [p.kind for p in problems]
    [problem] = [p for p in problems if p.kind is kind]
    assert (problem.start, problem.end) == span
    assert problem.text == body[span[0]:span[1]]


def test_several_problems_come_in_the_order_of_the_text() -> None:
    problems = validate("a} {xyz} {login {data}")
    assert [(p.kind, p.start) for p in problems] == [
        (ProblemKind.UNOPENED_BRACE, 1), (ProblemKind.UNKNOWN_PLACEHOLDER, 3), (ProblemKind.UNCLOSED_BRACE, 9),
    ]


def test_fill_puts_the_values_in() -> None:
    filled = fill("Zamówienie {numer_zamowienia} dla {login}.", {Field.ORDER_NUMBER: "abc-1", Field.LOGIN: "anna_k"})
    assert filled.text == "Zamówienie abc-1 dla anna_k."
    assert filled.unfilled == () and filled.unknown == () and filled.first_unfilled is None
    assert filled.complete


def test_a_placeholder_without_a_value_stays_visible_and_gets_the_cursor() -> None:
    filled = fill("Dla {login}: list {numer_przesylki}, {przewoznik}.",
                  {Field.LOGIN: "anna_k", Field.CARRIER: "InPost", Field.WAYBILLS: "  "})
    assert filled.text == "Dla anna_k: list {numer_przesylki}, InPost."
    [left] = filled.unfilled
    assert left.field is Field.WAYBILLS
    assert filled.text[left.start:left.end] == "{numer_przesylki}"
    assert filled.first_unfilled == left.start == 17
    assert not filled.complete


def test_an_unknown_placeholder_is_kept_as_written_and_named() -> None:
    filled = fill("{login}: {numer_listu} i {kwota}", {Field.LOGIN: "ąę", Field.AMOUNT: "10,00 zł"})
    assert filled.text == "ąę: {numer_listu} i 10,00 zł"
    [unknown] = filled.unknown
    assert unknown.name == "numer_listu" and filled.text[unknown.start:unknown.end] == "{numer_listu}"
    assert filled.first_unfilled == unknown.start and not filled.complete


def test_a_value_is_inserted_once_not_read_as_a_template() -> None:
    filled = fill("{produkty} / {login}", {Field.PRODUCTS: "Zestaw {login} {XL}", Field.LOGIN: "kupiec"})
    assert filled.text == "Zestaw {login} {XL} / kupiec"
    assert filled.unfilled == () and filled.unknown == ()


def test_the_limits_apply_after_filling() -> None:
    body = "x" * 1980 + " {produkty}"
    assert len(body) < THREAD_TEXT_LIMIT
    filled = fill(body, {Field.PRODUCTS: "Kubek termiczny 500 ml"})
    assert filled.characters_over_limit(Kind.THREAD) == len(filled.text) - THREAD_TEXT_LIMIT > 0
    assert filled.characters_over_limit(Kind.ISSUE) == 0
    assert fill("y" * ISSUE_TEXT_LIMIT, {}).characters_over_limit(Kind.ISSUE) == 0
    assert fill("y" * (ISSUE_TEXT_LIMIT + 1), {}).characters_over_limit(Kind.ISSUE) == 1


def test_a_reply_that_still_holds_a_known_placeholder_is_caught() -> None:
    [left] = unfilled_placeholders("Numer przesyłki: {numer_przesylki}. Pozdrawiamy")
    assert left.field is Field.WAYBILLS and left.start == 17
    assert unfilled_placeholders("Dzień dobry, {Login}!")[0].field is Field.LOGIN


def test_braces_that_are_not_a_known_placeholder_do_not_stop_a_reply() -> None:
    # A product's own name may hold braces; only the names of this table block sending.
    assert unfilled_placeholders("Zestaw {XL} i {3 szt.}, buźka :-} {") == []
    assert unfilled_placeholders("") == []

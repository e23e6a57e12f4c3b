"""The check of a reply against Allegro's messaging rules (since 2 March 2026): each rule of the shipped file hits
what it is about and lets the near misses through; a damaged rules file is reported, never a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from magazyn_desktop.domain.messaging_rules import RULES_FORMAT, RULES_VERSION, MessagingRules, parse_rules

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "messaging_rules.json"


@pytest.fixture(scope="module")
def rules() -> MessagingRules:
    return parse_rules(SHIPPED.read_bytes())


def _text_hits(rules: MessagingRules, text: str, *, reply: bool = False) -> list[tuple[str, str]]:
    return [(hit.rule.id, text[hit.start:hit.end])
            for hit in rules.check(text, (), is_reply_in_existing_conversation=reply)]


def test_the_shipped_file_loads_whole(rules: MessagingRules) -> None:
    assert rules.problems == ()
    assert {rule.id for rule in rules.rules} == {
        "payment_received", "order_sent", "shipment_status", "rating_request", "fiscal_document"}
    for rule in rules.rules:
        assert rule.title_pl and rule.title_en and rule.title_pl != rule.title_en


HITS = [
    ("payment_received", "Dzień dobry, wpłata dotarła, dziękujemy!", "wpłata dotarła"),
    ("payment_received", "Otrzymaliśmy Pana wpłatę, dziękujemy.", "Otrzymaliśmy Pana wpłatę"),
    ("payment_received", "Zamówienie zostało opłacone.", "Zamówienie zostało opłacone"),
    ("payment_received", "WPLATA ZOSTALA ZAKSIEGOWANA", "WPLATA ZOSTALA ZAKSIEGOWANA"),
    ("payment_received", "Dziękujemy za dokonanie płatności.", "Dziękujemy za dokonanie płatności"),
    ("order_sent", "Twoje zamówienie zostało wysłane.", "zamówienie zostało wysłane"),
    ("order_sent", "Wysłaliśmy dziś Pana paczkę.", "Wysłaliśmy dziś Pana paczkę"),
    ("order_sent", "Zamówienie jest już w realizacji.", "Zamówienie jest już w realizacji"),
    ("order_sent", "Paczka została już przekazana kurierowi.", "Paczka została już przekazana kurierowi"),
    ("shipment_status", "Paczka jest już w drodze.", "Paczka jest już w drodze"),
    ("shipment_status", "Przesyłka czeka na odbiór w paczkomacie.", "Przesyłka czeka na odbiór"),
    ("shipment_status", "Paczka została doręczona.", "Paczka została doręczona"),
    ("shipment_status", "Tu można śledzić przesyłkę: https://inpost.pl", "śledzić przesyłkę"),
    ("shipment_status", "Paczkę jutro dostarczy InPost.", "Paczkę jutro dostarczy"),
    ("rating_request", "Będziemy wdzięczni za wystawienie pozytywnej opinii.", "wystawienie pozytywnej opinii"),
    ("rating_request", "Prosimy o ocenę transakcji.", "Prosimy o ocenę"),
    ("rating_request", "Prosze ocenic nasz sklep", "ocenic nasz sklep"),
    ("rating_request", "Zostaw nam 5 gwiazdek!", "5 gwiazdek"),
    ("fiscal_document", "W załączniku przesyłam fakturę.", "W załączniku przesyłam fakturę"),
    ("fiscal_document", "Faktura VAT jest w załączniku.", "Faktura VAT jest w załączniku"),
    ("fiscal_document", "Załączam e-paragon.", "Załączam e-paragon"),
]


@pytest.mark.parametrize(("rule_id", "text", "phrase"), HITS)
def test_each_rule_hits_what_it_is_about(rules: MessagingRules, rule_id: str, text: str, phrase: str) -> None:
    assert (rule_id, phrase) in _text_hits(rules, text)


NEAR_MISSES = [
    ("payment_received", "Wpłata jeszcze do nas nie dotarła, prosimy sprawdzić przelew."),
    ("payment_received", "Prosimy o dokonanie wpłaty."),
    ("order_sent", "Zamówienie wyślemy jutro rano."),
    ("order_sent", "Zamówienie zostanie wysłane jutro."),
    ("shipment_status", "Przesyłka jeszcze nie dotarła, sprawdzamy to z przewoźnikiem."),
    ("shipment_status", "Prosimy o zdjęcie etykiety z numerem przesyłki."),
    ("rating_request", "Ocenimy stan zwróconego towaru i odezwiemy się."),
    ("rating_request", "Czekamy na opinię serwisu producenta."),
    ("fiscal_document", "Fakturę dodaliśmy do zamówienia, jest w zakładce Moje zakupy."),
    ("fiscal_document", "Przesyłamy formularz zwrotu w załączniku."),
]


@pytest.mark.parametrize(("rule_id", "text"), NEAR_MISSES)
def test_each_rule_lets_its_near_misses_through(rules: MessagingRules, rule_id: str, text: str) -> None:
    assert rule_id not in [hit_rule for hit_rule, _ in _text_hits(rules, text)]


def test_every_rule_has_a_hit_and_a_near_miss() -> None:
    rule_ids = {rule.id for rule in parse_rules(SHIPPED.read_bytes()).rules}
    assert {rule_id for rule_id, _, _ in HITS} == rule_ids == {rule_id for rule_id, _ in NEAR_MISSES}


def test_only_whole_words_match(rules: MessagingRules) -> None:
    assert _text_hits(rules, "Zamówienie zostało niewysłane") == []  # "wysłan*" starts a word, not inside one
    assert _text_hits(rules, "przedpłata dotarła") == []


@pytest.mark.parametrize(("name", "matched"), [
    ("FV_2026_03_15.pdf", "FV"), ("fv2026-3.pdf", "fv2026"), ("Faktura-123.pdf", "Faktura"),
    ("paragon.jpg", "paragon"), ("KOREKTA_1.pdf", "KOREKTA"), ("FA 12 2026.pdf", "FA"),
])
def test_an_attachment_named_like_a_fiscal_document_is_a_hit(rules: MessagingRules, name: str, matched: str) -> None:
    [hit] = rules.check("Dzień dobry", [name], is_reply_in_existing_conversation=False)
    assert hit.rule.id == "fiscal_document" and hit.attachment == name and name[hit.start:hit.end] == matched


@pytest.mark.parametrize("name", ["zdjecie_paczki.jpg", "formularz-zwrotu.pdf", "fabryka.png", "nfv.pdf"])
def test_other_attachments_are_no_hit(rules: MessagingRules, name: str) -> None:
    assert rules.check("Dzień dobry", [name], is_reply_in_existing_conversation=False) == []


@pytest.mark.parametrize(("rule_id", "text", "phrase"), [hit for hit in HITS if hit[0] != "fiscal_document"])
def test_a_reply_in_a_conversation_the_buyer_started_is_allowed(
        rules: MessagingRules, rule_id: str, text: str, phrase: str) -> None:
    assert rules.check(text, [], is_reply_in_existing_conversation=True) == []


def test_a_fiscal_document_is_flagged_in_a_reply_too(rules: MessagingRules) -> None:
    """Allegro takes invoices and receipts out of messages into the order's page (#12176, #13038): the exemption
    for replies covers the duplicated notices, not a document that has its own place."""
    hits = rules.check("W załączniku przesyłam fakturę.", ["FV_1.pdf"], is_reply_in_existing_conversation=True)
    assert [(hit.rule.id, hit.attachment) for hit in hits] == [("fiscal_document", None),
                                                               ("fiscal_document", "FV_1.pdf")]


def test_hits_name_the_rule_and_come_in_order(rules: MessagingRules) -> None:
    text = "Paczka została wysłana. Prosimy o opinię."
    hits = rules.check(text, ["faktura.pdf"], is_reply_in_existing_conversation=False)
    assert [(hit.rule.id, hit.attachment) for hit in hits] == [
        ("order_sent", None), ("rating_request", None), ("fiscal_document", "faktura.pdf")]
    assert hits[0].phrase == "Paczka została wysłana" and hits[0].rule.title_pl.startswith("Informacja")


def test_a_phrase_does_not_run_across_a_sentence_end(rules: MessagingRules) -> None:
    assert _text_hits(rules, "Zamówienie. Zostało wysłane?") == []
    assert _text_hits(rules, "Zamówienie — zostało wysłane") == [("order_sent", "Zamówienie — zostało wysłane")]


# A damaged file is reported, the check stays usable.

def _rules_file(rules: list[Any], **changes: Any) -> bytes:
    return json.dumps({"format": RULES_FORMAT, "version": RULES_VERSION, "rules": rules, **changes}).encode()


def _rule(**changes: Any) -> dict[str, Any]:
    return {"id": "r", "title": {"pl": "Reguła", "en": "Rule"}, "applies_to_replies": False,
            "phrases": ["zła wiadomość"], "attachment_names": [], **changes}


@pytest.mark.parametrize("content", [
    b"{oops", b"", b"\xff\xfe", b"[]", b"[" * 100_000,
    json.dumps({"format": "magazyn-templates", "version": 1, "rules": []}).encode(),
    _rules_file([], version=RULES_VERSION + 1),
    _rules_file([], version="1"),
    json.dumps({"format": RULES_FORMAT, "version": 1, "rules": {}}).encode(),
])
def test_a_damaged_file_gives_no_rules_and_says_so(content: bytes) -> None:
    loaded = parse_rules(content)
    assert loaded.rules == () and loaded.problems
    assert loaded.check("Zamówienie zostało wysłane", ["FV.pdf"], is_reply_in_existing_conversation=False) == []


@pytest.mark.parametrize("bad", [
    "not a rule",
    _rule(id=""),
    _rule(id=7),
    _rule(title={"pl": "Reguła"}),
    _rule(title="Reguła"),
    _rule(applies_to_replies="no"),
    _rule(phrases="zła wiadomość"),
    _rule(phrases=[3]),
    _rule(phrases=["(zła"]),
    _rule(phrases=["zła||wiadomość"]),
    _rule(phrases=["()"]),
    _rule(phrases=["(zła) wiadomość"]),
    _rule(phrases=["* #"]),
    _rule(phrases=["zła, wiadomość"]),
    _rule(phrases=[""]),
    _rule(phrases=[], attachment_names=[]),
    _rule(attachment_names=["fv.pdf"]),
])
def test_a_damaged_rule_is_left_out_and_named_the_others_stay(bad: Any) -> None:
    good = _rule(id="good", phrases=["dobra wiadomość"])
    loaded = parse_rules(_rules_file([good, bad]))
    assert [rule.id for rule in loaded.rules] == ["good"]
    [problem] = loaded.problems
    assert "rules[1]" in problem
    assert [hit.rule.id for hit in loaded.check("Dobra wiadomość!", (), is_reply_in_existing_conversation=False)] \
        == ["good"]


def test_two_rules_of_one_id_keep_the_first() -> None:
    loaded = parse_rules(_rules_file([_rule(), _rule(phrases=["inna"])]))
    assert len(loaded.rules) == 1 and "rules[1]" in loaded.problems[0]


def test_a_rule_may_also_apply_to_replies() -> None:
    loaded = parse_rules(_rules_file([_rule(applies_to_replies=True)]))
    assert loaded.check("To zła wiadomość", (), is_reply_in_existing_conversation=True)[0].phrase == "zła wiadomość"


def test_patterns_fold_polish_letters_both_ways() -> None:
    loaded = parse_rules(_rules_file([_rule(phrases=["ZŁA wiadomość"])]))
    for text in ("zla wiadomosc", "ZŁA WIADOMOŚĆ", "Zła Wiadomość"):
        assert loaded.check(text, (), is_reply_in_existing_conversation=False), text

"""The generated data set: deterministic, realistic enough, every case the app must show present, fast at bench size."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

from magazyn_desktop.fake_allegro import DemoAllegro, DemoData, texts
from magazyn_desktop.fake_allegro.data import CLOSED_ISSUE_STATES

BASE62_43 = re.compile(r"^[A-Za-z0-9]{43}$")


def test_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    assert DemoData.generate(seed=7) == DemoData.generate(seed=7)
    assert DemoData.generate(seed=7) != DemoData.generate(seed=8)


def test_default_set_has_every_kind_and_state() -> None:
    data = DemoData.generate()
    common = [t for t in data.threads.values() if t.type == "COMMON"]
    ppi = [t for t in data.threads.values() if t.type == "POST_PURCHASE_ISSUE"]
    assert len(common) >= 60 and 2 <= len(ppi) <= 10
    assert {t.status for t in ppi} == {"OPEN", "CLOSED"}
    assert all(t.sub_type and t.order_ids and t.order_ids[0] in data.orders for t in ppi)
    assert all(BASE62_43.match(t) for t in data.threads)
    assert len(data.issues) == 15
    assert all(str(uuid.UUID(i)) == i for i in data.issues)
    assert {i.status for i in data.issues.values()} == {
        "DISPUTE_ONGOING", "DISPUTE_CLOSED", "DISPUTE_UNRESOLVED", "CLAIM_SUBMITTED", "CLAIM_ACCEPTED", "CLAIM_REJECTED",
    }
    assert any(not i.chat_active for i in data.issues.values())
    assert all(i.chat_active == (i.status not in CLOSED_ISSUE_STATES) for i in data.issues.values())
    assert all(i.decision_due for i in data.issues.values() if i.type == "CLAIM")


def test_buyer_speaks_last_in_a_good_share_but_not_all() -> None:
    data = DemoData.generate()
    buyer_last = sum(t.messages[-1].role == "BUYER" for t in data.threads.values())
    assert 0.3 * len(data.threads) < buyer_last < 0.95 * len(data.threads)


def test_orders_look_like_a_polish_shop() -> None:
    data = DemoData.generate()
    orders = list(data.orders.values())
    assert all(li.sku and re.match(r"^\d+\.\d\d$", li.price) for o in orders for li in o.line_items)
    waybills = [s.waybill for o in orders for s in o.shipments]
    assert any(re.fullmatch(r"\d{24}", w) for w in waybills)  # InPost
    assert {o.delivery_method for o in orders} & {"Allegro Paczkomaty InPost", "Kurier DPD", "Allegro One Box, DHL"}
    texts = " ".join(m.text for t in data.threads.values() for m in t.messages).lower()
    for word in ("faktur", "zwrot", "uszkodz", "rozmiar"):
        assert word in texts
    assert any(m.attachments for t in data.threads.values() for m in t.messages)


def test_sizes_are_configurable() -> None:
    small = DemoData.generate(threads=3, post_purchase_threads=0, issues=2, messages_per_thread=4, chat_per_issue=3)
    assert len(small.threads) == 3 and all(len(t.messages) == 4 for t in small.threads.values())
    assert all(len(i.chat) == 3 for i in small.issues.values())
    big = DemoData.generate(threads=800, messages_per_thread=20, issues=200, chat_per_issue=10)
    assert sum(len(t.messages) for t in big.threads.values()) >= 800 * 20


def test_the_interactive_demo_ends_now() -> None:
    before = datetime.now(timezone.utc)
    data = DemoAllegro.interactive().data
    moments = [m.created_at for t in data.threads.values() for m in t.messages]
    moments += [entry.created_at for issue in data.issues.values() for entry in issue.chat]
    assert before - timedelta(hours=1) < max(moments) <= datetime.now(timezone.utc)
    open_claims = [i for i in data.issues.values() if i.type == "CLAIM" and i.status not in CLOSED_ISSUE_STATES]
    assert open_claims and all(i.decision_due and i.decision_due > before for i in open_claims)


def test_what_buyers_write_fits_what_they_bought() -> None:
    data = DemoData.generate(threads=300, issues=60)
    sized = {p.name: p.sizes for p in texts.PRODUCTS if p.sizes}
    written = [t.messages[0].text for t in data.threads.values()] + [i.description for i in data.issues.values()]
    about_sizes = [text for text in written if "rozmiar" in text.lower()]
    assert about_sizes
    for text in about_sizes:  # every text about a size names a product sold in sizes, and one of its sizes
        name = next((name for name in sized if f"„{name}”" in text), None)
        assert name is not None and any(f" {size}" in text for size in sized[name]), text
    for item in (li for o in data.orders.values() for li in o.line_items):
        product, _, size = item.name.partition(" rozm. ")
        assert (size in sized[product]) if product in sized else not size, item.name


def test_every_text_is_filled_in_and_the_first_answer_fits_the_complaint() -> None:
    data = DemoData.generate(threads=300, issues=60)
    written = [m.text for t in data.threads.values() for m in t.messages]
    written += [entry.text for i in data.issues.values() for entry in i.chat]
    assert not [text for text in written if "{" in text or "}" in text]
    replies = {reason.subject: set() for reason in texts.ISSUE_REASONS}
    for reason in texts.ISSUE_REASONS:
        replies[reason.subject].add(reason.reply.partition("{")[0])
    for issue in data.issues.values():
        first_answer = next((e.text for e in issue.chat if e.role == "SELLER"), None)
        if first_answer is not None:
            assert any(first_answer.startswith(start) for start in replies[issue.subject]), (issue.subject, first_answer)

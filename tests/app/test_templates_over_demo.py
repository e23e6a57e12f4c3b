"""Templates filled from real orders of the demo Allegro, read by the real client: every placeholder the order can
give gets a value, and the text stays within Allegro's limit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from magazyn_desktop.allegro.auth import StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.environments import Environment
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.app.template_file import default_templates
from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.template_values import template_values
from magazyn_desktop.domain.templates import Field, Template, fill
from magazyn_desktop.fake_allegro import DemoAllegro


def _with_orders(client: AllegroClient) -> list[ConversationSummary]:
    """Conversations of the demo tied to an order: its issues carry the order's id in the list."""
    return [issue for issue in client.list_issues().issues if issue.order_id]


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


@pytest.fixture
def client() -> Iterator[AllegroClient]:
    demo = DemoAllegro()
    clock = _Clock()
    client = AllegroClient(environment=Environment("demo", demo.API_URL, demo.AUTH_URL, None),
                           tokens=StaticToken(demo.DEMO_TOKEN), transport=demo.transport(), clock=clock,
                           sleeper=clock.sleep, limiter=RateLimiter(clock=clock, sleeper=clock.sleep))
    yield client
    client.close()


EVERYTHING = Template("Wszystko", " | ".join(f"{{{field.value}}}" for field in Field))


def test_a_sent_order_of_the_demo_fills_every_placeholder_it_has(client: AllegroClient) -> None:
    threads = _with_orders(client)
    assert threads
    orders = [(thread, client.get_order(thread.order_id)) for thread in threads if thread.order_id]
    thread, order = next((t, o) for t, o in orders if o.shipments and o.line_items and o.total)
    values = template_values(thread, order, date(2026, 3, 5))
    filled = fill(EVERYTHING.body, values.by_field())
    assert values.order_number == order.id and order.id in filled.text
    assert order.shipments[0].waybill in filled.text
    assert order.line_items[0].name in filled.text
    assert "05.03.2026" in filled.text and (values.amount or "").endswith(("zł", order.currency or ""))
    expected_left = {Field.PICKUP_POINT} if order.pickup_point is None else set()
    if not order.delivery_method:
        expected_left.add(Field.DELIVERY_METHOD)
    assert {p.field for p in filled.unfilled} == expected_left


def test_the_default_templates_fill_from_every_demo_order_within_the_limit(client: AllegroClient) -> None:
    threads = _with_orders(client)
    assert threads
    for thread in threads:
        assert thread.order_id
        values = template_values(thread, client.get_order(thread.order_id), date(2026, 3, 5)).by_field()
        for template in default_templates():
            filled = fill(template.body, values)
            assert filled.characters_over_limit(thread.kind) == 0
            assert Field.ORDER_NUMBER not in {p.field for p in filled.unfilled}

"""The real client against the in-process demo backend: every public call, the demo's wrong-kind answers, sign-in."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from magazyn_desktop.allegro.auth import OAuthSession, StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.allegro.errors import AllegroError
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.allegro.environments import Environment
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.domain.vocabulary import Kind, SubKind

from .conftest import FakeClock


@pytest.fixture
def demo(clock: FakeClock) -> DemoAllegro:
    return DemoAllegro(clock=clock)


@pytest.fixture
def demo_environment(demo: DemoAllegro) -> Environment:
    return Environment("demo", demo.API_URL, demo.AUTH_URL, None)


@pytest.fixture
def demo_client(demo: DemoAllegro, demo_environment: Environment, clock: FakeClock) -> Iterator[AllegroClient]:
    client = AllegroClient(environment=demo_environment, tokens=StaticToken(demo.DEMO_TOKEN), transport=demo.transport(),
                           clock=clock, sleeper=clock.sleep, limiter=RateLimiter(clock=clock, sleeper=clock.sleep))
    yield client
    client.close()


def test_reads_sends_and_uploads(demo_client: AllegroClient) -> None:
    assert demo_client.me().login
    page = demo_client.list_threads()
    assert page.threads and page.next_page_id
    issues = demo_client.list_issues().issues
    assert issues
    thread = demo_client.open_conversation(page.threads[0].id)
    assert thread.summary.kind is Kind.THREAD and thread.messages
    issue = demo_client.open_conversation(issues[0].id)
    assert issue.summary.kind is Kind.ISSUE
    open_thread = next(t for t in page.threads if t.can_reply)
    open_issue = next(i for i in issues if i.can_reply)
    demo_client.send_message(open_thread.id, Kind.THREAD, "Dzień dobry")
    demo_client.send_message(open_thread.id, Kind.THREAD, "Paczka wyszła dziś")  # paced by the limiter
    demo_client.send_message(open_issue.id, Kind.ISSUE, "Dzień dobry")
    assert demo_client.upload_attachment(Kind.THREAD, "a.png", b"\x89PNG", "image/png")
    assert demo_client.upload_attachment(Kind.ISSUE, "a.pdf", b"%PDF-1", "application/pdf")
    with_order = next((t for t in page.threads if t.order_id), None) or next(i for i in issues if i.order_id)
    assert with_order.order_id and demo_client.get_order(with_order.order_id).id == with_order.order_id


def test_issue_status_filter_reaches_the_demo(demo: DemoAllegro, demo_client: AllegroClient) -> None:
    everything = demo_client.list_issues().issues
    wanted = ("DISPUTE_ONGOING", "CLAIM_SUBMITTED")
    chosen = demo_client.list_issues(statuses=wanted).issues
    expected = {i.id for i in demo.data.issues.values() if i.status in wanted}
    assert chosen and {i.id for i in chosen} == expected and {i.status for i in chosen} <= set(wanted)
    assert len(chosen) < len(everything)
    # The demo also takes the comma-separated form of the array.
    answer = demo.transport().handle_request(httpx.Request(
        "GET", f"{demo.API_URL}/sale/issues?status=DISPUTE_ONGOING,CLAIM_SUBMITTED&limit=100",
        headers={"Accept": "application/vnd.allegro.beta.v1+json", "Authorization": f"Bearer {demo.DEMO_TOKEN}"}))
    answer.read()
    assert {i["id"] for i in answer.json()["issues"]} == expected


def test_demo_issues_are_mostly_decided() -> None:
    from magazyn_desktop.fake_allegro.data import DemoData

    data = DemoData.generate(issues=200)
    open_ones = [i for i in data.issues.values() if i.status in ("DISPUTE_ONGOING", "DISPUTE_UNRESOLVED",
                                                                  "CLAIM_SUBMITTED")]
    assert 0 < len(open_ones) < 100 and len(open_ones) < len(data.issues) / 2  # one routine list page


def test_wrong_kind_recorded_is_corrected(demo_client: AllegroClient) -> None:
    issue = demo_client.list_issues().issues[0]
    demo_client.kind_registry.record_kind(issue.id, Kind.THREAD, SubKind.COMMON)
    assert demo_client.resolve_kind(issue.id).kind is Kind.ISSUE
    assert demo_client.kind_registry.recorded_kind(issue.id) is Kind.ISSUE


def test_device_flow_sign_in(demo: DemoAllegro, demo_environment: Environment, clock: FakeClock) -> None:
    session = OAuthSession(environment=demo_environment, client_id="demo-client", client_secret="demo-secret",
                           store=CredentialStore(), transport=demo.transport(), clock=clock, sleeper=clock.sleep)
    try:
        authorization = session.start_device_flow()
        demo.approve_device(authorization.user_code)
        tokens = session.poll_device_flow(authorization)
        client = AllegroClient(environment=demo_environment, tokens=session, transport=demo.transport(), clock=clock,
                               sleeper=clock.sleep, limiter=RateLimiter(clock=clock, sleeper=clock.sleep))
        assert tokens.refresh_token
        assert client.me().login
        demo.expire_tokens()
        assert client.list_threads().threads  # 401, one refresh, then the request again
        assert session.refresh_count == 1
        client.close()
    finally:
        session.close()


def test_orders_of_a_buyer_come_newest_first(demo: DemoAllegro, demo_client: AllegroClient) -> None:
    login = next(o.buyer.login for o in demo.data.orders.values()
                 if sum(p.buyer.login == o.buyer.login for p in demo.data.orders.values()) > 1)
    theirs = sorted((o for o in demo.data.orders.values() if o.buyer.login == login),
                    key=lambda o: o.bought_at, reverse=True)
    listed = demo_client.orders_of_buyer(login)
    assert [o.id for o in listed] == [o.id for o in theirs]
    assert [o.bought_at for o in listed] == [o.bought_at for o in theirs]
    assert listed[0].line_items[0].sku == theirs[0].line_items[0].sku
    assert demo.request_counts()["GET /order/checkout-forms"] == 1
    assert len(demo_client.orders_of_buyer(login, limit=1)) == 1
    assert demo_client.orders_of_buyer("nikt_taki") == ()


@pytest.mark.parametrize(("status", "error"), [(403, "ForbiddenError"), (404, "NotFoundError")])
def test_an_unavailable_order_raises_its_kind(demo: DemoAllegro, demo_client: AllegroClient, status: int,
                                              error: str) -> None:
    order_id = next(iter(demo.data.orders))
    demo.faults.unavailable_orders[order_id] = status
    with pytest.raises(AllegroError) as raised:
        demo_client.get_order(order_id)
    assert type(raised.value).__name__ == error and raised.value.status == status

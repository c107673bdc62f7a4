"""The demo hosted payment page and the payment webhook endpoints, through FastAPI's TestClient."""

from __future__ import annotations

import re
from decimal import Decimal

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from shopkeeper.adapters.payments.demo import WEBHOOK_KIND, DemoPaymentProvider
from shopkeeper.bootstrap import Services
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.inbox import InboundEvent
from shopkeeper.kernel.money import Money
from shopkeeper.kernel.outbox import OutboxMessage, deliver_due
from shopkeeper.payments import PaymentFailed, PaymentSucceeded, create_payment, get_payment
from shopkeeper.settings import Settings
from shopkeeper.web.payments import choose_locale, router

SECRET = "web-demo-secret"
TOTAL = Money(10000, "EUR")  # 100.00 does not split evenly in three


@pytest.fixture
def demo() -> DemoPaymentProvider:
    return DemoPaymentProvider("http://testserver", SECRET)


@pytest.fixture
def client(database: Database, demo: DemoPaymentProvider) -> TestClient:
    app = FastAPI()
    app.include_router(router)
    app.state.services = Services(
        settings=Settings(shop_name="Bergsteiger Outfitters"),
        db=database,
        bus=database.bus,
        payment_provider=demo,
        payment_providers={"demo": demo},
    )
    return TestClient(app)


def open_payment(db: Database, demo: DemoPaymentProvider, language: str | None = "pl") -> str:
    with db.session() as s:
        return create_payment(s, demo, TOTAL, "ord_42", "Order #1042", None, "/", language=language).id


def status_of(db: Database, payment_id: str) -> str:
    with db.session() as s:
        return get_payment(s, payment_id).status


def test_page_shows_merchant_and_amount_in_the_shoppers_locale(
    client: TestClient, database: Database, demo: DemoPaymentProvider
) -> None:
    pid = open_payment(database, demo, language="pl")
    page = client.get(f"/pay/{pid}")
    assert page.status_code == 200
    assert "Bergsteiger Outfitters" in page.text
    assert TOTAL.format("pl") in page.text and "100,00" in page.text  # Polish decimal comma
    assert 'lang="pl"' in page.text and "Zapłać" in page.text
    for action in ("approve", "decline", "instalments"):
        assert f'value="{action}"' in page.text


def test_arabic_page_is_right_to_left(
    client: TestClient, database: Database, demo: DemoPaymentProvider
) -> None:
    pid = open_payment(database, demo, language="ar")
    assert 'dir="rtl"' in client.get(f"/pay/{pid}").text


def test_instalment_amounts_shown_sum_exactly_to_the_total(
    client: TestClient, database: Database, demo: DemoPaymentProvider
) -> None:
    pid = open_payment(database, demo, language="en")
    plan = client.get(f"/pay/{pid}").text.split('data-testid="plan"')[1].split("</div>")[0]
    amounts = [Decimal(a) for a in re.findall(r"€([\d.]+)", plan)]
    assert amounts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(amounts) == TOTAL.decimal


def test_pay_approves_once_and_shows_the_outcome(
    client: TestClient, database: Database, demo: DemoPaymentProvider
) -> None:
    paid: list[PaymentSucceeded] = []
    database.bus.subscribe(PaymentSucceeded, paid.append)
    pid = open_payment(database, demo)
    response = client.post(f"/pay/{pid}", data={"action": "approve"})
    again = client.post(f"/pay/{pid}", data={"action": "decline"})  # a second click changes nothing
    assert response.status_code == 200 and 'data-status="succeeded"' in response.text
    assert 'href="/"' in response.text  # back to the chat
    assert 'data-status="succeeded"' in again.text
    assert status_of(database, pid) == "succeeded"
    assert [(e.payment_id, e.method) for e in paid] == [(pid, "card")]
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # nothing left to deliver


def test_when_direct_processing_fails_the_webhook_is_queued_and_the_worker_delivers_it(
    client: TestClient, database: Database, demo: DemoPaymentProvider
) -> None:
    broken = {"on": True}

    def fulfil(_session: object, _event: object) -> None:
        if broken["on"]:
            raise RuntimeError("stock service hiccup")

    database.bus.subscribe_in_transaction(PaymentSucceeded, fulfil)
    pid = open_payment(database, demo)
    page = client.post(f"/pay/{pid}", data={"action": "instalments"})
    assert 'data-testid="status"' in page.text and status_of(database, pid) == "pending"
    with database.session() as s:
        queued = s.scalars(select(OutboxMessage)).one()
    assert (queued.kind, queued.destination) == (WEBHOOK_KIND, "http://testserver/webhooks/payments/demo")

    broken["on"] = False
    captured: list[httpx2.Request] = []

    def capture(request: httpx2.Request) -> httpx2.Response:
        captured.append(request)
        return httpx2.Response(200)

    # capture, then hand to the app: on SQLite the worker holds its write lock while sending
    sender = demo.outbox_sender(httpx2.Client(transport=httpx2.MockTransport(capture)))
    assert deliver_due(database, {WEBHOOK_KIND: sender}) == 1
    (request,) = captured
    delivered = client.post(str(request.url.path), content=request.content, headers=dict(request.headers))
    assert delivered.status_code == 200 and delivered.json()["outcome"] == "applied"
    with database.session() as s:
        view = get_payment(s, pid)
        assert s.scalars(select(OutboxMessage)).one().status == "sent"
    assert (view.status, view.method, view.instalments) == ("succeeded", "instalments", 3)


def test_a_redelivered_webhook_is_a_replay(
    client: TestClient, database: Database, demo: DemoPaymentProvider
) -> None:
    pid = open_payment(database, demo)
    body, headers = demo.signed_request(demo.build_event(pid, "succeeded", TOTAL, "card"))
    first = client.post("/webhooks/payments/demo", content=body, headers=headers)
    again = client.post("/webhooks/payments/demo", content=body, headers=headers)
    assert (first.json()["outcome"], again.json()["outcome"]) == ("applied", "duplicate")
    assert first.status_code == again.status_code == 200


def test_decline_fails_the_payment(client: TestClient, database: Database, demo: DemoPaymentProvider) -> None:
    failed: list[object] = []
    database.bus.subscribe(PaymentFailed, failed.append)
    pid = open_payment(database, demo)
    page = client.post(f"/pay/{pid}", data={"action": "decline"})
    assert 'data-status="failed"' in page.text
    assert status_of(database, pid) == "failed" and len(failed) == 1


def test_webhook_with_forged_signature_answers_400_and_stores_nothing(
    client: TestClient, database: Database, demo: DemoPaymentProvider
) -> None:
    pid = open_payment(database, demo)
    body, _ = demo.signed_request(demo.build_event(pid, "succeeded", TOTAL, "card"))
    forged = DemoPaymentProvider("http://testserver", "guess").sign(body)
    response = client.post("/webhooks/payments/demo", content=body, headers=forged)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_signature"
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(InboundEvent)) == 0
    assert status_of(database, pid) == "pending"


def test_webhook_for_an_unconfigured_provider_is_404(client: TestClient) -> None:
    assert client.post("/webhooks/payments/stripe", content=b"{}").status_code == 404


def test_unknown_payment_page_is_404(client: TestClient) -> None:
    assert client.get("/pay/pay_nope").status_code == 404
    assert client.post("/pay/pay_nope", data={"action": "approve"}).status_code == 404


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [((None, "pl", None), "pl"), (("zz", None, "sk-SK,sk;q=0.9"), "sk_SK"), ((None, None, None), "en")],
)
def test_choose_locale_takes_the_first_known(candidates: tuple[str | None, ...], expected: str) -> None:
    assert choose_locale(*candidates) == expected

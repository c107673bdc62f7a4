"""The Stripe adapter end to end without network: Checkout Session creation captured at the
httpx2 transport, and correctly signed Stripe-shaped webhook fixtures (tests/fixtures/stripe)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import httpx2
import pytest
import time_machine
from sqlalchemy import func, select, update

from shopkeeper.adapters.payments.stripe import StripePaymentProvider
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.inbox import InboundEvent
from shopkeeper.kernel.money import Money
from shopkeeper.payments import (
    InvalidSignature,
    PaymentExpired,
    PaymentFailed,
    PaymentRefunded,
    PaymentSucceeded,
    create_payment,
    get_payment,
    handle_webhook,
    refund,
)
from shopkeeper.payments.store import Payment

FIXTURES = Path(__file__).parents[2] / "fixtures" / "stripe"
SECRET = "whsec_shopkeeper_test_fixtures_0123456789"
SIGNED_AT = 1795000000
SESSION_ID = "cs_test_a1Shopkeeper0001"
EUR_119 = Money(11900, "EUR")
FIXTURE_PAYMENT_ID = "pay_0192shopkeeper01"  # what the fixtures' metadata echo back


def fixture(name: str) -> tuple[bytes, dict[str, str]]:
    body = (FIXTURES / f"{name}.json").read_bytes()
    return body, {"Stripe-Signature": (FIXTURES / f"{name}.sig").read_text().strip()}


class FakeStripe:
    """Just enough of api.stripe.com for the calls we make, recording each request."""

    def __init__(self) -> None:
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        if request.url.path == "/v1/checkout/sessions":
            return httpx2.Response(
                200,
                json={
                    "id": SESSION_ID,
                    "object": "checkout.session",
                    "status": "open",
                    "payment_status": "unpaid",
                    "url": f"https://checkout.stripe.com/c/pay/{SESSION_ID}",
                    "expires_at": int(form["expires_at"]),
                    "amount_total": int(form["line_items[0][price_data][unit_amount]"]),
                    "currency": "eur",
                },
            )
        if request.url.path == "/v1/refunds":
            return httpx2.Response(
                200,
                json={
                    "id": "re_3ShopkeeperTest0001",
                    "object": "refund",
                    "amount": int(form["amount"]),
                    "currency": "eur",
                    "status": "succeeded",
                    "payment_intent": form["payment_intent"],
                },
            )
        return httpx2.Response(404, json={"error": {"type": "invalid_request_error", "message": "no route"}})

    def form(self, i: int = 0) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.requests[i].content.decode()).items()}


@pytest.fixture
def at_signing_time() -> Iterator[None]:
    with time_machine.travel(datetime.fromtimestamp(SIGNED_AT + 10, UTC), tick=True):
        yield


@pytest.fixture
def fake() -> FakeStripe:
    return FakeStripe()


@pytest.fixture
def stripe_provider(fake: FakeStripe) -> StripePaymentProvider:
    client = httpx2.Client(transport=httpx2.MockTransport(fake))
    return StripePaymentProvider(
        "sk_test_shopkeeper", SECRET, "http://stripe.fake", http_client=client, max_network_retries=0
    )


@pytest.fixture
def payment_id(database: Database, stripe_provider: StripePaymentProvider, at_signing_time: None) -> str:
    with database.session() as s:
        view = create_payment(
            s,
            stripe_provider,
            EUR_119,
            "ord_0192shopkeeper01",
            "Order #1001 – boots",
            "ada@example.com",
            "http://127.0.0.1:8000/",
        )
        # given the payment the fixtures were recorded for (their metadata names this id)
        s.execute(update(Payment).where(Payment.id == view.id).values(id=FIXTURE_PAYMENT_ID))
    return FIXTURE_PAYMENT_ID


def inbound_count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(InboundEvent)) or 0)


def collect(db: Database, *types: type) -> list[object]:
    seen: list[object] = []
    for t in types:
        db.bus.subscribe(t, seen.append)
    return seen


def test_checkout_session_is_created_with_the_fields_stripe_needs(
    database: Database, fake: FakeStripe, payment_id: str
) -> None:
    (request,) = fake.requests
    form = fake.form()
    assert (request.method, request.url.path, request.url.host) == (
        "POST",
        "/v1/checkout/sessions",
        "stripe.fake",
    )
    created_id = form["metadata[payment_id]"]
    assert created_id.startswith("pay_")
    assert request.headers["Idempotency-Key"] == f"shopkeeper-checkout-{created_id}"
    assert request.headers["Authorization"] == "Bearer sk_test_shopkeeper"
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][currency]"] == "eur"
    assert form["line_items[0][price_data][unit_amount]"] == "11900"
    assert form["line_items[0][price_data][product_data][name]"] == "Order #1001 – boots"
    assert form["line_items[0][quantity]"] == "1"
    assert form["client_reference_id"] == "ord_0192shopkeeper01"
    assert form["payment_intent_data[metadata][payment_id]"] == created_id
    assert form["metadata[reference]"] == "ord_0192shopkeeper01"
    assert form["customer_email"] == "ada@example.com"
    assert int(form["expires_at"]) >= SIGNED_AT + 30 * 60  # Stripe's minimum
    assert not any(k.startswith("payment_method_types") for k in form)  # dynamic methods decide
    with database.session() as s:
        view = get_payment(s, payment_id)
    assert view.url == f"https://checkout.stripe.com/c/pay/{SESSION_ID}"


def test_completed_and_paid_fulfils_once_even_with_async_success_and_replays(
    database: Database, stripe_provider: StripePaymentProvider, payment_id: str
) -> None:
    seen = collect(database, PaymentSucceeded)
    first = handle_webhook(database, stripe_provider, *fixture("checkout_session_completed"))
    again = handle_webhook(database, stripe_provider, *fixture("checkout_session_completed"))
    extra = handle_webhook(database, stripe_provider, *fixture("checkout_session_async_payment_succeeded"))
    assert (first.outcome, again.outcome, extra.outcome) == ("applied", "duplicate", "unchanged")
    assert seen == [PaymentSucceeded(payment_id, "ord_0192shopkeeper01", EUR_119, None, None, "stripe")]
    assert inbound_count(database) == 2


def test_completed_but_unpaid_waits_for_the_async_outcome(
    database: Database, stripe_provider: StripePaymentProvider, payment_id: str
) -> None:
    seen = collect(database, PaymentSucceeded, PaymentFailed)
    assert (
        handle_webhook(database, stripe_provider, *fixture("checkout_session_completed_unpaid")).outcome
        == "unchanged"
    )
    with database.session() as s:
        assert get_payment(s, payment_id).status == "pending"
    assert (
        handle_webhook(database, stripe_provider, *fixture("checkout_session_async_payment_failed")).outcome
        == "applied"
    )
    with database.session() as s:
        assert get_payment(s, payment_id).status == "failed"
    assert [type(e) for e in seen] == [PaymentFailed]


def test_expired_session_releases(
    database: Database, stripe_provider: StripePaymentProvider, payment_id: str
) -> None:
    seen = collect(database, PaymentExpired)
    handle_webhook(database, stripe_provider, *fixture("checkout_session_expired"))
    with database.session() as s:
        assert get_payment(s, payment_id).status == "expired"
    assert len(seen) == 1


def test_forged_signature_is_rejected_and_nothing_is_stored(
    database: Database, stripe_provider: StripePaymentProvider, payment_id: str
) -> None:
    body, headers = fixture("checkout_session_completed")
    t, _v1 = headers["Stripe-Signature"].split(",")
    forged = {"Stripe-Signature": f"{t},v1={'0' * 64}"}
    tampered = body.replace(b'"amount_total": 11900', b'"amount_total": 100')
    assert tampered != body
    for b, h in ((body, forged), (tampered, headers), (body, {})):
        with pytest.raises(InvalidSignature):
            handle_webhook(database, stripe_provider, b, h)
    assert inbound_count(database) == 0
    with database.session() as s:
        assert get_payment(s, payment_id).status == "pending"


def test_a_signature_older_than_five_minutes_is_rejected(
    database: Database, stripe_provider: StripePaymentProvider, payment_id: str
) -> None:
    with time_machine.travel(datetime.fromtimestamp(SIGNED_AT + 301, UTC)), pytest.raises(InvalidSignature):
        handle_webhook(database, stripe_provider, *fixture("checkout_session_completed"))
    assert inbound_count(database) == 0


def test_refund_before_its_success_is_deferred_then_applies_after_it(
    database: Database, stripe_provider: StripePaymentProvider, payment_id: str
) -> None:
    seen = collect(database, PaymentSucceeded, PaymentRefunded)
    early = handle_webhook(database, stripe_provider, *fixture("charge_refunded"))
    assert early.outcome == "deferred" and early.http_status == 409
    assert inbound_count(database) == 0  # not stored: Stripe's retry will be processed

    handle_webhook(database, stripe_provider, *fixture("checkout_session_completed"))
    retried = handle_webhook(database, stripe_provider, *fixture("charge_refunded"))
    assert retried.outcome == "applied" and retried.status == "refunded"
    assert [type(e).__name__ for e in seen] == ["PaymentSucceeded", "PaymentRefunded"]


def test_cumulative_refund_events_apply_each_amount_once_in_any_order(
    database: Database, stripe_provider: StripePaymentProvider, payment_id: str
) -> None:
    refunds = collect(database, PaymentRefunded)
    handle_webhook(database, stripe_provider, *fixture("checkout_session_completed"))
    handle_webhook(database, stripe_provider, *fixture("charge_refunded"))  # full, arrives first
    late = handle_webhook(database, stripe_provider, *fixture("charge_refunded_partial"))
    assert late.outcome == "unchanged"
    assert [(r.amount, r.full) for r in refunds] == [(EUR_119, True)]  # type: ignore[attr-defined]


def test_refund_through_the_api_uses_the_payment_intent_and_a_deterministic_key(
    database: Database, fake: FakeStripe, stripe_provider: StripePaymentProvider, payment_id: str
) -> None:
    refunds = collect(database, PaymentRefunded)
    handle_webhook(database, stripe_provider, *fixture("checkout_session_completed"))
    with database.session() as s:
        view = refund(s, stripe_provider, payment_id, Money(4000, "EUR"))
    request = fake.requests[-1]
    assert request.url.path == "/v1/refunds"
    assert fake.form(-1)["payment_intent"] == "pi_3ShopkeeperTest0001"
    assert fake.form(-1)["amount"] == "4000"
    assert request.headers["Idempotency-Key"] == f"shopkeeper-refund-{payment_id}-0-4000"
    assert view.refunded == Money(4000, "EUR") and view.status == "succeeded"
    # Stripe's own charge.refunded (cumulative 40.00) then changes nothing
    assert (
        handle_webhook(database, stripe_provider, *fixture("charge_refunded_partial")).outcome == "unchanged"
    )
    assert len(refunds) == 1


def test_events_we_do_not_handle_are_acknowledged_and_logged(
    database: Database, stripe_provider: StripePaymentProvider, payment_id: str
) -> None:
    result = handle_webhook(database, stripe_provider, *fixture("payment_intent_created"))
    assert result.outcome == "ignored" and result.http_status == 200
    with database.session() as s:
        stored = s.scalars(select(InboundEvent)).one()
    assert stored.provider == "stripe" and stored.event_id == "evt_1ShopkeeperPiCreated"
    assert json.loads(stored.body)["type"] == "payment_intent.created"

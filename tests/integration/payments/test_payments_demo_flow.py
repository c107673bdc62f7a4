"""Payments services with the demo provider on a real database: open, webhook once, replay,
forgery, refunds, expiry, and the outbox delivery of the signed webhook."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx2
import pytest
from sqlalchemy import func, select

from shopkeeper.adapters.payments.demo import WEBHOOK_KIND, DemoPaymentProvider
from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.inbox import InboundEvent
from shopkeeper.kernel.money import Money
from shopkeeper.kernel.outbox import OutboxMessage, deliver_due
from shopkeeper.payments import (
    InvalidSignature,
    PaymentExpired,
    PaymentFailed,
    PaymentRefunded,
    PaymentSucceeded,
    RefundRejected,
    create_payment,
    expire_overdue,
    get_payment,
    handle_webhook,
    refund,
)

SECRET = "test-demo-secret"
EUR_119 = Money(11900, "EUR")


@pytest.fixture
def demo() -> DemoPaymentProvider:
    return DemoPaymentProvider("http://shop.test", SECRET)


def open_payment(
    db: Database, demo: DemoPaymentProvider, reference: str = "ord_1", amount: Money = EUR_119
) -> str:
    with db.session() as s:
        view = create_payment(
            s, demo, amount, reference, "Order #1001", "ada@example.com", "/", language="pl"
        )
    return view.id


def signed(
    demo: DemoPaymentProvider, payment_id: str, outcome: str = "succeeded", **kw: object
) -> tuple[bytes, dict[str, str]]:
    event = demo.build_event(payment_id, outcome, kw.pop("amount", EUR_119), **kw)
    return demo.signed_request(event)


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_asking_twice_for_the_same_reference_returns_the_same_open_payment(
    database: Database, demo: DemoPaymentProvider
) -> None:
    first = open_payment(database, demo)
    second = open_payment(database, demo)
    with database.session() as s:
        view = get_payment(s, first)
    assert first == second
    assert view.url == f"http://shop.test/pay/{first}"
    assert view.status == "pending" and view.amount == EUR_119 and view.methods == ["card", "instalments"]


def test_a_new_payment_is_opened_once_the_previous_one_failed(
    database: Database, demo: DemoPaymentProvider
) -> None:
    first = open_payment(database, demo)
    handle_webhook(database, demo, *signed(demo, first, "failed"))
    assert open_payment(database, demo) != first


def test_success_webhook_marks_paid_and_emits_event_once_even_when_replayed(
    database: Database, demo: DemoPaymentProvider
) -> None:
    seen: list[object] = []
    database.bus.subscribe(PaymentSucceeded, seen.append)
    pid = open_payment(database, demo)
    body, headers = signed(demo, pid, method="card")

    first = handle_webhook(database, demo, body, headers)
    replay = handle_webhook(database, demo, body, headers)

    assert first.outcome == "applied" and first.status == "succeeded"
    assert replay.outcome == "duplicate"
    assert seen == [PaymentSucceeded(pid, "ord_1", EUR_119, "card", None, "demo")]
    assert count(database, InboundEvent) == 1


def test_instalments_payment_records_method_and_count(database: Database, demo: DemoPaymentProvider) -> None:
    pid = open_payment(database, demo)
    handle_webhook(database, demo, *signed(demo, pid, method="instalments", instalments=3))
    with database.session() as s:
        view = get_payment(s, pid)
    assert (view.status, view.method, view.instalments) == ("succeeded", "instalments", 3)


def test_forged_signature_is_rejected_and_nothing_is_stored(
    database: Database, demo: DemoPaymentProvider
) -> None:
    pid = open_payment(database, demo)
    body, _ = signed(demo, pid)
    forged = DemoPaymentProvider("http://shop.test", "attacker-secret").sign(body)
    with pytest.raises(InvalidSignature):
        handle_webhook(database, demo, body, forged)
    tampered_body = body.replace(b"payment.succeeded", b"payment.failed")
    assert tampered_body != body
    with pytest.raises(InvalidSignature):
        handle_webhook(database, demo, tampered_body, demo.sign(body))
    assert count(database, InboundEvent) == 0
    with database.session() as s:
        assert get_payment(s, pid).status == "pending"


def test_an_in_transaction_listener_failure_rolls_the_payment_back(
    database: Database, demo: DemoPaymentProvider
) -> None:
    def fail(_session: object, _event: object) -> None:
        raise RuntimeError("order could not be marked paid")

    database.bus.subscribe_in_transaction(PaymentSucceeded, fail)
    pid = open_payment(database, demo)
    with pytest.raises(RuntimeError):
        handle_webhook(database, demo, *signed(demo, pid))
    with database.session() as s:
        assert get_payment(s, pid).status == "pending"
    assert count(database, InboundEvent) == 0  # so the provider's retry is processed afresh


def test_a_late_failure_never_undoes_a_success(database: Database, demo: DemoPaymentProvider) -> None:
    failed: list[object] = []
    database.bus.subscribe(PaymentFailed, failed.append)
    pid = open_payment(database, demo)
    handle_webhook(database, demo, *signed(demo, pid))
    late = handle_webhook(database, demo, *signed(demo, pid, "failed"))
    assert late.outcome == "unchanged" and late.status == "succeeded"
    assert failed == []


def test_success_with_a_different_amount_is_a_conflict_not_a_fulfilment(
    database: Database, demo: DemoPaymentProvider
) -> None:
    seen: list[object] = []
    database.bus.subscribe(PaymentSucceeded, seen.append)
    pid = open_payment(database, demo)
    result = handle_webhook(database, demo, *signed(demo, pid, amount=Money(100, "EUR")))
    assert result.outcome == "conflict"
    assert seen == []
    with database.session() as s:
        assert get_payment(s, pid).status == "pending"
        assert s.scalar(select(InboundEvent.error)) is not None


def test_refunds_partial_then_full_emit_events_and_reject_more(
    database: Database, demo: DemoPaymentProvider
) -> None:
    refunds: list[PaymentRefunded] = []
    database.bus.subscribe(PaymentRefunded, refunds.append)
    pid = open_payment(database, demo)
    handle_webhook(database, demo, *signed(demo, pid))
    with database.session() as s:
        partial = refund(s, demo, pid, Money(1900, "EUR"))
    with database.session() as s:
        full = refund(s, demo, pid)
    assert partial.status == "succeeded" and partial.refunded == Money(1900, "EUR")
    assert full.status == "refunded" and full.refunded == EUR_119
    assert [(r.amount.amount_minor, r.full) for r in refunds] == [(1900, False), (10000, True)]
    with database.session() as s, pytest.raises(RefundRejected):
        refund(s, demo, pid, Money(1, "EUR"))


def test_refund_of_an_unpaid_payment_is_rejected(database: Database, demo: DemoPaymentProvider) -> None:
    pid = open_payment(database, demo)
    with database.session() as s, pytest.raises(RefundRejected):
        refund(s, demo, pid)


def test_overdue_demo_payments_expire_once(database: Database, demo: DemoPaymentProvider) -> None:
    expired: list[object] = []
    database.bus.subscribe(PaymentExpired, expired.append)
    pid = open_payment(database, demo)
    later = utcnow() + timedelta(hours=1)
    with database.session() as s:
        assert expire_overdue(s, "demo", later) == 1
    with database.session() as s:
        assert expire_overdue(s, "demo", later) == 0
        assert get_payment(s, pid).status == "expired"
    assert len(expired) == 1


def test_outbox_delivery_is_signed_at_send_time_and_is_a_replay_after_direct_processing(
    database: Database, demo: DemoPaymentProvider
) -> None:
    pid = open_payment(database, demo)
    event = demo.build_event(pid, "succeeded", EUR_119, "card")
    with database.session() as s:
        demo.notify(s, event)
    handle_webhook(database, demo, *demo.signed_request(event))  # what the page handler does
    captured: list[httpx2.Request] = []

    def capture(request: httpx2.Request) -> httpx2.Response:
        captured.append(request)
        return httpx2.Response(200, json={"outcome": "duplicate"})

    sender = demo.outbox_sender(httpx2.Client(transport=httpx2.MockTransport(capture)))
    assert deliver_due(database, {WEBHOOK_KIND: sender}) == 1
    # the delivered request carries a valid signature of its own, and is a replay
    (request,) = captured
    assert request.headers["Demo-Signature"].startswith("t=")
    assert handle_webhook(database, demo, request.content, dict(request.headers)).outcome == "duplicate"
    with database.session() as s:
        msg = s.scalars(select(OutboxMessage)).one()
        assert msg.status == "sent" and msg.destination == "http://shop.test/webhooks/payments/demo"
        assert json.loads(json.dumps(msg.payload))["event"]["id"] == event["id"]


def test_outbox_sender_gives_up_on_a_rejected_signature_but_retries_server_errors(
    demo: DemoPaymentProvider,
) -> None:
    statuses = iter([400, 503])
    sender = demo.outbox_sender(
        httpx2.Client(transport=httpx2.MockTransport(lambda _r: httpx2.Response(next(statuses))))
    )
    msg = OutboxMessage(
        id="out_1",
        kind=WEBHOOK_KIND,
        destination="http://shop.test/x",
        payload={"event": demo.build_event("pay_1", "succeeded", EUR_119)},
    )
    rejected, busy = sender(msg), sender(msg)
    assert (rejected.ok, rejected.permanent) == (False, True)
    assert (busy.ok, busy.permanent) == (False, False)

"""Payment use cases: open a hosted payment, apply a provider's signed webhook exactly once,
refund, expire. Each runs in the caller's session except `handle_webhook`, which owns its own."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.db import Database, record_event
from shopkeeper.kernel.inbox import InboundEvent, mark_processed, record_inbound
from shopkeeper.kernel.money import Money
from shopkeeper.payments import store
from shopkeeper.payments.errors import PaymentNotFound, RefundRejected
from shopkeeper.payments.events import PaymentExpired, PaymentFailed, PaymentRefunded, PaymentSucceeded
from shopkeeper.payments.model import (
    EXPIRED,
    FAILED,
    PENDING,
    REFUNDED,
    SUCCEEDED,
    CreatePayment,
    HandleResult,
    PaymentNotice,
    PaymentProvider,
    PaymentView,
    RefundRequest,
    check_move,
)
from shopkeeper.payments.store import Payment

log = logging.getLogger(__name__)

DEFAULT_TTL_MINUTES = 30


def create_payment(
    session: Session,
    provider: PaymentProvider,
    amount: Money,
    reference: str,
    description: str,
    customer_email: str | None,
    return_url: str,
    methods: list[str] | None = None,
    *,
    language: str | None = None,
    ttl_minutes: int = DEFAULT_TTL_MINUTES,
) -> PaymentView:
    """Open a hosted payment for `reference` (e.g. an order id), or return the one still open for
    the same reference and amount, so asking twice never gives the shopper two links to pay."""
    if amount.amount_minor <= 0:
        raise ValueError("a payment needs a positive amount")
    now = utcnow()
    for open_payment in store.find_open_for_reference(session, reference, provider.name):
        not_expired = open_payment.expires_at is None or open_payment.expires_at > now
        if open_payment.amount == amount and not_expired:
            return to_view(open_payment)
    payment = Payment(
        id=new_id("pay"),
        reference=reference,
        provider=provider.name,
        amount_minor=amount.amount_minor,
        currency=amount.currency,
        refunded_minor=0,
        status=PENDING,
        methods=list(methods or provider.default_methods),
        description=description,
        customer_email=customer_email,
        language=language,
        return_url=return_url,
        url="",
        expires_at=now + timedelta(minutes=ttl_minutes),
        created_at=now,
        updated_at=now,
    )
    session.add(payment)
    session.flush()
    # the provider call happens inside the caller's transaction: if it fails, no payment row is
    # left behind; if our commit fails after it, the orphan provider session simply expires
    opened = provider.create_session(
        CreatePayment(
            amount=amount,
            reference=reference,
            description=description,
            customer_email=customer_email,
            success_url=return_url,
            cancel_url=return_url,
            methods=list(payment.methods),
            payment_id=payment.id,
            expires_at=payment.expires_at,
        )
    )
    payment.provider_session_id = opened.id
    payment.url = opened.url
    payment.expires_at = opened.expires_at or payment.expires_at
    session.flush()
    return to_view(payment)


def get_payment(session: Session, payment_id: str) -> PaymentView:
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise PaymentNotFound(payment_id)
    return to_view(payment)


def find_payment(session: Session, payment_id: str) -> PaymentView | None:
    payment = session.get(Payment, payment_id)
    return None if payment is None else to_view(payment)


def list_payments(session: Session, reference: str) -> list[PaymentView]:
    return [to_view(p) for p in store.list_for_reference(session, reference)]


# -- webhooks ------------------------------------------------------------------------------------


class _Deferred(Exception):
    """Raised inside the webhook transaction to roll it back (the event is not stored)."""


def handle_webhook(
    db: Database, provider: PaymentProvider, body: bytes, headers: Mapping[str, str]
) -> HandleResult:
    """Verify on the raw bytes, store the event once (a replay does nothing), then apply it and
    emit the payment event in the same transaction. Raises InvalidSignature (nothing stored)."""
    notice = provider.parse_webhook(body, headers)
    try:
        with db.session() as session:
            return apply_notice(session, provider.name, notice, body)
    except _Deferred as deferred:
        return HandleResult("deferred", notice.event_id, detail=str(deferred))
    except IntegrityError:
        # a concurrent delivery of the same event won the unique (provider, event_id) race
        return HandleResult("duplicate", notice.event_id)


def apply_notice(session: Session, provider_name: str, notice: PaymentNotice, body: bytes) -> HandleResult:
    """Apply one verified notice inside the caller's transaction (exposed for the worker/tests)."""
    meta = {"type": notice.event_type, "kind": notice.kind, "session": notice.provider_session_id}
    inbound = record_inbound(session, provider_name, notice.event_id, body.decode("utf-8", "replace"), meta)
    if inbound is None:
        return HandleResult("duplicate", notice.event_id)
    if notice.kind == "ignored":
        mark_processed(session, inbound)
        return HandleResult("ignored", notice.event_id, detail=notice.event_type)
    found = store.find_for_notice(
        session, provider_name, notice.provider_session_id, notice.provider_payment_id, notice.payment_id
    )
    payment = store.lock(session, found.id) if found is not None else None
    if payment is None:
        # e.g. a session another integration opened on the same provider account
        mark_processed(session, inbound, error="unknown payment")
        return HandleResult("ignored", notice.event_id, detail="unknown payment")
    result = _apply(session, payment, notice, inbound)
    mark_processed(session, inbound, error=result.detail if result.outcome == "conflict" else None)
    if result.outcome == "conflict":
        log.warning("payment %s: %s (event %s)", payment.id, result.detail, notice.event_id)
    return result


def _apply(session: Session, payment: Payment, notice: PaymentNotice, inbound: InboundEvent) -> HandleResult:
    if notice.provider_payment_id and not payment.provider_payment_id:
        payment.provider_payment_id = notice.provider_payment_id
    result = HandleResult("unchanged", notice.event_id, payment.id, payment.status)
    if notice.kind == "pending":
        return result
    if notice.kind == "succeeded":
        return _succeed(session, payment, notice, result)
    if notice.kind in ("failed", "expired"):
        if payment.status != PENDING:
            # stale or out of order (e.g. "expired" after the success): outcomes never move back
            return replace(result, detail=f"{notice.kind} after {payment.status}")
        target = FAILED if notice.kind == "failed" else EXPIRED
        _move(payment, target)
        cls = PaymentFailed if target == FAILED else PaymentExpired
        record_event(session, cls(payment.id, payment.reference, payment.amount, payment.provider))
        return replace(result, outcome="applied", status=payment.status)
    # refunded: providers report the cumulative refunded total
    if payment.status == PENDING:
        raise _Deferred(f"refund of {payment.id} arrived before its success")
    if payment.status not in (SUCCEEDED, REFUNDED) or notice.amount is None:
        return replace(result, outcome="conflict", detail=f"refund while {payment.status}")
    if notice.amount.currency != payment.currency:
        return replace(result, outcome="conflict", detail="refund currency differs")
    if not _apply_refund(session, payment, notice.amount.amount_minor):
        return result
    return replace(result, outcome="applied", status=payment.status)


def _succeed(session: Session, payment: Payment, notice: PaymentNotice, result: HandleResult) -> HandleResult:
    if payment.status in (SUCCEEDED, REFUNDED):
        return result  # e.g. checkout.session.completed then async_payment_succeeded
    if payment.status != PENDING:
        return replace(result, outcome="conflict", detail=f"money taken after the payment {payment.status}")
    if notice.amount is not None and notice.amount != payment.amount:
        return replace(result, outcome="conflict", detail=f"paid {notice.amount}, expected {payment.amount}")
    _move(payment, SUCCEEDED)
    payment.method = notice.method or payment.method
    payment.instalments = notice.instalments or payment.instalments
    record_event(
        session,
        PaymentSucceeded(
            payment.id,
            payment.reference,
            payment.amount,
            payment.method,
            payment.instalments,
            payment.provider,
        ),
    )
    return replace(result, outcome="applied", status=payment.status)


def _move(payment: Payment, target: str) -> None:
    check_move(payment.status, target)
    payment.status = target
    payment.updated_at = utcnow()


def _apply_refund(session: Session, payment: Payment, new_total_minor: int) -> bool:
    """Raise the refunded total to `new_total_minor` (never lower it); False if nothing changed."""
    new_total_minor = min(new_total_minor, payment.amount_minor)
    if new_total_minor <= payment.refunded_minor:
        return False
    delta = new_total_minor - payment.refunded_minor
    payment.refunded_minor = new_total_minor
    full = new_total_minor == payment.amount_minor
    if full:
        _move(payment, REFUNDED)
    payment.updated_at = utcnow()
    record_event(
        session,
        PaymentRefunded(
            payment.id,
            payment.reference,
            Money(delta, payment.currency),
            payment.refunded,
            full,
            payment.provider,
        ),
    )
    return True


# -- refunds and expiry --------------------------------------------------------------------------


def refund(
    session: Session, provider: PaymentProvider, payment_id: str, amount: Money | None = None
) -> PaymentView:
    """Refund `amount` (default: all that is left) through the provider, and record it now; the
    provider's later refund webhook then finds nothing new to apply."""
    payment = store.lock(session, payment_id)
    if payment is None:
        raise PaymentNotFound(payment_id)
    if payment.provider != provider.name:
        raise RefundRejected(f"payment {payment_id} belongs to {payment.provider}")
    if payment.status != SUCCEEDED:
        raise RefundRejected(f"payment {payment_id} is {payment.status}")
    left = payment.amount - payment.refunded
    amount = amount or left
    if amount.currency != payment.currency or amount.amount_minor <= 0 or amount > left:
        raise RefundRejected(f"cannot refund {amount} of {left} left")
    provider.refund(
        RefundRequest(
            payment_id=payment.id,
            provider_session_id=payment.provider_session_id,
            provider_payment_id=payment.provider_payment_id,
            amount=amount,
            # deterministic: a retried job can never refund twice
            idempotency_key=f"shopkeeper-refund-{payment.id}-{payment.refunded_minor}-{amount.amount_minor}",
        )
    )
    _apply_refund(session, payment, payment.refunded_minor + amount.amount_minor)
    session.flush()
    return to_view(payment)


def expire_overdue(
    session: Session, provider_name: str, now: datetime | None = None, limit: int = 100
) -> int:
    """Expire pending payments past their deadline for providers that never say so themselves
    (the demo page); Stripe sends checkout.session.expired instead."""
    count = 0
    for payment in store.list_due_to_expire(session, provider_name, now or utcnow(), limit):
        _move(payment, EXPIRED)
        record_event(session, PaymentExpired(payment.id, payment.reference, payment.amount, payment.provider))
        count += 1
    return count


def to_view(p: Payment) -> PaymentView:
    return PaymentView(
        id=p.id,
        url=p.url,
        amount=p.amount,
        methods=list(p.methods or []),
        status=p.status,
        reference=p.reference,
        provider=p.provider,
        description=p.description,
        method=p.method,
        instalments=p.instalments,
        refunded=p.refunded,
        language=p.language,
        return_url=p.return_url,
        expires_at=p.expires_at,
        created_at=p.created_at,
    )

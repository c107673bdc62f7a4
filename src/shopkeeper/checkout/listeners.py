"""How checkout hears that money moved or a hold lapsed, inside the transaction that recorded it.

A paid order, its converted stock and its counted discount commit together with the payment
webhook, or not at all. Refund requests go to the provider after commit (network calls never run
inside a transaction).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from shopkeeper import cart as carts
from shopkeeper import inventory, orders, payments
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.events import EventBus

log = logging.getLogger(__name__)
_installed: weakref.WeakSet[EventBus] = weakref.WeakSet()


def on_payment_succeeded(session: Session, event: payments.PaymentSucceeded) -> None:
    order = orders.find_order(session, event.reference)
    if order is None:
        return  # a payment for something that is not an order
    if event.amount != order.totals.total:
        log.error("payment %s of %s does not match order %s total %s",
                  event.payment_id, event.amount, order.number, order.totals.total)
        orders.request_refund(session, order.id, "amount_mismatch")
        return
    if order.status == orders.OrderStatus.CANCELLED:
        orders.request_refund(session, order.id, "paid_after_cancellation")
        return
    if order.status != orders.OrderStatus.AWAITING_PAYMENT:
        return  # already paid: a replayed or duplicate notice changes nothing
    settle_paid(session, order, event.payment_id)


def settle_paid(session: Session, order: orders.OrderView, payment_id: str | None) -> None:
    """The money is in: stock leaves, the discount use is counted, OrderPaid is emitted."""
    short = inventory.convert(session, order.id)
    orders.mark_paid(session, order.id, payment_id)
    if order.totals.discount_code:
        carts.redeem_discount(session, order.totals.discount_code, order.customer_id, order.id)
    if short:  # the hold had lapsed and someone else bought the units meanwhile
        orders.cancel_order(session, order.id, "out_of_stock_after_payment")


def on_payment_refunded(session: Session, event: payments.PaymentRefunded) -> None:
    order = orders.find_order(session, event.reference)
    if order is None or not event.full or not orders.is_paid(order.status):
        return  # partial refunds leave the order as it is; a cancelled order stays cancelled
    orders.refund(session, order.id, "refunded")


def on_reservation_expired(session: Session, event: inventory.ReservationExpired) -> None:
    order = orders.find_order(session, event.reference)
    if order is not None and order.status == orders.OrderStatus.AWAITING_PAYMENT:
        orders.cancel_order(session, order.id, "payment_timeout")


def install(bus: EventBus) -> None:
    """Subscribe checkout's in-transaction listeners (idempotent per bus)."""
    if bus in _installed:
        return
    _installed.add(bus)
    bus.subscribe_in_transaction(payments.PaymentSucceeded, on_payment_succeeded)
    bus.subscribe_in_transaction(payments.PaymentRefunded, on_payment_refunded)
    bus.subscribe_in_transaction(inventory.ReservationExpired, on_reservation_expired)


def refund_sender(db: Database, providers: Mapping[str, Any], default: Callable[[], Any] | Any = None) -> Any:
    """An after-commit listener that asks the provider to refund a RefundRequested order.

    `providers` is read at call time (the composition root may register providers later).
    """

    def handle(event: orders.RefundRequested) -> None:
        if not event.payment_id:
            return
        with db.session() as session:
            payment = payments.find_payment(session, event.payment_id)
            if payment is None or payment.status != "succeeded":
                return
            fallback = default() if callable(default) else default
            provider = providers.get(payment.provider) or fallback
            if provider is None:
                log.error("no provider %s to refund order %s", payment.provider, event.order_id)
                return
            payments.refund(session, provider, event.payment_id)

    return handle


def expire_unpaid(db: Database) -> int:
    """Worker job: lapse overdue stock holds (their unpaid orders are cancelled by the listener)."""
    with db.session() as session:
        return inventory.expire_reservations(session)

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
from shopkeeper import customers, inventory, orders, payments
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
    if order is None or not event.full:
        return  # partial refunds leave the order as it is
    if orders.is_paid(order.status) or order.status == orders.OrderStatus.CANCELLED:
        orders.confirm_refund(session, order.id, event.total_refunded)


def on_reservation_expired(session: Session, event: inventory.ReservationExpired) -> None:
    order = orders.find_order(session, event.reference)
    if order is not None and order.status == orders.OrderStatus.AWAITING_PAYMENT:
        orders.cancel_order(session, order.id, "payment_timeout")


def _enrich_profile(session: Session, order_id: str, customer_id: str, paid: bool) -> None:
    if customers.find_customer(session, customer_id) is None:
        return  # an order for a customer id the profile store does not know (imports, tests)
    order = orders.get_order(session, order_id)
    try:
        with session.begin_nested():  # a profile problem must never undo the sale
            if paid:
                _record_purchase(session, order)
            else:
                _remember_contact(session, order)
    except customers.CustomerError:
        log.warning("profile of %s not updated from order %s", order.customer_id, order.number,
                    exc_info=True)


def _remember_contact(session: Session, order: orders.OrderView) -> None:
    contact, a = order.contact, order.shipping_address
    customers.update_contact(session, order.customer_id, name=contact.get("name"),
                             email=contact.get("email"), phone=contact.get("phone"))
    if a.get("line1") and a.get("city") and a.get("country"):
        customers.save_address(session, order.customer_id, customers.Address(
            name=str(a.get("name") or contact.get("name") or ""), line1=str(a["line1"]), city=str(a["city"]),
            postcode=str(a.get("postcode") or ""), country=str(a["country"]), line2=a.get("line2"),
            region=a.get("region"), phone=a.get("phone"),
        ))


def _record_purchase(session: Session, order: orders.OrderView) -> None:
    customers.record_activity(session, order.customer_id, "purchased", {
        "order_id": order.id, "number": order.number,
        "product_ids": [ln.product_id for ln in order.lines],
        "items": [{"product_id": ln.product_id, "variant_id": ln.variant_id, "quantity": ln.quantity}
                  for ln in order.lines],
        "total_minor": order.totals.total.amount_minor, "currency": order.currency,
    })


def on_order_placed(session: Session, event: orders.OrderPlaced) -> None:
    """Remember the shopper's contact and address on their profile for next time."""
    _enrich_profile(session, event.order_id, event.customer_id, paid=False)


def on_order_paid(session: Session, event: orders.OrderPaid) -> None:
    """A purchase is activity the recommendations learn from."""
    _enrich_profile(session, event.order_id, event.customer_id, paid=True)


def install(bus: EventBus) -> None:
    """Subscribe checkout's in-transaction listeners (idempotent per bus)."""
    if bus in _installed:
        return
    _installed.add(bus)
    bus.subscribe_in_transaction(payments.PaymentSucceeded, on_payment_succeeded)
    bus.subscribe_in_transaction(payments.PaymentRefunded, on_payment_refunded)
    bus.subscribe_in_transaction(inventory.ReservationExpired, on_reservation_expired)
    bus.subscribe_in_transaction(orders.OrderPlaced, on_order_placed)
    bus.subscribe_in_transaction(orders.OrderPaid, on_order_paid)


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


def expire_unpaid(db: Database, *, max_batches: int = 20) -> int:
    """Worker job: lapse overdue stock holds (their unpaid orders are cancelled by the listener).

    One short transaction per batch, so a backlog never holds the write lock for long."""
    total = 0
    for _ in range(max_batches):
        with db.session() as session:
            expired = inventory.expire_reservations(session)
        total += expired
        if expired == 0:
            break
    return total

"""Order use cases: create from a checkout snapshot, read, and move through the state machine.

Every move is a conditional UPDATE on the current status, so two racing actors (a webhook and a
shopper's cancel) cannot both win; each move is written to the status history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from shopkeeper import inventory
from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.db import record_event
from shopkeeper.kernel.memo import TransactionMemo
from shopkeeper.kernel.money import Money
from shopkeeper.orders.errors import IllegalTransition, OrderNotFound
from shopkeeper.orders.events import (
    OrderCancelled,
    OrderDelivered,
    OrderFulfilled,
    OrderPaid,
    OrderPlaced,
    OrderRefunded,
    OrderShipped,
    RefundRequested,
)
from shopkeeper.orders.model import (
    NewOrder,
    OrderLine,
    OrderStatus,
    OrderTotals,
    OrderView,
    StatusChange,
    check_transition,
    format_number,
    is_paid,
)
from shopkeeper.orders.store import Order, OrderCounter, OrderStatusChange

FIRST_NUMBER = 10001
DEFAULT_PREFIX = "SK"


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount or 0)


def _next_sequence(session: Session, series: str = "orders") -> int:
    bump = (
        update(OrderCounter)
        .where(OrderCounter.name == series)
        .values(value=OrderCounter.value + 1)
        .returning(OrderCounter.value)
        .execution_options(synchronize_session=False)
    )
    value = session.execute(bump).scalar_one_or_none()
    if value is not None:
        return int(value)
    ins = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        ins(OrderCounter).values(name=series, value=FIRST_NUMBER - 1).on_conflict_do_nothing()
    )
    return int(session.execute(bump).scalar_one())


def create_order(session: Session, new: NewOrder, *, number_prefix: str = DEFAULT_PREFIX) -> OrderView:
    """Store an order awaiting payment with its frozen lines and totals; emits OrderPlaced."""
    now = utcnow()
    order = Order(
        id=new.order_id or new_id("ord"),
        number=format_number(number_prefix, _next_sequence(session)),
        status=OrderStatus.AWAITING_PAYMENT.value,
        customer_id=new.customer_id,
        conversation_id=new.conversation_id,
        cart_id=new.cart_id,
        currency=new.totals.total.currency,
        total_minor=new.totals.total.amount_minor,
        lines=[line.to_json() for line in new.lines],
        totals=new.totals.to_json(),
        contact=dict(new.contact),
        shipping_address=dict(new.shipping_address),
        created_at=now,
        updated_at=now,
    )
    placed = OrderStatusChange(
        id=new_id("osc"), order_id=order.id, from_status=None, to_status=order.status,
        reason="placed", at=now,
    )
    session.add(order)
    session.add(placed)
    session.flush()
    record_event(session, OrderPlaced(
        order_id=order.id, customer_id=order.customer_id, conversation_id=order.conversation_id,
        number=order.number, total=new.totals.total,
    ))
    # its whole history: no need to read it back
    return _VIEWS.remember(session, _view(session, order, [placed]))


# a payment webhook or a chat turn reads one order several times (kernel/memo.py)
_VIEWS: TransactionMemo[OrderView] = TransactionMemo("order_views", forget_on_commit=True)


def _load(session: Session, order_id: str) -> Order:
    order = session.get(Order, order_id, populate_existing=True)
    if order is None:
        raise OrderNotFound(order_id)
    return order


def _view(session: Session, order: Order, history: Sequence[OrderStatusChange] | None = None) -> OrderView:
    if history is None:
        history = session.scalars(
            select(OrderStatusChange).where(OrderStatusChange.order_id == order.id)
            .order_by(OrderStatusChange.at, OrderStatusChange.id)
        ).all()
    return OrderView(
        id=order.id, number=order.number, status=order.status, customer_id=order.customer_id,
        conversation_id=order.conversation_id,
        lines=[OrderLine.from_json(d) for d in order.lines],
        totals=OrderTotals.from_json(order.totals),
        shipping_address=dict(order.shipping_address), tracking_url=order.tracking_url,
        created_at=order.created_at, contact=dict(order.contact), payment_id=order.payment_id,
        cart_id=order.cart_id, cancel_reason=order.cancel_reason,
        history=[StatusChange(h.from_status, h.to_status, h.reason, h.at) for h in history],
    )


def get_order(session: Session, order_id: str) -> OrderView:
    known = _VIEWS.get(session, order_id)
    return known if known is not None else _VIEWS.remember(session, _view(session, _load(session, order_id)))


def find_order(session: Session, order_id: str) -> OrderView | None:
    known = _VIEWS.get(session, order_id)
    if known is not None:
        return known
    order = session.get(Order, order_id, populate_existing=True)
    return _VIEWS.remember(session, _view(session, order)) if order else None


def find_order_by_number(session: Session, number: str) -> OrderView | None:
    order = session.scalar(select(Order).where(Order.number == number.strip().upper()))
    return _view(session, order) if order else None


def access_order(session: Session, order_id: str, customer_id: str) -> OrderView:
    """The order if it belongs to this customer; someone else's order is simply not found."""
    order = session.get(Order, order_id, populate_existing=True)
    if order is None or order.customer_id != customer_id:
        raise OrderNotFound(order_id)
    return _view(session, order)


def list_orders(session: Session, customer_id: str, *, limit: int = 50) -> list[OrderView]:
    """A customer's orders, newest first."""
    rows = session.scalars(
        select(Order).where(Order.customer_id == customer_id)
        .order_by(Order.created_at.desc(), Order.id.desc()).limit(limit)
    ).all()
    return [_view(session, o) for o in rows]


def _move(session: Session, order_id: str, target: OrderStatus, reason: str | None,
          **values: Any) -> Order:
    _VIEWS.forget(session, order_id)
    order = _load(session, order_id)
    current = order.status
    check_transition(current, target)
    now = utcnow()
    res = session.execute(
        update(Order).where(Order.id == order_id, Order.status == current)
        .values(status=target.value, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if _rowcount(res) != 1:  # someone moved it first; report against what it is now
        raise IllegalTransition(_load(session, order_id).status, target.value)
    session.add(OrderStatusChange(
        id=new_id("osc"), order_id=order_id, from_status=current, to_status=target.value,
        reason=reason, at=now,
    ))
    session.flush()
    return _load(session, order_id)


def attach_payment(session: Session, order_id: str, payment_id: str) -> None:
    """Remember the payment started for this order (the latest one wins)."""
    _VIEWS.forget(session, order_id)
    order = _load(session, order_id)
    check_transition(order.status, OrderStatus.PAID)  # only an unpaid order takes a payment
    order.payment_id = payment_id
    order.updated_at = utcnow()
    session.flush()


def mark_paid(session: Session, order_id: str, payment_id: str | None = None) -> OrderView:
    values = {"payment_id": payment_id} if payment_id else {}
    order = _move(session, order_id, OrderStatus.PAID, "payment succeeded", **values)
    totals = OrderTotals.from_json(order.totals)
    record_event(session, OrderPaid(
        order_id=order.id, customer_id=order.customer_id, conversation_id=order.conversation_id,
        total=totals.total, number=order.number,
    ))
    return _view(session, order)


def cancel_order(session: Session, order_id: str, reason: str) -> OrderView:
    """Cancel before fulfilment: unpaid holds are released, paid units restocked and a refund asked."""
    before = _load(session, order_id)
    was_paid = is_paid(before.status)
    order = _move(session, order_id, OrderStatus.CANCELLED, reason, cancel_reason=reason)
    if was_paid:
        inventory.restock(session, order.id)
        record_event(session, RefundRequested(
            order_id=order.id, customer_id=order.customer_id, conversation_id=order.conversation_id,
            payment_id=order.payment_id, amount=OrderTotals.from_json(order.totals).total, reason=reason,
        ))
    else:
        inventory.release(session, order.id)
    record_event(session, OrderCancelled(
        order_id=order.id, customer_id=order.customer_id, conversation_id=order.conversation_id,
        reason=reason, was_paid=was_paid,
    ))
    return _view(session, order)


def mark_fulfilled(session: Session, order_id: str) -> OrderView:
    order = _move(session, order_id, OrderStatus.FULFILLED, "fulfilled")
    record_event(session, OrderFulfilled(order.id, order.customer_id, order.conversation_id))
    return _view(session, order)


def mark_shipped(session: Session, order_id: str, tracking_url: str | None = None) -> OrderView:
    order = _move(session, order_id, OrderStatus.SHIPPED, "shipped", tracking_url=tracking_url)
    record_event(session, OrderShipped(order.id, order.customer_id, order.conversation_id, tracking_url))
    return _view(session, order)


def mark_delivered(session: Session, order_id: str) -> OrderView:
    order = _move(session, order_id, OrderStatus.DELIVERED, "delivered")
    record_event(session, OrderDelivered(order.id, order.customer_id, order.conversation_id))
    return _view(session, order)


def refund(session: Session, order_id: str, reason: str = "refunded") -> OrderView:
    """Record that the money went back (after the provider confirmed a full refund)."""
    order = _move(session, order_id, OrderStatus.REFUNDED, reason)
    record_event(session, OrderRefunded(
        order_id=order.id, customer_id=order.customer_id, conversation_id=order.conversation_id,
        amount=OrderTotals.from_json(order.totals).total, reason=reason,
    ))
    return _view(session, order)


def confirm_refund(session: Session, order_id: str, amount: Money) -> OrderView:
    """The provider confirms the money went back in full: a paid order becomes refunded; a cancelled
    one stays cancelled, with the refund written to its history and announced (OrderRefunded)."""
    _VIEWS.forget(session, order_id)
    order = _load(session, order_id)
    if order.status != OrderStatus.CANCELLED:
        return refund(session, order_id, "refunded")
    now = utcnow()
    session.add(OrderStatusChange(
        id=new_id("osc"), order_id=order.id, from_status=order.status, to_status=order.status,
        reason=f"refunded {amount}", at=now,
    ))
    session.flush()
    record_event(session, OrderRefunded(
        order_id=order.id, customer_id=order.customer_id, conversation_id=order.conversation_id,
        amount=amount, reason="refunded after cancellation",
    ))
    return _view(session, order)


def request_refund(session: Session, order_id: str, reason: str) -> None:
    """Ask for the money back without moving the order (e.g. paid after it had been cancelled)."""
    order = _load(session, order_id)
    record_event(session, RefundRequested(
        order_id=order.id, customer_id=order.customer_id, conversation_id=order.conversation_id,
        payment_id=order.payment_id, amount=OrderTotals.from_json(order.totals).total, reason=reason,
    ))

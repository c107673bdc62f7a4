"""Order status and cancellation in chat — only ever the calling shopper's own orders."""

from __future__ import annotations

from shopkeeper import orders
from shopkeeper.bots.cards import order_summary
from shopkeeper.bots.dialogue import Dialogue
from shopkeeper.kernel.errors import DomainError


def _own(d: Dialogue, order_id: str | None) -> orders.OrderView | None:
    if order_id:
        try:
            return orders.access_order(d.session, order_id, d.ctx.customer_id)
        except DomainError:
            return None
    mine = orders.list_orders(d.session, d.ctx.customer_id, limit=5)
    return mine[0] if mine else None


def status(d: Dialogue, order_id: str | None = None) -> None:
    order = _own(d, order_id)
    if order is None:
        d.say("orders_none")
        return
    d.say("orders_status", number=order.number, status=d.tr(f"status_{order.status}"))
    d.add(order_summary(order, d.lang))


def cancel(d: Dialogue, order_id: str | None = None, confirmed: bool = False) -> None:
    order = _own(d, order_id)
    if order is None:
        d.say("orders_none")
        return
    if not order.can_cancel:
        d.say("orders_cannot_cancel", number=order.number, status=d.tr(f"status_{order.status}"))
        return
    if not confirmed:  # a typed "cancel my order" gets a button; pressing it is the confirmation
        d.say("orders_confirm_cancel", number=order.number)
        d.add(order_summary(order, d.lang))
        return
    try:
        orders.cancel_order(d.session, order.id, "cancelled by the customer in chat")
    except DomainError:
        d.say("orders_cannot_cancel", number=order.number, status=d.tr(f"status_{order.status}"))
        return
    d.say("orders_cancelled", number=order.number)

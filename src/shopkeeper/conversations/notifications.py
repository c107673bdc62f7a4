"""Order updates into the conversation the order came from, in the shopper's language, enqueued in
the same transaction as the order change (in-transaction listeners)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from shopkeeper import orders
from shopkeeper.conversations.services import copy_state, send_to_customer
from shopkeeper.conversations.store import ConversationRow
from shopkeeper.kernel.events import EventBus

EVENT_KEYS: dict[type, str] = {
    orders.OrderPaid: "order_paid",
    orders.OrderShipped: "order_shipped",
    orders.OrderDelivered: "order_delivered",
    orders.OrderCancelled: "order_cancelled",
    orders.OrderRefunded: "order_refunded",
}


def _notify(session: Session, event: Any) -> None:
    from shopkeeper.bots import order_update_reply

    conversation_id = getattr(event, "conversation_id", None)
    if not conversation_id:
        return
    conv = session.get(ConversationRow, conversation_id)
    if conv is None:
        return
    order = orders.get_order(session, event.order_id)
    reply = order_update_reply(order, EVENT_KEYS[type(event)], conv.language or "en")
    send_to_customer(session, conv.id, reply)
    if isinstance(event, orders.OrderPaid):
        state = copy_state(conv.state)
        state.pop("checkout", None)  # the purchase is done; a new checkout starts afresh
        state.pop("cart_id", None)
        state["last_order_id"] = order.id
        conv.state = state
        flag_modified(conv, "state")


def install(bus: EventBus) -> None:
    for event_type in EVENT_KEYS:
        bus.subscribe_in_transaction(event_type, _notify)

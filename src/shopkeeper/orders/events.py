"""Order events (past tense, frozen); each names the order, its customer and conversation."""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.kernel.money import Money


@dataclass(frozen=True)
class OrderPlaced:
    order_id: str
    customer_id: str
    conversation_id: str | None
    number: str
    total: Money


@dataclass(frozen=True)
class OrderPaid:
    order_id: str
    customer_id: str
    conversation_id: str | None
    total: Money
    number: str = ""


@dataclass(frozen=True)
class OrderCancelled:
    order_id: str
    customer_id: str
    conversation_id: str | None
    reason: str
    was_paid: bool = False


@dataclass(frozen=True)
class OrderFulfilled:
    order_id: str
    customer_id: str
    conversation_id: str | None


@dataclass(frozen=True)
class OrderShipped:
    order_id: str
    customer_id: str
    conversation_id: str | None
    tracking_url: str | None = None


@dataclass(frozen=True)
class OrderDelivered:
    order_id: str
    customer_id: str
    conversation_id: str | None


@dataclass(frozen=True)
class OrderRefunded:
    order_id: str
    customer_id: str
    conversation_id: str | None
    amount: Money
    reason: str = ""


@dataclass(frozen=True)
class RefundRequested:
    """Money must go back to the shopper (a paid order was cancelled, or paid after it was
    cancelled); the payments side listens and asks the provider, then reports PaymentRefunded."""

    order_id: str
    customer_id: str
    conversation_id: str | None
    payment_id: str | None
    amount: Money
    reason: str

"""The order state machine and the frozen snapshot an order keeps of what was bought (pure rules).

awaiting_payment → paid → fulfilled → shipped → delivered; cancelled before fulfilment;
refunded from any paid state. Anything else is an IllegalTransition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from shopkeeper.kernel.money import Money
from shopkeeper.orders.errors import IllegalTransition


class OrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    FULFILLED = "fulfilled"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.AWAITING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.FULFILLED, S.CANCELLED, S.REFUNDED}),
    S.FULFILLED: frozenset({S.SHIPPED, S.REFUNDED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.REFUNDED}),
    S.DELIVERED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}


def check_transition(current: str, target: str) -> None:
    """Raise IllegalTransition unless the machine has an arrow current → target."""
    try:
        allowed = TRANSITIONS[OrderStatus(current)]
        wanted = OrderStatus(target)
    except ValueError:
        raise IllegalTransition(current, target) from None
    if wanted not in allowed:
        raise IllegalTransition(current, target)


def can_cancel(status: str) -> bool:
    return OrderStatus.CANCELLED in TRANSITIONS.get(OrderStatus(status), frozenset())


def is_paid(status: str) -> bool:
    return status in (S.PAID, S.FULFILLED, S.SHIPPED, S.DELIVERED)


def format_number(prefix: str, sequence: int) -> str:
    """Human-friendly order number a shopper can read out on the phone: "SK-10042"."""
    return f"{prefix}-{sequence}"


@dataclass(frozen=True)
class OrderLine:
    variant_id: str
    product_id: str
    title: str
    variant_title: str | None
    quantity: int
    unit_price: Money
    total: Money
    discount: Money
    sku: str | None = None
    image_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "variant_id": self.variant_id, "product_id": self.product_id, "title": self.title,
            "variant_title": self.variant_title, "quantity": self.quantity,
            "unit_price_minor": self.unit_price.amount_minor, "total_minor": self.total.amount_minor,
            "discount_minor": self.discount.amount_minor, "currency": self.total.currency,
            "sku": self.sku, "image_url": self.image_url,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> OrderLine:
        cur = str(d["currency"])
        return cls(
            variant_id=d["variant_id"], product_id=d["product_id"], title=d["title"],
            variant_title=d.get("variant_title"), quantity=int(d["quantity"]),
            unit_price=Money(int(d["unit_price_minor"]), cur), total=Money(int(d["total_minor"]), cur),
            discount=Money(int(d.get("discount_minor", 0)), cur), sku=d.get("sku"),
            image_url=d.get("image_url"),
        )


@dataclass(frozen=True)
class OrderTotals:
    subtotal: Money
    discount: Money
    shipping: Money
    tax: Money
    total: Money
    tax_inclusive: bool
    tax_rate: str = "0"
    shipping_method_id: str | None = None
    shipping_method_name: str | None = None
    discount_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "currency": self.total.currency, "subtotal_minor": self.subtotal.amount_minor,
            "discount_minor": self.discount.amount_minor, "shipping_minor": self.shipping.amount_minor,
            "tax_minor": self.tax.amount_minor, "total_minor": self.total.amount_minor,
            "tax_inclusive": self.tax_inclusive, "tax_rate": self.tax_rate,
            "shipping_method_id": self.shipping_method_id,
            "shipping_method_name": self.shipping_method_name, "discount_code": self.discount_code,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> OrderTotals:
        cur = str(d["currency"])

        def m(key: str) -> Money:
            return Money(int(d[key]), cur)

        return cls(
            subtotal=m("subtotal_minor"), discount=m("discount_minor"), shipping=m("shipping_minor"),
            tax=m("tax_minor"), total=m("total_minor"), tax_inclusive=bool(d["tax_inclusive"]),
            tax_rate=str(d.get("tax_rate", "0")), shipping_method_id=d.get("shipping_method_id"),
            shipping_method_name=d.get("shipping_method_name"), discount_code=d.get("discount_code"),
        )


@dataclass(frozen=True)
class NewOrder:
    """What checkout hands over to create an order: an immutable snapshot."""

    customer_id: str
    conversation_id: str | None
    cart_id: str | None
    lines: list[OrderLine]
    totals: OrderTotals
    contact: dict[str, Any]
    shipping_address: dict[str, Any]
    order_id: str | None = None


@dataclass(frozen=True)
class StatusChange:
    from_status: str | None
    to_status: str
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class OrderView:
    id: str
    number: str
    status: str
    customer_id: str
    conversation_id: str | None
    lines: list[OrderLine]
    totals: OrderTotals
    shipping_address: dict[str, Any]
    tracking_url: str | None
    created_at: datetime
    contact: dict[str, Any] = field(default_factory=dict)
    payment_id: str | None = None
    cart_id: str | None = None
    cancel_reason: str | None = None
    history: list[StatusChange] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.totals.total.currency

    @property
    def can_cancel(self) -> bool:
        return can_cancel(self.status)

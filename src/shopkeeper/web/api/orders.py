"""Shopper order endpoints: list mine, read one, cancel while unfulfilled.

Someone else's order is a 404, never a 403, so order ids cannot be probed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from shopkeeper import orders
from shopkeeper.kernel.money import Money
from shopkeeper.web.api.carts import LOCALE, MoneyOut
from shopkeeper.web.auth import current_shopper
from shopkeeper.web.deps import get_session

# scope="function": the transaction commits before the response is sent, so a failed commit is a
# 5xx, never a 200 for a change that was not saved (the default scope commits after sending)
TX = Depends(get_session, scope="function")
router = APIRouter(prefix="/api/v1/orders", tags=["orders"])


class OrderLineOut(BaseModel):
    variant_id: str
    product_id: str
    title: str
    variant_title: str | None
    quantity: int
    unit_price: MoneyOut
    total: MoneyOut
    image_url: str | None


class OrderTotalsOut(BaseModel):
    subtotal: MoneyOut
    discount: MoneyOut
    shipping: MoneyOut
    tax: MoneyOut
    total: MoneyOut
    tax_inclusive: bool
    tax_rate: str
    shipping_method_id: str | None
    shipping_method_name: str | None
    discount_code: str | None


class StatusChangeOut(BaseModel):
    from_status: str | None
    to_status: str
    reason: str | None
    at: datetime


class OrderOut(BaseModel):
    id: str
    number: str
    status: str
    can_cancel: bool
    lines: list[OrderLineOut]
    totals: OrderTotalsOut
    contact: dict[str, Any]
    shipping_address: dict[str, Any]
    tracking_url: str | None
    payment_id: str | None
    created_at: datetime
    history: list[StatusChangeOut]


def order_out(o: orders.OrderView, locale: str = "en") -> OrderOut:
    t = o.totals

    def m(money: Money) -> MoneyOut:
        return MoneyOut.of(money, locale)

    return OrderOut(
        id=o.id,
        number=o.number,
        status=o.status,
        can_cancel=o.can_cancel,
        lines=[
            OrderLineOut(
                variant_id=ln.variant_id,
                product_id=ln.product_id,
                title=ln.title,
                variant_title=ln.variant_title,
                quantity=ln.quantity,
                unit_price=m(ln.unit_price),
                total=m(ln.total),
                image_url=ln.image_url,
            )
            for ln in o.lines
        ],
        totals=OrderTotalsOut(
            subtotal=m(t.subtotal),
            discount=m(t.discount),
            shipping=m(t.shipping),
            tax=m(t.tax),
            total=m(t.total),
            tax_inclusive=t.tax_inclusive,
            tax_rate=t.tax_rate,
            shipping_method_id=t.shipping_method_id,
            shipping_method_name=t.shipping_method_name,
            discount_code=t.discount_code,
        ),
        contact=o.contact,
        shipping_address=o.shipping_address,
        tracking_url=o.tracking_url,
        payment_id=o.payment_id,
        created_at=o.created_at,
        history=[
            StatusChangeOut(from_status=h.from_status, to_status=h.to_status, reason=h.reason, at=h.at)
            for h in o.history
        ],
    )


class CancelIn(BaseModel):
    reason: str = Field(default="cancelled by shopper", max_length=200)


@router.get("", response_model=list[OrderOut], summary="The shopper's orders, newest first")
def list_mine(
    shopper: str = Depends(current_shopper), locale: str = LOCALE, session: Session = TX
) -> list[OrderOut]:
    return [order_out(o, locale) for o in orders.list_orders(session, shopper)]


@router.get("/{order_id}", response_model=OrderOut, summary="One of the shopper's orders")
def get_order(
    order_id: str, shopper: str = Depends(current_shopper), locale: str = LOCALE, session: Session = TX
) -> OrderOut:
    return order_out(orders.access_order(session, order_id, shopper), locale)


@router.post("/{order_id}/cancel", response_model=OrderOut, summary="Cancel an order not yet fulfilled")
def cancel(
    order_id: str,
    body: CancelIn | None = None,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
) -> OrderOut:
    orders.access_order(session, order_id, shopper)
    reason = (body or CancelIn()).reason
    return order_out(orders.cancel_order(session, order_id, reason), locale)

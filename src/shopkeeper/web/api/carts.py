"""Shopper cart endpoints: open the cart, add/change/remove lines, apply or drop a discount code.

Thin: every rule lives in `shopkeeper.cart`/`checkout`; each cart is reachable only with its owner's
shopper token (someone else's cart is a 404). Totals shown are `checkout.quote`, as in the chat.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from shopkeeper import cart, checkout
from shopkeeper.bootstrap import Services
from shopkeeper.kernel.money import Money
from shopkeeper.web.auth import current_shopper
from shopkeeper.web.deps import get_services, get_session

# scope="function": the transaction commits before the response is sent, so a failed commit is a
# 5xx, never a 200 for a change that was not saved (the default scope commits after sending)
TX = Depends(get_session, scope="function")
router = APIRouter(prefix="/api/v1/carts", tags=["carts"])


def shopper_locale(accept_language: str | None = Header(default=None)) -> str:
    """The shopper's locale for formatted amounts, from Accept-Language (default en)."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().replace("-", "_")
        if not tag or tag == "*":
            continue
        try:
            return str(Locale.parse(tag))
        except (ValueError, UnknownLocaleError):
            continue
    return "en"


LOCALE = Depends(shopper_locale)


class MoneyOut(BaseModel):
    amount_minor: int
    currency: str
    text: str = Field(description="formatted for the shopper's Accept-Language")

    @classmethod
    def of(cls, money: Money, locale: str = "en") -> MoneyOut:
        return cls(amount_minor=money.amount_minor, currency=money.currency, text=money.format(locale))


class TotalsOut(BaseModel):
    subtotal: MoneyOut
    discount: MoneyOut
    shipping: MoneyOut
    tax: MoneyOut
    total: MoneyOut
    tax_inclusive: bool
    tax_rate: str
    tax_country: str | None
    discount_code: str | None
    shipping_method_id: str | None
    shipping_method_name: str | None
    notes: list[str]

    @classmethod
    def of(cls, t: checkout.Totals, locale: str = "en") -> TotalsOut:
        def m(money: Money) -> MoneyOut:
            return MoneyOut.of(money, locale)

        return cls(
            subtotal=m(t.subtotal),
            discount=m(t.discount),
            shipping=m(t.shipping),
            tax=m(t.tax),
            total=m(t.total),
            tax_inclusive=t.tax_inclusive,
            tax_rate=str(t.tax_rate),
            tax_country=t.tax_country,
            discount_code=t.discount_code,
            shipping_method_id=t.shipping_method_id,
            shipping_method_name=t.shipping_method_name,
            notes=t.notes,
        )


class LineOut(BaseModel):
    id: str
    variant_id: str
    product_id: str
    title: str
    variant_title: str | None
    quantity: int
    unit_price: MoneyOut
    total: MoneyOut
    image_url: str | None
    price_changed: bool


class CartOut(BaseModel):
    id: str
    status: str
    currency: str
    version: int = Field(description="send back as expected_version to refuse stale changes")
    discount_code: str | None
    item_count: int
    lines: list[LineOut]
    totals: TotalsOut = Field(description="checkout.quote without a destination (tax estimated)")


def cart_out(session: Session, view: cart.CartView, locale: str = "en") -> CartOut:
    return CartOut(
        id=view.id,
        status=view.status,
        currency=view.currency,
        version=view.version,
        discount_code=view.discount_code,
        item_count=view.item_count,
        lines=[
            LineOut(
                id=ln.id,
                variant_id=ln.variant_id,
                product_id=ln.product_id,
                title=ln.title,
                variant_title=ln.variant_title,
                quantity=ln.quantity,
                unit_price=MoneyOut.of(ln.unit_price, locale),
                total=MoneyOut.of(ln.total, locale),
                image_url=ln.image_url,
                price_changed=ln.price_changed,
            )
            for ln in view.lines
        ],
        totals=TotalsOut.of(checkout.quote_cart(session, view), locale),
    )


class OpenCartIn(BaseModel):
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    conversation_id: str | None = None


class AddLineIn(BaseModel):
    variant_id: str
    quantity: int = Field(default=1, ge=1, le=cart.MAX_LINE_QUANTITY)
    expected_version: int | None = None


class SetQuantityIn(BaseModel):
    quantity: int = Field(ge=0, le=cart.MAX_LINE_QUANTITY, description="0 removes the line")
    expected_version: int | None = None


class DiscountIn(BaseModel):
    code: str = Field(min_length=1, max_length=40)
    expected_version: int | None = None


@router.post("", response_model=CartOut, summary="Open (or get) the shopper's one open cart")
def open_cart(
    body: OpenCartIn | None = None,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
    services: Services = Depends(get_services),
) -> CartOut:
    body = body or OpenCartIn()
    currency = (body.currency or services.settings.currency).upper()
    return cart_out(session, cart.open_cart(session, shopper, currency, body.conversation_id), locale)


@router.get("/{cart_id}", response_model=CartOut, summary="A cart of the shopper")
def get_cart(
    cart_id: str, shopper: str = Depends(current_shopper), locale: str = LOCALE, session: Session = TX
) -> CartOut:
    return cart_out(session, cart.access_cart(session, cart_id, shopper), locale)


@router.post("/{cart_id}/lines", response_model=CartOut, summary="Add units of a variant")
def add_line(
    cart_id: str,
    body: AddLineIn,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
) -> CartOut:
    cart.access_cart(session, cart_id, shopper)
    view = cart.add_item(
        session, cart_id, body.variant_id, body.quantity, expected_version=body.expected_version
    )
    return cart_out(session, view, locale)


@router.patch("/{cart_id}/lines/{line_id}", response_model=CartOut, summary="Change a line's quantity")
def set_quantity(
    cart_id: str,
    line_id: str,
    body: SetQuantityIn,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
) -> CartOut:
    cart.access_cart(session, cart_id, shopper)
    view = cart.set_quantity(session, cart_id, line_id, body.quantity, expected_version=body.expected_version)
    return cart_out(session, view, locale)


@router.delete("/{cart_id}/lines/{line_id}", response_model=CartOut, summary="Remove a line")
def remove_line(
    cart_id: str,
    line_id: str,
    expected_version: int | None = None,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
) -> CartOut:
    cart.access_cart(session, cart_id, shopper)
    return cart_out(
        session, cart.remove_line(session, cart_id, line_id, expected_version=expected_version), locale
    )


@router.put("/{cart_id}/discount", response_model=CartOut, summary="Apply a discount code")
def apply_discount(
    cart_id: str,
    body: DiscountIn,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
) -> CartOut:
    cart.access_cart(session, cart_id, shopper)
    view = cart.apply_discount(session, cart_id, body.code, shopper, expected_version=body.expected_version)
    return cart_out(session, view, locale)


@router.delete("/{cart_id}/discount", response_model=CartOut, summary="Remove the discount code")
def remove_discount(
    cart_id: str,
    expected_version: int | None = None,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
) -> CartOut:
    cart.access_cart(session, cart_id, shopper)
    return cart_out(
        session, cart.remove_discount(session, cart_id, expected_version=expected_version), locale
    )

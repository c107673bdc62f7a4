"""Shopper checkout endpoints: shipping options and quote for a destination, validate the form,
place the order, start the payment. All totals come from `checkout.quote`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from shopkeeper import cart, checkout, orders
from shopkeeper.bootstrap import Services
from shopkeeper.web.api.carts import LOCALE, MoneyOut, TotalsOut
from shopkeeper.web.api.orders import OrderOut, order_out
from shopkeeper.web.auth import current_shopper
from shopkeeper.web.deps import get_services, get_session

# scope="function": the transaction commits before the response is sent, so a failed commit is a
# 5xx, never a 200 for a change that was not saved (the default scope commits after sending)
TX = Depends(get_session, scope="function")
router = APIRouter(prefix="/api/v1/checkout", tags=["checkout"])


class ShippingOptionOut(BaseModel):
    id: str
    name: str
    price: MoneyOut
    eta_days: tuple[int, int]
    carrier: str | None


class ContactIn(BaseModel):
    name: str
    email: str | None = None
    phone: str | None = None


class AddressIn(BaseModel):
    name: str | None = Field(default=None, description="recipient; defaults to the contact name")
    line1: str
    line2: str | None = None
    city: str
    postcode: str | None = None
    region: str | None = Field(default=None, description="state/province code, required for US")
    country: str = Field(description="ISO code or name: DE, Poland, Slovakia, UK…")


class CheckoutIn(BaseModel):
    contact: ContactIn
    address: AddressIn


class PlaceOrderIn(CheckoutIn):
    shipping_method_id: str
    expected_version: int | None = None


class ValidatedOut(BaseModel):
    contact: dict[str, str | None]
    address: dict[str, str | None]
    address_text: str


class PaymentIn(BaseModel):
    return_url: str | None = None


class PaymentOut(BaseModel):
    id: str
    url: str
    amount: MoneyOut
    methods: list[str]
    status: str


def _validate(body: CheckoutIn) -> tuple[checkout.Contact, checkout.Address]:
    """Both parts checked at once, so the shopper sees every field to correct in one go."""
    a = body.address
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    contact = address = None
    try:
        contact = checkout.validate_contact(
            body.contact.name, body.contact.email, body.contact.phone, a.country
        )
    except checkout.ValidationFailed as exc:
        errors.update({f"contact.{k}": v for k, v in exc.errors.items()})
        codes.update({f"contact.{k}": v for k, v in exc.codes.items()})
    try:
        address = checkout.validate_address(
            a.name or body.contact.name,
            a.line1,
            a.city,
            a.postcode,
            a.country,
            line2=a.line2,
            region=a.region,
        )
    except checkout.ValidationFailed as exc:
        errors.update({f"address.{k}": v for k, v in exc.errors.items()})
        codes.update({f"address.{k}": v for k, v in exc.codes.items()})
    if contact is None or address is None:
        raise checkout.ValidationFailed(errors, codes)
    return contact, address


def _destination(country: str, postcode: str | None, region: str | None) -> checkout.Destination:
    return checkout.Destination(country.upper(), postcode, region.upper() if region else None)


def _owned(session: Session, cart_id: str, shopper: str) -> cart.CartView:
    return cart.access_cart(session, cart_id, shopper)


@router.get(
    "/{cart_id}/shipping-options",
    response_model=list[ShippingOptionOut],
    summary="Shipping methods and prices to a destination, cheapest first",
)
def shipping_options(
    cart_id: str,
    country: str,
    postcode: str | None = None,
    region: str | None = None,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
) -> list[ShippingOptionOut]:
    _owned(session, cart_id, shopper)
    return [
        ShippingOptionOut(
            id=o.id, name=o.name, price=MoneyOut.of(o.price, locale), eta_days=o.eta_days, carrier=o.carrier
        )
        for o in checkout.shipping_options(session, cart_id, _destination(country, postcode, region))
    ]


@router.get(
    "/{cart_id}/quote",
    response_model=TotalsOut,
    summary="Totals with shipping and tax for a destination (the same numbers the chat shows)",
)
def quote(
    cart_id: str,
    country: str | None = None,
    postcode: str | None = None,
    region: str | None = None,
    shipping_method_id: str | None = None,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
) -> TotalsOut:
    _owned(session, cart_id, shopper)
    dest = _destination(country, postcode, region) if country else None
    return TotalsOut.of(checkout.quote(session, cart_id, dest, shipping_method_id), locale)


@router.post(
    "/{cart_id}/validate",
    response_model=ValidatedOut,
    summary="Check contact and address; 422 lists a message per field",
)
def validate(
    cart_id: str, body: CheckoutIn, shopper: str = Depends(current_shopper), session: Session = TX
) -> ValidatedOut:
    _owned(session, cart_id, shopper)
    contact, address = _validate(body)
    return ValidatedOut(
        contact={"name": contact.name, "email": contact.email, "phone": contact.phone},
        address=address.to_json(),
        address_text=address.one_line(),
    )


@router.post(
    "/{cart_id}/orders",
    response_model=OrderOut,
    status_code=status.HTTP_201_CREATED,
    summary="Place the order: stock reserved, awaiting payment",
)
def place_order(
    cart_id: str,
    body: PlaceOrderIn,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
) -> OrderOut:
    _owned(session, cart_id, shopper)
    contact, address = _validate(body)
    order = checkout.place_order(
        session, cart_id, contact, address, body.shipping_method_id, expected_version=body.expected_version
    )
    return order_out(order, locale)


@router.post(
    "/orders/{order_id}/payment",
    response_model=PaymentOut,
    summary="Start paying an order: returns the hosted payment page URL",
)
def start_payment(
    order_id: str,
    body: PaymentIn | None = None,
    shopper: str = Depends(current_shopper),
    locale: str = LOCALE,
    session: Session = TX,
    services: Services = Depends(get_services),
) -> PaymentOut:
    orders.access_order(session, order_id, shopper)
    return_url = (body.return_url if body else None) or f"{services.settings.base_url}/?order={order_id}"
    view = checkout.start_payment(session, order_id, services.payment_provider, return_url)
    return PaymentOut(
        id=view.id,
        url=view.url,
        amount=MoneyOut.of(view.amount, locale),
        methods=list(view.methods),
        status=view.status,
    )

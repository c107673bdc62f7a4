"""Checkout use cases: quote (THE totals function), shipping options, place an order, start paying.

`quote` is what chat, API and payment all call, so a price or total the bot states is exactly what
checkout charges. `place_order` reserves stock and snapshots lines and totals in one savepoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from shopkeeper import cart as carts
from shopkeeper import inventory, orders, payments
from shopkeeper.checkout.config import CheckoutConfig, load_config
from shopkeeper.checkout.errors import CartEmpty, CheckoutError, OrderNotPayable, ShippingUnavailable
from shopkeeper.checkout.listeners import settle_paid
from shopkeeper.checkout.model import (
    Destination,
    ShippingOption,
    Totals,
    TotalsLine,
    compute_totals,
    options_for,
)
from shopkeeper.checkout.validation import Address, Contact
from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.money import Money


@dataclass
class _Active:
    config: CheckoutConfig | None = None


_active = _Active()


def configure(config: CheckoutConfig) -> None:
    """Make `config` the merchant configuration every quote uses (set once at start-up)."""
    _active.config = config


def current_config() -> CheckoutConfig:
    if _active.config is None:
        _active.config = load_config()
    return _active.config


def _lines(cart: carts.CartView) -> list[TotalsLine]:
    return [
        TotalsLine(ln.id, ln.variant_id, ln.product_id, ln.title, ln.variant_title, ln.quantity,
                   ln.unit_price, ln.total, Money.zero(cart.currency), ln.sku, ln.image_url)
        for ln in cart.lines
    ]


def _discount(
    session: Session, cart: carts.CartView, strict: bool, notes: list[str]
) -> tuple[Money, str | None]:
    zero = Money.zero(cart.currency)
    if not cart.discount_code:
        return zero, None
    try:
        off = carts.evaluate_discount(session, cart.discount_code, cart.subtotal, cart.customer_id)
    except carts.DiscountError as exc:
        if strict:
            raise
        notes.append(f"{exc}; it is not applied")
        return zero, None
    return off, cart.discount_code


def _pick_option(options: list[ShippingOption], method_id: str | None, dest: Destination,
                 strict: bool, notes: list[str]) -> ShippingOption | None:
    if method_id:
        chosen = next((o for o in options if o.id == method_id), None)
        if chosen is None:
            raise ShippingUnavailable(f"shipping method {method_id} is not available to {dest.country}")
        return chosen
    if options:
        notes.append(f"cheapest shipping assumed: {options[0].name}")
        return options[0]
    if strict:
        raise ShippingUnavailable(f"we do not ship this cart to {dest.country}")
    notes.append(f"we do not ship this cart to {dest.country}")
    return None


def _check_currency(cfg: CheckoutConfig, cart: carts.CartView) -> None:
    if cart.currency != cfg.currency:
        raise CheckoutError(f"checkout is configured in {cfg.currency}, the cart is in {cart.currency}")


def quote(session: Session, cart_id: str, destination: Destination | None = None,
          shipping_method_id: str | None = None, *, strict: bool = False) -> Totals:
    """Totals of the cart now: current catalog prices, its discount code, shipping and tax.

    Without a destination, tax is estimated for the shop's default country and shipping is left
    out. `strict` (used when placing the order) raises instead of noting a dropped discount or a
    destination we cannot ship to.
    """
    return _quote_cart(session, carts.get_cart(session, cart_id), destination, shipping_method_id, strict)


def quote_cart(session: Session, cart: carts.CartView, destination: Destination | None = None,
               shipping_method_id: str | None = None) -> Totals:
    """`quote` for a cart view the caller already holds (saves reading the cart twice)."""
    return _quote_cart(session, cart, destination, shipping_method_id, False)


def _quote_cart(session: Session, cart: carts.CartView, destination: Destination | None,
                shipping_method_id: str | None, strict: bool) -> Totals:
    cfg = current_config()
    _check_currency(cfg, cart)
    notes = [f"{vid} is no longer sold and was left out" for vid in cart.unavailable]
    notes += [
        f"the price of {ln.title} changed from {ln.price_when_added} to {ln.unit_price}"
        for ln in cart.lines if ln.price_changed
    ]
    discount, code = _discount(session, cart, strict, notes)
    goods = cart.subtotal - discount
    option: ShippingOption | None = None
    if destination is not None:
        options = options_for(cfg.zones, destination, goods, cart.weight_g)
        option = _pick_option(options, shipping_method_id, destination, strict, notes)
    elif shipping_method_id:  # a method without an address: priced by its own rule, tax estimated
        method = cfg.method(shipping_method_id)
        price = method.cost(goods, cart.weight_g) if method else None
        if method is None or price is None:
            raise ShippingUnavailable(f"shipping method {shipping_method_id} cannot carry this cart")
        option = ShippingOption(method.id, method.name, price, method.eta_days, "", method.carrier)
        notes.append(f"tax estimated for {cfg.default_country}")
    else:
        notes.append(f"tax estimated for {cfg.default_country}; shipping is added at checkout")
    country = destination.country.upper() if destination else cfg.default_country
    tax_rule = cfg.tax_rule(country)
    if tax_rule is None:
        notes.append(f"no tax is configured for {country}")
    return compute_totals(
        _lines(cart), cart.currency, discount=discount, shipping=option.price if option else None,
        tax_rule=tax_rule, region=destination.region if destination else None, notes=notes,
        discount_code=code, shipping_method=option,
    )


def shipping_options(session: Session, cart_id: str, destination: Destination) -> list[ShippingOption]:
    """What it costs to send this cart there, per method, cheapest first (empty: we don't ship there)."""
    cfg = current_config()
    cart = carts.get_cart(session, cart_id)
    _check_currency(cfg, cart)
    discount, _ = _discount(session, cart, False, [])
    return options_for(cfg.zones, destination, cart.subtotal - discount, cart.weight_g)


def _contact_json(contact: Contact) -> dict[str, Any]:
    return {"name": contact.name, "email": contact.email, "phone": contact.phone}


def _order_lines(totals: Totals) -> list[orders.OrderLine]:
    return [
        orders.OrderLine(
            variant_id=ln.variant_id, product_id=ln.product_id, title=ln.title,
            variant_title=ln.variant_title, quantity=ln.quantity, unit_price=ln.unit_price,
            total=ln.total, discount=ln.discount, sku=ln.sku, image_url=ln.image_url,
        )
        for ln in totals.lines
    ]


def _order_totals(totals: Totals) -> orders.OrderTotals:
    return orders.OrderTotals(
        subtotal=totals.subtotal, discount=totals.discount, shipping=totals.shipping, tax=totals.tax,
        total=totals.total, tax_inclusive=totals.tax_inclusive, tax_rate=str(totals.tax_rate),
        shipping_method_id=totals.shipping_method_id, shipping_method_name=totals.shipping_method_name,
        discount_code=totals.discount_code,
    )


def place_order(session: Session, cart_id: str, contact: Contact, address: Address,
                shipping_method_id: str, *, expected_version: int | None = None,
                reservation_minutes: int | None = None) -> orders.OrderView:
    """Turn the cart into an order awaiting payment: stock reserved, totals frozen, cart closed.

    Raises OutOfStock (nothing is kept), a DiscountError if the code no longer holds, or
    ShippingUnavailable; on any error the savepoint leaves the database as it was.
    """
    cfg = current_config()
    cart = carts.get_cart(session, cart_id)
    if cart.status != "open":
        raise carts.CartClosed(f"cart {cart_id} is {cart.status}")
    if expected_version is not None and cart.version != expected_version:
        raise carts.VersionConflict(cart_id, expected_version, cart.version)
    if not cart.lines:
        raise CartEmpty("the cart is empty")
    dest = Destination(address.country, address.postcode, address.region)
    totals = _quote_cart(session, cart, dest, shipping_method_id, strict=True)
    order_id = new_id("ord")
    with session.begin_nested():
        # stock first: a buyer who loses the race for the last units never takes an order number
        inventory.reserve(session, order_id, [(ln.variant_id, ln.quantity) for ln in cart.lines],
                          cfg.reservation_minutes if reservation_minutes is None else reservation_minutes)
        order = orders.create_order(session, orders.NewOrder(
            order_id=order_id, customer_id=cart.customer_id, conversation_id=cart.conversation_id,
            cart_id=cart.id, lines=_order_lines(totals), totals=_order_totals(totals),
            contact=_contact_json(contact), shipping_address=address.to_json(),
        ), number_prefix=cfg.order_number_prefix)
        # the cart must be exactly what was quoted: a line added meanwhile fails the whole placement
        carts.mark_checked_out(session, cart_id, order_id, expected_version=cart.version)
        if order.totals.total.is_zero():  # fully discounted: nothing to pay, so it is paid now
            settle_paid(session, order, None)
            order = orders.get_order(session, order_id)
    return order


def start_payment(session: Session, order_id: str, provider: payments.PaymentProvider, return_url: str,
                  *, methods: list[str] | None = None, language: str | None = None) -> payments.PaymentView:
    """Ask the payment provider for a hosted payment of the order's frozen total (reference = order id)."""
    order = orders.get_order(session, order_id)
    if order.status != orders.OrderStatus.AWAITING_PAYMENT:
        raise OrderNotPayable(f"order {order.number} is {order.status}, not awaiting payment")
    # the payment page must not outlive the stock hold, or a shopper could pay for units let go
    held_until = inventory.hold_expires_at(session, order.id)
    minutes = int((held_until - utcnow()).total_seconds() // 60) if held_until else 0
    if minutes < 1:
        raise OrderNotPayable(f"the reservation for order {order.number} has run out; please order again")
    view = payments.create_payment(
        session, provider, order.totals.total, order.id, f"Order {order.number}",
        order.contact.get("email"), return_url, methods, language=language, ttl_minutes=minutes,
    )
    orders.attach_payment(session, order.id, view.id)
    return view

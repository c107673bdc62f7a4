"""Builds the canonical rich parts (product cards, cart and order summaries) from catalog, cart,
checkout and order views — every price and stock figure comes from those packages, never made up."""

from __future__ import annotations

from typing import Any

from shopkeeper.bots import formatting as fmt
from shopkeeper.bots.phrases import t
from shopkeeper.channels.messages import Button, CartLine, CartSummary, OrderSummary, ProductCard
from shopkeeper.kernel.money import Money

LOW_STOCK = 3


def stock_text(units: int, language: str) -> str:
    if units <= 0:
        return t(language, "stock_none")
    if units <= LOW_STOCK:
        return t(language, "stock_few", n=fmt.number(units, language))
    return t(language, "stock_many", n=fmt.number(units, language))


def cheapest_variant(view: Any) -> Any:
    return min(view.variants, key=lambda v: v.price.amount_minor)


def product_card(view: Any, stock: dict[str, int], language: str, position: int | None = None) -> ProductCard:
    """A card for a catalog ProductView; `stock` maps variant id → units free now."""
    cheapest = cheapest_variant(view)
    units = sum(max(0, stock.get(v.id, 0)) for v in view.variants)
    buttons = [Button(title=t(language, "btn_details"), payload=f"/product {view.id}")]
    if len(view.variants) == 1 and units > 0:
        buttons.append(Button(title=t(language, "btn_add"), payload=f"/add {cheapest.id}"))
    prices = {v.price.amount_minor for v in view.variants}
    price_text = fmt.money(cheapest.price, language)
    if len(prices) > 1:
        price_text = t(language, "price_from", price=price_text)
    subtitle = " · ".join(x for x in (view.brand, view.category) if x) or None
    return ProductCard(
        product_id=view.id,
        title=view.title,
        subtitle=subtitle,
        image_url=view.images[0] if view.images else None,
        price_minor=cheapest.price.amount_minor,
        currency=cheapest.price.currency,
        price_text=price_text,
        compare_at_text=fmt.money(cheapest.compare_at, language) if cheapest.compare_at else None,
        rating=round(float(view.rating), 1) if view.rating is not None else None,
        review_count=view.review_count,
        in_stock=units > 0,
        stock_text=stock_text(units, language),
        buttons=buttons,
        position=position,
    )


def _line(ln: Any, language: str) -> CartLine:
    return CartLine(
        line_id=ln.id if hasattr(ln, "id") else ln.variant_id,
        title=ln.title,
        variant_title=ln.variant_title,
        quantity=ln.quantity,
        unit_price_text=fmt.money(ln.unit_price, language),
        total_minor=ln.total.amount_minor,
        total_text=fmt.money(ln.total, language),
        image_url=getattr(ln, "image_url", None),
    )


def cart_summary(cart: Any, totals: Any, language: str) -> CartSummary:
    """The cart with the one totals function's figures (checkout.quote)."""
    discount = totals.discount if totals.discount and not totals.discount.is_zero() else None
    tax_key = "tax_included" if totals.tax_inclusive else "tax_added"
    buttons = [Button(title=t(language, "btn_checkout"), payload="/checkout")] if cart.lines else []
    return CartSummary(
        cart_id=cart.id,
        lines=[_line(ln, language) for ln in cart.lines],
        currency=cart.currency,
        subtotal_minor=totals.subtotal.amount_minor,
        subtotal_text=fmt.money(totals.subtotal, language),
        discount_text=(f"-{fmt.money(discount, language)} ({cart.discount_code})" if discount else None),
        shipping_text=fmt.money(totals.shipping, language) if totals.shipping is not None else None,
        tax_text=t(language, tax_key, tax=fmt.money(totals.tax, language)),
        total_minor=totals.total.amount_minor,
        total_text=fmt.money(totals.total, language),
        buttons=buttons,
    )


def status_text(status: str, language: str) -> str:
    return t(language, f"status_{status}")


def order_summary(order: Any, language: str) -> OrderSummary:
    total: Money = order.totals.total
    address = order.shipping_address or {}
    one_line = (
        ", ".join(str(address[k]) for k in ("name", "line1", "postcode", "city", "country") if address.get(k))
        or None
    )
    buttons = (
        [Button(title=t(language, "btn_cancel_order"), payload=f"/cancel_order {order.id}")]
        if order.can_cancel
        else []
    )
    return OrderSummary(
        order_id=order.id,
        number=order.number,
        status=str(order.status),
        status_text=status_text(str(order.status), language),
        lines=[_line(ln, language) for ln in order.lines],
        currency=total.currency,
        total_minor=total.amount_minor,
        total_text=fmt.money(total, language),
        shipping_address=one_line,
        tracking_url=order.tracking_url,
        buttons=buttons,
    )

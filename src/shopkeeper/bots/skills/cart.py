"""The cart in chat: add (by button or by words), change quantity, remove, show it with the one
totals function's figures, apply a discount code, and a cross-sell suggestion after adding."""

from __future__ import annotations

from typing import Any

from shopkeeper import cart, catalog, checkout, inventory
from shopkeeper.bots.cards import cart_summary, product_card
from shopkeeper.bots.dialogue import Dialogue
from shopkeeper.bots.skills import product
from shopkeeper.channels.messages import Carousel
from shopkeeper.kernel.errors import DomainError


def _quantity(d: Dialogue, default: int = 1) -> int:
    q = d.entity("quantity")
    return int(q) if isinstance(q, int) and 0 <= q <= 99 else default


def add(d: Dialogue) -> None:
    """Add by words: "the second one in M", "two of the blue one", "add it"."""
    product_id = product.target_product(d)
    if not product_id:
        d.say("cart_add_which")
        return
    view = product.view_of(d, product_id)
    if view is None:
        d.say("product_which")
        return
    variant = product.choose_variant(d, view)
    if variant is not None:
        add_variant(d, variant.id, _quantity(d))


def add_variant(d: Dialogue, variant_id: str, quantity: int = 1) -> None:
    try:
        variant = catalog.get_variant(d.session, variant_id)
    except catalog.ProductNotFound:
        d.say("product_which")
        return
    cart_id = d.cart_id()
    try:
        view = cart.add_item(d.session, cart_id, variant_id, max(1, quantity))
    except inventory.OutOfStock as exc:
        d.say("cart_out_of_stock", title=variant.product_title, available=getattr(exc, "available", 0))
        return
    except DomainError as exc:
        d.say("cart_error", reason=exc.code)
        return
    d.focus(variant.product_id, variant.id)
    label = variant.product_title + (f" ({variant.title})" if variant.title else "")
    d.say("cart_added", quantity=max(1, quantity), title=label)
    show(d, view)
    d.track(
        "added_to_cart",
        {"product_id": variant.product_id, "variant_id": variant.id},
    )
    _cross_sell(d, variant.product_id, view)
    d.state["last_skill"] = "cart"


def _cross_sell(d: Dialogue, product_id: str, view: Any) -> None:
    in_cart = [ln.product_id for ln in view.lines]
    ids = d.recommended("for_cart", in_cart, limit=3) or d.recommended("also_bought", product_id, limit=3)
    found = catalog.get_products(d.session, [i for i in ids if i not in in_cart])  # one read for all
    views = [catalog.localized(v, d.lang) for v in found][:2]
    if views:
        stock = inventory.available(d.session, [v.id for pv in views for v in pv.variants])
        d.say("cart_cross_sell")
        d.add(Carousel(cards=[product_card(v, stock, d.lang) for v in views]))


def show(d: Dialogue, view: Any | None = None) -> None:
    view = view or cart.get_cart(d.session, d.cart_id())
    if not view.lines:
        d.say("cart_empty")
        return
    totals = checkout.quote(d.session, view.id)
    d.add(cart_summary(view, totals, d.lang))


def _line(d: Dialogue, view: Any) -> Any | None:
    if not view.lines:
        return None
    ordinal = d.entity("ordinal")
    if isinstance(ordinal, int) and 1 <= ordinal <= len(view.lines):
        return view.lines[ordinal - 1]
    low = d.text.lower()
    for ln in view.lines:
        if ln.title.lower() in low or any(w in low for w in ln.title.lower().split() if len(w) > 4):
            return ln
    focus = d.focus_variant
    for ln in view.lines:
        if ln.variant_id == focus or ln.product_id == d.focus_product:
            return ln
    return view.lines[-1] if len(view.lines) == 1 else None


def remove(d: Dialogue, line_id: str | None = None) -> None:
    view = cart.get_cart(d.session, d.cart_id())
    line = next((ln for ln in view.lines if ln.id == line_id), None) if line_id else _line(d, view)
    if line is None:
        d.say("cart_which_line")
        show(d, view)
        return
    view = cart.remove_line(d.session, view.id, line.id)
    d.say("cart_removed", title=line.title)
    show(d, view)


def change_quantity(d: Dialogue) -> None:
    view = cart.get_cart(d.session, d.cart_id())
    line = _line(d, view) or (view.lines[-1] if view.lines else None)
    quantity = d.entity("quantity")
    if line is None or not isinstance(quantity, int):
        d.say("cart_which_quantity")
        return
    try:
        view = cart.set_quantity(d.session, view.id, line.id, quantity)
    except inventory.OutOfStock as exc:
        d.say("cart_out_of_stock", title=line.title, available=getattr(exc, "available", 0))
        return
    except DomainError as exc:
        d.say("cart_error", reason=exc.code)
        return
    d.say("cart_quantity_set", title=line.title, quantity=quantity)
    show(d, view)


def apply_discount(d: Dialogue) -> None:
    code = d.entity("discount_code")
    if not isinstance(code, str):
        d.say("discount_which")
        return
    cart_id = d.cart_id()
    try:
        view = cart.apply_discount(d.session, cart_id, code, d.ctx.customer_id)
    except DomainError as exc:
        key = f"discount_{exc.code.removeprefix('discount_')}"
        d.say(key if key in _DISCOUNT_ERRORS else "discount_invalid", code=code.upper())
        return
    d.say("discount_applied", code=view.discount_code or code.upper())
    show(d, view)


_DISCOUNT_ERRORS = {"discount_invalid", "discount_expired", "discount_min_subtotal", "discount_used_up"}

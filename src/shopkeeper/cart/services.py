"""Cart use cases: the one open cart per customer, its lines, and discount codes.

Prices: a line remembers the price it was added at only to tell the shopper it changed; every
view and quote prices lines at the catalog's current price, because checkout must charge what the
merchant sells for now (a stale snapshot would honour an old price or hide a new sale), and the
order snapshots the price at placement. Every change bumps `version` (optimistic concurrency).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopkeeper import inventory
from shopkeeper.cart.errors import (
    CartClosed,
    CartNotFound,
    CurrencyMismatch,
    DiscountInvalid,
    LineNotFound,
    VariantNotFound,
    VersionConflict,
)
from shopkeeper.cart.model import (
    CartView,
    DiscountRule,
    DiscountUsage,
    LineView,
    apply_rule,
    check_quantity,
    normalize_code,
)
from shopkeeper.cart.store import CHECKED_OUT, OPEN, Cart, CartLine, DiscountCode, DiscountRedemption
from shopkeeper.cart.variants import find_variant
from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.memo import TransactionMemo
from shopkeeper.kernel.money import Money


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount or 0)


# -- reading ------------------------------------------------------------------------------------
# built once: chat turns run them, and building a statement costs about as much as running it
_LINES = (
    select(CartLine).where(CartLine.cart_id == bindparam("cart_id")).order_by(CartLine.added_at, CartLine.id)
)
_OPEN = select(Cart).where(Cart.customer_id == bindparam("customer_id"), Cart.status == OPEN)
_LINE_OF = select(CartLine).where(
    CartLine.cart_id == bindparam("cart_id"), CartLine.variant_id == bindparam("variant_id")
)


def _view(session: Session, cart: Cart, *, empty: bool = False) -> CartView:
    rows = [] if empty else session.scalars(_LINES, {"cart_id": cart.id}).all()
    lines: list[LineView] = []
    unavailable: list[str] = []
    for row in rows:
        v = find_variant(session, row.variant_id)
        if v is None or v.price.currency != cart.currency:
            unavailable.append(row.variant_id)
            continue
        lines.append(LineView(
            id=row.id, variant_id=row.variant_id, product_id=v.product_id, title=v.product_title,
            variant_title=v.title, quantity=row.quantity, unit_price=v.price,
            total=v.price * row.quantity, image_url=v.image_url, sku=v.sku, options=v.options,
            weight_g=v.weight_g, price_when_added=Money(row.price_minor_when_added, row.currency),
        ))
    return CartView(
        id=cart.id, customer_id=cart.customer_id, currency=cart.currency, lines=lines,
        discount_code=cart.discount_code, version=cart.version, conversation_id=cart.conversation_id,
        status=cart.status, unavailable=unavailable,
    )


# a payment webhook or a chat turn reads one cart several times (kernel/memo.py)
_VIEWS: TransactionMemo[CartView] = TransactionMemo("cart_views")


def _load(session: Session, cart_id: str) -> Cart:
    cart = session.get(Cart, cart_id, populate_existing=True)
    if cart is None:
        raise CartNotFound(cart_id)
    return cart


def get_cart(session: Session, cart_id: str) -> CartView:
    known = _VIEWS.get(session, cart_id)
    return known if known is not None else _VIEWS.remember(session, _view(session, _load(session, cart_id)))


def access_cart(session: Session, cart_id: str, customer_id: str) -> CartView:
    """The cart if it belongs to this customer; another shopper's cart is simply not found."""
    known = _VIEWS.get(session, cart_id)
    if known is not None and known.customer_id == customer_id:
        return known
    cart = session.get(Cart, cart_id, populate_existing=True)
    if cart is None or cart.customer_id != customer_id:
        raise CartNotFound(cart_id)
    return _VIEWS.remember(session, _view(session, cart))


def _known_open(session: Session, customer_id: str) -> CartView | None:
    return next(
        (v for v in _VIEWS.views(session).values() if v.customer_id == customer_id and v.status == OPEN), None
    )


def find_open_cart(session: Session, customer_id: str) -> CartView | None:
    known = _known_open(session, customer_id)
    if known is not None:
        return known
    cart = session.scalar(_OPEN, {"customer_id": customer_id})
    return _VIEWS.remember(session, _view(session, cart)) if cart else None


def open_cart(
    session: Session, customer_id: str, currency: str, conversation_id: str | None = None
) -> CartView:
    """The customer's one open cart, created if missing (a racing twin loses on the unique index)."""
    known = _known_open(session, customer_id)
    if known is not None and (not conversation_id or known.conversation_id == conversation_id):
        return known
    cart = session.scalar(_OPEN, {"customer_id": customer_id})
    if cart is None:
        now = utcnow()
        try:
            with session.begin_nested():
                cart = Cart(
                    id=new_id("crt"), customer_id=customer_id, conversation_id=conversation_id,
                    currency=currency.upper(), status=OPEN, version=1, created_at=now, updated_at=now,
                )
                session.add(cart)
            return _VIEWS.remember(session, _view(session, cart, empty=True))  # new: no lines to read
        except IntegrityError:
            cart = session.scalar(_OPEN, {"customer_id": customer_id})
            if cart is None:
                raise
    elif conversation_id and cart.conversation_id != conversation_id:
        cart.conversation_id = conversation_id  # the cart follows the shopper to their latest chat
        session.flush()
    return _VIEWS.remember(session, _view(session, cart))


# -- changing -----------------------------------------------------------------------------------
def _bump(session: Session, cart_id: str, expected_version: int | None, **values: Any) -> Cart:
    """Advance the version (row-locks the cart on PostgreSQL, so changes to one cart serialise)."""
    _VIEWS.forget(session, cart_id)
    cond = [Cart.id == cart_id, Cart.status == OPEN]
    if expected_version is not None:
        cond.append(Cart.version == expected_version)
    res = session.execute(
        update(Cart).where(*cond).values(version=Cart.version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if _rowcount(res) != 1:
        cart = _load(session, cart_id)
        if cart.status != OPEN:
            raise CartClosed(f"cart {cart_id} is {cart.status}")
        raise VersionConflict(cart_id, expected_version or 0, cart.version)
    return _load(session, cart_id)


def _check_stock(session: Session, variant_id: str, quantity: int) -> None:
    free = inventory.available(session, [variant_id])[variant_id]
    if free < quantity:
        raise inventory.OutOfStock(variant_id, quantity, free)


def add_item(session: Session, cart_id: str, variant_id: str, quantity: int = 1, *,
             expected_version: int | None = None) -> CartView:
    """Add units of a variant (merging with an existing line); checks stock is free right now."""
    check_quantity(quantity)
    cart = _bump(session, cart_id, expected_version)
    variant = find_variant(session, variant_id)
    if variant is None:
        raise VariantNotFound(variant_id)
    if variant.price.currency != cart.currency:
        raise CurrencyMismatch(
            f"{variant_id} is priced in {variant.price.currency}, the cart in {cart.currency}"
        )
    line = session.scalar(_LINE_OF, {"cart_id": cart_id, "variant_id": variant_id})
    new_quantity = quantity + (line.quantity if line else 0)
    check_quantity(new_quantity)
    _check_stock(session, variant_id, new_quantity)
    if line is None:
        session.add(CartLine(
            id=new_id("lin"), cart_id=cart_id, variant_id=variant_id, quantity=quantity,
            price_minor_when_added=variant.price.amount_minor, currency=variant.price.currency,
            added_at=utcnow(),
        ))
    else:
        line.quantity = new_quantity
    session.flush()
    return _VIEWS.remember(session, _view(session, cart))


def _line(session: Session, cart_id: str, line_id: str) -> CartLine:
    line = session.get(CartLine, line_id)
    if line is None or line.cart_id != cart_id:
        raise LineNotFound(line_id)
    return line


def set_quantity(session: Session, cart_id: str, line_id: str, quantity: int, *,
                 expected_version: int | None = None) -> CartView:
    """Set a line's quantity; 0 removes the line."""
    if quantity == 0:
        return remove_line(session, cart_id, line_id, expected_version=expected_version)
    check_quantity(quantity)
    cart = _bump(session, cart_id, expected_version)
    line = _line(session, cart_id, line_id)
    if quantity > line.quantity:
        _check_stock(session, line.variant_id, quantity)
    line.quantity = quantity
    session.flush()
    return _VIEWS.remember(session, _view(session, cart))


def remove_line(
    session: Session, cart_id: str, line_id: str, *, expected_version: int | None = None
) -> CartView:
    cart = _bump(session, cart_id, expected_version)
    session.delete(_line(session, cart_id, line_id))
    session.flush()
    return _VIEWS.remember(session, _view(session, cart))


def clear_cart(session: Session, cart_id: str) -> CartView:
    cart = _bump(session, cart_id, None)
    for line in session.scalars(select(CartLine).where(CartLine.cart_id == cart_id)).all():
        session.delete(line)
    session.flush()
    return _VIEWS.remember(session, _view(session, cart))


def mark_checked_out(session: Session, cart_id: str, order_id: str, *,
                     expected_version: int | None = None) -> None:
    """The cart became an order; the customer's next open_cart starts a fresh one."""
    _bump(session, cart_id, expected_version, status=CHECKED_OUT, order_id=order_id)


# -- discount codes -----------------------------------------------------------------------------
def _rule(row: DiscountCode) -> DiscountRule:
    cur = row.currency or "EUR"
    return DiscountRule(
        code=row.code, kind="percent" if row.kind == "percent" else "fixed",
        percent=Decimal(row.percent) if row.percent is not None else None,
        amount=Money(row.amount_minor, cur) if row.amount_minor is not None else None,
        min_subtotal=Money(row.min_subtotal_minor, cur) if row.min_subtotal_minor is not None else None,
        starts_at=row.starts_at, expires_at=row.expires_at, usage_limit=row.usage_limit,
        per_customer_limit=row.per_customer_limit, description=row.description, active=row.active,
    )


def save_discount_code(session: Session, rule: DiscountRule) -> None:
    """Create or update a merchant code from configuration; its usage count is kept."""
    code = normalize_code(rule.code)
    row = session.get(DiscountCode, code)
    if row is None:
        row = DiscountCode(code=code, times_used=0)
        session.add(row)
    row.kind = rule.kind
    row.percent = str(rule.percent) if rule.percent is not None else None
    row.amount_minor = rule.amount.amount_minor if rule.amount else None
    row.min_subtotal_minor = rule.min_subtotal.amount_minor if rule.min_subtotal else None
    priced = rule.amount or rule.min_subtotal
    row.currency = priced.currency if priced is not None else None
    row.starts_at, row.expires_at = rule.starts_at, rule.expires_at
    row.usage_limit, row.per_customer_limit = rule.usage_limit, rule.per_customer_limit
    row.active, row.description = rule.active, rule.description
    session.flush()


def discount_usage(session: Session, code: str, customer_id: str | None) -> DiscountUsage:
    code = normalize_code(code)
    row = session.get(DiscountCode, code, populate_existing=True)
    mine = 0
    if customer_id:
        mine = int(session.scalar(
            select(func.count()).select_from(DiscountRedemption)
            .where(DiscountRedemption.code == code, DiscountRedemption.customer_id == customer_id)
        ) or 0)
    return DiscountUsage(times_used=row.times_used if row else 0, by_customer=mine)


def evaluate_discount(session: Session, code: str, subtotal: Money, customer_id: str | None,
                      now: datetime | None = None) -> Money:
    """What `code` takes off `subtotal` for this customer now; raises the DiscountError that stops it."""
    row = session.get(DiscountCode, normalize_code(code), populate_existing=True)
    if row is None:
        raise DiscountInvalid(normalize_code(code), f"discount code {normalize_code(code)} does not exist")
    return apply_rule(_rule(row), subtotal, now or utcnow(), discount_usage(session, code, customer_id))


def apply_discount(session: Session, cart_id: str, code: str, customer_id: str, *,
                   expected_version: int | None = None) -> CartView:
    """Attach a code after checking every rule against the cart now; usage is counted at payment."""
    view = get_cart(session, cart_id)
    evaluate_discount(session, code, view.subtotal, customer_id)
    cart = _bump(session, cart_id, expected_version, discount_code=normalize_code(code))
    return _VIEWS.remember(session, _view(session, cart))


def remove_discount(session: Session, cart_id: str, *, expected_version: int | None = None) -> CartView:
    cart = _bump(session, cart_id, expected_version, discount_code=None)
    return _VIEWS.remember(session, _view(session, cart))


def redeem_discount(session: Session, code: str, customer_id: str, order_id: str) -> bool:
    """Count one use of `code` for a paid order (idempotent per order). Returns False if already counted.

    A shopper who paid with the discount keeps it even if the limit was reached meanwhile.
    """
    code = normalize_code(code)
    if session.scalar(select(DiscountRedemption.id).where(DiscountRedemption.order_id == order_id)):
        return False
    session.add(DiscountRedemption(
        id=new_id("red"), code=code, customer_id=customer_id, order_id=order_id, redeemed_at=utcnow()
    ))
    session.execute(
        update(DiscountCode).where(DiscountCode.code == code)
        .values(times_used=DiscountCode.times_used + 1).execution_options(synchronize_session=False)
    )
    session.flush()
    return True

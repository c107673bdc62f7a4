"""Pure cart rules: discount codes (percentage or fixed, minimum subtotal, validity window, usage
limits) and line arithmetic. No database, no catalog: callers pass in what they read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from shopkeeper.cart.errors import (
    DiscountExpired,
    DiscountInvalid,
    DiscountMinSubtotal,
    DiscountUsedUp,
    InvalidQuantity,
)
from shopkeeper.kernel.money import Money

MAX_LINE_QUANTITY = 99


def check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity(f"quantity must be a whole number from 1 to {MAX_LINE_QUANTITY}")


def normalize_code(code: str) -> str:
    return code.strip().upper()


def round_half_up(amount: Decimal) -> int:
    """Commercial rounding to a whole minor unit (what a shopper checks by hand)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class DiscountRule:
    """One merchant discount code. `percent` as a Decimal ("10" = 10 %) or a fixed `amount`."""

    code: str
    kind: Literal["percent", "fixed"]
    percent: Decimal | None = None
    amount: Money | None = None
    min_subtotal: Money | None = None
    starts_at: datetime | None = None
    expires_at: datetime | None = None
    usage_limit: int | None = None  # redemptions across all customers
    per_customer_limit: int | None = None
    description: str = ""
    active: bool = True

    def __post_init__(self) -> None:
        if self.kind == "percent" and (self.percent is None or not 0 < self.percent <= 100):
            raise ValueError(f"{self.code}: a percentage discount needs 0 < percent <= 100")
        if self.kind == "fixed" and (self.amount is None or self.amount.amount_minor <= 0):
            raise ValueError(f"{self.code}: a fixed discount needs a positive amount")


@dataclass(frozen=True)
class DiscountUsage:
    times_used: int = 0
    by_customer: int = 0


def check_rule(rule: DiscountRule, subtotal: Money, now: datetime, usage: DiscountUsage) -> None:
    """Raise the specific DiscountError that stops this code on this cart, if any."""
    if not rule.active or (rule.starts_at is not None and now < rule.starts_at):
        raise DiscountInvalid(rule.code, f"discount code {rule.code} is not valid")
    if rule.expires_at is not None and now >= rule.expires_at:
        raise DiscountExpired(rule.code, f"discount code {rule.code} has expired")
    if rule.usage_limit is not None and usage.times_used >= rule.usage_limit:
        raise DiscountUsedUp(rule.code, f"discount code {rule.code} has been fully used")
    if rule.per_customer_limit is not None and usage.by_customer >= rule.per_customer_limit:
        raise DiscountUsedUp(rule.code, f"you have already used discount code {rule.code}")
    for money in (rule.amount, rule.min_subtotal):
        if money is not None and money.currency != subtotal.currency:
            raise DiscountInvalid(rule.code, f"discount code {rule.code} is not valid in {subtotal.currency}")
    if rule.min_subtotal is not None and subtotal < rule.min_subtotal:
        raise DiscountMinSubtotal(
            rule.code, f"discount code {rule.code} needs a subtotal of at least {rule.min_subtotal}"
        )


def discount_amount(rule: DiscountRule, subtotal: Money) -> Money:
    """What the code takes off the goods; never more than the subtotal."""
    if rule.kind == "percent":
        assert rule.percent is not None
        off = round_half_up(Decimal(subtotal.amount_minor) * rule.percent / 100)
    else:
        assert rule.amount is not None
        off = rule.amount.amount_minor
    return Money(max(0, min(off, subtotal.amount_minor)), subtotal.currency)


def apply_rule(rule: DiscountRule, subtotal: Money, now: datetime, usage: DiscountUsage) -> Money:
    check_rule(rule, subtotal, now, usage)
    return discount_amount(rule, subtotal)


@dataclass(frozen=True)
class LineView:
    id: str
    variant_id: str
    product_id: str
    title: str
    variant_title: str | None
    quantity: int
    unit_price: Money  # the catalog's price now, not when it was added
    total: Money
    image_url: str | None = None
    sku: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    weight_g: int = 0
    price_when_added: Money | None = None

    @property
    def price_changed(self) -> bool:
        return self.price_when_added is not None and self.price_when_added != self.unit_price


@dataclass(frozen=True)
class CartView:
    id: str
    customer_id: str
    currency: str
    lines: list[LineView]
    discount_code: str | None
    version: int
    conversation_id: str | None = None
    status: str = "open"
    unavailable: list[str] = field(default_factory=list)  # variant ids no longer in the catalog

    @property
    def subtotal(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + line.total
        return total

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def weight_g(self) -> int:
        return sum(line.weight_g * line.quantity for line in self.lines)

    def line(self, line_id: str) -> LineView | None:
        return next((ln for ln in self.lines if ln.id == line_id), None)

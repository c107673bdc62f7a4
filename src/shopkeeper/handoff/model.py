"""When a conversation goes to a human, and how far an agent may go: pure rules, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shopkeeper.kernel.money import Money

# why a conversation waits for an agent (stable codes; the dashboard translates them)
ASKED = "asked"  # the shopper asked for a human
OUT_OF_SCOPE = "out_of_scope"  # the NLU could not place the message twice in a row
UNSURE = "unsure"  # the bot could not answer (e.g. a product question without evidence)
HIGH_VALUE = "high_value_cart"  # the cart is worth more than the merchant's threshold
REASONS: tuple[str, ...] = (ASKED, OUT_OF_SCOPE, UNSURE, HIGH_VALUE)

DEFAULT_HIGH_VALUE = Money(100_000, "EUR")  # carts above 1,000 EUR get a person
OUT_OF_SCOPE_STREAK = 2
UNSURE_CONFIDENCE = 0.35

# default authority per agent role: the biggest discount an agent may grant on their own
DEFAULT_MAX_DISCOUNT_PERCENT: dict[str, Decimal] = {
    "agent": Decimal("10"),
    "supervisor": Decimal("25"),
    "admin": Decimal("100"),
}


@dataclass(frozen=True)
class HandoffPolicy:
    """A merchant's escalation settings."""

    high_value_threshold: Money | None = DEFAULT_HIGH_VALUE
    out_of_scope_streak: int = OUT_OF_SCOPE_STREAK
    unsure_confidence: float = UNSURE_CONFIDENCE


def escalation_reason(
    policy: HandoffPolicy,
    *,
    asked: bool = False,
    out_of_scope_streak: int = 0,
    confidence: float | None = None,
    cart_total: Money | None = None,
) -> str | None:
    """The reason to hand this conversation to a human now, or None to let the bot carry on."""
    if asked:
        return ASKED
    if out_of_scope_streak >= policy.out_of_scope_streak:
        return OUT_OF_SCOPE
    if confidence is not None and confidence < policy.unsure_confidence:
        return UNSURE
    threshold = policy.high_value_threshold
    if (
        cart_total is not None
        and threshold is not None
        and cart_total.currency == threshold.currency
        and cart_total > threshold
    ):
        return HIGH_VALUE
    return None


def may_grant_discount(max_percent: Decimal, percent: Decimal) -> bool:
    """Agent authority: a discount above the agent's limit needs someone with more authority."""
    return Decimal(0) <= percent <= max_percent

"""Discount-code rules: percentage or fixed, minimum subtotal, validity window, usage limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopkeeper.cart import (
    DiscountExpired,
    DiscountInvalid,
    DiscountMinSubtotal,
    DiscountRule,
    DiscountUsage,
    DiscountUsedUp,
    apply_rule,
    discount_amount,
)
from shopkeeper.kernel.money import Money

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
EUR = "EUR"
WELCOME10 = DiscountRule(
    "WELCOME10", "percent", percent=Decimal(10), min_subtotal=Money(3000, EUR), per_customer_limit=1
)
SAVE5 = DiscountRule(
    "SAVE5", "fixed", amount=Money(500, EUR), expires_at=NOW + timedelta(days=1), usage_limit=2
)


def test_percentage_code_takes_its_share_of_the_subtotal() -> None:
    assert apply_rule(WELCOME10, Money(4990, EUR), NOW, DiscountUsage()) == Money(499, EUR)


def test_percentage_rounds_half_up_to_the_cent() -> None:
    # 10 % of 30.05 = 3.005 -> 3.01
    assert discount_amount(WELCOME10, Money(3005, EUR)) == Money(301, EUR)


def test_fixed_code_never_takes_more_than_the_subtotal() -> None:
    assert discount_amount(SAVE5, Money(300, EUR)) == Money(300, EUR)
    assert discount_amount(SAVE5, Money(2000, EUR)) == Money(500, EUR)


def test_below_minimum_subtotal_is_refused_with_its_own_code() -> None:
    with pytest.raises(DiscountMinSubtotal) as info:
        apply_rule(WELCOME10, Money(2999, EUR), NOW, DiscountUsage())
    assert info.value.code == "discount_min_subtotal"


def test_minimum_subtotal_is_inclusive() -> None:
    assert apply_rule(WELCOME10, Money(3000, EUR), NOW, DiscountUsage()) == Money(300, EUR)


def test_expired_code_is_refused_from_its_expiry_instant_on() -> None:
    apply_rule(SAVE5, Money(2000, EUR), SAVE5.expires_at - timedelta(seconds=1), DiscountUsage())  # type: ignore[operator]
    with pytest.raises(DiscountExpired) as info:
        apply_rule(SAVE5, Money(2000, EUR), SAVE5.expires_at, DiscountUsage())  # type: ignore[arg-type]
    assert info.value.code == "discount_expired"


def test_code_not_started_yet_is_invalid() -> None:
    later = DiscountRule("LATER", "percent", percent=Decimal(5), starts_at=NOW + timedelta(hours=1))
    with pytest.raises(DiscountInvalid):
        apply_rule(later, Money(2000, EUR), NOW, DiscountUsage())


def test_usage_limit_counts_all_customers() -> None:
    apply_rule(SAVE5, Money(2000, EUR), NOW, DiscountUsage(times_used=1))
    with pytest.raises(DiscountUsedUp) as info:
        apply_rule(SAVE5, Money(2000, EUR), NOW, DiscountUsage(times_used=2))
    assert info.value.code == "discount_used_up"


def test_per_customer_limit_counts_that_customer_only() -> None:
    apply_rule(WELCOME10, Money(5000, EUR), NOW, DiscountUsage(times_used=500, by_customer=0))
    with pytest.raises(DiscountUsedUp):
        apply_rule(WELCOME10, Money(5000, EUR), NOW, DiscountUsage(times_used=1, by_customer=1))


def test_inactive_code_is_invalid() -> None:
    off = DiscountRule("OFF", "fixed", amount=Money(100, EUR), active=False)
    with pytest.raises(DiscountInvalid):
        apply_rule(off, Money(2000, EUR), NOW, DiscountUsage())


def test_code_in_another_currency_is_invalid() -> None:
    with pytest.raises(DiscountInvalid):
        apply_rule(SAVE5, Money(2000, "PLN"), NOW, DiscountUsage())


def test_a_rule_without_its_amount_is_refused_at_construction() -> None:
    with pytest.raises(ValueError):
        DiscountRule("BAD", "percent")
    with pytest.raises(ValueError):
        DiscountRule("BAD", "percent", percent=Decimal(150))
    with pytest.raises(ValueError):
        DiscountRule("BAD", "fixed", amount=Money(0, EUR))


@given(
    st.integers(min_value=0, max_value=10**9), st.decimals(min_value=Decimal("0.01"), max_value=100, places=2)
)
def test_a_percentage_discount_is_between_zero_and_the_subtotal(subtotal: int, percent: Decimal) -> None:
    rule = DiscountRule("P", "percent", percent=percent)
    off = discount_amount(rule, Money(subtotal, EUR))
    assert 0 <= off.amount_minor <= subtotal
    assert abs(Decimal(off.amount_minor) - Decimal(subtotal) * percent / 100) <= Decimal("0.5")

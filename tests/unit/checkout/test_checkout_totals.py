"""THE totals arithmetic: subtotal − discount + shipping (+ tax when prices exclude it)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from shopkeeper.checkout import TaxRule, TotalsLine, compute_totals, tax_on
from shopkeeper.checkout.model import allocate_discount
from shopkeeper.kernel.money import Money

EUR = "EUR"
VAT_DE = TaxRule("DE", Decimal("0.19"), inclusive=True)
VAT_SK = TaxRule("SK", Decimal("0.23"), inclusive=True)
US = TaxRule("US", Decimal(0), inclusive=False, regions={"CA": Decimal("0.0725")}, tax_shipping=False)


def line(n: int, unit_minor: int, qty: int = 1) -> TotalsLine:
    unit = Money(unit_minor, EUR)
    return TotalsLine(
        f"lin_{n}", f"var_{n}", f"prd_{n}", f"Item {n}", None, qty, unit, unit * qty, Money.zero(EUR)
    )


def test_inclusive_vat_is_contained_in_the_total_and_does_not_change_it() -> None:
    t = compute_totals([line(1, 11900)], EUR, tax_rule=VAT_DE)
    assert t.total == Money(11900, EUR)
    assert t.tax == Money(1900, EUR)  # 119.00 gross at 19 % contains 19.00 VAT
    assert t.tax_inclusive is True


def test_slovak_vat_is_23_percent_of_the_net() -> None:
    t = compute_totals([line(1, 12300)], EUR, tax_rule=VAT_SK)
    assert t.tax == Money(2300, EUR)


def test_exclusive_sales_tax_is_added_on_top_for_the_state() -> None:
    t = compute_totals([line(1, 10000)], EUR, tax_rule=US, region="CA", shipping=Money(990, EUR))
    assert t.tax == Money(725, EUR)  # shipping not taxed in this rule
    assert t.total == Money(10000 + 990 + 725, EUR)
    assert t.tax_inclusive is False


def test_exclusive_state_without_a_rate_adds_nothing() -> None:
    t = compute_totals([line(1, 10000)], EUR, tax_rule=US, region="OR")
    assert t.tax.is_zero() and t.total == Money(10000, EUR)


def test_discount_reduces_the_taxable_base_and_shipping_is_taxed_when_the_rule_says_so() -> None:
    t = compute_totals(
        [line(1, 10000), line(2, 2000, qty=2)],
        EUR,
        discount=Money(1400, EUR),
        shipping=Money(590, EUR),
        tax_rule=VAT_DE,
    )
    assert t.subtotal == Money(14000, EUR)
    assert t.total == Money(14000 - 1400 + 590, EUR)
    # (126.00 + 5.90) * 19/119 = 21.0596… -> 21.06
    assert t.tax == Money(2106, EUR)


def test_tax_rounds_half_up_on_the_total() -> None:
    # 0.125 contained at 25 % of 0.625 gross? use exclusive: 1.50 * 0.05 = 0.075 -> 0.08
    assert tax_on(Money(150, EUR), Decimal("0.05"), inclusive=False) == Money(8, EUR)
    assert tax_on(Money(130, EUR), Decimal("0.05"), inclusive=False) == Money(7, EUR)  # 0.065 -> 0.07


def test_discount_is_never_more_than_the_subtotal() -> None:
    t = compute_totals([line(1, 500)], EUR, discount=Money(900, EUR), tax_rule=VAT_DE)
    assert t.discount == Money(500, EUR) and t.total.is_zero() and t.tax.is_zero()


def test_discount_shares_per_line_add_up_exactly() -> None:
    t = compute_totals([line(1, 333), line(2, 333), line(3, 334)], EUR, discount=Money(100, EUR))
    assert sum(ln.discount.amount_minor for ln in t.lines) == 100


def test_empty_cart_totals_are_zero() -> None:
    t = compute_totals([], EUR, tax_rule=VAT_DE)
    assert t.total.is_zero() and t.tax.is_zero() and t.lines == []


amounts = st.integers(min_value=0, max_value=10**8)
rates = st.decimals(min_value=0, max_value=Decimal("0.30"), places=4)


@given(
    st.lists(st.tuples(st.integers(1, 10**6), st.integers(1, 20)), max_size=8),
    amounts,
    amounts,
    rates,
    st.booleans(),
)
def test_totals_always_add_up(
    items: list[tuple[int, int]], discount: int, shipping: int, rate: Decimal, inclusive: bool
) -> None:
    rule = TaxRule("XX", rate, inclusive=inclusive)
    t = compute_totals(
        [line(i, u, q) for i, (u, q) in enumerate(items)],
        EUR,
        discount=Money(discount, EUR),
        shipping=Money(shipping, EUR),
        tax_rule=rule,
    )
    goods = t.subtotal - t.discount
    assert t.subtotal.amount_minor == sum(u * q for u, q in items)
    assert 0 <= t.discount.amount_minor <= t.subtotal.amount_minor
    expected = goods + t.shipping + (Money.zero(EUR) if inclusive else t.tax)
    assert t.total == expected
    assert t.tax.amount_minor >= 0
    if inclusive:
        assert t.tax <= goods + t.shipping
    assert sum(ln.discount.amount_minor for ln in t.lines) == (t.discount.amount_minor if items else 0)


@given(st.integers(0, 10**7), st.lists(st.integers(0, 10**6), min_size=1, max_size=6))
def test_allocation_is_exact_and_never_negative(discount: int, weights: list[int]) -> None:
    shares = allocate_discount(Money(discount, EUR), [Money(w, EUR) for w in weights])
    assert len(shares) == len(weights)
    if sum(weights) > 0:
        assert sum(s.amount_minor for s in shares) == discount
    assert all(s.amount_minor >= 0 for s in shares)

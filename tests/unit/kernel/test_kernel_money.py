from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopkeeper.kernel.money import CurrencyMismatchError, Money


def test_money_refuses_float_amounts() -> None:
    with pytest.raises(TypeError):
        Money(19.99, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.of(19.99, "EUR")  # type: ignore[arg-type]


def test_money_of_uses_the_currency_exponent() -> None:
    assert Money.of("19.99", "eur") == Money(1999, "EUR")
    assert Money.of("1500", "JPY") == Money(1500, "JPY")
    assert Money.of("1.234", "KWD") == Money(1234, "KWD")


def test_adding_different_currencies_raises() -> None:
    with pytest.raises(CurrencyMismatchError):
        _ = Money(100, "EUR") + Money(100, "PLN")


def test_scaled_rounds_half_even_to_minor_units() -> None:
    assert Money(1999, "EUR").scaled(Decimal("0.19")) == Money(380, "EUR")  # 379.81
    assert Money(250, "EUR").scaled("0.5") == Money(125, "EUR")
    assert Money(5, "EUR").scaled("0.5") == Money(2, "EUR")  # 2.5 -> 2 (banker's)


@given(st.integers(min_value=0, max_value=10**9), st.lists(st.integers(1, 100), min_size=1, max_size=8))
def test_allocate_parts_always_sum_to_the_whole(amount: int, weights: list[int]) -> None:
    parts = Money(amount, "EUR").allocate(weights)
    assert sum(p.amount_minor for p in parts) == amount
    assert max(p.amount_minor for p in parts) - min(p.amount_minor for p in parts) <= amount


def test_format_follows_the_locale() -> None:
    m = Money(123456, "EUR")
    assert m.format("en") == "€1,234.56"
    assert m.format("pl").replace("\xa0", " ").replace("\u202f", " ") == "1 234,56 €"
    assert "1,234.56" in Money(123456, "USD").format("en")
    assert Money(20000, "PLN").format("pl").replace("\xa0", " ") == "200,00 zł"

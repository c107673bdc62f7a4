from shopkeeper.bots.budget import budget_in_shop_currency
from shopkeeper.kernel.money import Money

RATES = {"PLN": "0.23", "CNY": "0.13", "BAD": "x", "ZERO": "0"}


def test_a_budget_in_zloty_becomes_whole_euros() -> None:
    assert budget_in_shop_currency(Money(20000, "PLN"), "EUR", RATES) == Money(4600, "EUR")
    assert budget_in_shop_currency(Money(20000, "CNY"), "EUR", RATES) == Money(2600, "EUR")


def test_the_shop_currency_passes_through_unchanged() -> None:
    assert budget_in_shop_currency(Money(1999, "EUR"), "EUR", RATES) == Money(1999, "EUR")


def test_without_a_usable_rate_there_is_no_conversion() -> None:
    assert budget_in_shop_currency(Money(100, "USD"), "EUR", RATES) is None
    assert budget_in_shop_currency(Money(100, "SAR"), "EUR", {"SAR": "x"}) is None
    assert budget_in_shop_currency(Money(100, "SAR"), "EUR", {"SAR": "0"}) is None


def test_a_tiny_budget_is_not_rounded_to_nothing() -> None:
    assert budget_in_shop_currency(Money(100, "PLN"), "EUR", RATES) == Money(23, "EUR")

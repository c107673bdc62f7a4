"""Reading a shopper's budget given in another currency ("do 200 zł" in a EUR shop).

The merchant sets reference rates (shop currency per unit of the other currency). They only turn
a budget into a search filter; every price the bot states still comes from the catalog and
checkout in the shop's own currency, so nothing is ever quoted at a converted price.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from shopkeeper.kernel.money import Money


def budget_in_shop_currency(budget: Money, shop_currency: str, rates: Mapping[str, str]) -> Money | None:
    """The budget in the shop's currency, rounded to whole major units; None without a rate."""
    if budget.currency == shop_currency:
        return budget
    raw = rates.get(budget.currency)
    if raw is None:
        return None
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        return None
    if rate <= 0:
        return None
    converted = Money.of(budget.decimal * rate, shop_currency)
    whole = Money.of(str(round(converted.decimal)), shop_currency)
    return whole if whole.amount_minor > 0 else converted

"""The merchant configuration file: the demo one loads and says what the shop promises."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopkeeper.checkout import ConfigInvalid, Destination, load_config, options_for, parse_config
from shopkeeper.kernel.money import Money


@pytest.fixture(scope="module")
def demo():  # type: ignore[no-untyped-def]
    return load_config()


@pytest.mark.parametrize(
    "country,rate,inclusive",
    [
        ("DE", "0.19", True),
        ("PL", "0.23", True),
        ("SK", "0.23", True),
        ("FR", "0.20", True),
        ("GB", "0.20", True),
        ("AE", "0.05", True),
        ("SA", "0.15", True),
        ("CN", "0.13", True),
        ("US", "0", False),
    ],
)
def test_demo_tax_rates(demo, country: str, rate: str, inclusive: bool) -> None:  # type: ignore[no-untyped-def]
    rule = demo.tax_rule(country)
    assert rule.rate == Decimal(rate) and rule.inclusive is inclusive


def test_demo_us_state_sales_tax(demo) -> None:  # type: ignore[no-untyped-def]
    assert demo.tax_rule("US").rate_for("CA") == Decimal("0.0725")
    assert demo.tax_rule("US").rate_for("NY") == Decimal("0.04")


@pytest.mark.parametrize("country", ["SK", "PL", "DE", "FR", "GB", "US", "CN", "AE", "SA", "IT"])
def test_demo_ships_to_every_promised_country(demo, country: str) -> None:  # type: ignore[no-untyped-def]
    opts = options_for(
        demo.zones, Destination(country, region="CA" if country == "US" else None), Money(5000, "EUR"), 1500
    )
    assert opts and all(o.eta_days[0] <= o.eta_days[1] for o in opts)


def test_demo_discount_codes(demo) -> None:  # type: ignore[no-untyped-def]
    codes = {d.code: d for d in demo.discounts}
    assert codes["WELCOME10"].percent == Decimal(10) and codes["WELCOME10"].min_subtotal is not None
    assert codes["SAVE5"].amount == Money(500, "EUR") and codes["SAVE5"].expires_at is not None
    assert codes["SAVE5"].usage_limit and codes["SAVE5"].per_customer_limit


def test_a_flat_method_without_price_is_refused() -> None:
    data = {
        "zones": [
            {
                "id": "z",
                "name": "Z",
                "countries": ["DE"],
                "methods": [{"id": "m", "name": "M", "kind": "flat", "eta_days": [1, 2]}],
            }
        ],
        "taxes": {},
    }
    with pytest.raises(ConfigInvalid):
        parse_config(data)


def test_a_float_looking_typo_is_refused() -> None:
    with pytest.raises(ConfigInvalid):
        parse_config({"zones": [], "taxes": {"DE": {"rate": "nineteen", "inclusive": True}}})


def test_naive_discount_dates_are_refused() -> None:
    with pytest.raises(ConfigInvalid):
        parse_config(
            {
                "zones": [],
                "taxes": {},
                "discounts": [
                    {"code": "X", "kind": "percent", "percent": "5", "expires_at": "2027-01-01T00:00:00"}
                ],
            }
        )

"""quote() and shipping_options() against a real database and the demo configuration."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shopkeeper import cart, checkout
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.money import Money

MakeVariant = Callable[..., str]

EUR = "EUR"


def cart_with(shop: Database, variant_id: str, qty: int = 1) -> str:
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_q", EUR).id
        cart.add_item(s, cid, variant_id, qty)
    return cid


def test_quote_for_slovakia_includes_23_percent_vat(shop: Database, make_variant: MakeVariant) -> None:
    cid = cart_with(shop, make_variant(price="30.00", weight_g=800))
    with shop.session() as s:
        t = checkout.quote(s, cid, checkout.Destination("SK", "811 01"), "sk_courier")
    assert (t.subtotal, t.shipping, t.total) == (Money(3000, EUR), Money(490, EUR), Money(3490, EUR))
    assert t.tax == Money(653, EUR)  # 34.90 * 23/123 = 6.526… -> 6.53
    assert t.tax_inclusive and t.shipping_method_name == "Courier to your door"


def test_quote_for_california_adds_sales_tax_on_top(shop: Database, make_variant: MakeVariant) -> None:
    cid = cart_with(shop, make_variant(price="100.00"))
    with shop.session() as s:
        t = checkout.quote(s, cid, checkout.Destination("US", "94105", "CA"), "us_standard")
    assert t.shipping == Money(990, EUR)  # price bracket 75-200
    assert t.tax == Money(725, EUR) and not t.tax_inclusive  # shipping untaxed in the US rule
    assert t.total == Money(10000 + 990 + 725, EUR)


def test_free_shipping_over_the_threshold(shop: Database, make_variant: MakeVariant) -> None:
    cid = cart_with(shop, make_variant(price="60.00"))
    with shop.session() as s:
        opts = {o.id: o for o in checkout.shipping_options(s, cid, checkout.Destination("PL", "00-950"))}
    assert opts["pl_inpost"].price.is_zero() and opts["pl_courier"].price == Money(590, EUR)


def test_discount_lowers_the_free_shipping_base(shop: Database, make_variant: MakeVariant) -> None:
    cid = cart_with(shop, make_variant(price="52.00"))
    with shop.session() as s:
        cart.apply_discount(s, cid, "SAVE5", "cus_q")
        opts = {o.id: o for o in checkout.shipping_options(s, cid, checkout.Destination("PL"))}
    assert opts["pl_inpost"].price == Money(350, EUR)  # 47.00 after the code is under 50.00


def test_quote_without_destination_estimates_tax_for_the_home_country(
    shop: Database, make_variant: MakeVariant
) -> None:
    cid = cart_with(shop, make_variant(price="119.00"))
    with shop.session() as s:
        t = checkout.quote(s, cid)
    assert t.tax == Money(1900, EUR) and t.shipping.is_zero() and t.tax_country == "DE"
    assert any("estimated" in n for n in t.notes)


def test_quote_assumes_the_cheapest_method_when_none_is_chosen(
    shop: Database, make_variant: MakeVariant
) -> None:
    cid = cart_with(shop, make_variant(price="10.00"))
    with shop.session() as s:
        t = checkout.quote(s, cid, checkout.Destination("SK"))
    assert t.shipping_method_id == "sk_pickup" and t.shipping.is_zero()


def test_unknown_method_or_country(shop: Database, make_variant: MakeVariant) -> None:
    cid = cart_with(shop, make_variant())
    with shop.session() as s:
        with pytest.raises(checkout.ShippingUnavailable):
            checkout.quote(s, cid, checkout.Destination("DE"), "pl_inpost")
        assert checkout.shipping_options(s, cid, checkout.Destination("JP")) == []
        t = checkout.quote(s, cid, checkout.Destination("JP"))
        assert any("do not ship" in n for n in t.notes)
        with pytest.raises(checkout.ShippingUnavailable):
            checkout.quote(s, cid, checkout.Destination("JP"), strict=True)


def test_heavy_parcels_lose_methods_with_weight_limits(shop: Database, make_variant: MakeVariant) -> None:
    cid = cart_with(shop, make_variant(weight_g=12000))
    with shop.session() as s:
        ids = [o.id for o in checkout.shipping_options(s, cid, checkout.Destination("SK"))]
    assert "sk_packeta" not in ids and "sk_courier" in ids


def test_a_method_without_a_destination_is_priced_by_its_rule(
    shop: Database, make_variant: MakeVariant
) -> None:
    cid = cart_with(shop, make_variant(price="10.00", weight_g=800))
    with shop.session() as s:
        t = checkout.quote(s, cid, None, "sk_courier")
        assert t.shipping == Money(490, EUR) and t.total == Money(1490, EUR)
        with pytest.raises(checkout.ShippingUnavailable):
            checkout.quote(s, cid, None, "no_such_method")

"""Carts against a real database: one open cart, lines, stock checks, versions, discount codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shopkeeper import cart, checkout
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.money import Money

MakeVariant = Callable[..., str]

EUR = "EUR"


def test_one_open_cart_per_customer(shop: Database) -> None:
    with shop.session() as s:
        a = cart.open_cart(s, "cus_1", EUR, "cnv_1")
        b = cart.open_cart(s, "cus_1", EUR, "cnv_2")
        c = cart.open_cart(s, "cus_2", EUR)
    assert a.id == b.id != c.id
    assert b.conversation_id == "cnv_2"


def test_add_merges_lines_and_prices_them_now(shop: Database, make_variant: MakeVariant) -> None:
    vid = make_variant(price="19.99", stock=5)
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        cart.add_item(s, cid, vid, 1)
        view = cart.add_item(s, cid, vid, 2)
    assert [(ln.variant_id, ln.quantity) for ln in view.lines] == [(vid, 3)]
    assert view.subtotal == Money(5997, EUR)
    assert view.lines[0].title == "Trail boots" and view.lines[0].variant_title == "43 / black"


def test_add_refuses_more_than_is_free(shop: Database, make_variant: MakeVariant) -> None:
    vid = make_variant(stock=2)
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        cart.add_item(s, cid, vid, 2)
    with shop.session() as s:
        with pytest.raises(cart.OutOfStock) as info:
            cart.add_item(s, cid, vid, 1)
        assert info.value.code == "out_of_stock" and info.value.available == 2


def test_quantity_changes_and_zero_removes(shop: Database, make_variant: MakeVariant) -> None:
    vid = make_variant(stock=5)
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        line_id = cart.add_item(s, cid, vid, 1).lines[0].id
        assert cart.set_quantity(s, cid, line_id, 4).lines[0].quantity == 4
        with pytest.raises(cart.OutOfStock):
            cart.set_quantity(s, cid, line_id, 6)
        with pytest.raises(cart.InvalidQuantity):
            cart.set_quantity(s, cid, line_id, -1)
        assert cart.set_quantity(s, cid, line_id, 0).lines == []


def test_remove_line_and_unknown_line(shop: Database, make_variant: MakeVariant) -> None:
    vid = make_variant()
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        line_id = cart.add_item(s, cid, vid).lines[0].id
        assert cart.remove_line(s, cid, line_id).lines == []
        with pytest.raises(cart.LineNotFound):
            cart.remove_line(s, cid, line_id)


def test_version_moves_on_each_change_and_stale_writes_are_refused(
    shop: Database, make_variant: MakeVariant
) -> None:
    vid = make_variant()
    with shop.session() as s:
        v0 = cart.open_cart(s, "cus_1", EUR)
        v1 = cart.add_item(s, v0.id, vid, expected_version=v0.version)
        assert v1.version == v0.version + 1
    with shop.session() as s, pytest.raises(cart.VersionConflict) as info:
        cart.add_item(s, v0.id, vid, expected_version=v0.version)
    assert info.value.code == "version_conflict"


def test_quote_uses_the_current_catalog_price_and_says_it_changed(
    shop: Database, make_variant: MakeVariant
) -> None:
    vid = make_variant(price="20.00", handle="boots-on-sale")
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        cart.add_item(s, cid, vid, 2)
    assert make_variant(price="15.00", handle="boots-on-sale") == vid  # the merchant's sale
    with shop.session() as s:
        view = cart.get_cart(s, cid)
        totals = checkout.quote(s, cid)
    assert view.lines[0].unit_price == Money(1500, EUR) and view.lines[0].price_changed
    assert totals.subtotal == Money(3000, EUR)
    assert any("changed" in n for n in totals.notes)


def test_discount_rules_checked_at_apply(shop: Database, make_variant: MakeVariant) -> None:
    cheap = make_variant(price="10.00")
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        cart.add_item(s, cid, cheap, 1)
        with pytest.raises(cart.DiscountMinSubtotal):
            cart.apply_discount(s, cid, "welcome10", "cus_1")
        with pytest.raises(cart.DiscountExpired):
            cart.apply_discount(s, cid, "SUMMER2026", "cus_1")
        with pytest.raises(cart.DiscountInvalid):
            cart.apply_discount(s, cid, "NOPE", "cus_1")
        cart.set_quantity(s, cid, cart.get_cart(s, cid).lines[0].id, 3)
        view = cart.apply_discount(s, cid, " welcome10 ", "cus_1")
        assert view.discount_code == "WELCOME10"
        assert checkout.quote(s, cid).discount == Money(300, EUR)
        assert cart.remove_discount(s, cid).discount_code is None


def test_usage_is_counted_at_redemption_not_at_apply(shop: Database, make_variant: MakeVariant) -> None:
    vid = make_variant(price="40.00")
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        cart.add_item(s, cid, vid, 1)
        cart.apply_discount(s, cid, "WELCOME10", "cus_1")
        cart.apply_discount(s, cid, "WELCOME10", "cus_1")  # applying twice uses nothing
        assert cart.discount_usage(s, "WELCOME10", "cus_1").times_used == 0
        assert cart.redeem_discount(s, "WELCOME10", "cus_1", "ord_1") is True
        assert cart.redeem_discount(s, "WELCOME10", "cus_1", "ord_1") is False
        assert cart.discount_usage(s, "WELCOME10", "cus_1") == cart.DiscountUsage(1, 1)
        with pytest.raises(cart.DiscountUsedUp):  # per-customer limit 1
            cart.apply_discount(s, cid, "WELCOME10", "cus_1")
        cart.apply_discount(s, cid, "SAVE5", "cus_1")


def test_a_dropped_discount_is_noted_in_the_quote(shop: Database, make_variant: MakeVariant) -> None:
    vid, cheap = make_variant(price="40.00"), make_variant(price="5.00")
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        line = cart.add_item(s, cid, vid, 1).lines[0]
        cart.apply_discount(s, cid, "WELCOME10", "cus_1")
        cart.add_item(s, cid, cheap, 1)
        cart.remove_line(s, cid, line.id)  # 5.00 left: below the code's 30.00 minimum
        totals = checkout.quote(s, cid)
    assert totals.discount.is_zero() and totals.discount_code is None
    assert any("WELCOME10" in n for n in totals.notes)


def test_another_customer_cannot_reach_the_cart(shop: Database) -> None:
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        with pytest.raises(cart.CartNotFound):
            cart.access_cart(s, cid, "cus_2")

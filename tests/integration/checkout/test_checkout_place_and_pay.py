"""From cart to paid order: place_order, start_payment, the signed demo webhook, and what
happens on failure, expiry, late payment, cancel and refund."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from shopkeeper import cart, checkout, inventory, orders, payments
from shopkeeper.adapters.payments.demo import DemoPaymentProvider
from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.money import Money

MakeVariant = Callable[..., str]

EUR = "EUR"
CONTACT = checkout.validate_contact("Anna Nováková", "anna@example.com", None, "SK")
ADDRESS = checkout.validate_address("Anna Nováková", "Obchodná 1", "Bratislava", "81101", "SK")


@pytest.fixture
def provider() -> DemoPaymentProvider:
    return DemoPaymentProvider("http://shop.test", "test-secret")


def filled_cart(
    shop: Database, variant_id: str, qty: int = 1, customer: str = "cus_1", code: str | None = None
) -> str:
    with shop.session() as s:
        cid = cart.open_cart(s, customer, EUR, "cnv_1").id
        cart.add_item(s, cid, variant_id, qty)
        if code:
            cart.apply_discount(s, cid, code, customer)
    return cid


def pay(
    shop: Database, provider: DemoPaymentProvider, payment_id: str, amount: Money, outcome: str = "succeeded"
) -> payments.HandleResult:
    body, headers = provider.signed_request(provider.build_event(payment_id, outcome, amount))
    return payments.handle_webhook(shop, provider, body, headers)


def place(shop: Database, cid: str, method: str = "sk_courier") -> orders.OrderView:
    with shop.session() as s:
        return checkout.place_order(s, cid, CONTACT, ADDRESS, method)


def test_place_order_reserves_snapshots_and_closes_the_cart(
    shop: Database, make_variant: MakeVariant
) -> None:
    vid = make_variant(price="40.00", stock=3)
    cid = filled_cart(shop, vid, 2, code="WELCOME10")
    placed: list[orders.OrderPlaced] = []
    shop.bus.subscribe(orders.OrderPlaced, placed.append)
    order = place(shop, cid)
    assert order.status == "awaiting_payment" and order.number.startswith("SK-")
    assert order.totals.subtotal == Money(8000, EUR) and order.totals.discount == Money(800, EUR)
    assert order.totals.total == Money(8000 - 800 + 490, EUR) and order.totals.discount_code == "WELCOME10"
    assert order.shipping_address["postcode"] == "811 01" and order.contact["email"] == "anna@example.com"
    assert sum(ln.discount.amount_minor for ln in order.lines) == 800
    with shop.session() as s:
        assert inventory.available(s, [vid]) == {vid: 1}
        assert cart.get_cart(s, cid).status == "checked_out"
        assert cart.open_cart(s, "cus_1", EUR).id != cid  # the next purchase starts a new cart
        assert cart.discount_usage(s, "WELCOME10", "cus_1").times_used == 0  # counted at payment
    assert [e.order_id for e in placed] == [order.id]


def test_out_of_stock_at_placement_leaves_everything_as_it_was(
    shop: Database, make_variant: MakeVariant
) -> None:
    vid = make_variant(stock=2)
    cid = filled_cart(shop, vid, 2)
    other = filled_cart(shop, vid, 2, customer="cus_2")
    place(shop, other)
    with shop.session() as s:
        with pytest.raises(inventory.OutOfStock):
            checkout.place_order(s, cid, CONTACT, ADDRESS, "sk_courier")
        assert cart.get_cart(s, cid).status == "open"
        assert orders.list_orders(s, "cus_1") == []


def test_an_expired_discount_at_placement_is_refused(shop: Database, make_variant: MakeVariant) -> None:
    vid = make_variant(price="40.00")
    cid = filled_cart(shop, vid, 1, code="WELCOME10")
    with shop.session() as s:
        cart.redeem_discount(s, "WELCOME10", "cus_1", "ord_elsewhere")  # used up meanwhile
    with shop.session() as s, pytest.raises(cart.DiscountUsedUp):
        checkout.place_order(s, cid, CONTACT, ADDRESS, "sk_courier")


def test_empty_cart_cannot_be_placed(shop: Database) -> None:
    with shop.session() as s:
        cid = cart.open_cart(s, "cus_1", EUR).id
        with pytest.raises(checkout.CartEmpty):
            checkout.place_order(s, cid, CONTACT, ADDRESS, "sk_courier")


def test_successful_payment_marks_paid_converts_stock_and_counts_the_code(
    shop: Database, make_variant: MakeVariant, provider: DemoPaymentProvider
) -> None:
    vid = make_variant(price="40.00", stock=3)
    order = place(shop, filled_cart(shop, vid, 2, code="WELCOME10"))
    paid: list[orders.OrderPaid] = []
    shop.bus.subscribe(orders.OrderPaid, paid.append)
    with shop.session() as s:
        payment = checkout.start_payment(s, order.id, provider, "http://shop.test/done")
    assert payment.amount == order.totals.total and payment.url.endswith(payment.id)
    assert pay(shop, provider, payment.id, payment.amount).outcome == "applied"
    with shop.session() as s:
        got = orders.get_order(s, order.id)
        assert got.status == "paid" and got.payment_id == payment.id
        assert inventory.stock_level(s, vid) == (1, 0)
        assert cart.discount_usage(s, "WELCOME10", "cus_1") == cart.DiscountUsage(1, 1)
    assert [(e.order_id, e.total, e.conversation_id) for e in paid] == [
        (order.id, order.totals.total, "cnv_1")
    ]
    # a second, different success notice for the same payment changes nothing
    pay(shop, provider, payment.id, payment.amount)
    with shop.session() as s:
        assert inventory.stock_level(s, vid) == (1, 0)
        assert cart.discount_usage(s, "WELCOME10", "cus_1").times_used == 1
    assert len(paid) == 1


def test_failed_payment_keeps_the_hold_until_it_expires(
    shop: Database, make_variant: MakeVariant, provider: DemoPaymentProvider
) -> None:
    vid = make_variant(stock=1)
    order = place(shop, filled_cart(shop, vid))
    with shop.session() as s:
        payment = checkout.start_payment(s, order.id, provider, "http://shop.test/done")
    pay(shop, provider, payment.id, payment.amount, "failed")
    with shop.session() as s:
        assert orders.get_order(s, order.id).status == "awaiting_payment"
        assert inventory.available(s, [vid]) == {vid: 0}
    with shop.session() as s:
        assert inventory.expire_reservations(s, utcnow() + timedelta(hours=1)) == 1
    with shop.session() as s:
        got = orders.get_order(s, order.id)
        assert got.status == "cancelled" and got.cancel_reason == "payment_timeout"
        assert inventory.available(s, [vid]) == {vid: 1}


def test_payment_after_the_order_was_cancelled_asks_for_a_refund(
    shop: Database, make_variant: MakeVariant, provider: DemoPaymentProvider
) -> None:
    vid = make_variant(stock=1)
    order = place(shop, filled_cart(shop, vid))
    with shop.session() as s:
        payment = checkout.start_payment(s, order.id, provider, "http://shop.test/done")
        orders.cancel_order(s, order.id, "shopper changed their mind")
    asked: list[orders.RefundRequested] = []
    shop.bus.subscribe(orders.RefundRequested, asked.append)
    pay(shop, provider, payment.id, payment.amount)
    with shop.session() as s:
        assert orders.get_order(s, order.id).status == "cancelled"
        assert inventory.stock_level(s, vid) == (1, 0)
    assert [(e.order_id, e.reason) for e in asked] == [(order.id, "paid_after_cancellation")]


def test_cancel_after_payment_restocks_and_the_refund_completes(
    shop: Database, make_variant: MakeVariant, provider: DemoPaymentProvider
) -> None:
    shop.bus.subscribe(orders.RefundRequested, checkout.refund_sender(shop, {"demo": provider}))
    vid = make_variant(stock=2)
    order = place(shop, filled_cart(shop, vid))
    with shop.session() as s:
        payment = checkout.start_payment(s, order.id, provider, "http://shop.test/done")
    pay(shop, provider, payment.id, payment.amount)
    refunded: list[orders.OrderRefunded] = []
    shop.bus.subscribe(orders.OrderRefunded, refunded.append)
    with shop.session() as s:
        orders.cancel_order(s, order.id, "shopper asked")
    with shop.session() as s:
        assert inventory.stock_level(s, vid) == (2, 0)
        assert payments.get_payment(s, payment.id).status == "refunded"
        got = orders.get_order(s, order.id)
    assert got.status == "cancelled"
    assert [h.to_status for h in got.history] == ["awaiting_payment", "paid", "cancelled", "cancelled"]
    assert got.history[-1].reason is not None and got.history[-1].reason.startswith("refunded")
    assert [(e.order_id, e.amount) for e in refunded] == [(order.id, order.totals.total)]


def test_full_refund_of_a_shipped_order_marks_it_refunded(
    shop: Database, make_variant: MakeVariant, provider: DemoPaymentProvider
) -> None:
    vid = make_variant(stock=2)
    order = place(shop, filled_cart(shop, vid))
    with shop.session() as s:
        payment = checkout.start_payment(s, order.id, provider, "http://shop.test/done")
    pay(shop, provider, payment.id, payment.amount)
    with shop.session() as s:
        orders.mark_fulfilled(s, order.id)
        orders.mark_shipped(s, order.id, "https://track.example/1")
    pay(shop, provider, payment.id, payment.amount, "refunded")
    with shop.session() as s:
        assert orders.get_order(s, order.id).status == "refunded"


def test_only_an_unpaid_order_can_start_a_payment(
    shop: Database, make_variant: MakeVariant, provider: DemoPaymentProvider
) -> None:
    order = place(shop, filled_cart(shop, make_variant()))
    with shop.session() as s:
        orders.cancel_order(s, order.id, "x")
        with pytest.raises(checkout.OrderNotPayable):
            checkout.start_payment(s, order.id, provider, "http://shop.test/done")


def test_a_fully_discounted_order_is_paid_at_once(shop: Database, make_variant: MakeVariant) -> None:
    from decimal import Decimal

    with shop.session() as s:
        cart.save_discount_code(s, cart.DiscountRule("FREEBIE", "percent", percent=Decimal(100)))
    vid = make_variant(stock=1)
    order = place(shop, filled_cart(shop, vid, code="FREEBIE"), method="sk_pickup")
    assert order.status == "paid" and order.totals.total.is_zero()
    with shop.session() as s:
        assert inventory.stock_level(s, vid) == (0, 0)
        assert cart.discount_usage(s, "FREEBIE", "cus_1").times_used == 1


def test_placing_with_a_stale_cart_version_is_refused(shop: Database, make_variant: MakeVariant) -> None:
    vid = make_variant(stock=5)
    cid = filled_cart(shop, vid)
    with shop.session() as s:
        version = cart.get_cart(s, cid).version
        cart.add_item(s, cid, vid, 1)
    with shop.session() as s, pytest.raises(cart.VersionConflict):
        checkout.place_order(s, cid, CONTACT, ADDRESS, "sk_courier", expected_version=version)
    with shop.session() as s:
        assert inventory.available(s, [vid]) == {vid: 5}


def test_a_known_shopper_profile_learns_the_address_and_the_purchase(
    shop: Database, make_variant: MakeVariant, provider: DemoPaymentProvider
) -> None:
    from shopkeeper import customers

    with shop.session() as s:
        shopper = customers.resolve_customer(s, "webchat", "visitor-42").id
    order = place(shop, filled_cart(shop, make_variant(stock=2), customer=shopper))
    with shop.session() as s:
        payment = checkout.start_payment(s, order.id, provider, "http://shop.test/done")
    pay(shop, provider, payment.id, payment.amount)
    with shop.session() as s:
        profile = customers.get_customer(s, shopper)
        assert (profile.name, profile.email) == ("Anna Nováková", "anna@example.com")
        assert [a.postcode for a in customers.list_addresses(s, shopper)] == ["811 01"]
        bought = customers.recent_activity(s, shopper, kinds=["purchased"])
        assert [a.data["order_id"] for a in bought] == [order.id]


def test_the_payment_page_expires_with_the_stock_hold(
    shop: Database, make_variant: MakeVariant, provider: DemoPaymentProvider
) -> None:
    order = place(shop, filled_cart(shop, make_variant()))
    with shop.session() as s:
        payment = checkout.start_payment(s, order.id, provider, "http://shop.test/done")
        held_until = inventory.hold_expires_at(s, order.id)
    assert payment.expires_at is not None and held_until is not None
    assert payment.expires_at <= held_until


def test_no_payment_once_the_hold_has_run_out(
    shop: Database, make_variant: MakeVariant, provider: DemoPaymentProvider
) -> None:
    cid = filled_cart(shop, make_variant())
    with shop.session() as s:
        order = checkout.place_order(s, cid, CONTACT, ADDRESS, "sk_courier", reservation_minutes=0)
    with shop.session() as s, pytest.raises(checkout.OrderNotPayable):
        checkout.start_payment(s, order.id, provider, "http://shop.test/done")

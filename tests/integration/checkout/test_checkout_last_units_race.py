"""No oversell: 30 buyers race for the last 5 units, each in its own thread and session, on the
real database; exactly 5 get an order and exactly 5 orders end up paid."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from shopkeeper import cart, checkout, inventory, orders, payments
from shopkeeper.adapters.payments.demo import DemoPaymentProvider
from shopkeeper.kernel.db import Database

MakeVariant = Callable[..., str]

BUYERS = 30
UNITS = 5
CONTACT = checkout.validate_contact("Jan Kowalski", "jan@example.com", None, "PL")
ADDRESS = checkout.validate_address("Jan Kowalski", "ul. Prosta 1", "Warszawa", "00-850", "PL")


def test_thirty_buyers_for_the_last_five_units_make_exactly_five_paid_orders(
    shop: Database, make_variant: MakeVariant
) -> None:
    vid = make_variant(price="99.00", stock=UNITS)
    cart_ids = []
    for i in range(BUYERS):  # every buyer already has the item in the cart: stock looked free to all
        with shop.session() as s:
            cid = cart.open_cart(s, f"cus_{i:02d}", "EUR").id
            cart.add_item(s, cid, vid, 1)
            cart_ids.append(cid)
    start = threading.Barrier(BUYERS)

    def buy(cart_id: str) -> str:
        start.wait()
        try:
            with shop.session() as s:
                return checkout.place_order(s, cart_id, CONTACT, ADDRESS, "pl_courier").id
        except inventory.OutOfStock:
            return "out_of_stock"

    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        outcomes = list(pool.map(buy, cart_ids))
    placed = [o for o in outcomes if o != "out_of_stock"]
    assert len(placed) == UNITS and outcomes.count("out_of_stock") == BUYERS - UNITS

    provider = DemoPaymentProvider("http://shop.test", "race-secret")
    pay_start = threading.Barrier(UNITS)

    def pay(order_id: str) -> str:
        with shop.session() as s:
            payment = checkout.start_payment(s, order_id, provider, "http://shop.test/done")
        body, headers = provider.signed_request(provider.build_event(payment.id, "succeeded", payment.amount))
        pay_start.wait()
        return payments.handle_webhook(shop, provider, body, headers).outcome

    with ThreadPoolExecutor(max_workers=UNITS) as pool:
        assert list(pool.map(pay, placed)) == ["applied"] * UNITS

    with shop.session() as s:
        statuses = [orders.get_order(s, oid).status for oid in placed]
        numbers = {orders.get_order(s, oid).number for oid in placed}
        assert statuses == ["paid"] * UNITS and len(numbers) == UNITS
        assert inventory.stock_level(s, vid) == (0, 0)
        assert inventory.available(s, [vid]) == {vid: 0}

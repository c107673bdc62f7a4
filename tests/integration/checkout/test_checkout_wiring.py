"""checkout.wire(services): the composition-root hook installs the listeners, the refund sender
and the periodic expiry job, so a real app refunds cancelled paid orders and lapses unpaid ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import time_machine

from shopkeeper import cart, checkout, inventory, orders, payments
from shopkeeper.adapters.payments.demo import DemoPaymentProvider
from shopkeeper.bootstrap import Services
from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.db import Database
from shopkeeper.settings import Settings

MakeVariant = Callable[..., str]
CONTACT = checkout.validate_contact("Jo Bloggs", "jo@example.com", None, "GB")
ADDRESS = checkout.validate_address("Jo Bloggs", "10 Downing St", "London", "SW1A 2AA", "UK")


def wired(db: Database) -> tuple[Services, DemoPaymentProvider]:
    provider = DemoPaymentProvider("http://shop.test", "wire-secret")
    services = Services(
        settings=Settings(reservation_minutes=15),
        db=db,
        bus=db.bus,
        payment_provider=provider,
        payment_providers={"demo": provider},
    )
    checkout.wire(services)
    return services, provider


def order_for(db: Database, variant_id: str) -> orders.OrderView:
    with db.session() as s:
        cid = cart.open_cart(s, "cus_w", "EUR").id
        cart.add_item(s, cid, variant_id, 1)
    with db.session() as s:
        return checkout.place_order(s, cid, CONTACT, ADDRESS, "uk_standard")


def test_wired_app_refunds_a_cancelled_paid_order(database: Database, make_variant: MakeVariant) -> None:
    _, provider = wired(database)
    order = order_for(database, make_variant(stock=1))
    with database.session() as s:
        payment = checkout.start_payment(s, order.id, provider, "http://shop.test/done")
    body, headers = provider.signed_request(provider.build_event(payment.id, "succeeded", payment.amount))
    payments.handle_webhook(database, provider, body, headers)
    with database.session() as s:
        orders.cancel_order(s, order.id, "shopper asked")
    with database.session() as s:
        assert payments.get_payment(s, payment.id).status == "refunded"
        assert inventory.available(s, [order.lines[0].variant_id]) == {order.lines[0].variant_id: 1}


def test_wired_periodic_job_cancels_orders_left_unpaid(database: Database, make_variant: MakeVariant) -> None:
    services, _ = wired(database)
    order = order_for(database, make_variant(stock=1))
    with database.session() as s:
        held_until = inventory.hold_expires_at(s, order.id)
    assert held_until is not None and held_until - utcnow() <= timedelta(minutes=15)
    jobs = services.extras["periodic"]
    with time_machine.travel(utcnow() + timedelta(minutes=16), tick=False):
        for job in jobs:
            job(services)
    with database.session() as s:
        got = orders.get_order(s, order.id)
        assert got.status == "cancelled" and got.cancel_reason == "payment_timeout"

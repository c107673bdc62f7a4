"""Orders against a real database: numbers, history, the state machine, cancel and its stock."""

from __future__ import annotations

import pytest

from shopkeeper import inventory, orders
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.money import Money

EUR = "EUR"


def new_order(customer: str = "cus_1", order_id: str | None = None) -> orders.NewOrder:
    unit = Money(2500, EUR)
    line = orders.OrderLine("var_a", "prd_a", "Trail boots", "43 / black", 2, unit, unit * 2, Money(0, EUR))
    totals = orders.OrderTotals(
        subtotal=Money(5000, EUR),
        discount=Money(0, EUR),
        shipping=Money(490, EUR),
        tax=Money(877, EUR),
        total=Money(5490, EUR),
        tax_inclusive=True,
        tax_rate="0.19",
        shipping_method_id="eu_standard",
        shipping_method_name="Standard",
    )
    return orders.NewOrder(
        customer_id=customer,
        conversation_id="cnv_1",
        cart_id=None,
        lines=[line],
        totals=totals,
        contact={"name": "Jo", "email": "jo@example.com"},
        shipping_address={"country": "DE"},
        order_id=order_id,
    )


def test_order_numbers_are_sequential_and_human_friendly(database: Database) -> None:
    with database.session() as s:
        a = orders.create_order(s, new_order())
        b = orders.create_order(s, new_order())
    assert (a.number, b.number) == ("SK-10001", "SK-10002")
    with database.session() as s:
        assert orders.find_order_by_number(s, "sk-10002").id == b.id  # type: ignore[union-attr]


def test_placed_order_keeps_its_snapshot_and_history(database: Database) -> None:
    heard: list[object] = []
    database.bus.subscribe(orders.OrderPlaced, heard.append)
    with database.session() as s:
        placed = orders.create_order(s, new_order())
    with database.session() as s:
        got = orders.get_order(s, placed.id)
    assert got.status == "awaiting_payment"
    assert got.lines[0].unit_price == Money(2500, EUR) and got.totals.total == Money(5490, EUR)
    assert [(h.from_status, h.to_status) for h in got.history] == [(None, "awaiting_payment")]
    assert len(heard) == 1


def test_full_happy_path_records_every_step(database: Database) -> None:
    with database.session() as s:
        oid = orders.create_order(s, new_order()).id
        orders.mark_paid(s, oid, "pay_1")
        orders.mark_fulfilled(s, oid)
        orders.mark_shipped(s, oid, "https://track.example/1")
        done = orders.mark_delivered(s, oid)
    assert done.status == "delivered" and done.tracking_url == "https://track.example/1"
    assert [h.to_status for h in done.history] == [
        "awaiting_payment",
        "paid",
        "fulfilled",
        "shipped",
        "delivered",
    ]
    assert all(h.at is not None and h.at.tzinfo is not None for h in done.history)


def test_illegal_moves_raise_and_change_nothing(database: Database) -> None:
    with database.session() as s:
        oid = orders.create_order(s, new_order()).id
        with pytest.raises(orders.IllegalTransition):
            orders.mark_shipped(s, oid)
        with pytest.raises(orders.IllegalTransition):
            orders.refund(s, oid)
        assert orders.get_order(s, oid).status == "awaiting_payment"


def test_cancel_unpaid_releases_its_stock(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 2)
        order = orders.create_order(s, new_order(order_id="ord_x"))
        inventory.reserve(s, order.id, [("var_a", 2)], ttl_minutes=30)
    heard: list[orders.RefundRequested] = []
    database.bus.subscribe(orders.RefundRequested, heard.append)
    with database.session() as s:
        cancelled = orders.cancel_order(s, "ord_x", "changed my mind")
        assert inventory.available(s, ["var_a"]) == {"var_a": 2}
    assert cancelled.status == "cancelled" and cancelled.cancel_reason == "changed my mind"
    assert heard == []


def test_cancel_paid_restocks_and_asks_for_a_refund(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 2)
        orders.create_order(s, new_order(order_id="ord_y"))
        inventory.reserve(s, "ord_y", [("var_a", 2)], ttl_minutes=30)
        inventory.convert(s, "ord_y")
        orders.mark_paid(s, "ord_y", "pay_9")
    heard: list[orders.RefundRequested] = []
    database.bus.subscribe(orders.RefundRequested, heard.append)
    with database.session() as s:
        orders.cancel_order(s, "ord_y", "shopper asked")
        assert inventory.stock_level(s, "var_a") == (2, 0)
    assert [(e.payment_id, e.amount) for e in heard] == [("pay_9", Money(5490, EUR))]


def test_fulfilled_orders_cannot_be_cancelled(database: Database) -> None:
    with database.session() as s:
        oid = orders.create_order(s, new_order()).id
        orders.mark_paid(s, oid)
        orders.mark_fulfilled(s, oid)
        with pytest.raises(orders.IllegalTransition):
            orders.cancel_order(s, oid, "too late")


def test_a_shopper_sees_only_their_orders(database: Database) -> None:
    with database.session() as s:
        mine = orders.create_order(s, new_order("cus_me")).id
        theirs = orders.create_order(s, new_order("cus_other")).id
    with database.session() as s:
        assert [o.id for o in orders.list_orders(s, "cus_me")] == [mine]
        assert orders.access_order(s, mine, "cus_me").id == mine
        with pytest.raises(orders.OrderNotFound):
            orders.access_order(s, theirs, "cus_me")


def test_a_transaction_reading_an_order_again_sees_every_change_it_made(database: Database) -> None:
    # views are remembered within a transaction: each write, and a rolled-back savepoint, must
    # drop what was remembered, or a listener reading the order after a move sees the old one
    with database.session() as s:
        placed = orders.create_order(s, new_order())
        assert orders.get_order(s, placed.id).payment_id is None
        orders.attach_payment(s, placed.id, "pay_1")
        assert orders.get_order(s, placed.id).payment_id == "pay_1"
        orders.mark_paid(s, placed.id)
        seen = orders.find_order(s, placed.id)
        assert seen is not None and seen.status == "paid"
        assert [h.to_status for h in seen.history] == ["awaiting_payment", "paid"]
        with pytest.raises(RuntimeError), s.begin_nested():
            orders.mark_fulfilled(s, placed.id)
            assert orders.get_order(s, placed.id).status == "fulfilled"
            raise RuntimeError("undo the fulfilment")
        assert orders.get_order(s, placed.id).status == "paid"
    with database.session() as s:
        assert orders.get_order(s, placed.id).status == "paid"

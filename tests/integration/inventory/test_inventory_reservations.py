"""Stock and reservations against a real database (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopkeeper import inventory
from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.db import Database


def test_set_stock_creates_then_updates(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 5)
    with database.session() as s:
        inventory.set_stock(s, "var_a", 7)
        assert inventory.available(s, ["var_a", "var_missing"]) == {"var_a": 7, "var_missing": 0}


def test_reserve_takes_units_out_of_availability(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 5)
        inventory.reserve(s, "ord_1", [("var_a", 2), ("var_a", 1)], ttl_minutes=30)
    with database.session() as s:
        assert inventory.available(s, ["var_a"]) == {"var_a": 2}
        assert inventory.stock_level(s, "var_a") == (5, 3)
        assert inventory.reservations_of(s, "ord_1") == {"active": 3}


def test_reserve_is_all_or_nothing_when_one_line_is_short(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 5)
        inventory.set_stock(s, "var_b", 1)
    with database.session() as s:
        with pytest.raises(inventory.OutOfStock) as info:
            inventory.reserve(s, "ord_1", [("var_a", 2), ("var_b", 2)], ttl_minutes=30)
        assert (info.value.variant_id, info.value.requested, info.value.available) == ("var_b", 2, 1)
        assert info.value.code == "out_of_stock"
        # the same session goes on: the first line's hold was undone by the savepoint
        assert inventory.available(s, ["var_a", "var_b"]) == {"var_a": 5, "var_b": 1}
        assert inventory.reservations_of(s, "ord_1") == {}


def test_reserve_fails_when_stock_taken_by_another_buyer(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 1)
        inventory.reserve(s, "ord_1", [("var_a", 1)], ttl_minutes=30)
    with database.session() as s, pytest.raises(inventory.OutOfStock):
        inventory.reserve(s, "ord_2", [("var_a", 1)], ttl_minutes=30)


def test_release_gives_units_back_once(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 3)
        inventory.reserve(s, "ord_1", [("var_a", 2)], ttl_minutes=30)
    with database.session() as s:
        assert inventory.release(s, "ord_1") == 2
        assert inventory.release(s, "ord_1") == 0
        assert inventory.stock_level(s, "var_a") == (3, 0)


def test_convert_takes_held_units_out_of_stock(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 3)
        inventory.reserve(s, "ord_1", [("var_a", 2)], ttl_minutes=30)
    with database.session() as s:
        assert inventory.convert(s, "ord_1") == []
        assert inventory.convert(s, "ord_1") == []  # a replay changes nothing
        assert inventory.stock_level(s, "var_a") == (1, 0)
        assert inventory.restock(s, "ord_1") == 2
        assert inventory.stock_level(s, "var_a") == (3, 0)


def test_expiry_releases_overdue_holds_and_announces_them(database: Database) -> None:
    heard: list[inventory.ReservationExpired] = []
    database.bus.subscribe(inventory.ReservationExpired, heard.append)
    with database.session() as s:
        inventory.set_stock(s, "var_a", 3)
        inventory.reserve(s, "ord_old", [("var_a", 1)], ttl_minutes=10)
        inventory.reserve(s, "ord_new", [("var_a", 1)], ttl_minutes=60)
    with database.session() as s:
        assert inventory.expire_reservations(s, utcnow() + timedelta(minutes=30)) == 1
        assert inventory.available(s, ["var_a"]) == {"var_a": 2}
        assert inventory.expire_reservations(s, utcnow() + timedelta(minutes=30)) == 0
    assert [e.reference for e in heard] == ["ord_old"]


def test_late_payment_after_expiry_takes_free_stock_if_still_there(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 2)
        inventory.reserve(s, "ord_1", [("var_a", 1)], ttl_minutes=1)
        inventory.expire_reservations(s, utcnow() + timedelta(minutes=5))
    with database.session() as s:
        assert inventory.convert(s, "ord_1") == []
        assert inventory.stock_level(s, "var_a") == (1, 0)
        assert inventory.reservations_of(s, "ord_1") == {"converted": 1}


def test_late_payment_after_expiry_reports_what_was_sold_meanwhile(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 1)
        inventory.reserve(s, "ord_1", [("var_a", 1)], ttl_minutes=1)
        inventory.expire_reservations(s, utcnow() + timedelta(minutes=5))
        inventory.reserve(s, "ord_2", [("var_a", 1)], ttl_minutes=30)
    with database.session() as s:
        assert inventory.convert(s, "ord_1") == ["var_a"]
        assert inventory.stock_level(s, "var_a") == (1, 1)


def test_quantities_must_be_positive(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_a", 1)
        with pytest.raises(inventory.InvalidQuantity):
            inventory.reserve(s, "ord_1", [("var_a", 0)], ttl_minutes=30)
        with pytest.raises(inventory.InvalidQuantity):
            inventory.set_stock(s, "var_a", -1)

"""`set_stock_many` (catalog imports) sets levels exactly as `set_stock` one by one would."""

from __future__ import annotations

import pytest

from shopkeeper import inventory
from shopkeeper.kernel.db import Database


def test_set_stock_many_inserts_new_rows_and_updates_existing_ones_keeping_holds(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock(s, "var_old", 10)
        inventory.reserve(s, "ord_1", [("var_old", 4)], ttl_minutes=60)
    with database.session() as s:
        inventory.set_stock_many(s, {"var_old": 6, "var_new": 3, "var_zero": 0})
    with database.session() as s:
        assert inventory.available(s, ["var_old", "var_new", "var_zero"]) == {
            "var_old": 2,  # 6 on hand, the 4 held stay held
            "var_new": 3,
            "var_zero": 0,
        }
        assert inventory.stock_level(s, "var_old") == (6, 4)


def test_set_stock_many_refuses_a_negative_level_and_writes_nothing(database: Database) -> None:
    with pytest.raises(inventory.InvalidQuantity), database.session() as s:
        inventory.set_stock_many(s, {"var_a": 2, "var_b": -1})
    with database.session() as s:
        assert inventory.available(s, ["var_a"]) == {"var_a": 0}


def test_set_stock_many_with_nothing_to_set_is_a_no_op(database: Database) -> None:
    with database.session() as s:
        inventory.set_stock_many(s, {})
        assert inventory.available(s, ["var_a"]) == {"var_a": 0}

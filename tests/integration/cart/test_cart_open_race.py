"""Twelve requests opening the same shopper's cart at once still make one open cart."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from shopkeeper import cart
from shopkeeper.kernel.db import Database


@pytest.mark.parametrize("threads", [12])
def test_concurrent_open_cart_makes_one_cart(database: Database, threads: int) -> None:
    gate = threading.Barrier(threads)

    def open_one(_: int) -> str:
        gate.wait()
        with database.session() as s:
            return cart.open_cart(s, "cus_same", "EUR").id

    with ThreadPoolExecutor(max_workers=threads) as pool:
        ids = set(pool.map(open_one, range(threads)))
    assert len(ids) == 1

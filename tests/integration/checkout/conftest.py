"""Checkout test fixtures: a configured checkout and catalog variants with stock."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from shopkeeper import checkout, inventory
from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.db import Database

MakeVariant = Callable[..., str]


def add_variant(db: Database, price: str = "25.00", stock: int = 10, weight_g: int = 500,
                title: str = "Trail boots", currency: str = "EUR") -> str:
    """A product with one variant in the catalog's tables, and its stock."""
    from shopkeeper.catalog.store import Product, Variant
    from shopkeeper.kernel.money import Money

    now = utcnow()
    pid, vid = new_id("prd"), new_id("var")
    amount = Money.of(price, currency)
    with db.session() as s:
        s.add(Product(id=pid, handle=pid, title=title, description="", tags=[], attributes={},
                      images=[f"/static/demo/img/{pid}.svg"], translations={}, rating=None,
                      review_count=0, price_min_minor=amount.amount_minor, currency=currency,
                      popularity=0, created_at=now, updated_at=now))
        s.flush()
        s.add(Variant(id=vid, product_id=pid, sku=vid, title="43 / black", options={"size": "43"},
                      price_minor=amount.amount_minor, currency=currency, weight_g=weight_g, position=0))
        s.flush()
        inventory.set_stock(s, vid, stock)
    return vid


@pytest.fixture
def shop(database: Database) -> Iterator[Database]:
    checkout.setup(database)
    yield database


@pytest.fixture
def make_variant(shop: Database) -> MakeVariant:
    def make(**kw: object) -> str:
        return add_variant(shop, **kw)  # type: ignore[arg-type]

    return make

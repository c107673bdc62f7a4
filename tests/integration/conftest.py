"""Integration fixtures shared by the commerce tests: a configured checkout and catalog variants
with stock."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from shopkeeper import catalog, checkout
from shopkeeper.kernel.clock import new_id
from shopkeeper.kernel.db import Database

MakeVariant = Callable[..., str]


def add_variant(
    db: Database,
    price: str = "25.00",
    stock: int = 10,
    weight_g: int = 500,
    title: str = "Trail boots",
    currency: str = "EUR",
    handle: str | None = None,
) -> str:
    """A product with one variant, imported through the catalog's public API, with its stock
    (importing the same handle again updates it in place, as a merchant's price change does)."""
    handle = handle or new_id("test")
    record = {
        "handle": handle,
        "title": title,
        "description": "Waterproof leather boots.",
        "brand": "Acme",
        "category": "Shoes",
        "images": [f"/static/demo/img/{handle}.svg"],
        "variants": [
            {
                "sku": handle,
                "title": "43 / black",
                "options": {"size": "43", "color": "black"},
                "price": price,
                "currency": currency,
                "weight_g": weight_g,
                "stock": stock,
            }
        ],
    }
    with db.session() as s:
        report = catalog.import_records(s, [record], encoder=None, currency=currency)
        assert report.ok, report.errors
        return catalog.get_product(s, report.product_ids[0]).variants[0].id


@pytest.fixture
def shop(database: Database) -> Iterator[Database]:
    checkout.setup(database)
    yield database


@pytest.fixture
def make_variant(shop: Database) -> MakeVariant:
    def make(**kw: object) -> str:
        return add_variant(shop, **kw)  # type: ignore[arg-type]

    return make

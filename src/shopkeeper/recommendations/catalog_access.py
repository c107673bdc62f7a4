"""The recommender's only doors to other packages' data: product profiles from the catalog and
sellable stock from inventory. Kept tiny so a change in those packages lands in one place.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopkeeper.recommendations.model import ItemProfile


def load_profile(session: Session, product_id: str) -> ItemProfile | None:
    from shopkeeper import catalog

    try:
        view = catalog.get_product(session, product_id)
    except catalog.ProductNotFound:
        return None
    prices = [v.price for v in view.variants]
    cheapest = min(prices, key=lambda m: m.amount_minor) if prices else None
    return ItemProfile(
        product_id=view.id,
        title=view.title,
        category=view.category,
        brand=view.brand,
        tags=tuple(view.tags),
        attributes={str(k): str(v) for k, v in view.attributes.items()},
        price_minor=cheapest.amount_minor if cheapest else None,
        currency=cheapest.currency if cheapest else None,
        variant_ids=tuple(v.id for v in view.variants),
    )


def product_count(session: Session) -> int:
    from shopkeeper import catalog

    return catalog.count_products(session)


def all_product_ids(session: Session) -> list[str]:
    # the catalog has no public "list every product" call yet; this read-only query is the one
    # place that knows its table (asked the catalog owner for `catalog.list_product_ids`)
    from shopkeeper.catalog.store import Product

    return list(session.scalars(select(Product.id).order_by(Product.id)))


def sellable(session: Session, variants_of: dict[str, tuple[str, ...]]) -> set[str]:
    """Products with at least one variant free to sell (products without variants count as sellable)."""
    from shopkeeper import inventory

    wanted = [v for vids in variants_of.values() for v in vids]
    free = inventory.available(session, wanted) if wanted else {}
    return {pid for pid, vids in variants_of.items() if not vids or any(free.get(v, 0) > 0 for v in vids)}

"""The cart's one window on the catalog: what a variant is called and costs right now.

Kept in one place so the rule "carts and quotes use the current catalog price" has one source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.orm import Session

from shopkeeper import catalog
from shopkeeper.kernel.money import Money


@dataclass(frozen=True)
class VariantInfo:
    variant_id: str
    product_id: str
    product_title: str
    title: str | None
    price: Money
    weight_g: int
    sku: str | None = None
    image_url: str | None = None
    options: dict[str, str] = field(default_factory=dict)


_CACHE = "cart.variants"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    # a session reused for a second transaction must read prices afresh
    session.info.pop(_CACHE, None)


def find_variant(session: Session, variant_id: str) -> VariantInfo | None:
    """The variant as the catalog has it now, or None if it no longer exists.

    Remembered for the rest of the transaction: one turn that adds, shows and quotes a cart reads
    each variant once, and sees one consistent price for it.
    """
    cache: dict[str, VariantInfo | None] = session.info.setdefault(_CACHE, {})
    if variant_id not in cache:
        cache[variant_id] = _read(session, variant_id)
    return cache[variant_id]


def _read(session: Session, variant_id: str) -> VariantInfo | None:
    try:
        v = catalog.get_variant(session, variant_id)
    except (catalog.VariantNotFound, catalog.ProductNotFound):
        return None
    # VariantView may grow an image; until then cart lines carry none (the card shows the product's)
    image = getattr(v, "image_url", None)
    return VariantInfo(
        variant_id=v.id, product_id=v.product_id, product_title=v.product_title, title=v.title or None,
        price=v.price, weight_g=int(v.weight_g or 0), sku=v.sku, image_url=image,
        options={str(k): str(val) for k, val in (v.options or {}).items()},
    )

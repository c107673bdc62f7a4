"""The cart's one window on the catalog: what a variant is called and costs right now.

Kept in one place so the rule "carts and quotes use the current catalog price" has one source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


def _shim_get_variant(session: Session, variant_id: str) -> Any | None:
    # founding-sprint shim until catalog.get_variant lands: reads the catalog's tables directly
    from shopkeeper.catalog.store import Product, Variant

    v = session.get(Variant, variant_id)
    if v is None:
        return None
    p = session.get(Product, v.product_id)
    return {
        "id": v.id, "product_id": v.product_id, "product_title": p.title if p else "", "title": v.title,
        "price": Money(v.price_minor, v.currency), "weight_g": v.weight_g, "sku": v.sku,
        "options": v.options, "image_url": (p.images[0] if p and p.images else None),
    }


def _lookup(session: Session, variant_id: str) -> Any | None:
    getter = getattr(catalog, "get_variant", None)
    if getter is None:
        return _shim_get_variant(session, variant_id)
    try:
        return getter(session, variant_id)
    except Exception as exc:  # the catalog's *_not_found errors mean "gone", anything else is a bug
        if str(getattr(exc, "code", "")).endswith("_not_found"):
            return None
        raise


def find_variant(session: Session, variant_id: str) -> VariantInfo | None:
    """The variant as the catalog has it now, or None if it no longer exists."""
    v = _lookup(session, variant_id)
    if v is None:
        return None
    def get(name: str) -> Any:
        return v.get(name) if isinstance(v, dict) else getattr(v, name, None)

    image = get("image_url")
    if image is None:
        images = get("images") or []
        image = images[0] if images else None
    return VariantInfo(
        variant_id=get("id"), product_id=get("product_id"), product_title=get("product_title") or "",
        title=get("title") or None, price=get("price"), weight_g=int(get("weight_g") or 0),
        sku=get("sku"), image_url=image,
        options={str(k): str(val) for k, val in (get("options") or {}).items()},
    )

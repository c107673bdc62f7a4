"""Catalog endpoints: browse with paging and filters, search with facets, one product, and a
question about a product. Thin: every rule lives in `shopkeeper.catalog`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select

from shopkeeper import catalog
from shopkeeper.catalog.store import Product
from shopkeeper.kernel.money import Money
from shopkeeper.web.deps import get_services

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog"])


class QuestionIn(BaseModel):
    question: str
    language: str = "en"


def _money(m: Money | None) -> dict[str, Any] | None:
    return (
        None
        if m is None
        else {"amount_minor": m.amount_minor, "currency": m.currency, "text": m.format("en")}
    )


def _product(view: catalog.ProductView, language: str = "en") -> dict[str, Any]:
    v = catalog.localized(view, language)
    return {
        "id": v.id,
        "handle": v.handle,
        "title": v.title,
        "description": v.description,
        "brand": v.brand,
        "category": v.category,
        "tags": v.tags,
        "attributes": v.attributes,
        "images": v.images,
        "rating": v.rating,
        "review_count": v.review_count,
        "variants": [
            {
                "id": x.id,
                "sku": x.sku,
                "title": x.title,
                "options": x.options,
                "price": _money(x.price),
                "compare_at": _money(x.compare_at),
                "weight_g": x.weight_g,
            }
            for x in v.variants
        ],
    }


def _summary(view: catalog.ProductView, language: str) -> dict[str, Any]:
    full = _product(view, language)
    prices = [x.price for x in view.variants]
    return {k: full[k] for k in ("id", "handle", "title", "brand", "category", "images", "rating")} | {
        "price_from": _money(min(prices, key=lambda m: m.amount_minor)) if prices else None
    }


def _filters(
    price_min: str | None,
    price_max: str | None,
    currency: str,
    color: list[str],
    size: list[str],
    brand: list[str],
    category: list[str],
    min_rating: float | None,
    in_stock: bool,
) -> catalog.Filters:
    return catalog.Filters(
        price_min=Money.of(price_min, currency) if price_min else None,
        price_max=Money.of(price_max, currency) if price_max else None,
        colors=color,
        sizes=size,
        brands=brand,
        categories=category,
        min_rating=min_rating,
        in_stock=in_stock,
    )


@router.get("/products")
def browse(
    services: Any = Depends(get_services),
    offset: int = Query(0, ge=0),
    limit: int = Query(20, ge=1, le=100),
    brand: str | None = None,
    category: str | None = None,
    language: str = "en",
) -> dict[str, Any]:
    with services.db.session() as session:
        q = select(Product.id).order_by(Product.title, Product.id)
        if brand:
            q = q.where(Product.brand == brand)
        if category:
            q = q.where(Product.category == category)
        ids = list(session.execute(q.offset(offset).limit(limit + 1)).scalars())
        items = [_summary(catalog.get_product(session, pid), language) for pid in ids[:limit]]
    return {"items": items, "offset": offset, "limit": limit, "has_more": len(ids) > limit}


@router.get("/search")
def search(
    q: str,
    services: Any = Depends(get_services),
    language: str = "en",
    offset: int = Query(0, ge=0),
    limit: int = Query(10, ge=1, le=50),
    price_min: str | None = None,
    price_max: str | None = None,
    currency: str = "EUR",
    color: list[str] = Query(default=[]),
    size: list[str] = Query(default=[]),
    brand: list[str] = Query(default=[]),
    category: list[str] = Query(default=[]),
    min_rating: float | None = None,
    in_stock: bool = False,
) -> dict[str, Any]:
    flt = _filters(price_min, price_max, currency, color, size, brand, category, min_rating, in_stock)
    service: catalog.SearchService = services.search or catalog.SearchService(services.db)
    result = service.search(catalog.SearchQuery(q, language, flt, offset, limit))
    with services.db.session() as session:
        items = [
            _summary(catalog.get_product(session, h.product_id), language) | {"score": h.score}
            for h in result.hits
        ]
    return {
        "items": items,
        "total": result.total,
        "relaxed": result.relaxed,
        "explanation": result.explanation,
        "did_you_mean": result.did_you_mean,
        "facets": result.facets,
        "search_id": result.log_id,
    }


@router.get("/products/{product_id}")
def product(product_id: str, services: Any = Depends(get_services), language: str = "en") -> dict[str, Any]:
    with services.db.session() as session:
        return _product(catalog.get_product(session, product_id), language)


@router.post("/products/{product_id}/question")
def question(product_id: str, body: QuestionIn, services: Any = Depends(get_services)) -> dict[str, Any]:
    with services.db.session() as session:
        a = catalog.answer_question(session, product_id, body.question, body.language)
    return {"answer": a.answer, "evidence": a.evidence, "confidence": a.confidence, "source": a.source}

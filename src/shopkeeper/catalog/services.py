"""Catalog use cases: write products (with their index entries and vectors, in the caller's
transaction), read them as views, and list the vocabulary NLU gazetteers need."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar, cast

import numpy as np
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from shopkeeper import inventory
from shopkeeper.catalog.documents import search_document, vector_text
from shopkeeper.catalog.errors import InvalidRecord, ProductNotFound, VariantNotFound
from shopkeeper.catalog.index import bump, write_documents
from shopkeeper.catalog.model import (
    COLOR_KEYS,
    SIZE_KEYS,
    CatalogVocabulary,
    ProductView,
    ReviewView,
    VariantView,
)
from shopkeeper.catalog.store import Product, ProductVector, Review, SearchDocument, Variant
from shopkeeper.catalog.vectors import TextEncoder, text_hash, to_blob
from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.money import Money


def _option(options: dict[str, str], keys: Sequence[str]) -> str | None:
    for k in keys:
        if options.get(k):
            return str(options[k]).strip().lower()[:60]
    return None


def write_products(
    session: Session, records: list[dict[str, Any]], encoder: TextEncoder | None
) -> tuple[list[str], int]:
    """Upsert cleaned records by handle (variants by sku); returns (product ids, how many existed)."""
    now = utcnow()
    handles = [r["handle"] for r in records]
    existing: dict[str, str] = {}
    for i in range(0, len(handles), 500):
        existing.update(
            session.execute(
                select(Product.handle, Product.id).where(Product.handle.in_(handles[i : i + 500]))
            ).all()
        )
    _check_skus(session, records, existing)
    ids: list[str] = []
    new_rows: list[dict[str, Any]] = []
    upd_rows: list[dict[str, Any]] = []
    for r in records:
        pid = existing.get(r["handle"]) or new_id("prd")
        ids.append(pid)
        prices = [v["price"] for v in r["variants"]]
        rating = (sum(x["rating"] for x in r["reviews"]) / len(r["reviews"])) if r["reviews"] else None
        row = {
            "id": pid,
            "handle": r["handle"],
            "title": r["title"],
            "description": r["description"],
            "brand": r["brand"],
            "category": r["category"],
            "tags": r["tags"],
            "attributes": r["attributes"],
            "images": r["images"],
            "translations": r["translations"],
            "rating": rating,
            "review_count": len(r["reviews"]),
            "price_min_minor": min(p.amount_minor for p in prices) if prices else None,
            "currency": prices[0].currency if prices else None,
            "updated_at": now,
        }
        (upd_rows if r["handle"] in existing else new_rows).append(row)
    for i in range(0, len(new_rows), 1000):
        session.execute(
            insert(Product), [{**x, "created_at": now, "popularity": 0} for x in new_rows[i : i + 1000]]
        )
    for row in upd_rows:
        session.execute(update(Product).where(Product.id == row["id"]).values(**row))
    _write_variants(session, records, ids, existing)
    _write_reviews(session, records, ids, existing, now)
    write_documents(session, [search_document(pid, r) for pid, r in zip(ids, records, strict=True)])
    if encoder is not None:
        write_vectors(session, ids, [vector_text(r) for r in records], encoder)
    return ids, len(upd_rows)


def _check_skus(session: Session, records: list[dict[str, Any]], existing: dict[str, str]) -> None:
    skus = [v["sku"] for r in records for v in r["variants"]]
    if len(skus) != len(set(skus)):
        raise InvalidRecord("a sku appears in two products of this import", "sku")
    owners: dict[str, str] = {}
    for i in range(0, len(skus), 500):
        owners.update(
            session.execute(
                select(Variant.sku, Variant.product_id).where(Variant.sku.in_(skus[i : i + 500]))
            ).all()
        )
    for r in records:
        for v in r["variants"]:
            owner = owners.get(v["sku"])
            if owner is not None and owner != existing.get(r["handle"]):
                raise InvalidRecord(f"sku {v['sku']!r} belongs to another product", "sku")


def _write_variants(
    session: Session, records: list[dict[str, Any]], ids: list[str], existing: dict[str, str]
) -> None:
    old: dict[str, str] = {}
    touched = [pid for pid, r in zip(ids, records, strict=True) if r["handle"] in existing]
    if touched:
        old = dict(
            session.execute(select(Variant.sku, Variant.id).where(Variant.product_id.in_(touched))).all()
        )
    keep: set[str] = set()
    new_rows: list[dict[str, Any]] = []
    upd_rows: list[dict[str, Any]] = []
    stock: dict[str, int] = {}
    for pid, r in zip(ids, records, strict=True):
        for pos, v in enumerate(r["variants"]):
            vid = old.get(v["sku"]) or new_id("var")
            keep.add(vid)
            row = {
                "id": vid,
                "product_id": pid,
                "sku": v["sku"],
                "title": v["title"],
                "options": v["options"],
                "color": _option(v["options"], COLOR_KEYS),
                "size": _option(v["options"], SIZE_KEYS),
                "price_minor": v["price"].amount_minor,
                "currency": v["price"].currency,
                "compare_at_minor": v["compare_at"].amount_minor if v["compare_at"] else None,
                "weight_g": v["weight_g"],
                "position": pos,
            }
            (upd_rows if v["sku"] in old else new_rows).append(row)
            if v["stock"] is not None:
                stock[vid] = v["stock"]
    # executemany in a few statements: one statement per variant was most of an import's time
    for i in range(0, len(new_rows), 1000):
        session.execute(insert(Variant), new_rows[i : i + 1000])
    if upd_rows:
        session.execute(update(Variant), upd_rows)  # ORM bulk UPDATE by primary key
    inventory.set_stock_many(session, stock)
    gone = [vid for vid in old.values() if vid not in keep]
    if gone:
        session.execute(delete(Variant).where(Variant.id.in_(gone)))


def _write_reviews(
    session: Session, records: list[dict[str, Any]], ids: list[str], existing: dict[str, str], now: Any
) -> None:
    replace = [pid for pid, r in zip(ids, records, strict=True) if r["handle"] in existing and r["reviews"]]
    if replace:
        session.execute(delete(Review).where(Review.product_id.in_(replace)))
    # a microsecond apart, so reviews read back (ordered by created_at) in the file's order
    rows = [
        {"id": new_id("rev"), "product_id": pid, "created_at": now + timedelta(microseconds=n), **rv}
        for n, (pid, rv) in enumerate(
            (pid, rv) for pid, r in zip(ids, records, strict=True) for rv in r["reviews"]
        )
    ]
    for i in range(0, len(rows), 1000):
        session.execute(insert(Review), rows[i : i + 1000])


def write_vectors(session: Session, product_ids: list[str], texts: list[str], encoder: TextEncoder) -> int:
    """Embed what changed (by content hash) and store it with the product; returns how many."""
    todo = stale_vectors(session, product_ids, texts, encoder)
    if not todo:
        return 0
    vecs = encoder.encode([texts[i] for i in todo])
    return store_vectors(session, [product_ids[i] for i in todo], [texts[i] for i in todo], vecs, encoder)


def stale_vectors(
    session: Session, product_ids: list[str], texts: list[str], encoder: TextEncoder
) -> list[int]:
    """Positions of the products whose stored vector from `encoder` is missing or of another text."""
    hashes = [text_hash(encoder.name, t) for t in texts]
    have: dict[str, str] = {}
    for i in range(0, len(product_ids), 500):
        have.update(
            session.execute(
                select(ProductVector.product_id, ProductVector.content_hash)
                .where(ProductVector.product_id.in_(product_ids[i : i + 500]))
                .where(ProductVector.model == encoder.name)
            ).all()
        )
    return [i for i, (pid, h) in enumerate(zip(product_ids, hashes, strict=True)) if have.get(pid) != h]


def store_vectors(
    session: Session, product_ids: list[str], texts: list[str], vecs: Any, encoder: TextEncoder
) -> int:
    """Store one vector per product (replacing an older one), with its text's hash."""
    for i in range(0, len(product_ids), 500):
        session.execute(delete(ProductVector).where(ProductVector.product_id.in_(product_ids[i : i + 500])))
    rows = [
        {
            "product_id": pid,
            "model": encoder.name,
            "content_hash": text_hash(encoder.name, t),
            "vector": to_blob(np.asarray(v)),
        }
        for pid, t, v in zip(product_ids, texts, vecs, strict=True)
    ]
    for i in range(0, len(rows), 1000):
        session.execute(insert(ProductVector), rows[i : i + 1000])
    return len(rows)


def vector_texts(session: Session) -> tuple[list[str], list[str]]:
    """Every product id with the text its vector is made of (as an import computes it)."""
    rows = session.execute(select(Product.id, Product.title, Product.brand, Product.category)).all()
    return [r.id for r in rows], [
        vector_text({"title": r.title, "brand": r.brand, "category": r.category}) for r in rows
    ]


def mark_documents_new(session: Session, product_ids: list[str]) -> None:
    """Vectors stored after their products' search documents: a running search loads the vectors
    of documents newer than those it has read, so mark these documents as written now (their
    text is unchanged) and move the index version on."""
    seq = bump(session, "index_version")
    for i in range(0, len(product_ids), 500):
        session.execute(
            update(SearchDocument)
            .where(SearchDocument.product_id.in_(product_ids[i : i + 500]))
            .values(seq=seq)
        )


def _variant_view(v: Variant, product_title: str = "") -> VariantView:
    return VariantView(
        id=v.id,
        sku=v.sku,
        title=v.title,
        options=dict(v.options or {}),
        price=Money(v.price_minor, v.currency),
        compare_at=Money(v.compare_at_minor, v.currency) if v.compare_at_minor is not None else None,
        weight_g=v.weight_g,
        product_id=v.product_id,
        product_title=product_title,
    )


READ_MEMO = "catalog_read_memo"
T = TypeVar("T")


@contextmanager
def remembered_reads(session: Session) -> Iterator[None]:
    """Inside the block a product or variant read twice is read once: one chat turn shows the same
    product in its reply, its cross-sell and its cart. Only for blocks that do not change the
    catalog (stock is never remembered: it is not part of these views)."""
    if READ_MEMO in session.info:
        yield
        return
    session.info[READ_MEMO] = {}
    try:
        yield
    finally:
        session.info.pop(READ_MEMO, None)


def _remembered(session: Session, key: tuple[str, str], load: Callable[[], T]) -> T:
    """`load()`, or what it gave for `key` earlier inside `remembered_reads`."""
    memo: dict[Any, Any] | None = session.info.get(READ_MEMO)
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return cast(T, memo[key])


def get_product(session: Session, product_id: str) -> ProductView:
    return _remembered(session, ("p", product_id), lambda: _load_product(session, product_id))


def _load_product(session: Session, product_id: str) -> ProductView:
    p = session.get(Product, product_id)
    if p is None:
        raise ProductNotFound(product_id)
    variants = (
        session.execute(select(Variant).where(Variant.product_id == p.id).order_by(Variant.position))
        .scalars()
        .all()
    )
    reviews = (
        session.execute(
            select(Review).where(Review.product_id == p.id).order_by(Review.created_at, Review.id)
        )
        .scalars()
        .all()
    )
    return _product_view(p, list(variants), list(reviews))


def get_products(session: Session, product_ids: Sequence[str]) -> list[ProductView]:
    """Several products in the given order with three queries in all (a page of search results
    would otherwise cost three per card); unknown ids are skipped."""
    ids = list(dict.fromkeys(product_ids))
    memo: dict[Any, Any] | None = session.info.get(READ_MEMO)
    if memo is not None and all(("p", i) in memo for i in ids):
        return [memo["p", i] for i in ids]
    if not ids:
        return []
    products = {p.id: p for p in session.execute(select(Product).where(Product.id.in_(ids))).scalars()}
    variants: dict[str, list[Variant]] = {}
    for v in session.execute(
        select(Variant).where(Variant.product_id.in_(ids)).order_by(Variant.product_id, Variant.position)
    ).scalars():
        variants.setdefault(v.product_id, []).append(v)
    reviews: dict[str, list[Review]] = {}
    for r in session.execute(
        select(Review).where(Review.product_id.in_(ids)).order_by(Review.created_at, Review.id)
    ).scalars():
        reviews.setdefault(r.product_id, []).append(r)
    views = [
        _product_view(products[i], variants.get(i, []), reviews.get(i, [])) for i in ids if i in products
    ]
    if memo is not None:
        memo.update({("p", v.id): v for v in views})
    return views


def _product_view(p: Product, variants: list[Variant], reviews: list[Review]) -> ProductView:
    return ProductView(
        id=p.id,
        handle=p.handle,
        title=p.title,
        description=p.description,
        brand=p.brand,
        category=p.category,
        tags=list(p.tags or []),
        attributes=dict(p.attributes or {}),
        images=list(p.images or []),
        rating=p.rating,
        review_count=p.review_count,
        variants=[_variant_view(v, p.title) for v in variants],
        reviews=[ReviewView(r.id, r.rating, r.title, r.body, r.author, r.language) for r in reviews],
        translations=dict(p.translations or {}),
    )


def find_product_by_handle(session: Session, handle: str) -> ProductView | None:
    pid = session.execute(select(Product.id).where(Product.handle == handle)).scalar()
    return get_product(session, pid) if pid else None


def get_variant(session: Session, variant_id: str) -> VariantView:
    return _remembered(session, ("v", variant_id), lambda: _load_variant(session, variant_id))


def _load_variant(session: Session, variant_id: str) -> VariantView:
    row = session.execute(
        select(Variant, Product.title)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.id == variant_id)
    ).first()
    if row is None:
        raise VariantNotFound(variant_id)
    return _variant_view(row[0], row[1])


def localized(view: ProductView, language: str) -> ProductView:
    """The view with title/description in `language` when the merchant translated them."""
    t = view.translations.get(language) or {}
    if not t:
        return view
    from dataclasses import replace

    return replace(
        view, title=t.get("title") or view.title, description=t.get("description") or view.description
    )


def vocabulary(session: Session) -> CatalogVocabulary:
    def distinct(col: Any) -> list[str]:
        return sorted(
            {str(v) for v in session.execute(select(col).where(col.is_not(None)).distinct()).scalars()}
        )

    return CatalogVocabulary(
        brands=distinct(Product.brand),
        categories=distinct(Product.category),
        colors=distinct(Variant.color),
        sizes=distinct(Variant.size),
    )


def count_products(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(Product)).scalar() or 0)

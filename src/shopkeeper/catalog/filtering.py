"""Hard filters over search candidates (price with currency, colour, size, brand, category, rating,
stock), relaxed one at a time with an explanation when nothing is left, and the facets of a result."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopkeeper import inventory
from shopkeeper.catalog.model import Filters
from shopkeeper.catalog.store import Product, Variant

if TYPE_CHECKING:
    from shopkeeper.catalog.ranking import Candidate

RELAX_ORDER = ("colors", "sizes", "brands", "min_rating", "price", "categories", "in_stock")
LABELS = {
    "colors": "colour",
    "sizes": "size",
    "brands": "brand",
    "min_rating": "rating",
    "price": "price",
    "categories": "category",
    "in_stock": "in stock",
}


@dataclass
class VariantFacts:
    color: str | None
    size: str | None
    price_minor: int
    currency: str
    available: int
    variant_id: str = ""


@dataclass
class Facts:
    brand: str | None
    category: str | None
    rating: float | None
    review_count: int
    popularity: int
    variants: list[VariantFacts] = field(default_factory=list)


def load_facts(
    session: Session, product_ids: list[str], cache: dict[str, Facts] | None = None
) -> dict[str, Facts]:
    """Facts of these products; `cache` (cleared by the caller when the catalog changes) keeps the
    static part between searches, while availability is read fresh every time."""
    cache = {} if cache is None else cache
    missing = [pid for pid in product_ids if pid not in cache]
    for i in range(0, len(missing), 500):
        _load_static(session, missing[i : i + 500], cache)
    facts = {pid: cache[pid] for pid in product_ids if pid in cache}
    variant_ids = [v.variant_id for f in facts.values() for v in f.variants]
    if not variant_ids:
        return facts
    stock = inventory.available(session, variant_ids)
    # fresh copies, built positionally: the cached ones are shared by concurrent searches, and
    # dataclasses.replace per variant cost more than the stock query
    return {
        pid: Facts(
            f.brand,
            f.category,
            f.rating,
            f.review_count,
            f.popularity,
            [
                VariantFacts(
                    v.color, v.size, v.price_minor, v.currency, stock.get(v.variant_id, 0), v.variant_id
                )
                for v in f.variants
            ],
        )
        if f.variants
        else f
        for pid, f in facts.items()
    }


def _load_static(session: Session, chunk: list[str], cache: dict[str, Facts]) -> None:
    sellable = []
    for pid, brand, cat, rating, rc, pop, price in session.execute(
        select(
            Product.id,
            Product.brand,
            Product.category,
            Product.rating,
            Product.review_count,
            Product.popularity,
            Product.price_min_minor,
        ).where(Product.id.in_(chunk))
    ):
        cache[pid] = Facts(brand, cat, rating, rc, pop)
        if price is not None:  # has variants
            sellable.append(pid)
    if not sellable:
        return
    rows = session.execute(
        select(
            Variant.id, Variant.product_id, Variant.color, Variant.size, Variant.price_minor, Variant.currency
        ).where(Variant.product_id.in_(sellable))
    ).all()
    for vid, pid, color, size, price, cur in rows:
        cache[pid].variants.append(VariantFacts(color, size, price, cur, 0, vid))


def _norm(values: list[str]) -> set[str]:
    return {v.strip().lower() for v in values if v.strip()}


def matches(f: Facts, flt: Filters) -> bool:
    if flt.brands and (f.brand or "").lower() not in _norm(flt.brands):
        return False
    if flt.categories:
        cat = (f.category or "").lower()
        if not any(c in cat for c in _norm(flt.categories)):
            return False
    if flt.min_rating is not None and (f.rating is None or f.rating < flt.min_rating):
        return False
    needs_variant = bool(flt.colors or flt.sizes or flt.in_stock or flt.price_min or flt.price_max)
    if not needs_variant:
        return True
    colors, sizes = _norm(flt.colors), _norm(flt.sizes)
    for v in f.variants:
        if colors and (v.color or "") not in colors:
            continue
        if sizes and (v.size or "") not in sizes:
            continue
        if flt.in_stock and v.available <= 0:
            continue
        # a price filter in another currency than the variant's cannot be honoured: no match
        if flt.price_min is not None and (
            v.currency != flt.price_min.currency or v.price_minor < flt.price_min.amount_minor
        ):
            continue
        if flt.price_max is not None and (
            v.currency != flt.price_max.currency or v.price_minor > flt.price_max.amount_minor
        ):
            continue
        return True
    return False


def without(flt: Filters, name: str) -> Filters:
    if name == "price":
        return replace(flt, price_min=None, price_max=None)
    if name == "min_rating":
        return replace(flt, min_rating=None)
    if name == "in_stock":
        return replace(flt, in_stock=False)
    if name == "colors":
        return replace(flt, colors=[])
    if name == "sizes":
        return replace(flt, sizes=[])
    if name == "brands":
        return replace(flt, brands=[])
    return replace(flt, categories=[])


def apply_filters(
    cands: list[Candidate], facts: dict[str, Facts], flt: Filters
) -> tuple[list[Candidate], list[str], str | None]:
    """(kept candidates, relaxed filter names, explanation). Exclusions are never relaxed."""
    excluded = set(flt.exclude_ids)
    pool = [c for c in cands if c.product_id not in excluded and c.product_id in facts]
    if not flt.active():
        return pool, [], None
    relaxed: list[str] = []
    current = flt
    while True:
        kept = [c for c in pool if matches(facts[c.product_id], current)]
        if kept or not current.active():
            break
        name = next(n for n in RELAX_ORDER if n in current.active())
        relaxed.append(name)
        current = without(current, name)
    if not relaxed:
        return kept, [], None
    dropped = ", ".join(LABELS[n] for n in relaxed)
    if kept:
        return kept, relaxed, f"Nothing matched every filter; showing results without the {dropped} filter."
    return kept, relaxed, "Nothing matched, even without filters."


def facets(cands: list[Candidate], facts: dict[str, Facts]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {"brand": {}, "category": {}, "color": {}, "size": {}}

    def add(name: str, value: str | None) -> None:
        if value:
            out[name][value] = out[name].get(value, 0) + 1

    for c in cands:
        f = facts[c.product_id]
        add("brand", f.brand)
        add("category", f.category)
        for value in {v.color for v in f.variants}:
            add("color", value)
        for value in {v.size for v in f.variants}:
            add("size", value)
    return {k: dict(sorted(v.items(), key=lambda kv: -kv[1])[:20]) for k, v in out.items()}

"""Catalog value objects (views handed to other packages, search queries and results) and the pure
rules for import records. No database, HTTP or framework imports here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from shopkeeper.catalog.errors import InvalidRecord
from shopkeeper.kernel.money import Money


@dataclass(frozen=True)
class VariantView:
    id: str
    sku: str
    title: str
    options: dict[str, str]
    price: Money
    compare_at: Money | None
    weight_g: int | None
    product_id: str = ""
    product_title: str = ""


@dataclass(frozen=True)
class ReviewView:
    id: str
    rating: int
    title: str
    body: str
    author: str
    language: str


@dataclass(frozen=True)
class ProductView:
    id: str
    handle: str
    title: str
    description: str
    brand: str | None
    category: str | None
    tags: list[str]
    attributes: dict[str, str]
    images: list[str]
    rating: float | None
    review_count: int
    variants: list[VariantView]
    reviews: list[ReviewView]
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Filters:
    price_min: Money | None = None
    price_max: Money | None = None
    colors: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    min_rating: float | None = None
    in_stock: bool = False
    exclude_ids: list[str] = field(default_factory=list)

    def active(self) -> list[str]:
        """Names of the filters that constrain anything, in the order they are relaxed."""
        names = []
        for name in ("colors", "sizes", "brands", "categories"):
            if getattr(self, name):
                names.append(name)
        if self.price_min is not None or self.price_max is not None:
            names.append("price")
        if self.min_rating is not None:
            names.append("min_rating")
        if self.in_stock:
            names.append("in_stock")
        return names


@dataclass(frozen=True)
class SearchQuery:
    text: str
    language: str = "en"
    filters: Filters = field(default_factory=Filters)
    offset: int = 0
    limit: int = 10


@dataclass(frozen=True)
class SearchHit:
    product_id: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    relaxed: list[str] = field(default_factory=list)
    explanation: str | None = None
    did_you_mean: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    log_id: str | None = None


@dataclass(frozen=True)
class ProductAnswer:
    answer: str | None
    evidence: list[str]
    confidence: float
    source: Literal["attribute", "description", "review"] | None


@dataclass(frozen=True)
class CatalogVocabulary:
    brands: list[str]
    categories: list[str]
    colors: list[str]
    sizes: list[str]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (1-based record/row number, message)
    product_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# -- import records --------------------------------------------------------------------------------

COLOR_KEYS = ("color", "colour", "kolor", "颜色")
SIZE_KEYS = ("size", "rozmiar", "尺寸", "尺码")


def parse_price(value: Any, currency: str, field_name: str) -> Money | None:
    """Decimal strings only ("119.00"); a float in the file is refused because it may have drifted."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise InvalidRecord(f"{field_name}: write prices as strings, not floats", field_name)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidRecord(f"{field_name}: {value!r} is not a price", field_name) from exc
    if amount < 0:
        raise InvalidRecord(f"{field_name}: negative price", field_name)
    return Money.of(amount, currency)


def handle_from(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text.strip())
    return "-".join(p for p in out.split("-") if p)[:120] or "product"


def clean_record(raw: dict[str, Any], default_currency: str) -> dict[str, Any]:
    """Validate one product record and return it normalised (prices as Money, handle present).

    Accepts the contract's record and the benchmark shape (`id`, `title`, `description`). A product
    without variants is kept without a price: it can be found and described, not sold.
    """
    if not isinstance(raw, dict):
        raise InvalidRecord("record is not an object")
    title = str(raw.get("title") or "").strip()
    if not title:
        raise InvalidRecord("title is required", "title")
    handle = str(raw.get("handle") or raw.get("id") or handle_from(title)).strip()
    attrs = raw.get("attributes") or {}
    if not isinstance(attrs, dict):
        raise InvalidRecord("attributes must be an object", "attributes")
    tags = raw.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    variants = []
    seen_skus: set[str] = set()
    for i, v in enumerate(raw.get("variants") or []):
        if not isinstance(v, dict):
            raise InvalidRecord(f"variants[{i}] is not an object", "variants")
        currency = str(v.get("currency") or default_currency).upper()
        price = parse_price(v.get("price"), currency, f"variants[{i}].price")
        if price is None:
            raise InvalidRecord(f"variants[{i}].price is required", "price")
        sku = str(v.get("sku") or f"{handle}-{i + 1}").strip()
        if sku in seen_skus:
            raise InvalidRecord(f"duplicate sku {sku!r}", "sku")
        seen_skus.add(sku)
        stock = v.get("stock")
        if stock is not None and (not isinstance(stock, int) or stock < 0):
            raise InvalidRecord(f"variants[{i}].stock must be a whole number >= 0", "stock")
        weight = v.get("weight_g")
        variants.append(
            {
                "sku": sku,
                "title": str(v.get("title") or ""),
                "options": {str(k).lower(): str(val) for k, val in (v.get("options") or {}).items()},
                "price": price,
                "compare_at": parse_price(v.get("compare_at"), currency, f"variants[{i}].compare_at"),
                "weight_g": int(weight) if weight not in (None, "") else None,
                "stock": stock,
            }
        )
    reviews = []
    for i, r in enumerate(raw.get("reviews") or []):
        rating = r.get("rating")
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            raise InvalidRecord(f"reviews[{i}].rating must be 1..5", "rating")
        reviews.append(
            {
                "rating": rating,
                "title": str(r.get("title") or ""),
                "body": str(r.get("body") or ""),
                "author": str(r.get("author") or ""),
                "language": str(r.get("language") or "en"),
            }
        )
    return {
        "handle": handle,
        "title": title,
        "description": str(raw.get("description") or ""),
        "brand": (str(raw["brand"]).strip() or None) if raw.get("brand") else None,
        "category": (str(raw["category"]).strip() or None) if raw.get("category") else None,
        "tags": [str(t) for t in tags],
        "attributes": {str(k): str(v) for k, v in attrs.items()},
        "images": [str(i) for i in raw.get("images") or []],
        "translations": raw.get("translations") or {},
        "variants": variants,
        "reviews": reviews,
    }

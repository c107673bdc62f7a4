"""Pure rules of the product recommender: value objects, time-decayed co-occurrence weights, content
similarity, and the business rules applied on top (stock, exclusions, diversity, price band).
No database, HTTP or framework imports here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

ReasonCode = Literal["also_bought", "similar", "popular", "session", "personal"]
EventKind = Literal["viewed", "added", "purchased", "returned"]
EVENT_KINDS: tuple[str, ...] = ("viewed", "added", "purchased", "returned")

# Forward decay (Cormode et al.): an event at t weighs 2^((t - EPOCH) / HALF_LIFE). Every stored
# weight grows at the same rate, so rankings are decayed without rewriting rows, increments commute
# (incremental updates equal a full rebuild) and old co-occurrences fade with a 90-day half-life.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
HALF_LIFE = timedelta(days=90)
SESSION_GAP = timedelta(hours=2)  # views further apart belong to different browsing sessions
BASKET_WINDOW = timedelta(days=30)  # purchases this close count as bought together (weaker)
SAME_BASKET, NEAR_BASKET = 1.0, 0.4


@dataclass(frozen=True)
class Recommendation:
    product_id: str
    score: float
    reason: str
    reason_code: str


@dataclass(frozen=True)
class TrainReport:
    events: int
    pairs: int
    products: int
    seconds: float


@dataclass(frozen=True)
class ItemProfile:
    """What the recommender keeps about a product (a copy refreshed from the catalog)."""

    product_id: str
    title: str
    category: str | None
    brand: str | None
    tags: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    price_minor: int | None = None
    currency: str | None = None
    variant_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    customer_id: str | None
    kind: str
    product_id: str
    at: datetime


def decay_weight(at: datetime) -> float:
    return float(2.0 ** ((at - EPOCH) / HALF_LIFE))


def pair_increments(new: Sequence[Event], earlier: Sequence[Event]) -> dict[tuple[str, str, str], float]:
    """(kind, product, other) -> weight added when the events `new` (one record call) arrive, given
    the same customer's `earlier` events. Kinds: bought (also-bought), viewed (also-viewed), next."""
    out: dict[tuple[str, str, str], float] = {}

    def add(kind: str, a: str, b: str, w: float) -> None:
        if a != b:
            out[(kind, a, b)] = out.get((kind, a, b), 0.0) + w

    if not new:
        return out
    kind, at = new[0].kind, new[0].at
    w = decay_weight(at)
    ids = list(dict.fromkeys(e.product_id for e in new))
    if kind == "purchased":
        for a in ids:
            for b in ids:
                add("bought", a, b, SAME_BASKET * w)
        recent = {e.product_id for e in earlier if e.kind == "purchased" and at - e.at <= BASKET_WINDOW}
        for a in ids:
            for b in recent - set(ids):
                add("bought", a, b, NEAR_BASKET * w)
                add("bought", b, a, NEAR_BASKET * w)
    elif kind in ("viewed", "added"):
        session = [e for e in earlier if e.kind in ("viewed", "added") and at - e.at <= SESSION_GAP]
        seen = [e.product_id for e in session]
        for a in ids:
            for b in set(seen) | set(ids):
                add("viewed", a, b, w)
                add("viewed", b, a, w)
        chain = [*seen, *ids]
        for i in range(max(len(seen), 1), len(chain)):
            # a view votes for the few views before it, the nearest most (sequential rules)
            for back in range(1, min(3, i) + 1):
                add("next", chain[i - back], chain[i], w / (back * back))
    return out


def popularity_increment(kind: str) -> float:
    """How much one event moves an item's popularity (a return takes a sale back)."""
    return {"viewed": 1.0, "added": 3.0, "purchased": 10.0, "returned": -10.0}.get(kind, 0.0)


def content_similarity(a: ItemProfile, b: ItemProfile) -> float:
    """0..1 from category, brand, shared tags and attributes, and closeness in price (cold start)."""
    if a.product_id == b.product_id:
        return 0.0
    score = 0.45 if a.category and a.category == b.category else 0.0
    tags_a, tags_b = set(a.tags), set(b.tags)
    if tags_a or tags_b:
        score += 0.25 * len(tags_a & tags_b) / len(tags_a | tags_b)
    keys = set(a.attributes) | set(b.attributes)
    if keys:
        same = sum(1 for k in keys if a.attributes.get(k) == b.attributes.get(k))
        score += 0.15 * same / len(keys)
    if a.brand and a.brand == b.brand:
        score += 0.05
    if a.price_minor and b.price_minor and a.currency == b.currency:
        score += 0.10 * math.exp(-abs(math.log(a.price_minor / b.price_minor)))
    return score


def is_substitute(a: ItemProfile, b: ItemProfile) -> bool:
    """Same kind of product (same category and a shared tag, or same category without tags):
    bought instead of, not together with."""
    if not a.category or a.category != b.category:
        return False
    return bool(set(a.tags) & set(b.tags)) or not (a.tags or b.tags)


def price_fit(candidate: ItemProfile, anchor_minor: int | None) -> float:
    """Multiplier for an add-on next to a cart whose dearest item costs `anchor_minor`: cheaper
    add-ons fit ("a case for 9.99"), items dearer than the cart's dearest are pushed down."""
    if not anchor_minor or not candidate.price_minor:
        return 1.0
    ratio = candidate.price_minor / anchor_minor
    if ratio <= 0.6:
        return 1.0
    if ratio <= 1.0:
        return 0.8
    return 0.35


def diversify(
    ranked: Iterable[tuple[str, float]], category_of: Mapping[str, str | None], per_category: int, limit: int
) -> list[tuple[str, float]]:
    """Best first, at most `per_category` per category; refills from the overflow if short."""
    picked: list[tuple[str, float]] = []
    overflow: list[tuple[str, float]] = []
    counts: dict[str | None, int] = {}
    for pid, score in ranked:
        cat = category_of.get(pid)
        if counts.get(cat, 0) < per_category:
            counts[cat] = counts.get(cat, 0) + 1
            picked.append((pid, score))
        else:
            overflow.append((pid, score))
        if len(picked) >= limit:
            return picked
    return [*picked, *overflow][:limit]


def rank(
    scores: Mapping[str, float], exclude: set[str], sellable: set[str] | None = None
) -> list[tuple[str, float]]:
    """Positive scores, best first (ties by id for stable answers), minus excluded/unsellable ids."""
    items = [
        (pid, s) for pid, s in scores.items()
        if s > 0 and pid not in exclude and (sellable is None or pid in sellable)
    ]
    return sorted(items, key=lambda kv: (-kv[1], kv[0]))


def merge(*weighted: tuple[float, Mapping[str, float]]) -> dict[str, float]:
    """Sum of score maps, each first scaled to max 1 and then by its weight."""
    out: dict[str, float] = {}
    for weight, scores in weighted:
        top = max(scores.values(), default=0.0)
        if top <= 0:
            continue
        for pid, s in scores.items():
            if s > 0:
                out[pid] = out.get(pid, 0.0) + weight * s / top
    return out

"""A year of plausible shopping for the demo catalog, fixed seed: shoppers with tastes (runners buy
running shoes, socks-and-bottle add-ons; phone buyers add cases and chargers) browse, then buy.
Everything goes through `RecommendationService.record`, exactly like live traffic.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from shopkeeper.kernel.clock import utcnow
from shopkeeper.recommendations import catalog_access
from shopkeeper.recommendations.model import ItemProfile
from shopkeeper.recommendations.services import RecommendationService

Pick = tuple[str, str]  # (category, tag); tag "" = any product of the category


@dataclass(frozen=True)
class Taste:
    name: str
    share: float
    # each trip: an anchor, then add-ons, each bought with its probability
    trips: tuple[tuple[Pick, tuple[tuple[Pick, float], ...]], ...]


SHOES, SPORT, TOPS = "Shoes", "Sports & Outdoors", "T-Shirts & Tops"
PHONE, AUDIO = "Phones & Accessories", "Headphones & Audio"
BAGS, JACKETS = "Bags & Backpacks", "Jackets & Coats"
HOME, BEAUTY = "Home & Kitchen", "Beauty & Care"
TASTES: tuple[Taste, ...] = (
    Taste("runner", 0.16, (
        ((SHOES, "running"), (((SPORT, "bottle"), 0.6), ((TOPS, "sport"), 0.5), ((AUDIO, "sport"), 0.3))),
        ((TOPS, "sport"), (((SPORT, "fitness"), 0.4), ((SPORT, "bottle"), 0.3))),
    )),
    Taste("phone", 0.16, (
        ((PHONE, "smartphone"), (((PHONE, "case"), 0.8), ((PHONE, "screen protector"), 0.6),
                                 ((PHONE, "charger"), 0.5))),
        ((PHONE, "power bank"), (((PHONE, "cable"), 0.6), ((AUDIO, "earphones"), 0.3))),
    )),
    Taste("hiker", 0.14, (
        ((SHOES, "hiking"), (((JACKETS, "rain"), 0.5), ((BAGS, "hiking"), 0.5), ((SPORT, "hiking"), 0.4))),
        ((SPORT, "camping"), (((BAGS, "hiking"), 0.4), ((SPORT, "bottle"), 0.5))),
    )),
    Taste("cook", 0.12, (
        ((HOME, "kitchen"), (((HOME, "kitchen"), 0.6), ((HOME, "coffee"), 0.3))),
        ((HOME, "coffee"), (((HOME, "home"), 0.4),)),
    )),
    Taste("beauty", 0.12, (
        ((BEAUTY, "skincare"), (((BEAUTY, "sunscreen"), 0.5), ((BEAUTY, "makeup"), 0.4))),
        ((BEAUTY, "perfume"), (((BEAUTY, "haircare"), 0.4),)),
    )),
    Taste("parent", 0.10, (
        (("Toys & Kids", "kids"), ((("Toys & Kids", "toys"), 0.6), (("Toys & Kids", "games"), 0.4))),
    )),
    Taste("fashion", 0.12, (
        (("Dresses", ""), (((SHOES, "summer"), 0.5), ((BAGS, "bag"), 0.4))),
        ((TOPS, "blouse"), ((("Dresses", ""), 0.3), ((SHOES, "sneakers"), 0.4))),
    )),
    Taste("commuter", 0.08, (
        ((BAGS, "backpack"), (((AUDIO, "headphones"), 0.5), ((JACKETS, "rain"), 0.3),
                              ((PHONE, "power bank"), 0.3))),
        ((JACKETS, "winter"), (((BAGS, "travel"), 0.3),)),
    )),
)


DemoCall = tuple[datetime, str, str, list[str]]


def generate_demo_history(
    session: Session, svc: RecommendationService, seed: int = 7, customers: int = 400,
    now: datetime | None = None,
) -> int:
    """Record a year of views and orders; returns how many `record` calls were made."""
    calls = plan_demo_history(session, seed=seed, customers=customers, now=now)
    for at, customer, kind, ids in calls:
        svc.record(session, customer, kind, ids, at)
    return len(calls)


def plan_demo_history(
    session: Session, seed: int = 7, customers: int = 400, now: datetime | None = None
) -> list[DemoCall]:
    """The year of views and orders as (at, customer, kind, product ids), oldest first — so a caller
    can record them in small transactions instead of holding one long write."""
    rng = random.Random(seed)
    pools = _pools(session)
    if not pools:
        return []
    end = now or utcnow()
    start = end - timedelta(days=365)
    calls: list[DemoCall] = []
    weights = [t.share for t in TASTES]
    for n in range(customers):
        customer = f"cus_demo{n:05d}"
        taste = rng.choices(TASTES, weights)[0]
        at = start + timedelta(days=rng.uniform(0, 300))
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            anchor, addons = rng.choice(taste.trips)
            first = _choose(rng, pools, anchor)
            if first is None:
                break
            # browse a few alternatives of the anchor before buying
            looked = [x for x in (_choose(rng, pools, anchor) for _ in range(rng.randint(1, 3))) if x]
            calls.append((at, customer, "viewed", [*dict.fromkeys([*looked, first])]))
            basket = [first] + [p for pick, prob in addons if rng.random() < prob
                                for p in [_choose(rng, pools, pick)] if p]
            calls.append((at + timedelta(minutes=rng.randint(5, 50)), customer, "purchased", basket))
            at += timedelta(days=rng.uniform(10, 80))
            if at >= end:
                break
    calls.sort(key=lambda c: c[0])
    return calls


def _pools(session: Session) -> dict[Pick, list[ItemProfile]]:
    pools: dict[Pick, list[ItemProfile]] = defaultdict(list)
    for pid in catalog_access.all_product_ids(session):
        prof = catalog_access.load_profile(session, pid)
        if prof is None or not prof.category:
            continue
        pools[(prof.category, "")].append(prof)
        for tag in prof.tags:
            pools[(prof.category, tag)].append(prof)
    for pool in pools.values():
        pool.sort(key=lambda p: (p.title, p.product_id))  # ids are random-suffixed; titles are not
    return pools


def _choose(rng: random.Random, pools: dict[Pick, list[ItemProfile]], pick: Pick) -> str | None:
    pool = pools.get(pick) or pools.get((pick[0], ""))
    if not pool:
        return None
    # a few best-sellers per shelf (Zipf-like), so also-bought pairs are visible, not uniform noise
    weights = [1.0 / (i + 1) ** 1.1 for i in range(len(pool))]
    return rng.choices(pool, weights)[0].product_id

"""The recommendation service the bot, the agent desk and the API share: record shopper events
(incremental co-occurrence updates), rebuild everything (`train`), and serve the placements.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from shopkeeper.kernel.clock import new_id
from shopkeeper.kernel.db import Database
from shopkeeper.recommendations import catalog_access
from shopkeeper.recommendations.errors import InvalidEventKind
from shopkeeper.recommendations.model import (
    BASKET_WINDOW,
    EVENT_KINDS,
    SESSION_GAP,
    Event,
    ItemProfile,
    Recommendation,
    TrainReport,
    content_similarity,
    decay_weight,
    diversify,
    is_substitute,
    merge,
    pair_increments,
    popularity_increment,
    price_fit,
    rank,
)
from shopkeeper.recommendations.store import (
    RecEvent,
    RecItem,
    RecPair,
    RecPopularity,
    add_weights,
    upsert_items,
)

LOOKBACK = max(BASKET_WINDOW, SESSION_GAP)
Scores = dict[str, float]


class RecommendationService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._synced_at = -1e9
        # profiles are small and change rarely: one read a minute instead of one per request
        self._cache: dict[str, ItemProfile] = {}
        self._cached_at = -1e9

    # -- signals --------------------------------------------------------------------------------
    def record(
        self, session: Session, customer_id: str | None, kind: str, product_ids: list[str], at: datetime
    ) -> None:
        """One shopper event over one or more products (an order's lines, a browsing burst)."""
        if kind not in EVENT_KINDS:
            raise InvalidEventKind(f"unknown event kind {kind!r}", details={"kinds": list(EVENT_KINDS)})
        ids = [p for p in dict.fromkeys(product_ids) if p]
        if not ids:
            return
        earlier = self._recent_events(session, customer_id, at) if customer_id else []
        basket = new_id("rbk")
        new = [Event(customer_id, kind, pid, at) for pid in ids]
        session.add_all(
            RecEvent(id=new_id("rev"), customer_id=customer_id, kind=kind, product_id=e.product_id,
                     basket=basket, at=at)
            for e in new
        )
        increments = pair_increments(new, earlier)
        add_weights(session, RecPair, [
            {"kind": k, "product_id": a, "other_id": b, "weight": w} for (k, a, b), w in increments.items()
        ])
        w = decay_weight(at) * popularity_increment(kind)
        add_weights(session, RecPopularity, [{"product_id": pid, "weight": w} for pid in ids])
        # product profiles are copied lazily when served; recording stays a few cheap statements

    def train(self, session: Session) -> TrainReport:
        """Full rebuild from the event log and the catalog; `record` keeps it current in between."""
        t0 = time.perf_counter()
        rows = session.execute(
            select(RecEvent.customer_id, RecEvent.kind, RecEvent.product_id, RecEvent.at, RecEvent.basket)
            .order_by(RecEvent.at, RecEvent.basket)
        ).all()
        pairs: dict[tuple[str, str, str], float] = defaultdict(float)
        pop: dict[str, float] = defaultdict(float)
        history: dict[str, list[Event]] = defaultdict(list)
        for basket in _baskets(rows):
            first = basket[0]
            past = history[first.customer_id] if first.customer_id else []
            earlier = [e for e in past if first.at - e.at <= LOOKBACK]
            for key, w in pair_increments(basket, earlier).items():
                pairs[key] += w
            for e in basket:
                pop[e.product_id] += decay_weight(e.at) * popularity_increment(e.kind)
            if first.customer_id:
                history[first.customer_id] = [*earlier, *basket]
        session.execute(delete(RecPair))
        session.execute(delete(RecPopularity))
        add_weights(session, RecPair, [
            {"kind": k, "product_id": a, "other_id": b, "weight": w} for (k, a, b), w in pairs.items()
        ])
        add_weights(session, RecPopularity, [{"product_id": p, "weight": w} for p, w in pop.items()])
        products = self._refresh_profiles(session)
        return TrainReport(len(rows), len(pairs), products, time.perf_counter() - t0)

    # -- placements -----------------------------------------------------------------------------
    def similar(self, session: Session, product_id: str, limit: int = 6) -> list[Recommendation]:
        """"You might also like": same kind of product (content), what shoppers viewed alongside."""
        self._sync_profiles(session)
        anchor = self._profile(session, product_id)
        if anchor is None:
            return self._popular(session, {product_id}, limit)
        peers = [p for p in self._all_profiles(session).values() if p.category == anchor.category]
        content = {p.product_id: content_similarity(anchor, p) for p in peers}
        viewed = self._pairs(session, "viewed", [product_id])
        scores = merge((1.0, content), (0.6, viewed))
        reason = f"Similar to {anchor.title}"
        recs = self._serve(session, scores, {product_id}, limit, per_category=limit,
                           explain=lambda _pid: (reason, "similar"))
        return recs or self._popular(session, {product_id}, limit)

    def also_bought(self, session: Session, product_id: str, limit: int = 6) -> list[Recommendation]:
        anchor = self._profile(session, product_id)
        title = anchor.title if anchor else "this"
        scores = self._pairs(session, "bought", [product_id])
        if anchor is not None:
            for pid, prof in self._profiles(session, list(scores)).items():
                if is_substitute(anchor, prof):
                    scores[pid] *= 0.3  # a second phone is not what "bought together" should show
        return self._serve(session, scores, {product_id}, limit, per_category=max(2, limit // 2),
                           explain=lambda _pid: (f"Often bought together with {title}", "also_bought"))

    def for_cart(self, session: Session, product_ids: list[str], limit: int = 3) -> list[Recommendation]:
        """Cross-sell at add-to-cart and "complete the set" at checkout: complements, not substitutes."""
        cart = {p: self._profile(session, p) for p in product_ids}
        per_item = {p: self._pairs(session, "bought", [p]) for p in product_ids}
        scores = merge(*((1.0, s) for s in per_item.values()))
        if not scores:
            return self._popular(session, set(product_ids), limit)
        profiles = self._profiles(session, list(scores))
        anchor = max((c.price_minor or 0 for c in cart.values() if c), default=0)
        for pid in scores:
            prof = profiles.get(pid)
            if prof is None:
                continue
            if any(c and is_substitute(c, prof) for c in cart.values()):
                scores[pid] *= 0.3  # a second pair of shoes is not an add-on
            scores[pid] *= price_fit(prof, anchor or None)

        def explain(pid: str) -> tuple[str, str]:
            source = max(per_item, key=lambda p: per_item[p].get(pid, 0.0))
            src = cart.get(source)
            return (f"Goes well with your {src.title}" if src else "Goes well with your cart", "also_bought")

        return self._serve(session, scores, set(product_ids), limit, per_category=1, explain=explain)

    def for_customer(
        self, session: Session, customer_id: str, session_product_ids: list[str] | None = None, limit: int = 8
    ) -> list[Recommendation]:
        """Greeting carousel / agent desk: what this shopper looks at now, then their history."""
        now_ids = list(dict.fromkeys(session_product_ids or []))
        events = list(session.execute(
            select(RecEvent.kind, RecEvent.product_id, RecEvent.at)
            .where(RecEvent.customer_id == customer_id).order_by(RecEvent.at.desc()).limit(300)
        ).all())
        bought = {p for k, p, _ in events if k == "purchased"} - {p for k, p, _ in events if k == "returned"}
        viewed = list(dict.fromkeys(p for k, p, _ in events if k in ("viewed", "added")))[:10]
        session_scores = self._session_scores(session, now_ids)
        owned_weight = {p: decay_weight(at) for k, p, at in events if k == "purchased" and p in bought}
        bought_from: dict[str, str] = {}
        viewed_from: dict[str, str] = {}
        personal = self._weighted_pairs(session, "bought", owned_weight, source=bought_from)
        browsing = self._weighted_pairs(session, "viewed", {p: 1.0 / (i + 1) for i, p in enumerate(viewed)},
                                        source=viewed_from)
        sources = {"session": session_scores, "personal": merge((1.0, personal), (0.5, browsing))}
        scores = merge((1.0, sources["session"]), (0.7, sources["personal"]))
        titles = self._profiles(session, [*now_ids, *bought, *viewed])
        owned = [titles[p] for p in bought if p in titles]
        for pid, prof in self._profiles(session, list(scores)).items():
            if any(is_substitute(o, prof) for o in owned):
                scores[pid] *= 0.3  # they have a tent already; a second one is a weak pick

        def explain(pid: str) -> tuple[str, str]:
            if sources["session"].get(pid, 0.0) >= sources["personal"].get(pid, 0.0) and now_ids:
                last = titles.get(now_ids[-1])
                return (f"Because you looked at {last.title}" if last else "Because of what you looked at",
                        "session")
            if personal.get(pid, 0.0) >= 0.5 * browsing.get(pid, 0.0) and pid in bought_from:
                prof = titles.get(bought_from[pid])
                return (f"Picked for you after your {prof.title}" if prof else "Picked for you", "personal")
            seen = titles.get(viewed_from.get(pid, ""))
            return (f"Because you looked at {seen.title}" if seen else "Picked for you", "personal")

        exclude = bought | set(now_ids)
        recs = self._serve(session, scores, exclude, limit, per_category=2, explain=explain)
        if len(recs) < limit:
            taken = exclude | {r.product_id for r in recs}
            recs += self._popular(session, taken, limit - len(recs))
        return recs

    # -- internals ------------------------------------------------------------------------------
    def _serve(
        self, session: Session, scores: Scores, exclude: set[str], limit: int, *, per_category: int,
        explain: Any,
    ) -> list[Recommendation]:
        pool = rank(scores, exclude)[: max(limit * 6, 30)]
        profiles = self._profiles(session, [p for p, _ in pool])
        ok = catalog_access.sellable(session, {p: prof.variant_ids for p, prof in profiles.items()})
        pool = [(p, s) for p, s in pool if p in ok]
        chosen = diversify(pool, {p: prof.category for p, prof in profiles.items()}, per_category, limit)
        top = chosen[0][1] if chosen else 1.0
        out = []
        for pid, s in chosen:
            reason, code = explain(pid)
            out.append(Recommendation(pid, round(s / top, 4), reason, code))
        return out

    def _popular(self, session: Session, exclude: set[str], limit: int) -> list[Recommendation]:
        rows = session.execute(
            select(RecPopularity.product_id, RecPopularity.weight).order_by(RecPopularity.weight.desc())
            .limit(limit * 6 + len(exclude))
        ).all()
        scores = {p: float(w) for p, w in rows}
        return self._serve(session, scores, exclude, limit, per_category=2,
                           explain=lambda _pid: ("Popular with shoppers right now", "popular"))

    def _pairs(self, session: Session, kind: str, product_ids: Sequence[str], per_item: int = 50) -> Scores:
        return self._weighted_pairs(session, kind, {p: 1.0 for p in product_ids}, per_item)

    def _weighted_pairs(
        self, session: Session, kind: str, weights: dict[str, float], per_item: int = 50,
        source: dict[str, str] | None = None,
    ) -> Scores:
        """Sum over the given products of their partners' weights, each product's list scaled to
        max 1 and then by the product's own weight. One query for all products."""
        if not weights:
            return {}
        rows = session.execute(
            select(RecPair.product_id, RecPair.other_id, RecPair.weight)
            .where(RecPair.kind == kind, RecPair.product_id.in_(list(weights)))
        ).all()
        by_item: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for pid, other, weight in rows:
            by_item[pid].append((other, float(weight)))
        out: Scores = defaultdict(float)
        strongest: dict[str, float] = {}
        top_w = max(weights.values())
        for pid, partners in by_item.items():
            partners.sort(key=lambda kv: -kv[1])
            best = partners[0][1]
            if best <= 0:
                continue
            for other, weight in partners[:per_item]:
                part = (weights[pid] / top_w) * weight / best
                out[other] += part
                if source is not None and part > strongest.get(other, 0.0):
                    strongest[other] = part
                    source[other] = pid  # the input that explains this pick best
        return dict(out)

    def _session_scores(self, session: Session, ids: list[str]) -> Scores:
        """Next-item from the current session: recent views weigh most (sequential rules)."""
        recent = ids[-5:]
        n = len(recent)
        weights = {p: ((i + 1) / n) ** 2 for i, p in enumerate(recent)}
        return merge((1.0, self._weighted_pairs(session, "next", weights)),
                     (0.5, self._weighted_pairs(session, "viewed", weights)))

    def _recent_events(self, session: Session, customer_id: str | None, at: datetime) -> list[Event]:
        rows = session.execute(
            select(RecEvent.kind, RecEvent.product_id, RecEvent.at)
            .where(RecEvent.customer_id == customer_id, RecEvent.at >= at - LOOKBACK, RecEvent.at <= at)
            .order_by(RecEvent.at, RecEvent.basket)
        ).all()
        return [Event(customer_id, k, p, t) for k, p, t in rows]

    # -- profiles (copies of catalog data) ------------------------------------------------------
    def _profile(self, session: Session, product_id: str) -> ItemProfile | None:
        return self._profiles(session, [product_id]).get(product_id)

    def _profiles(self, session: Session, product_ids: Iterable[str]) -> dict[str, ItemProfile]:
        ids = list(dict.fromkeys(product_ids))
        if not ids:
            return {}
        cache = self._all_profiles(session)
        found = {p: cache[p] for p in ids if p in cache}
        missing = [p for p in ids if p not in found]
        if missing:
            found.update(self._ensure_profiles(session, missing))
        return found

    def _all_profiles(self, session: Session) -> dict[str, ItemProfile]:
        now = time.monotonic()
        if now - self._cached_at > 60:
            self._cache = {r.product_id: _profile_of(r) for r in session.scalars(select(RecItem))}
            self._cached_at = now
        return self._cache

    def _ensure_profiles(self, session: Session, product_ids: list[str]) -> dict[str, ItemProfile]:
        have = set(session.scalars(select(RecItem.product_id).where(RecItem.product_id.in_(product_ids))))
        out: dict[str, ItemProfile] = {}
        for pid in product_ids:
            if pid in have:
                continue
            prof = catalog_access.load_profile(session, pid)
            if prof is not None:
                out[pid] = prof
        upsert_items(session, [_row_of(p) for p in out.values()])
        self._cache.update(out)
        return out

    def _sync_profiles(self, session: Session) -> None:
        """Copy the catalog once it holds products we have no profile of (new imports); price or
        attribute edits of known products wait for the next `train`."""
        # counted at most once a minute per process: two COUNTs per request would cost more than
        # the recommendation itself
        now = time.monotonic()
        if now - self._synced_at < 60:
            return
        self._synced_at = now
        ours = session.scalar(select(func.count()).select_from(RecItem)) or 0
        if ours < catalog_access.product_count(session):
            self._refresh_profiles(session)

    def _refresh_profiles(self, session: Session) -> int:
        ids = catalog_access.all_product_ids(session)
        session.execute(delete(RecItem).where(RecItem.product_id.not_in(ids)))
        profiles = (catalog_access.load_profile(session, pid) for pid in ids)
        rows = [_row_of(prof) for prof in profiles if prof is not None]
        upsert_items(session, rows)
        count = len(rows)
        self._cached_at = -1e9  # re-read on next use
        return count


def _baskets(rows: Iterable[Any]) -> list[list[Event]]:
    out: list[list[Event]] = []
    last = None
    for customer_id, kind, product_id, at, basket in rows:
        if basket != last:
            out.append([])
            last = basket
        out[-1].append(Event(customer_id, kind, product_id, at))
    return out


def _profile_of(r: RecItem) -> ItemProfile:
    return ItemProfile(
        product_id=r.product_id, title=r.title, category=r.category, brand=r.brand,
        tags=tuple(r.tags or ()), attributes=dict(r.attributes or {}), price_minor=r.price_minor,
        currency=r.currency, variant_ids=tuple(r.variant_ids or ()),
    )


def _row_of(p: ItemProfile) -> dict[str, Any]:
    return {
        "product_id": p.product_id, "title": p.title[:400], "category": p.category, "brand": p.brand,
        "tags": list(p.tags), "attributes": dict(p.attributes), "price_minor": p.price_minor,
        "currency": p.currency, "variant_ids": list(p.variant_ids),
    }

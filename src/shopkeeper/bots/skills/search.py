"""Product search in chat: cards from the search service, "show more", refinements (cheaper, only
black, from Nike) on top of the last query, and the search's own relaxation explanation."""

from __future__ import annotations

import copy
import json
from typing import Any

from shopkeeper import catalog, inventory
from shopkeeper.bots.budget import budget_in_shop_currency
from shopkeeper.bots.cards import product_card
from shopkeeper.bots.dialogue import Dialogue
from shopkeeper.bots.model import RESULTS_PER_PAGE, Item, empty_filters
from shopkeeper.bots.references import CHEAPER, PRICIER, mentions
from shopkeeper.channels.messages import Carousel
from shopkeeper.kernel.money import Money

COLOR_KEYS = ("color", "colour", "kolor", "farba")
STRIP_ENTITIES = ("price_range", "money", "quantity")


def search_service(services: Any) -> Any:
    """The search the bot uses. On SQLite the turn already holds the write lock, so the search must
    not write its log from another connection (it would wait on us): the bot uses a log-less twin."""
    svc = services.extras.get("bot_search")
    if svc is None:
        base = services.search or catalog.SearchService(services.db)
        svc = base
        if services.db.dialect == "sqlite" and getattr(base, "log_searches", False):
            svc = copy.copy(base)
            svc.log_searches = False
        services.extras["bot_search"] = svc
    return svc


def _query_text(d: Dialogue) -> str:
    text = d.text
    u = d.understanding
    for e in sorted(getattr(u, "entities", []), key=lambda e: -e.start):
        if e.type in STRIP_ENTITIES and 0 <= e.start < e.end <= len(text):
            text = text[: e.start] + " " + text[e.end :]
    return " ".join(text.split())


def _filters_from_entities(d: Dialogue, filters: dict[str, Any]) -> list[str]:
    notes: list[str] = []
    for kind, key in (
        ("color", "colors"),
        ("size", "sizes"),
        ("brand", "brands"),
        ("category", "categories"),
    ):
        values = [str(v) for v in d.entities(kind)]
        if values:
            filters[key] = values
    rng = d.entity("price_range")
    if isinstance(rng, dict):
        for bound in ("min", "max"):
            m = rng.get(bound)
            if isinstance(m, Money):
                shop = budget_in_shop_currency(m, d.currency, d.services.settings.budget_rates)
                if shop is None:
                    notes.append(d.tr("search_currency_note", currency=d.currency))
                    continue
                filters[f"price_{bound}"] = shop.amount_minor
                if shop.currency != m.currency:
                    notes.append(d.tr("search_budget_converted", budget=d.money(m), shop=d.money(shop)))
    return notes


def to_filters(f: dict[str, Any], currency: str) -> Any:
    def money(v: Any) -> Money | None:
        return Money(int(v), currency) if v is not None else None

    return catalog.Filters(
        price_min=money(f.get("price_min")),
        price_max=money(f.get("price_max")),
        colors=list(f.get("colors") or []),
        sizes=list(f.get("sizes") or []),
        brands=list(f.get("brands") or []),
        categories=list(f.get("categories") or []),
    )


Plan = tuple[str, dict[str, Any], int, list[str]]  # query text, filters, offset, notes


def plan(d: Dialogue, intent: str) -> Plan | None:
    """The search a search-like intent would run (None for other intents or nothing to continue)."""
    if intent in ("search_products", "recommend") or (
        intent == "refine_search" and not d.state.get("results")
    ):
        filters = empty_filters()
        notes = _filters_from_entities(d, filters)
        return _query_text(d), filters, 0, notes
    last = d.state.get("results")
    if intent == "refine_search" and last:
        filters = dict(last.get("filters") or empty_filters())
        notes = _filters_from_entities(d, filters)
        items = d.items
        if mentions(d.text, CHEAPER) and items and d.entity("price_range") is None:
            filters["price_max"] = min(i.price_minor for i in items) - 1
        elif mentions(d.text, PRICIER) and items:
            filters["price_min"] = max(i.price_minor for i in items) + 1
        return str(last.get("query", "")), filters, 0, notes
    if intent == "show_more" and last:
        offset = int(last.get("offset", 0)) + RESULTS_PER_PAGE
        return str(last.get("query", "")), dict(last.get("filters") or {}), offset, []
    return None


def plan_key(d: Dialogue, query: str, filters: dict[str, Any], offset: int) -> str:
    return json.dumps([query, filters, offset, d.lang], sort_keys=True, default=str)


def execute(d: Dialogue, query: str, filters: dict[str, Any], offset: int) -> Any:
    """Run the search (no database write: safe outside the turn's transaction)."""
    return search_service(d.services).search(
        catalog.SearchQuery(
            text=query,
            language=d.lang,
            filters=to_filters(filters, d.currency),
            offset=offset,
            limit=RESULTS_PER_PAGE,
        )
    )


def search(d: Dialogue) -> None:
    _run_plan(d, "search_products")


def refine(d: Dialogue) -> None:
    _run_plan(d, "refine_search")


def show_more(d: Dialogue) -> None:
    if not d.state.get("results"):
        d.say("search_nothing_to_continue")
        return
    _run_plan(d, "show_more")


def _run_plan(d: Dialogue, intent: str) -> None:
    planned = plan(d, intent)
    if planned is None:
        d.say("search_nothing_to_continue")
        return
    run(d, *planned)


def _colors(view: Any) -> list[str]:
    found: list[str] = []
    for v in view.variants:
        for k, val in (v.options or {}).items():
            if k.lower() in COLOR_KEYS and str(val).lower() not in found:
                found.append(str(val).lower())
    return found


def run(d: Dialogue, query: str, filters: dict[str, Any], offset: int, notes: list[str]) -> None:
    # a search planned before the transaction opened (engine.understand_ahead) is used as is
    result = d.prefetched.pop(plan_key(d, query, filters, offset), None) or execute(d, query, filters, offset)
    found = catalog.get_products(d.session, [h.product_id for h in result.hits])
    views = [catalog.localized(v, d.lang) for v in found]
    stock = inventory.available(d.session, [v.id for view in views for v in view.variants]) if views else {}
    items = [
        Item(
            v.id,
            v.title,
            min(x.price.amount_minor for x in v.variants),
            v.variants[0].price.currency,
            _colors(v),
            v.brand,
            v.variants[0].id if len(v.variants) == 1 else None,
        )
        for v in views
    ]
    d.state["results"] = {
        "query": query,
        "filters": filters,
        "offset": offset,
        "total": result.total,
        "items": [i.to_json() for i in items],
    }
    for note in notes:
        d.add_text(note)
    if not views:
        d.say("search_none" if offset == 0 else "search_no_more")
        return
    if result.relaxed:
        names = ", ".join(
            d.tr(f"filter_{r}") if f"filter_{r}" in _known_filters() else r for r in result.relaxed
        )
        d.say("search_relaxed", filters=names)
    if result.did_you_mean:
        d.say("search_did_you_mean", suggestion=result.did_you_mean)
    shown_to = offset + len(views)
    d.say("search_found", shown=f"{offset + 1}–{shown_to}", total=result.total)
    cards = [product_card(v, stock, d.lang, position=i + 1) for i, v in enumerate(views)]
    d.add(Carousel(cards=cards, more_payload="/show_more" if result.total > shown_to else None))
    d.state["last_skill"] = "search"


def _known_filters() -> set[str]:
    return {
        "filter_price",
        "filter_price_min",
        "filter_price_max",
        "filter_colors",
        "filter_sizes",
        "filter_brands",
        "filter_categories",
        "filter_in_stock",
        "filter_min_rating",
    }

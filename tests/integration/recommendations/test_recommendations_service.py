"""RecommendationService against a real database (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from shopkeeper import catalog, inventory
from shopkeeper.kernel.db import Database
from shopkeeper.recommendations import InvalidEventKind, RecommendationService
from shopkeeper.recommendations.store import RecPair

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


def product(
    handle: str, category: str, price: str, tags: list[str], stock: int = 5, brand: str = "Acme"
) -> dict[str, Any]:
    return {
        "handle": handle, "title": handle.replace("-", " ").title(), "description": "", "brand": brand,
        "category": category, "tags": tags, "attributes": {},
        "variants": [{"sku": f"SKU-{handle}", "title": "", "options": {}, "price": price, "currency": "EUR",
                      "stock": stock}],
    }


@pytest.fixture
def shop(database: Database) -> dict[str, str]:
    records = [
        product("phone-x", "Phones", "499.00", ["smartphone"]),
        product("phone-y", "Phones", "459.00", ["smartphone"]),
        product("case-x", "Phones", "9.99", ["case"]),
        product("charger", "Phones", "19.99", ["charger"]),
        product("earbuds", "Audio", "39.00", ["earphones"]),
        product("speaker", "Audio", "89.00", ["speaker"]),
        product("sold-out-cable", "Phones", "5.00", ["cable"], stock=0),
        product("runner-shoe", "Shoes", "99.00", ["running"]),
        product("trail-shoe", "Shoes", "109.00", ["running", "trail"]),
        product("bottle", "Sports", "12.00", ["bottle"]),
    ]
    with database.session() as s:
        report = catalog.import_records(s, records, encoder=None)
        assert report.ok, report.errors
    with database.session() as s:
        ids = {}
        for r in records:
            view = catalog.find_product_by_handle(s, r["handle"])
            assert view is not None
            ids[r["handle"]] = view.id
    return ids


def buy(db: Database, svc: RecommendationService, customer: str, ids: list[str], at: datetime) -> None:
    with db.session() as s:
        svc.record(s, customer, "purchased", ids, at)


def test_also_bought_lists_what_was_bought_together_with_a_reason(
    database: Database, shop: dict[str, str]
) -> None:
    svc = RecommendationService(database)
    for n in range(3):
        buy(database, svc, f"c{n}", [shop["phone-x"], shop["case-x"]], T0 + timedelta(days=n))
    buy(database, svc, "c9", [shop["phone-x"], shop["earbuds"]], T0)
    with database.session() as s:
        recs = svc.also_bought(s, shop["phone-x"])
    assert [r.product_id for r in recs][:2] == [shop["case-x"], shop["earbuds"]]
    assert recs[0].reason_code == "also_bought"
    assert recs[0].reason == "Often bought together with Phone X"
    assert recs[0].score == 1.0


def test_out_of_stock_products_are_never_recommended(database: Database, shop: dict[str, str]) -> None:
    svc = RecommendationService(database)
    for n in range(3):
        buy(database, svc, f"c{n}", [shop["phone-x"], shop["sold-out-cable"]], T0)
    buy(database, svc, "c8", [shop["phone-x"], shop["charger"]], T0)
    with database.session() as s:
        ids = [r.product_id for r in svc.also_bought(s, shop["phone-x"])]
    assert shop["sold-out-cable"] not in ids
    assert shop["charger"] in ids


def test_for_cart_offers_a_cheap_complement_not_a_second_phone(
    database: Database, shop: dict[str, str]
) -> None:
    svc = RecommendationService(database)
    for n in range(4):
        buy(database, svc, f"c{n}", [shop["phone-x"], shop["phone-y"]], T0)  # strong, but a substitute
    for n in range(2):
        buy(database, svc, f"d{n}", [shop["phone-x"], shop["earbuds"]], T0)
    with database.session() as s:
        recs = svc.for_cart(s, [shop["phone-x"]], limit=1)
    assert [r.product_id for r in recs] == [shop["earbuds"]]
    assert recs[0].reason == "Goes well with your Phone X"


def test_for_customer_excludes_what_they_already_bought_and_follows_the_session(
    database: Database, shop: dict[str, str]
) -> None:
    svc = RecommendationService(database)
    for n in range(3):
        buy(database, svc, f"c{n}", [shop["runner-shoe"], shop["bottle"]], T0)
        with database.session() as s:
            svc.record(s, f"v{n}", "viewed", [shop["phone-x"]], T0)
            svc.record(s, f"v{n}", "viewed", [shop["speaker"]], T0 + timedelta(minutes=3))
    buy(database, svc, "me", [shop["runner-shoe"]], T0 + timedelta(days=5))
    with database.session() as s:
        personal = svc.for_customer(s, "me")
        now = svc.for_customer(s, "me", [shop["phone-x"]], limit=3)
    assert shop["runner-shoe"] not in [r.product_id for r in personal]
    assert personal[0].product_id == shop["bottle"]
    assert personal[0].reason_code == "personal"
    assert now[0].product_id == shop["speaker"]
    assert now[0].reason_code == "session"
    assert now[0].reason == "Because you looked at Phone X"


def test_similar_prefers_the_same_kind_of_product(database: Database, shop: dict[str, str]) -> None:
    svc = RecommendationService(database)
    with database.session() as s:
        recs = svc.similar(s, shop["runner-shoe"], limit=3)
    assert recs[0].product_id == shop["trail-shoe"]
    assert recs[0].reason_code == "similar"


def test_train_rebuild_equals_the_incremental_weights(database: Database, shop: dict[str, str]) -> None:
    svc = RecommendationService(database)
    buy(database, svc, "a", [shop["phone-x"], shop["case-x"]], T0)
    buy(database, svc, "a", [shop["charger"]], T0 + timedelta(days=3))
    with database.session() as s:
        svc.record(s, "b", "viewed", [shop["speaker"], shop["earbuds"]], T0)
        svc.record(s, "b", "viewed", [shop["phone-y"]], T0 + timedelta(minutes=10))
        svc.record(s, "a", "returned", [shop["case-x"]], T0 + timedelta(days=4))
    with database.session() as s:
        incremental = {(p.kind, p.product_id, p.other_id): p.weight for p in s.scalars(select(RecPair))}
    with database.session() as s:
        report = svc.train(s)
    with database.session() as s:
        rebuilt = {(p.kind, p.product_id, p.other_id): p.weight for p in s.scalars(select(RecPair))}
    assert report.events == 7
    assert report.products == len(shop)
    assert rebuilt.keys() == incremental.keys()
    assert all(abs(rebuilt[k] - incremental[k]) < 1e-6 * max(1.0, abs(incremental[k])) for k in rebuilt)
    assert ("next", shop["earbuds"], shop["phone-y"]) in rebuilt


def test_unknown_event_kind_is_refused(database: Database, shop: dict[str, str]) -> None:
    svc = RecommendationService(database)
    with database.session() as s, pytest.raises(InvalidEventKind) as err:
        svc.record(s, "a", "liked", [shop["phone-x"]], T0)
    assert err.value.code == "invalid_event_kind"


def test_popular_fills_in_for_a_product_nobody_bought_with_anything(
    database: Database, shop: dict[str, str]
) -> None:
    svc = RecommendationService(database)
    buy(database, svc, "a", [shop["bottle"]], T0)
    with database.session() as s:
        recs = svc.for_cart(s, [shop["speaker"]])
        assert inventory.available(s, []) == {}
    assert [r.reason_code for r in recs] == ["popular"]
    assert recs[0].product_id == shop["bottle"]


def test_customer_activity_feeds_the_recommender_in_the_same_transaction(
    database: Database, shop: dict[str, str]
) -> None:
    from types import SimpleNamespace

    from shopkeeper import customers, recommendations

    services = SimpleNamespace(db=database, recommendations=None)
    recommendations.wire(services)
    svc = services.recommendations
    assert isinstance(svc, RecommendationService)
    with database.session() as s:
        for n in range(2):
            who = customers.resolve_customer(s, "webchat", f"visitor-{n}")
            customers.record_activity(s, who.id, "purchased",
                                      {"product_ids": [shop["phone-x"], shop["charger"]]})
    with database.session() as s:
        recs = svc.also_bought(s, shop["phone-x"])
    assert [r.product_id for r in recs] == [shop["charger"]]

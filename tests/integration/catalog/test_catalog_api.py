from types import SimpleNamespace

from fastapi import FastAPI
from fastapi.testclient import TestClient

from shopkeeper.catalog import SearchService
from shopkeeper.kernel.db import Database
from shopkeeper.web.api.catalog import router
from shopkeeper.web.errors import install_error_handlers


def client(db: Database, encoder) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    app.state.services = SimpleNamespace(db=db, search=SearchService(db, encoder=encoder), settings=None)
    return TestClient(app)


def test_search_endpoint_returns_items_facets_and_relaxation(catalog_db: Database, hash_encoder) -> None:
    c = client(catalog_db, hash_encoder)
    body = c.get(
        "/api/v1/catalog/search", params={"q": "running shoes", "color": "black", "size": "44"}
    ).json()
    assert [i["title"] for i in body["items"]] == ["Navy running shoes"]
    assert body["relaxed"] == ["colors"] and body["explanation"]
    assert body["items"][0]["price_from"]["amount_minor"] == 9500
    assert "Stride" in body["facets"]["brand"] and body["search_id"]


def test_browse_pages_and_filters_by_brand(catalog_db: Database, hash_encoder) -> None:
    c = client(catalog_db, hash_encoder)
    first = c.get("/api/v1/catalog/products", params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["has_more"]
    alpina = c.get("/api/v1/catalog/products", params={"brand": "Alpina"}).json()
    assert [i["title"] for i in alpina["items"]] == ["Waterproof hiking boots"]


def test_product_and_question_endpoints(catalog_db: Database, hash_encoder) -> None:
    c = client(catalog_db, hash_encoder)
    pid = c.get("/api/v1/catalog/search", params={"q": "hiking boots"}).json()["items"][0]["id"]
    product = c.get(f"/api/v1/catalog/products/{pid}").json()
    assert product["attributes"]["waterproof"] == "yes" and len(product["variants"]) == 2
    answer = c.post(f"/api/v1/catalog/products/{pid}/question", json={"question": "is it waterproof?"}).json()
    assert answer["answer"] and answer["source"] in ("attribute", "description")


def test_unknown_product_is_a_404_with_the_error_code(catalog_db: Database, hash_encoder) -> None:
    r = client(catalog_db, hash_encoder).get("/api/v1/catalog/products/prd_nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "product_not_found"

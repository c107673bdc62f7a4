"""The demo storefront page and product pages, rendered from the catalog: featured products with
localized titles and prices, the chat widget element and its script, the API docs link, Arabic
right-to-left, per-variant stock, and a 404 for an unknown product."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shopkeeper import catalog
from shopkeeper.bootstrap import build_services
from shopkeeper.demo import load_catalog_records
from shopkeeper.settings import Settings
from shopkeeper.web.app import create_app
from shopkeeper.web.storefront import FEATURED_HANDLES

BOOTS = "alpenwerk-ridgeline-mid-gtx-waterproof-hiking-boots"


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    services = build_services(Settings(database_url=database_url, data_dir=tmp_path))
    records = [r for r in load_catalog_records() if r["handle"] in FEATURED_HANDLES]
    with services.db.session() as session:
        catalog.import_records(session, records, encoder=None)  # no vectors: the page never searches
    try:
        with TestClient(create_app(services, run_worker=False)) as http:
            yield http
    finally:
        services.db.dispose()


def test_storefront_shows_featured_products_the_widget_and_the_api_docs(client: TestClient) -> None:
    page = client.get("/?lang=en")
    assert page.status_code == 200
    html = page.text
    assert "<shop-chat" in html and "/static/widget/shop-chat.js" in html
    assert 'href="/docs"' in html
    assert "Alpenwerk Ridgeline Mid GTX Waterproof Hiking Boots" in html
    assert "€109.95" in html
    assert f'href="/products/{BOOTS}?lang=en"' in html
    assert client.get("/static/widget/shop-chat.js").status_code == 200


def test_storefront_localizes_titles_prices_and_direction(client: TestClient) -> None:
    polish = client.get("/?lang=pl").text
    assert "Wodoodporne buty trekkingowe Alpenwerk Ridgeline Mid GTX" in polish
    assert "109,95\xa0€" in polish
    arabic = client.get("/", headers={"Accept-Language": "ar-SA,ar;q=0.9"}).text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert 'language="ar"' in arabic


def test_product_page_lists_variants_with_stock_and_reviews(client: TestClient) -> None:
    record = next(r for r in load_catalog_records() if r["handle"] == BOOTS)
    page = client.get(f"/products/{BOOTS}?lang=en")
    assert page.status_code == 200
    for variant in record["variants"]:
        assert variant["title"] in page.text
    sold_out = [v for v in record["variants"] if v["stock"] == 0]
    assert ("sold out" in page.text) == bool(sold_out)
    assert record["reviews"][0]["body"].replace("'", "&#39;") in page.text


def test_unknown_product_page_is_a_404(client: TestClient) -> None:
    response = client.get("/products/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "product_not_found"

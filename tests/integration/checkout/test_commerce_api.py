"""The carts, checkout and orders JSON API on a tiny app built from their routers: a shopper buys
with their signed token; another shopper's cart and order are 404; errors have one shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shopkeeper import payments
from shopkeeper.adapters.payments.demo import DemoPaymentProvider
from shopkeeper.bootstrap import Services
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.money import Money
from shopkeeper.settings import Settings
from shopkeeper.web.api import carts, checkout, orders
from shopkeeper.web.auth import issue_shopper_token
from shopkeeper.web.errors import install_error_handlers

MakeVariant = Callable[..., str]

ADDRESS = {"line1": "Obchodná 1", "city": "Bratislava", "postcode": "81101", "country": "Slovakia"}
CONTACT = {"name": "Anna Nováková", "email": "anna@example.com", "phone": "+421 905 123 456"}


@pytest.fixture
def services(shop: Database) -> Services:
    settings = Settings(secret_key="test-secret", base_url="http://shop.test")  # type: ignore[arg-type]
    provider = DemoPaymentProvider("http://shop.test", "pay-secret")
    return Services(
        settings=settings,
        db=shop,
        bus=shop.bus,
        payment_provider=provider,
        payment_providers={"demo": provider},
    )


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.services = services
    install_error_handlers(app)
    for module in (carts, checkout, orders):
        app.include_router(module.router)
    with TestClient(app) as c:
        yield c


def auth(services: Services, customer_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_shopper_token(services.settings, customer_id)}"}


def test_a_shopper_buys_through_the_api(
    client: TestClient, services: Services, make_variant: MakeVariant
) -> None:
    vid = make_variant(price="40.00", stock=3)
    me = auth(services, "cus_api")
    c = client.post("/api/v1/carts", json={}, headers=me).json()
    assert c["lines"] == [] and c["currency"] == "EUR"
    c = client.post(
        f"/api/v1/carts/{c['id']}/lines",
        json={"variant_id": vid, "quantity": 1, "expected_version": c["version"]},
        headers=me,
    ).json()
    line_id = c["lines"][0]["id"]
    c = client.patch(f"/api/v1/carts/{c['id']}/lines/{line_id}", json={"quantity": 2}, headers=me).json()
    assert c["totals"]["subtotal"]["amount_minor"] == 8000
    c = client.put(f"/api/v1/carts/{c['id']}/discount", json={"code": "welcome10"}, headers=me).json()
    assert c["discount_code"] == "WELCOME10" and c["totals"]["discount"]["amount_minor"] == 800

    opts = client.get(
        f"/api/v1/checkout/{c['id']}/shipping-options", params={"country": "SK"}, headers=me
    ).json()
    assert opts[0]["id"] == "sk_pickup"
    q = client.get(
        f"/api/v1/checkout/{c['id']}/quote",
        params={"country": "SK", "shipping_method_id": "sk_courier"},
        headers=me,
    ).json()
    assert q["total"]["amount_minor"] == 8000 - 800 + 490 and q["tax_inclusive"] is True

    r = client.post(
        f"/api/v1/checkout/{c['id']}/orders",
        json={"contact": CONTACT, "address": ADDRESS, "shipping_method_id": "sk_courier"},
        headers=me,
    )
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["status"] == "awaiting_payment" and order["totals"]["total"] == q["total"]
    assert order["contact"]["phone"] == "+421905123456" and order["shipping_address"]["postcode"] == "811 01"

    p = client.post(f"/api/v1/checkout/orders/{order['id']}/payment", json={}, headers=me).json()
    assert p["amount"]["amount_minor"] == q["total"]["amount_minor"] and p["url"].startswith(
        "http://shop.test/pay/"
    )
    provider = services.payment_provider
    body, headers = provider.signed_request(
        provider.build_event(p["id"], "succeeded", _amount(services, p["id"]))
    )
    assert payments.handle_webhook(services.db, provider, body, headers).outcome == "applied"

    mine = client.get("/api/v1/orders", headers=me).json()
    assert [(o["id"], o["status"]) for o in mine] == [(order["id"], "paid")]
    got = client.get(f"/api/v1/orders/{order['id']}", headers=me).json()
    assert [h["to_status"] for h in got["history"]] == ["awaiting_payment", "paid"]
    cancelled = client.post(
        f"/api/v1/orders/{order['id']}/cancel", json={"reason": "changed my mind"}, headers=me
    ).json()
    assert cancelled["status"] == "cancelled" and cancelled["can_cancel"] is False


def _amount(services: Services, payment_id: str) -> Money:
    with services.db.session() as s:
        return payments.get_payment(s, payment_id).amount


def test_no_token_is_401(client: TestClient) -> None:
    r = client.post("/api/v1/carts", json={})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert client.get("/api/v1/orders", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_another_shoppers_cart_and_order_are_404(
    client: TestClient, services: Services, make_variant: MakeVariant
) -> None:
    vid = make_variant(stock=3)
    me, other = auth(services, "cus_me"), auth(services, "cus_other")
    cid = client.post("/api/v1/carts", json={}, headers=me).json()["id"]
    client.post(f"/api/v1/carts/{cid}/lines", json={"variant_id": vid}, headers=me)
    for method, url, body in [
        ("GET", f"/api/v1/carts/{cid}", None),
        ("POST", f"/api/v1/carts/{cid}/lines", {"variant_id": vid}),
        ("PUT", f"/api/v1/carts/{cid}/discount", {"code": "SAVE5"}),
        ("GET", f"/api/v1/checkout/{cid}/quote", None),
        (
            "POST",
            f"/api/v1/checkout/{cid}/orders",
            {"contact": CONTACT, "address": ADDRESS, "shipping_method_id": "sk_courier"},
        ),
    ]:
        r = client.request(method, url, json=body, headers=other)
        assert r.status_code == 404 and r.json()["error"]["code"] == "cart_not_found", (method, url)
    order = client.post(
        f"/api/v1/checkout/{cid}/orders",
        json={"contact": CONTACT, "address": ADDRESS, "shipping_method_id": "sk_courier"},
        headers=me,
    ).json()
    for method, url in [
        ("GET", f"/api/v1/orders/{order['id']}"),
        ("POST", f"/api/v1/orders/{order['id']}/cancel"),
        ("POST", f"/api/v1/checkout/orders/{order['id']}/payment"),
    ]:
        r = client.request(method, url, json={}, headers=other)
        assert r.status_code == 404 and r.json()["error"]["code"] == "order_not_found", (method, url)
    assert client.get("/api/v1/orders", headers=other).json() == []


def test_errors_have_codes_and_field_messages(
    client: TestClient, services: Services, make_variant: MakeVariant
) -> None:
    vid = make_variant(price="10.00", stock=1)
    me = auth(services, "cus_err")
    c = client.post("/api/v1/carts", json={}, headers=me).json()
    r = client.post(f"/api/v1/carts/{c['id']}/lines", json={"variant_id": vid, "quantity": 2}, headers=me)
    assert r.status_code == 409 and r.json()["error"]["code"] == "out_of_stock"
    c = client.post(f"/api/v1/carts/{c['id']}/lines", json={"variant_id": vid}, headers=me).json()
    r = client.post(
        f"/api/v1/carts/{c['id']}/lines", json={"variant_id": vid, "expected_version": 1}, headers=me
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "version_conflict"
    r = client.put(f"/api/v1/carts/{c['id']}/discount", json={"code": "WELCOME10"}, headers=me)
    assert r.status_code == 422 and r.json()["error"]["code"] == "discount_min_subtotal"
    bad = {
        "contact": {"name": "A", "email": "nope"},
        "address": {"line1": "x", "city": "Bratislava", "postcode": "1234", "country": "SK"},
        "shipping_method_id": "sk_courier",
    }
    r = client.post(f"/api/v1/checkout/{c['id']}/orders", json=bad, headers=me)
    err = r.json()["error"]
    assert r.status_code == 422 and err["code"] == "validation_failed"
    assert set(err["details"]["fields"]) == {
        "contact.name",
        "contact.email",
        "address.name",
        "address.line1",
        "address.postcode",
    }
    assert "811 01" in err["details"]["fields"]["address.postcode"]
    r = client.post(f"/api/v1/carts/{c['id']}/lines", json={"variant_id": "var_nope"}, headers=me)
    assert r.status_code == 404 and r.json()["error"]["code"] == "variant_not_found"
    r = client.get(f"/api/v1/checkout/{c['id']}/shipping-options", params={"country": "JP"}, headers=me)
    assert r.status_code == 200 and r.json() == []


def test_amounts_are_formatted_for_the_shoppers_language(
    client: TestClient, services: Services, make_variant: MakeVariant
) -> None:
    vid = make_variant(price="1234.50", stock=1)
    me = auth(services, "cus_pl")
    cid = client.post("/api/v1/carts", json={}, headers=me).json()["id"]
    pl = client.post(
        f"/api/v1/carts/{cid}/lines",
        json={"variant_id": vid},
        headers={**me, "Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"},
    ).json()
    assert pl["totals"]["total"]["text"].replace("\xa0", " ").replace("\u202f", " ") == "1 234,50 €"
    en = client.get(f"/api/v1/carts/{cid}", headers={**me, "Accept-Language": "xx-nonsense"}).json()
    assert en["totals"]["total"]["text"] == "€1,234.50"
    assert en["totals"]["total"]["amount_minor"] == 123450

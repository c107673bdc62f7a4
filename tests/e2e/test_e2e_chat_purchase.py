"""One conversation per language that buys something through the REST chat API and pays through
the demo payment provider's signed webhook; the confirmation then arrives in the chat."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shopkeeper import catalog
from shopkeeper.bootstrap import Services, build_services
from shopkeeper.bots import t
from shopkeeper.kernel.money import Money
from shopkeeper.settings import Settings
from shopkeeper.web.app import create_app

DEMO = Path(__file__).parents[2] / "src" / "shopkeeper" / "demo" / "catalog.jsonl"
PRODUCTS = 80


@pytest.fixture
def app_services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    services = build_services(
        Settings(database_url=database_url, data_dir=tmp_path, base_url="http://testserver")
    )
    with DEMO.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in itertools.islice(f, PRODUCTS)]
    with services.db.session() as session:
        catalog.import_records(session, records)
    try:
        yield services
    finally:
        services.db.dispose()


@pytest.fixture
def client(app_services: Services) -> TestClient:
    return TestClient(create_app(app_services, run_worker=False))


SCRIPTS: dict[str, dict[str, str]] = {
    "en": {
        "search": "I'm looking for waterproof hiking boots",
        "name": "John Smith",
        "email": "john.smith@example.com",
        "address": "Hauptstrasse 5, 10115 Berlin, Germany",
        "status": "where is my order?",
    },
    "pl": {
        "search": "szukam wodoodpornych butów trekkingowych",
        "name": "Jan Kowalski",
        "email": "jan.kowalski@example.com",
        "address": "ul. Długa 5, 00-950 Warszawa, Polska",
        "status": "gdzie jest moje zamówienie?",
    },
    "sk": {
        "search": "hľadám nepremokavé turistické topánky",
        "name": "Ján Novák",
        "email": "jan.novak@example.com",
        "address": "Hlavná 5, 811 01 Bratislava, Slovensko",
        "status": "kde je moja objednávka?",
    },
    "ar": {
        "search": "أبحث عن حذاء للمشي مقاوم للماء",
        "name": "Ahmed Ali",
        "email": "ahmed.ali@example.com",
        "address": "Hauptstrasse 5, 10115 Berlin, Germany",
        "status": "أين طلبي؟",
    },
    "zh": {
        "search": "我想买防水登山鞋",
        "name": "Li Wei",
        "email": "li.wei@example.com",
        "address": "Hauptstrasse 5, 10115 Berlin, Germany",
        "status": "我的订单在哪里？",
    },
}


def parts(turn: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [p for r in turn["replies"] for p in r["parts"] if p["type"] == kind]


def texts(turn: dict[str, Any]) -> str:
    return "\n".join(p["text"] for r in turn["replies"] for p in r["parts"] if "text" in p)


def payloads(turn: dict[str, Any], prefix: str) -> list[str]:
    found = []
    for r in turn["replies"]:
        for p in r["parts"]:
            buttons = p.get("buttons", []) + p.get("options", [])
            for card in p.get("cards", []):
                buttons += card["buttons"]
            found += [b["payload"] for b in buttons if (b.get("payload") or "").startswith(prefix)]
    return found


@pytest.mark.parametrize("language", sorted(SCRIPTS))
def test_shopper_buys_in_their_language_and_gets_the_confirmation_in_chat(
    client: TestClient, app_services: Services, language: str
) -> None:
    script = SCRIPTS[language]
    session = client.post("/api/v1/chat/sessions", json={"visitor_id": None, "language": None}).json()
    headers = {"Authorization": f"Bearer {session['token']}"}

    def say(text: str, payload: str | None = None) -> dict[str, Any]:
        response = client.post(
            "/api/v1/chat/messages", json={"text": text, "payload": payload}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    found = say(script["search"])
    assert found["replies"][0]["language"] == language
    cards = [c for carousel in parts(found, "carousel") for c in carousel["cards"]]
    assert cards, texts(found)

    details = say(cards[0]["title"], f"/product {cards[0]['product_id']}")
    add = payloads(details, "/add ")
    assert add, texts(details)
    added = say("+", add[0])
    assert parts(added, "cart_summary")

    step = say(t(language, "btn_checkout"), "/checkout")
    assert t(language, "checkout_ask_name") in texts(step)
    assert t(language, "checkout_ask_contact", name=script["name"]) in texts(say(script["name"]))
    wrong = say("not-an-email@")
    assert t(language, "invalid_email_invalid") in texts(wrong)  # a clear correction, same language
    assert t(language, "checkout_ask_address") in texts(say(script["email"]))
    shipping = say(script["address"])
    ship = payloads(shipping, "/ship ")
    assert ship, texts(shipping)
    placed = say("ok", ship[0])
    request = parts(placed, "payment_request")
    assert request and request[0]["url"]
    summary = parts(placed, "order_summary")[0]
    assert request[0]["amount_minor"] == summary["total_minor"]

    provider = app_services.payment_provider
    event = provider.build_event(
        request[0]["payment_id"], "succeeded", Money(request[0]["amount_minor"], request[0]["currency"])
    )
    body, signed = provider.signed_request(event)
    assert client.post("/webhooks/payments/demo", content=body, headers=signed).status_code < 300

    history = client.get("/api/v1/chat/messages", headers=headers).json()["messages"]
    confirmation = history[-1]["reply"]
    assert confirmation["language"] == language
    assert confirmation["parts"][0]["text"] == t(language, "order_paid", number=summary["number"])
    assert confirmation["parts"][1]["status"] == "paid"

    status = say(script["status"])
    assert parts(status, "order_summary")[0]["order_id"] == summary["order_id"]

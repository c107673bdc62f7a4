"""The app on a fresh database with a slice of the demo catalog, for conversation tests."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shopkeeper import catalog
from shopkeeper.bootstrap import Services, build_services
from shopkeeper.settings import Settings
from shopkeeper.web.app import create_app

DEMO = Path(__file__).parents[3] / "src" / "shopkeeper" / "demo" / "catalog.jsonl"
PRODUCTS = 40


def make_services(database_url: str, data_dir: Path) -> Services:
    return build_services(
        Settings(database_url=database_url, data_dir=data_dir, base_url="http://testserver")
    )


@pytest.fixture
def chat_services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    services = make_services(database_url, tmp_path)
    with DEMO.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in itertools.islice(f, PRODUCTS)]
    with services.db.session() as session:
        catalog.import_records(session, records)
    try:
        yield services
    finally:
        services.db.dispose()


@pytest.fixture
def chat_client(chat_services: Services) -> TestClient:
    return TestClient(create_app(chat_services, run_worker=False))


Say = Callable[..., dict[str, Any]]


@pytest.fixture
def shopper(chat_client: TestClient) -> tuple[dict[str, str], Say]:
    """A new web chat visitor: (their session, a function that sends a message and returns the turn)."""
    session = chat_client.post("/api/v1/chat/sessions", json={"language": "en"}).json()
    headers = {"Authorization": f"Bearer {session['token']}"}

    def say(text: str, payload: str | None = None, message_id: str | None = None) -> dict[str, Any]:
        response = chat_client.post(
            "/api/v1/chat/messages",
            headers=headers,
            json={"text": text, "payload": payload, "message_id": message_id},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return {**session, "authorization": headers["Authorization"]}, say


def all_texts(turn: dict[str, Any]) -> str:
    return "\n".join(p["text"] for r in turn["replies"] for p in r["parts"] if "text" in p)


def first_payload(turn: dict[str, Any], prefix: str) -> str:
    for r in turn["replies"]:
        for p in r["parts"]:
            buttons = p.get("buttons", []) + p.get("options", [])
            for card in p.get("cards", []):
                buttons += card["buttons"]
            for b in buttons:
                if (b.get("payload") or "").startswith(prefix):
                    return str(b["payload"])
    raise AssertionError(f"no {prefix} button in {turn}")

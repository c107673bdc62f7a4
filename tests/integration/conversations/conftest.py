"""The app on a fresh database with a slice of the demo catalog, for conversation tests."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chat_helpers import DEMO, PRODUCTS, Say, make_services
from fastapi.testclient import TestClient

from shopkeeper import catalog
from shopkeeper.bootstrap import Services
from shopkeeper.web.app import create_app


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

"""`shopkeeper demo` serves its storefront before the assistant's models are loaded: the page
works at once, a chat message sent meanwhile waits for the warm-up and is then answered, and the
products get their vectors before the first chat turn runs."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from shopkeeper import cli, seeding
from shopkeeper.catalog.store import ProductVector
from shopkeeper.settings import Settings


def _vectors(services: Any) -> int:
    with services.db.session() as s:
        return int(s.execute(select(func.count()).select_from(ProductVector)).scalar() or 0)


def test_demo_page_is_served_during_the_warm_up_and_a_chat_turn_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold = threading.Event()
    history_started = threading.Event()
    embed = seeding.embed_demo_catalog

    def held_embed(services: Any) -> int:
        hold.wait(120)  # the test decides when the warm-up may go on
        return embed(services)

    def history(services: Any) -> None:
        assert services.ready.is_set()  # only once the assistant is ready
        history_started.set()

    monkeypatch.setattr(seeding, "embed_demo_catalog", held_embed)
    monkeypatch.setattr(seeding, "seed_history", history)
    app, report = cli.demo_app(Settings(data_dir=tmp_path, base_url="http://testserver"))
    services = app.state.services
    assert report.imported and report.products >= 300
    assert _vectors(services) == 0  # the page does not wait for the encoder
    with TestClient(app) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "Ridgeline" in page.text  # a featured product of the demo catalog
        assert not services.ready.is_set()
        token = client.post("/api/v1/chat/sessions", json={"language": "en"}).json()["token"]
        answer: dict[str, Any] = {}

        def send() -> None:
            answer["response"] = client.post(
                "/api/v1/chat/messages",
                headers={"Authorization": f"Bearer {token}"},
                json={"text": "waterproof hiking boots"},
            )

        turn = threading.Thread(target=send)
        turn.start()
        turn.join(1.0)
        assert turn.is_alive() and "response" not in answer  # waiting, not failed
        hold.set()
        turn.join(300)
        assert not turn.is_alive()
        response = answer["response"]
        assert response.status_code == 200, response.text
        kinds = [p["type"] for r in response.json()["replies"] for p in r["parts"]]
        assert "carousel" in kinds or "product_card" in kinds
        assert services.ready.is_set()
        assert _vectors(services) == report.products
        assert history_started.wait(60)

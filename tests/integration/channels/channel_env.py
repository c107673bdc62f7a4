"""A wired test environment for channel integration tests: services on the test database, every
channel configured with the fixtures' secrets, outbound HTTP captured by the fake providers."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from shopkeeper.adapters.channels import wire
from shopkeeper.adapters.channels.fake import FakeProviders
from shopkeeper.bootstrap import Services
from shopkeeper.channels.config import ChannelSettings
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.outbox import deliver_due
from shopkeeper.settings import Settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DEMO_CATALOG = Path(__file__).resolve().parents[3] / "src" / "shopkeeper" / "demo" / "catalog.jsonl"
PUBLIC = "https://shop.example.com"


def channel_settings() -> ChannelSettings:
    return ChannelSettings(
        whatsapp_app_secret=SecretStr("wa-test-app-secret"),
        whatsapp_verify_token=SecretStr("wa-verify"),
        whatsapp_access_token=SecretStr("wa-token"),
        whatsapp_phone_number_id="1122334455667",
        whatsapp_api_base="https://graph.test/v25.0",
        messenger_app_secret=SecretStr("fb-test-app-secret"),
        messenger_verify_token=SecretStr("fb-verify"),
        messenger_page_token=SecretStr("fb-token"),
        messenger_api_base="https://graph.test/v25.0",
        instagram_app_secret=SecretStr("ig-test-app-secret"),
        instagram_verify_token=SecretStr("ig-verify"),
        instagram_access_token=SecretStr("ig-token"),
        instagram_api_base="https://ig.test/v25.0",
        telegram_bot_token=SecretStr("123456:ABC-test"),
        telegram_secret_token=SecretStr("tg-test-secret"),
        telegram_api_base="https://tg.test",
        twilio_account_sid="AC00000000000000000000000000000000",
        twilio_auth_token=SecretStr("tw-test-auth-token"),
        twilio_from_number="+15557654321",
        twilio_api_base="https://twilio.test",
        twilio_public_url=PUBLIC,
    )


@dataclass
class ChannelEnv:
    services: Services
    fake: FakeProviders
    client: TestClient

    def post_fixture(self, provider: str, name: str, **header_overrides: str) -> Any:
        folder = FIXTURES / provider
        ext = "form" if provider == "twilio" else "json"
        body = (folder / f"{name}.{ext}").read_bytes()
        headers = json.loads((folder / f"{name}.headers.json").read_text())
        path = headers.pop("X-Fixture-Path", f"/webhooks/{provider}")
        headers.update(header_overrides)
        headers = {k: v for k, v in headers.items() if v != ""}
        return self.client.post(path, content=body, headers=headers)

    def deliver(self) -> int:
        return deliver_due(self.services.db, self.services.senders)


def make_env(database: Database, *, app: FastAPI | None = None, process: bool = False) -> ChannelEnv:
    settings = Settings(base_url=PUBLIC)
    services = Services(settings=settings, db=database, bus=database.bus)
    fake = FakeProviders()
    services.extras["channel_processing"] = "background" if process else "worker"
    wire(services, transport=fake.transport, channel_settings=channel_settings())
    if app is None:
        from shopkeeper.web.webhooks import router

        app = FastAPI()
        app.include_router(router)
    app.state.services = services
    return ChannelEnv(services, fake, TestClient(app, base_url=PUBLIC))


def build_deployment_services(
    database_url: str, data_dir: Path, *, migrate: bool
) -> tuple[Services, FakeProviders]:
    """Services as `shopkeeper serve` / `shopkeeper worker` build them on one database, with every
    channel configured and outbound HTTP captured (provider rate limits off: tested on their own)."""
    from shopkeeper.adapters.channels.outbound import RatePolicy
    from shopkeeper.bootstrap import build_services

    settings = Settings(database_url=database_url, data_dir=data_dir, base_url=PUBLIC)
    services = build_services(settings, create_schema=migrate)
    if migrate:  # the web process sets the shop up: a few demo products (and their search index)
        from shopkeeper import catalog

        with DEMO_CATALOG.open(encoding="utf-8") as f:
            records = [json.loads(line) for line in itertools.islice(f, 20)]
        with services.db.session() as session:
            catalog.import_records(session, records)
    fake = FakeProviders()
    names = ("whatsapp", "messenger", "instagram", "telegram", "sms", "twilio_whatsapp")
    services.extras["channel_rate_policies"] = {n: RatePolicy(0.001, 1000, 0.001, 1000) for n in names}
    wire(services, transport=fake.transport, channel_settings=channel_settings())
    return services, fake


def run_worker_process(database_url: str, data_dir: str) -> None:
    """The body of a real worker process (spawned by a test): the `shopkeeper worker` loop."""
    from shopkeeper.worker import BackgroundWorker

    services, _fake = build_deployment_services(database_url, Path(data_dir), migrate=False)
    BackgroundWorker(services).run()

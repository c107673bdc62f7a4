"""A whole purchase — search → product → cart → checkout → pay link → paid → confirmation — on
each of the five channels through their signed webhooks, the real bot and commerce, with every
outbound provider call captured at the transport and read back in the provider's own format."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from channel_env import channel_settings
from fastapi.testclient import TestClient

from shopkeeper import catalog, payments
from shopkeeper.adapters.channels import wire
from shopkeeper.adapters.channels.fake import CapturedRequest, FakeProviders
from shopkeeper.adapters.channels.outbound import RatePolicy
from shopkeeper.adapters.channels.simulator import build_webhook
from shopkeeper.bootstrap import Services, build_services
from shopkeeper.channels import services as ch
from shopkeeper.kernel.outbox import deliver_due
from shopkeeper.settings import Settings
from shopkeeper.web.app import create_app

DEMO = Path(__file__).parents[3] / "src" / "shopkeeper" / "demo" / "catalog.jsonl"
PUBLIC = "https://shop.example.com"
SENDERS = {
    "whatsapp": "4915112345678",
    "messenger": "6543210987654321",
    "instagram": "3456789012345678",
    "telegram": "987654321",
    "sms": "+15551234567",
}


@pytest.fixture
def shop(database_url: str, tmp_path: Path) -> Iterator[tuple[Services, FakeProviders, TestClient]]:
    services = build_services(Settings(database_url=database_url, data_dir=tmp_path, base_url=PUBLIC))
    with DEMO.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in itertools.islice(f, 80)]
    with services.db.session() as session:
        catalog.import_records(session, records)
    fake = FakeProviders()
    # provider rate limits are tested on their own; here a whole conversation must not wait on them
    services.extras["channel_rate_policies"] = {n: RatePolicy(0.001, 1000, 0.001, 1000) for n in SENDERS}
    wire(services, transport=fake.transport, channel_settings=channel_settings())
    client = TestClient(create_app(services, run_worker=False), base_url=PUBLIC)
    try:
        yield services, fake, client
    finally:
        services.db.dispose()


class Shopper:
    """Talks to the shop the way the provider would deliver it, and reads what the provider got."""

    def __init__(self, channel: str, services: Services, fake: FakeProviders, client: TestClient) -> None:
        self.channel, self.services, self.fake, self.client = channel, services, fake, client
        self.provider = "twilio" if channel == "sms" else channel
        self.seen: list[CapturedRequest] = []

    def say(self, text: str, payload: str | None = None) -> list[CapturedRequest]:
        hook = build_webhook(
            self.channel,
            channel_settings(),
            sender=SENDERS[self.channel],
            text=text,
            payload=payload,
            public_url=PUBLIC,
        )
        resp = self.client.post(hook.path, content=hook.body, headers=hook.headers)
        assert resp.status_code in (200, 204), resp.text
        self.services.extras["channel_pump"].join()  # acknowledged at once; processed on the pump
        return self.collect()

    def collect(self) -> list[CapturedRequest]:
        before = len(self.fake.requests)
        while deliver_due(self.services.db, self.services.senders):
            pass
        new = [r for r in self.fake.requests[before:] if r.provider == self.provider]
        self.seen += new
        return new

    # -- reading the provider's format --------------------------------------------------------------
    def text(self, requests: list[CapturedRequest]) -> str:
        return json.dumps([r.body for r in requests], ensure_ascii=False)

    def choices(self, requests: list[CapturedRequest]) -> list[tuple[str, str | None, str]]:
        """(text to send, payload to send, the bot payload it means) for every tappable choice."""
        out: list[tuple[str, str | None, str]] = []
        with self.services.db.session() as s:
            if self.channel == "sms":
                for r in requests:
                    for n, _title in re.findall(r"^(\d+)\) (.+)$", r.form()["Body"], re.M):
                        meant = ch.resolve_choice(s, "sms", SENDERS["sms"], n) or ""
                        out.append((n, None, meant))
                return out
            for r in requests:
                for title, data in _taps(self.channel, r.body):
                    out.append((title, data, ch.resolve_callback(s, data)))
        return out

    def pick(self, requests: list[CapturedRequest], prefix: str) -> list[CapturedRequest]:
        options = [c for c in self.choices(requests) if c[2].startswith(prefix)]
        assert options, f"no {prefix} choice on {self.channel}: {self.text(requests)[:1500]}"
        text, payload, _ = options[0]
        return self.say(text, payload)

    def payment_id(self, requests: list[CapturedRequest]) -> str:
        urls = re.findall(r"https?://[^\s\"\\]+", self.text(requests))
        # short links in SMS bodies redirect to the payment page
        urls = [self._follow(u) if "/webhooks/l/" in u else u for u in urls]
        pay = [u for u in urls if "/pay/" in u]
        assert pay, f"no payment link on {self.channel}: {self.text(requests)[:1500]}"
        return pay[0].rsplit("/", 1)[1]

    def _follow(self, url: str) -> str:
        resp = self.client.get(url, follow_redirects=False)
        assert resp.status_code == 302, resp.text
        return str(resp.headers["location"])


def _taps(channel: str, body: dict[str, Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if channel == "whatsapp":
        inter = body.get("interactive") or {}
        for b in (inter.get("action") or {}).get("buttons", []):
            found.append((b["reply"]["title"], b["reply"]["id"]))
        for sec in (inter.get("action") or {}).get("sections", []):
            found += [(row["title"], row["id"]) for row in sec.get("rows", [])]
    elif channel in ("messenger", "instagram"):
        msg = body.get("message") or {}
        found += [(q["title"], q["payload"]) for q in msg.get("quick_replies", [])]
        payload = ((msg.get("attachment") or {}).get("payload")) or {}
        buttons = list(payload.get("buttons", []))
        for el in payload.get("elements", []):
            buttons += el.get("buttons", [])
        found += [(b["title"], b["payload"]) for b in buttons if b.get("type") == "postback"]
    elif channel == "telegram":
        for row in (body.get("reply_markup") or {}).get("inline_keyboard", []):
            found += [(b["text"], b["callback_data"]) for b in row if "callback_data" in b]
    return found


def test_full_purchase_on_each_of_the_five_channels_through_their_webhooks(
    shop: tuple[Services, FakeProviders, TestClient],
) -> None:
    # one shop for all five (building services and warming the bot is the slow part)
    for channel in ("whatsapp", "messenger", "instagram", "telegram", "sms"):
        buy_on(channel, *shop)


def buy_on(channel: str, services: Services, fake: FakeProviders, client: TestClient) -> None:
    shopper = Shopper(channel, services, fake, client)
    found = shopper.say("I'm looking for waterproof hiking boots")
    assert found, "the bot said nothing"
    product = shopper.pick(found, "/product ")
    added = shopper.pick(product, "/add ")
    checkout = shopper.pick(added, "/checkout")
    assert checkout
    shopper.say("John Smith")
    shopper.say("john.smith@example.com")
    shipping = shopper.say("Hauptstrasse 5, 10115 Berlin, Germany")
    placed = shopper.pick(shipping, "/ship ")
    payment_id = shopper.payment_id(placed)

    provider = services.payment_provider
    with services.db.session() as s:
        amount = payments.get_payment(s, payment_id).amount
    body, signed = provider.signed_request(provider.build_event(payment_id, "succeeded", amount))
    assert client.post("/webhooks/payments/demo", content=body, headers=signed).status_code < 300
    confirmation = shopper.collect()
    assert confirmation, f"no confirmation sent on {channel}"
    number = re.findall(r"\b[A-Z]{2,4}-\d{4,}\b", shopper.text(placed))
    assert number and number[0] in shopper.text(confirmation), shopper.text(confirmation)[:800]

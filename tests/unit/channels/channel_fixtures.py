"""Channel unit-test helpers: the fixture payloads and adapters configured with the fixtures' secrets."""

from __future__ import annotations

import json
from pathlib import Path

from shopkeeper.adapters.channels import (
    InstagramChannel,
    MessengerChannel,
    TelegramChannel,
    TwilioChannel,
    WhatsAppChannel,
)
from shopkeeper.channels.port import WebhookRequest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PUBLIC = "https://shop.example.com"
SECRETS = {
    "whatsapp": "wa-test-app-secret",
    "messenger": "fb-test-app-secret",
    "instagram": "ig-test-app-secret",
    "telegram": "tg-test-secret",
    "twilio": "tw-test-auth-token",
}


def fixture_request(provider: str, name: str) -> WebhookRequest:
    folder = FIXTURES / provider
    ext = "form" if provider == "twilio" else "json"
    body = (folder / f"{name}.{ext}").read_bytes()
    headers = {k.lower(): v for k, v in json.loads((folder / f"{name}.headers.json").read_text()).items()}
    path = headers.get("x-fixture-path", f"/webhooks/{provider}")
    return WebhookRequest(body=body, headers=headers, url=PUBLIC + path)


def fixture_names(provider: str) -> list[str]:
    return sorted(p.name.split(".")[0] for p in (FIXTURES / provider).glob("*.headers.json"))


def make_adapters() -> dict[str, object]:
    return {
        "whatsapp": WhatsAppChannel(
            app_secret=SECRETS["whatsapp"],
            verify_token="wa-verify",
            access_token="t",
            phone_number_id="1122334455667",
            api_base="https://graph.test/v25.0",
        ),
        "messenger": MessengerChannel(
            app_secret=SECRETS["messenger"],
            verify_token="fb-verify",
            page_token="t",
            api_base="https://graph.test/v25.0",
        ),
        "instagram": InstagramChannel(
            app_secret=SECRETS["instagram"],
            verify_token="ig-verify",
            page_token="t",
            api_base="https://graph.test/v25.0",
        ),
        "telegram": TelegramChannel(
            bot_token="123456:ABC", secret_token=SECRETS["telegram"], api_base="https://tg.test"
        ),
        "twilio": TwilioChannel(
            account_sid="AC00000000000000000000000000000000",
            auth_token=SECRETS["twilio"],
            api_base="https://twilio.test",
            from_number="+15557654321",
        ),
    }

"""Every fixture is correctly signed; any change to body, header or secret is refused."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from channel_fixtures import fixture_names, fixture_request, make_adapters

from shopkeeper.adapters.channels import meta, twilio
from shopkeeper.channels.port import WebhookRequest

PROVIDERS = ["whatsapp", "messenger", "instagram", "telegram", "twilio"]
CASES = [(p, n) for p in PROVIDERS for n in fixture_names(p)]
SIG_HEADER = {
    "whatsapp": "x-hub-signature-256",
    "messenger": "x-hub-signature-256",
    "instagram": "x-hub-signature-256",
    "telegram": "x-telegram-bot-api-secret-token",
    "twilio": "x-twilio-signature",
}


@pytest.mark.parametrize(("provider", "name"), CASES)
def test_fixture_is_correctly_signed(provider: str, name: str) -> None:
    adapter: Any = make_adapters()[provider]
    assert adapter.verify(fixture_request(provider, name))


@pytest.mark.parametrize(("provider", "name"), CASES)
def test_tampered_body_is_rejected(provider: str, name: str) -> None:
    adapter: Any = make_adapters()[provider]
    req = fixture_request(provider, name)
    forged = dataclasses.replace(req, body=req.body.replace(b"1", b"2", 1) + b" ")
    if provider == "telegram":  # Telegram signs nothing: the secret header is the whole check
        forged = dataclasses.replace(req, headers={**req.headers, SIG_HEADER[provider]: "guess"})
    assert not adapter.verify(forged)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_unsigned_request_is_rejected(provider: str) -> None:
    adapter: Any = make_adapters()[provider]
    req = fixture_request(provider, fixture_names(provider)[0])
    headers = {k: v for k, v in req.headers.items() if k != SIG_HEADER[provider]}
    assert not adapter.verify(WebhookRequest(body=req.body, headers=headers, url=req.url))


def test_meta_signature_needs_sha256_prefix_and_right_secret() -> None:
    raw = b'{"object":"page"}'
    good = meta.sign(raw, "s3cret")
    assert meta.verify_signature(raw, good, "s3cret")
    assert not meta.verify_signature(raw, good[7:], "s3cret")
    assert not meta.verify_signature(raw, good, "other")
    assert not meta.verify_signature(raw, good, "")


def test_twilio_signature_over_a_different_url_is_rejected() -> None:
    req = fixture_request("twilio", "sms_text")
    assert not twilio.validate(
        "tw-test-auth-token",
        "https://evil.example.com/webhooks/twilio",
        req.body,
        "application/x-www-form-urlencoded",
        req.headers["x-twilio-signature"],
    )


def test_twilio_accepts_the_url_with_or_without_default_port() -> None:
    params = [("Body", "hi"), ("From", "+1555")]
    sig = twilio.signature("tok", "https://shop.example.com:443/webhooks/twilio", params)
    body = b"Body=hi&From=%2B1555"
    assert twilio.validate("tok", "https://shop.example.com/webhooks/twilio", body, "", sig)


def test_twilio_json_body_is_checked_by_its_sha256_in_the_url() -> None:
    import hashlib

    body = b'{"x": 1}'
    url = f"https://shop.example.com/hook?bodySHA256={hashlib.sha256(body).hexdigest()}"
    sig = twilio.signature("tok", url, [])
    assert twilio.validate("tok", url, body, "application/json", sig)
    assert not twilio.validate("tok", url, b'{"x": 2}', "application/json", sig)


def test_twilio_validator_agrees_with_the_twilio_sdk() -> None:
    sdk = pytest.importorskip("twilio.request_validator")
    validator = sdk.RequestValidator("tw-test-auth-token")
    for name in fixture_names("twilio"):
        req = fixture_request("twilio", name)
        from urllib.parse import parse_qsl

        params = dict(parse_qsl(req.body.decode(), keep_blank_values=True))
        assert validator.validate(req.url, params, req.headers["x-twilio-signature"]), name
        assert twilio.signature(
            "tw-test-auth-token", req.url, list(params.items())
        ) == validator.compute_signature(req.url, params)

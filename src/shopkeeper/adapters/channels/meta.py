"""What WhatsApp, Messenger and Instagram share on Meta's platform: the hub.challenge handshake,
X-Hub-Signature-256 over the raw body (research §1.1), and Graph API error classification."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

import httpx2

from shopkeeper.adapters.channels.http import json_of

# Graph error codes that mean "try again later" (throughput / pair rate / temporary)
TRANSIENT_CODES = {4, 17, 32, 613, 130429, 131056, 131048, 131000, 133016, 2}
# codes for which retrying can never help (window closed, opted out, bad recipient)
PERMANENT_CODES = {131047, 131026, 131049, 131051, 10, 100, 190, 551, 2018278, 2018108}


def sign(raw: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


def verify_signature(raw: bytes, header: str | None, app_secret: str) -> bool:
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[7:].lower(), expected)


def handshake(query: Mapping[str, str], verify_token: str) -> str | None:
    """The challenge to echo (text/plain, 200) if Meta's subscribe request is genuine, else None."""
    if query.get("hub.mode") != "subscribe" or not verify_token:
        return None
    given = query.get("hub.verify_token", "")
    if not hmac.compare_digest(given.encode(), verify_token.encode()):
        return None
    return query.get("hub.challenge", "")


def read_graph_error(resp: httpx2.Response) -> tuple[str, bool | None, float | None]:
    err = json_of(resp).get("error") or {}
    code = err.get("code")
    message = f"{code} {err.get('message', resp.text[:200])}".strip()
    if code in TRANSIENT_CODES:
        return message, True, 6.0 if code == 131056 else None  # pair rate: ~1 msg / 6 s per user
    if code in PERMANENT_CODES:
        return message, False, None
    return message, None, None

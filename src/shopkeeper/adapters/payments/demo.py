"""The built-in demo payment provider: a hosted page on our own server that approves, declines or
splits into instalments, and notifies the app with a signed webhook exactly as a real PSP would.

Signature: header `Demo-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, f"{t}." + raw body)>`,
accepted within 300 s; the outbox sender signs at each delivery attempt, as Stripe does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import httpx2
from sqlalchemy.orm import Session

from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.money import Money
from shopkeeper.kernel.outbox import OutboxMessage, Sender, SendResult, enqueue
from shopkeeper.payments import (
    CreatePayment,
    InvalidSignature,
    PaymentNotice,
    ProviderRefund,
    ProviderSession,
    RefundRequest,
    header,
)

SIGNATURE_HEADER = "Demo-Signature"
WEBHOOK_KIND = "webhook.demo_payments"
WEBHOOK_PATH = "/webhooks/payments/demo"
TOLERANCE_S = 300
OUTCOMES = ("succeeded", "failed", "expired", "refunded")


class DemoPaymentProvider:
    """Stateless: the session id is derived from our payment id, so nothing but the payments
    table holds state, and the page handler can rebuild everything from it."""

    name = "demo"
    default_methods = ["card", "instalments"]  # noqa: RUF012 - read-only, matches the port

    def __init__(
        self,
        base_url: str,
        secret: str,
        *,
        tolerance_s: int = TOLERANCE_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secret:
            raise ValueError("the demo payment provider needs a webhook secret")
        self.base_url = base_url.rstrip("/")
        self._secret = secret.encode()
        self._tolerance_s = tolerance_s
        self._clock = clock

    # -- the PaymentProvider port --------------------------------------------------------------
    def create_session(self, request: CreatePayment) -> ProviderSession:
        expires_at = request.expires_at or utcnow() + timedelta(minutes=30)
        return ProviderSession(
            id=session_id_for(request.payment_id),
            url=f"{self.base_url}/pay/{request.payment_id}",
            expires_at=expires_at,
        )

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentNotice:
        self.verify(body, header(headers, SIGNATURE_HEADER))
        try:
            event = json.loads(body)
            data = event["data"]
            event_id = str(event["id"])
            event_type = str(event["type"])
            amount = Money(int(data["amount_minor"]), str(data["currency"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidSignature(f"malformed demo event: {exc}") from exc
        outcome = event_type.removeprefix("payment.")
        instalments = data.get("instalments")
        return PaymentNotice(
            event_id=event_id,
            kind=outcome if outcome in OUTCOMES else "ignored",  # type: ignore[arg-type]
            provider_session_id=str(data.get("session_id") or "") or None,
            amount=amount,
            method=data.get("method"),
            instalments=int(instalments) if instalments else None,
            event_type=event_type,
        )

    def refund(self, request: RefundRequest) -> ProviderRefund:
        return ProviderRefund(id=new_id("dre"), amount=request.amount, status="succeeded")

    # -- signing -------------------------------------------------------------------------------
    def sign(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        t = int(self._clock()) if timestamp is None else timestamp
        mac = hmac.new(self._secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        return {SIGNATURE_HEADER: f"t={t},v1={mac}", "Content-Type": "application/json"}

    def verify(self, body: bytes, signature: str | None) -> None:
        """Constant-time check of any v1 signature on the raw bytes, within the tolerance."""
        if not signature:
            raise InvalidSignature(f"missing {SIGNATURE_HEADER} header")
        stamps: list[str] = []
        macs: list[str] = []
        for item in signature.split(","):
            key, _, value = item.strip().partition("=")
            if key == "t":
                stamps.append(value)
            elif key == "v1":
                macs.append(value)
        if len(stamps) != 1 or not stamps[0].isdigit() or not macs:
            raise InvalidSignature("unreadable signature header")
        t = int(stamps[0])
        expected = hmac.new(self._secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        # compare against every v1 (no early exit on the first match) so timing says nothing
        matches = [hmac.compare_digest(expected, m) for m in macs]
        if not any(matches):
            raise InvalidSignature("signature does not match")
        if abs(self._clock() - t) > self._tolerance_s:
            raise InvalidSignature("signature timestamp outside the tolerance")

    # -- what the hosted page does when the shopper clicks ---------------------------------------
    def build_event(
        self,
        payment_id: str,
        outcome: str,
        amount: Money,
        method: str | None = None,
        instalments: int | None = None,
    ) -> dict[str, Any]:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown demo outcome {outcome!r}")
        return {
            "id": new_id("devt"),
            "object": "event",
            "type": f"payment.{outcome}",
            "created": int(self._clock()),
            "data": {
                "session_id": session_id_for(payment_id),
                "payment_id": payment_id,
                "amount_minor": amount.amount_minor,
                "currency": amount.currency,
                "method": method,
                "instalments": instalments,
            },
        }

    def notify(self, session: Session, event: dict[str, Any]) -> OutboxMessage:
        """Queue the webhook delivery to our own endpoint in the caller's transaction."""
        return enqueue(
            session,
            WEBHOOK_KIND,
            f"{self.base_url}{WEBHOOK_PATH}",
            {"event": event},
            dedupe_key=f"demo-webhook:{event['id']}",
        )

    def signed_request(self, event: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        body = encode_event(event)
        return body, self.sign(body)

    def outbox_sender(self, client: httpx2.Client | None = None) -> Sender:
        """The worker's sender for WEBHOOK_KIND: signs now (fresh timestamp) and POSTs."""
        http = client or httpx2.Client(timeout=10.0)

        def send(message: OutboxMessage) -> SendResult:
            body, headers = self.signed_request(message.payload["event"])
            try:
                response = http.post(message.destination, content=body, headers=headers)
            except httpx2.TransportError as exc:
                return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
            if response.is_success:
                return SendResult(ok=True, provider_message_id=str(message.payload["event"]["id"]))
            # 409 = not applicable yet, 429/5xx = busy: retry; other 4xx will never succeed
            retry = response.status_code in (409, 429) or response.status_code >= 500
            return SendResult(ok=False, error=f"HTTP {response.status_code}", permanent=not retry)

        return send


def session_id_for(payment_id: str) -> str:
    return "dcs_" + payment_id.removeprefix("pay_")


def encode_event(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":"), sort_keys=True).encode()

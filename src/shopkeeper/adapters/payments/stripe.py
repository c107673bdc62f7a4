"""Stripe adapter: Checkout Sessions through the official SDK, Stripe-signed webhooks mapped to
payment notices, refunds on the PaymentIntent. Fulfilment comes only from webhooks, never from
the success redirect. Outbound HTTP goes through httpx2 (a MockTransport in tests)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import stripe

from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.money import Money, currency_exponent
from shopkeeper.payments import (
    CreatePayment,
    InvalidSignature,
    PaymentNotice,
    ProviderRefund,
    ProviderSession,
    ProviderUnavailable,
    RefundRejected,
    RefundRequest,
    header,
)

SIGNATURE_HEADER = "Stripe-Signature"

# Stripe's own decimal rules differ from ISO 4217 (docs.stripe.com/currencies): zero-decimal ones,
# three-decimal ones, and ISK which ISO says has 0 decimals but Stripe takes as two-decimal.
ZERO_DECIMAL = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
THREE_DECIMAL = frozenset(["BHD", "JOD", "KWD", "OMR", "TND"])
TWO_DECIMAL_OVERRIDES = frozenset({"ISK"})

# checkout sessions must expire between 30 min and 24 h after creation
MIN_EXPIRY = timedelta(minutes=31)
MAX_EXPIRY = timedelta(hours=23, minutes=59)


def stripe_exponent(currency: str) -> int:
    cur = currency.upper()
    if cur in ZERO_DECIMAL:
        return 0
    if cur in THREE_DECIMAL:
        return 3
    if cur in TWO_DECIMAL_OVERRIDES:
        return 2
    return currency_exponent(cur)


def to_stripe_amount(money: Money) -> int:
    shift = stripe_exponent(money.currency) - currency_exponent(money.currency)
    if shift >= 0:
        return money.amount_minor * 10**shift
    factor = 10 ** (-shift)
    if money.amount_minor % factor:
        raise ValueError(f"{money} cannot be expressed in Stripe's units for {money.currency}")
    return money.amount_minor // factor


def from_stripe_amount(amount: int, currency: str) -> Money:
    cur = currency.upper()
    shift = stripe_exponent(cur) - currency_exponent(cur)
    value = amount // 10**shift if shift >= 0 else amount * 10 ** (-shift)
    return Money(value, cur)


class Httpx2StripeHTTPClient(stripe.HTTPClient):
    """stripe-python's HTTPClient contract over httpx2, so tests capture calls at the transport."""

    name = "httpx2"

    def __init__(self, client: httpx2.Client | None = None, timeout: float = 30.0) -> None:
        super().__init__()
        self._client = client or httpx2.Client(timeout=timeout)

    def request(  # type: ignore[override]
        self, method: str, url: str, headers: Mapping[str, str] | None, post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        try:
            response = self._client.request(method, url, headers=dict(headers or {}), content=post_data)
        except httpx2.TransportError as exc:
            raise stripe.APIConnectionError(
                f"Stripe unreachable: {type(exc).__name__}", should_retry=True
            ) from exc
        return response.content, response.status_code, response.headers

    def close(self) -> None:
        self._client.close()


class StripePaymentProvider:
    name = "stripe"
    default_methods = ["card", "wallet", "instalments"]  # noqa: RUF012 - dynamic methods incl. BNPL

    def __init__(
        self,
        api_key: str,
        webhook_secret: str,
        api_base: str | None = None,
        *,
        http_client: httpx2.Client | None = None,
        max_network_retries: int = 2,
    ) -> None:
        self._webhook_secret = webhook_secret
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else None,
            http_client=Httpx2StripeHTTPClient(http_client),
            max_network_retries=max_network_retries,
        )

    # -- outbound ------------------------------------------------------------------------------
    def create_session(self, request: CreatePayment) -> ProviderSession:
        now = utcnow()
        wanted = request.expires_at or now + MIN_EXPIRY
        expires_at = min(max(wanted, now + MIN_EXPIRY), now + MAX_EXPIRY)
        metadata = {"payment_id": request.payment_id, "reference": request.reference}
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": request.amount.currency.lower(),
                        "unit_amount": to_stripe_amount(request.amount),
                        "product_data": {"name": request.description[:250] or request.reference},
                    },
                }
            ],
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "client_reference_id": request.reference,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "expires_at": int(expires_at.timestamp()),
            # payment_method_types left unset on purpose: the Dashboard's dynamic payment methods
            # decide, which is how cards, wallets and BNPL (Klarna, Afterpay…) appear
        }
        if request.customer_email:
            params["customer_email"] = request.customer_email
        try:
            session = self._client.v1.checkout.sessions.create(
                params,  # type: ignore[arg-type]
                # deterministic: a retried job reuses the first session instead of opening a second
                options={"idempotency_key": f"shopkeeper-checkout-{request.payment_id}"},
            )
        except stripe.StripeError as exc:
            raise ProviderUnavailable(f"Stripe refused the checkout session: {exc}") from exc
        url = session.url or ""
        stamp = session.expires_at
        return ProviderSession(
            id=session.id,
            url=url,
            expires_at=datetime.fromtimestamp(stamp, UTC) if stamp else expires_at,
        )

    def refund(self, request: RefundRequest) -> ProviderRefund:
        if not request.provider_payment_id:
            raise RefundRejected(f"payment {request.payment_id} has no Stripe PaymentIntent yet")
        params: dict[str, Any] = {
            "payment_intent": request.provider_payment_id,
            "amount": to_stripe_amount(request.amount),
            "metadata": {"payment_id": request.payment_id},
        }
        try:
            refund = self._client.v1.refunds.create(
                params,  # type: ignore[arg-type]
                options={"idempotency_key": request.idempotency_key},
            )
        except stripe.StripeError as exc:
            raise RefundRejected(f"Stripe refused the refund: {exc}") from exc
        return ProviderRefund(
            id=refund.id,
            amount=from_stripe_amount(refund.amount, refund.currency),
            status=str(refund.status),
        )

    # -- inbound -------------------------------------------------------------------------------
    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentNotice:
        try:
            # verifies HMAC-SHA256 over f"{t}.{raw body}" against every v1, 300 s tolerance
            self._client.construct_event(body, header(headers, SIGNATURE_HEADER), self._webhook_secret)
            event = json.loads(body)
        except stripe.SignatureVerificationError as exc:
            raise InvalidSignature(str(exc.user_message or "bad Stripe signature")) from exc
        except ValueError as exc:
            raise InvalidSignature(f"malformed Stripe event: {exc}") from exc
        return notice_from_event(event)


def notice_from_event(event: dict[str, Any]) -> PaymentNotice:
    """Map a Stripe event (already verified) to what payments act on."""
    event_id, event_type = str(event.get("id", "")), str(event.get("type", ""))
    obj: dict[str, Any] = (event.get("data") or {}).get("object") or {}
    metadata = obj.get("metadata") or {}
    if event_type.startswith("checkout.session."):
        amount = None
        if obj.get("amount_total") is not None and obj.get("currency"):
            amount = from_stripe_amount(int(obj["amount_total"]), str(obj["currency"]))
        session_notice = PaymentNotice(
            event_id=event_id,
            kind="ignored",
            provider_session_id=obj.get("id"),
            amount=amount,
            provider_payment_id=_id_of(obj.get("payment_intent")),
            payment_id=metadata.get("payment_id"),
            event_type=event_type,
        )
        return replace(session_notice, kind=_session_kind(event_type, obj))  # type: ignore[arg-type]
    if event_type == "charge.refunded":
        return PaymentNotice(
            event_id=event_id,
            kind="refunded",
            provider_session_id=None,
            amount=from_stripe_amount(
                int(obj.get("amount_refunded") or 0), str(obj.get("currency") or "eur")
            ),
            provider_payment_id=_id_of(obj.get("payment_intent")),
            payment_id=metadata.get("payment_id"),
            event_type=event_type,
        )
    return PaymentNotice(event_id=event_id, kind="ignored", provider_session_id=None, event_type=event_type)


def _session_kind(event_type: str, obj: Mapping[str, Any]) -> str:
    if event_type == "checkout.session.completed":
        # "unpaid" = a delayed method (bank debit, voucher): the outcome comes later, async_*
        return "succeeded" if obj.get("payment_status") in ("paid", "no_payment_required") else "pending"
    return {
        "checkout.session.async_payment_succeeded": "succeeded",
        "checkout.session.async_payment_failed": "failed",
        "checkout.session.expired": "expired",
    }.get(event_type, "ignored")


def _id_of(value: Any) -> str | None:
    """Stripe fields hold an id string, or the object itself when expanded."""
    if isinstance(value, dict):
        return str(value.get("id")) if value.get("id") else None
    return str(value) if value else None

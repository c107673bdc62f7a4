"""Payment rules with no I/O: statuses and their forward-only moves, the provider port's value
types, and the instalment split. Payments know an amount and a reference, never an order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from shopkeeper.kernel.money import Money
from shopkeeper.payments.errors import IllegalPaymentTransition

PaymentStatus = Literal["pending", "succeeded", "failed", "expired", "refunded"]
NoticeKind = Literal["succeeded", "failed", "expired", "refunded", "pending", "ignored"]
Method = Literal["card", "wallet", "instalments"]

PENDING: PaymentStatus = "pending"
SUCCEEDED: PaymentStatus = "succeeded"
FAILED: PaymentStatus = "failed"
EXPIRED: PaymentStatus = "expired"
REFUNDED: PaymentStatus = "refunded"

# forward-only: a terminal outcome is never undone (a late "succeeded" after "expired" is a
# conflict for a human, not a silent resurrection)
TRANSITIONS: Mapping[str, frozenset[str]] = {
    PENDING: frozenset({SUCCEEDED, FAILED, EXPIRED}),
    SUCCEEDED: frozenset({REFUNDED}),
    FAILED: frozenset(),
    EXPIRED: frozenset(),
    REFUNDED: frozenset(),
}

INSTALMENTS = 3


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def check_move(current: str, target: str) -> None:
    if not can_move(current, target):
        raise IllegalPaymentTransition(current, target)


def instalment_plan(amount: Money, count: int = INSTALMENTS) -> list[Money]:
    """Equal parts whose sum is exactly the total (the odd cents go to the first parts)."""
    if count < 1:
        raise ValueError("an instalment plan needs at least one part")
    return amount.allocate([1] * count)


# -- the PaymentProvider port and its value types -------------------------------------------------


@dataclass(frozen=True)
class CreatePayment:
    """What a provider needs to open a hosted payment session."""

    amount: Money
    reference: str
    description: str
    customer_email: str | None
    success_url: str
    cancel_url: str
    methods: list[str] = field(default_factory=list)
    payment_id: str = ""  # our id: the demo page URL, Stripe metadata and idempotency key use it
    expires_at: datetime | None = None


@dataclass(frozen=True)
class ProviderSession:
    id: str
    url: str
    expires_at: datetime | None


@dataclass(frozen=True)
class PaymentNotice:
    """A verified provider webhook, reduced to what payments act on.

    For kind "refunded", `amount` is the total refunded so far (providers report it cumulatively,
    which makes applying it idempotent and order-independent)."""

    event_id: str
    kind: NoticeKind
    provider_session_id: str | None
    amount: Money | None = None
    method: str | None = None
    instalments: int | None = None
    provider_payment_id: str | None = None  # e.g. Stripe's PaymentIntent id (refunds key on it)
    payment_id: str | None = None  # our id when the provider echoes it back (metadata)
    event_type: str = ""


@dataclass(frozen=True)
class RefundRequest:
    payment_id: str
    provider_session_id: str | None
    provider_payment_id: str | None
    amount: Money
    idempotency_key: str


@dataclass(frozen=True)
class ProviderRefund:
    id: str
    amount: Money
    status: str


class PaymentProvider(Protocol):
    """A payment service provider: opens hosted sessions, turns its signed webhooks into notices
    (raising payments.InvalidSignature), and refunds."""

    @property
    def name(self) -> str: ...

    @property
    def default_methods(self) -> list[str]: ...

    def create_session(self, request: CreatePayment) -> ProviderSession: ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentNotice: ...

    def refund(self, request: RefundRequest) -> ProviderRefund: ...


# -- what services hand back ---------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentView:
    id: str
    url: str
    amount: Money
    methods: list[str]
    status: str
    reference: str = ""
    provider: str = ""
    description: str = ""
    method: str | None = None
    instalments: int | None = None
    refunded: Money | None = None
    language: str | None = None
    return_url: str | None = None
    expires_at: datetime | None = None
    created_at: datetime | None = None


HandleOutcome = Literal["applied", "unchanged", "duplicate", "ignored", "deferred", "conflict"]


@dataclass(frozen=True)
class HandleResult:
    """What one webhook did. `deferred` = not applicable yet (an out-of-order event whose
    predecessor has not arrived): nothing stored, answer non-2xx so the provider retries."""

    outcome: HandleOutcome
    event_id: str | None = None
    payment_id: str | None = None
    status: str | None = None
    detail: str | None = None

    @property
    def http_status(self) -> int:
        return 409 if self.outcome == "deferred" else 200


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup (tests pass plain dicts, servers pass multi-dicts)."""
    value = headers.get(name)
    if value is not None:
        return value
    lname = name.lower()
    for key, val in headers.items():
        if key.lower() == lname:
            return val
    return None

"""Payment domain events (past tense, frozen). Checkout listens in-transaction to fulfil orders."""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.kernel.money import Money


@dataclass(frozen=True)
class PaymentSucceeded:
    payment_id: str
    reference: str
    amount: Money
    method: str | None
    instalments: int | None = None
    provider: str = ""


@dataclass(frozen=True)
class PaymentFailed:
    payment_id: str
    reference: str
    amount: Money
    provider: str = ""


@dataclass(frozen=True)
class PaymentExpired:
    payment_id: str
    reference: str
    amount: Money
    provider: str = ""


@dataclass(frozen=True)
class PaymentRefunded:
    """`amount` is this refund; `total_refunded` all refunds so far; `full` when nothing is left."""

    payment_id: str
    reference: str
    amount: Money
    total_refunded: Money
    full: bool
    provider: str = ""

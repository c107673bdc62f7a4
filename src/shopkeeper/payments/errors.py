"""Payment errors, each with a stable machine-readable `.code` (the web layer maps them to HTTP)."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class PaymentError(DomainError):
    code = "payment_error"


class InvalidSignature(PaymentError):
    """A webhook whose signature, timestamp or shape does not verify: answer 400, store nothing."""

    code = "invalid_signature"


class PaymentNotFound(PaymentError):
    code = "payment_not_found"

    def __init__(self, payment_id: str) -> None:
        super().__init__(f"payment {payment_id} not found")
        self.payment_id = payment_id


class IllegalPaymentTransition(PaymentError):
    code = "illegal_payment_transition"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"a payment cannot move from {current} to {target}")
        self.current = current
        self.target = target


class RefundRejected(PaymentError):
    """Refund not possible: payment not succeeded, amount above what is left, or provider refused."""

    code = "refund_rejected"


class ProviderUnavailable(PaymentError):
    """The provider could not be reached or answered with an error when opening a session."""

    code = "payment_provider_unavailable"

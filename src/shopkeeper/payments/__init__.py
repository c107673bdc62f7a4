"""Payments: hosted payment sessions, signed provider webhooks applied exactly once, refunds.

Knows an amount and a reference (an order id), never an order; the PaymentProvider port lives here.
"""

from shopkeeper.payments.errors import (
    IllegalPaymentTransition,
    InvalidSignature,
    PaymentError,
    PaymentNotFound,
    ProviderUnavailable,
    RefundRejected,
)
from shopkeeper.payments.events import PaymentExpired, PaymentFailed, PaymentRefunded, PaymentSucceeded
from shopkeeper.payments.model import (
    INSTALMENTS,
    CreatePayment,
    HandleResult,
    PaymentNotice,
    PaymentProvider,
    PaymentStatus,
    PaymentView,
    ProviderRefund,
    ProviderSession,
    RefundRequest,
    can_move,
    check_move,
    header,
    instalment_plan,
)
from shopkeeper.payments.services import (
    apply_notice,
    create_payment,
    expire_overdue,
    find_payment,
    get_payment,
    handle_webhook,
    list_payments,
    refund,
)

__all__ = [
    "INSTALMENTS",
    "CreatePayment",
    "HandleResult",
    "IllegalPaymentTransition",
    "InvalidSignature",
    "PaymentError",
    "PaymentExpired",
    "PaymentFailed",
    "PaymentNotFound",
    "PaymentNotice",
    "PaymentProvider",
    "PaymentRefunded",
    "PaymentStatus",
    "PaymentSucceeded",
    "PaymentView",
    "ProviderRefund",
    "ProviderSession",
    "ProviderUnavailable",
    "RefundRejected",
    "RefundRequest",
    "apply_notice",
    "can_move",
    "check_move",
    "create_payment",
    "expire_overdue",
    "find_payment",
    "get_payment",
    "handle_webhook",
    "header",
    "instalment_plan",
    "list_payments",
    "refund",
]

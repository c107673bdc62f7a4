"""Checkout errors, each with a stable machine-readable `code`."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class CheckoutError(DomainError):
    code = "checkout_error"


class ValidationFailed(CheckoutError):
    """Contact or address fields that need correcting: `errors` maps field → human message,
    `codes` maps field → machine code (for translated prompts)."""

    code = "validation_failed"

    def __init__(self, errors: dict[str, str], codes: dict[str, str] | None = None) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.codes = codes or {}
        self.details = {"fields": errors, "codes": self.codes}


class ShippingUnavailable(CheckoutError):
    """No such shipping method for this destination (or the parcel is too heavy for it)."""

    code = "shipping_unavailable"


class CartEmpty(CheckoutError):
    code = "cart_empty"


class OrderNotPayable(CheckoutError):
    code = "order_not_payable"


class ConfigInvalid(CheckoutError):
    code = "checkout_config_invalid"

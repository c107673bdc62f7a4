"""Cart and discount-code errors, each with a stable machine-readable `code`."""

from __future__ import annotations

from shopkeeper.inventory import OutOfStock
from shopkeeper.kernel.errors import DomainError

__all__ = [
    "CartClosed", "CartError", "CartNotFound", "CurrencyMismatch", "DiscountError", "DiscountExpired",
    "DiscountInvalid", "DiscountMinSubtotal", "DiscountUsedUp", "InvalidQuantity", "LineNotFound",
    "OutOfStock", "VariantNotFound", "VersionConflict",
]


class CartError(DomainError):
    code = "cart_error"


class CartNotFound(CartError):
    code = "cart_not_found"

    def __init__(self, cart_id: str) -> None:
        super().__init__(f"cart {cart_id} not found")
        self.cart_id = cart_id


class LineNotFound(CartError):
    code = "line_not_found"

    def __init__(self, line_id: str) -> None:
        super().__init__(f"cart line {line_id} not found")


class VariantNotFound(CartError):
    """The catalog has no such variant (any more)."""

    code = "variant_not_found"

    def __init__(self, variant_id: str) -> None:
        super().__init__(f"variant {variant_id} not found")
        self.variant_id = variant_id


class CartClosed(CartError):
    """The cart was already checked out; the shopper's next purchase uses a new cart."""

    code = "cart_closed"


class VersionConflict(CartError):
    """The cart changed since the caller read it (optimistic concurrency via `version`)."""

    code = "version_conflict"

    def __init__(self, cart_id: str, expected: int, actual: int | None) -> None:
        super().__init__(f"cart {cart_id} is at version {actual}, not {expected}")
        self.details = {"expected": expected, "actual": actual}


class InvalidQuantity(CartError):
    code = "invalid_quantity"


class CurrencyMismatch(CartError):
    code = "currency_mismatch"


class DiscountError(CartError):
    code = "discount_invalid"

    def __init__(self, code_text: str, message: str | None = None) -> None:
        super().__init__(message or f"discount code {code_text} cannot be used")
        self.discount_code = code_text


class DiscountInvalid(DiscountError):
    code = "discount_invalid"


class DiscountExpired(DiscountError):
    code = "discount_expired"


class DiscountMinSubtotal(DiscountError):
    code = "discount_min_subtotal"


class DiscountUsedUp(DiscountError):
    code = "discount_used_up"

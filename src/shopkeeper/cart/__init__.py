"""Cart: one open cart per customer (tied to their conversation), lines priced at the catalog's
current price, discount codes with their rules and usage. Other packages import only this surface."""

from shopkeeper.cart.errors import (
    CartClosed,
    CartError,
    CartNotFound,
    CurrencyMismatch,
    DiscountError,
    DiscountExpired,
    DiscountInvalid,
    DiscountMinSubtotal,
    DiscountUsedUp,
    InvalidQuantity,
    LineNotFound,
    OutOfStock,
    VersionConflict,
)
from shopkeeper.cart.model import (
    MAX_LINE_QUANTITY,
    CartView,
    DiscountRule,
    DiscountUsage,
    LineView,
    apply_rule,
    check_rule,
    discount_amount,
    normalize_code,
    round_half_up,
)
from shopkeeper.cart.services import (
    access_cart,
    add_item,
    apply_discount,
    clear_cart,
    discount_usage,
    evaluate_discount,
    find_open_cart,
    get_cart,
    mark_checked_out,
    open_cart,
    redeem_discount,
    remove_discount,
    remove_line,
    save_discount_code,
    set_quantity,
)

__all__ = [
    "MAX_LINE_QUANTITY", "CartClosed", "CartError", "CartNotFound", "CartView", "CurrencyMismatch",
    "DiscountError", "DiscountExpired", "DiscountInvalid", "DiscountMinSubtotal", "DiscountRule",
    "DiscountUsage", "DiscountUsedUp", "InvalidQuantity", "LineNotFound", "LineView", "OutOfStock",
    "VersionConflict", "access_cart", "add_item", "apply_discount", "apply_rule", "check_rule",
    "clear_cart", "discount_amount", "discount_usage", "evaluate_discount", "find_open_cart", "get_cart",
    "mark_checked_out", "normalize_code", "open_cart", "redeem_discount", "remove_discount",
    "remove_line", "round_half_up", "save_discount_code", "set_quantity",
]

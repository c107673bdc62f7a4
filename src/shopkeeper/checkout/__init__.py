"""Checkout: the one totals function (`quote`), shipping and tax rules from the merchant's
configuration, contact/address validation, and turning a cart into an order that gets paid.

Other packages import only this surface. `wire(services)` is called by the composition root.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from shopkeeper.checkout.config import DEMO_CONFIG, CheckoutConfig, load_config, parse_config
from shopkeeper.checkout.errors import (
    CartEmpty,
    CheckoutError,
    ConfigInvalid,
    OrderNotPayable,
    ShippingUnavailable,
    ValidationFailed,
)
from shopkeeper.checkout.listeners import expire_unpaid, install, refund_sender
from shopkeeper.checkout.model import (
    Destination,
    ShippingMethod,
    ShippingOption,
    TaxRule,
    Totals,
    TotalsLine,
    Zone,
    compute_totals,
    options_for,
    tax_on,
)
from shopkeeper.checkout.services import (
    configure,
    current_config,
    place_order,
    quote,
    quote_cart,
    shipping_options,
    start_payment,
)
from shopkeeper.checkout.validation import (
    Address,
    Contact,
    normalize_postcode,
    validate_address,
    validate_contact,
    validate_phone,
)
from shopkeeper.kernel.db import Database


def sync_discount_codes(db: Database, config: CheckoutConfig) -> None:
    """Write the configuration's discount codes to the database (their usage counts are kept)."""
    from shopkeeper import cart

    with db.session() as session:
        for rule in config.discounts:
            cart.save_discount_code(session, rule)


def setup(db: Database, config: CheckoutConfig | None = None) -> CheckoutConfig:
    """Activate a configuration (default: the demo one), its discount codes and the listeners."""
    config = config or load_config()
    configure(config)
    sync_discount_codes(db, config)
    install(db.bus)
    return config


def wire(services: Any) -> None:
    """Composition-root hook: config from `settings.checkout_config` (a JSON path) if set."""
    settings = services.settings
    config = load_config(getattr(settings, "checkout_config", None))
    config = dataclasses.replace(config, reservation_minutes=settings.reservation_minutes)
    setup(services.db, config)
    from shopkeeper.orders import RefundRequested

    services.bus.subscribe(
        RefundRequested,
        refund_sender(services.db, services.payment_providers, lambda: services.payment_provider),
    )
    # the worker's housekeeping pass lapses overdue holds; their unpaid orders get cancelled
    services.extras.setdefault("periodic", []).append(lambda svc: expire_unpaid(svc.db))


__all__ = [
    "DEMO_CONFIG", "Address", "CartEmpty", "CheckoutConfig", "CheckoutError", "ConfigInvalid", "Contact",
    "Destination", "OrderNotPayable", "ShippingMethod", "ShippingOption", "ShippingUnavailable",
    "TaxRule", "Totals", "TotalsLine", "ValidationFailed", "Zone", "compute_totals", "configure",
    "current_config", "expire_unpaid", "install", "load_config", "normalize_postcode", "options_for",
    "parse_config", "place_order", "quote", "quote_cart", "refund_sender", "setup", "shipping_options",
    "start_payment", "sync_discount_codes", "tax_on", "validate_address", "validate_contact",
    "validate_phone", "wire",
]

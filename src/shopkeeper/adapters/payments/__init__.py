"""Payment provider adapters: the only code that speaks a payment vendor's protocol.

`demo` (our own hosted page, no network) and `stripe` (Checkout Sessions). `wire` is called by
the composition root: it builds the configured providers, the demo webhook sender and its expiry job.
"""

from __future__ import annotations

from typing import Any

from shopkeeper.adapters.payments.demo import WEBHOOK_KIND, DemoPaymentProvider


def wire(services: Any) -> None:
    """Fill `services.payment_providers` / `.payment_provider`, the outbox sender for demo
    webhooks, and a periodic job that expires overdue demo payments (Stripe expires its own)."""
    settings = services.settings
    demo = DemoPaymentProvider(settings.base_url, settings.demo_payment_secret.get_secret_value())
    providers: dict[str, Any] = {demo.name: demo}
    if settings.stripe_api_key is not None and settings.stripe_webhook_secret is not None:
        from shopkeeper.adapters.payments.stripe import StripePaymentProvider  # SDK import is slow

        providers["stripe"] = StripePaymentProvider(
            settings.stripe_api_key.get_secret_value(),
            settings.stripe_webhook_secret.get_secret_value(),
            settings.stripe_api_base,
        )
    services.payment_providers.update(providers)
    chosen = settings.payment_provider
    if chosen not in providers:
        raise ValueError(f"payment provider {chosen!r} is not configured (have {sorted(providers)})")
    services.payment_provider = providers[chosen]
    services.senders[WEBHOOK_KIND] = demo.outbox_sender()
    services.extras.setdefault("periodic", []).append(expire_demo_payments)


def expire_demo_payments(services: Any) -> None:
    from shopkeeper.payments import expire_overdue

    with services.db.session() as session:
        expire_overdue(session, DemoPaymentProvider.name)


__all__ = ["DemoPaymentProvider", "expire_demo_payments", "wire"]

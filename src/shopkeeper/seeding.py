"""Fills an empty database with the demo catalog and its stock, a demo agent, and (in the
background, so the storefront is up at once) a year of plausible shopping history."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from shopkeeper.bootstrap import Services

log = logging.getLogger(__name__)

DEMO_AGENT_EMAIL = "agent@shopkeeper.demo"
DEMO_AGENT_PASSWORD = "demo-agent-password"  # printed by `shopkeeper demo`; the demo is local-only
HISTORY_BATCH = 50


@dataclass(frozen=True)
class DemoReport:
    products: int
    imported: bool
    agent_email: str
    agent_password: str

    def __str__(self) -> str:
        what = "imported" if self.imported else "already loaded"
        return f"{self.products} products ({what}); agent {self.agent_email} / {self.agent_password}"


def ensure_demo_data(services: Services, *, history_in_background: bool = True) -> DemoReport:
    report = load_demo_catalog(services)
    if report.imported:
        if history_in_background:
            start_history(services)
        else:
            seed_history(services)
    return report


def load_demo_catalog(services: Services, *, embed: bool = True) -> DemoReport:
    """The demo catalog with its stock (into an empty catalog only) and the demo agent: what the
    storefront shows. The history is left to the caller (`seed_history`, `start_history`).
    `embed=False` leaves the product vectors to `embed_demo_catalog` (the encoder takes seconds
    to load; the storefront does not need it)."""
    from shopkeeper import catalog, staff
    from shopkeeper.demo import CATALOG_PATH

    with services.db.session() as s:
        existing = catalog.count_products(s)
    if existing == 0:
        catalog.import_file(
            services.db,
            CATALOG_PATH,
            currency=services.settings.currency,
            **({} if embed else {"encoder": None}),
        )
    with services.db.session() as s:
        count = catalog.count_products(s)
        if not any(a.email == DEMO_AGENT_EMAIL for a in staff.list_agents(s)):
            staff.create_agent(
                s, DEMO_AGENT_EMAIL, "Demo Agent", DEMO_AGENT_PASSWORD, role="admin", max_discount_percent=20
            )
    return DemoReport(count, existing == 0, DEMO_AGENT_EMAIL, DEMO_AGENT_PASSWORD)


def embed_demo_catalog(services: Services) -> int:
    """The vectors `load_demo_catalog(embed=False)` left out, with the search's own encoder."""
    from shopkeeper import catalog

    encoder = getattr(services.search, "encoder", None)
    return catalog.embed_missing(services.db, encoder) if encoder is not None else 0


def start_history(services: Services) -> threading.Thread:
    thread = threading.Thread(target=seed_history, args=(services,), name="demo-history", daemon=True)
    thread.start()
    return thread


def seed_history(services: Services) -> None:
    """A year of orders and views (fixed seed) so also-bought and personal picks make sense."""
    from shopkeeper.recommendations.demo_history import plan_demo_history

    svc = services.recommendations
    try:
        with services.db.session() as s:
            calls = plan_demo_history(s, seed=7)
        # small transactions: shoppers chatting meanwhile only ever wait for one batch
        for i in range(0, len(calls), HISTORY_BATCH):
            with services.db.session() as s:
                for at, customer, kind, ids in calls[i : i + HISTORY_BATCH]:
                    svc.record(s, customer, kind, ids, at)
        with services.db.session() as s:
            services.recommendations.train(s)
    except Exception:  # the demo still works without history: recommendations fall back to popular
        log.exception("demo history could not be generated")

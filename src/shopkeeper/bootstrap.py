"""The composition root: builds every service from Settings and wires listeners, senders and
routers. Nothing else constructs adapters; nothing here runs at import time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shopkeeper.kernel.db import Database
from shopkeeper.kernel.events import EventBus
from shopkeeper.kernel.outbox import Sender
from shopkeeper.settings import Settings

log = logging.getLogger(__name__)
READY_TIMEOUT_S = 300.0  # longest a chat turn waits for a background warm-up


def _ready() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


@dataclass
class Services:
    """Everything an endpoint, a worker job or a CLI command needs, built once per process."""

    settings: Settings
    db: Database
    bus: EventBus
    nlu: Any = None
    search: Any = None
    recommendations: Any = None
    payment_provider: Any = None
    payment_providers: dict[str, Any] = field(default_factory=dict)
    senders: dict[str, Sender] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    # clear while models load behind an already served storefront (`warm_up_in_background`)
    ready: threading.Event = field(default_factory=_ready)

    def wait_ready(self) -> None:
        """Block until a background warm-up has finished (at once when none runs): a chat turn
        arriving during it waits instead of loading the models a second time."""
        if not self.ready.is_set() and not self.ready.wait(READY_TIMEOUT_S):
            log.warning("warm-up still running after %.0fs; going on without it", READY_TIMEOUT_S)


def build_services(
    settings: Settings | None = None, *, create_schema: bool = True, warm: bool = False
) -> Services:
    settings = settings or Settings()
    bus = EventBus()
    db = Database(settings.resolved_database_url(), bus=bus)
    if create_schema:
        migrate(db)
    services = Services(settings=settings, db=db, bus=bus)
    _wire(services)
    if warm:
        warm_up(services)
    return services


def migrate(db: Database) -> None:
    """Bring the schema to head with the Alembic migrations."""
    import shopkeeper.models  # noqa: F401  (registers every table)
    from shopkeeper.migrations_runner import upgrade_to_head

    upgrade_to_head(db)


def _wire(services: Services) -> None:
    # order matters only where a step reads what an earlier one filled in
    from shopkeeper import catalog, checkout, conversations, recommendations
    from shopkeeper.adapters import channels as channel_adapters
    from shopkeeper.adapters import payments as payment_adapters

    catalog.wire(services)
    recommendations.wire(services)
    payment_adapters.wire(services)
    checkout.wire(services)
    if services.settings.redis_url:
        # several server processes: the web chat hub's frames cross them over Redis pub/sub
        from shopkeeper.adapters.redis_relay import RedisRelay

        services.extras["webchat_relay"] = RedisRelay(services.settings.redis_url)
    conversations.wire(services)
    channel_adapters.wire(services)


def warm_up(services: Services) -> None:
    """Load the language models and search structures now, not inside a shopper's first turn
    (which would hold the SQLite write lock while they load)."""
    from shopkeeper.bots.nlu import NLU

    if services.nlu is None:
        services.nlu = NLU.default()
    services.nlu.parse("hello", languages=services.settings.languages)
    if services.search is not None:
        # the sentence encoder (seconds), catalog statistics, vectors and one query per language
        services.search.warm_up(services.settings.languages)


def warm_up_in_background(
    services: Services,
    *,
    before: Callable[[], object] | None = None,
    then: Callable[[], object] | None = None,
) -> threading.Thread:
    """`warm_up` on a thread, so a page can be served meanwhile; `services.ready` is clear until
    it ends (also when it fails: the models then load on first use). On the same thread, `before`
    runs first (work chat turns must wait for too) and `then` afterwards (work that must not
    compete with the warm-up)."""
    services.ready.clear()

    def run() -> None:
        try:
            if before is not None:
                before()
            warm_up(services)
        except Exception:
            log.exception("background warm-up failed; models load on first use")
        finally:
            services.ready.set()
        if then is not None:
            try:
                then()
            except Exception:
                log.exception("work after the warm-up failed")

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread

"""In-process publish/subscribe for domain events (past-tense frozen dataclasses).

Handlers run after the publishing transaction committed; a failing handler is logged and never
undoes the change that caused the event.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Handler = Callable[[Any], None]


TxHandler = Callable[[Any, Any], None]  # (session, event)


class EventBus:
    """Two kinds of listener: in-transaction ones run inside the publisher's transaction (use them
    for consequences that must commit or fail together, e.g. enqueueing a confirmation in the
    outbox); ordinary ones run after commit (analytics, dashboards, caches)."""

    def __init__(self) -> None:
        self._handlers: dict[type, list[Handler]] = defaultdict(list)
        self._any: list[Handler] = []
        self._in_tx: dict[type, list[TxHandler]] = defaultdict(list)

    def subscribe_in_transaction(self, event_type: type, handler: TxHandler) -> None:
        self._in_tx[event_type].append(handler)

    def publish_in_transaction(self, session: Any, event: object) -> None:
        # no try/except: an in-transaction consequence that fails must roll the change back
        for handler in self._in_tx.get(type(event), ()):
            handler(session, event)

    def subscribe(self, event_type: type, handler: Handler) -> None:
        self._handlers[event_type].append(handler)

    def subscribe_all(self, handler: Handler) -> None:
        self._any.append(handler)

    def publish(self, event: object) -> None:
        for handler in [*self._handlers.get(type(event), ()), *self._any]:
            try:
                handler(event)
            except Exception:  # a listener's bug must not break the sale
                log.exception("event handler %r failed on %r", handler, type(event).__name__)

    def publish_all(self, events: list[object]) -> None:
        for e in events:
            self.publish(e)

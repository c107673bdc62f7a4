"""Background work: stored inbound events (the pollers: channel webhooks acknowledged by the web
process), outbox delivery with retries, reservation expiry, lease recovery.

In the single-process mode it runs as a thread inside the web app; `shopkeeper worker` runs the
same loop in its own process — the production layout, so that bot turns never share an interpreter
(its lock and its garbage collector) with the webhook acknowledgements. Several workers may run:
every poller and the outbox lease what they take.
"""

from __future__ import annotations

import logging
import threading
import time

from shopkeeper.bootstrap import Services
from shopkeeper.kernel.outbox import deliver_due, requeue_expired_leases

log = logging.getLogger(__name__)

# periodic jobs (lapsed stock holds, overdue payments, channel events left unprocessed after a
# crash) are cheap indexed queries; every few seconds keeps a scale-out worker responsive
HOUSEKEEPING_EVERY_S = 5.0
# with pollers registered an idle worker looks for new inbound events this often (a shopper waits
# on it); each look is one indexed query that finds nothing
POLL_IDLE_S = 0.1


class BackgroundWorker:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> int:
        """One pass: process stored inbound events, then deliver what is due. Returns how many
        events and messages were taken (0: nothing to do)."""
        busy = 0
        for poll in self.services.extras.get("pollers", []):
            try:
                busy += int(poll(self.services) or 0)
            except Exception:  # the events keep their rows and leases; the next pass retries
                log.exception("poller %r failed", poll)
        if self.services.senders:
            busy += deliver_due(self.services.db, self.services.senders)
        return busy

    def _idle_wait(self) -> float:
        poll_s = self.services.settings.outbox_poll_s
        return min(poll_s, POLL_IDLE_S) if self.services.extras.get("pollers") else poll_s

    def housekeeping(self) -> None:
        requeue_expired_leases(self.services.db)
        for job in self.services.extras.get("periodic", []):
            try:
                job(self.services)
            except Exception:
                log.exception("periodic job %r failed", job)

    def run(self) -> None:
        last_housekeeping = 0.0
        while not self._stop.is_set():
            try:
                busy = self.tick()
                now = time.monotonic()
                if now - last_housekeeping > HOUSEKEEPING_EVERY_S:
                    self.housekeeping()
                    last_housekeeping = now
            except Exception:  # keep the loop alive; the outbox keeps the messages
                log.exception("worker pass failed")
                busy = 0
            if not busy:
                self._stop.wait(self._idle_wait())

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="shopkeeper-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

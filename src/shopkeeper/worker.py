"""Background work: outbox delivery with retries, reservation expiry, lease recovery.

In the single-process mode it runs as a thread inside the web app; `shopkeeper worker` runs the
same loop in its own process for scale-out.
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


class BackgroundWorker:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> int:
        """One pass: deliver what is due. Returns how many messages were attempted."""
        if not self.services.senders:
            return 0
        return deliver_due(self.services.db, self.services.senders)

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
                self._stop.wait(self.services.settings.outbox_poll_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="shopkeeper-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

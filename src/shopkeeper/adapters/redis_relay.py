"""The web chat hub's relay over Redis pub/sub: with several server processes, a frame published in
one process reaches the sockets open in every process (conversations/hub.py).

Pub/sub keeps nothing: a process that is down misses frames, which is acceptable because every reply
is also in the REST response and the stored history the widget reloads on reconnect.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import redis

log = logging.getLogger(__name__)

CHANNEL = "shopkeeper:webchat"


class RedisRelay:
    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        self.channel = channel
        self._redis = redis.Redis.from_url(url)
        self._pubsub: Any = None
        self._thread: Any = None  # redis-py's PubSubWorkerThread

    def send(self, message: dict[str, Any]) -> None:
        try:
            self._redis.publish(self.channel, json.dumps(message, separators=(",", ":"), default=str))
        except redis.RedisError:  # live delivery is best effort; the history holds the message
            log.exception("web chat relay: publish to %s failed", self.channel)

    def listen(self, deliver: Callable[[dict[str, Any]], None]) -> None:
        """Subscribe and hand every arriving frame to `deliver` on a background thread; returns
        once the subscription is active, so nothing published afterwards is missed."""

        def handle(item: dict[str, Any]) -> None:
            try:
                message = json.loads(item["data"])
            except (TypeError, ValueError):
                log.warning("web chat relay: a frame that is not JSON was dropped")
                return
            if isinstance(message, dict):
                deliver(message)

        self._pubsub = self._redis.pubsub()
        self._pubsub.subscribe(**{self.channel: handle})
        # read the confirmation here: the subscription is live before the hub is used
        for _ in range(50):
            item = self._pubsub.get_message(timeout=0.1)
            if item is not None and item.get("type") == "subscribe":
                break
        else:
            log.warning("web chat relay: no subscription confirmation from Redis within 5 s")
        self._thread = self._pubsub.run_in_thread(
            sleep_time=0.5, daemon=True, exception_handler=_keep_listening
        )

    def close(self) -> None:
        if self._thread is not None:
            self._thread.stop()
            self._thread.join(timeout=2.0)
        if self._pubsub is not None:
            self._pubsub.close()
        self._redis.close()


def _keep_listening(error: BaseException, pubsub: Any, thread: Any) -> None:
    """redis-py ends the listener thread on an error unless a handler takes it; the next read
    reconnects and subscribes again, so log, pause and go on."""
    log.warning("web chat relay: %s; retrying in 1 s", error)
    time.sleep(1.0)

"""The in-process web chat hub: open WebSockets per conversation, fed by the `channel.webchat` outbox
sender and by owner changes. Thread-safe: senders run on the worker thread, sockets on the event loop.

One process only; a Redis-backed hub replaces it when the app scales out (see docs/adr/0006).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict, defaultdict
from typing import Any

from shopkeeper.kernel.outbox import OutboxMessage, SendResult


class WebchatHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]]]
        self._subscribers = defaultdict(list)
        self._pushed: OrderedDict[str, None] = OrderedDict()  # message ids already pushed (bounded)

    def subscribe(self, conversation_id: str) -> asyncio.Queue[dict[str, Any]]:
        """Called on the event loop by a socket handler; returns the queue its frames arrive on."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        with self._lock:
            self._subscribers[conversation_id].append((asyncio.get_running_loop(), queue))
        return queue

    def unsubscribe(self, conversation_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            subs = self._subscribers.get(conversation_id, [])
            subs[:] = [s for s in subs if s[1] is not queue]
            if not subs:
                self._subscribers.pop(conversation_id, None)

    def connected(self, conversation_id: str) -> int:
        with self._lock:
            return len(self._subscribers.get(conversation_id, []))

    def publish(self, conversation_id: str, frame: dict[str, Any]) -> int:
        """Hand a frame to every socket of the conversation; returns how many got it."""
        with self._lock:
            subs = list(self._subscribers.get(conversation_id, []))
        for loop, queue in subs:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, frame)
            except RuntimeError:  # that socket's loop is closed; it unsubscribes itself
                continue
        return len(subs)

    def deliver_once(self, conversation_id: str, message_id: str, reply: Any) -> bool:
        """Push a reply frame unless this message id was pushed already (the socket handler and the
        outbox sender both offer each reply; whichever comes first delivers it)."""
        with self._lock:
            if message_id in self._pushed:
                return False
            self._pushed[message_id] = None
            while len(self._pushed) > 10_000:
                self._pushed.popitem(last=False)
        self.publish(conversation_id, {"type": "reply", "message_id": message_id, "reply": reply})
        return True

    def sender(self, msg: OutboxMessage) -> SendResult:
        """The `channel.webchat` outbox sender: push the canonical Reply JSON to open sockets.

        A visitor with no socket open still has the reply in the REST response and the history,
        so delivery counts as done either way."""
        payload = msg.payload
        conversation_id = str(payload.get("conversation_id", ""))
        message_id = str(payload.get("message_id", ""))
        self.deliver_once(conversation_id, message_id, payload.get("reply"))
        return SendResult(ok=True, provider_message_id=message_id)

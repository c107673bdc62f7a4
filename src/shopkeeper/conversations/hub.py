"""The web chat hub: open WebSockets per conversation, fed by the `channel.webchat` outbox sender
and by owner changes. Thread-safe: senders run on the worker thread, sockets on the event loop.

In one process the hub hands frames straight to its sockets. When the app runs as several
processes (`shopkeeper serve --workers N`), a shopper's socket may be open on another process than
the one that handled the payment webhook or the agent's reply, so every frame goes through a
`Relay` (Redis pub/sub, `adapters/redis_relay.py`) and each process's hub delivers what arrives to
its own sockets; a reply is still pushed once per process, whichever path offers it first.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from typing import Any, Protocol

from shopkeeper.kernel.outbox import OutboxMessage, SendResult


class Relay(Protocol):
    """Carries hub frames to the hub of every process (this one included)."""

    def send(self, message: dict[str, Any]) -> None: ...

    def listen(self, deliver: Callable[[dict[str, Any]], None]) -> None: ...

    def close(self) -> None: ...


class WebchatHub:
    def __init__(self, relay: Relay | None = None) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]]]
        self._subscribers = defaultdict(list)
        self._pushed: OrderedDict[str, None] = OrderedDict()  # message ids already pushed (bounded)
        self.relay = relay
        if relay is not None:
            relay.listen(self._arrived)

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
        """Sockets of the conversation open in this process."""
        with self._lock:
            return len(self._subscribers.get(conversation_id, []))

    def may_deliver(self, conversation_id: str) -> bool:
        """Whether a frame for this conversation may reach a socket (in any process, with a relay)."""
        return self.relay is not None or self.connected(conversation_id) > 0

    def publish(self, conversation_id: str, frame: dict[str, Any]) -> int:
        """Hand a frame to every socket of the conversation; returns how many in this process got it
        (with a relay the frame goes out to every process, and this count is of local sockets)."""
        if self.relay is not None:
            self.relay.send({"conversation_id": conversation_id, "frame": frame})
            return self.connected(conversation_id)
        return self._publish_here(conversation_id, frame)

    def deliver_once(self, conversation_id: str, message_id: str, reply: Any) -> bool:
        """Push a reply frame unless this message id was pushed already (the socket handler and the
        outbox sender both offer each reply; whichever comes first delivers it). With a relay the
        check happens in each receiving process, and this returns True."""
        frame = {"type": "reply", "message_id": message_id, "reply": reply}
        if self.relay is not None:
            self.relay.send({"conversation_id": conversation_id, "frame": frame})
            return True
        return self._accept(conversation_id, frame)

    def _arrived(self, message: dict[str, Any]) -> None:
        """A frame from the relay (the relay's listener thread)."""
        conversation_id, frame = message.get("conversation_id"), message.get("frame")
        if isinstance(conversation_id, str) and isinstance(frame, dict):
            self._accept(conversation_id, frame)

    def _accept(self, conversation_id: str, frame: dict[str, Any]) -> bool:
        message_id = frame.get("message_id") if frame.get("type") == "reply" else None
        if isinstance(message_id, str):
            with self._lock:
                if message_id in self._pushed:
                    return False
                self._pushed[message_id] = None
                while len(self._pushed) > 10_000:
                    self._pushed.popitem(last=False)
        self._publish_here(conversation_id, frame)
        return True

    def _publish_here(self, conversation_id: str, frame: dict[str, Any]) -> int:
        with self._lock:
            subs = list(self._subscribers.get(conversation_id, []))
        for loop, queue in subs:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, frame)
            except RuntimeError:  # that socket's loop is closed; it unsubscribes itself
                continue
        return len(subs)

    def sender(self, msg: OutboxMessage) -> SendResult:
        """The `channel.webchat` outbox sender: push the canonical Reply JSON to open sockets.

        A visitor with no socket open still has the reply in the REST response and the history,
        so delivery counts as done either way."""
        payload = msg.payload
        conversation_id = str(payload.get("conversation_id", ""))
        message_id = str(payload.get("message_id", ""))
        self.deliver_once(conversation_id, message_id, payload.get("reply"))
        return SendResult(ok=True, provider_message_id=message_id)

"""Conversations: one thread per customer × channel account, its messages with delivery statuses,
and who owns it now (bot, waiting for an agent, or an agent). Routes each shopper turn to the bot
only when the bot owns the thread; every reply leaves through the outbox."""

from __future__ import annotations

from typing import Any

from shopkeeper.conversations.errors import (
    ConversationError,
    ConversationNotFound,
    IllegalOwnerChange,
    NotConversationOwner,
)
from shopkeeper.conversations.events import MessageStored, OwnerChanged
from shopkeeper.conversations.hub import WebchatHub
from shopkeeper.conversations.model import (
    AGENT,
    BOT,
    OWNERS,
    WAITING,
    ConversationView,
    MessageView,
    Turn,
    bot_may_reply,
    status_moves_forward,
)
from shopkeeper.conversations.services import (
    agent_reply,
    assign_agent,
    find_conversation,
    get_conversation,
    history,
    list_conversations,
    mark_provider_id,
    open_conversation,
    receive,
    receive_turn,
    release_to_bot,
    request_handoff,
    send_to_customer,
    update_status,
)


def wire(services: Any) -> None:
    """Composition-root hook: order-update listeners, the web chat hub and its outbox sender."""
    from shopkeeper.conversations import notifications

    notifications.install(services.bus)
    hub = services.extras.get("webchat_hub")
    if hub is None:
        # several server processes: frames cross them through the relay the composition root built
        hub = WebchatHub(relay=services.extras.get("webchat_relay"))
        services.extras["webchat_hub"] = hub
    services.senders["channel.webchat"] = hub.sender

    def _owner_frame(event: OwnerChanged) -> None:
        hub.publish(event.conversation_id, {"type": "owner", "owner": event.owner})

    services.bus.subscribe(OwnerChanged, _owner_frame)


__all__ = [
    "AGENT",
    "BOT",
    "OWNERS",
    "WAITING",
    "ConversationError",
    "ConversationNotFound",
    "ConversationView",
    "IllegalOwnerChange",
    "MessageStored",
    "MessageView",
    "NotConversationOwner",
    "OwnerChanged",
    "Turn",
    "WebchatHub",
    "agent_reply",
    "assign_agent",
    "bot_may_reply",
    "find_conversation",
    "get_conversation",
    "history",
    "list_conversations",
    "mark_provider_id",
    "open_conversation",
    "receive",
    "receive_turn",
    "release_to_bot",
    "request_handoff",
    "send_to_customer",
    "status_moves_forward",
    "update_status",
    "wire",
]

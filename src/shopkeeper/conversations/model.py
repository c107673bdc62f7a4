"""Conversation rules with no I/O: who may speak (owner), message status order, and the read views
other packages and the web layer see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Owner = Literal["bot", "waiting", "agent"]
BOT: Owner = "bot"
WAITING: Owner = "waiting"
AGENT: Owner = "agent"
OWNERS: tuple[str, ...] = (BOT, WAITING, AGENT)

# statuses only move forward; failed ends a message that never reached the shopper
STATUS_RANK = {"received": 0, "queued": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}
FINAL_STATUSES = frozenset({"read", "failed"})


def status_moves_forward(current: str, new: str) -> bool:
    """True if a message in `current` may move to `new` (out-of-order provider receipts are ignored)."""
    if current in FINAL_STATUSES or new not in STATUS_RANK or current == new:
        return False
    if new == "failed":
        return current in ("queued", "sent")
    return STATUS_RANK[new] > STATUS_RANK.get(current, 0)


def bot_may_reply(owner: str) -> bool:
    """The bot speaks only in conversations it owns — never while an agent owns or is awaited."""
    return owner == BOT


@dataclass(frozen=True)
class ConversationView:
    id: str
    customer_id: str
    channel: str
    channel_account: str
    external_id: str
    owner: str
    agent_id: str | None
    handoff_reason: str | None
    waiting_since: datetime | None
    language: str | None
    last_inbound_at: datetime | None
    created_at: datetime
    updated_at: datetime
    state: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MessageView:
    id: str
    conversation_id: str
    direction: Literal["in", "out"]
    sender: str
    text: str | None
    payload: str | None
    reply: dict[str, Any] | None
    status: str
    agent_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class Turn:
    """What one inbound message produced: the replies (stored and queued) and who owns the chat now."""

    conversation_id: str
    owner: str
    replies: list[Any]  # channels.messages.Reply
    reply_message_ids: list[str]
    replayed: bool = False
    # each reply's JSON body (Reply.model_dump(mode="json")) as stored: serialised once per turn
    reply_bodies: list[dict[str, Any]] = field(default_factory=list)

"""Conversation events (past tense, frozen): the dashboard and the web chat socket listen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OwnerChanged:
    conversation_id: str
    customer_id: str
    owner: str
    agent_id: str | None
    reason: str | None


@dataclass(frozen=True)
class MessageStored:
    conversation_id: str
    message_id: str
    direction: str
    sender: str

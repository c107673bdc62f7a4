"""The conversations and messages tables; only conversations.services imports this."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shopkeeper.kernel.db import Base


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("customer_id", "channel", "channel_account", name="uq_conversation_thread"),
        Index("ix_conversations_owner", "owner", "waiting_since"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    channel_account: Mapped[str] = mapped_column(String(100), default="default")
    external_id: Mapped[str] = mapped_column(String(200))  # the channel's id for the shopper
    owner: Mapped[str] = mapped_column(String(10), default="bot")
    agent_id: Mapped[str | None] = mapped_column(String(40))
    handoff_reason: Mapped[str | None] = mapped_column(String(40))
    waiting_since: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(10))
    state: Mapped[dict[str, Any]]
    last_inbound_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MessageRow(Base):
    __tablename__ = "conversation_messages"
    __table_args__ = (Index("ix_conversation_messages_thread", "conversation_id", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(40), ForeignKey("conversations.id"))
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    sender: Mapped[str] = mapped_column(String(10))  # shopper | bot | agent | system
    agent_id: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[str | None] = mapped_column(String(500))
    reply: Mapped[dict[str, Any] | None]
    # "<channel>:<provider message id>" of an inbound message: the dedupe key
    inbound_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(40), index=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(10))
    status_at: Mapped[datetime]
    created_at: Mapped[datetime]

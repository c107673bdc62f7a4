"""Channel tables: contacts (windows, opt-out), callback tokens and short links, SMS choice menus,
the template registry, rate-limit state and per-message delivery statuses. Only channel services
import this module."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shopkeeper.kernel.db import Base


class ChannelContactRow(Base):
    """One shopper address on one channel: the window clock and the opt-out state live here."""

    __tablename__ = "channel_contacts"
    __table_args__ = (UniqueConstraint("channel", "recipient", name="uq_channel_contacts_recipient"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(30))
    account: Mapped[str] = mapped_column(String(100), default="default")
    recipient: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[str | None] = mapped_column(String(40), index=True)
    language: Mapped[str | None] = mapped_column(String(10))
    last_inbound_at: Mapped[datetime | None]
    opted_out: Mapped[bool] = mapped_column(default=False)
    unreachable: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime]


class ChannelTokenRow(Base):
    """A short server-side token: a Telegram callback payload, a short link or a link code."""

    __tablename__ = "channel_tokens"

    token: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # callback | link | linkcode
    value: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]


class ChoiceMenuRow(Base):
    """The numbered choices last shown to a recipient, so "2" means the second of them."""

    __tablename__ = "channel_menus"

    key: Mapped[str] = mapped_column(String(240), primary_key=True)  # channel:recipient
    payloads: Mapped[list[Any]]
    created_at: Mapped[datetime]


class TemplateRow(Base):
    """A provider-approved message template (WhatsApp): category and one row per language."""

    __tablename__ = "channel_templates"
    __table_args__ = (UniqueConstraint("channel", "name", "language", name="uq_channel_templates_variant"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(16))  # provider code, e.g. en_US
    category: Mapped[str] = mapped_column(String(20))  # MARKETING | UTILITY | AUTHENTICATION
    body: Mapped[str] = mapped_column(Text)  # with {{1}}, {{2}} placeholders
    provider_ref: Mapped[str | None] = mapped_column(String(100))  # e.g. a Twilio ContentSid (HX…)
    created_at: Mapped[datetime]


class RateBucketRow(Base):
    """GCRA state: the theoretical arrival time of the next send for a key (recipient or number)."""

    __tablename__ = "channel_rate_buckets"

    key: Mapped[str] = mapped_column(String(240), primary_key=True)
    tat: Mapped[datetime]


class DeliveryRow(Base):
    """One provider message we sent (a reply may take several), with its forward-only status."""

    __tablename__ = "channel_deliveries"
    __table_args__ = (
        UniqueConstraint("outbox_id", "part_index", name="uq_channel_deliveries_part"),
        Index("ix_channel_deliveries_recipient", "channel", "recipient", "sent_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    outbox_id: Mapped[str] = mapped_column(String(40))
    message_id: Mapped[str | None] = mapped_column(String(40), index=True)  # conversations' message
    part_index: Mapped[int]
    channel: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(200))
    provider_message_id: Mapped[str | None] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(12))
    sent_at: Mapped[datetime]
    status_at: Mapped[datetime]
    error: Mapped[str | None] = mapped_column(Text)

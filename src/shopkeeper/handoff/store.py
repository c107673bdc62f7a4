"""The waiting queue (one ticket per escalation) and agent authority rows.

Only handoff.services imports this."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shopkeeper.kernel.db import Base


class HandoffTicket(Base):
    __tablename__ = "handoff_tickets"
    __table_args__ = (Index("ix_handoff_tickets_open", "status", "requested_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(40), index=True)
    customer_id: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))  # waiting | assigned | closed
    agent_id: Mapped[str | None] = mapped_column(String(40))
    requested_at: Mapped[datetime]
    assigned_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class AgentAuthority(Base):
    __tablename__ = "agent_authority"

    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    max_discount_percent: Mapped[str] = mapped_column(String(12))  # a Decimal as text

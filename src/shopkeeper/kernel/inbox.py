"""The inbound webhook log: every verified provider event is stored once, keyed on the provider's
own id, before it is processed — so retries and duplicates change nothing. A processor leases an
event (`claimed_until`, `attempts`) while it works on it; `processed_at` says it is done.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.db import Base


class InboundEvent(Base):
    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("provider", "event_id", name="uq_inbound_provider_event"),
        Index("ix_inbound_events_pending", "processed_at", "received_at"),  # what is left to process
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]]
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    # a processor's lease: another one may take the event over only once it has run out (a crash)
    claimed_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")


def record_inbound(
    session: Session, provider: str, event_id: str, body: str, meta: dict[str, Any] | None = None
) -> InboundEvent | None:
    """Store a verified event; returns None if this provider event was seen before (a replay).

    Callers hold the transaction; a concurrent duplicate loses on the unique constraint at commit.
    """
    seen = session.scalar(
        select(InboundEvent.id).where(InboundEvent.provider == provider, InboundEvent.event_id == event_id)
    )
    if seen is not None:
        return None
    ev = InboundEvent(
        id=new_id("evt"),
        provider=provider,
        event_id=event_id,
        body=body,
        meta=meta or {},
        received_at=utcnow(),
    )
    session.add(ev)
    session.flush()
    return ev


def mark_processed(session: Session, ev: InboundEvent, error: str | None = None) -> None:
    ev.processed_at = utcnow()
    ev.error = error

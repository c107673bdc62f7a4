"""The `payments` table and its queries; only payments.services imports this module."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopkeeper.kernel.db import Base
from shopkeeper.kernel.money import Money


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("provider", "provider_session_id", name="uq_payments_provider_session"),
        Index("ix_payments_reference_status", "reference", "status"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    reference: Mapped[str] = mapped_column(String(80))
    provider: Mapped[str] = mapped_column(String(40))
    provider_session_id: Mapped[str | None] = mapped_column(String(255))
    provider_payment_id: Mapped[str | None] = mapped_column(String(255), index=True)
    amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    refunded_minor: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    method: Mapped[str | None] = mapped_column(String(20))
    instalments: Mapped[int | None]
    methods: Mapped[list[Any]]
    description: Mapped[str] = mapped_column(Text, default="")
    customer_email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str | None] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text, default="")
    return_url: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def refunded(self) -> Money:
        return Money(self.refunded_minor, self.currency)


def find_open_for_reference(session: Session, reference: str, provider: str) -> list[Payment]:
    q = (
        select(Payment)
        .where(Payment.reference == reference, Payment.provider == provider, Payment.status == "pending")
        .order_by(Payment.created_at.desc())
    )
    return list(session.scalars(q))


def list_for_reference(session: Session, reference: str) -> list[Payment]:
    return list(
        session.scalars(select(Payment).where(Payment.reference == reference).order_by(Payment.created_at))
    )


def find_for_notice(
    session: Session,
    provider: str,
    provider_session_id: str | None,
    provider_payment_id: str | None,
    payment_id: str | None,
) -> Payment | None:
    """Providers name a payment differently per event (session id, intent id, our metadata id)."""
    if provider_session_id:
        found = session.scalar(
            select(Payment).where(
                Payment.provider == provider, Payment.provider_session_id == provider_session_id
            )
        )
        if found is not None:
            return found
    if provider_payment_id:
        found = session.scalar(
            select(Payment).where(
                Payment.provider == provider, Payment.provider_payment_id == provider_payment_id
            )
        )
        if found is not None:
            return found
    if payment_id:
        found = session.get(Payment, payment_id)
        if found is not None and found.provider == provider:
            return found
    return None


def lock(session: Session, payment_id: str) -> Payment | None:
    """Load a payment for update: two webhooks for one payment apply one after the other on
    PostgreSQL (SQLite already serialises writers with BEGIN IMMEDIATE)."""
    return session.scalar(select(Payment).where(Payment.id == payment_id).with_for_update())


def list_due_to_expire(session: Session, provider: str, now: datetime, limit: int) -> list[Payment]:
    q = (
        select(Payment)
        .where(Payment.provider == provider, Payment.status == "pending", Payment.expires_at <= now)
        .order_by(Payment.expires_at)
        .limit(limit)
    )
    return list(session.scalars(q))

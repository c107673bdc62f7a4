"""Customer tables: profiles, channel identities, addresses, consent history, activity.

Only customers.services imports this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shopkeeper.kernel.db import Base


class CustomerRow(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    # set when this profile was merged into another; lookups follow it to the survivor
    merged_into: Mapped[str | None] = mapped_column(String(40), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class IdentityRow(Base):
    __tablename__ = "customer_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_customer_identity"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class AddressRow(Base):
    __tablename__ = "customer_addresses"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    line1: Mapped[str] = mapped_column(String(300))
    line2: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime]


class ConsentRow(Base):
    """History, never updated: the latest row per (customer, purpose, channel) is the answer.
    An integer key orders rows written within the same millisecond."""

    __tablename__ = "customer_consents"
    __table_args__ = (Index("ix_consent_lookup", "customer_id", "purpose", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    purpose: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]


class ActivityRow(Base):
    __tablename__ = "customer_activities"
    __table_args__ = (Index("ix_activity_customer_at", "customer_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]]
    at: Mapped[datetime]

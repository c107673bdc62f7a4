"""Inventory tables: one stock row per variant and the reservations held against it.

Only `inventory.services` reads or writes these. No foreign key to the catalog's variants on
purpose: stock may be set before (or without) a catalog row, and packages own their own tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shopkeeper.kernel.db import Base

ACTIVE, CONVERTED, RELEASED, EXPIRED, RESTOCKED = "active", "converted", "released", "expired", "restocked"


class Stock(Base):
    __tablename__ = "stock"
    __table_args__ = (CheckConstraint("reserved >= 0", name="reserved_not_negative"),)

    variant_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class Reservation(Base):
    __tablename__ = "stock_reservations"
    __table_args__ = (Index("ix_stock_reservations_due", "status", "expires_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), index=True)
    variant_id: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]

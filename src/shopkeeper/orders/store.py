"""Order tables: orders (with their frozen snapshot), their status history, and the counter behind
human-friendly order numbers. Only `orders.services` touches these."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shopkeeper.kernel.db import Base


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    customer_id: Mapped[str] = mapped_column(String(40), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(40), index=True)
    cart_id: Mapped[str | None] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    total_minor: Mapped[int]
    lines: Mapped[list[Any]]
    totals: Mapped[dict[str, Any]]
    contact: Mapped[dict[str, Any]]
    shipping_address: Mapped[dict[str, Any]]
    payment_id: Mapped[str | None] = mapped_column(String(60), index=True)
    tracking_url: Mapped[str | None] = mapped_column(String(500))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OrderStatusChange(Base):
    __tablename__ = "order_status_changes"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class OrderCounter(Base):
    """One row per number series; incremented with UPDATE … RETURNING (a row lock on PostgreSQL)."""

    __tablename__ = "order_counters"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int]

"""Cart tables: carts, their lines, merchant discount codes and their redemptions.

A partial unique index keeps one open cart per customer on both SQLite and PostgreSQL. Discount
codes live in the database (not only in the config file) because their usage is counted here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from shopkeeper.kernel.db import Base

OPEN, CHECKED_OUT = "open", "checked_out"


class Cart(Base):
    __tablename__ = "carts"
    __table_args__ = (
        Index(
            "uq_carts_one_open_per_customer", "customer_id", unique=True,
            sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(40), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12), default=OPEN)
    discount_code: Mapped[str | None] = mapped_column(String(40))
    order_id: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CartLine(Base):
    __tablename__ = "cart_lines"
    __table_args__ = (UniqueConstraint("cart_id", "variant_id", name="uq_cart_lines_variant"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    cart_id: Mapped[str] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int]
    price_minor_when_added: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    added_at: Mapped[datetime]


class DiscountCode(Base):
    __tablename__ = "discount_codes"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    percent: Mapped[str | None] = mapped_column(String(12))  # a Decimal as text, never a float
    amount_minor: Mapped[int | None]
    min_subtotal_minor: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    starts_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    usage_limit: Mapped[int | None]
    per_customer_limit: Mapped[int | None]
    times_used: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(String(200), default="")


class DiscountRedemption(Base):
    __tablename__ = "discount_redemptions"
    __table_args__ = (Index("ix_discount_redemptions_code_customer", "code", "customer_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[str] = mapped_column(String(40), unique=True)
    redeemed_at: Mapped[datetime]

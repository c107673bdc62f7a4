"""Recommendation tables: the event log it learns from, decayed pair weights (also-bought,
also-viewed, next-viewed), decayed popularity, and item profiles copied from the catalog.
Only recommendations' own services read or write these.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, String
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopkeeper.kernel.db import Base


class RecEvent(Base):
    __tablename__ = "rec_events"
    __table_args__ = (Index("ix_rec_events_customer_at", "customer_id", "at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))
    product_id: Mapped[str] = mapped_column(String(40), index=True)
    basket: Mapped[str] = mapped_column(String(40))  # one `record` call: an order, a browsing burst
    at: Mapped[datetime]


class RecPair(Base):
    __tablename__ = "rec_pairs"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # bought | viewed | next
    product_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    other_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)


class RecPopularity(Base):
    __tablename__ = "rec_popularity"

    product_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)


class RecItem(Base):
    __tablename__ = "rec_items"

    product_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(400))
    category: Mapped[str | None] = mapped_column(String(200), index=True)
    brand: Mapped[str | None] = mapped_column(String(120))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    price_minor: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    variant_ids: Mapped[list[Any]] = mapped_column(default=list)


def add_weights(
    session: Session, table: type[RecPair] | type[RecPopularity], rows: list[dict[str, Any]]
) -> None:
    """Atomic `weight += x` upserts (one statement per batch; safe under concurrent writers)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    keys = ["kind", "product_id", "other_id"] if table is RecPair else ["product_id"]
    for start in range(0, len(rows), 500):
        stmt = insert(table).values(rows[start : start + 500])
        stmt = stmt.on_conflict_do_update(
            index_elements=keys, set_={"weight": table.weight + stmt.excluded.weight}
        )
        session.execute(stmt)


def upsert_items(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert or refresh item profiles in one statement: two turns that discover the same new
    product at once must not collide on its primary key."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    for start in range(0, len(rows), 200):
        stmt = insert(RecItem).values(rows[start : start + 200])
        cols = {c: getattr(stmt.excluded, c) for c in rows[0] if c != "product_id"}
        session.execute(stmt.on_conflict_do_update(index_elements=["product_id"], set_=cols))

"""Catalog tables: products, variants, reviews, the search documents and vectors derived from them,
merchant synonyms and the search log. Only catalog modules read or write these; stock lives in
`shopkeeper.inventory`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shopkeeper.kernel.db import Base


class Product(Base):
    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    handle: Mapped[str] = mapped_column(String(160), unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    brand: Mapped[str | None] = mapped_column(String(120), index=True)
    category: Mapped[str | None] = mapped_column(String(200), index=True)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    images: Mapped[list[Any]] = mapped_column(default=list)
    translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # denormalised from reviews and variants so filters and features need no join
    rating: Mapped[float | None]
    review_count: Mapped[int] = mapped_column(default=0)
    price_min_minor: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    popularity: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Variant(Base):
    __tablename__ = "variants"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    color: Mapped[str | None] = mapped_column(String(60), index=True)
    size: Mapped[str | None] = mapped_column(String(30), index=True)
    price_minor: Mapped[int] = mapped_column(Integer)
    compare_at_minor: Mapped[int | None]
    currency: Mapped[str] = mapped_column(String(3))
    weight_g: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int]
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(120), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime]


class SearchDocument(Base):
    """The normalised, stemmed text of one product per field; the FTS5 table (SQLite) or the
    generated tsvector (PostgreSQL) is built from these columns, and the ranker reads them."""

    __tablename__ = "search_documents"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    brand: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(Text, default="")
    attributes: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    reviews: Mapped[str] = mapped_column(Text, default="")
    raw_title: Mapped[str] = mapped_column(Text, default="")
    seq: Mapped[int] = mapped_column(Integer, default=0, index=True)


class SearchTerm(Base):
    """Document frequency per indexed term: BM25 statistics and the typo-correction vocabulary."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(String(120), primary_key=True)
    df: Mapped[int] = mapped_column(default=0)


class ProductVector(Base):
    __tablename__ = "product_vectors"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(40))
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little endian


class EvidenceVector(Base):
    """A product-answer evidence sentence's vector, keyed by `vectors.text_hash(model, text)`: the
    same sentence in two products (or re-imported) is embedded once. Filled on a product's first
    question (E5 is too slow to embed every review sentence of a large import up front)."""

    __tablename__ = "evidence_vectors"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    model: Mapped[str] = mapped_column(String(40))
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little endian


class CatalogState(Base):
    """Counters other processes poll to know their in-memory search caches are stale."""

    __tablename__ = "catalog_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class Synonym(Base):
    """Merchant-editable: a query term and what else it may mean ("tee" -> "t-shirt")."""

    __tablename__ = "search_synonyms"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    term: Mapped[str] = mapped_column(String(120), index=True)
    alternatives: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(8), default="*")


class SearchLog(Base):
    __tablename__ = "search_logs"
    __table_args__ = (Index("ix_search_logs_created", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    query: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    results: Mapped[list[Any]] = mapped_column(default=list)  # product ids shown, in order
    total: Mapped[int] = mapped_column(default=0)
    customer_id: Mapped[str | None] = mapped_column(String(40))
    clicked: Mapped[list[Any]] = mapped_column(default=list)
    added: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime]

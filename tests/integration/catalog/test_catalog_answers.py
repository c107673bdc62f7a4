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


def test_without_e5_the_ranker_still_answers() -> None:
    ev = [Evidence("The battery lasts ten hours.", "description"), Evidence("color: black", "attribute")]
    ranker = EvidenceRanker(question_encoder=None, passage_encoder=None)
    sims = ranker.cosines("how long does the battery last?", ev)
    assert sims.shape == (2, 6) and (sims[:, :3] == sims[:, 3:]).all()
    assert ranker.rank("how long does the battery last?", ev)[0][0] == ev[0]
